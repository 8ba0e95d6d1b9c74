// Tests for the min/max downsampler: every bucket as a naive pass over all points would find it, in bounded memory.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Downsampler, type Buckets } from '../../src/analysis/downsample.js';

/** Reads bucket i of series k as plain numbers (null where the series had no value there). */
function cell(b: Buckets, k: number, i: number): { min: number | null; max: number | null; sum: number; n: number } {
  const s = b.series[k];
  const num = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);
  return { min: num(s?.min[i]), max: num(s?.max[i]), sum: s?.sum[i] ?? 0, n: s?.n[i] ?? 0 };
}

describe('the downsampler', () => {
  it('keeps one point per bucket while they fit, then merges neighbours', () => {
    const d = new Downsampler(4, 10);
    // x 100, 110, 120: buckets 0, 1, 2 of width 10 from 100.
    d.add(100, [5]);
    d.add(110, [7]);
    d.add(120, [3]);
    expect(d.buckets()).toMatchObject({ start: 100, width: 10, used: 3 });
    // x 150 is bucket 5 at width 10, past 4 buckets: width 20, bucket floor(50 / 20) = 2;
    // the merged buckets: [100, 120) holds 5 and 7, [120, 140) holds 3.
    d.add(150, [9]);
    const b = d.buckets();
    expect([b.start, b.width, b.used]).toEqual([100, 20, 3]);
    expect([...b.points.slice(0, 4)]).toEqual([2, 1, 1, 0]);
    expect(cell(b, 0, 0)).toEqual({ min: 5, max: 7, sum: 12, n: 2 });
    expect(cell(b, 0, 1)).toEqual({ min: 3, max: 3, sum: 3, n: 1 });
    expect(cell(b, 0, 2)).toEqual({ min: 9, max: 9, sum: 9, n: 1 });
    expect([b.first[0], b.last[0], b.first[2], b.last[2]]).toEqual([100, 110, 150, 150]);
  });

  it('leaves a gap where no point fell, and a series out where a point left it out', () => {
    const d = new Downsampler(8, 1);
    d.add(0, [1, 10]);
    d.add(5, [2, undefined]);
    const b = d.buckets();
    expect([...b.points.slice(0, 6)]).toEqual([1, 0, 0, 0, 0, 1]);
    expect(cell(b, 0, 2)).toEqual({ min: null, max: null, sum: 0, n: 0 });
    expect(cell(b, 1, 5)).toEqual({ min: null, max: null, sum: 0, n: 0 });
  });

  it('counts a point whose x went backwards in the bucket of the largest x so far', () => {
    const d = new Downsampler(8, 1);
    d.add(0, [1]);
    d.add(3, [2]);
    d.add(1, [9]);
    expect(cell(d.buckets(), 0, 3)).toEqual({ min: 2, max: 9, sum: 11, n: 2 });
  });

  it('holds the same numbers for ten points or a million', () => {
    const small = new Downsampler(64, 1);
    const big = new Downsampler(64, 1);
    for (let i = 0; i < 10; i++) small.add(i, [i, i]);
    for (let i = 0; i < 1_000_000; i++) big.add(i, [i % 7, i % 11]);
    expect(big.footprint()).toBe(small.footprint());
    expect(big.buckets().used).toBeLessThanOrEqual(64);
  });

  it('gives each bucket the min, max, sum and count of the points inside it (property, against a naive pass)', () => {
    const point = fc.record({
      step: fc.oneof(fc.nat(3), fc.nat(1000)),
      values: fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 8 }).map((h) => 2 * h),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: -5000, max: 5000 }),
        (points, capacity, width0, x0) => {
          const d = new Downsampler(capacity, width0);
          let x = x0;
          const xs: number[] = [];
          for (const p of points) {
            x += p.step;
            xs.push(x);
            d.add(x, p.values);
          }
          const b = d.buckets();
          expect(b.start).toBe(x0 + (points[0]?.step ?? 0));
          // The width is the starting one doubled just enough times for every x to fit.
          const span = x - b.start;
          expect(Math.floor(span / b.width)).toBeLessThan(capacity);
          if (b.width > width0) expect(Math.floor(span / (b.width / 2))).toBeGreaterThanOrEqual(capacity);
          expect(b.used).toBe(Math.floor(span / b.width) + 1);
          // The naive pass: every point into its bucket at the final width.
          const series = Math.max(0, ...points.map((p) => p.values.length));
          const naive = Array.from({ length: capacity }, () => ({
            points: 0,
            first: null as number | null,
            last: null as number | null,
            cells: Array.from({ length: series }, () => ({ min: null as number | null, max: null as number | null, sum: 0, n: 0 })),
          }));
          points.forEach((p, j) => {
            const xj = xs[j] as number;
            const nb = naive[Math.floor((xj - b.start) / b.width)];
            if (nb === undefined) throw new Error('a point past the buckets');
            nb.points++;
            nb.first ??= xj;
            nb.last = xj;
            p.values.forEach((v, k) => {
              const c = nb.cells[k];
              if (v === undefined || c === undefined) return;
              c.min = c.min === null ? v : Math.min(c.min, v);
              c.max = c.max === null ? v : Math.max(c.max, v);
              c.sum += v;
              c.n++;
            });
          });
          naive.forEach((nb, i) => {
            expect(b.points[i]).toBe(nb.points);
            expect(Number.isNaN(b.first[i] as number) ? null : b.first[i]).toBe(nb.first);
            expect(Number.isNaN(b.last[i] as number) ? null : b.last[i]).toBe(nb.last);
            nb.cells.forEach((c, k) => expect(cell(b, k, i)).toEqual(c));
          });
        },
      ),
    );
  });

  it('refuses a capacity it cannot halve', () => {
    expect(() => new Downsampler(3)).toThrow(RangeError);
    expect(() => new Downsampler(8, 0)).toThrow(RangeError);
  });
});
