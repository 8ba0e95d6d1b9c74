// `buddyinfo report` end to end in-process: each generation's report decoded, replayed and explained.
// Pages are the printed kB over the page size; every replayed number is worked out in the comments from
// kernel.md 1a's pseudo-code (integer division truncates; a test fails when free <= the bound).

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { runReport, viewReport, type ReportOptions, type ReportView, type ReportZoneView } from '../../src/commands/report.js';
import type { ZoneResult } from '../../src/analysis/zonelist.js';
import { parseReports } from '../../src/parse/report.js';
import type { FailureReport } from '../../src/parse/report-types.js';
import { fakeIo, fixture, type FakeOptions } from '../helpers/io.js';

const R = 'reports/';

/** Runs the command line with the named fixtures (paths under fixtures/) as the fake's files. */
async function cli(argv: string[], names: string[], extra: Record<string, string> = {}, opts: FakeOptions = {}) {
  const files: Record<string, string> = { ...extra };
  for (const n of names) files[n] = fixture(n);
  const io = fakeIo({ ...opts, files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** `buddyinfo report --json FILE`: must exit 0 and print an array. */
async function reports(name: string, flags: string[] = [], extra: Record<string, string> = {}): Promise<ReportView[]> {
  const r = await cli(['report', '--json', ...flags, name], extra[name] === undefined ? [name] : [], extra);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ReportView[];
}

async function one(name: string, flags: string[] = [], extra: Record<string, string> = {}): Promise<ReportView> {
  const list = await reports(name, flags, extra);
  expect(list.length).toBe(1);
  return list[0] as ReportView;
}

function zoneOf(v: ReportView, node: number, zone: string): ReportZoneView {
  const z = v.zones.find((x) => x.node === node && x.zone === zone);
  if (!z) throw new Error(`no zone ${node}/${zone}`);
  return z;
}

function checked(v: ReportView, node: number, zone: string): ZoneResult {
  const z = v.check?.zones.find((x) => x.node === node && x.zone === zone);
  if (!z) throw new Error(`no checked zone ${node}/${zone}`);
  return z;
}

const codes = (v: ReportView) => v.why.map((w) => w.code);

/** The fixture with the lines that state a kernel release (dump_stack, Linux version) taken out. */
function withoutVersion(name: string, also: (line: string) => boolean = () => false): string {
  return fixture(name)
    .split('\n')
    .filter((l) => !/CPU: \d+ |Pid: \d+, comm:|Linux version/.test(l) && !also(l))
    .join('\n');
}

describe('the JSON names the issue asks for, for a report of each generation', () => {
  const TOP = ['line', 'time', 'process', 'order', 'mode', 'flags', 'zones', 'check', 'why'];
  const ZONE = ['node', 'zone', 'free', 'freeKiB', 'minKiB', 'lowKiB', 'highKiB', 'lowmemReserve', 'types'];

  it.each([
    // [fixture, line, time, process, order, mode, flags, flagsFrom]
    ['2.6.32-dot-header-printk-time.txt', 1, '1234567.000100', 'swapper', 4, '0x4020', ['GFP_ATOMIC', '__GFP_COMP'], 'decoded'],
    ['3.10-syslog-uem-letters.txt', 1, 'Nov 22 03:38:00', 'ksoftirqd/1', 2, '0x20', ['GFP_ATOMIC'], 'decoded'],
    ['4.9-cma-only-high-orders.txt', 1, '9876.543210', 'vpu_srv', 2, '0x2080020', ['GFP_ATOMIC'], 'printed'],
    ['4.15-numa-separate-cpuset-line.txt', 1, '5123.456000', 'kworker/u16:3', 3, '0x1084020', ['GFP_ATOMIC', '__GFP_COMP'], 'printed'],
    ['5.10-dmesg-T-cpuset-on-header.txt', 1, 'Mon Apr 20 15:08:07 2020', 'kworker/u16:3', 4, '0x40dc0', ['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO'], 'printed'],
    ['6.18-journalctl-iso-boost-highatomic.txt', 1, '2026-11-22T03:38:00+0000', 'kswapd0', 2, '0x40820', ['GFP_ATOMIC', '__GFP_COMP'], 'printed'],
    ['oom-4.19.txt', 1, '81399.968234', 'stress', 0, '0x6200ca', ['GFP_HIGHUSER_MOVABLE'], 'printed'],
    ['android-arm32-non-numa-kmsg.txt', 1, '123.456789', 'binder', 3, '0xd0', ['GFP_KERNEL'], 'decoded'],
    ['mail-wrapped-4.4.txt', 5, '4321.000100', 'kworker/0:1', 4, '0x2080020', ['GFP_ATOMIC'], 'decoded'],
  ] as const)('%s', async (name, line, time, process, order, mode, flags, from) => {
    const v = await one(R + name);
    for (const k of TOP) expect(v).toHaveProperty(k);
    for (const z of v.zones) for (const k of ZONE) expect(z).toHaveProperty(k);
    expect(v).toMatchObject({ line, time, process, order, mode, flagsFrom: from });
    expect(v.flags).toEqual(flags);
    expect(v.kind).toBe(name.startsWith('oom') ? 'oom' : 'allocation-failure');
    // the check has the shape of check --json: the request's order, a verdict, zones in walk order
    expect(v.check).toMatchObject({ order, mark: 'min', path: 'slow' });
    expect(Array.isArray(v.check?.zones)).toBe(true);
    expect(v.why.length).toBeGreaterThan(0);
  });

  it('a log of several reports among unrelated lines: each with its own header line, kind and kernel', async () => {
    const list = await reports(R + 'multi-report-4.4-then-3.2.txt');
    expect(list.map((v) => [v.line, v.kind, v.order, v.kernelRelease])).toEqual([
      [4, 'allocation-failure', 3, '4.4.0-21-generic'],
      [16, 'oom', 0, '4.4.0-21-generic'],
      // the SysRq-m dump: its "Mem-Info:" on line 34, after "sysrq: SysRq : Show Memory" on line 33
      [34, 'meminfo', null, '4.4.0-21-generic'],
      // a second boot's banner (line 39) names 3.2 for the OOM report after it
      [40, 'oom', 0, '3.2.0-4-amd64'],
    ]);
    // 4.4 table: 0x2080020 = __GFP_HIGH 0x20 | __GFP_ATOMIC 0x80000 | __GFP_KSWAPD_RECLAIM 0x2000000 = GFP_ATOMIC;
    // 0x24201ca = KSWAPD 0x2000000 | DIRECT_RECLAIM 0x400000 | HARDWALL 0x20000 | COLD 0x100 | FS 0x80 | IO 0x40 |
    // MOVABLE 0x08 | HIGHMEM 0x02 = GFP_HIGHUSER_MOVABLE|__GFP_COLD. 3.2 table: 0x201da = HARDWALL 0x20000 | COLD 0x100 |
    // FS 0x80 | IO 0x40 | WAIT 0x10 | MOVABLE 0x08 | HIGHMEM 0x02 = GFP_HIGHUSER_MOVABLE|__GFP_COLD.
    expect(list.map((v) => v.flags)).toEqual([
      ['GFP_ATOMIC'],
      ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD'],
      [],
      ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD'],
    ]);
    // 3.2 replays the loop with no CMA term (CMA accounting came in 3.7); 4.4 the order-0 test and any list
    expect(list.map((v) => (v.check === null ? null : [v.check.rules.algorithm, v.check.rules.cma]))).toEqual([
      ['any-list', 'order0-and-lists'],
      ['any-list', 'order0-and-lists'],
      null,
      ['legacy-loop', 'none'],
    ]);
  });
});

describe('when, who and what size', () => {
  it('order as a size: 2^order pages of the page size the free-area line gives', async () => {
    // 4 KiB pages: order 4 = 16 pages = 65536 bytes, order 2 = 16384, order 3 = 32768, order 0 = 4096
    expect((await one(R + '2.6.32-dot-header-printk-time.txt')).sizeBytes).toBe(65536);
    expect((await one(R + '3.10-syslog-uem-letters.txt')).sizeBytes).toBe(16384);
    expect((await one(R + '4.15-numa-separate-cpuset-line.txt')).sizeBytes).toBe(32768);
    expect((await one(R + 'oom-4.19.txt')).sizeBytes).toBe(4096);
  });

  it('64 kB pages: the first column says 64kB, so order 2 is 4 x 64 KiB = 256 KiB', async () => {
    const text = [
      'app: page allocation failure: order:2, mode:0x20',
      // 1280 kB = 20 pages of 64 kB; min 128 kB = 2 pages
      'Normal free:1280kB min:128kB low:192kB high:256kB',
      'lowmem_reserve[]: 0 0',
      // 4*64 + 2*128 + 1*256 + 1*512 = 256 + 256 + 256 + 512 = 1280
      'Normal: 4*64kB (U) 2*128kB (M) 1*256kB (M) 1*512kB (M) 0*1024kB = 1280kB',
    ].join('\n');
    const v = await one('arm64.txt', [], { 'arm64.txt': text });
    expect(v.pageSize).toBe(65536);
    expect(v.sizeBytes).toBe(4 * 65536);
    expect(zoneOf(v, 0, 'Normal')).toMatchObject({ freeKiB: 1280, minKiB: 128, lowKiB: 192, highKiB: 256 });
    const text2 = await cli(['report', 'arm64.txt'], [], { 'arm64.txt': text });
    expect(text2.out).toMatch(/page allocation failure, order 2 \(256 KiB\)/);
  });

  it('says the pid, the cpuset and mems_allowed, and the nodemask', async () => {
    const v = await one(R + '4.15-numa-separate-cpuset-line.txt');
    expect(v).toMatchObject({ pid: 31337, nodemask: '(null)', cpuset: '/', memsAllowed: '0-1' });
    const w = await one(R + '5.10-dmesg-T-cpuset-on-header.txt');
    expect(w).toMatchObject({ pid: 1333536, nodemask: '(null)', cpuset: '/', memsAllowed: '0' });
  });
});

describe('flags: printed by the kernel (4.5+) or decoded from the value per generation', () => {
  it('2.6.32 0x4020: __GFP_HIGH 0x20 (= GFP_ATOMIC there) and __GFP_COMP 0x4000, and the check uses them', async () => {
    const v = await one(R + '2.6.32-dot-header-printk-time.txt');
    expect(v.flagsFrom).toBe('decoded');
    expect(v.flags).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    // no __GFP_WAIT (0x10): cannot sleep, so ALLOC_HARDER and no ALLOC_CPUSET; __GFP_HIGH gives ALLOC_HIGH
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(v.check?.gfp).toBe('0x4020 (GFP_ATOMIC|__GFP_COMP)');
  });

  it('2.6.32 0x40d0: WAIT 0x10 | IO 0x40 | FS 0x80 = GFP_KERNEL, plus __GFP_COMP: no reserve flags', async () => {
    const v = await one(R + '2.6.32-gfp-kernel-legacy-loop.txt');
    expect(v.flags).toEqual(['GFP_KERNEL', '__GFP_COMP']);
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
  });

  it('3.10 0xd0 on a 32-bit Android kernel: GFP_KERNEL, highest zone Normal, so HighMem is not walked', async () => {
    const v = await one(R + 'android-arm32-non-numa-kmsg.txt');
    expect(v.flags).toEqual(['GFP_KERNEL']);
    expect(v.check?.highestZone).toBe('Normal');
    expect(v.check?.zones.map((z) => z.zone)).toEqual(['Normal']);
  });

  it('printed names are kept as printed and used as the request', async () => {
    const v = await one(R + '4.15-numa-separate-cpuset-line.txt');
    expect(v.flagsFrom).toBe('printed');
    expect(v.check?.gfp).toBe('GFP_ATOMIC|__GFP_COMP');
    // 4.15: __GFP_HIGH gives ALLOC_HIGH, __GFP_ATOMIC gives ALLOC_HARDER and drops ALLOC_CPUSET
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
  });

  it('with no release stated, the request replayed is the one the decoded names show', async () => {
    // A header without names predates 4.5, so 0xd0 is read with 2.6.32-4.4's bits: WAIT|IO|FS = GFP_KERNEL.
    // Today's rules replay GFP_KERNEL, which may sleep: no ALLOC_NON_BLOCK (6.x's bits would read 0x10 as
    // __GFP_RECLAIMABLE and find no __GFP_DIRECT_RECLAIM).
    const text = `app: page allocation failure: order:3, mode:0xd0\n${fixture('reports/seed-000-excerpt.txt')}`;
    const v = await one('x.txt', [], { 'x.txt': text });
    expect(v.flags).toEqual(['GFP_KERNEL']);
    expect(v.check?.kernelRelease).toBeNull();
    expect(v.check?.kernelOrigin).toBe('default');
    expect(v.check?.gfp).toBe('0xd0 (GFP_KERNEL)');
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
  });

  it('the text says which', async () => {
    const a = await cli(['report', R + '2.6.32-dot-header-printk-time.txt'], [R + '2.6.32-dot-header-printk-time.txt']);
    expect(a.out).toContain('GFP mode 0x4020: GFP_ATOMIC|__GFP_COMP (decoded from the value)');
    const b = await cli(['report', R + '4.15-numa-separate-cpuset-line.txt'], [R + '4.15-numa-separate-cpuset-line.txt']);
    expect(b.out).toContain('GFP mode 0x1084020: GFP_ATOMIC|__GFP_COMP\n');
  });
});

describe('which kernel\'s rules replay a report', () => {
  it('the release the log states', async () => {
    const v = await one(R + '2.6.32-dot-header-printk-time.txt');
    expect(v).toMatchObject({ kernelRelease: '2.6.32-41-server', kernelOrigin: 'input' });
    expect(v.kernelFrom).toMatch(/reports\/2\.6\.32-dot-header-printk-time\.txt, line \d+$/);
    expect(v.check).toMatchObject({ kernelRelease: '2.6.32-41-server', algorithm: 'legacy' });
    // a distribution string: 2.6.32's upstream rules, and a note that Ubuntu may have backported more
    expect(v.kernelNotes.join(' ')).toMatch(/distribution or vendor kernel/);
  });

  it('--kernel overrides it', async () => {
    const v = await one(R + '4.9-cma-only-high-orders.txt', ['--kernel', '4.15']);
    expect(v).toMatchObject({ kernelRelease: '4.15', kernelOrigin: 'option', kernelFrom: '--kernel' });
    expect(v.check?.kernelRelease).toBe('4.15');
  });

  it.each([
    // [fixture, release replayed, what the shape shows]
    // 2.6.32-2.6.37 print "failure."; the newest of them is replayed
    ['2.6.32-dot-header-printk-time.txt', '2.6.37', '"page allocation failure\\." header'],
    // R letters: 3.8 to 4.3
    ['3.10-syslog-uem-letters.txt', '4.3', 'R \\(Reserve\\) migratetype letters'],
    // names, nodemask, cpuset on a line of its own: 4.11-4.20; and 0x1084020 prints as GFP_ATOMIC|__GFP_COMP
    // only with the bits of 4.10-4.17 (KSWAPD_RECLAIM 0x1000000 | ATOMIC 0x80000 | COMP 0x4000 | HIGH 0x20;
    // 4.18 moved KSWAPD_RECLAIM to 0x400000), so 4.17
    ['4.15-numa-separate-cpuset-line.txt', '4.17', 'flag names and nodemask with the cpuset on a line of its own'],
    ['6.18-journalctl-iso-boost-highatomic.txt', '6.18', 'free_highatomic field'],
  ] as const)('judged from the shape when no version is stated: %s', async (name, release, why) => {
    const v = await one('x.txt', [], { 'x.txt': withoutVersion(R + name) });
    expect(v).toMatchObject({ kernelRelease: release, kernelOrigin: 'shape' });
    expect(v.kernelFrom).toMatch(new RegExp(`^its ${why}`));
    expect(v.kernelFrom).toMatch(/--kernel VERSION names the release$/);
  });

  it('H letters without printed names: 4.4-4.5 (the mail-wrapped report, its dump_stack line cut in two)', async () => {
    const v = await one('x.txt', [], { 'x.txt': withoutVersion(R + 'mail-wrapped-4.4.txt', (l) => l.startsWith('4.4.0-21-generic')) });
    expect(v).toMatchObject({ kernelRelease: '4.5', kernelOrigin: 'shape' });
    expect(v.check?.rules.algorithm).toBe('any-list');
  });

  it('today\'s rules otherwise, saying so', async () => {
    // a ":" header without names or letters: nothing tells the release
    const v = await one(R + 'nbsp-pasted.txt');
    expect(v).toMatchObject({ kernelRelease: null, kernelOrigin: 'default' });
    expect(v.check?.rules.highatomicFlag).toBe('with-min-reserve');
    expect(v.kernelNotes).toEqual([
      "No kernel release in the input, so today's (6.18) rules are replayed; --kernel VERSION names the box's release.",
    ]);
  });
});

describe('per zone, the report\'s own numbers in KiB', () => {
  it('6.18 DMA32, read off the zone line, lowmem_reserve line and free-area line', async () => {
    const v = await one(R + '6.18-journalctl-iso-boost-highatomic.txt');
    expect(v.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(zoneOf(v, 0, 'DMA32')).toEqual({
      node: 0,
      zone: 'DMA32',
      free: [204, 98, 41, 10, 2, 0, 0, 0, 0, 0, 0],
      // free:2704kB, and 204*4 + 98*8 + 41*16 + 10*32 + 2*64 = 816 + 784 + 656 + 320 + 128 = 2704
      freeKiB: 2704,
      freeAreaKiB: 2704,
      minKiB: 9412,
      lowKiB: 10368,
      highKiB: 11324,
      boostKiB: 4096,
      freeCmaKiB: 0,
      lowmemReserve: [0, 0, 5992, 5992, 5992],
      types: ['UME', 'UMEH', 'UMH', 'UH', 'H', '', '', '', '', '', ''],
      empty: false,
    });
  });

  it('2.6.32 DMA32: the seed\'s numbers, no letters before 3.8', async () => {
    const v = await one(R + '2.6.32-dot-header-printk-time.txt');
    expect(zoneOf(v, 0, 'DMA32')).toMatchObject({
      free: [2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0],
      freeKiB: 12560,
      minKiB: 7076,
      lowKiB: 8844,
      highKiB: 10612,
      boostKiB: null,
      lowmemReserve: [0, 0, 1010, 1010],
      types: null,
    });
  });

  it('4.9 Normal: free_cma:9568kB and the (C) letters from order 3 up', async () => {
    const z = zoneOf(await one(R + '4.9-cma-only-high-orders.txt'), 0, 'Normal');
    expect(z.freeCmaKiB).toBe(9568);
    expect(z.types?.slice(3)).toEqual(['C', 'C', 'C', '', '', 'C', 'C', 'C']);
  });

  it('free is the zone line\'s free: (what the check reads); the free-area total is beside it', async () => {
    // header-without-meminfo.txt line 9: "Normal free:4000kB", line 11: "... = 3600kB"
    const list = await reports(R + 'header-without-meminfo.txt');
    const z = zoneOf(list[1] as ReportView, 0, 'Normal');
    expect(z.freeKiB).toBe(4000);
    expect(z.freeAreaKiB).toBe(3600);
    // 4000 kB / 4 = 1000 pages is what the replay used
    expect(checked(list[1] as ReportView, 0, 'Normal').freePages).toBe(1000);
    const text = await cli(['report', R + 'header-without-meminfo.txt'], [R + 'header-without-meminfo.txt']);
    expect(text.out).toContain('Node 0 Normal: free 4,000 KiB (free-area lines: 3,600 KiB); min 2,000 KiB');
  });

  it('a non-NUMA kernel\'s zones are node 0', async () => {
    const v = await one(R + 'android-arm32-non-numa-kmsg.txt');
    expect(v.zones.map((z) => [z.node, z.zone])).toEqual([
      [0, 'Normal'],
      [0, 'HighMem'],
    ]);
  });
});

describe('the replayed check, worked by hand', () => {
  it('2.6.32, GFP_ATOMIC order 4: Normal refuses in the loop, DMA32 serves it', async () => {
    const v = await one(R + '2.6.32-dot-header-printk-time.txt');
    expect(v.check?.zones.map((z) => z.zone)).toEqual(['Normal', 'DMA32', 'DMA']);
    expect(v.check?.servedBy).toEqual({ node: 0, zone: 'DMA32' });
    // Normal: free 3540/4 = 885, min 2356/4 = 589. HIGH: 589 - 589/2 = 589 - 294 = 295; HARDER: 295 - 295/4 =
    // 295 - 73 = 222. free = 885 - 2^4 + 1 = 870 > 222 + lowmem_reserve[Normal=2] 0.
    // o=0: 870 - 569 = 301 > 222>>1 = 111; o=1: 301 - 108*2 = 85 > 55; o=2: 85 - 19*4 = 9 <= 27: refused.
    const normal = checked(v, 0, 'Normal');
    expect(normal).toMatchObject({ ok: false, code: 'ORDER_LOOP', failedOrder: 2, reached: true });
    expect(normal.steps).toEqual([
      { check: 'watermark', freePages: 870, minPages: 222, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 301, minPages: 111, ok: true },
      { check: 'order', order: 1, freePages: 85, minPages: 55, ok: true },
      { check: 'order', order: 2, freePages: 9, minPages: 27, ok: false },
    ]);
    // DMA32: free 3140, min 1769 -> 885 -> 664; classzone is the preferred zone, Normal (index 2), so its
    // lowmem_reserve[2] = 1010: 3125 > 664 + 1010 = 1674. o=0: 3125 - 2360 = 765 > 332; o=1: 765 - 160 = 605 > 166;
    // o=2: 605 - 84 = 521 > 83; o=3: 521 - 56 = 465 > 41: passes (kernel.md section 2's GFP_ATOMIC case).
    expect(checked(v, 0, 'DMA32').steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 664, reservePages: 1010, ok: true },
      { check: 'order', order: 0, freePages: 765, minPages: 332, ok: true },
      { check: 'order', order: 1, freePages: 605, minPages: 166, ok: true },
      { check: 'order', order: 2, freePages: 521, minPages: 83, ok: true },
      { check: 'order', order: 3, freePages: 465, minPages: 41, ok: true },
    ]);
    // DMA (not reached): free 16008/4 = 4002 - 15 = 3987; min 20/4 = 5 -> 5 - 2 = 3 -> 3 - 0 = 3; reserve[2] 4001:
    // 3987 <= 4004. The zone can never serve the request: present:15336kB = 3834 pages (2.6.32 sizes zones
    // by present pages), 3834 - 15 = 3819 <= 3 + 4001 (this constructed report prints free above present).
    expect(checked(v, 0, 'DMA')).toMatchObject({ code: 'NEVER_SERVES', serves: false, sizePages: 3834, ceilingPages: 3819, reached: false });
    expect(checked(v, 0, 'DMA').steps).toEqual([{ check: 'watermark', freePages: 3987, minPages: 3, reservePages: 4001, ok: false }]);
    expect(codes(v)).toEqual(['CHECK_PASSES']);
    expect(v.why[0]?.text).toMatch(/passes in node 0 DMA32: the failure had another cause/);
  });

  it('2.6.32, GFP_KERNEL order 4 on the same state: every zone refuses, the loop in two of them', async () => {
    const v = await one(R + '2.6.32-gfp-kernel-legacy-loop.txt');
    expect(v.check?.ok).toBe(false);
    // Normal: 870 > 589 + 0; o=0: 301 > 589>>1 = 294; o=1: 85 <= 147: refused at order 1
    expect(checked(v, 0, 'Normal').steps).toEqual([
      { check: 'watermark', freePages: 870, minPages: 589, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 301, minPages: 294, ok: true },
      { check: 'order', order: 1, freePages: 85, minPages: 147, ok: false },
    ]);
    // DMA32: 3125 > 1769 + 1010 = 2779; o=0: 765 <= 884 (the seed's numbers, now with the reserve)
    expect(checked(v, 0, 'DMA32').steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 1010, ok: true },
      { check: 'order', order: 0, freePages: 765, minPages: 884, ok: false },
    ]);
    // DMA: 3987 <= 5 + 4001 = 4006
    expect(checked(v, 0, 'DMA').steps).toEqual([{ check: 'watermark', freePages: 3987, minPages: 5, reservePages: 4001, ok: false }]);
    // Under 4.4's rules DMA32 passes: 3125 > 2779 and nr_free[4] = 4 blocks (no letters, so assumed usable).
    // DMA can never serve it (3834 - 15 = 3819 <= 5 + 4001): left out of why.
    expect(checked(v, 0, 'DMA')).toMatchObject({ code: 'NEVER_SERVES', serves: false });
    // 2.6.32 has no compaction (2.6.35): the next step is NO_DIRECT_COMPACTION
    expect(codes(v)).toEqual(['ORDER_LOOP', 'ORDER_LOOP', 'MODERN_WOULD_PASS', 'NO_DIRECT_COMPACTION']);
    expect(v.check?.next).toMatchObject({ code: 'NO_DIRECT_COMPACTION', era: 'none' });
    expect(v.why.filter((w) => w.code === 'ORDER_LOOP').map((w) => [w.zone, w.text.match(/refused at order (\d+)/)?.[1]])).toEqual([
      ['Normal', '1'],
      ['DMA32', '0'],
    ]);
  });

  it('4.9 (4.4 rules), GFP_ATOMIC order 2: passes only because ALLOC_HARDER takes the CMA-only order 3', async () => {
    const v = await one(R + '4.9-cma-only-high-orders.txt');
    // Normal: free 18064/4 = 4516, min 4384/4 = 1096 -> HIGH 548 -> HARDER 548 - 137 = 411; no ALLOC_CMA, so
    // free_cma 9568/4 = 2392 is left out: 4516 - 3 - 2392 = 2121 > 411 + reserve 0.
    const normal = checked(v, 0, 'Normal');
    expect(normal.steps[0]).toEqual({ check: 'watermark', freePages: 2121, minPages: 411, reservePages: 0, cmaPages: 2392, ok: true });
    // order 2 has no block; order 3 has 3 blocks, all (C): 4.4-4.14's HARDER returns true on any list
    expect(normal.steps.slice(1)).toMatchObject([
      { check: 'block', order: 2, blocks: 0, ok: false },
      { check: 'block', order: 3, blocks: 3, lists: ['CMA'], anyList: true, ok: true },
    ]);
    expect(codes(v)).toEqual(['HARDER_ANY_LIST']);
    expect(v.why[0]?.text).toMatch(/CMA list \(letters C\)/);
  });

  it('the same report under 4.15 rules: the only blocks of order >= 2 are CMA, which GFP_ATOMIC may not use', async () => {
    const v = await one(R + '4.9-cma-only-high-orders.txt', ['--kernel', '4.15']);
    // Normal as above (4.15 HARDER without OOM still takes min/4): 2121 > 411; then orders 3-5 and 8-10 hold
    // blocks, all on the CMA list; orders 2, 6, 7 are empty.
    expect(checked(v, 0, 'Normal')).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['CMA'] });
    // DMA: 780/4 = 195 - 3 = 192; min 1500/4 = 375 -> 375 - 187 = 188 -> 188 - 47 = 141; reserve[Normal=1] 2902.
    expect(checked(v, 0, 'DMA').steps).toEqual([{ check: 'watermark', freePages: 192, minPages: 141, reservePages: 2902, ok: false }]);
    // DMA: 192 > min 141, refused only for its reserve (192 <= 141 + 2902). GFP_ATOMIC cannot sleep, so it
    // neither reclaims nor compacts: NO_DIRECT_RECLAIM.
    expect(codes(v)).toEqual(['LOWMEM_RESERVE', 'ONLY_RESERVED_BLOCKS', 'NO_DIRECT_RECLAIM']);
    expect(v.why[1]).toMatchObject({ node: 0, zone: 'Normal' });
    expect(v.why[1]?.text).toMatch(/only free blocks of order 2 or larger are on the CMA list \(letters C\)/);
  });

  it('5.10, GFP_KERNEL order 4: Normal has the memory but no block of order >= 4; DMA32 and DMA are below', async () => {
    const v = await one(R + '5.10-dmesg-T-cpuset-on-header.txt');
    // 5.10 reads lowmem_reserve[gfp_zone(GFP_KERNEL) = Normal = 2].
    // Normal: free 173912/4 = 43478 - 15 = 43463 > min 173116/4 = 43279 + 0; orders 4..10 are all 0.
    expect(checked(v, 0, 'Normal')).toMatchObject({ code: 'NO_BLOCK' });
    expect(checked(v, 0, 'Normal').steps[0]).toEqual({ check: 'watermark', freePages: 43463, minPages: 43279, reservePages: 0, ok: true });
    // DMA32: 77068/4 = 19267 - 15 - reserved_highatomic 2048/4 = 512 -> 18740 <= 46144/4 = 11536 + 7459 = 18995
    expect(checked(v, 0, 'DMA32').steps).toEqual([
      { check: 'watermark', freePages: 18740, minPages: 11536, reservePages: 7459, highatomicPages: 512, ok: false },
    ]);
    // DMA: 15900/4 = 3975 - 15 = 3960 <= 144/4 = 36 + 7459
    expect(checked(v, 0, 'DMA').steps).toEqual([{ check: 'watermark', freePages: 3960, minPages: 36, reservePages: 7459, ok: false }]);
    // DMA32 (18740 > 11536) is above min and refuses only for its reserve; DMA can never serve it
    // (managed 15904kB = 3976 pages, 3976 - 15 = 3961 <= 36 + 7459).
    // Next (era C, order 4 > 3: low + compact_gap 32, ALLOC_CMA only): Normal 43478 <= 186432/4 = 46608 + 32 =
    // 46640; DMA32 19267 - 512 = 18755 <= 49692/4 = 12423 + 32 + 7459 = 19914: compaction is skipped in both.
    // Reclaim: file (2000 + 3000)/4 = 1250, anon (900 + 100)/4 = 250 (tried as free swap is unknown); 1500/4 = 375
    // per compaction_zonelist_suitable: Normal 43853 <= 46640, DMA32 19130 - 512 = 18618 <= 19914: nothing helps,
    // and order 4 > 3 never invokes the OOM killer.
    expect(codes(v)).toEqual(['LOWMEM_RESERVE', 'NO_BLOCK', 'RECLAIM_CANNOT_HELP']);
    expect(checked(v, 0, 'Normal').compaction).toMatchObject({
      decision: 'skipped-order0',
      era: 'C',
      order0: { freePages: 43478, unusablePages: 0, markPages: 46640, gapPages: 32, reservePages: 0, ok: false },
    });
    expect(checked(v, 0, 'Normal').reclaim).toEqual({ reclaimablePages: 1250, anonCounted: false, ok: false });
    expect(v.why[2]?.text).toMatch(/the request fails \(orders above 3 never invoke the OOM killer\)/);
    expect(v.why[1]?.text).toMatch(/node 0 Normal has enough free memory but no free block of order 4 or larger/);
  });

  it('6.18, GFP_ATOMIC order 2: MIN_RESERVE then NON_BLOCK on min, and the highatomic pages are not withheld', async () => {
    const v = await one(R + '6.18-journalctl-iso-boost-highatomic.txt');
    // GFP_ATOMIC on 6.18: MIN_RESERVE (__GFP_HIGH), NON_BLOCK (cannot sleep), HIGHATOMIC (order > 0 with MIN_RESERVE)
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE', 'ALLOC_HIGHATOMIC']);
    // Normal: free 22268/4 = 5567 - 3 = 5564; min 17932/4 = 4483 -> 4483 - 2241 = 2242 -> 2242 - 560 = 1682.
    // Order 2: 310 blocks on U, M, E and H.
    expect(checked(v, 0, 'Normal').steps).toEqual([
      { check: 'watermark', freePages: 5564, minPages: 1682, reservePages: 0, ok: true },
      { check: 'block', order: 2, blocks: 310, usable: true, lists: ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic'], ok: true },
    ]);
    // DMA32 (boost included in min 9412): 2704/4 = 676 - 3 = 673; 2353 -> 1177 -> 1177 - 294 = 883; reserve 5992
    expect(checked(v, 0, 'DMA32')).toMatchObject({ reached: false, code: 'BELOW_WATERMARK' });
    expect(checked(v, 0, 'DMA32').steps).toEqual([{ check: 'watermark', freePages: 673, minPages: 883, reservePages: 5992, ok: false }]);
    expect(codes(v)).toEqual(['CHECK_PASSES']);
  });

  it('3.10 Android, GFP_KERNEL order 3: free CMA pages are left out of the order-0 test', async () => {
    const v = await one(R + 'android-arm32-non-numa-kmsg.txt');
    // Normal: free 8824/4 = 2206 - 7 = 2199, minus free_cma 8504/4 = 2126 -> 73 <= min 2848/4 = 712 + 0
    expect(checked(v, 0, 'Normal').steps).toEqual([
      { check: 'watermark', freePages: 73, minPages: 712, reservePages: 0, cmaPages: 2126, ok: false },
    ]);
    // Next, era A (3.10): low 3560/4 = 890 + compact_gap 16 = 906, flags 0 so the free CMA pages are out:
    // 2206 - 2126 = 80 <= 906, compaction is skipped. Reclaim (no should_reclaim_retry before 4.7, so all of
    // R counts): file (8000 + 9000)/4 = 4250; 2206 + 4250 - 2126 = 4330 > 906: reclaim first.
    expect(codes(v)).toEqual(['BELOW_WATERMARK', 'RECLAIM_FIRST']);
    expect(checked(v, 0, 'Normal').compaction?.order0).toEqual({ freePages: 2206, unusablePages: 2126, markPages: 906, gapPages: 16, reservePages: 0, ok: false });
  });
});

describe('every why code the fixtures can give', () => {
  it('NODES_EXCLUDED: mems_allowed=0 keeps the request off node 1, which had the memory', async () => {
    const v = await one(R + '5.10-two-node-mems-allowed-0.txt');
    expect(v.memsAllowed).toBe('0');
    // only node 0 is replayed: GFP_KERNEL order 2 on 5.10, reserve index Normal = 2
    expect(v.check?.zones.map((z) => [z.node, z.zone])).toEqual([
      [0, 'Normal'],
      [0, 'DMA32'],
      [0, 'DMA'],
    ]);
    // Normal: 30000/4 = 7500 - 3 = 7497 <= 32768/4 = 8192 + 0
    expect(checked(v, 0, 'Normal').steps).toEqual([{ check: 'watermark', freePages: 7497, minPages: 8192, reservePages: 0, ok: false }]);
    // DMA32: 6000/4 = 1500 - 3 = 1497 <= 4096/4 = 1024 + 13997; DMA: 15900/4 = 3975 - 3 = 3972 <= 32/4 = 8 + 15907
    expect(checked(v, 0, 'DMA32').steps[0]).toMatchObject({ freePages: 1497, minPages: 1024, reservePages: 13997, ok: false });
    expect(checked(v, 0, 'DMA').steps[0]).toMatchObject({ freePages: 3972, minPages: 8, reservePages: 15907, ok: false });
    // Node 1 Normal: 900000/4 = 225000 - 3 = 224997 > 33000/4 = 8250, and order 2 has 5000 (UME) blocks
    // Normal is below min (7497 <= 8192); DMA32 (1497 > 1024) only keeps its reserve; DMA can never serve it
    // (managed 15904kB = 3976 pages, 3976 - 3 = 3973 <= 8 + 15907).
    // Next, era C, order 2 <= 3 so min + compact_gap 8: Normal 7500 <= 8200, skipped; reclaim: file
    // (7000 + 10000)/4 = 4250, 4250/2 = 2125 per compaction_zonelist_suitable: 9625 > 8200, reclaim first.
    expect(codes(v)).toEqual(['BELOW_WATERMARK', 'LOWMEM_RESERVE', 'RECLAIM_FIRST', 'NODES_EXCLUDED']);
    expect(checked(v, 0, 'Normal').reclaim).toEqual({ reclaimablePages: 4250, anonCounted: false, ok: true });
    expect(v.why[3]?.text).toBe('The request was limited to node 0 (its cpuset), but node 1 Normal would have served it.');
  });

  it('the same report with mems_allowed=0-1 is served by node 1', async () => {
    const text = fixture(R + '5.10-two-node-mems-allowed-0.txt').replace('mems_allowed=0', 'mems_allowed=0-1');
    const v = await one('x.txt', [], { 'x.txt': text });
    expect(v.check?.servedBy).toEqual({ node: 1, zone: 'Normal' });
    expect(codes(v)).toEqual(['CHECK_PASSES']);
  });

  it('ONLY_RESERVED_BLOCKS: 5.10 arm64, the only blocks of order >= 3 are (H) and (C)', async () => {
    const v = await one(R + '5.10-arm64-cma-highatomic-only.txt');
    // Normal: 27424/4 = 6856 - 7 - reserved_highatomic 2048/4 = 512 - free_cma 10496/4 = 2624 = 3713 > 8000/4 = 2000
    const normal = checked(v, 0, 'Normal');
    expect(normal.steps[0]).toEqual({
      check: 'watermark',
      freePages: 3713,
      minPages: 2000,
      reservePages: 0,
      cmaPages: 2624,
      highatomicPages: 512,
      ok: true,
    });
    // order 3: 4 blocks (H), order 4: 2 (C), 5: 1 (C), 6-8: none, 9: 1 (C), 10: 2 (C); GFP_KERNEL may use neither list
    expect(normal.steps.slice(1).map((s) => (s.check === 'block' ? [s.order, s.blocks, s.lists, s.ok] : s))).toEqual([
      [3, 4, ['HighAtomic'], false],
      [4, 2, ['CMA'], false],
      [5, 1, ['CMA'], false],
      [6, 0, [], false],
      [7, 0, [], false],
      [8, 0, [], false],
      [9, 1, ['CMA'], false],
      [10, 2, ['CMA'], false],
    ]);
    expect(normal).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['HighAtomic', 'CMA'] });
    // DMA32: 3000/4 = 750 - 7 = 743 <= 1000/4 = 250 + lowmem_reserve[2] 5000
    expect(checked(v, 0, 'DMA32').steps).toEqual([{ check: 'watermark', freePages: 743, minPages: 250, reservePages: 5000, ok: false }]);
    // DMA32: 743 > min 250, refused only for its reserve.
    // Next, era C, order 3 <= 3: Normal min 8000/4 = 2000 + 16 = 2016 with ALLOC_CMA only (free CMA counts,
    // reserved_highatomic 2048KB = 512 pages is out): 27424/4 = 6856 - 512 = 6344 > 2016, and below order 4
    // the index is not consulted: compaction runs.
    expect(codes(v)).toEqual(['LOWMEM_RESERVE', 'ONLY_RESERVED_BLOCKS', 'COMPACTION_RUNS']);
    expect(checked(v, 0, 'Normal').compaction).toMatchObject({ decision: 'runs', indexConsulted: false, order0: { freePages: 6856, unusablePages: 512, markPages: 2016 } });
    expect(v.why[1]?.text).toMatch(/HighAtomic\/CMA lists \(letters H, C\), which a GFP_KERNEL\|__GFP_COMP request may not use/);
  });

  it('FREE_COUNT_DRIFT: free: says 1000 pages, the free-area line 600 + 100*2 + 25*4 = 900', async () => {
    const v = (await reports(R + 'header-without-meminfo.txt'))[1] as ReportView;
    expect(v.line).toBe(6);
    // 3.16, 0x4020 (HIGH|COMP, cannot sleep): min 2000/4 = 500 -> 250 -> 250 - 62 = 188; free 1000 - 3 = 997 > 188;
    // o=0: 997 - 600 = 397 > 94; o=1: 397 - 200 = 197 > 47. Drift 100 > max(64, 1000/20).
    expect(checked(v, 0, 'Normal').steps).toEqual([
      { check: 'watermark', freePages: 997, minPages: 188, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 397, minPages: 94, ok: true },
      { check: 'order', order: 1, freePages: 197, minPages: 47, ok: true },
    ]);
    expect(codes(v)).toEqual(['CHECK_PASSES', 'FREE_COUNT_DRIFT']);
    expect(v.why[1]?.text).toMatch(/free: count \(1000 pages.*free-area sum \(900 pages\) by 100/);
  });

  it('NO_ZONE_DATA: a header with no Mem-Info after it is listed with its problem, and the run exits 0', async () => {
    const r = await cli(['report', '--json', R + 'header-without-meminfo.txt'], [R + 'header-without-meminfo.txt']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as ReportView[];
    expect(list.map((v) => [v.line, v.order, v.check === null, codes(v)])).toEqual([
      [1, 5, true, ['NO_ZONE_DATA']],
      [6, 2, false, ['CHECK_PASSES', 'FREE_COUNT_DRIFT']],
      [12, 1, true, ['NO_ZONE_DATA']],
    ]);
    expect(list[0]?.problems).toEqual([
      { line: 1, message: 'the allocation-failure header has no Mem-Info zone lines before the next report on line 6' },
    ]);
    expect(list[2]?.problems[0]?.message).toMatch(/before the end of the input/);
    const text = await cli(['report', R + 'header-without-meminfo.txt'], [R + 'header-without-meminfo.txt']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Could not read all of it:\n  - line 1: the allocation-failure header has no Mem-Info');
  });

  it('each report keeps its own codes in a mixed log (MODERN_WOULD_PASS needs a legacy kernel)', async () => {
    const list = await reports(R + 'multi-report-4.4-then-3.2.txt');
    // 4.4 GFP_ATOMIC order 3: DMA32 940 - 7 = 933 <= 384 + 4956; Normal 1100 - 7 = 1093 > 2048 -> 1024 -> 768 and
    // no block of order >= 3
    // DMA32's 933 pages are above its min 384: only the reserve refuses them. GFP_ATOMIC cannot sleep.
    expect(codes(list[0] as ReportView)).toEqual(['LOWMEM_RESERVE', 'NO_BLOCK', 'NO_DIRECT_RECLAIM']);
    // 4.4 OOM, order 0: Normal 752/4 = 188 + R (file (1024 + 2048)/4 = 768, anon (512 + 128)/4 = 160) = 1116
    // <= min 2048; DMA32 432/4 = 108 + 928 = 1036 <= 1024 + 4956: reclaim cannot help, the OOM killer runs.
    // An OOM report names its kind first: no memory cgroup line, so a global shortage.
    expect(codes(list[1] as ReportView)).toEqual(['OOM_GLOBAL_SHORTAGE', 'BELOW_WATERMARK', 'RECLAIM_CANNOT_HELP']);
    expect(codes(list[2] as ReportView)).toEqual([]);
  });
});

describe('a Mem-Info block with no header', () => {
  it('the seed-000 excerpt through report --kernel 2.6.32: kind meminfo, order null, no check', async () => {
    const v = await one('reports/seed-000-excerpt.txt', ['--kernel', '2.6.32']);
    expect(v).toMatchObject({ kind: 'meminfo', order: null, sizeBytes: null, mode: null, check: null, why: [], line: 1 });
    expect(v.flags).toEqual([]);
    expect(zoneOf(v, 0, 'DMA32')).toMatchObject({ freeKiB: 12560, minKiB: 7076, lowKiB: 8844, highKiB: 10612, lowmemReserve: null });
    const text = await cli(['report', '--kernel', '2.6.32', 'reports/seed-000-excerpt.txt'], ['reports/seed-000-excerpt.txt']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Found 1 report (0 with a failure header).');
    expect(text.out).toContain('memory dump (Mem-Info) with no failure header');
  });

  it('the same excerpt through check --order 4 --kernel 2.6.32: the seed\'s refusal', async () => {
    const r = await cli(['check', '--order', '4', '--kernel', '2.6.32', '--json', 'reports/seed-000-excerpt.txt'], ['reports/seed-000-excerpt.txt']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    // free = 3140 - 16 + 1 = 3125 > 1769 (no lowmem_reserve line: 0); o=0: 3125 - 2360 = 765 <= 1769 >> 1 = 884
    expect(j.zones[0].steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 765, minPages: 884, ok: false },
    ]);
  });

  it('a SysRq-m dump in a log is listed with order null', async () => {
    const v = (await reports(R + 'multi-report-4.4-then-3.2.txt'))[2] as ReportView;
    expect(v).toMatchObject({ kind: 'meminfo', order: null, check: null });
    // 42016 kB free in DMA32
    expect(zoneOf(v, 0, 'DMA32').freeKiB).toBe(42016);
  });
});

describe('bad input', () => {
  it('a truncated free-area line: the zone is listed without counts, the problem said, no crash', async () => {
    const text = `[ 49.000000] app: page allocation failure: order:2, mode:0x20\n${fixture(R + 'truncated-free-area-line.txt')}`;
    const r = await cli(['report', '--json', 'cut.txt'], [], { 'cut.txt': text });
    expect(r.code).toBe(0);
    const v = (JSON.parse(r.out) as ReportView[])[0] as ReportView;
    expect(zoneOf(v, 0, 'Normal').free).toBeNull();
    expect(zoneOf(v, 0, 'DMA32').free).toEqual([2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0]);
    // the cut line is physical line 8 of cut.txt (line 7 of the fixture, after the added header)
    expect(v.problems.some((p) => p.line === 8 && /cut short/.test(p.message))).toBe(true);
    const t = await cli(['report', 'cut.txt'], [], { 'cut.txt': text });
    expect(t.code).toBe(0);
    expect(t.out).toContain('free blocks per order: free-area line missing or cut short');
  });

  it('input with no report at all: exit 2 and one sentence', async () => {
    const r = await cli(['report', 'buddyinfo-two-node.txt'], ['buddyinfo-two-node.txt']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^buddyinfo: buddyinfo-two-node\.txt: found no allocation-failure report, OOM report or Mem-Info block .*\.\n$/);
    expect(r.err.split('\n').length).toBe(2);
  });

  it('reads piped input', async () => {
    const r = await cli(['report', '--json'], [], {}, { stdin: fixture(R + 'oom-4.19.txt') });
    expect(r.code).toBe(0);
    const v = (JSON.parse(r.out) as ReportView[])[0];
    expect(v).toMatchObject({ source: 'standard input', kind: 'oom', process: 'stress' });
  });
});

describe('the table and check take a report as input', () => {
  it('buddyinfo FILE shows the last report\'s zones', async () => {
    const r = await cli(['--json', R + 'multi-report-4.4-then-3.2.txt'], [R + 'multi-report-4.4-then-3.2.txt']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // the last report (line 40, 3.2 OOM): Node 0 Normal 90*4kB 10*8kB 1*16kB = 456 kB = 114 pages
    expect(j.zones.map((z: { node: number; zone: string }) => [z.node, z.zone])).toEqual([[0, 'Normal']]);
    expect(j.zones[0].free).toEqual([90, 10, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(j.zones[0].freePages).toBe(114);
    const t = await cli([R + '2.6.32-dot-header-printk-time.txt'], [R + '2.6.32-dot-header-printk-time.txt']);
    expect(t.code).toBe(0);
    // 12560 KiB = 3140 pages, 12.27 MiB
    expect(t.out).toMatch(/Node 0, zone DMA32: 12\.3 MiB free \(3,140 pages/);
  });

  it('check replays the last report\'s own request', async () => {
    const r = await cli(['check', '--json', R + '2.6.32-gfp-kernel-legacy-loop.txt'], [R + '2.6.32-gfp-kernel-legacy-loop.txt']);
    // the same verdict as report's replay above: every zone refuses
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ order: 4, algorithm: 'legacy', ok: false, replayedReport: { line: 1, order: 4, mode: '0x40d0' } });
  });
});

describe('runReport and viewReport directly', () => {
  const opts: ReportOptions = { files: ['a.txt'], mark: 'min', kernel: {}, explain: false, json: true, color: 0 };

  it('runReport gives the views and the notes that are not a report\'s own problem', async () => {
    const io = fakeIo({ files: { 'a.txt': fixture(R + 'header-without-meminfo.txt') } });
    const { reports: list, notes } = await runReport(io, opts);
    expect(list.map((v) => v.line)).toEqual([1, 6, 12]);
    expect(notes).toEqual([]);
  });

  it('--mark low replays the low mark on the fast path', async () => {
    const io = fakeIo({ files: { 'a.txt': fixture(R + '2.6.32-dot-header-printk-time.txt') } });
    const { reports: list } = await runReport(io, { ...opts, mark: 'low' });
    const v = list[0] as ReportView;
    // the fast path takes no reserve flags: ALLOC_WMARK_LOW|ALLOC_CPUSET. DMA32: low 8844/4 = 2211, so
    // 3125 <= 2211 + 1010 = 3221: below the low mark plus the reserve.
    expect(v.check?.flags).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
    expect(checked(v, 0, 'DMA32').steps[0]).toEqual({ check: 'watermark', freePages: 3125, minPages: 2211, reservePages: 1010, ok: false });
  });

  it('viewReport takes one parsed report, with the log\'s kernel when the report names none', () => {
    // the same paste with a banner after the report: a log states one release for all its reports
    const text = `${fixture(R + 'nbsp-pasted.txt')}Linux version 2.6.32-41-server (buildd@allspice) #94-Ubuntu SMP\n`;
    const report = parseReports(text, 'paste').reports[0] as FailureReport;
    const v = viewReport(report, { mark: 'min', ask: {}, defaultPageSize: 4096 });
    expect(v).toMatchObject({ kernelRelease: '2.6.32-41-server', kernelOrigin: 'input' });
    // the seed's DMA32 under GFP_ATOMIC (0x4020) on 2.6.32, no reserve line: 3125 > 664, then the loop passes
    // (765 > 332, 605 > 166, 521 > 83, 465 > 41; kernel.md section 2)
    expect(v.check?.ok).toBe(true);
    expect(checked(v, 0, 'DMA32').steps.map((s) => (s.check === 'block' ? null : s.freePages))).toEqual([3125, 765, 605, 521, 465]);
  });

  it('viewReport with a forced kernel and a report without zones', () => {
    const report = parseReports('x: page allocation failure: order:3, mode:0x20\n', 'one-line').reports[0] as FailureReport;
    const v = viewReport(report, { ask: { kernel: '5.4' }, mark: 'min', defaultPageSize: 16384 });
    expect(v).toMatchObject({ kernelRelease: '5.4', check: null, pageSize: 16384, sizeBytes: 8 * 16384, zones: [] });
    expect(codes(v)).toEqual(['NO_ZONE_DATA']);
  });
});

describe('zones a damaged report lost', () => {
  it('still head the walk for the reserve index, and are named as unchecked', async () => {
    const v = await one(R + 'journalctl-truncated-lines.txt');
    // 4.17 reads lowmem_reserve[] at the first zone of the zonelist (<= 5.7): Normal (index 2), whose zone line
    // survived though its free-area line was cut. DMA: 15896/4 = 3974 - 7 = 3967 free; min 32/4 = 8 -> 4 (HIGH)
    // -> 3 (HARDER); 3967 > 3 but <= 3 + lowmem_reserve[2] 31998. Its managed: was cut, so present:15996kB =
    // 3999 pages sizes it: 3999 - 7 = 3992 <= 3 + 31998, so it can never serve the request (left out of why).
    expect(v.check?.zones.map((z) => z.zone)).toEqual(['DMA']);
    expect(checked(v, 0, 'DMA').steps).toEqual([{ check: 'watermark', freePages: 3967, minPages: 3, reservePages: 31998, ok: false }]);
    expect(checked(v, 0, 'DMA')).toMatchObject({ code: 'NEVER_SERVES', sizePages: 3999, ceilingPages: 3992 });
    // With the only readable zone unable to serve it, what follows depends on the lost zones: no next step.
    expect(codes(v)).toEqual(['ZONES_UNREADABLE']);
    expect(v.check?.next).toBeUndefined();
    expect(v.why[0]?.text).toMatch(/node 0 DMA32 and node 0 Normal could not be checked/);
  });
});
