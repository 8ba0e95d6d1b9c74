// Tests the /proc/pagetypeinfo parser on real captures and on hand-written fixtures of every generation.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, type TypeCount } from '../../src/model.js';
import { looksLikePagetypeinfo, parsePagetypeinfo } from '../../src/parse/pagetypeinfo.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const CORPUS = new URL('../../fixtures/shared-corpus/', import.meta.url);

/** Plain counts, as read off a capture: every cell exact (no `>` cap). */
const exact = (...n: number[]): TypeCount[] => n.map((count) => ({ count, atLeast: false }));

function inputError(text: string, source = 'pti.txt'): InputError {
  try {
    parsePagetypeinfo(text, source);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

function zone(r: ReturnType<typeof parsePagetypeinfo>, node: number, name: string) {
  const z = r.zones.find((x) => x.node === node && x.zone === name);
  if (!z) throw new Error(`no zone ${node}/${name}`);
  return z;
}

/** Free pages held on one zone's lists: sum over types and orders of count << order. */
function pages(free: Record<string, TypeCount[]>): number {
  return Object.values(free).reduce((s, row) => s + row.reduce((t, c, o) => t + c.count * 2 ** o, 0), 0);
}

describe('fixtures copied from the corpus', () => {
  const copies: Array<[string, string]> = [
    ['pagetypeinfo-x86_64-6.6-chromeos-blockorder10.txt', '39-pagetypeinfo-x86_64-chromeos-6.6-blockorder10-no-cma-isolate.txt'],
    ['pagetypeinfo-arm32-3.18-cma-reserve.txt', '45-pagetypeinfo-arm32-mdm9607-3.18-cma-and-reserve.txt'],
    ['buddyinfo-chromeos-6.6.txt', '38-buddyinfo-x86_64-chromeos-6.6-n100-raw.txt'],
  ];
  for (const [copy, original] of copies) {
    it(`${copy} is byte for byte corpus ${original}`, () => {
      const a = readFileSync(new URL(`../../fixtures/${copy}`, import.meta.url));
      const b = readFileSync(new URL(original, CORPUS));
      expect(a.equals(b)).toBe(true);
    });
  }
});

describe('corpus 45: arm32 3.18 (Qualcomm), CMA and Reserve types', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-arm32-3.18-cma-reserve.txt'), 'corpus45');

  it('reads the preamble and the type names in the file order (this vendor tree puts CMA before Reserve)', () => {
    expect(r.pageblockOrder).toBe(10);
    expect(r.pagesPerBlock).toBe(1024);
    expect(r.typeNames).toEqual(['Unmovable', 'Reclaimable', 'Movable', 'CMA', 'Reserve', 'Isolate']);
    expect(r.mixedBlocks).toBeUndefined();
  });

  it('reads every row of the one zone', () => {
    expect(r.zones).toHaveLength(1);
    const z = zone(r, 0, 'Normal');
    expect(z.line).toBe(5);
    expect(z.source).toBe('corpus45');
    expect(z.free).toEqual({
      Unmovable: exact(1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0),
      Reclaimable: exact(0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0),
      Movable: exact(0, 1, 1, 0, 0, 0, 0, 2, 4, 4, 26),
      CMA: exact(0, 1, 1, 1, 0, 1, 0, 2, 1, 2, 0),
      Reserve: exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
      Isolate: exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    });
  });

  it('reads the blocks table', () => {
    expect(zone(r, 0, 'Normal').blocks).toEqual({ Unmovable: 5, Reclaimable: 2, Movable: 34, CMA: 2, Reserve: 1, Isolate: 0 });
  });

  it('agrees with zoneinfo capture 46 of the same device', () => {
    const z = zone(r, 0, 'Normal');
    // By hand: Unmovable 1+32+64+256 = 353, Reclaimable 4+8+16+64+128+256 = 476,
    // Movable 2+4+256+1024+2048+26*1024 = 29958, CMA 2+4+8+32+256+256+1024 = 1582, Reserve 1024.
    // 353 + 476 + 29958 + 1582 + 1024 = 33393 = zoneinfo `pages free`; CMA 1582 = `nr_free_cma`.
    expect(pages(z.free)).toBe(33393);
    expect(pages({ CMA: z.free.CMA ?? [] })).toBe(1582);
  });
});

describe('corpus 39: ChromeOS 6.6 x86_64, page block order 10, no CMA or Isolate', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-x86_64-6.6-chromeos-blockorder10.txt'), 'corpus39');

  it('reads the preamble and the 4.4+ type order', () => {
    expect([r.pageblockOrder, r.pagesPerBlock]).toEqual([10, 1024]);
    expect(r.typeNames).toEqual(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic']);
    expect(r.zones.map((z) => [z.node, z.zone, z.line])).toEqual([
      [0, 'DMA', 5],
      [0, 'DMA32', 9],
      [0, 'Normal', 13],
    ]);
  });

  it('reads the Normal rows', () => {
    const n = zone(r, 0, 'Normal');
    expect(n.free.Unmovable).toEqual(exact(0, 0, 660, 294, 218, 57, 11, 5, 4, 0, 4));
    expect(n.free.Movable).toEqual(exact(10656, 8282, 1910, 571, 259, 192, 68, 26, 7, 1, 378));
    expect(n.free.Reclaimable).toEqual(exact(682, 347, 62, 280, 184, 92, 45, 13, 1, 2, 0));
    expect(n.free.HighAtomic).toEqual(exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  });

  it('reads the blocks table', () => {
    expect(zone(r, 0, 'DMA').blocks).toEqual({ Unmovable: 1, Movable: 3, Reclaimable: 0, HighAtomic: 0 });
    expect(zone(r, 0, 'DMA32').blocks).toEqual({ Unmovable: 1, Movable: 470, Reclaimable: 0, HighAtomic: 0 });
    expect(zone(r, 0, 'Normal').blocks).toEqual({ Unmovable: 140, Movable: 1337, Reclaimable: 58, HighAtomic: 0 });
  });

  it('sums per order to the DMA and DMA32 rows of buddyinfo capture 38 (INDEX.md: they match)', () => {
    const buddy = new Map(
      fixture('buddyinfo-chromeos-6.6.txt')
        .trim()
        .split('\n')
        .map((l) => {
          const f = l.trim().split(/\s+/);
          return [f[3] ?? '', f.slice(4).map(Number)] as const;
        }),
    );
    expect(buddy.get('DMA32')).toEqual([2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 437]);
    for (const name of ['DMA', 'DMA32']) {
      const z = zone(r, 0, name);
      const sums = Array.from({ length: 11 }, (_, o) =>
        Object.values(z.free).reduce((s, row) => s + (row[o]?.count ?? 0), 0),
      );
      expect(sums).toEqual(buddy.get(name));
    }
  });
});

describe('live capture from this 6.18 machine (Isolate type, page block order 9)', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-x86_64-6.18-live.txt'), 'live');

  it('reads the preamble, five types and three zones', () => {
    expect([r.pageblockOrder, r.pagesPerBlock]).toEqual([9, 512]);
    expect(r.typeNames).toEqual(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate']);
    expect(r.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
  });

  it('reads DMA', () => {
    const d = zone(r, 0, 'DMA');
    expect(d.free.Unmovable).toEqual(exact(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0));
    expect(d.free.Movable).toEqual(exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3));
    expect(d.blocks).toEqual({ Unmovable: 1, Movable: 7, Reclaimable: 0, HighAtomic: 0, Isolate: 0 });
  });
});

describe('2.6.32 layout (hand-written): Reserve type, no CMA', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-x86_64-2.6.32.txt'), '2632');

  it('reads the 2.6.32-4.3 type order', () => {
    expect(r.typeNames).toEqual(['Unmovable', 'Reclaimable', 'Movable', 'Reserve', 'Isolate']);
    expect([r.pageblockOrder, r.pagesPerBlock]).toEqual([9, 512]);
  });

  it('reads rows and blocks', () => {
    const d32 = zone(r, 0, 'DMA32');
    expect(d32.free.Movable).toEqual(exact(812, 455, 301, 122, 60, 33, 12, 8, 4, 2, 591));
    expect(d32.free.Reserve).toEqual(exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2));
    expect(d32.blocks).toEqual({ Unmovable: 52, Reclaimable: 20, Movable: 1405, Reserve: 2, Isolate: 0 });
    expect(zone(r, 0, 'Normal').blocks?.Reserve).toBe(1);
  });
});

describe('4.4 layout, two nodes (the file repeats per node)', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-x86_64-4.4-two-node.txt'), '44');

  it('collects the zones of both node sections', () => {
    expect(r.zones.map((z) => [z.node, z.zone, z.line])).toEqual([
      [0, 'DMA', 5],
      [0, 'DMA32', 10],
      [0, 'Normal', 15],
      [1, 'Normal', 29],
    ]);
    expect(r.typeNames).toEqual(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate']);
  });

  it('attaches each node section blocks table to its own zones', () => {
    expect(zone(r, 0, 'Normal').blocks).toEqual({ Unmovable: 310, Movable: 6060, Reclaimable: 120, HighAtomic: 1, Isolate: 0 });
    expect(zone(r, 1, 'Normal').blocks).toEqual({ Unmovable: 280, Movable: 7880, Reclaimable: 31, HighAtomic: 0, Isolate: 1 });
    expect(zone(r, 1, 'Normal').free.Isolate).toEqual(exact(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    expect(zone(r, 0, 'Normal').free.HighAtomic).toEqual(exact(0, 0, 12, 3, 1, 0, 0, 0, 0, 0, 0));
  });

  it('refuses node sections that disagree on the page block order', () => {
    const text = fixture('pagetypeinfo-x86_64-4.4-two-node.txt').replace(
      /(Page block order: 9\nPages per block: {2}512\n[\s\S]*)Page block order: 9\nPages per block: {2}512/,
      '$1Page block order: 10\nPages per block:  1024',
    );
    const e = inputError(text);
    expect(e.message).toBe('pti.txt, line 25: expected "Page block order" to be 9 as on line 1, found 10.');
  });
});

describe('6.2 arm64 (hand-written): CMA, capped cells, mixed blocks', () => {
  const r = parsePagetypeinfo(fixture('pagetypeinfo-arm64-6.2-cma-capped-page-owner.txt'), '62');

  it('keeps a `>100000` cell as a lower bound, never a plain count', () => {
    const dmaMovable = zone(r, 0, 'DMA').free.Movable;
    expect(dmaMovable?.[0]).toEqual({ count: 100000, atLeast: true });
    expect(dmaMovable?.[1]).toEqual({ count: 41022, atLeast: false });
    const normalMovable = zone(r, 0, 'Normal').free.Movable;
    expect(normalMovable?.slice(0, 3)).toEqual([
      { count: 100000, atLeast: true },
      { count: 100000, atLeast: true },
      { count: 30110, atLeast: false },
    ]);
  });

  it('marks only the three capped cells as lower bounds', () => {
    const capped = r.zones.flatMap((z) =>
      Object.entries(z.free).flatMap(([t, row]) => row.flatMap((c, o) => (c.atLeast ? [`${z.zone}/${t}/${o}`] : []))),
    );
    expect(capped).toEqual(['DMA/Movable/0', 'Normal/Movable/0', 'Normal/Movable/1']);
  });

  it('reads the CMA type and its blocks', () => {
    expect(r.typeNames).toEqual(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate']);
    expect(zone(r, 0, 'DMA').free.CMA).toEqual(exact(1203, 620, 311, 140, 61, 30, 12, 6, 3, 1, 22));
    expect(zone(r, 0, 'DMA').blocks).toEqual({ Unmovable: 60, Movable: 1721, Reclaimable: 16, HighAtomic: 0, CMA: 128, Isolate: 0 });
  });

  it('keeps the mixed-blocks table apart from the blocks table', () => {
    expect(r.mixedBlocks).toEqual([
      { node: 0, zone: 'DMA', blocks: { Unmovable: 12, Movable: 40, Reclaimable: 3, HighAtomic: 0, CMA: 0, Isolate: 0 }, source: '62', line: 23 },
      { node: 0, zone: 'Normal', blocks: { Unmovable: 71, Movable: 230, Reclaimable: 19, HighAtomic: 0, CMA: 0, Isolate: 0 }, source: '62', line: 24 },
    ]);
    expect(zone(r, 0, 'Normal').blocks?.Movable).toBe(2510);
  });
});

describe('order columns and spacing', () => {
  /** A one-zone file with `n` order columns, cells separated by `sep`. */
  const text = (n: number, order: number, sep: string): string =>
    [
      `Page block order: ${order}`,
      `Pages per block:  ${2 ** order}`,
      '',
      ['Free pages count per migrate type at order', ...Array.from({ length: n }, (_, o) => o)].join(sep),
      ['Node    0, zone   Normal, type      Movable', ...Array.from({ length: n }, (_, o) => o * 10)].join(sep),
      '',
      ['Number of blocks type', 'Movable'].join(sep),
      ['Node 0, zone   Normal', '7'].join(sep),
    ].join('\n');

  it('reads 14 columns (arm64 64K pages, page block order 13)', () => {
    const r = parsePagetypeinfo(text(14, 13, '      '), 's');
    expect(r.pagesPerBlock).toBe(8192);
    expect(r.zones[0]?.free.Movable?.map((c) => c.count)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
  });

  it('reads 9 columns separated by single spaces or tabs, a count wider than the %6lu field, and CRLF', () => {
    const r = parsePagetypeinfo(`${text(9, 8, '\t').replace('80', '12345678')}\n`.replace(/\n/g, '\r\n'), 's');
    expect(r.zones[0]?.free.Movable?.map((c) => c.count)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 12345678]);
    expect(r.zones[0]?.blocks).toEqual({ Movable: 7 });
  });

  it('accepts a missing final newline and trailing spaces', () => {
    const a = fixture('pagetypeinfo-arm32-3.18-cma-reserve.txt');
    const b = a.replace(/\n$/, '').replace(/ \n/g, '   \t\n');
    expect(parsePagetypeinfo(b, 's')).toEqual(parsePagetypeinfo(a, 's'));
  });
});

describe('errors', () => {
  const good = fixture('pagetypeinfo-arm32-3.18-cma-reserve.txt');
  const lines = good.split('\n');
  const withLine = (n: number, text: string): string => lines.map((l, i) => (i === n - 1 ? text : l)).join('\n');

  it('names a row with fewer counts than the header has orders', () => {
    const e = inputError(withLine(7, 'Node    0, zone   Normal, type      Movable      0      1      1      0      0      0      0      2      4      4 '));
    expect(e.message).toBe('pti.txt, line 7: expected 11 counts (orders 0 to 10, as in the header on line 4), found 10.');
    expect(e.line).toBe(7);
  });

  it('names a row with more counts than the header has orders', () => {
    const e = inputError(withLine(5, `${lines[4] ?? ''}     9 `));
    expect(e.message).toMatch(/^pti\.txt, line 5: expected 11 counts .* found 12\.$/);
  });

  it('names a cell that is not a count', () => {
    const e = inputError(withLine(8, (lines[7] ?? '').replace(/ 0 $/, ' 0x ')));
    expect(e.message).toMatch(/^pti\.txt, line 8: expected a count or ">count" for order 10, found "0x"\.$/);
  });

  it('refuses a cap sign with no number', () => {
    const e = inputError(withLine(9, (lines[8] ?? '').replace(/ 1 $/, ' > ')));
    expect(e.message).toMatch(/^pti\.txt, line 9: expected a count or ">count" for order 10, found ">"\.$/);
  });

  it('names a blocks row with the wrong number of columns', () => {
    const e = inputError(withLine(13, 'Node 0, zone   Normal            5            2           34            2            1 '));
    expect(e.message).toBe('pti.txt, line 13: expected 6 pageblock counts (one per type in the header on line 12), found 5.');
  });

  it('names a blocks cell that is not a number', () => {
    const e = inputError(withLine(13, 'Node 0, zone   Normal            5            2           3x            2            1            0 '));
    expect(e.message).toBe('pti.txt, line 13: expected a pageblock count for Movable (a whole number), found "3x".');
  });

  it('names a blocks row for a zone the free table did not list', () => {
    const e = inputError(withLine(13, 'Node 0, zone  HighMem            5            2           34            2            1            0 '));
    expect(e.message).toMatch(/^pti\.txt, line 13: expected "Node 0, zone HighMem" to have rows/);
  });

  it('names a zone row before any table header', () => {
    const e = inputError(lines.filter((_, i) => i !== 3).join('\n'));
    expect(e.message).toMatch(/^pti\.txt, line 4: expected a table header/);
  });

  it('names a free table that comes without the preamble', () => {
    const e = inputError(lines.slice(3).join('\n'));
    expect(e.message).toBe('pti.txt, line 1: expected "Page block order:" and "Pages per block:" lines before the free pages table.');
  });

  it('names a header whose order numbers do not count up from 0', () => {
    const e = inputError(withLine(4, (lines[3] ?? '').replace('      2      3', '      3      2')));
    expect(e.message).toBe('pti.txt, line 4: expected the order numbers 0, 1, 2, ... in the table header, found "3" in position 3.');
  });

  it('names pages per block that is not 2^order', () => {
    const e = inputError(withLine(2, 'Pages per block:  1000'));
    expect(e.message).toBe('pti.txt, line 2: expected "Pages per block" to be 2^10 = 1024 for page block order 10, found 1000.');
  });

  it('names a non-numeric page block order', () => {
    expect(inputError(withLine(1, 'Page block order: ten')).message).toBe(
      'pti.txt, line 1: expected the page block order (a whole number), found "ten".',
    );
  });

  it('names a type row listed twice for one zone', () => {
    const e = inputError(withLine(10, (lines[6] ?? '')));
    expect(e.message).toBe('pti.txt, line 10: expected one "Movable" row for "Node 0, zone Normal", found a second (first on line 7).');
  });

  it('refuses text that is not pagetypeinfo', () => {
    expect(inputError(fixture('buddyinfo-chromeos-6.6.txt')).message).toMatch(
      /^pti\.txt, line 1: expected \/proc\/pagetypeinfo text starting with "Page block order:"/,
    );
    expect(inputError('').message).toMatch(/^pti\.txt, line 1: expected \/proc\/pagetypeinfo text with/);
    expect(inputError('Page block order: 9\nPages per block:  512\n').message).toMatch(/found no zone rows\.$/);
  });
});

describe('looksLikePagetypeinfo', () => {
  it('recognises every fixture', () => {
    for (const f of [
      'pagetypeinfo-arm32-3.18-cma-reserve.txt',
      'pagetypeinfo-x86_64-6.6-chromeos-blockorder10.txt',
      'pagetypeinfo-x86_64-2.6.32.txt',
      'pagetypeinfo-arm64-6.2-cma-capped-page-owner.txt',
    ]) {
      expect(looksLikePagetypeinfo(fixture(f))).toBe(true);
    }
  });

  it('rejects buddyinfo, zoneinfo and empty text', () => {
    expect(looksLikePagetypeinfo(fixture('buddyinfo-chromeos-6.6.txt'))).toBe(false);
    expect(looksLikePagetypeinfo(fixture('zoneinfo-x86_64-6.18-live.txt'))).toBe(false);
    expect(looksLikePagetypeinfo('')).toBe(false);
  });
});
