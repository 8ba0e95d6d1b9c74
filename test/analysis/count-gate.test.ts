// check --count: free blocks of order N per node, a larger block counting as 2^j, counted by hand.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { unitsOf } from '../../src/analysis/count-gate.js';
import { fakeIo, fixture } from '../helpers/io.js';

const TWO_NODES = [
  'Node 0, zone   Normal      0      0      0      0      0      0      0      0      3      1      2 ',
  'Node 1, zone   Normal      0      0      0      0      0      0      0      0      0      0      1 ',
  '',
].join('\n');
const MARKS = ['--min', '100', '--low', '120', '--high', '140', '--kernel', '6.18'];

async function run(args: string[], files: Record<string, string> = { 'b.txt': TWO_NODES }) {
  const io = fakeIo({ files });
  const code = await main(['check', '--json', ...args], io);
  return { code, j: JSON.parse(io.out() || '{}'), err: io.err() };
}

describe('unitsOf', () => {
  it('splits larger blocks: order 9 from 3 x order 8, 1 x order 9, 2 x order 10 = 1 + 2*2 = 5; order 8 = 3 + 2 + 8 = 13', () => {
    const free = [0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2];
    expect(unitsOf(free, 9)).toBe(5);
    expect(unitsOf(free, 8)).toBe(13);
    expect(unitsOf(free, 11)).toBe(0);
  });
});

describe('check --count', () => {
  it('passes when some node has K: node 0 has 5 order-9 blocks, node 1 has 2 (its order-10 block)', async () => {
    const r = await run(['--order', '9', '--count', '5', ...MARKS, 'b.txt']);
    expect(r.code).toBe(0);
    expect(r.j.gate).toEqual({
      order: 9,
      count: 5,
      ok: true,
      nodes: [
        { node: 0, units: 5, ok: true, zones: [{ zone: 'Normal', units: 5 }] },
        { node: 1, units: 2, ok: false, zones: [{ zone: 'Normal', units: 2 }] },
      ],
    });
    expect(r.j).toMatchObject({ ok: true, watermarkOk: true, failed: [] });
  });

  it('fails with TOO_FEW_BLOCKS at 6, though the watermark check passes; --node 1 asks node 1 alone', async () => {
    const r = await run(['--order', '9', '--count', '6', ...MARKS, 'b.txt']);
    expect(r.code).toBe(1);
    expect(r.j).toMatchObject({ ok: false, watermarkOk: true, failed: ['count'], gate: { ok: false, code: 'TOO_FEW_BLOCKS' } });
    const one = await run(['--order', '9', '--count', '2', '--node', '1', ...MARKS, 'b.txt']);
    expect(one.j.gate.nodes).toEqual([{ node: 1, units: 2, ok: true, zones: [{ zone: 'Normal', units: 2 }] }]);
  });

  it('--size 2M is order 9 with 4 KiB pages; both verdicts failing are both named', async () => {
    // node 0 holds 3*256 + 512 + 2*1024 = 3328 pages, node 1 1024: below min 5000 in both
    const r = await run(['--size', '2M', '--count', '6', '--min', '5000', '--low', '6000', '--high', '7000', '--kernel', '6.18', 'b.txt']);
    expect(r.code).toBe(1);
    expect(r.j).toMatchObject({ order: 9, watermarkOk: false, failed: ['watermark', 'count'] });
    const text = fakeIo({ files: { 'b.txt': TWO_NODES } });
    await main(['check', '--size', '2M', '--count', '6', '--min', '5000', '--low', '6000', '--high', '7000', '--kernel', '6.18', 'b.txt'], text);
    expect(text.out()).toContain('FAIL the watermark check and the count gate failed: at least 6 free blocks of order 9 (2 MiB) on some node');
    expect(text.out()).toContain('  Node 0: 5 (Normal 5): too few.');
  });

  it('leaves out a zone that can never serve the request (DMA for GFP_KERNEL on the 6.18 capture)', async () => {
    const dir = 'fixtures/proc-x86_64-6.18';
    const files = Object.fromEntries(['buddyinfo', 'zoneinfo', 'version'].map((f) => [`${dir}/${f}`, fixture(`proc-x86_64-6.18/${f}`)]));
    // order 8: DMA32 4 + 2*2 + 752*4 = 3016; Normal 44 + 17*2 + 27*4 = 186; DMA (1 + 2 + 12 = 15) never serves
    const r = await run(['--order', '8', '--count', '3202', '--proc', dir], files);
    expect(r.j.gate.nodes[0]).toEqual({ node: 0, units: 3202, ok: true, zones: [{ zone: 'Normal', units: 186 }, { zone: 'DMA32', units: 3016 }] });
    expect((await run(['--order', '8', '--count', '3203', '--proc', dir], files)).code).toBe(1);
  });

  it('refuses a count below 1', async () => {
    const r = await run(['--order', '9', '--count', '0', ...MARKS, 'b.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: --count 0: expected a whole number of blocks, 1 or more, e.g. --count 4.\n');
  });
});
