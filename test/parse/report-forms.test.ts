// The report line forms real pastes carry (issue 12), each on lines written in that form; kB / page size worked in comments.

import { describe, expect, it } from 'vitest';
import { parseReports } from '../../src/parse/report.js';
import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';

const reports = (text: string): FailureReport[] => parseReports(text, 'paste').reports;
const one = (text: string): FailureReport => {
  const all = reports(text);
  expect(all).toHaveLength(1);
  return all[0] as FailureReport;
};
const zone = (r: FailureReport, name: string, node = 0): ReportZone => {
  const z = r.zones.find((x) => x.zone === name && x.node === node);
  if (z === undefined) throw new Error(`no zone ${node}/${name}`);
  return z;
};

/** A 2.6-era zone pair: free 8128 kB / 4 = 2032 pages. */
const OLD_ZONES = [
  'Node 0 DMA free:8128kB min:2624kB low:3264kB high:3904kB active:0kB inactive:0kB present:16384kB pages_scanned:0 all_unreclaimable? yes',
  'lowmem_reserve[]: 0 0 0 0',
  'Node 0 DMA32 free:0kB min:0kB low:0kB high:0kB active:0kB inactive:0kB present:0kB pages_scanned:0 all_unreclaimable? no',
  'lowmem_reserve[]: 0 0 0 0',
  'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 2*2048kB 1*4096kB = 8192kB',
  'Node 0 DMA32: empty',
];

describe('zone lines of 2.6 to 4.7', () => {
  it('reads "all_unreclaimable? yes|no" at the end of a zone line', () => {
    const r = one(['swapper: page allocation failure. order:1, mode:0x20', ...OLD_ZONES].join('\n'));
    expect(zone(r, 'DMA').allUnreclaimable).toBe(true);
    expect(zone(r, 'DMA32').allUnreclaimable).toBe(false);
  });

  it('reads "DMA32: empty" as an empty zone, with no counts and no problem about a cut line', () => {
    const r = one(['swapper: page allocation failure. order:1, mode:0x20', ...OLD_ZONES].join('\n'));
    const dma32 = zone(r, 'DMA32');
    expect(dma32.empty).toBe(true);
    expect(dma32.free).toBeUndefined();
    expect(dma32.freePartial).toBeUndefined();
    expect(r.problems.filter((p) => /DMA32/.test(p.message))).toEqual([]);
    // 2*2048 + 1*4096 = 8192 kB.
    expect(zone(r, 'DMA').free?.free).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]);
  });
});

describe('headers', () => {
  it('reads the 4.9 stall warning as a report of its own kind, with its wait, order and mode', () => {
    const r = one(
      [
        '[168382.032039] DOM Worker: page allocation stalls for 10646ms, order:0, mode:0x24280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO)',
        '[168382.032100] Mem-Info:',
        '[168382.032200] Node 0 DMA32 free:44684kB min:44696kB low:55868kB high:67040kB',
        '[168382.032300] lowmem_reserve[]: 0 0 0 0',
        '[168382.032400] Node 0 DMA32: 1*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 4kB',
      ].join('\n'),
    );
    expect(r.kind).toBe('stall');
    expect(r.stallMs).toBe(10646);
    expect(r.process).toBe('DOM Worker');
    expect(r.order).toBe(0);
    expect(r.mode).toBe('0x24280ca');
    expect(r.flags).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
    // 44684 kB / 4 = 11171 pages.
    expect(zone(r, 'DMA32').watermarks?.freePages).toBe(11171);
  });

  it('reads the OOM header of 2.6.11 to 2.6.17, which names no task, with or without an order', () => {
    const [a, b] = reports(['oom-killer: gfp_mask=0xd1', 'Mem-info:', 'oom-killer: gfp_mask=0xd0, order=1'].join('\n'));
    expect(a?.kind).toBe('oom');
    expect(a?.process).toBeUndefined();
    expect(a?.mode).toBe('0xd1');
    expect(a?.order).toBeNull();
    expect(b?.order).toBe(1);
    expect(b?.mode).toBe('0xd0');
  });

  it('keeps a masked mode as printed and takes the flags from the names after it', () => {
    const r = one('test invoked oom-killer: gfp_mask=0x62****(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=0, order=0, oom_score_adj=0');
    expect(r.mode).toBe('0x62****');
    expect(r.modeValue).toBeUndefined();
    expect(r.flags).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
    expect(r.problems.some((p) => /masked/.test(p.message))).toBe(true);
  });

  it('reads "nodemask=0," as node 0, not "0,"', () => {
    const r = one('test invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=0, order=0, oom_score_adj=0');
    expect(r.nodemask).toBe('0');
    expect(one('a: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC), nodemask=0-1,3').nodemask).toBe('0-1,3');
  });

  it('reads an empty flag list "gfp_mask=0x0()" (the page-fault path) as no flags, not a damaged header', () => {
    const r = one('kworker/3:1 invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0');
    expect(r.mode).toBe('0x0');
    expect(r.order).toBe(0);
    expect(r.flags).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/no Mem-Info/) })]);
  });
});

describe('reports whose lines are not in one run', () => {
  const dump = (free: number): string[] => [
    'Mem-Info:',
    `Node 0 DMA32 free:${free}kB min:44576kB low:55720kB high:66864kB`,
    'lowmem_reserve[]: 0 0 0 0',
    // free / 4 pages, all of order 0.
    `Node 0 DMA32: ${free / 4}*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = ${free}kB`,
    'Free swap  = 0kB',
  ];

  it('takes a stall header back up when another task\'s whole OOM report came between it and its dump', () => {
    const text = [
      'kworker/1:1: page allocation stalls for 10079ms, order:0, mode:0x14001c2(GFP_KERNEL|__GFP_HIGHMEM|__GFP_COLD), nodemask=(null)',
      'kthreadd invoked oom-killer: gfp_mask=0x16040c0(GFP_KERNEL|__GFP_COMP|__GFP_NOTRACK), nodemask=(null),  order=2, oom_score_adj=0',
      'kthreadd cpuset=/ mems_allowed=0',
      ...dump(44544),
      'kworker/1:1 cpuset=/ mems_allowed=0',
      'CPU: 1 PID: 51 Comm: kworker/1:1 Not tainted 4.10.0 #495',
      ...dump(44000),
    ].join('\n');
    const [stall, oom] = reports(text);
    expect(stall?.kind).toBe('stall');
    expect(stall?.line).toBe(1);
    expect(stall?.memsAllowed).toBe('0');
    expect(stall?.pid).toBe(51);
    // 44000 / 4 = 11000 pages: the second dump is the stall's.
    expect(stall?.zones[0]?.free?.free[0]).toBe(11000);
    expect(oom?.kind).toBe('oom');
    expect(oom?.order).toBe(2);
    expect(oom?.zones[0]?.free?.free[0]).toBe(11136);
  });

  it('leaves a header alone when no line of its task comes back, saying its dump is missing', () => {
    const [first, second] = reports(['oom-killer: gfp_mask=0xd0, order=1', 'oom-killer: gfp_mask=0x200d2, order=0', ...dump(400)].join('\n'));
    expect(first?.zones).toEqual([]);
    expect(first?.problems[0]?.message).toMatch(/before the next report on line 2/);
    expect(second?.zones).toHaveLength(1);
  });

  it('calls a dump whose header is not in the excerpt what its stack shows: warn_alloc, or the OOM killer', () => {
    const fail = one(['CPU: 0 UID: 0 PID: 2278 Comm: git Not tainted 6.17.7 #2', '[c00000000ffef980] [c000000000291100] warn_alloc+0x140/0x1d8', ...dump(400)].join('\n'));
    expect(fail.kind).toBe('allocation-failure');
    expect(fail.headerless).toBe(true);
    expect(fail.order).toBeNull();
    const oom = one([' dump_header+0x9f/0x296', ' oom_kill_process+0x219/0x400', ' out_of_memory+0x13d/0x580', ...dump(400)].join('\n'));
    expect(oom.kind).toBe('oom');
    expect(oom.headerless).toBe(true);
    const bare = one(dump(400).join('\n'));
    expect(bare.kind).toBe('meminfo');
    expect(bare.headerless).toBeUndefined();
  });
});

describe('free-area and lowmem_reserve lines as pastes leave them', () => {
  const head = 'a: page allocation failure: order:3, mode:0x6000c0(GFP_KERNEL)';
  const zoneLine = 'Node 0 Normal free:23500kB min:15892kB low:19864kB high:23836kB';

  it('reads the empty migratetype set "()" after a count as no letters, keeping every count', () => {
    const r = one([head, zoneLine, 'lowmem_reserve[]: 0 0 0 0', 'Node 0 Normal: 210*4kB () 105*8kB (U) 2*16kB () = 1712kB'].join('\n'));
    // 210*4 + 105*8 + 2*16 = 840 + 840 + 32 = 1712 kB.
    expect(zone(r, 'Normal').free?.free).toEqual([210, 105, 2]);
    expect(zone(r, 'Normal').types).toEqual(['', 'U', '']);
    expect(zone(r, 'Normal').freeKiB).toBe(1712);
  });

  it('reads a count padded with spaces before its star ("0     *2048kB")', () => {
    const r = one([head, zoneLine, 'Node 0 Normal: 14*1024kB (UME) 0     *2048kB 1*4096kB = 18432kB'].join('\n'));
    // 14*1024 + 0 + 1*4096 = 18432 kB.
    expect(zone(r, 'Normal').free?.free).toEqual([14, 0, 1]);
  });

  it('keeps every count of a line cut right after "=", saying the total is missing', () => {
    const r = one([head, zoneLine, 'Node 0 Normal: 1325*4kB (UME) 966*8kB (UME) 675*16kB (UME) 0*32kB (M) 0*64kB ='].join('\n'));
    expect(zone(r, 'Normal').free?.free).toEqual([1325, 966, 675, 0, 0]);
    expect(zone(r, 'Normal').freeKiB).toBeUndefined();
    // 1325*4 + 966*8 + 675*16 = 5300 + 7728 + 10800 = 23828 kB.
    expect(r.problems.map((p) => p.message)).toContain(
      'the free-area line of Node 0 Normal is cut after its "=": its 5 orders were read; the total is missing (they add up to 23828kB)',
    );
  });

  it('keeps the leading counts of a line cut in the middle apart, as partial', () => {
    const r = one([head, zoneLine, 'Node 0 Normal: 1325*4kB (UME) 966*8kB (UME) 67'].join('\n'));
    expect(zone(r, 'Normal').free).toBeUndefined();
    expect(zone(r, 'Normal').freePartial).toEqual([1325, 966]);
  });

  it('splits a lowmem_reserve[] glued to the end of the zone line, with or without its own time', () => {
    const glued = one([head, `${zoneLine} free_cma:1352kB lowmem_reserve[]: 0 0 0`, 'Node 0 Normal: 1*4kB = 4kB'].join('\n'));
    expect(zone(glued, 'Normal').lowmemReserve).toEqual([0, 0, 0]);
    // 15892 kB / 4 = 3973 pages: the zone's own fields are read before the glued record.
    expect(zone(glued, 'Normal').watermarks?.min).toBe(3973);
    const stamped = one([head, `[ 4738.329603] ${zoneLine} free_cma:0kB        [ 4738.329607] lowmem_reserve[]: 0 0`].join('\n'));
    expect(zone(stamped, 'Normal').lowmemReserve).toEqual([0, 0]);
  });
});

describe('dumps printed by other messages', () => {
  it('gives a nommu mapping failure\'s show_mem its own block, not the report before it', () => {
    const all = reports(
      [
        'host1: page allocation failure: order:19, mode:0x14000c0(GFP_KERNEL), nodemask=(null)',
        'Call Trace:',
        'nommu: Allocation of length 2147483648 from process 52 (host1) failed',
        'Normal free:1576772kB min:5652kB low:7648kB high:9644kB',
        'lowmem_reserve[]: 0 0',
        'Normal: 1*4kB = 4kB',
      ].join('\n'),
    );
    expect(all.map((r) => [r.kind, r.line, r.zones.length])).toEqual([
      ['allocation-failure', 1, 0],
      ['meminfo', 3, 1],
    ]);
  });
});

describe('lines cut by a pager', () => {
  it('reads the fields before a ">" cut and says the line was cut', () => {
    const r = one(
      [
        'a: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC)',
        'Normal free:896kB boost:0kB min:2688kB low:3328kB high:3968kB reserved_highatomic:0KB inactiv>',
        'Normal: 1*64kB (U) 1*128kB (U) 3*256kB (U) 0*512kB 0*1024kB 0*2048kB 0*4096kB 0*8192kB 0*16384kB = 960kB',
      ].join('\n'),
    );
    // 64K pages (the free-area line starts at 64kB): 2688 / 64 = 42, 3328 / 64 = 52, 3968 / 64 = 62.
    expect(zone(r, 'Normal').watermarks).toMatchObject({ min: 42, low: 52, high: 62, freePages: 14 });
    expect(r.problems.map((p) => p.message)).toContain(
      'the line was cut short (it ends in a ">" glued to a cut word, as pagers and log viewers mark a line wider than the screen); only the part before the cut was read',
    );
  });
});

describe('zone and free-area lines with no "Node N" prefix behind console prefixes', () => {
  it('reads them under a serial console logger\'s clock and the printk time', () => {
    const r = one(
      [
        'Sep 15 14:44:55.598500 [ 1613.419000] kworker/0:1: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)',
        'Sep 15 14:44:55.598538 [ 1613.419061] DMA32 free:44684kB min:44696kB low:55868kB high:67040kB',
        'Sep 15 14:44:55.598540 [ 1613.419070] lowmem_reserve[]: 0 0 0 0',
        'Sep 15 14:44:55.598541 [ 1613.419080] DMA32: 1208*4kB 856*8kB 779*16kB = 24144kB',
      ].join('\n'),
    );
    // 1208*4 + 856*8 + 779*16 = 4832 + 6848 + 12464 = 24144 kB; no Node prefix: node 0.
    expect(zone(r, 'DMA32').free?.free).toEqual([1208, 856, 779]);
    expect(zone(r, 'DMA32').lowmemReserve).toEqual([0, 0, 0, 0]);
  });

  it('reads them under Android\'s kmsg level, time and [cpu:  comm:pid] prefix', () => {
    const p = '<4>[ 6207.637637]  [3:  Binder:9343_3:22875] ';
    const r = one(
      [
        `${p}Binder:9343_3: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC), nodemask=(null)`,
        `${p}Normal free:10908kB min:6192kB low:44388kB high:47780kB`,
        `${p}Normal: 27*4kB (H) 2*8kB (H) = 124kB`,
      ].join('\n'),
    );
    // The header's process is the comm before ": page allocation failure", not the prefix's task.
    expect(r.process).toBe('Binder:9343_3');
    // 27*4 + 2*8 = 108 + 16 = 124 kB.
    expect(zone(r, 'Normal').free?.free).toEqual([27, 2]);
    expect(zone(r, 'Normal').types).toEqual(['H', 'H']);
  });
});
