// Each zone's history as a fixed number of buckets along time, for charts: min/max per bucket, gaps kept.

import type { Snapshot } from '../model.js';
import { Downsampler, type Buckets } from './downsample.js';
import { zonePoint, type SnapshotVerdict } from './history.js';

/** One zone's figures per listed bucket; null where the zone was in no snapshot of the bucket. */
export interface TimelineZone {
  node: number;
  zone: string;
  /** Snapshots showing this zone in each bucket. */
  snapshots: number[];
  /** free[o][i]: the mean count of free blocks of order o in bucket i, rounded (0 where the line had no column o). */
  free: Array<Array<number | null>>;
  /** The largest order with a free block (-1: none), lowest and highest in each bucket. */
  largestOrder: { min: Array<number | null>; max: Array<number | null> };
  /** unusable_free_index at `order`, in the kernel's thousandths, lowest and highest in each bucket. */
  unusable: { min: Array<number | null>; max: Array<number | null> };
  /** With a replayed check: the snapshots of each bucket in which this zone failed it. */
  checkFailed?: Array<number | null>;
}

/**
 * The buckets that hold a snapshot, in order; bucket `bucket[i]` covers [start + bucket[i] * width,
 * start + (bucket[i] + 1) * width) on the axis: milliseconds since the epoch when the log's first snapshot
 * has a time, else the snapshot's position (0-based). Every other array is indexed like `bucket`.
 */
export interface Timeline {
  axis: 'time' | 'snapshot';
  start: number;
  width: number;
  /** The order of the unusable index. */
  order: number;
  /**
   * The usual time from one snapshot to the next, in axis units: the longest step among those within a
   * factor of 2 of the median (the median itself for a log written at a steady rate).
   */
  interval: number;
  bucket: number[];
  /** Whether the log has a gap before this bucket: no snapshot for more than GAP_FACTOR intervals. */
  gapBefore: boolean[];
  /** Snapshots per bucket. */
  snapshots: number[];
  /** The first and last snapshot's place in each bucket, as offsets from `start`. */
  first: number[];
  last: number[];
  /** With a replayed check: the snapshots of each bucket in which no zone passed, so the allocation would fail. */
  checkFailed?: number[];
  zones: TimelineZone[];
}

/** A stretch without snapshots longer than this many usual intervals is a gap in the log. */
export const GAP_FACTOR = 3;

/** A zone's series indices in the downsampler: largest order, unusable, check failed, then one per order. */
interface Slots {
  node: number;
  zone: string;
  largest: number;
  unusable: number;
  failed: number;
  orders: number[];
}

/** The default bucket count: about a chart's width in pixels, and a year of minutes within ~300 KB of JSON. */
export const TIMELINE_BUCKETS = 640;

/**
 * Feeds a Downsampler with each snapshot's figures per zone, in the same pass as the history summary.
 * The axis is time when the first snapshot carries one; a later snapshot without a time, or whose time
 * goes backwards (logs given out of order; the summary notes it), is counted at the latest time seen.
 */
export class HistoryTimeline {
  /** Made with the first snapshot: buckets start 1 s wide on a time axis, 1 snapshot wide otherwise. */
  private sampler: Downsampler | undefined;
  private readonly zones: Slots[] = [];
  private readonly byKey = new Map<string, Slots>();
  /** Series 0: 1 when no zone passed the check, 0 when some did. */
  private series = 1;
  private axis: Timeline['axis'] | undefined;
  private index = 0;
  private lastX = 0;
  private checked = false;
  /** Steps between snapshots counted per power of two (step in (2^(k-1), 2^k]), and the longest of each. */
  private readonly steps = new Float64Array(64);
  private readonly longest = new Float64Array(64);
  private values: Float64Array = new Float64Array(0);
  /** The zone's series for the k-th zone line of the last snapshot. */
  private readonly at: Slots[] = [];

  constructor(
    private readonly order: number,
    private readonly capacity = TIMELINE_BUCKETS,
  ) {}

  add(s: Snapshot, time: number | undefined, verdict?: SnapshotVerdict): void {
    this.axis ??= time === undefined ? 'snapshot' : 'time';
    this.sampler ??= new Downsampler(this.capacity, this.axis === 'time' ? 1000 : 1);
    const x = this.axis === 'snapshot' ? this.index : Math.max(time ?? this.lastX, this.lastX);
    // Steps between snapshots, per power of two (bounded: 128 numbers), for the usual interval.
    if (this.index > 0) {
      const step = x - this.lastX;
      const k = step < 1 ? 0 : Math.min(63, Math.ceil(Math.log2(step)));
      this.steps[k] = (this.steps[k] ?? 0) + 1;
      if (step > (this.longest[k] ?? 0)) this.longest[k] = step;
    }
    this.index++;
    this.lastX = x;
    // Snapshots of one machine list the same zones in the same order: try the zone seen at this place last time.
    const zones = s.zones;
    const at = this.at;
    for (let k = 0; k < zones.length; k++) {
      const z = zones[k] as (typeof zones)[number];
      let slots = at[k];
      if (slots === undefined || slots.node !== z.node || slots.zone !== z.zone) {
        slots = this.slots(z.node, z.zone, z.free.length);
        at[k] = slots;
      } else if (slots.orders.length < z.free.length) this.slots(z.node, z.zone, z.free.length);
    }
    if (this.values.length !== this.series) this.values = new Float64Array(this.series);
    const v = this.values.fill(Number.NaN);
    if (verdict) {
      this.checked = true;
      v[0] = verdict.ok ? 0 : 1;
    }
    for (let k = 0; k < zones.length; k++) {
      const z = zones[k] as (typeof zones)[number];
      const slots = at[k] as Slots;
      const p = zonePoint(z.free, this.order);
      v[slots.largest] = p.largestOrder;
      v[slots.unusable] = p.unusable;
      const ok = verdict?.zones.get(z.node)?.get(z.zone);
      if (ok !== undefined) v[slots.failed] = ok ? 0 : 1;
      const orders = slots.orders;
      for (let o = 0; o < orders.length; o++) v[orders[o] as number] = z.free[o] ?? 0;
    }
    this.sampler.add(x, v);
  }

  finish(): Timeline {
    const b = (this.sampler ?? new Downsampler(this.capacity)).buckets();
    const listed: number[] = [];
    for (let i = 0; i < b.used; i++) if ((b.points[i] ?? 0) > 0) listed.push(i);
    const at = (a: Float64Array, f: (x: number) => number = (x) => x): number[] => listed.map((i) => f(a[i] as number));
    const interval = this.typicalInterval();
    const first = at(b.first, (x) => x - b.start);
    const last = at(b.last, (x) => x - b.start);
    const timeline: Timeline = {
      axis: this.axis ?? 'snapshot',
      start: Number.isNaN(b.start) ? 0 : b.start,
      width: b.width,
      order: this.order,
      interval,
      bucket: listed,
      gapBefore: listed.map((_, k) => k > 0 && (first[k] as number) - (last[k - 1] as number) > GAP_FACTOR * interval),
      snapshots: at(b.points),
      first,
      last,
      zones: this.zones.map((z) => this.zoneOf(z, b, listed)),
    };
    const failed = b.series[0];
    if (this.checked && failed !== undefined) timeline.checkFailed = at(failed.sum);
    return timeline;
  }

  /** The longest step of the power of two holding the median step (1 on the snapshot axis). */
  private typicalInterval(): number {
    const total = this.steps.reduce((a, b) => a + b, 0);
    if (this.axis !== 'time' || total === 0) return 1;
    let seen = 0;
    for (let k = 0; k < this.steps.length; k++) {
      seen += this.steps[k] ?? 0;
      if (seen * 2 >= total) return Math.max(1, this.longest[k] ?? 1);
    }
    return 1;
  }

  private zoneOf(z: Slots, b: Buckets, listed: number[]): TimelineZone {
    const series = (k: number) => b.series[k];
    const present = series(z.largest)?.n;
    const seen = (i: number): number => present?.[i] ?? 0;
    const pick = (a: Float64Array | undefined): Array<number | null> => listed.map((i) => (seen(i) === 0 || a === undefined ? null : (a[i] as number)));
    const out: TimelineZone = {
      node: z.node,
      zone: z.zone,
      snapshots: listed.map(seen),
      free: z.orders.map((k) => {
        const sum = series(k)?.sum;
        return listed.map((i) => (seen(i) === 0 || sum === undefined ? null : Math.round((sum[i] as number) / seen(i))));
      }),
      largestOrder: { min: pick(series(z.largest)?.min), max: pick(series(z.largest)?.max) },
      unusable: { min: pick(series(z.unusable)?.min), max: pick(series(z.unusable)?.max) },
    };
    const failed = series(z.failed);
    if (failed !== undefined && listed.some((i) => (failed.n[i] as number) > 0)) {
      out.checkFailed = listed.map((i) => ((failed.n[i] as number) === 0 ? null : (failed.sum[i] as number)));
    }
    return out;
  }

  /** The zone's series, made on its first appearance; a wider line than before adds series for its orders. */
  private slots(node: number, zone: string, orders: number): Slots {
    const key = `${node}\u0000${zone}`;
    let slots = this.byKey.get(key);
    if (slots === undefined) {
      slots = { node, zone, largest: this.series, unusable: this.series + 1, failed: this.series + 2, orders: [] };
      this.series += 3;
      this.byKey.set(key, slots);
      this.zones.push(slots);
    }
    while (slots.orders.length < orders) slots.orders.push(this.series++);
    return slots;
  }
}
