// Every command reads one input the same way: one kernel choice, one page size.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fakeIo } from './helpers/io.js';

async function run(argv: string[], files: Record<string, string>) {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** A 4.12-5.11 zoneinfo zone: every zone type is printed, populated or not. */
function zone(node: number, name: string, free: number, min: number, managed: number, protection: number[]): string {
  return [
    `Node ${node}, zone ${name.padStart(8)}`,
    `  pages free     ${free}`,
    `        min      ${min}`,
    `        low      ${min + Math.floor(min / 4)}`,
    `        high     ${min + Math.floor(min / 2)}`,
    `        spanned  ${managed}`,
    `        present  ${managed}`,
    `        managed  ${managed}`,
    `        protection: (${protection.join(', ')})`,
  ].join('\n');
}

/**
 * The 5.4 box: node 0 holds DMA and DMA32, node 1 holds Normal. GFP_KERNEL's zonelist starts on
 * node 0 at DMA32 (its highest populated zone up to Normal). Up to 5.7 the reserve index is that
 * preferred zone's (classzone_idx = 1), so DMA32 reads protection[1] = 0: 9000 > 2092 + 0 passes at
 * order 0. From 5.8 it would read protection[2] = 12968 and fail (9000 <= 2092 + 12968).
 */
const BOX_5_4: Record<string, string> = {
  '/box/version': 'Linux version 5.4.0-150-generic (buildd@lcy02-amd64-001) (gcc version 9.4.0) #167-Ubuntu SMP\n',
  '/box/buddyinfo':
    'Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3 \n' +
    // 1096 + 500*2 + 250*4 + 125*8 + 50*16 + 25*32 + 10*64 + 5*128 + 2*256 + 1*512 = 9000 pages
    'Node 0, zone    DMA32   1096    500    250    125     50     25     10      5      2      1      0 \n' +
    'Node 1, zone   Normal  20000  10000   5000   2000   1000    500    200    100     50     20     10 \n',
  '/box/zoneinfo': [
    zone(0, 'DMA', 3900, 33, 3977, [0, 2870, 15838, 15838, 15838]),
    zone(0, 'DMA32', 9000, 2092, 734000, [0, 0, 12968, 12968, 12968]),
    zone(0, 'Normal', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(0, 'Movable', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(0, 'Device', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(1, 'DMA', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(1, 'DMA32', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(1, 'Normal', 250000, 10000, 3300000, [0, 0, 0, 0, 0]),
    zone(1, 'Movable', 0, 0, 0, [0, 0, 0, 0, 0]),
    zone(1, 'Device', 0, 0, 0, [0, 0, 0, 0, 0]),
  ].join('\n') + '\n',
};

describe('one kernel choice for every command', () => {
  it('the table and check agree on a 5.4 box whose reserve index is the preferred zone\'s', async () => {
    const show = await run(['--json', '--proc', '/box'], BOX_5_4);
    expect(show.code).toBe(0);
    const dma32 = JSON.parse(show.out).zones.find((z: { node: number; zone: string }) => z.node === 0 && z.zone === 'DMA32');
    const check = await run(['check', '--order', '0', '--json', '--proc', '/box'], BOX_5_4);
    expect(check.code).toBe(0);
    const checked = JSON.parse(check.out).zones.find((z: { node: number; zone: string }) => z.node === 0 && z.zone === 'DMA32');
    expect(checked.ok).toBe(true);
    expect(checked.reservePages).toBe(0);
    expect(dma32.watermarkOk.min[0]).toBe(true);
    expect(dma32.largestPassingOrder.min).toBeGreaterThanOrEqual(0);
  });
});

/**
 * A report from a 64 KiB-page kernel: the free-area line's first size is 64kB. 2*64 + 1*128 + 2*256 +
 * 0*512 + 1*1024 = 1792 kB, i.e. 28 pages of 64 KiB (read as 4 KiB pages it would be 448 pages, 1792 kB
 * all the same, but the byte totals of show and diff are then 16 times too small).
 */
const REPORT_64K =
  'app: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0\n' +
  'Node 0 Normal free:1792kB min:1024kB low:1280kB high:1536kB reserved_highatomic:0KB managed:4194304kB\n' +
  'lowmem_reserve[]: 0 0 0\n' +
  'Node 0 Normal: 2*64kB (M) 1*128kB (M) 2*256kB (M) 0*512kB 1*1024kB (M) 0*2048kB 0*4096kB 0*8192kB 0*16384kB 0*32768kB 0*65536kB 0*131072kB 0*262144kB 0*524288kB = 1792kB\n';

describe('one page size for every command', () => {
  it('diff takes the page size the input states, as show does', async () => {
    const show = await run(['--json', 'r.txt'], { 'r.txt': REPORT_64K });
    expect(JSON.parse(show.out).pageSize).toBe(65536);
    expect(JSON.parse(show.out).pageSizeOrigin).toBe('input');
    const diff = await run(['diff', '--json', 'r.txt', 'r.txt'], { 'r.txt': REPORT_64K });
    expect(diff.code).toBe(0);
    const view = JSON.parse(diff.out);
    expect(view.pageSize).toBe(65536);
    expect(view.pageSizeOrigin).toBe('input');
  });
});

describe('show, check, history, report and watch replay the same rules for the same input', () => {
  it.each([
    ['a saved procfs that states 5.4', { ...BOX_5_4 }, ['--proc', '/box']],
    ['the same with --kernel 6.1.157', { ...BOX_5_4 }, ['--proc', '/box', '--kernel', '6.1.157']],
    ['the same with --rules flags=6.3', { ...BOX_5_4 }, ['--proc', '/box', '--rules', 'flags=6.3']],
  ])('%s', async (_name, files, args) => {
    // history reads a log of snapshots and the zoneinfo and version files beside it
    const withLog = { ...files, '/box/log': files['/box/buddyinfo'] as string };
    const historyArgs = ['/box/log', '/box/zoneinfo', '/box/version', ...args.filter((a, i) => a !== '--proc' && args[i - 1] !== '--proc')];
    const json = async (argv: string[]) => JSON.parse((await run(argv, withLog)).out);
    const show = (await json(['--json', ...args])).watermarkCheck.rules;
    const check = (await json(['check', '--order', '2', '--json', ...args])).rules;
    const history = (await json(['history', '--order', '2', '--json', ...historyArgs])).check.rules;
    const io = fakeIo({ files: withLog });
    await main(['watch', '--order', '2', '--json', '--count', '1', ...args], io);
    const watch = JSON.parse(io.out()).verdict.rules;
    expect(check).toEqual(show);
    expect(history).toEqual(show);
    expect(watch).toEqual(show);
  });

  it('a report replays the rules check replays for it, with and without --kernel', async () => {
    const files = { 'r.txt': REPORT_64K.replace('\n', '\nCPU: 1 PID: 77 Comm: app Not tainted 5.15.171 #1\n') };
    for (const extra of [[], ['--kernel', '6.1.116']]) {
      const report = JSON.parse((await run(['report', '--json', 'r.txt', ...extra], files)).out)[0];
      const check = JSON.parse((await run(['check', '--json', 'r.txt', ...extra], files)).out);
      expect(report.check.rules).toEqual(check.rules);
      expect(report.kernelRelease).toBe(check.kernelRelease);
    }
  });
});

describe('check and report walk the same nodes for a report', () => {
  it("mems_allowed=0 on a two-node box: both walk node 0 only and fail, as the kernel did", async () => {
    const files = { 'r.txt': readFileSync(new URL('../fixtures/reports/5.10-two-node-mems-allowed-0.txt', import.meta.url), 'utf8') };
    const report = JSON.parse((await run(['report', '--json', 'r.txt'], files)).out)[0];
    const check = await run(['check', '--json', 'r.txt'], files);
    const j = JSON.parse(check.out);
    expect(check.code).toBe(1);
    expect(j.ok).toBe(report.check.ok);
    expect(j.ok).toBe(false);
    expect([...new Set(j.zones.map((z: { node: number }) => z.node))]).toEqual([0]);
    expect(j.replayedReport.nodes).toEqual({ list: '0', by: 'cpuset' });
  });
});

describe('for any release the input states, every command replays the same rules (property)', () => {
  it('show, check, history and watch agree on a procfs whose version file names it', async () => {
    const { default: fc } = await import('fast-check');
    const release = fc.oneof(
      fc.tuple(fc.constant(2), fc.constant(6), fc.integer({ min: 32, max: 39 })).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 330 })).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.constantFrom('3.10.0-1160.45.1.el7.x86_64', '4.18.0-513.el8.x86_64', '5.14.0-427.el9.x86_64', '6.1.0-40-amd64'),
    );
    await fc.assert(
      fc.asyncProperty(release, async (r) => {
        const files = { ...BOX_5_4, '/box/version': `Linux version ${r} (builder@host) #1 SMP\n`, '/box/log': BOX_5_4['/box/buddyinfo'] as string };
        const json = async (argv: string[]) => JSON.parse((await run(argv, files)).out);
        const show = (await json(['--json', '--proc', '/box'])).watermarkCheck;
        const check = await json(['check', '--order', '1', '--json', '--proc', '/box']);
        const history = (await json(['history', '--order', '1', '--json', '/box/log', '/box/zoneinfo', '/box/version'])).check;
        const io = fakeIo({ files });
        await main(['watch', '--order', '1', '--json', '--count', '1', '--proc', '/box'], io);
        const watch = JSON.parse(io.out()).verdict;
        for (const other of [check, history, watch]) {
          expect(other.kernelRelease).toBe(r);
          expect(other.rules).toEqual(show.rules);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('a dump without a header takes the shape of its log', () => {
  it('the nommu Mem-Info dumps of a 4.17 log are replayed by 4.17, in report and in check', async () => {
    const files = { 'r.txt': readFileSync(new URL('../fixtures/real/reports/15-4.17-lkl-nommu-order20-21-orders.txt', import.meta.url), 'utf8') };
    const reports = JSON.parse((await run(['report', '--json', 'r.txt'], files)).out) as { line: number; kind: string; kernelRelease: string }[];
    // lines 23, 42, 61 are dumps without a failure header; 1, 35, 54 are GFP_KERNEL failures whose printed
    // flag names and nodemask place them in 4.15-4.17.
    expect(reports.map((r) => [r.line, r.kind, r.kernelRelease])).toEqual([
      [1, 'allocation-failure', '4.17'],
      [23, 'meminfo', '4.17'],
      [35, 'allocation-failure', '4.17'],
      [42, 'meminfo', '4.17'],
      [54, 'allocation-failure', '4.17'],
      [61, 'meminfo', '4.17'],
    ]);
    expect(JSON.parse((await run(['check', '--json', 'r.txt'], files)).out).kernelRelease).toBe('4.17');
  });
});
