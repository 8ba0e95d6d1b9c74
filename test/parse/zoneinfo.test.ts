// Tests the /proc/zoneinfo parser on real captures and on hand-written fixtures of every layout generation.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model.js';
import { looksLikeZoneinfo, parseZoneinfo } from '../../src/parse/zoneinfo.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const CORPUS = new URL('../../fixtures/shared-corpus/', import.meta.url);

/** Runs the parser and returns the InputError it throws, failing the test when it throws none. */
function inputError(text: string, source = 'zi.txt'): InputError {
  try {
    parseZoneinfo(text, source);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

function zone(result: ReturnType<typeof parseZoneinfo>, node: number, name: string) {
  const z = result.zones.find((x) => x.node === node && x.zone === name);
  if (!z) throw new Error(`no zone ${node}/${name}`);
  return z;
}

describe('fixtures copied from the corpus', () => {
  const copies: Array<[string, string]> = [
    ['zoneinfo-x86_64-5x-movable-device.txt', '04-zoneinfo-procfs-fixture-movable-device.txt'],
    ['zoneinfo-arm32-3.18-single-zone.txt', '46-zoneinfo-arm32-mdm9607-3.18-single-zone.txt'],
  ];
  for (const [copy, original] of copies) {
    it(`${copy} is byte for byte corpus ${original}`, () => {
      const a = readFileSync(new URL(`../../fixtures/${copy}`, import.meta.url));
      const b = readFileSync(new URL(original, CORPUS));
      expect(a.equals(b)).toBe(true);
    });
  }
});

describe('corpus 04: prometheus/procfs fixture, x86_64 4.12-4.20 layout with empty Movable and Device', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-5x-movable-device.txt'), 'corpus04');

  it('lists every zone in file order, with the header line', () => {
    expect(r.zones.map((z) => [z.node, z.zone, z.line])).toEqual([
      [0, 'DMA', 1],
      [0, 'DMA32', 103],
      [0, 'Normal', 174],
      [0, 'Movable', 245],
      [0, 'Device', 254],
    ]);
  });

  it('reads DMA as printed, not disturbed by the per-node stats block above it', () => {
    expect(zone(r, 0, 'DMA')).toEqual({
      node: 0,
      zone: 'DMA',
      freePages: 3952,
      min: 33,
      low: 41,
      high: 49,
      spanned: 4095,
      present: 3975,
      managed: 3956,
      lowmemReserve: [0, 2877, 7826, 7826, 7826],
      freeCma: 0,
      zoneIndex: 0,
      source: 'corpus04',
      line: 1,
      kind: 'zoneinfo',
      // the zone's own nr_zone_* counters (lines 42-45), not the per-node nr_* stats above `pages free`
      reclaimable: { activeFile: 0, inactiveFile: 0, activeAnon: 0, inactiveAnon: 0 },
    });
  });

  it('reads DMA32 and Normal', () => {
    const d32 = zone(r, 0, 'DMA32');
    expect([d32.freePages, d32.min, d32.low, d32.high, d32.managed]).toEqual([204252, 19510, 21059, 22608, 742806]);
    expect(d32.lowmemReserve).toEqual([0, 0, 4949, 4949, 4949]);
    const n = zone(r, 0, 'Normal');
    expect([n.freePages, n.min, n.low, n.high, n.spanned, n.present, n.managed]).toEqual([
      18553, 11176, 13842, 16508, 1308160, 1308160, 1268711,
    ]);
  });

  it('keeps the unpopulated zones, so positions are zone type indexes (DMA=0 ... Device=4)', () => {
    expect(r.populatedOnly).toBe(false);
    expect(r.zones.map((z) => z.zoneIndex)).toEqual([0, 1, 2, 3, 4]);
    const mov = zone(r, 0, 'Movable');
    expect([mov.freePages, mov.min, mov.low, mov.high, mov.present]).toEqual([0, 0, 0, 0, 0]);
    expect(mov.freeCma).toBeUndefined();
  });

  it('prints no boost or promo in this generation, so none are invented', () => {
    for (const z of r.zones) {
      expect(z.boost).toBeUndefined();
      expect(z.promo).toBeUndefined();
    }
  });
});

describe('corpus 46: arm32 3.18, one Normal zone, populated-only layout', () => {
  const r = parseZoneinfo(fixture('zoneinfo-arm32-3.18-single-zone.txt'), 'corpus46');

  it('reads the zone, with counters before protection', () => {
    expect(r.zones).toEqual([
      {
        node: 0,
        zone: 'Normal',
        freePages: 33393,
        min: 398,
        low: 497,
        high: 597,
        spanned: 65536,
        present: 64000,
        managed: 41146,
        lowmemReserve: [0, 0],
        freeCma: 1582,
        source: 'corpus46',
        line: 1,
        kind: 'zoneinfo',
        // 3.18 keeps the LRU counters in the zone (lines 12-15, 32-33) and prints all_unreclaimable: (line 50)
        reclaimable: { activeFile: 606, inactiveFile: 465, activeAnon: 307, inactiveAnon: 85, isolatedFile: 0, isolatedAnon: 0 },
        allUnreclaimable: false,
      },
    ]);
  });

  it('says the layout lists populated zones only and gives no zone index', () => {
    expect(r.populatedOnly).toBe(true);
    expect(r.zones[0]?.zoneIndex).toBeUndefined();
  });
});

describe('2.6.32 layout (hand-written from zoneinfo_show_print of 2.6.32)', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-2.6.32.txt'), '2632');

  it('reads the three zones, skipping the scanned line; there is no managed line yet', () => {
    expect(r.zones.map((z) => [z.zone, z.line, z.freePages, z.min, z.low, z.high, z.spanned, z.present])).toEqual([
      ['DMA', 1, 3935, 7, 8, 10, 4080, 3912],
      ['DMA32', 54, 612340, 1460, 1825, 2190, 1044480, 757264],
      ['Normal', 107, 143210, 505, 631, 757, 262144, 262144],
    ]);
    for (const z of r.zones) expect(z.managed).toBeUndefined();
  });

  it('reads protection printed after the 4-space counters (2.6.32 ratio 256 on present pages)', () => {
    // DMA: DMA32 757264/256 = 2958; Normal (757264+262144)/256 = 3982; Movable adds 0.
    expect(zone(r, 0, 'DMA').lowmemReserve).toEqual([0, 2958, 3982, 3982]);
    // DMA32: 262144/256 = 1024.
    expect(zone(r, 0, 'DMA32').lowmemReserve).toEqual([0, 0, 1024, 1024]);
  });

  it('is the populated-only layout', () => {
    expect(r.populatedOnly).toBe(true);
    expect(r.zones.every((z) => z.zoneIndex === undefined)).toBe(true);
  });

  it('has no nr_free_cma counter in 2.6.32', () => {
    expect(zone(r, 0, 'Normal').freeCma).toBeUndefined();
  });
});

describe('4.4 layout, two nodes (managed added, protection %ld, counters still before it)', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-4.4-two-node.txt'), '44');

  it('reads both nodes', () => {
    expect(r.zones.map((z) => [z.node, z.zone, z.line])).toEqual([
      [0, 'DMA', 1],
      [0, 'DMA32', 74],
      [0, 'Normal', 147],
      [1, 'Normal', 220],
    ]);
    const n1 = zone(r, 1, 'Normal');
    expect([n1.freePages, n1.min, n1.low, n1.high, n1.managed, n1.freeCma]).toEqual([1203300, 2847, 3558, 4270, 4060000, 0]);
  });

  it('reads protection on managed pages: 746000/256 = 2914, (746000+3320000)/256 = 15882', () => {
    expect(zone(r, 0, 'DMA').lowmemReserve).toEqual([0, 2914, 15882, 15882]);
    expect(zone(r, 0, 'DMA32').lowmemReserve).toEqual([0, 0, 12968, 12968]);
  });

  it('low = min + min/4 and high = min + min/2 (before watermark_scale_factor)', () => {
    const d32 = zone(r, 0, 'DMA32');
    expect(d32.low).toBe(523 + Math.floor(523 / 4));
    expect(d32.high).toBe(523 + Math.floor(523 / 2));
  });

  it('gives no zone index: node 1 lists only Normal, which is not type 0', () => {
    expect(r.populatedOnly).toBe(true);
    expect(zone(r, 1, 'Normal').zoneIndex).toBeUndefined();
  });
});

describe('4.15 layout, two nodes (per-node stats, counters after protection, empty zones printed)', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-4.15-two-node.txt'), '415');

  it('numbers zone types per node, counting the unpopulated ones', () => {
    expect(r.populatedOnly).toBe(false);
    expect(r.zones.map((z) => `${z.node}:${z.zone}:${z.zoneIndex}`)).toEqual([
      '0:DMA:0',
      '0:DMA32:1',
      '0:Normal:2',
      '0:Movable:3',
      '0:Device:4',
      '1:DMA:0',
      '1:DMA32:1',
      '1:Normal:2',
      '1:Movable:3',
      '1:Device:4',
    ]);
  });

  it('reads node 1 Normal, whose per-node stats block sits between header and pages free', () => {
    const n1 = zone(r, 1, 'Normal');
    expect([n1.line, n1.freePages, n1.min, n1.managed]).toEqual([188, 1188020, 11405, 4060000]);
    // watermark_scale_factor 10: step = max(11405/4, 4060000*10/10000) = max(2851, 4060) = 4060.
    expect(n1.low).toBe(11405 + 4060);
    expect(n1.high).toBe(11405 + 2 * 4060);
  });

  it('gives unpopulated zones their printed values', () => {
    const d = zone(r, 1, 'DMA');
    expect([d.freePages, d.min, d.low, d.high, d.spanned, d.present, d.managed]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(d.lowmemReserve).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('6.2 layout, arm64 (boost and cma head lines)', () => {
  const r = parseZoneinfo(fixture('zoneinfo-arm64-6.2-boost-cma.txt'), '62');

  it('reads boost, and min/low/high as printed with boost included', () => {
    const n = zone(r, 0, 'Normal');
    expect(n.boost).toBe(1536);
    // _min 5600, step max(1400, 1500000*10/10000) = 1500; each printed mark adds boost 1536.
    expect([n.min, n.low, n.high]).toEqual([5600 + 1536, 7100 + 1536, 8600 + 1536]);
  });

  it('takes freeCma from nr_free_cma, not from the cma (total CMA pages) head line', () => {
    expect(zone(r, 0, 'DMA').freeCma).toBe(40211);
    expect(zone(r, 0, 'Normal').freeCma).toBe(0);
  });

  it('indexes DMA, empty DMA32, Normal, empty Movable as 0..3', () => {
    expect(r.zones.map((z) => [z.zone, z.zoneIndex])).toEqual([
      ['DMA', 0],
      ['DMA32', 1],
      ['Normal', 2],
      ['Movable', 3],
    ]);
    expect(zone(r, 0, 'Movable').min).toBe(32);
    expect(zone(r, 0, 'DMA').lowmemReserve).toEqual([0, 0, 5859, 5859]);
  });
});

describe('6.18 layout (promo, nr_free_pages_blocks)', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-6.18-movable-promo.txt'), '618');

  it('takes pages free, never nr_free_pages_blocks', () => {
    expect(zone(r, 0, 'Normal').freePages).toBe(250000);
    expect(zone(r, 0, 'DMA32').freePages).toBe(701234);
    expect(zone(r, 0, 'Movable').freePages).toBe(520330);
  });

  it('reads promo and boost', () => {
    const n = zone(r, 0, 'Normal');
    // _min 4200, step 2000, boost 512: min 4712, low 6712, high 8712, promo 10712.
    expect([n.boost, n.min, n.low, n.high, n.promo]).toEqual([512, 4712, 6712, 8712, 10712]);
  });

  it('indexes a populated Movable zone as 3', () => {
    const m = zone(r, 0, 'Movable');
    expect([m.zoneIndex, m.min, m.low, m.high, m.promo, m.managed]).toEqual([3, 128, 727, 1326, 1925, 599808]);
    // Normal's reserve for Movable: 599808/32 = 18744.
    expect(zone(r, 0, 'Normal').lowmemReserve).toEqual([0, 0, 0, 18744, 18744]);
  });
});

describe('live capture from this 6.18 machine', () => {
  const r = parseZoneinfo(fixture('zoneinfo-x86_64-6.18-live.txt'), 'live');

  it('reads DMA exactly', () => {
    expect(zone(r, 0, 'DMA')).toEqual({
      node: 0,
      zone: 'DMA',
      freePages: 3840,
      boost: 0,
      min: 66,
      low: 82,
      high: 98,
      promo: 114,
      spanned: 4095,
      present: 3998,
      managed: 3840,
      // kernel.md 1b: 772808 (DMA32 managed) / 256 = 3018.
      lowmemReserve: [0, 3018, 3786, 3786, 3786],
      freeCma: 0,
      // the zone's CMA pages (line 9, `cma      0`), not the free ones
      cmaPages: 0,
      zoneIndex: 0,
      source: 'live',
      line: 1,
      kind: 'zoneinfo',
      reclaimable: { activeFile: 0, inactiveFile: 0, activeAnon: 0, inactiveAnon: 0 },
    });
  });

  it('reads Normal, empty Movable (min 32) and Device', () => {
    expect(zone(r, 0, 'Normal').freePages).toBe(166720);
    const mov = zone(r, 0, 'Movable');
    expect([mov.zoneIndex, mov.min, mov.low, mov.high, mov.promo, mov.freePages]).toEqual([3, 32, 32, 32, 32, 0]);
    expect(zone(r, 0, 'Device').zoneIndex).toBe(4);
    expect(r.populatedOnly).toBe(false);
  });
});

describe('text as people paste it', () => {
  const original = fixture('zoneinfo-x86_64-5x-movable-device.txt');
  const expected = parseZoneinfo(original, 's');

  it('accepts CRLF line ends', () => {
    expect(parseZoneinfo(original.replace(/\n/g, '\r\n'), 's')).toEqual(expected);
  });

  it('accepts trailing spaces and tabs, and tabs between fields', () => {
    const messy = original
      .split('\n')
      .map((l) => (l === '' ? l : `${l.replace(/ {2,}/g, '\t')} \t `))
      .join('\n');
    expect(parseZoneinfo(messy, 's')).toEqual(expected);
  });

  it('accepts a missing final newline', () => {
    expect(parseZoneinfo(original.replace(/\n$/, ''), 's')).toEqual(expected);
  });

  it('accepts blank lines, with header lines moved accordingly', () => {
    const spaced = `\n${original.replace(/\nNode/g, '\n\nNode')}`;
    const r = parseZoneinfo(spaced, 's');
    // One leading blank line, then one more before each of the 4 later headers.
    expect(r.zones.map((z) => z.line)).toEqual([2, 105, 177, 249, 259]);
    expect(r.zones.map(({ line: _l, ...rest }) => rest)).toEqual(expected.zones.map(({ line: _l, ...rest }) => rest));
  });

  it('reads any value a 6.18 head prints', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 2 ** 40 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        ([free = 0, boost = 0, min = 0, low = 0, high = 0, promo = 0], eol) => {
          const text = [
            'Node 0, zone   Normal',
            `  pages free     ${free}`,
            `        boost    ${boost}`,
            `        min      ${min}`,
            `        low      ${low}`,
            `        high     ${high}`,
            `        promo    ${promo}`,
            '        spanned  1000',
            '        present  1000',
            '        managed  900',
            '        cma      0',
            '        protection: (0, 0, 0, 0, 0)',
            `      nr_free_pages ${free}`,
            `      nr_free_pages_blocks ${free + 1}`,
          ].join(eol);
          const z = parseZoneinfo(text, 'p').zones[0];
          expect(z && [z.freePages, z.boost, z.min, z.low, z.high, z.promo]).toEqual([free, boost, min, low, high, promo]);
        },
      ),
    );
  });
});

describe('telling the layouts apart', () => {
  it('sees the all-zones layout from counters below protection even when every listed zone is populated', () => {
    // The live 6.18 capture cut before Movable: only populated zones remain.
    const text = fixture('zoneinfo-x86_64-6.18-live.txt').split('\n').slice(0, 190).join('\n');
    const r = parseZoneinfo(text, 's');
    expect(r.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(r.populatedOnly).toBe(false);
    expect(r.zones.map((z) => z.zoneIndex)).toEqual([0, 1, 2]);
  });

  it('treats the 4.8-4.11 layout (per-node stats, counters still above protection) as populated-only', () => {
    const text = [
      'Node 0, zone   Normal',
      '  per-node stats',
      '      nr_inactive_anon 100',
      '      nr_active_anon 200',
      '  pages free     5000',
      '        min      40',
      '        low      50',
      '        high     60',
      '   node_scanned  0',
      '        spanned  8192',
      '        present  8192',
      '        managed  8000',
      '      nr_free_pages 5000',
      '      nr_free_cma  0',
      '        protection: (0, 0, 0)',
      '  pagesets',
    ].join('\n');
    const r = parseZoneinfo(text, 's');
    expect(r.populatedOnly).toBe(true);
    expect(r.zones[0]?.zoneIndex).toBeUndefined();
    expect(r.zones[0]?.freePages).toBe(5000);
    expect(r.zones[0]?.lowmemReserve).toEqual([0, 0, 0]);
  });
});

describe('node stats under their own header', () => {
  it('skips a "Node N, per-node stats" block, which belongs to no zone', () => {
    const text = [
      'Node 0, per-node stats',
      '      nr_inactive_anon 100',
      '      nr_free_cma  77',
      'Node 0, zone   Normal',
      '  pages free     5000',
      '        min      40',
      '        low      50',
      '        high     60',
      '        present  8192',
      '        protection: (0, 0)',
      '      nr_free_pages 5000',
      '      nr_free_cma  3',
    ].join('\n');
    const r = parseZoneinfo(text, 's');
    expect(r.zones.map((z) => [z.zone, z.line, z.freePages, z.freeCma])).toEqual([['Normal', 4, 5000, 3]]);
  });
});

describe('unpopulated zones', () => {
  it('accept a header with spanned 0 / present 0 and nothing else, as zeros', () => {
    const r = parseZoneinfo('Node 0, zone  Movable\n        spanned  0\n        present  0\n', 's');
    expect(r.zones[0]).toEqual({
      node: 0,
      zone: 'Movable',
      freePages: 0,
      min: 0,
      low: 0,
      high: 0,
      spanned: 0,
      present: 0,
      zoneIndex: 0,
      source: 's',
      line: 1,
      kind: 'zoneinfo',
    });
    expect(r.populatedOnly).toBe(false);
  });
});

describe('fields kept for the record', () => {
  it('reads scanned (with the 2.6.1x "(a: 0 i: 0)" tail), start_pfn:, all_unreclaimable: and cma', () => {
    const text = [
      'Node 0, zone      DMA',
      '  pages free     5410',
      '        min      181',
      '        low      226',
      '        high     271',
      '        scanned  7 (a: 0 i: 0)',
      '        cma      256',
      '  all_unreclaimable: 1',
      '  start_pfn:         196608',
    ].join('\n');
    const [d] = parseZoneinfo(text, 'zi.txt').details;
    expect(d).toMatchObject({ scanned: 7, cma: 256, allUnreclaimable: true, startPfn: 196608 });
  });
});

describe('errors', () => {
  it('leaves out a populated zone that has no pages free, naming its header line, and keeps the others', () => {
    const r = parseZoneinfo(
      ['Node 0, zone      DMA', '  pages free     10', '        min      1', '        low      2', '        high     3',
        'Node 0, zone   Normal', '        min      4', '        low      5', '        high     6', '        present  100'].join('\n'),
      'zi.txt',
    );
    expect(r.zones.map((z) => z.zone)).toEqual(['DMA']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.line).toBe(6);
    expect(r.problems[0]?.message).toMatch(/^zi\.txt, line 6: .*"pages free" is missing, so the zone was left out\.$/);
    expect(r.details[1]).toMatchObject({ zone: 'Normal', min: 4, low: 5, high: 6, present: 100 });
  });

  it('names the header line of a zone cut off right after its header', () => {
    const text = `${fixture('zoneinfo-arm32-3.18-single-zone.txt')}Node 0, zone  HighMem\n`;
    const r = parseZoneinfo(text, 'zi.txt');
    expect(r.zones.map((z) => z.zone)).toEqual(['Normal']);
    expect(r.problems[0]?.message).toMatch(/^zi\.txt, line 53: /);
    expect(r.problems[0]?.message).toContain('"min", "low", "high"');
  });

  it('keeps what an excerpt shows of a zone cut before its watermarks (a quoted fragment)', () => {
    const r = parseZoneinfo('Node 0, zone      DMA\n  per-node stats\n      nr_dirtied   6022\n  pages free     131656\n', 'zi.txt');
    expect(r.zones).toEqual([]);
    expect(r.details).toEqual([{ node: 0, zone: 'DMA', line: 1, freePages: 131656 }]);
  });

  it('names the line of a value that is not a number', () => {
    const text = fixture('zoneinfo-arm32-3.18-single-zone.txt').replace('min      398', 'min      39x');
    const e = inputError(text, 'corpus46');
    expect(e.message).toBe('corpus46, line 3: expected a whole number after "min", found "39x".');
    expect(e.line).toBe(3);
  });

  it('names the line of a pages free with two numbers', () => {
    const e = inputError('Node 0, zone Normal\n  pages free 12 13\n');
    expect(e.message).toMatch(/^zi\.txt, line 2: expected one number after "pages free"/);
  });

  it('names the line of a protection array with a non-number', () => {
    const text = fixture('zoneinfo-x86_64-5x-movable-device.txt').replace('protection: (0, 2877, 7826', 'protection: (0, 2877, n/a');
    const e = inputError(text);
    expect(e.message).toMatch(/^zi\.txt, line 40: /);
    expect(e.message).toContain('"n/a"');
  });

  it('names the line of a malformed protection', () => {
    const e = inputError('Node 0, zone Normal\n  pages free 1\n min 1\n low 1\n high 1\n        protection: 0, 0\n');
    expect(e.message).toMatch(/^zi\.txt, line 6: expected "protection: \(n, n, \.\.\.\)"/);
  });

  it('names a malformed header', () => {
    const e = inputError('Node zero, zone Normal\n  pages free 1\n');
    expect(e.message).toMatch(/^zi\.txt, line 1: expected a zone header/);
  });

  it('names text before any header', () => {
    const e = inputError('\nhello\nNode 0, zone Normal\n');
    expect(e.message).toMatch(/^zi\.txt, line 2: expected a zone header like "Node 0, zone Normal" before "hello"/);
  });

  it('refuses empty text', () => {
    expect(inputError('').message).toMatch(/^zi\.txt, line 1: expected \/proc\/zoneinfo text/);
    expect(inputError('\n\n').line).toBe(1);
  });

  it('names a field printed twice in one zone (a lost header)', () => {
    const text = fixture('zoneinfo-arm32-3.18-single-zone.txt').replace('\n        protection', '\n  pages free     5\n        protection');
    const e = inputError(text);
    expect(e.message).toBe(
      'zi.txt, line 44: expected "pages free" once for "Node 0, zone Normal" (line 1), found it a second time (first on line 2), so a zone header may be missing.',
    );
  });

  it('names a zone listed twice (two readings pasted together)', () => {
    const one = fixture('zoneinfo-arm32-3.18-single-zone.txt');
    const e = inputError(one + one);
    expect(e.message).toBe(
      'zi.txt, line 53: expected each zone once (one reading of /proc/zoneinfo), found "Node 0, zone Normal" again (first on line 1).',
    );
  });
});

describe('looksLikeZoneinfo', () => {
  it('recognises zoneinfo of every generation', () => {
    for (const f of [
      'zoneinfo-x86_64-5x-movable-device.txt',
      'zoneinfo-arm32-3.18-single-zone.txt',
      'zoneinfo-x86_64-2.6.32.txt',
      'zoneinfo-x86_64-6.18-live.txt',
    ]) {
      expect(looksLikeZoneinfo(fixture(f))).toBe(true);
      expect(looksLikeZoneinfo(fixture(f).replace(/\n/g, '\r\n'))).toBe(true);
    }
  });

  it('rejects buddyinfo, pagetypeinfo and empty text', () => {
    expect(looksLikeZoneinfo(fixture('buddyinfo-chromeos-6.6.txt'))).toBe(false);
    expect(looksLikeZoneinfo(fixture('pagetypeinfo-arm32-3.18-cma-reserve.txt'))).toBe(false);
    expect(looksLikeZoneinfo('')).toBe(false);
  });
});

describe('reclaimable pages and all_unreclaimable (kernel.md 4, R(z))', () => {
  it('corpus 48 (3.13): the zone counters and all_unreclaimable: 1 on DMA, 0 on DMA32', () => {
    const r = parseZoneinfo(fixture('real/captures/48-3.13-ubuntu-x86_64-zoneinfo-all-unreclaimable.txt'), 'c48');
    const [dma, dma32] = r.zones;
    expect([dma?.allUnreclaimable, dma32?.allUnreclaimable]).toEqual([true, false]);
    // DMA32 lines 100-122: nr_inactive_anon 9286, nr_active_anon 14565, nr_inactive_file 110563, nr_active_file 87399
    expect(dma32?.reclaimable).toMatchObject({ inactiveAnon: 9286, activeAnon: 14565, inactiveFile: 110563, activeFile: 87399, isolatedFile: 0 });
  });
});
