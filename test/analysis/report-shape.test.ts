// Tests for the release a report's own shape implies (kernel.md 1c: headers, zone-line fields, letters),
// replacing the old generationFromShape tests.

import { describe, expect, it } from 'vitest';
import { releaseFromShape } from '../../src/analysis/report-shape.js';
import type { ZoneWatermarks } from '../../src/model.js';
import { parseReports } from '../../src/parse/report.js';
import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';
import { rules } from '../helpers/kernel.js';

function report(over: Partial<FailureReport> = {}): FailureReport {
  return { source: 't', line: 1, endLine: 1, kind: 'allocation-failure', order: 3, zones: [], problems: [], ...over };
}

function rzone(zone: string, over: Partial<ReportZone> = {}): ReportZone {
  return { node: 0, zone, ...over };
}

function marks(over: Partial<ZoneWatermarks> = {}): ZoneWatermarks {
  return { node: 0, zone: 'Normal', min: 100, low: 125, high: 150, source: 't', line: 1, ...over };
}

/** A printed mode: the value and the names the kernel put in brackets. */
function mode(value: number, ...names: string[]): Partial<FailureReport> {
  return { flagsFrom: 'printed', mode: `0x${value.toString(16)}`, modeValue: value, flags: names };
}

describe('releaseFromShape: the newest release the shape allows', () => {
  it('free_highatomic on a zone line (M15, in 6.18): 6.18', () => {
    const r = report({ zones: [rzone('Normal', { watermarks: marks({ freeHighatomic: 256 }) })] });
    expect(releaseFromShape(r)).toMatchObject({ release: '6.18' });
    expect(releaseFromShape(r)?.why).toMatch(/free_highatomic/);
  });

  it('an R (Reserve) letter (3.8 to 4.3): 4.3, the last release with the loop and the 3.10 CMA rule', () => {
    const r = report({ flagsFrom: 'decoded', zones: [rzone('Normal', { types: ['UEM', '', 'R'] })] });
    expect(releaseFromShape(r)).toMatchObject({ release: '4.3' });
    expect(releaseFromShape(r)?.why).toMatch(/R \(Reserve\)/);
    expect(rules('4.3').algorithm).toBe('legacy-loop');
  });

  it('an H (HighAtomic) letter without printed names (4.4 to 4.5): 4.5', () => {
    const r = report({ flagsFrom: 'decoded', zones: [rzone('Normal', { types: ['UME', 'H'] })] });
    expect(releaseFromShape(r)).toMatchObject({ release: '4.5' });
  });

  it('printed names without a nodemask (4.6 to 4.10): 4.10, with or without H letters', () => {
    expect(releaseFromShape(report({ flagsFrom: 'printed' }))).toMatchObject({ release: '4.10' });
    const h = report({ flagsFrom: 'printed', zones: [rzone('Normal', { types: ['UMEH'] })] });
    expect(releaseFromShape(h)).toMatchObject({ release: '4.10' });
  });

  it('printed names and a nodemask with the cpuset on a line of its own (4.11 to 4.20): 4.20', () => {
    expect(releaseFromShape(report({ flagsFrom: 'printed', nodemask: '(null)', cpuset: '/' }))).toMatchObject({ release: '4.20' });
  });

  it('a nodemask without names (the names cut short): 4.20', () => {
    expect(releaseFromShape(report({ flagsFrom: 'decoded', nodemask: '(null)' }))).toMatchObject({ release: '4.20' });
  });

  it('the cpuset glued to the header line (5.0 to 6.18): 6.18', () => {
    const r = report({ flagsFrom: 'printed', nodemask: '(null)', cpuset: '/', memsAllowed: '0', cpusetOnHeader: true });
    expect(releaseFromShape(r)).toMatchObject({ release: '6.18' });
    expect(releaseFromShape(r)?.why).toMatch(/header line/);
  });

  it('the "failure." header of 2.6.32-2.6.37: 2.6.37', () => {
    const r = releaseFromShape(report({ headerDot: true, flagsFrom: 'decoded' }));
    expect(r).toMatchObject({ release: '2.6.37' });
    expect(r?.why).toMatch(/"page allocation failure\." header/);
    // 2.6.37 is before 2.6.38: __GFP_NOMEMALLOC does not withhold ALLOC_HARDER yet (M20)
    expect(rules(r?.release ?? '').nomemallocNoHarder).toBe(false);
  });

  it('every reason names --kernel as the way to choose another release', () => {
    expect(releaseFromShape(report({ headerDot: true }))?.why).toMatch(/; --kernel VERSION names the release$/);
  });

  it('nothing telling: undefined', () => {
    expect(releaseFromShape(report({ headerDot: false, flagsFrom: 'decoded' }))).toBeUndefined();
    // U, M, E letters exist in every release from 3.8
    expect(releaseFromShape(report({ zones: [rzone('Normal', { types: ['UME', 'UM', ''] })] }))).toBeUndefined();
    expect(releaseFromShape(report({ kind: 'meminfo', order: null }))).toBeUndefined();
  });
});

describe('releaseFromShape: narrowed by the GFP bit values that print the mode as its names (kernel.md 1c)', () => {
  const glued = { nodemask: '(null)', cpuset: '/', memsAllowed: '0', cpusetOnHeader: true };

  it('5.0+ shape, mode 0x480020(GFP_ATOMIC): only the 4.18-5.0 values print that, so 5.0', () => {
    // 0x480020 = __GFP_HIGH 0x20 | __GFP_ATOMIC 0x80000 | __GFP_KSWAPD_RECLAIM 0x400000 (4.18-5.0)
    const r = releaseFromShape(report({ ...glued, ...mode(0x480020, 'GFP_ATOMIC') }));
    expect(r).toMatchObject({ release: '5.0' });
    expect(r?.why).toMatch(/mode 0x480020 printing as GFP_ATOMIC, which the GFP bit values of 4\.18 to 5\.0 do/);
  });

  it('5.0+ shape, mode 0xa20(GFP_ATOMIC): the 5.1-6.2 values, so 6.2 (legacy flags, no backport)', () => {
    // 0xa20 = 0x20 | __GFP_ATOMIC 0x200 | __GFP_KSWAPD_RECLAIM 0x800
    expect(releaseFromShape(report({ ...glued, ...mode(0xa20, 'GFP_ATOMIC') }))).toMatchObject({ release: '6.2' });
    expect(rules('6.2').flags).toBe('legacy');
  });

  it('5.0+ shape, mode 0x820(GFP_ATOMIC): the 6.3+ values, which still hold today, so 6.18', () => {
    expect(releaseFromShape(report({ ...glued, ...mode(0x820, 'GFP_ATOMIC') }))).toMatchObject({ release: '6.18' });
  });

  it('4.11-4.20 shape, mode 0x1080020(GFP_ATOMIC): the 4.10-4.17 values, so 4.17', () => {
    const r = report({ nodemask: '(null)', cpuset: '/', ...mode(0x1080020, 'GFP_ATOMIC') });
    expect(releaseFromShape(r)).toMatchObject({ release: '4.17' });
  });

  it('4.6-4.10 shape, mode 0x2080020(GFP_ATOMIC): the 4.4-4.9 values, so 4.9 (any-list)', () => {
    const r = releaseFromShape(report(mode(0x2080020, 'GFP_ATOMIC')));
    expect(r).toMatchObject({ release: '4.9' });
    expect(rules(r?.release ?? '').algorithm).toBe('any-list');
  });

  it('names no table prints leave the span as it is', () => {
    expect(releaseFromShape(report({ ...glued, ...mode(0x820, 'GFP_KERNEL') }))).toMatchObject({ release: '6.18' });
  });
});

describe('releaseFromShape on a parsed OOM-killer report', () => {
  // A 5.0+ global OOM: no nodemask= in the header (ef8444ea01d7 moved it to the oom-kill: line, M18).
  const text = [
    '[  100.000001] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[  100.000100] Mem-Info:',
    '[  100.000200] Node 0 Normal free:5000kB boost:0kB min:4000kB low:5000kB high:6000kB reserved_highatomic:0KB present:1048576kB managed:1000000kB free_cma:0kB',
    '[  100.000300] lowmem_reserve[]: 0 0 0 0 0',
    '[  100.000400] Node 0 Normal: 250*4kB (UME) 125*8kB (UM) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 2000kB',
    '[  100.000500] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=stress,pid=1,uid=0',
    '',
  ].join('\n');

  it('reads as an OOM report with printed names and no nodemask on its header', () => {
    const r = parseReports(text, 't').reports[0];
    expect(r).toMatchObject({ kind: 'oom', flagsFrom: 'printed', flags: ['GFP_KERNEL'], modeValue: 0xcc0 });
    expect(r?.nodemask).toBeUndefined();
  });

  // The OOM header carries nodemask= only in 4.9-4.20 (kernel.md 1c "The OOM-killer header", 6), so names
  // without it mean 4.6-4.8 or 5.0+; 0xcc0 prints as GFP_KERNEL only with the 5.1+ values (DIRECT 0x400 |
  // KSWAPD 0x800 | IO 0x40 | FS 0x80), so the newest release the shape allows is 6.18.
  it('a 5.0+ OOM-killer header (printed names, no nodemask=), mode 0xcc0(GFP_KERNEL), gives 6.18', () => {
    const r = parseReports(text, 't').reports[0] as FailureReport;
    expect(releaseFromShape(r)).toMatchObject({ release: '6.18', from: '4.6' });
  });

  it('an OOM header with a nodemask is 4.9-4.20', () => {
    const withMask = text.replace('gfp_mask=0xcc0(GFP_KERNEL), order=0', 'gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0');
    const r = parseReports(withMask, 't').reports[0] as FailureReport;
    expect(r.nodemask).toBe('(null)');
    // 0x6000c0 = DIRECT 0x200000 | KSWAPD 0x400000 | FS 0x80 | IO 0x40: GFP_KERNEL in 4.18-5.0 only
    expect(releaseFromShape(r)).toMatchObject({ release: '4.20', from: '4.9' });
  });
});
