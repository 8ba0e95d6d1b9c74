// Tests for the history summary: spreads, medians, gaps and sparklines worked by hand, and bounded memory.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unusableIndex } from '../../src/analysis/fragmentation.js';
import type { HistoryReport } from '../../src/analysis/history-schema.js';
import { HistorySummary, zonePoint } from '../../src/analysis/history.js';
import type { Snapshot } from '../../src/model.js';
import { LogReader } from '../../src/parse/log-reader.js';
import { fixture } from '../helpers/io.js';

const T0 = 1_793_613_600_000; // 2026-11-02T10:00:00Z

function summarise(text: string, order: number, periods: boolean, width?: number): HistoryReport {
  const summary = new HistorySummary({ order, periods, width });
  const reader = new LogReader({ snapshot: (s, t) => summary.add(s, t), note: () => undefined });
  reader.begin('f');
  reader.push(text);
  reader.end();
  return summary.finish(4096);
}

/** A snapshot of one zone, Normal on node 0. */
const one = (free: number[], stamp?: string): Snapshot => ({
  zones: [{ node: 0, zone: 'Normal', free, source: 's', line: 1 }],
  ...(stamp === undefined ? {} : { stamp }),
});

describe('one pass per zone and snapshot', () => {
  it('zonePoint gives the unusable index of analysis/fragmentation.ts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100_000), { minLength: 1, maxLength: 17 }), fc.nat(16), (free, order) => {
        const p = zonePoint(free, order);
        expect(p.unusable).toBe(unusableIndex(free, order));
        expect(p.freePages).toBe(free.reduce((s, n, o) => s + n * 2 ** o, 0));
      }),
    );
  });
});

describe('fixtures/history-stamps.txt, worked by hand', () => {
  // Normal over the six whole snapshots (the seventh is cut short and left out):
  //   counts                     free pages          largest  unusable(3) = (free - pages in orders >= 3)*1000/free
  //   8 4 2 1 0 ...              8+8+8+8 = 32        3        (32-8)*1000/32 = 750
  //   16 0 ...                   16                  0        1000
  //   4 2 1 0 ...                4+4+4 = 12          2        1000
  //   0 0 0 0 1 0 ...            16                  4        0
  //   0 ...                      0                   -1       1000 (empty zone)
  //   2 0 ...                    2                   0        1000
  const r = summarise(fixture('history-stamps.txt'), 3, true);
  const [dma32, normal, movable] = r.zones;

  it('counts the snapshots and spans 10:00 to 10:05', () => {
    expect(r.snapshots).toBe(6);
    expect(r.seconds).toBe(300);
    expect(r.first).toEqual({ snapshot: 1, stamp: 'Mon Nov  2 10:00:00 UTC 2026', time: '2026-11-02T10:00:00.000Z' });
    expect(r.last).toEqual({ snapshot: 6, stamp: 'Mon 02 Nov 2026 10:05:00 AM UTC', time: '2026-11-02T10:05:00.000Z' });
    expect(r.zones.map((z) => [z.zone, z.snapshots])).toEqual([
      ['DMA32', 6],
      ['Normal', 6],
      ['Movable', 1],
    ]);
  });

  it('free memory: min, median (mean of the middle two of 0 2 12 16 16 32) and max', () => {
    expect(normal?.freePages).toEqual({ min: 0, median: 14, max: 32, medianError: 0 });
    expect(normal?.freeBytes).toEqual({ min: 0, median: 14 * 4096, max: 32 * 4096, medianError: 0 });
    // DMA32: 2 blocks of order 10 every time = 2048 pages
    expect(dma32?.freePages).toEqual({ min: 2048, median: 2048, max: 2048, medianError: 0 });
  });

  it('largest order: -1 0 0 2 3 4 sorted, median (0 + 2) / 2 = 1', () => {
    expect(normal?.largestOrder).toEqual({ min: -1, median: 1, max: 4 });
    expect(movable?.largestOrder).toEqual({ min: 10, median: 10, max: 10 });
  });

  it('unusable index at order 3: 0 0.75 1 1 1 1', () => {
    expect(normal?.unusableIndex).toEqual({ order: 3, min: 0, median: 1, max: 1 });
  });

  it('periods without a block of order 3 or more: snapshots 2-3 (back at 4) and 5-6 (to the end)', () => {
    expect(normal?.withoutBlock).toEqual({
      order: 3,
      snapshots: 4,
      periods: 2,
      first: {
        from: { snapshot: 2, stamp: '2026-11-02T10:01:00Z', time: '2026-11-02T10:01:00.000Z' },
        to: { snapshot: 3, stamp: '1793613720', time: '2026-11-02T10:02:00.000Z' },
        snapshots: 2,
        seconds: 120,
        until: { snapshot: 4, stamp: '=== Mon, 02 Nov 2026 10:03:00 +0000 ===', time: '2026-11-02T10:03:00.000Z' },
      },
      // snapshot 5 has a separator without a time: no duration can be given
      last: {
        from: { snapshot: 5, stamp: '=== sample 5 ===' },
        to: { snapshot: 6, stamp: 'Mon 02 Nov 2026 10:05:00 AM UTC', time: '2026-11-02T10:05:00.000Z' },
        snapshots: 2,
      },
      longest: {
        from: { snapshot: 2, stamp: '2026-11-02T10:01:00Z', time: '2026-11-02T10:01:00.000Z' },
        to: { snapshot: 3, stamp: '1793613720', time: '2026-11-02T10:02:00.000Z' },
        snapshots: 2,
        seconds: 120,
        until: { snapshot: 4, stamp: '=== Mon, 02 Nov 2026 10:03:00 +0000 ===', time: '2026-11-02T10:03:00.000Z' },
      },
    });
    expect(dma32?.withoutBlock).toEqual({ order: 3, snapshots: 0, periods: 0 });
  });

  it('a sparkline cell per snapshot while there are fewer than 60; null where the zone was absent', () => {
    expect(normal?.sparkline).toEqual([3, 0, 2, 4, -1, 0]);
    expect(movable?.sparkline).toEqual([null, null, null, 10, null, null]);
    expect(normal?.maxOrder).toBe(10);
  });

  it('without --order there are no periods', () => {
    expect(summarise(fixture('history-stamps.txt'), 3, false).zones[1]?.withoutBlock).toBeUndefined();
  });
});

describe('periods', () => {
  it('a zone absent from a snapshot neither ends nor extends a period', () => {
    const s = new HistorySummary({ order: 1, periods: true });
    s.add(one([1, 0]), T0);
    s.add({ zones: [] }, T0 + 60_000);
    s.add(one([1, 0]), T0 + 120_000);
    s.add(one([0, 1]), T0 + 180_000);
    const w = s.finish(4096).zones[0]?.withoutBlock;
    expect(w?.periods).toBe(1);
    expect(w?.first).toMatchObject({ from: { snapshot: 1 }, to: { snapshot: 3 }, snapshots: 2, seconds: 180, until: { snapshot: 4 } });
  });

  it('the longest is the one with most snapshots, the earliest of equals', () => {
    const s = new HistorySummary({ order: 1, periods: true });
    for (const f of [[1, 0], [0, 1], [1, 0], [1, 0], [0, 1], [1, 0], [1, 0], [1, 0], [0, 1]]) s.add(one(f));
    const w = s.finish(4096).zones[0]?.withoutBlock;
    expect([w?.periods, w?.snapshots]).toEqual([3, 6]);
    expect(w?.first?.from.snapshot).toBe(1);
    expect(w?.longest).toMatchObject({ from: { snapshot: 6 }, to: { snapshot: 8 }, snapshots: 3 });
    expect(w?.last).toMatchObject({ from: { snapshot: 6 } });
  });

  it('says when timestamps go backwards', () => {
    const s = new HistorySummary({ order: 1, periods: false });
    s.add(one([1], 'b'), T0 + 60_000);
    s.add(one([1], 'a'), T0);
    expect(s.finish(4096).notes[0]).toMatch(/go backwards at snapshot 2 \("a"\)/);
  });
});

describe('the sparkline over many snapshots', () => {
  it('keeps each cell the minimum of its snapshots, so a single drop shows', () => {
    // width 2: 16 cells held. 40 snapshots: merged at the 17th (2 per cell) and the 33rd (4 per cell), so
    // 10 cells of 4 snapshots; two output cells of 5 cells each, snapshots 1-20 and 21-40.
    const s = new HistorySummary({ order: 0, periods: false, width: 2 });
    for (let i = 0; i < 40; i++) s.add(one(i === 13 ? [1] : [0, 0, 0, 1]));
    const r = s.finish(4096);
    expect(r.sparklineStep).toBe(4);
    expect(r.zones[0]?.sparkline).toEqual([0, 3]);
  });

  it('buckets fewer held cells than the width into cells of one or two', () => {
    // width 4, 10 snapshots, no merge: output cell i takes held cells [floor(10i/4), floor(10(i+1)/4)) = 0-1, 2-4, 5-6, 7-9
    const s = new HistorySummary({ order: 0, periods: false, width: 4 });
    const largest = [5, 4, 3, 6, 6, 2, 7, 1, 8, 8];
    for (const o of largest) s.add(one(Array.from({ length: 9 }, (_, k) => (k === o ? 1 : 0))));
    expect(s.finish(4096).zones[0]?.sparkline).toEqual([4, 3, 2, 1]);
  });
});

describe('memory', () => {
  it('holds no per-snapshot state: a long generated stream leaves the footprint where the first snapshots put it', () => {
    // 100,000 snapshots of two zones in 1,000-snapshot chunks, with free pages between 1,000 and 3,000
    // (values exact below 2048, one bucket row for [2048, 4096)), so every structure is full-sized early.
    const summary = new HistorySummary({ order: 3, periods: true });
    const reader = new LogReader({ snapshot: (s, t) => summary.add(s, t), note: () => undefined });
    reader.begin('generated');
    let seed = 7;
    const rand = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const chunk = (from: number): string => {
      let text = '';
      for (let i = from; i < from + 1000; i++) {
        text += `${1_700_000_000 + i * 60}\n`;
        for (const zone of ['DMA32', 'Normal']) {
          const free = [Math.floor(1000 + rand() * 2000), 0, 0, rand() < 0.5 ? 1 : 0];
          text += `Node 0, zone ${zone.padStart(8)} ${free.map((n) => `${String(n).padStart(6)} `).join('')}\n`;
        }
      }
      return text;
    };
    reader.push(chunk(0));
    const early = summary.footprint();
    const held: number[] = [];
    for (let from = 1000; from < 100_000; from += 1000) {
      reader.push(chunk(from));
      held.push(reader.held().zones);
    }
    reader.end();
    expect(summary.footprint()).toBe(early);
    // per zone: 2048 exact counts + one row of 1024 buckets + 5 largest-order counts (-1..3) + 1001 index
    // counts + 480 sparkline cells
    expect(early).toBe(2 * (2048 + 1024 + 5 + 1001 + 480));
    // the reader holds the snapshot being read and the one before: at most four zone lines
    expect(Math.max(...held)).toBeLessThanOrEqual(4);
    expect(summary.finish(4096).snapshots).toBe(100_000);
  });
});
