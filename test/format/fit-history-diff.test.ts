// history and diff on an 80-column terminal: no line wider than it, and the figures still there.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { narrowCells } from '../../src/format/history.js';
import { visibleWidth } from '../../src/format/wrap.js';
import { fakeIo, fixture } from '../helpers/io.js';

/** Runs the CLI with standard output a terminal of `columns` (colour on, as a terminal has it); undefined: a pipe. */
async function at(columns: number | undefined, argv: string[], files: Record<string, string>) {
  const io = fakeIo({ files, stdoutTTY: columns !== undefined, columns: columns ?? 80 });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));
/** The text as one line with single spaces, so a phrase can be found across the lines it was wrapped onto. */
const flat = (text: string): string => plain(text).replace(/\s+/g, ' ');
/** The cells of the first table row whose first cell is `first`, after the line that starts zone `zone`. */
function row(text: string, zone: string, first: string): string[] {
  const lines = plain(text).split('\n');
  const from = lines.findIndex((l) => l.startsWith(`Node 0, zone ${zone}:`));
  const found = lines.slice(from).find((l) => l.trim().split(/\s{2,}/)[0] === first);
  return found?.trim().split(/\s{2,}/) ?? [];
}

describe('history at 80 columns', () => {
  const stamps = { 'stamps.txt': fixture('history-stamps.txt') };

  it('wraps the prose and the periods; the figures of the log stay', async () => {
    const r = await at(80, ['history', '--order', '4', 'stamps.txt'], stamps);
    expect(r.code).toBe(0);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    const text = flat(r.out);
    expect(text).toContain('6 snapshots from Mon Nov 2 10:00:00 UTC 2026 to Mon 02 Nov 2026 10:05:00 AM UTC (5m 0s).');
    // Normal's free pages per snapshot: 32, 16, 12, 16, 0, 2 -> min 0, median (12 + 16) / 2 = 14 pages = 56 KiB, max 32 = 128 KiB
    expect(row(r.out, 'Normal', 'free memory')).toEqual(['free memory', '0 B', '56 KiB', '128 KiB']);
    // Largest orders 3 0 2 4 -1 0: no block of order 4 or more in snapshots 1-3 and 5-6.
    expect(text).toContain('no free block of order 4 or larger in 5 snapshots, 2 periods:');
    expect(text).toContain('first: from Mon Nov 2 10:00:00 UTC 2026 (snapshot 1), 3 snapshots, 3m 0s, back at === Mon, 02 Nov 2026 10:03:00 +0000 === (snapshot 4)');
    expect(text).toContain('last: from === sample 5 === (snapshot 5), 2 snapshots, still so at the end of the log');
  });

  it('a period cut onto two lines goes on under its text, clear of the label', async () => {
    const r = await at(80, ['history', '--order', '4', 'stamps.txt'], stamps);
    const lines = plain(r.out).split('\n');
    const first = lines.findIndex((l) => l.startsWith('    first:   from Mon Nov  2'));
    expect(first).toBeGreaterThan(0);
    expect(lines[first + 1]).toMatch(/^ {13}\S/);
  });

  it('with a zoneinfo: the replayed check wraps too', async () => {
    const files = { 'log.txt': fixture('history-live-6.18.txt'), 'zoneinfo.txt': fixture('zoneinfo-x86_64-6.18-live.txt') };
    const r = await at(80, ['history', '--order', '4', 'log.txt', 'zoneinfo.txt'], files);
    expect(r.code).toBe(0);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    expect(flat(r.out)).toContain('Replaying the min-mark check of an order-4 GFP_KERNEL request on every snapshot');
    expect(flat(r.out)).toContain('30 snapshots from Sun Nov 22 04:02:59 UTC 2026 to Sun Nov 22 04:03:57 UTC 2026 (58s).');
    expect(row(r.out, 'DMA', 'largest free order')).toEqual(['largest free order', '10', '10', '10']);
  });

  // 200 snapshots: the first 100 with a free order-10 block, the rest with order-0 blocks only. The
  // summary keeps 60 cells, cell i the minimum of snapshots floor(i * 200 / 60) up to floor((i + 1) * 200 / 60):
  // cells 0-29 end before snapshot 100 (order 10: █), cells 30-59 after it (order 0: round(1 * 7 / 11) = 1, ▂).
  const long = {
    'long.txt': Array.from({ length: 200 }, (_, i) => `Node 0, zone Normal 5 0 0 0 0 0 0 0 0 0 ${i < 100 ? 1 : 0}\n`).join(''),
  };

  it('a sparkline too long for its label line goes under it, every cell kept', async () => {
    const r = await at(80, ['history', 'long.txt'], long);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    const lines = plain(r.out).split('\n');
    const label = lines.indexOf('  largest free order over time (10 = █, none = ▁):');
    expect(label).toBeGreaterThan(0);
    expect(lines[label + 1]).toBe(`    ${'█'.repeat(30)}${'▂'.repeat(30)}`);
    const piped = await at(undefined, ['history', 'long.txt'], long);
    expect(piped.out).toContain(`  largest free order over time: ${'█'.repeat(30)}${'▂'.repeat(30)}  (10 = █, none = ▁)`);
  });

  it('at 40 columns the sparkline merges cells to fit: the minimum of each group', async () => {
    const r = await at(40, ['history', 'long.txt'], long);
    const lines = plain(r.out).split('\n');
    // 36 cells of 60: cell i takes cells floor(i * 60 / 36) up to floor((i + 1) * 60 / 36); cell 17 ends at
    // cell 30, so 18 cells are wholly before snapshot 100 and 18 wholly after.
    expect(lines).toContain(`    ${'█'.repeat(18)}${'▂'.repeat(18)}`);
    // The table's labels shorten for every zone alike.
    expect(row(r.out, 'Normal', 'free')[0]).toBe('free');
  });

  it('piped, every line stays whole', async () => {
    const r = await at(undefined, ['history', '--order', '4', 'stamps.txt'], stamps);
    expect(r.out.split('\n')[0]).toBe(
      '6 snapshots from Mon Nov  2 10:00:00 UTC 2026 to Mon 02 Nov 2026 10:05:00 AM UTC (5m 0s). Page size 4 KiB (assumed; see --page-size).',
    );
  });
});

describe('narrowCells', () => {
  it('merges neighbours to their minimum; a group is absent only when all of it was', () => {
    expect(narrowCells([5, null, 3, 7], 2)).toEqual([5, 3]);
    expect(narrowCells([null, null, 1], 2)).toEqual([null, 1]);
    expect(narrowCells([4, 2], 5)).toEqual([4, 2]);
  });
});

describe('diff at 80 columns', () => {
  const files = { 'before.txt': fixture('diff-before.txt'), 'after.txt': fixture('diff-after.txt') };

  it('drops the block column, wraps the prose, keeps the counts', async () => {
    const r = await at(80, ['diff', 'before.txt', 'after.txt'], files);
    expect(r.code).toBe(0);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    expect(row(r.out, 'Normal', 'order')).toEqual(['order', 'before', 'after', 'change', 'memory', 'unusable', 'extfrag']);
    // Normal, order 10: 99 -> 170 blocks, +71 of 4 MiB = +284 MiB; order 0: 12,749 -> 907, -11,842 pages = -46.3 MiB
    expect(row(r.out, 'Normal', '10')).toEqual(['10', '99', '170', '+71', '+284 MiB', '0.568 → 0.293', '-1.000 → -1.000']);
    expect(row(r.out, 'Normal', '0')).toEqual(['0', '12,749', '907', '-11,842', '-46.3 MiB', '0.000 → 0.000', '-1.000 → -1.000']);
    // 234,679 -> 246,295 pages of 4 KiB
    expect(flat(r.out)).toContain('Node 0, zone Normal: free 916.7 MiB → 962.1 MiB (+45.4 MiB), largest free order 10 → 10 (0)');
  });

  it('wider counts lose the fragmentation index too, the same columns in every zone', async () => {
    const big = {
      'a.txt': 'Node 0, zone DMA32 1 0 0\nNode 0, zone Normal 1000000 2000000 3000000\n',
      'b.txt': 'Node 0, zone DMA32 1 0 0\nNode 0, zone Normal 3000000 2000000 1000000\n',
    };
    const r = await at(80, ['diff', 'a.txt', 'b.txt'], big);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    // Every column: 2 + 5 + 6 + 9 + 9 + 10 + 9 + 13 + 15 + 7 gaps of 2 = 92; without block 84; without extfrag too, 67.
    expect(row(r.out, 'DMA32', 'order')).toEqual(['order', 'before', 'after', 'change', 'memory', 'unusable']);
    expect(row(r.out, 'Normal', 'order')).toEqual(['order', 'before', 'after', 'change', 'memory', 'unusable']);
    // Order 2: -2,000,000 blocks of 16 KiB = -32,768,000,000 B = -30.5 GiB. Unusable below order 2: before
    // (1 + 4) / (1 + 4 + 12) million pages = 0.294, after (3 + 4) / (3 + 4 + 4) = 0.636.
    expect(row(r.out, 'Normal', '2')).toEqual(['2', '3,000,000', '1,000,000', '-2,000,000', '-30.5 GiB', '0.294 → 0.636']);
  });

  it('on a wide terminal and piped, every column stays', async () => {
    for (const columns of [160, undefined]) {
      const r = await at(columns, ['diff', 'before.txt', 'after.txt'], files);
      expect(row(r.out, 'Normal', 'order')).toEqual(['order', 'block', 'before', 'after', 'change', 'memory', 'unusable', 'extfrag']);
    }
  });
});
