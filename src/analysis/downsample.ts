// Min/max downsampling of many series along a growing axis, fed one point at a time, in bounded memory.

/** One series' figures per bucket; NaN where no point of the series fell in the bucket. */
export interface BucketSeries {
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  /** Points of this series in each bucket (a point may leave a series out). */
  n: Float64Array;
}

/** What a Downsampler holds at the end: bucket i covers [start + i * width, start + (i + 1) * width). */
export interface Buckets {
  start: number;
  width: number;
  /** Buckets in use: the last one holds the largest x seen. */
  used: number;
  /** Points per bucket; 0 is a gap, where the input had none. */
  points: Float64Array;
  /** The first and last x that fell in each bucket (NaN in a gap). */
  first: Float64Array;
  last: Float64Array;
  series: BucketSeries[];
}

function emptySeries(capacity: number): BucketSeries {
  return {
    min: new Float64Array(capacity).fill(Number.NaN),
    max: new Float64Array(capacity).fill(Number.NaN),
    sum: new Float64Array(capacity),
    n: new Float64Array(capacity),
  };
}

/**
 * A fixed number of buckets along x: the first point sets `start`, each bucket is `width` wide, and when
 * a point falls past the last bucket the width doubles, neighbours merging pairwise (the min of two mins,
 * the max of two maxes, the sum of two sums), until it fits. So at most `capacity` buckets are held
 * whatever the number of points, and each bucket's figures are exactly those of the points inside it,
 * as a naive pass over every point with the final width would find. x must not decrease; a smaller x
 * is counted in the bucket of the largest x seen so far (the caller says why that happens).
 */
export class Downsampler {
  private readonly capacity: number;
  private width: number;
  private start = Number.NaN;
  private top = Number.NEGATIVE_INFINITY;
  private used = 0;
  private readonly points: Float64Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  private readonly series: BucketSeries[] = [];

  /** `capacity`: an even number of buckets, 2 or more; `width`: the starting width, doubled as needed. */
  constructor(capacity: number, width = 1) {
    if (capacity < 2 || capacity % 2 !== 0) throw new RangeError(`capacity must be even and 2 or more, not ${capacity}`);
    if (!(width > 0)) throw new RangeError(`width must be positive, not ${width}`);
    this.capacity = capacity;
    this.width = width;
    this.points = new Float64Array(capacity);
    this.first = new Float64Array(capacity).fill(Number.NaN);
    this.last = new Float64Array(capacity).fill(Number.NaN);
  }

  /** Adds a point at x; values[k] is series k's value, undefined or NaN when the point leaves it out. */
  add(x: number, values: ArrayLike<number | undefined>): void {
    if (Number.isNaN(this.start)) this.start = x;
    const at = Math.max(x, this.top);
    this.top = at;
    let cell = Math.floor((at - this.start) / this.width);
    while (cell >= this.capacity) {
      this.merge();
      cell = Math.floor((at - this.start) / this.width);
    }
    if (cell + 1 > this.used) this.used = cell + 1;
    this.points[cell] = (this.points[cell] ?? 0) + 1;
    if (Number.isNaN(this.first[cell] ?? Number.NaN)) this.first[cell] = at;
    this.last[cell] = at;
    while (this.series.length < values.length) this.series.push(emptySeries(this.capacity));
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v === undefined || Number.isNaN(v)) continue;
      const s = this.series[k] as BucketSeries;
      const lo = s.min[cell] as number;
      const hi = s.max[cell] as number;
      // NaN compares false both ways: the first value of a bucket sets both ends.
      if (!(v >= lo)) s.min[cell] = v;
      if (!(v <= hi)) s.max[cell] = v;
      s.sum[cell] = (s.sum[cell] as number) + v;
      s.n[cell] = (s.n[cell] as number) + 1;
    }
  }

  /** The buckets as they stand; the arrays are the Downsampler's own, so read them before adding more. */
  buckets(): Buckets {
    return { start: this.start, width: this.width, used: this.used, points: this.points, first: this.first, last: this.last, series: this.series };
  }

  /** Numbers held: fixed by the capacity and the number of series, whatever the number of points. */
  footprint(): number {
    return this.capacity * (3 + 4 * this.series.length);
  }

  private merge(): void {
    const half = this.capacity / 2;
    const pair = (a: Float64Array, f: (x: number, y: number) => number, empty: number): void => {
      for (let i = 0; i < half; i++) a[i] = f(a[2 * i] as number, a[2 * i + 1] as number);
      a.fill(empty, half);
    };
    const sum = (x: number, y: number): number => x + y;
    // NaN-aware: a bucket with no value of the series leaves the other's figure.
    const lower = (x: number, y: number): number => (Number.isNaN(x) || y < x ? y : x);
    const upper = (x: number, y: number): number => (Number.isNaN(x) || y > x ? y : x);
    const earlier = (x: number, y: number): number => (Number.isNaN(x) ? y : x);
    const later = (x: number, y: number): number => (Number.isNaN(y) ? x : y);
    pair(this.points, sum, 0);
    pair(this.first, earlier, Number.NaN);
    pair(this.last, later, Number.NaN);
    for (const s of this.series) {
      pair(s.min, lower, Number.NaN);
      pair(s.max, upper, Number.NaN);
      pair(s.sum, sum, 0);
      pair(s.n, sum, 0);
    }
    this.width *= 2;
    this.used = Math.ceil(this.used / 2);
  }
}
