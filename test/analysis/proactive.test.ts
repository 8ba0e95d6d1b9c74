// The proactive compaction score (kernel.md 4.4) per zone and node, and its thresholds per era, by hand.

import { describe, expect, it } from 'vitest';
import { hugePageOrder, proactiveScore, proactiveThresholds, proactivenessOf, zoneScore } from '../../src/analysis/proactive.js';
import type { ZoneFree, ZoneWatermarks } from '../../src/model.js';

const zf = (zone: string, free: number[], node = 0): ZoneFree => ({ node, zone, free, source: 't', line: 1 });
const wm = (zone: string, present: number | undefined, node = 0): ZoneWatermarks => ({
  node,
  zone,
  min: 0,
  low: 0,
  high: 0,
  source: 't',
  line: 1,
  ...(present === undefined ? {} : { present }),
});

// fixtures/proc-x86_64-6.18: buddyinfo rows and zoneinfo present pages
const DMA = zf('DMA', [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]);
const DMA32 = zf('DMA32', [2, 3, 0, 2, 3, 2, 1, 4, 4, 2, 752]);
const NORMAL = zf('Normal', [3490, 2059, 1328, 862, 486, 361, 158, 88, 44, 17, 27]);
const PRESENT = [wm('DMA', 3998), wm('DMA32', 782336), wm('Normal', 5505024), wm('Movable', 0), wm('Device', 0)];
const P20 = { value: 20, source: 'default' };

describe('extfrag_for_order at the PMD order (9 with 4 KiB pages)', () => {
  it('scores each zone of the 6.18 capture', () => {
    // DMA: F = 256 + 512 + 3*1024 = 3840; suitable_9 = 1 + 3*2 = 7 -> 3584; (3840 - 3584)*100/3840 = 6.67 -> 6
    expect(zoneScore(DMA.free, 9)).toBe(6);
    // DMA32: F = 772808; suitable_9 = 2 + 752*2 = 1506 -> 771072; 173600/772808 -> 0
    expect(zoneScore(DMA32.free, 9)).toBe(0);
    // Normal: F = 108136; suitable_9 = 17 + 27*2 = 71 -> 36352; 7178400/108136 = 66.4 -> 66
    expect(zoneScore(NORMAL.free, 9)).toBe(66);
    expect(zoneScore([0, 0, 0], 9)).toBe(0);
  });

  it('takes the PMD order from the page size', () => {
    expect([hugePageOrder(4096), hugePageOrder(16384), hugePageOrder(65536)]).toEqual([9, 11, 13]);
  });
});

describe('the node score and what kcompactd does', () => {
  it('weighs zones by present pages, each term truncated: 57 for the 6.18 capture, not above 90', () => {
    // node_present = 3998 + 782336 + 5505024 = 6291358; DMA 3998*6/6291359 = 0; Normal 5505024*66/6291359 = 57.7 -> 57
    const s = proactiveScore([DMA, DMA32, NORMAL], PRESENT, { era: '6.16', pageSize: 4096, proactiveness: P20 });
    expect(s).toMatchObject({ proactiveness: 20, order: 9, low: 80, high: 90 });
    expect(s?.nodes).toEqual([
      {
        node: 0,
        score: 57,
        wouldCompact: false,
        zones: [
          { zone: 'DMA', score: 6, present: 3998 },
          { zone: 'DMA32', score: 0, present: 782336 },
          { zone: 'Normal', score: 66, present: 5505024 },
        ],
      },
    ]);
  });

  it('compacts a node above high when proactiveness > 0; says nothing of a node without present pages', () => {
    // one zone, all in order-0 pages: score 100; node 100*100/(100+1) = 99 > 90
    const frag = proactiveScore([zf('Normal', [100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])], [wm('Normal', 100)], { era: '5.9', pageSize: 4096, proactiveness: P20 });
    expect(frag?.nodes[0]).toMatchObject({ score: 99, wouldCompact: true });
    const off = proactiveScore([zf('Normal', [100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])], [wm('Normal', 100)], { era: '5.9', pageSize: 4096, proactiveness: { value: 0, source: 'x' } });
    expect(off?.nodes[0]?.wouldCompact).toBe(false);
    const unknown = proactiveScore([NORMAL], [wm('Normal', undefined)], { era: '5.9', pageSize: 4096, proactiveness: P20 });
    expect(unknown?.nodes[0]).toMatchObject({ score: null, wouldCompact: null });
    expect(proactiveScore([NORMAL], PRESENT, { era: 'none', pageSize: 4096, proactiveness: P20 })).toBeUndefined();
  });
});

describe('thresholds (kernel.md 4.4)', () => {
  it('the default 20 gives 80/90 in both eras', () => {
    expect(proactiveThresholds('5.9', 20)).toEqual({ low: 80, high: 90 });
    expect(proactiveThresholds('6.16', 20)).toEqual({ low: 80, high: 90 });
  });
  it('5.9 floors low at 5; ~6.16 does not, and narrows the gap to low/2', () => {
    // 5.9: max(100 - 97, 5) = 5, min(15, 100) = 15; 6.16: 3, 3 + min(10, 3/2 = 1) = 4
    expect(proactiveThresholds('5.9', 97)).toEqual({ low: 5, high: 15 });
    expect(proactiveThresholds('6.16', 97)).toEqual({ low: 3, high: 4 });
    // 6.16, p = 90: 10, 10 + min(10, 5) = 15
    expect(proactiveThresholds('6.16', 90)).toEqual({ low: 10, high: 15 });
  });
  it('reads the sysctl, else 20', () => {
    const notes: string[] = [];
    expect(proactivenessOf({ value: '35\n', origin: 'f' }, notes)).toEqual({ value: 35, source: 'f' });
    expect(proactivenessOf({ value: '101', origin: 'f' }, notes).value).toBe(20);
    expect(proactivenessOf(undefined, notes).value).toBe(20);
    expect(notes).toHaveLength(1);
  });
});
