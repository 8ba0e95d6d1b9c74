// `buddyinfo diff` in-process through main(): the real compaction pair as text and JSON, one-sided zones, errors.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture, type FakeOptions } from '../helpers/io.js';

const files = { 'before.txt': fixture('diff-before.txt'), 'after.txt': fixture('diff-after.txt') };

async function run(argv: string[], opts: FakeOptions = {}) {
  const io = fakeIo({ files, ...opts });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('diff', () => {
  it('prints per zone the change of free memory and largest order, and a row per order', async () => {
    const r = await run(['diff', 'before.txt', 'after.txt']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Before: before.txt; after: after.txt. Page size 4 KiB (assumed; see --page-size).');
    // Normal: 234679 -> 246295 pages of 4 KiB = 916.7 MiB -> 962.1 MiB, +11616 pages = +45.4 MiB
    expect(r.out).toContain('Node 0, zone Normal: free 916.7 MiB → 962.1 MiB (+45.4 MiB), largest free order 10 → 10 (0)');
    // order 10: 99 -> 170 blocks, +71 blocks of 4 MiB = +284 MiB; unusable 0.568 -> 0.293
    const row = lines.find((l) => /^\s+10\s+4 MiB\s+99\s+170/.test(l));
    expect(row?.replace(/\s+/g, ' ').trim()).toBe('10 4 MiB 99 170 +71 +284 MiB 0.568 → 0.293 -1.000 → -1.000');
    const row0 = lines.filter((l) => /^\s+0\s+4 KiB/.test(l))[2];
    expect(row0?.replace(/\s+/g, ' ').trim()).toBe('0 4 KiB 12,749 907 -11,842 -46.3 MiB 0.000 → 0.000 -1.000 → -1.000');
  });

  it('gives the documented JSON', async () => {
    const j = JSON.parse((await run(['diff', '--json', 'before.txt', 'after.txt'])).out);
    expect(j.before).toBe('before.txt');
    expect(j.zones[2]).toMatchObject({
      node: 0,
      zone: 'Normal',
      before: [12749, 6849, 2810, 954, 1015, 490, 212, 104, 60, 27, 99],
      after: [907, 904, 337, 307, 200, 135, 97, 70, 62, 53, 170],
      delta: [-11842, -5945, -2473, -647, -815, -355, -115, -34, 2, 26, 71],
      freePages: { before: 234679, after: 246295, delta: 11616 },
      largestOrder: { before: 10, after: 10, delta: 0 },
    });
  });

  it('lists a zone on one side only with the other side null', async () => {
    const r = await run(['diff', '--json', 'a', 'b'], {
      files: { a: 'Node 0, zone DMA32 1 1\n', b: 'Node 0, zone DMA32 1 1\nNode 0, zone Movable 0 2\n' },
    });
    const j = JSON.parse(r.out);
    expect(j.zones[1]).toMatchObject({ zone: 'Movable', only: 'after', before: null, after: [0, 2], delta: null });
    const text = (await run(['diff', 'a', 'b'], { files: { a: 'Node 0, zone DMA32 1 1\n', b: 'Node 0, zone Movable 0 2\n' } })).out;
    expect(text).toContain('Node 0, zone DMA32: only before: gone after (12 KiB free, largest free order 1)');
    expect(text).toContain('Node 0, zone Movable: only after: not there before (16 KiB free, largest free order 1)');
  });

  it('compares the last snapshot of a log and says so', async () => {
    const r = await run(['diff', '--json', 'log', 'after.txt'], {
      files: { log: 'Node 0, zone Normal 1 1\nNode 0, zone Normal 2 2\n', 'after.txt': 'Node 0, zone Normal 3 3\n' },
    });
    const j = JSON.parse(r.out);
    expect(j.zones[0].before).toEqual([2, 2]);
    expect(j.notes).toEqual(['log holds 2 snapshots: comparing its last.']);
  });

  it('reads one side from standard input, not both', async () => {
    const r = await run(['diff', '--json', '-', 'after.txt'], { stdin: fixture('diff-before.txt') });
    expect(JSON.parse(r.out).before).toBe('standard input');
    const both = await run(['diff', '-', '-'], { stdin: 'x' });
    expect(both.code).toBe(2);
    expect(both.err).toBe('buddyinfo: diff: only one side can be standard input ("-").\n');
  });

  it('needs both sides', async () => {
    const r = await run(['diff', 'before.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing required argument 'after'/);
  });

  it('colours changes only on a terminal', async () => {
    expect((await run(['diff', 'before.txt', 'after.txt'])).out).not.toContain('\x1b[');
    expect((await run(['diff', 'before.txt', 'after.txt'], { stdoutTTY: true })).out).toContain('\x1b[32m+71');
  });
});
