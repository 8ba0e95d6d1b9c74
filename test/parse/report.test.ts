// Allocation-failure and OOM reports: each kernel generation's format, each prefix and each kind of damage.
// Page counts are the printed kB divided by the page size, worked out in the comments.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { parseReports, looksLikeReport } from '../../src/parse/report.js';
import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';
import { decodeGfp, explainGfp } from '../../src/kernel/gfp-decode.js';
import { parseRelease } from '../../src/kernel/release.js';

const DIR = new URL('../../fixtures/reports/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const parse = (name: string) => parseReports(fixture(name), name);
/** 1-based physical line of the first line containing `needle`, found by plain search. */
const lineOf = (text: string, needle: string, from = 0): number => {
  const lines = text.split('\n');
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
};
const zone = (r: FailureReport | undefined, node: number, name: string): ReportZone => {
  const z = r?.zones.find((x) => x.node === node && x.zone === name);
  if (z === undefined) throw new Error(`no zone ${node}/${name}`);
  return z;
};
const only = (name: string): FailureReport => {
  const p = parse(name);
  expect(p.reports.length).toBe(1);
  return p.reports[0] as FailureReport;
};

// The 2012 example (kernel.md section 2): 12560/4 = 3140, 7076/4 = 1769, 8844/4 = 2211, 10612/4 = 2653.
const SEED_COUNTS = [2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0];
function expectSeedDma32(z: ReportZone): void {
  expect(z.node).toBe(0);
  expect(z.zone).toBe('DMA32');
  expect(z.watermarks?.freePages).toBe(3140);
  expect(z.watermarks?.min).toBe(1769);
  expect(z.watermarks?.low).toBe(2211);
  expect(z.watermarks?.high).toBe(2653);
  expect(z.free?.free).toEqual(SEED_COUNTS);
  // 2360*4 + 80*8 + 21*16 + 7*32 + 4*64 + 1*128 + 2*256 + 1*1024 = 9440+640+336+224+256+128+512+1024 = 12560
  expect(z.freeKiB).toBe(12560);
}

describe('the seed 000 worked example (two lines from the 2012 blog)', () => {
  it('gives one meminfo report with the DMA32 zone in pages', () => {
    const r = only('seed-000-excerpt.txt');
    expect(r.kind).toBe('meminfo');
    expect(r.order).toBeNull();
    expect(r.pageSize).toBe(4096);
    expect(r.zones.length).toBe(1);
    expectSeedDma32(r.zones[0] as ReportZone);
    expect(r.zones[0]?.line).toBe(1);
    expect(r.zones[0]?.freeLine).toBe(2);
    expect(r.zones[0]?.types).toBeUndefined();
    expect(r.problems).toEqual([]);
  });
  it('reads the same from CRLF text with no final newline', () => {
    const r = only('seed-000-crlf-no-final-newline.txt');
    expectSeedDma32(r.zones[0] as ReportZone);
    expect(r.problems).toEqual([]);
  });
  it('reads the same under every prefix form', () => {
    const text = fixture('seed-000-excerpt.txt').trimEnd().split('\n');
    const prefixes = [
      '[ 1234.567890] ',
      '[Mon Nov 16 10:12:01 2026] ',
      'Nov 22 03:38:01 host kernel: ',
      'Nov 22 03:38:01 host kernel: [ 1234.567890] ',
      '2026-11-22T03:38:01+0000 host kernel: ',
      '2026-11-22T03:38:01.123456+00:00 host kernel: ',
      '<4>',
      '<4>[ 1234.567890] ',
      '[ 1234.567890][ T123] ',
      '[ 1234.567890][    C1] ',
      '11-22 03:38:01.123     0     0 I         : ',
    ];
    for (const p of prefixes) {
      const parsed = parseReports(text.map((l) => p + l).join('\n'), 'prefixed');
      expect(parsed.reports.length).toBe(1);
      expectSeedDma32(parsed.reports[0]?.zones[0] as ReportZone);
      expect(parsed.reports[0]?.problems).toEqual([]);
    }
  });
});

describe('2.6.32: "." header, Pid: line, zone lines without letters', () => {
  const name = '2.6.32-dot-header-printk-time.txt';
  const r = only(name);
  it('reads the header and decodes the mode with the 2.6.32 values', () => {
    expect(r.kind).toBe('allocation-failure');
    expect(r.line).toBe(1);
    expect(r.time).toBe('1234567.000100');
    expect(r.process).toBe('swapper');
    expect(r.pid).toBe(0);
    expect(r.order).toBe(4);
    expect(r.mode).toBe('0x4020');
    expect(r.modeValue).toBe(0x4020);
    // 0x4020 = __GFP_COMP (0x4000) | __GFP_HIGH (0x20); GFP_ATOMIC is __GFP_HIGH alone in 2.6.32.
    expect(r.flags).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    expect(r.flagsFrom).toBe('decoded');
    expect(r.kernel).toBe('2.6.32-41-server');
    expect(r.pageSize).toBe(4096);
    expect(r.problems).toEqual([]);
  });
  it('reads DMA, DMA32 and Normal', () => {
    expect(r.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    const dma = zone(r, 0, 'DMA');
    // free 16008/4 = 4002, min 20/4 = 5, low 24/4 = 6, high 28/4 = 7, present 15336/4 = 3834
    expect(dma.watermarks).toMatchObject({ freePages: 4002, min: 5, low: 6, high: 7, present: 3834 });
    expect(dma.lowmemReserve).toEqual([0, 2991, 4001, 4001]);
    expect(dma.watermarks?.lowmemReserve).toEqual([0, 2991, 4001, 4001]);
    expect(dma.free?.free).toEqual([2, 2, 1, 3, 2, 1, 1, 0, 1, 1, 3]);
    expectSeedDma32(zone(r, 0, 'DMA32'));
    expect(zone(r, 0, 'DMA32').lowmemReserve).toEqual([0, 0, 1010, 1010]);
    const normal = zone(r, 0, 'Normal');
    // free 3540/4 = 885, min 2356/4 = 589, low 2944/4 = 736, high 3532/4 = 883
    expect(normal.watermarks).toMatchObject({ freePages: 885, min: 589, low: 736, high: 883 });
    expect(normal.free?.free).toEqual([569, 108, 19, 3, 0, 0, 0, 0, 0, 0, 0]);
    expect(normal.types).toBeUndefined();
    const text = fixture(name);
    expect(zone(r, 0, 'DMA32').line).toBe(lineOf(text, 'Node 0 DMA32 free:'));
    expect(zone(r, 0, 'DMA32').freeLine).toBe(lineOf(text, 'Node 0 DMA32: '));
    expect(zone(r, 0, 'DMA32').free?.line).toBe(lineOf(text, 'Node 0 DMA32: '));
    expect(zone(r, 0, 'DMA32').watermarks?.source).toBe(name);
  });
});

describe('3.x: syslog prefix, ":" header, (UEM)/(R) letters', () => {
  const r = only('3.10-syslog-uem-letters.txt');
  it('reads the header, the dump_stack line and the syslog time', () => {
    expect(r.time).toBe('Nov 22 03:38:00');
    expect([r.process, r.pid, r.order, r.mode]).toEqual(['ksoftirqd/1', 14, 2, '0x20']);
    expect(r.kernel).toBe('3.10.0-957.el7.x86_64');
    // 0x20 is __GFP_HIGH, GFP_ATOMIC up to 4.3.
    expect(r.flags).toEqual(['GFP_ATOMIC']);
  });
  it('reads the migratetype letters per order, empty where the count is 0', () => {
    const normal = zone(r, 0, 'Normal');
    expect(normal.free?.free).toEqual([1062, 402, 37, 4, 1, 0, 0, 0, 0, 0, 0]);
    expect(normal.types).toEqual(['UEM', 'UEM', 'UEM', 'UM', 'R', '', '', '', '', '', '']);
    // 1062*4 + 402*8 + 37*16 + 4*32 + 1*64 = 4248+3216+592+128+64 = 8248 kB = 2062 pages; min 54916/4 = 13729
    expect(normal.freeKiB).toBe(8248);
    expect(normal.watermarks).toMatchObject({ freePages: 2062, min: 13729, low: 17161, high: 20593 });
    // managed 2884572/4 = 721143
    expect(zone(r, 0, 'DMA32').watermarks?.managed).toBe(721143);
    expect(zone(r, 0, 'DMA32').watermarks?.freeCma).toBe(0);
    expect(r.problems).toEqual([]);
  });
});

describe('4.15: printed flag names, nodemask, cpuset on the next line, two nodes', () => {
  const r = only('4.15-numa-separate-cpuset-line.txt');
  it('takes the names the kernel printed', () => {
    expect(r.flags).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    expect(r.flagsFrom).toBe('printed');
    // 4.15 values: __GFP_HIGH 0x20 | __GFP_ATOMIC 0x80000 | __GFP_KSWAPD_RECLAIM 0x1000000 | __GFP_COMP 0x4000
    expect(r.modeValue).toBe(0x20 | 0x80000 | 0x1000000 | 0x4000);
    expect(decodeGfp(r.modeValue as number, r.kernel as string)).toEqual(r.flags);
    expect([r.nodemask, r.cpuset, r.memsAllowed]).toEqual(['(null)', '/', '0-1']);
    expect([r.process, r.pid, r.order, r.kernel]).toEqual(['kworker/u16:3', 31337, 3, '4.15.0-108-generic']);
  });
  it('keeps zones of node 1 apart from node 0', () => {
    expect(r.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA', '0/DMA32', '0/Normal', '1/Normal']);
    const n1 = zone(r, 1, 'Normal');
    // 812*4 + 640*8 + 220*16 + 97*32 + 13*64 + 2*128 = 3248+5120+3520+3104+832+256 = 16080 kB = 4020 pages
    expect(n1.freeKiB).toBe(16080);
    expect(n1.watermarks).toMatchObject({ node: 1, zone: 'Normal', freePages: 4020, min: 16500, low: 20625, high: 24750 });
    expect(n1.free?.node).toBe(1);
    expect(n1.lowmemReserve).toEqual([0, 0, 0, 0, 0]);
    expect(zone(r, 0, 'Normal').types?.slice(0, 4)).toEqual(['UME', 'UME', 'UMEH', 'H']);
    expect(r.problems).toEqual([]);
  });
});

describe('5.x: dmesg -T, cpuset on the header line, reserved_highatomic in KB', () => {
  const r = only('5.10-dmesg-T-cpuset-on-header.txt');
  it('reads the header', () => {
    expect(r.time).toBe('Mon Apr 20 15:08:07 2020');
    expect([r.nodemask, r.cpuset, r.memsAllowed]).toEqual(['(null)', '/', '0']);
    expect(r.flags).toEqual(['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO']);
    expect(r.order).toBe(4);
  });
  it('converts reserved_highatomic (capital KB) to pages', () => {
    // 2048 KB / 4 = 512 pages
    expect(zone(r, 0, 'DMA32').watermarks?.reservedHighatomic).toBe(512);
    expect(zone(r, 0, 'Normal').watermarks?.reservedHighatomic).toBe(0);
    expect(zone(r, 0, 'DMA32').watermarks?.boost).toBeUndefined();
    expect(r.problems).toEqual([]);
  });
});

describe('6.18: journalctl short-iso, boost, reserved_highatomic and free_highatomic', () => {
  const r = only('6.18-journalctl-iso-boost-highatomic.txt');
  it('reads the 6.x dump_stack line with UID', () => {
    expect([r.pid, r.kernel, r.time]).toEqual([97, '6.18.2', '2026-11-22T03:38:00+0000']);
    // 6.3+: GFP_ATOMIC = __GFP_HIGH 0x20 | __GFP_KSWAPD_RECLAIM 0x800; __GFP_COMP 0x40000
    expect(r.modeValue).toBe(0x20 | 0x800 | 0x40000);
    expect(r.flags).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
  });
  it('converts the boost and highatomic counters', () => {
    const dma32 = zone(r, 0, 'DMA32');
    // boost 4096/4 = 1024, min 9412/4 = 2353, reserved 8192/4 = 2048, free_highatomic 2048/4 = 512
    expect(dma32.watermarks).toMatchObject({ boost: 1024, min: 2353, low: 2592, high: 2831, reservedHighatomic: 2048, freeHighatomic: 512 });
    // 204*4 + 98*8 + 41*16 + 10*32 + 2*64 = 816+784+656+320+128 = 2704 kB = 676 pages
    expect(dma32.watermarks?.freePages).toBe(676);
    expect(dma32.types).toEqual(['UME', 'UMEH', 'UMH', 'UH', 'H', '', '', '', '', '', '']);
    const normal = zone(r, 0, 'Normal');
    expect(normal.watermarks).toMatchObject({ boost: 0, reservedHighatomic: 1024, freeHighatomic: 256 });
    expect(r.problems).toEqual([]);
  });
});

describe('OOM-killer report', () => {
  const r = only('oom-4.19.txt');
  it('reads gfp_mask, order and oom_score_adj, and the cpuset line', () => {
    expect(r.kind).toBe('oom');
    expect([r.process, r.pid, r.order, r.oomScoreAdj]).toEqual(['stress', 4242, 0, 0]);
    expect([r.mode, r.flags, r.flagsFrom]).toEqual(['0x6200ca', ['GFP_HIGHUSER_MOVABLE'], 'printed']);
    expect([r.cpuset, r.memsAllowed, r.kernel]).toEqual(['/', '0', '4.19.0-6-amd64']);
  });
  it('reads the Mem-Info zones and ignores the task list', () => {
    expect(r.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32']);
    // 342*4 + 113*8 + 41*16 + 8*32 + 3*64 + 1*128 = 1368+904+656+256+192+128 = 3504 kB = 876 pages; min 44700/4 = 11175
    expect(zone(r, 0, 'DMA32').watermarks).toMatchObject({ freePages: 876, min: 11175, low: 13968, high: 16761 });
    expect(r.problems).toEqual([]);
  });
  it('reads an older OOM header with oom_adj, and order=-1 as no order', () => {
    const old = parseReports('java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=-17\nNode 0 Normal free:4kB min:4kB low:4kB high:4kB\nNode 0 Normal: 1*4kB = 4kB', 'old');
    expect(old.reports[0]).toMatchObject({ kind: 'oom', order: 0, oomScoreAdj: -17, mode: '0x201da', flagsFrom: 'decoded' });
    const sysrq = parseReports('bash invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0', 'sysrq');
    expect(sysrq.reports[0]?.order).toBeNull();
  });
  it('says why a memory cgroup OOM has no zone lines', () => {
    const p = parseReports('x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\nmemory: usage 1048576kB, limit 1048576kB, failcnt 12', 'memcg');
    expect(p.reports[0]?.problems.length).toBe(1);
    expect(p.reports[0]?.problems[0]?.line).toBe(1);
    expect(p.reports[0]?.problems[0]?.message).toContain('memory cgroup');
  });
});

describe('non-NUMA kernels (no "Node N " before zone names)', () => {
  it('reads Normal and HighMem of a 32-bit Android kernel as node 0', () => {
    const r = only('android-arm32-non-numa-kmsg.txt');
    expect(r.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/Normal', '0/HighMem']);
    expect([r.process, r.pid, r.kernel, r.time]).toEqual(['binder', 2345, '3.10.73-g1234567', '123.456789']);
    // 0xd0 = __GFP_WAIT 0x10 | __GFP_IO 0x40 | __GFP_FS 0x80 = GFP_KERNEL
    expect(r.flags).toEqual(['GFP_KERNEL']);
    const high = zone(r, 0, 'HighMem');
    // 240*4 + 36*8 + 4*16 = 960+288+64 = 1312 kB = 328 pages; min 512/4 = 128
    expect(high.watermarks).toMatchObject({ freePages: 328, min: 128, low: 295, high: 462 });
    expect(zone(r, 0, 'Normal').types?.slice(0, 5)).toEqual(['UEMC', 'UEMC', 'UMC', 'C', 'R']);
    expect(r.problems).toEqual([]);
  });
  it('reads the same zone from the logcat kernel buffer', () => {
    const r = only('android-logcat-kernel-buffer.txt');
    expect([r.process, r.pid, r.order, r.time]).toEqual(['binder', 2345, 3, '11-22 03:38:01.101']);
    const normal = zone(r, 0, 'Normal');
    // 1520*4 + 303*8 + 12*16 + 2*32 + 1*64 = 6080+2424+192+64+64 = 8824 kB = 2206 pages; min 2848/4 = 712
    expect(normal.watermarks).toMatchObject({ freePages: 2206, min: 712, low: 890, high: 1068 });
    expect(normal.free?.free).toEqual([1520, 303, 12, 2, 1, 0, 0, 0, 0, 0, 0]);
    expect(normal.lowmemReserve).toEqual([0, 1512, 1512]);
    expect(r.problems).toEqual([]);
  });
});

describe('a report whose only high-order blocks are CMA', () => {
  const r = only('4.9-cma-only-high-orders.txt');
  it('keeps the (C) letters of every order from the request up', () => {
    expect(r.order).toBe(2);
    const normal = zone(r, 0, 'Normal');
    const counts = normal.free?.free ?? [];
    const types = normal.types ?? [];
    expect(counts).toEqual([1302, 411, 0, 3, 2, 1, 0, 0, 1, 2, 1]);
    for (let o = 2; o < counts.length; o++) {
      if ((counts[o] ?? 0) > 0) expect(types[o]).toBe('C');
      else expect(types[o]).toBe('');
    }
    // free_cma 9568/4 = 2392 pages
    expect(normal.watermarks?.freeCma).toBe(2392);
    expect(r.flags).toEqual(['GFP_ATOMIC']);
    expect(r.problems).toEqual([]);
  });
});

describe('damage', () => {
  it('mail hard-wrapping at 72 columns, also inside tokens', () => {
    const name = 'mail-wrapped-4.4.txt';
    const text = fixture(name);
    const r = only(name);
    expect(r.problems).toEqual([]);
    expect(r.line).toBe(lineOf(text, 'page allocation failure'));
    expect(r.kernel).toBe('4.4.0-21-generic');
    // 4.4: 0x2080020 = __GFP_HIGH 0x20 | __GFP_ATOMIC 0x80000 | __GFP_KSWAPD_RECLAIM 0x2000000
    expect(r.flags).toEqual(['GFP_ATOMIC']);
    expectSeedDma32(zone(r, 0, 'DMA32'));
    const normal = zone(r, 0, 'Normal');
    // free 25712/4 = 6428, min 11908/4 = 2977, low 14884/4 = 3721, high 17860/4 = 4465 (the line was cut inside "high:1|7860kB")
    expect(normal.watermarks).toMatchObject({ freePages: 6428, min: 2977, low: 3721, high: 4465 });
    expect(normal.free?.free).toEqual([4012, 1022, 87, 3, 0, 0, 0, 0, 0, 0, 0]);
    expect(normal.line).toBe(lineOf(text, 'Node 0 Normal free:'));
  });
  it('rsyslog #012 and literal \\x0a: several kernel lines in one physical line', () => {
    const text = fixture('rsyslog-012-escapes.txt');
    const r = only('rsyslog-012-escapes.txt');
    expect(r.problems).toEqual([]);
    expect([r.pid, r.kernel]).toEqual([3001, '3.2.0-4-amd64']);
    const dma32 = zone(r, 0, 'DMA32');
    const normal = zone(r, 0, 'Normal');
    // Both zone lines sit in one syslog line, both free-area lines in the next.
    expect([dma32.line, normal.line]).toEqual([lineOf(text, 'DMA32 free:'), lineOf(text, 'DMA32 free:')]);
    expect([dma32.freeLine, normal.freeLine]).toEqual([lineOf(text, 'Node 0 DMA32: '), lineOf(text, 'Node 0 DMA32: ')]);
    // 8224/4 = 2056, min 5000/4 = 1250, low 6248/4 = 1562, high 7500/4 = 1875
    expect(dma32.watermarks).toMatchObject({ freePages: 2056, min: 1250, low: 1562, high: 1875 });
    expect(dma32.lowmemReserve).toEqual([0, 0, 1004, 1004]);
    // 1500*4 + 200*8 + 10*16 = 6000+1600+160 = 7760
    expect(normal.freeKiB).toBe(7760);
    const x0a = only('literal-x0a-escapes.txt');
    expect(x0a.zones.map(({ free, watermarks, ...rest }) => ({ ...rest, free: free?.free, wm: { ...watermarks, source: '' } }))).toEqual(
      r.zones.map(({ free, watermarks, ...rest }) => ({ ...rest, free: free?.free, wm: { ...watermarks, source: '' } })),
    );
  });
  it('no-break spaces pasted from a web page', () => {
    const r = only('nbsp-pasted.txt');
    expectSeedDma32(zone(r, 0, 'DMA32'));
    expect(zone(r, 0, 'DMA32').lowmemReserve).toEqual([0, 0, 1010, 1010]);
    expect(r.problems).toEqual([]);
  });
  it('lines journalctl cut: each is a problem, what is left is used', () => {
    const name = 'journalctl-truncated-lines.txt';
    const text = fixture(name);
    const r = only(name);
    const cutLines = text.split('\n').flatMap((l, i) => (l.endsWith('…') ? [i + 1] : []));
    expect(cutLines.length).toBe(4);
    for (const n of cutLines) {
      expect(r.problems.some((p) => p.line === n && p.message.includes('cut short'))).toBe(true);
    }
    // DMA's zone line lost its tail, but free/min/low/high come first: 15896/4 = 3974, 32/4 = 8, 40/4 = 10, 48/4 = 12
    expect(zone(r, 0, 'DMA').watermarks).toMatchObject({ freePages: 3974, min: 8, low: 10, high: 12 });
    // DMA32 was cut inside low: ("low:88"): no watermarks, and a problem names low
    const dma32 = zone(r, 0, 'DMA32');
    expect(dma32.watermarks).toBeUndefined();
    expect(r.problems.some((p) => p.line === dma32.line && p.message.includes('low:'))).toBe(true);
    // Normal's free-area line was cut after order 4: five counts read, no complete counts
    const normal = zone(r, 0, 'Normal');
    expect(normal.free).toBeUndefined();
    expect(normal.freePartial).toEqual([3021, 1500, 301, 2, 0]);
    expect(normal.watermarks).toMatchObject({ min: 16150 });
  });
  it('a free-area line cut inside a token, with no ellipsis', () => {
    const name = 'truncated-free-area-line.txt';
    const r = only(name);
    const normal = zone(r, 0, 'Normal');
    expect(normal.free).toBeUndefined();
    expect(normal.freePartial).toEqual([512, 128]);
    expect(r.problems.length).toBe(1);
    expect(r.problems[0]?.line).toBe(lineOf(fixture(name), 'Node 0 Normal: '));
    expect(r.problems[0]?.message).toContain('"= N kB" total');
    expectSeedDma32(zone(r, 0, 'DMA32'));
  });
  it('syslog storing each KERN_CONT piece as its own record', () => {
    const r = only('syslog-kern-cont-split.txt');
    const dma32 = zone(r, 0, 'DMA32');
    // 250428/4 = 62607, 1924/4 = 481, 3800/4 = 950, 5676/4 = 1419, managed 1886944/4 = 471736
    expect(dma32.watermarks).toMatchObject({ freePages: 62607, min: 481, low: 950, high: 1419, managed: 471736 });
    expect(dma32.lowmemReserve).toEqual([0, 0, 62446, 62446, 62446]);
    expect(dma32.free?.free).toEqual([100, 50, 0, 0, 0, 0, 0, 0, 2, 0, 60]);
    // 100*4 + 50*8 + 2*1024 + 60*4096 = 400+400+2048+245760 = 248608
    expect(dma32.freeKiB).toBe(248608);
    expect(r.problems).toEqual([]);
  });
});

describe('several reports among unrelated lines', () => {
  const name = 'multi-report-4.4-then-3.2.txt';
  const text = fixture(name);
  const p = parse(name);
  it('finds each report with its own header line, kind and kernel', () => {
    expect(p.reports.map((r) => r.kind)).toEqual(['allocation-failure', 'oom', 'meminfo', 'oom']);
    expect(p.reports.map((r) => r.line)).toEqual([
      lineOf(text, 'page allocation failure'),
      lineOf(text, 'mysqld invoked oom-killer'),
      lineOf(text, 'Mem-Info:', lineOf(text, 'SysRq : Show Memory')),
      lineOf(text, 'java invoked oom-killer'),
    ]);
    expect(p.reports.map((r) => r.kernel)).toEqual(['4.4.0-21-generic', '4.4.0-21-generic', '4.4.0-21-generic', '3.2.0-4-amd64']);
    expect(p.kernel).toEqual({ version: '3.2.0-4-amd64', line: lineOf(text, 'Pid: 2222') });
    for (let i = 1; i < p.reports.length; i++) {
      expect(p.reports[i - 1]?.endLine).toBeLessThan(p.reports[i]?.line ?? 0);
    }
    expect(p.reports.every((r) => r.problems.length === 0)).toBe(true);
    expect(p.problems).toEqual([]);
  });
  it('decodes each mode with its own kernel', () => {
    // 4.4: GFP_HIGHUSER_MOVABLE 0x24200ca (0x400000|0x2000000|0x40|0x80|0x20000|0x2|0x8) + __GFP_COLD 0x100
    expect(p.reports[1]?.flags).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
    // 3.2: GFP_HIGHUSER_MOVABLE 0x200da (0x10|0x40|0x80|0x20000|0x2|0x8) + __GFP_COLD 0x100
    expect(p.reports[3]?.flags).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
    expect([p.reports[3]?.pid, p.reports[3]?.oomScoreAdj]).toEqual([2222, 0]);
  });
  it('reads the SysRq-m dump as meminfo with no order', () => {
    const m = p.reports[2];
    expect(m?.order).toBeNull();
    expect(m?.process).toBeUndefined();
    // 3000*4 + 1000*8 + 400*16 + 100*32 + 20*64 + 5*128 + 1*256 + 1*2048 + 2*4096
    //   = 12000+8000+6400+3200+1280+640+256+2048+8192 = 42016
    expect(zone(m, 0, 'DMA32').freeKiB).toBe(42016);
  });
});

describe('bad input gives problems, not exceptions', () => {
  it('a header with no Mem-Info before the next header or the end', () => {
    const name = 'header-without-meminfo.txt';
    const text = fixture(name);
    const p = parse(name);
    expect(p.reports.length).toBe(3);
    const second = lineOf(text, 'order:2');
    expect(p.reports[0]?.problems).toEqual([
      { line: 1, message: expect.stringContaining(`next report on line ${second}`) as unknown as string },
    ]);
    expect(p.reports[0]?.zones).toEqual([]);
    expect(p.reports[1]?.problems).toEqual([]);
    expect(p.reports[2]?.problems[0]?.line).toBe(lineOf(text, 'order:1'));
    expect(p.reports[2]?.problems[0]?.message).toContain('end of the input');
  });
  it('a free-area total that disagrees with its items', () => {
    // 1*4 + 1*8 = 12, printed 16
    const p = parseReports('Node 0 DMA32: 1*4kB 1*8kB = 16kB', 'sum');
    expect(p.reports[0]?.problems.length).toBe(1);
    expect(p.reports[0]?.problems[0]).toEqual({ line: 1, message: expect.stringMatching(/12kB.*16kB/) as unknown as string });
    expect(p.reports[0]?.zones[0]?.free?.free).toEqual([1, 1]);
  });
  it('block sizes that do not double, stray text and unknown letters', () => {
    const sizes = parseReports('Node 0 DMA32: 1*4kB 1*16kB = 20kB', 'sizes');
    expect(sizes.reports[0]?.problems[0]?.message).toContain('order 1');
    // 16kB where 2*4 = 8kB was due: neither the counts nor the 4 kB page size are taken from the line.
    expect(sizes.reports[0]?.problems[0]?.line).toBe(1);
    expect(sizes.reports[0]?.zones[0]?.free).toBeUndefined();
    expect(sizes.reports[0]?.pageSize).toBeUndefined();
    const stray = parseReports('Node 0 DMA32: 1*4kB Node 0 Normal = 4kB', 'stray');
    expect(stray.reports[0]?.zones[0]?.freePartial).toEqual([1]);
    expect(stray.reports[0]?.problems[0]?.message).toContain('"Node"');
    const letters = parseReports('Node 0 DMA32: 1*4kB (UX) = 4kB', 'letters');
    expect(letters.reports[0]?.problems[0]?.message).toContain('"UX"');
  });
  it('text after the total keeps the counts; an unpopulated zone printed as "empty" has none', () => {
    const after = parseReports('Node 0 DMA32: 1*4kB 1*8kB = 12kB usb 1-1: reset', 'after');
    expect(after.reports[0]?.zones[0]?.free?.free).toEqual([1, 1]);
    expect(after.reports[0]?.problems[0]?.message).toContain('"usb 1-1: reset"');
    const empty = parseReports('HighMem: empty', 'empty');
    expect(empty.reports[0]?.zones[0]?.free).toBeUndefined();
    expect(empty.reports[0]?.zones[0]?.freePartial).toBeUndefined();
  });
  it('a zone line with no free-area line, so no page size: 4 kB pages are assumed and said', () => {
    const p = parseReports('Mem-Info:\nNode 0 Normal free:4000kB min:2000kB low:2500kB high:3000kB', 'nofree');
    const r = p.reports[0];
    expect(r?.pageSize).toBeUndefined();
    expect(r?.zones[0]?.watermarks).toMatchObject({ freePages: 1000, min: 500, low: 625, high: 750 });
    expect(r?.problems.map((x) => x.message).join(' ')).toMatch(/assuming 4 kB pages/);
  });
  it('64 kB pages: the page size comes from the free-area line', () => {
    const p = parseReports('Node 0 DMA free:896kB min:256kB low:320kB high:384kB\nNode 0 DMA: 10*64kB 2*128kB = 896kB', '64k');
    const r = p.reports[0];
    expect(r?.pageSize).toBe(65536);
    // 896/64 = 14, 256/64 = 4, 320/64 = 5, 384/64 = 6
    expect(r?.zones[0]?.watermarks).toMatchObject({ freePages: 14, min: 4, low: 5, high: 6 });
    expect(r?.problems).toEqual([]);
  });
  it('a kB value that is not a whole number of pages, and a zone line without min/low/high', () => {
    const odd = parseReports('Node 0 DMA free:14kB min:4kB low:4kB high:8kB\nNode 0 DMA: 1*4kB = 4kB', 'odd');
    expect(odd.reports[0]?.zones[0]?.watermarks?.freePages).toBe(3);
    expect(odd.reports[0]?.problems[0]?.message).toContain('free:14kB');
    const short = parseReports('Node 0 DMA free:16kB min:4kB\nNode 0 DMA: 1*4kB = 4kB', 'short');
    expect(short.reports[0]?.zones[0]?.watermarks).toBeUndefined();
    expect(short.reports[0]?.problems[0]?.message).toContain('low:, high:');
  });
  it('a lowmem_reserve[] line with no zone line is a problem of the log', () => {
    const p = parseReports('lowmem_reserve[]: 0 0 0', 'orphan');
    expect(p.reports).toEqual([]);
    expect(p.problems).toEqual([{ line: 1, message: expect.stringContaining('lowmem_reserve') as unknown as string }]);
  });
  it('a GFP mode where journalctl cut the header, and flag names cut short', () => {
    const cut = parseReports('Nov 22 03:38:01 h kernel: kworker/0:1: page allocation failure: order:4, mode:0x20…', 'cut');
    expect(cut.reports[0]?.mode).toBeUndefined();
    expect(cut.reports[0]?.problems.some((x) => x.message.includes('0x20'))).toBe(true);
    const names = parseReports(
      'x: page allocation failure: order:3, mode:0x1084020(GFP_ATOMIC|__GF\nCPU: 5 PID: 1 Comm: x Not tainted 4.15.0-108-generic #109',
      'names',
    );
    expect(names.reports[0]?.flagsFrom).toBe('decoded');
    expect(names.reports[0]?.flags).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    expect(names.reports[0]?.problems.some((x) => x.message.includes('flag names'))).toBe(true);
  });
  it('never throws, and every problem points at a line of the input', () => {
    const names = readdirSync(DIR).filter((n) => n.endsWith('.txt'));
    const texts = names.map(fixture);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })), { maxLength: 6 }),
        (which, edits) => {
          let text = texts[which] as string;
          for (const [at, len, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + (len % 40));
          }
          const p = parseReports(text, 'fuzz');
          const physical = text.split('\n').length;
          for (const prob of [...p.problems, ...p.reports.flatMap((r) => r.problems)]) {
            expect(prob.line).toBeGreaterThanOrEqual(1);
            expect(prob.line).toBeLessThanOrEqual(physical);
          }
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void parseReports(s, 'random')), { numRuns: 300 });
  });
  it('never throws on numbers no kernel prints, and hands on only values the later stages can use', () => {
    const names = readdirSync(DIR).filter((n) => n.endsWith('.txt'));
    const texts = names.map(fixture);
    // Spliced into the fixtures: values of the four kinds a reviewer found slipping through.
    const hostile = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.bigInt({ min: 2n ** 32n, max: 2n ** 80n }).map((v) => ` mode:0x${v.toString(16)} `),
      fc.bigInt({ min: 2n ** 32n, max: 2n ** 80n }).map((v) => `gfp_mask=0x${v.toString(16)}`),
      fc.nat(40).map((n) => `\nLinux version 2.4.${n} (gcc)\n`),
      fc.nat(40).map((n) => ` Not tainted 2.4.${n} #1`),
      fc.constantFrom('*0kB ', '*3kB ', '1*0kB ', '1*3kB ', '1*6kB ', 'Node 100000000000000000000 ', '2*1kB '),
      bigDigits.map((d) => `${d}*4kB `),
      bigDigits,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), hostile), { maxLength: 6 }),
        (which, edits) => {
          let text = texts[which] as string;
          for (const [at, len, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + (len % 40));
          }
          expectUsable(parseReports(text, 'fuzz'), text);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(reportText, (text) => expectUsable(parseReports(text, 'generated'), text)),
      { numRuns: 400 },
    );
  });
});

describe('numbers no kernel prints: a problem with the line, the value left out', () => {
  const messages = (p: ReturnType<typeof parseReports>): string =>
    [...p.problems, ...p.reports.flatMap((r) => r.problems)].map((x) => x.message).join(' | ');
  it('a 0kB first column gives no page size and no counts; the zone line is read with 4 kB pages', () => {
    const p = parseReports('Node 0 Normal free:4000kB min:2000kB low:2500kB high:3000kB\nNode 0 Normal: 1*0kB 1*0kB = 0kB', 'zero');
    const r = p.reports[0];
    expect(r?.pageSize).toBeUndefined();
    const normal = zone(r, 0, 'Normal');
    expect([normal.free, normal.freePartial, normal.freeKiB]).toEqual([undefined, undefined, undefined]);
    // 4000/4 = 1000, 2000/4 = 500, 2500/4 = 625, 3000/4 = 750
    expect(normal.watermarks).toMatchObject({ freePages: 1000, min: 500, low: 625, high: 750 });
    expect(r?.problems.some((x) => x.line === 2 && x.message.includes('0kB'))).toBe(true);
    expect(r?.problems.some((x) => x.line === 1 && x.message.includes('assuming 4 kB pages'))).toBe(true);
    expect(messages(p)).not.toMatch(/Infinity|NaN/);
  });
  it('a 3kB first column is no page size', () => {
    const r = parseReports('Node 0 Normal: 1*3kB 1*6kB = 9kB', 'three').reports[0];
    expect(r?.pageSize).toBeUndefined();
    expect(r?.zones[0]?.free).toBeUndefined();
    expect(r?.problems.length).toBe(1);
    expect(r?.problems[0]?.line).toBe(1);
    expect(r?.problems[0]?.message).toContain('3kB');
  });
  it('1 kB and 256 kB pages are powers of two and are read', () => {
    // 2*1 + 1*2 = 4
    const one = parseReports('Node 0 Normal: 2*1kB 1*2kB = 4kB', 'one').reports[0];
    expect([one?.pageSize, one?.zones[0]?.free?.free, one?.problems]).toEqual([1024, [2, 1], []]);
    // 3*256 + 1*512 = 768 + 512 = 1280; 256 * 1024 = 262144 bytes
    const big = parseReports('Node 0 Normal: 3*256kB 1*512kB = 1280kB', '256k').reports[0];
    expect([big?.pageSize, big?.zones[0]?.free?.free, big?.problems]).toEqual([262144, [3, 1], []]);
  });
  it('the page size comes from the first sound line; the rest of the report is kept', () => {
    // 1*16 + 2*32 = 80
    const r = parseReports('Node 0 DMA: 1*0kB = 0kB\nNode 0 Normal: 1*16kB 2*32kB = 80kB', 'first-bad').reports[0];
    expect(r?.pageSize).toBe(16384);
    expect(zone(r, 0, 'DMA').free).toBeUndefined();
    expect(zone(r, 0, 'Normal').free?.free).toEqual([1, 2]);
    expect(r?.problems.map((x) => x.line)).toEqual([1]);
  });
  it('a zone whose first column differs from the other zones\' is left out', () => {
    const r = parseReports('Node 0 DMA: 1*4kB 1*8kB = 12kB\nNode 0 Normal: 1*16kB 1*32kB = 48kB', 'mixed').reports[0];
    expect(r?.pageSize).toBe(4096);
    expect(zone(r, 0, 'DMA').free?.free).toEqual([1, 1]);
    expect(zone(r, 0, 'Normal').free).toBeUndefined();
    expect(r?.problems.length).toBe(1);
    expect(r?.problems[0]?.line).toBe(2);
    expect(r?.problems[0]?.message).toMatch(/16kB.*line 1.*4kB/);
  });
  it('a zone with fewer orders than the others is left out, not read as a kernel without order 2', () => {
    const text = [
      'Node 0 DMA free:12kB min:4kB low:4kB high:8kB',
      'Node 0 Normal free:28kB min:4kB low:8kB high:12kB',
      // 1*4 + 1*8 = 12
      'Node 0 DMA: 1*4kB 1*8kB = 12kB',
      // 1*4 + 1*8 + 1*16 = 28
      'Node 0 Normal: 1*4kB 1*8kB 1*16kB = 28kB',
    ].join('\n');
    const r = parseReports(text, 'orders').reports[0];
    const dma = zone(r, 0, 'DMA');
    expect([dma.free, dma.freePartial, dma.freeKiB]).toEqual([undefined, undefined, undefined]);
    // Its zone line is still read: 4/4 = 1, 8/4 = 2.
    expect(dma.watermarks).toMatchObject({ min: 1, low: 1, high: 2 });
    expect(zone(r, 0, 'Normal').free?.free).toEqual([1, 1, 1]);
    expect(r?.problems.length).toBe(1);
    expect(r?.problems[0]?.line).toBe(3);
    expect(r?.problems[0]?.message).toMatch(/2 orders.*Normal \(line 4\) has 3/);
  });
  it('the number of orders most zones have wins', () => {
    const text = [
      'Node 0 DMA: 1*4kB 0*8kB 0*16kB = 4kB',
      'Node 0 DMA32: 0*4kB 1*8kB 0*16kB = 8kB',
      // 16 + 32 = 48
      'Node 0 Normal: 0*4kB 0*8kB 1*16kB 1*32kB = 48kB',
    ].join('\n');
    const r = parseReports(text, 'majority').reports[0];
    expect(zone(r, 0, 'DMA').free?.free).toEqual([1, 0, 0]);
    expect(zone(r, 0, 'DMA32').free?.free).toEqual([0, 1, 0]);
    expect(zone(r, 0, 'Normal').free).toBeUndefined();
    expect(r?.problems.map((x) => x.line)).toEqual([3]);
  });
  it('a cut line may hold fewer orders than the others, never more', () => {
    const fewer = parseReports('Node 0 DMA: 1*4kB 1*8kB 1*16kB = 28kB\nNode 0 Normal: 5*4kB 1*8', 'fewer').reports[0];
    expect(zone(fewer, 0, 'Normal').freePartial).toEqual([5]);
    expect(fewer?.problems.length).toBe(1);
    expect(fewer?.problems[0]?.message).toContain('"= N kB" total');
    const more = parseReports('Node 0 DMA: 1*4kB 1*8kB = 12kB\nNode 0 Normal: 1*4kB 1*8kB 1*16kB 1*3', 'more').reports[0];
    expect(zone(more, 0, 'Normal').freePartial).toBeUndefined();
    expect(more?.problems.map((x) => x.line)).toEqual([2]);
    expect(more?.problems[0]?.message).toContain('3 orders');
  });
  it('node numbers of 2^53 and more: the line is skipped, 2^53 - 1 is still read', () => {
    const huge = parseReports('Node 100000000000000000000 Normal: 1*4kB = 4kB', 'node');
    expect(huge.reports).toEqual([]);
    expect(huge.problems.length).toBe(1);
    expect(huge.problems[0]?.line).toBe(1);
    expect(huge.problems[0]?.message).toContain('100000000000000000000');
    // 2^53 = 9007199254740992
    expect(parseReports('Node 9007199254740992 Normal: 1*4kB = 4kB', 'node').reports).toEqual([]);
    expect(parseReports('Node 9007199254740991 Normal: 1*4kB = 4kB', 'node').reports[0]?.zones[0]?.node).toBe(9007199254740991);
    const text = [
      'Mem-Info:',
      'Node 0 DMA free:4kB min:4kB low:4kB high:4kB',
      'lowmem_reserve[]: 0 0',
      'Node 100000000000000000000 Normal free:4kB min:4kB low:4kB high:4kB',
      'lowmem_reserve[]: 0 0',
      'Node 0 DMA: 1*4kB = 4kB',
    ].join('\n');
    const r = parseReports(text, 'inside');
    expect(r.reports.length).toBe(1);
    expect(r.reports[0]?.zones.map((z) => z.zone)).toEqual(['DMA']);
    expect(zone(r.reports[0], 0, 'DMA').lowmemReserve).toEqual([0, 0]);
    expect(r.reports[0]?.problems.map((x) => x.line)).toEqual([4, 5]);
  });
  it('counts and totals of 2^53 and more: the line\'s counts are not used', () => {
    // 2^53 + 1 = 9007199254740993, which a double rounds to 2^53
    const count = parseReports('Node 0 Normal: 9007199254740993*4kB 1*8kB = 8kB', 'count').reports[0];
    expect(count?.zones[0]?.free).toBeUndefined();
    expect(count?.pageSize).toBeUndefined();
    expect(count?.problems.length).toBe(1);
    expect(count?.problems[0]?.message).toContain('9007199254740993');
    const total = parseReports('Node 0 Normal: 1*4kB = 9007199254740992kB', 'total').reports[0];
    expect(total?.zones[0]?.free).toBeUndefined();
    expect(total?.problems[0]?.message).toContain('9007199254740992');
  });
  it('zone line fields, lowmem_reserve[], order, PID and oom_score_adj of 2^53 and more are left out', () => {
    const free = parseReports('Node 0 Normal free:36028797018963968kB min:8kB low:12kB high:16kB\nNode 0 Normal: 1*4kB = 4kB', 'f');
    const fz = free.reports[0]?.zones[0];
    // 8/4 = 2, 12/4 = 3, 16/4 = 4; free: left out
    expect(fz?.watermarks).toMatchObject({ min: 2, low: 3, high: 4 });
    expect(fz?.watermarks?.freePages).toBeUndefined();
    expect(free.reports[0]?.problems.map((x) => [x.line, x.message.includes('free:')])).toEqual([[1, true]]);
    const min = parseReports('Node 0 Normal free:8kB min:36028797018963968kB low:12kB high:16kB\nNode 0 Normal: 1*4kB = 4kB', 'm');
    expect(min.reports[0]?.zones[0]?.watermarks).toBeUndefined();
    expect(min.reports[0]?.problems.length).toBe(1);
    expect(min.reports[0]?.problems[0]?.message).toMatch(/min:.*watermarks are unknown/);
    const lowmem = parseReports(
      'Node 0 Normal free:4kB min:4kB low:4kB high:4kB\nlowmem_reserve[]: 0 100000000000000000000\nNode 0 Normal: 1*4kB = 4kB',
      'l',
    );
    expect(lowmem.reports[0]?.zones[0]?.lowmemReserve).toBeUndefined();
    expect(lowmem.reports[0]?.zones[0]?.watermarks?.lowmemReserve).toBeUndefined();
    expect(lowmem.reports[0]?.problems.map((x) => x.line)).toEqual([2]);
    const order = parseReports('x: page allocation failure: order:100000000000000000000, mode:0x20', 'o').reports[0];
    expect(order?.order).toBeNull();
    expect(order?.problems.some((x) => x.line === 1 && x.message.includes('100000000000000000000'))).toBe(true);
    const oom = parseReports(
      'x invoked oom-killer: gfp_mask=0xd0, order=-100000000000000000000, oom_score_adj=100000000000000000000\nPid: 100000000000000000000, comm: x Not tainted 3.2.0 #1',
      'oom',
    ).reports[0];
    expect([oom?.order, oom?.oomScoreAdj, oom?.pid]).toEqual([null, undefined, undefined]);
    expect(oom?.kernel).toBe('3.2.0');
    expect(oom?.problems.filter((x) => x.message.includes('100000000000000000000')).map((x) => x.line)).toEqual([1, 1, 2]);
  });
  it('a GFP mode wider than 32 bits is a problem, not an exception, and is not decoded', () => {
    const p = parseReports('x: page allocation failure: order:0, mode:0x1ffffffff', 'wide');
    const r = p.reports[0];
    expect([r?.mode, r?.modeValue, r?.flags, r?.flagsFrom]).toEqual([undefined, undefined, undefined, undefined]);
    expect(r?.problems.some((x) => x.line === 1 && x.message.includes('0x1ffffffff'))).toBe(true);
    // The kernel's own names are still what it printed.
    const named = parseReports('x: page allocation failure: order:0, mode:0x1ffffffff(GFP_KERNEL)', 'named').reports[0];
    expect([named?.modeValue, named?.flags, named?.flagsFrom]).toEqual([undefined, ['GFP_KERNEL'], 'printed']);
    const oom = parseReports('x invoked oom-killer: gfp_mask=0x100000000000000000000, order=0, oom_score_adj=0', 'oom').reports[0];
    expect(oom?.modeValue).toBeUndefined();
    expect(oom?.order).toBe(0);
    // 0xffffffff is the widest a gfp_t holds, and is read.
    expect(parseReports('x: page allocation failure: order:0, mode:0xffffffff', 'max').reports[0]?.modeValue).toBe(4294967295);
  });
  it('a 2.4 release is a problem with its line and is not used, nor an earlier boot\'s', () => {
    const p = parseReports('Linux version 3.10.0 (gcc)\nLinux version 2.4.37 (gcc)\nx: page allocation failure: order:0, mode:0x20', '24');
    expect(p.kernel).toBeUndefined();
    expect(p.problems.length).toBe(1);
    expect(p.problems[0]?.line).toBe(2);
    expect(p.problems[0]?.message).toContain('2.4.37');
    const r = p.reports[0];
    expect(r?.kernel).toBeUndefined();
    // Decoded with the 2.6.32-4.4 values: 0x20 is __GFP_HIGH, GFP_ATOMIC there.
    expect(r?.flags).toEqual(['GFP_ATOMIC']);
    for (const stack of ['CPU: 0 PID: 7 Comm: x Not tainted 2.4.37 #1', 'Pid: 7, comm: x Not tainted 2.4.37 #1']) {
      const q = parseReports(`x: page allocation failure: order:0, mode:0x20\n${stack}`, 'stack');
      expect([q.kernel, q.reports[0]?.kernel, q.reports[0]?.pid]).toEqual([undefined, undefined, 7]);
      expect(q.reports[0]?.problems.some((x) => x.line === 2 && x.message.includes('2.4.37'))).toBe(true);
    }
    // 2.6.0 is the oldest the replay takes (as 2.6.32).
    expect(parseReports('Linux version 2.6.0 (gcc)', '260').kernel).toEqual({ version: '2.6.0', line: 1 });
  });
});

/** A decimal of 2^53 or more, which a double cannot hold exactly. */
const bigDigits = fc.bigInt({ min: 2n ** 53n, max: 10n ** 22n }).map(String);
/** Mostly plain numbers up to max, sometimes one of 2^53 or more. */
const num = (max: number): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: fc.nat(max).map(String) }, { weight: 1, arbitrary: bigDigits });
const release = fc
  .tuple(fc.constantFrom(2, 3, 4, 5, 6), fc.nat(40), fc.nat(300))
  .map(([a, b, c]) => `${a}.${b}.${c}`);
const gfpHex = fc.oneof(
  fc.nat(0xffffffff).map((n) => n.toString(16)),
  fc.bigInt({ min: 2n ** 32n, max: 2n ** 80n }).map((n) => n.toString(16)),
);
const nodePrefix = fc.oneof(fc.constant(''), num(3).map((n) => `Node ${n} `));
const zoneName = fc.constantFrom('DMA', 'DMA32', 'Normal', 'HighMem', 'Movable');
/** First columns: mostly page sizes, sometimes 0kB, 3kB, 6kB, 12kB or one of 2^53 and more. */
const firstKiB = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(1n, 4n, 16n, 64n, 256n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 3n, 6n, 12n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }) },
);
const count = fc.oneof(
  { weight: 30, arbitrary: fc.bigInt({ min: 0n, max: 5000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }) },
);
const headerLine = fc.oneof(
  fc
    .tuple(num(11), gfpHex, fc.constantFrom('', '(GFP_KERNEL)', '(GFP_ATOMIC|__GF'))
    .map(([order, hex, names]) => `x: page allocation failure: order:${order}, mode:0x${hex}${names}`),
  fc
    .tuple(gfpHex, fc.boolean(), num(11), fc.boolean(), num(1000))
    .map(([hex, neg, order, negAdj, adj]) =>
      `x invoked oom-killer: gfp_mask=0x${hex}, order=${neg ? '-' : ''}${order}, oom_score_adj=${negAdj ? '-' : ''}${adj}`,
    ),
);
const versionLine = fc.oneof(
  release.map((v) => `Linux version ${v} (gcc)`),
  fc.tuple(num(99999), release).map(([pid, v]) => `CPU: 1 PID: ${pid} Comm: x Not tainted ${v} #1`),
  fc.tuple(num(99999), release).map(([pid, v]) => `Pid: ${pid}, comm: x Not tainted ${v} #1`),
);
const zoneLine = (node: string, z: string): fc.Arbitrary<string> =>
  fc
    .array(num(100000), { minLength: 4, maxLength: 4 })
    .map(([f, min, low, high]) => `${node}${z} free:${f}kB min:${min}kB low:${low}kB high:${high}kB`);
const lowmemLine = fc.array(num(100000), { maxLength: 5 }).map((v) => `lowmem_reserve[]: ${v.join(' ')}`);
/** A free-area line with `orders` items; mostly as the kernel prints it, sometimes not doubling, cut or mis-summed. */
const freeAreaLine = (node: string, z: string, first: bigint, orders: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(count, { minLength: orders, maxLength: orders }),
      fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      fc.oneof(
        { weight: 5, arbitrary: fc.constant<'sum' | 'none'>('sum') },
        { weight: 1, arbitrary: fc.constant<'sum' | 'none'>('none') },
        { weight: 1, arbitrary: num(100000) },
      ),
    )
    .map(([counts, doubling, total]) => {
      // Sizes that double per order, or first * (order + 1), which stops doubling at order 2.
      const sizes = counts.map((_, o) => (doubling ? first << BigInt(o) : first * BigInt(o + 1)));
      const items = counts.map((c, o) => `${c}*${sizes[o]}kB`).join(' ');
      const sum = counts.reduce((acc, c, o) => acc + c * (sizes[o] ?? 0n), 0n);
      const end = total === 'none' ? '' : ` = ${total === 'sum' ? sum : total}kB`;
      return `${node}${z}: ${items}${end}`;
    });
/** One report: a header, Mem-Info, zone lines, then free-area lines that mostly agree on page size and orders. */
const reportBlock = fc
  .tuple(
    fc.option(versionLine),
    fc.option(headerLine),
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom('', 'Node 0 ') }, { weight: 1, arbitrary: nodePrefix }),
    fc.uniqueArray(zoneName, { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 1, max: 14 }),
    fc.array(fc.tuple(firstKiB, fc.constantFrom(0, 0, 0, 0, 0, -1, 1)), { minLength: 4, maxLength: 4 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  )
  .chain(([version, header, node, zones, orders, shapes, samePage]) => {
    const firsts = shapes.map(([f]) => (samePage ? (shapes[0]?.[0] ?? 4n) : f));
    return fc
      .tuple(
        fc.tuple(...zones.map((z) => fc.tuple(zoneLine(node, z), lowmemLine))),
        fc.tuple(
          ...zones.map((z, i) => freeAreaLine(node, z, firsts[i] ?? 4n, Math.max(1, orders + (shapes[i]?.[1] ?? 0)))),
        ),
      )
      .map(([zoneLines, freeLines]) =>
        [
          ...(version === null ? [] : [version]),
          ...(header === null ? [] : [header]),
          'Mem-Info:',
          ...zoneLines.flat(),
          ...freeLines,
        ].join('\n'),
      );
  });
/** Report lines with the numbers a damaged log can carry: 0kB/3kB sizes, 2^53+ values, wide modes, 2.4. */
const reportLine = fc.oneof(
  headerLine,
  versionLine,
  fc.constant('Mem-Info:'),
  fc.tuple(nodePrefix, zoneName).chain(([node, z]) => zoneLine(node, z)),
  lowmemLine,
  fc.tuple(nodePrefix, zoneName, firstKiB, fc.integer({ min: 0, max: 14 })).chain(([node, z, f, n]) => freeAreaLine(node, z, f, n)),
);
const reportText = fc
  .array(fc.oneof({ weight: 2, arbitrary: reportBlock }, { weight: 1, arbitrary: reportLine }), { maxLength: 5 })
  .map((parts) => parts.join('\n'));

/** Whether n is 2^k for some k >= 0. */
function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/**
 * What the later stages rely on: problems point at lines of the input, and every value handed on is exact,
 * a page size is a power of two of at least 1 kB, zones agree on their number of orders, a GFP mode fits
 * 32 bits and decodes, a kernel release is one parseRelease takes.
 */
function expectUsable(p: ReturnType<typeof parseReports>, text: string): void {
  const physical = text.split('\n').length;
  for (const prob of [...p.problems, ...p.reports.flatMap((r) => r.problems)]) {
    expect(prob.line).toBeGreaterThanOrEqual(1);
    expect(prob.line).toBeLessThanOrEqual(physical);
  }
  const safe = (n: number | undefined): void => {
    if (n !== undefined) expect(Number.isSafeInteger(n)).toBe(true);
  };
  if (p.kernel !== undefined) parseRelease(p.kernel.version);
  for (const r of p.reports) {
    if (r.pageSize !== undefined) {
      expect(r.pageSize).toBeGreaterThanOrEqual(1024);
      expect(isPowerOfTwo(r.pageSize / 1024)).toBe(true);
    }
    if (r.order !== null) safe(r.order);
    safe(r.pid);
    safe(r.oomScoreAdj);
    if (r.kernel !== undefined) parseRelease(r.kernel);
    if (r.modeValue !== undefined) {
      expect(r.modeValue).toBeLessThanOrEqual(0xffffffff);
      explainGfp(r.modeValue, r.kernel ?? '4.4');
    }
    const orders = new Set(r.zones.flatMap((z) => (z.free ? [z.free.free.length] : [])));
    expect(orders.size).toBeLessThanOrEqual(1);
    const [n] = [...orders];
    for (const z of r.zones) {
      safe(z.node);
      for (const c of [...(z.free?.free ?? []), ...(z.freePartial ?? []), ...(z.lowmemReserve ?? [])]) safe(c);
      if (n !== undefined && z.freePartial) expect(z.freePartial.length).toBeLessThanOrEqual(n);
      if (z.free !== undefined) expect(r.pageSize).toBeDefined();
      for (const v of Object.values(z.watermarks ?? {})) if (typeof v === 'number') safe(v);
    }
  }
}

describe('looksLikeReport', () => {
  it('sees every report fixture', () => {
    for (const n of readdirSync(DIR).filter((x) => x.endsWith('.txt'))) expect(looksLikeReport(fixture(n))).toBe(true);
  });
  it('does not take buddyinfo or zoneinfo text for a report', () => {
    const buddy = readFileSync(new URL('../../fixtures/buddyinfo-procfs-x86_64.txt', import.meta.url), 'utf8');
    const zoneinfo = readFileSync(new URL('../../fixtures/zoneinfo-x86_64-2.6.32.txt', import.meta.url), 'utf8');
    expect(looksLikeReport(buddy)).toBe(false);
    expect(looksLikeReport(zoneinfo)).toBe(false);
    expect(looksLikeReport('usb 1-1: new high-speed USB device')).toBe(false);
  });
});
