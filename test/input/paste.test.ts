// Pasted inputs through the CLI: mixed captures, debugfs rows, a pagetypeinfo or zoneinfo alone, and mismatched boxes.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { compareIndexTables, printedIndex } from '../../src/analysis/kernel-indices.js';
import { readPaste } from '../../src/parse/paste.js';
import { fakeIo, fixture, FIXTURES } from '../helpers/io.js';

async function run(argv: string[], files: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

// A three-order capture: 4*1 + 2*2 + 1*4 = 12 free pages.
const BUDDY = '[root@box ~]# cat /proc/buddyinfo\nNode 0, zone   Normal      4      2      1\n';
// unusable_index by hand (kernel.md 1d): order 0: suitable 12 blocks of 1 page, (12 - 12) * 1000 / 12 = 0;
// order 1: 2 + 1*2 = 4 blocks of 2 pages, (12 - 8) * 1000 / 12 = 333.3 -> 333; order 2: 1 block of 4, (12 - 4) * 1000 / 12 = 666.
const UNUSABLE = '[root@box ~]# cat /sys/kernel/debug/extfrag/unusable_index\nNode 0, zone   Normal 0.000 0.333 0.666\n';

describe('debugfs index rows pasted after a buddyinfo', () => {
  it('reads both, and says the kernel\'s unusable_index agrees with the buddyinfo', async () => {
    const r = await run(['--json', 'p.txt'], { 'p.txt': BUDDY + UNUSABLE });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.zones[0].free).toEqual([4, 2, 1]);
    expect(v.notes).toContain('p.txt, line 4: the kernel\'s unusable_index agrees with the buddyinfo at line 2 in all 3 cells.');
  });

  it('says where it differs, and never aborts', async () => {
    const r = await run(['--json', 'p.txt'], { 'p.txt': BUDDY + UNUSABLE.replace('0.666', '0.667') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).notes).toContain(
      'p.txt, line 4: the kernel\'s unusable_index differs from the buddyinfo at line 2 in 1 of 3 cells (first: Node 0 Normal, order 2: the kernel printed 0.667, the buddyinfo gives 0.666): they were read at different moments.',
    );
  });

  it('tells extfrag_index from its negative values when no prompt names it', () => {
    // extfrag of [4, 2, 1]: a block of every order is free, so -1000 ("-1.000") at each order.
    const p = readPaste(`${BUDDY}Node 0, zone   Normal -1.000 -1.000 -1.000\n`, 'p.txt');
    expect(p.indexTables[0]?.file).toBe('extfrag_index');
    expect(compareIndexTables(p.indexTables.map((t) => ({ table: t, snapshot: p.snapshots[0] })))).toEqual([
      'p.txt, line 3: the kernel\'s extfrag_index agrees with the buddyinfo at line 2 in all 3 cells.',
    ]);
  });

  it('prints the kernel\'s "%d.%03d" of index/1000 and index%1000, negative remainders included', () => {
    expect([1000, 954, 0, -1000, -500, -5].map(printedIndex)).toEqual(['1.000', '0.954', '0.000', '-1.000', '0.-500', '0.-05']);
  });

  it('refuses rows alone in one sentence: they hold indices, not free counts', async () => {
    const r = await run(['i.txt'], { 'i.txt': fixture('real/captures/07-x86_64-extfrag-index-debugfs.txt') });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'buddyinfo: i.txt: found the kernel\'s debugfs extfrag_index rows (line 1) but no buddyinfo: they hold indices, not free counts; give the buddyinfo read beside them.\n',
    );
  });
});

describe('captures of two boxes in one paste', () => {
  it('reads both as separate captures, says so, and shows the last', async () => {
    const text = [
      '[a]$ cat /proc/buddyinfo',
      'Node 0, zone   Normal  1 2 3 4 5 6 7 8 9 10 11 12 13 14',
      '[b]$ cat /proc/buddyinfo',
      'Node 0, zone   Normal  1 1 1 1 1 1 1 1 1 1 1',
      '',
    ].join('\n');
    const r = await run(['--json', 'p.txt'], { 'p.txt': text });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.snapshots).toBe(2);
    expect(v.zones[0].free).toHaveLength(11);
    expect(v.notes).toContain(
      'p.txt: the buddyinfo rows on line 2 have 14 orders and those on line 4 have 11: they come from different boxes or kernels, so they were read as separate captures.',
    );
  });
});

describe('a pagetypeinfo alone', () => {
  const PTI = [
    '$ sudo cat /proc/pagetypeinfo',
    'Page block order: 9',
    'Pages per block:  512',
    '',
    'Free pages count per migrate type at order       0      1      2',
    'Node    0, zone   Normal, type    Unmovable      3      1 >100000',
    'Node    0, zone   Normal, type      Movable      5      0      2',
    '',
    'Number of blocks type     Unmovable      Movable',
    'Node 0, zone   Normal            1            7',
    '',
  ].join('\n');

  it('behind a prompt, gives the counts per order as the sums of its per-type rows, the capped one a lower bound', async () => {
    const r = await run(['--json', 't.txt'], { 't.txt': PTI });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    // order 0: 3 + 5 = 8; order 1: 1 + 0 = 1; order 2: 100000 (at least) + 2 = 100002.
    expect(v.zones[0].free).toEqual([8, 1, 100002]);
    expect(v.zones[0].types.blocks).toEqual({ Unmovable: 1, Movable: 7 });
    expect(v.notes).toContain('The kernel stopped counting at 100000 in some lists (">100000"), so these counts are lower bounds: Node 0 Normal order 2.');
  });
});

describe('inputs from different boxes', () => {
  const pair = { 'b.txt': fixture('proc-x86_64-6.18/buddyinfo'), 'z.txt': fixture('proc-x86_64-6.18/zoneinfo') };

  it('states the drift of a buddyinfo and zoneinfo read back to back', async () => {
    const r = await run(['--json', 'b.txt', 'z.txt'], pair);
    expect(r.code).toBe(0);
    // Normal by buddyinfo: 3490 + 2059*2 + 1328*4 + 862*8 + 486*16 + 361*32 + 158*64 + 88*128 + 44*256 + 17*512
    // + 27*1024 = 108136 pages; zoneinfo "pages free 108155": 19 apart. DMA and DMA32 agree exactly.
    expect(JSON.parse(r.out).notes).toContain(
      'b.txt and the zoneinfo z.txt differ by up to 19 free pages in a zone (Node 0 Normal: 108136 against 108155), the drift of two reads at different moments.',
    );
  });

  it('stops with one sentence naming both files when the zoneinfo lacks a whole node the buddyinfo has', async () => {
    const r = await run(['b.txt', 'z.txt'], { 'b.txt': fixture('buddyinfo-two-node.txt'), 'z.txt': pair['z.txt'] });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'buddyinfo: b.txt and z.txt do not describe the same box: the buddyinfo lists Node 1 Normal, which the zoneinfo does not. Give captures of one box, or --force to read them together anyway.\n',
    );
  });

  it('stops when the buddyinfo holds more free pages than the zoneinfo says the zone has', async () => {
    // An arm64 box's DMA (1 GiB) against an x86 zoneinfo's DMA of present 3998 pages: 200 order-10 blocks = 204800 pages.
    const arm = 'Node 0, zone      DMA 0 0 0 0 0 0 0 0 0 0 200\nNode 0, zone    DMA32 0 0 0 0 0 0 0 0 0 0 754\nNode 0, zone   Normal 0 0 0 0 0 0 0 0 0 0 105\n';
    const r = await run(['b.txt', 'z.txt'], { 'b.txt': arm, 'z.txt': pair['z.txt'] });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Node 0 DMA has 204800 free pages in the buddyinfo, more than the 3998 pages the zoneinfo says the zone has');
  });

  it('reads them together under --force, saying what it let by', async () => {
    const r = await run(['--json', '--force', 'b.txt', 'z.txt'], { 'b.txt': fixture('buddyinfo-two-node.txt'), 'z.txt': pair['z.txt'] });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).notes).toContain(
      '--force: b.txt and z.txt were read together although the buddyinfo lists Node 1 Normal, which the zoneinfo does not.',
    );
  });

  it('stops when a pagetypeinfo has another number of orders', async () => {
    const pti = 'Page block order: 9\nPages per block:  512\n\nFree pages count per migrate type at order 0 1 2\nNode 0, zone DMA, type Movable 1 1 1\nNode 0, zone DMA32, type Movable 1 1 1\nNode 0, zone Normal, type Movable 1 1 1\n';
    const r = await run(['b.txt', 't.txt'], { 'b.txt': pair['b.txt'], 't.txt': pti });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Node 0 DMA has 11 orders in the buddyinfo and 3 in the pagetypeinfo, and one kernel prints one number of orders');
  });
});

describe('the paste reader', () => {
  it('in a paste, leaves out a row right below others with another number of orders (a damaged line), reading the rest', () => {
    const p = readPaste('$ cat /proc/buddyinfo\nNode 0, zone DMA 1 2 3\nNode 0, zone DMA32 1 2\nNode 0, zone Normal 4 5 6\n', 'p.txt');
    expect(p.snapshots.map((s) => s.zones.map((z) => z.zone))).toEqual([['DMA', 'Normal']]);
    expect(p.problems.map((e) => e.message)).toEqual([
      'p.txt, line 3: expected 3 free counts like "Node 0, zone DMA" (line 2), found 2; the line was left out.',
    ]);
  });

  it('in a plain capture, stops on such a row with zone lines after it, and leaves it out only as the last line', () => {
    expect(() => readPaste('Node 0, zone DMA 1 2 3\nNode 0, zone DMA32 1 2 3 4\nNode 0, zone Normal 4 5 6\n', 'b.txt')).toThrow(
      'b.txt, line 2: expected 3 free counts like "Node 0, zone DMA" (line 1), found 4.',
    );
    const last = readPaste('Node 0, zone DMA 1 2 3\nNode 0, zone Normal 4 5 6\nNode 0, zone DMA32 1 2 3 4\n', 'b.txt');
    expect(last.snapshots.map((s) => s.zones.map((z) => z.zone))).toEqual([['DMA', 'Normal']]);
    expect(last.problems.map((e) => e.message)).toEqual([
      'b.txt, line 3: expected 3 free counts like "Node 0, zone DMA" (line 1), found 4; it is the last zone line, as if cut while copied, so it was left out.',
    ]);
  });

  it('reads a quoted zoneinfo with grep separators and elisions, and a pagetypeinfo after a prompt, as sections', () => {
    const text = [
      '> $ grep -A 6 zone /proc/zoneinfo',
      '> Node 0, zone   Normal',
      '>   pages free     21328',
      '>         min      14896',
      '>         low      18620',
      '>         high     22344',
      '>       [...]',
      '> --',
      '# cat /proc/pagetypeinfo',
      'Page block order: 9',
      'Pages per block:  512',
      '',
      'Free pages count per migrate type at order       0      1',
      'Node    0, zone   Normal, type      Movable      1      2',
    ].join('\n');
    const p = readPaste(text, 'p.txt');
    expect(p.problems).toEqual([]);
    expect(p.zoneinfo[0]?.zones[0]).toMatchObject({ node: 0, zone: 'Normal', freePages: 21328, min: 14896, low: 18620, high: 22344, line: 2 });
    expect(p.pagetypeinfo[0]?.zones[0]?.free.Movable?.map((c) => c.count)).toEqual([1, 2]);
    expect(p.pagetypeinfo[0]?.zones[0]?.line).toBe(14);
  });
});

describe('raw /proc files concatenated', () => {
  it('reads `cat /proc/zoneinfo /proc/buddyinfo > saved.txt` as both', async () => {
    const text = fixture('proc-x86_64-6.18/zoneinfo') + fixture('proc-x86_64-6.18/buddyinfo');
    const r = await run(['--json', 'saved.txt'], { 'saved.txt': text });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    // The buddyinfo's Normal row, read off the file; the zoneinfo gives the verdicts.
    expect(v.zones[2].free).toEqual([3490, 2059, 1328, 862, 486, 361, 158, 88, 44, 17, 27]);
    expect(v.zones[2].largestPassingOrder).toBeDefined();
  });
});

describe('a pasted pagetypeinfo with CONFIG_PAGE_OWNER', () => {
  it('keeps its "Number of mixed blocks" table in the pagetypeinfo, not as buddyinfo rows', () => {
    const text = `$ cat /proc/pagetypeinfo\n${fixture('pagetypeinfo-arm64-6.2-cma-capped-page-owner.txt')}`;
    const p = readPaste(text, 'p.txt');
    expect(p.snapshots).toEqual([]);
    expect(p.problems).toEqual([]);
    // Read off the fixture's last table: Node 0, zone DMA  12  40  3  0  0  0.
    expect(p.pagetypeinfo[0]?.mixedBlocks?.[0]?.blocks).toEqual({ Unmovable: 12, Movable: 40, Reclaimable: 3, HighAtomic: 0, CMA: 0, Isolate: 0 });
  });
});

describe('the cross-check on the real corpus (fixtures/real/captures)', () => {
  const file = (n: number): string => {
    const dir = `${FIXTURES}real/captures/`;
    const name = readdirSync(dir).find((f) => f.startsWith(`${n}-`));
    if (name === undefined) throw new Error(`no capture ${n}`);
    return readFileSync(dir + name, 'utf8');
  };
  // Each pair is one box's buddyinfo with its own pagetypeinfo or zoneinfo (INDEX.md: same repository, same commit).
  const sameBox = [[32, 33], [32, 34], [35, 36], [35, 37], [38, 39], [38, 40], [41, 42], [41, 43], [44, 45], [46, 47], [46, 48]];
  // Each pair mixes two boxes of the corpus.
  const twoBoxes = [[41, 48], [46, 43], [32, 37], [35, 34], [38, 45], [44, 40], [46, 42], [41, 47], [46, 50], [41, 64]];

  it.each(sameBox)('accepts %i with %i, stating the drift', async (a, b) => {
    const r = await run(['--json', 'a.txt', 'b.txt'], { 'a.txt': file(a), 'b.txt': file(b) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).notes.some((n: string) => /^a\.txt and the (zoneinfo|pagetypeinfo) b\.txt (agree|differ)/.test(n))).toBe(true);
  });

  it.each(twoBoxes)('refuses %i with %i in one sentence', async (a, b) => {
    const r = await run(['a.txt', 'b.txt'], { 'a.txt': file(a), 'b.txt': file(b) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: a\.txt and b\.txt do not describe the same box: .*--force to read them together anyway\.\n$/);
  });
});

describe('a buddyinfo and a pagetypeinfo pasted in one text', () => {
  it('are never refused against each other, but their drift is said (corpus 10: DMA32 189,103 against 196,801 pages)', async () => {
    const { main } = await import('../../src/cli.js');
    const { fakeIo } = await import('../helpers/io.js');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../fixtures/real/captures/10-x86_64-buddyinfo-and-pagetypeinfo-terminal-padded.txt', import.meta.url), 'utf8');
    const io = fakeIo({ files: { 'c.txt': text } });
    expect(await main(['--json', '--by-type', 'c.txt'], io)).toBe(0);
    expect(JSON.parse(io.out()).notes).toContain(
      'In c.txt, the buddyinfo and the pagetypeinfo differ by up to 7698 free pages in a zone (Node 0 DMA32: 189103 against 196801), the drift of two reads at different moments.',
    );
  });
});
