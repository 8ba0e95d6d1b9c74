// Tests for the free-pages histogram: exact below 2048 pages, and above it a median within the error it gives.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeHistogram } from '../../src/analysis/bounded-stats.js';

describe('the free-pages histogram', () => {
  it('is exact below 2048 pages', () => {
    const h = new FreeHistogram();
    for (const v of [5, 2047, 0, 7]) h.add(v);
    // 0 5 7 2047: median (5 + 7) / 2
    expect(h.median()).toEqual({ value: 6, error: 0 });
  });

  it('above, counts in buckets 1/1024 of the power of two wide and bounds its error', () => {
    // 5000 is in [4096, 8192): buckets 4096 / 1024 = 4 pages wide; 5000, 5002 and 5003 share [5000, 5003].
    // The middle value (5002) is known to lie in [5000, 5003] (clamped to min 5000, max 5003): taken as
    // 5000 + floor(3 / 2) = 5001, at most 2 from the truth.
    const h = new FreeHistogram();
    for (const v of [5000, 5002, 5003]) h.add(v);
    expect(h.median()).toEqual({ value: 5001, error: 2 });
    expect([h.min, h.max]).toEqual([5000, 5003]);
  });

  it('a single value is exact, whatever its size', () => {
    const h = new FreeHistogram();
    h.add(123_456_789);
    expect(h.median()).toEqual({ value: 123_456_789, error: 0 });
  });

  it('the exact median lies within the error given (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(2 ** 40), { minLength: 1, maxLength: 200 }), (values) => {
        const h = new FreeHistogram();
        for (const v of values) h.add(v);
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        const exact = ((sorted[Math.floor((n - 1) / 2)] ?? 0) + (sorted[Math.floor(n / 2)] ?? 0)) / 2;
        const { value, error } = h.median();
        expect(Math.abs(value - exact)).toBeLessThanOrEqual(error);
        // and the error stays within 1/1024 of the value's size
        expect(error).toBeLessThanOrEqual(Math.max(0, exact / 1024));
      }),
    );
  });
});
