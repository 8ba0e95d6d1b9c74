// Statistics in constant memory: medians and ranges of counts kept as histograms, never as lists of values.

import type { Stat } from './history-schema.js';

/** 2^o for every order a zone line can have, so the per-snapshot loop multiplies instead of calling pow. */
export const POW2 = Array.from({ length: 64 }, (_, o) => 2 ** o);

/** Free-page values below this are counted exactly, above in buckets of 1/1024 of their magnitude. */
const EXACT_BELOW = 2048;
const BUCKET_BITS = 10;

/** e such that 2^e <= v < 2^(e+1), for v >= 1. */
function exponent(v: number): number {
  let e = v < 2 ** 31 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  // log2 of a value just under a power of two can round up past it.
  while ((POW2[e] ?? 2 ** e) > v) e--;
  while ((POW2[e + 1] ?? 2 ** (e + 1)) <= v) e++;
  return e;
}

/**
 * Counts of free-page values in bounded memory: one count per value below 2048, above that one count
 * per bucket 2^(e-10) wide for values in [2^e, 2^(e+1)), so 1024 buckets per power of two, allocated
 * when a value of that size first appears. A value's bucket is at most 1/1024 of it wide.
 */
export class FreeHistogram {
  private readonly low = new Float64Array(EXACT_BELOW);
  private readonly high: Array<Float64Array | undefined> = [];
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  add(v: number): void {
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v < EXACT_BELOW) {
      this.low[v] = (this.low[v] ?? 0) + 1;
      return;
    }
    const e = exponent(v);
    let row = this.high[e];
    if (!row) {
      row = new Float64Array(1 << BUCKET_BITS);
      this.high[e] = row;
    }
    const m = Math.floor(v / (POW2[e - BUCKET_BITS] ?? 2 ** (e - BUCKET_BITS))) - (1 << BUCKET_BITS);
    row[m] = (row[m] ?? 0) + 1;
  }

  /** Numbers held. */
  size(): number {
    return this.low.length + this.high.reduce((n, row) => n + (row?.length ?? 0), 0);
  }

  /** The range the value of rank k (0-based, ascending) lies in: exact below 2048. */
  rank(k: number): { lo: number; hi: number } {
    let seen = 0;
    for (let v = 0; v < EXACT_BELOW; v++) {
      seen += this.low[v] ?? 0;
      if (seen > k) return { lo: v, hi: v };
    }
    for (let e = 0; e < this.high.length; e++) {
      const row = this.high[e];
      if (!row) continue;
      const w = POW2[e - BUCKET_BITS] ?? 2 ** (e - BUCKET_BITS);
      for (let m = 0; m < row.length; m++) {
        seen += row[m] ?? 0;
        if (seen > k) {
          const lo = (m + (1 << BUCKET_BITS)) * w;
          return { lo: Math.max(lo, this.min), hi: Math.min(lo + w - 1, this.max) };
        }
      }
    }
    return { lo: this.max, hi: this.max };
  }

  /**
   * The median (the mean of the two middle values for an even count), and how far the exact median can
   * be from it: each middle value is taken as the middle of its bucket's range.
   */
  median(): { value: number; error: number } {
    if (this.count === 0) return { value: 0, error: 0 };
    const at = (k: number): { value: number; error: number } => {
      const { lo, hi } = this.rank(k);
      const value = lo + Math.floor((hi - lo) / 2);
      return { value, error: hi - value };
    };
    const a = at(Math.floor((this.count - 1) / 2));
    const b = at(Math.floor(this.count / 2));
    return { value: (a.value + b.value) / 2, error: Math.max(a.error, b.error) };
  }
}

/** The value of rank k (0-based) in a count histogram indexed from `offset`. */
function rankOf(hist: ArrayLike<number>, offset: number, k: number): number {
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen > k) return i + offset;
  }
  return hist.length - 1 + offset;
}

export function histStat(hist: ArrayLike<number>, offset: number, n: number): Stat {
  let min = 0;
  let max = 0;
  for (let i = 0; i < hist.length; i++) {
    if ((hist[i] ?? 0) > 0) {
      min = i + offset;
      break;
    }
  }
  for (let i = hist.length - 1; i >= 0; i--) {
    if ((hist[i] ?? 0) > 0) {
      max = i + offset;
      break;
    }
  }
  const median = (rankOf(hist, offset, Math.floor((n - 1) / 2)) + rankOf(hist, offset, Math.floor(n / 2))) / 2;
  return { min, median, max };
}
