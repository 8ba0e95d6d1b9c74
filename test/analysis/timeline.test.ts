// Tests for the history timeline: per zone and bucket the figures worked out by hand, gaps, verdicts, a bounded size.

import { describe, expect, it } from 'vitest';
import { HistoryTimeline } from '../../src/analysis/timeline.js';
import type { Snapshot } from '../../src/model.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const MIN = 60_000;

const snap = (zones: Array<[number, string, number[]]>): Snapshot => ({
  zones: zones.map(([node, zone, free]) => ({ node, zone, free, source: 's', line: 1 })),
});

describe('the history timeline', () => {
  it('puts each snapshot in its bucket of time and leaves gaps where the log has none', () => {
    const t = new HistoryTimeline(1, 8);
    // Width starts at 1 s; the span 0..5 min (300,000 ms) needs 8 buckets of at least 37,500 ms:
    // 1000 * 2^6 = 64,000 ms. Buckets: 0 min -> 0, 1 min -> 0 (60,000 / 64,000), 5 min -> 4 (300,000 / 64,000 = 4.7).
    t.add(snap([[0, 'Normal', [4, 2, 1]]]), T0);
    t.add(snap([[0, 'Normal', [0, 0, 1]]]), T0 + MIN);
    t.add(snap([[0, 'Normal', [6, 0, 0]]]), T0 + 5 * MIN);
    const tl = t.finish();
    // Steps of 60 s and 240 s, in the powers of two (2^15, 2^16] and (2^17, 2^18] ms; the median (the lower
    // of two) is in the first, whose longest step is 60,000 ms, so no snapshot for more than 3 * 60 s is a
    // gap: 60 s -> 300 s (240,000 ms) is one.
    expect(tl).toMatchObject({ axis: 'time', start: T0, width: 64_000, order: 1, interval: 60_000 });
    expect(tl.bucket).toEqual([0, 4]);
    expect(tl.gapBefore).toEqual([false, true]);
    expect(tl.snapshots).toEqual([2, 1]);
    expect(tl.first).toEqual([0, 300_000]);
    expect(tl.last).toEqual([60_000, 300_000]);
    const z = tl.zones[0];
    // Order 0: (4 + 0) / 2 = 2; order 1: (2 + 0) / 2 = 1; order 2: (1 + 1) / 2 = 1.
    expect(z?.free).toEqual([
      [2, 6],
      [1, 0],
      [1, 0],
    ]);
    // Largest order: 2 and 2, then 0. Unusable at order 1: 4 + 4 + 4 = 12 free pages, 4 in order 0
    // -> 4 * 1000 / 12 = 333; 4 pages all at order 2 -> 0; 6 pages all at order 0 -> 1000.
    expect(z?.largestOrder).toEqual({ min: [2, 0], max: [2, 0] });
    expect(z?.unusable).toEqual({ min: [0, 1000], max: [333, 1000] });
    expect(z?.snapshots).toEqual([2, 1]);
    expect(tl.checkFailed).toBeUndefined();
    expect(z?.checkFailed).toBeUndefined();
  });

  it('counts by position when the log has no times, and keeps each zone to its own snapshots', () => {
    const t = new HistoryTimeline(0, 4);
    t.add(snap([[0, 'DMA', [1]]]), undefined);
    t.add(snap([[0, 'DMA', [3]], [1, 'Normal', [5, 1]]]), undefined);
    t.add(snap([[1, 'Normal', [7, 3]]]), undefined);
    const tl = t.finish();
    expect(tl).toMatchObject({ axis: 'snapshot', start: 0, width: 1, interval: 1, bucket: [0, 1, 2], gapBefore: [false, false, false], snapshots: [1, 1, 1] });
    expect(tl.zones.map((z) => [z.node, z.zone, z.snapshots])).toEqual([
      [0, 'DMA', [1, 1, 0]],
      [1, 'Normal', [0, 1, 1]],
    ]);
    expect(tl.zones[1]?.free).toEqual([
      [null, 5, 7],
      [null, 1, 3],
    ]);
  });

  it('counts the failed verdicts per bucket, for the machine and for each zone', () => {
    const t = new HistoryTimeline(3, 4);
    const verdict = (ok: boolean, dma: boolean, normal: boolean) => ({
      ok,
      zones: new Map([[0, new Map([['DMA', dma], ['Normal', normal]])]]),
    });
    const s = snap([[0, 'DMA', [1, 1]], [0, 'Normal', [1, 1]]]);
    // Four snapshots a minute apart in four buckets of 1 s * 2^6 = 64 s (span 180 s < 4 * 64 s).
    t.add(s, T0, verdict(true, false, true));
    t.add(s, T0 + MIN, verdict(false, false, false));
    t.add(s, T0 + 2 * MIN, verdict(false, false, false));
    t.add(s, T0 + 3 * MIN, verdict(true, true, true));
    const tl = t.finish();
    expect(tl.width).toBe(64_000);
    // Buckets: 0 s -> 0, 60 s -> 0, 120 s -> 1, 180 s -> 2; a minute apart throughout, so no gap.
    expect(tl.bucket).toEqual([0, 1, 2]);
    expect(tl.gapBefore).toEqual([false, false, false]);
    expect(tl.snapshots).toEqual([2, 1, 1]);
    expect(tl.checkFailed).toEqual([1, 1, 0]);
    expect(tl.zones.map((z) => z.checkFailed)).toEqual([
      [2, 1, 0],
      [1, 1, 0],
    ]);
  });

  it('stays within its bucket count for a year of minutes, and finds the one gap of four days', () => {
    const t = new HistoryTimeline(3);
    const s = snap([[0, 'Normal', [10, 5, 2, 1]]]);
    // Minutes 144,000 to 149,759 (days 100 to 103) are missing.
    for (let m = 0; m < 525_600; m++) if (m < 144_000 || m >= 149_760) t.add(s, T0 + m * MIN);
    const tl = t.finish();
    // 525,599 minutes = 31,535,940,000 ms over 640 buckets needs 49,274,906 ms each: 1000 * 2^16 = 65,536,000.
    expect(tl.width).toBe(65_536_000);
    expect(tl.interval).toBe(60_000);
    expect(tl.snapshots.reduce((a, b) => a + b, 0)).toBe(525_600 - 5_760);
    // Minute 143,999 is in bucket floor(143,999 * 60,000 / 65,536,000) = 131, minute 149,760 in 137:
    // buckets 132 to 136 hold nothing, so 481 - 5 = 476 are listed, and the gap is before bucket 137.
    expect(tl.bucket.length).toBe(Math.floor(31_535_940_000 / 65_536_000) + 1 - 5);
    expect(tl.bucket.filter((_, k) => tl.gapBefore[k])).toEqual([137]);
    expect(tl.bucket.slice(130, 133)).toEqual([130, 131, 137]);
  });
});
