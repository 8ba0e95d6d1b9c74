// Each zone's history as a fixed number of buckets along time, for charts: min/max per bucket, gaps kept.

import type { Snapshot } from '../model.js';
import { Downsampler, type Buckets } from './downsample.js';
import { zonePoint, type SnapshotVerdict } from './history.js';

/** One zone's figures per bucket; null where the zone was in no snapshot of the bucket. */
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
 * Bucket i covers [start + i * width, start + (i + 1) * width) on the axis: milliseconds since the epoch
 * when the log's first snapshot has a time, else the snapshot's position (0-based).
 */
export interface Timeline {
  axis: 'time' | 'snapshot';
  start: number;
  width: number;
  /** The order of the unusable index. */
  order: number;
  /** Snapshots per bucket: 0 is a gap, where the log has none. */
  snapshots: number[];
  /** The first and last snapshot's place in each bucket, as offsets from `start` (null in a gap). */
  first: Array<number | null>;
  last: Array<number | null>;
  /** With a replayed check: the snapshots of each bucket in which no zone passed, so the allocation would fail. */
  checkFailed?: number[];
  zones: TimelineZone[];
}

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
  private values: Float64Array = new Float64Array(0);

  constructor(
    private readonly order: number,
    private readonly capacity = TIMELINE_BUCKETS,
  ) {}

  add(s: Snapshot, time: number | undefined, verdict?: SnapshotVerdict): void {
    this.axis ??= time === undefined ? 'snapshot' : 'time';
    this.sampler ??= new Downsampler(this.capacity, this.axis === 'time' ? 1000 : 1);
    const x = this.axis === 'snapshot' ? this.index : Math.max(time ?? this.lastX, this.lastX);
    this.index++;
    this.lastX = x;
    for (const z of s.zones) this.slots(z.node, z.zone, z.free.length);
    if (this.values.length !== this.series) this.values = new Float64Array(this.series);
    const v = this.values.fill(Number.NaN);
    if (verdict) {
      this.checked = true;
      v[0] = verdict.ok ? 0 : 1;
    }
    for (const z of s.zones) {
      const slots = this.slots(z.node, z.zone, z.free.length);
      const p = zonePoint(z.free, this.order);
      v[slots.largest] = p.largestOrder;
      v[slots.unusable] = p.unusable;
      const ok = verdict?.zones.get(z.node)?.get(z.zone);
      if (ok !== undefined) v[slots.failed] = ok ? 0 : 1;
      slots.orders.forEach((k, o) => (v[k] = z.free[o] ?? 0));
    }
    this.sampler.add(x, v);
  }

  finish(): Timeline {
    const b = (this.sampler ?? new Downsampler(this.capacity)).buckets();
    const n = b.used;
    const ints = (a: Float64Array): number[] => Array.from(a.subarray(0, n));
    const offsets = (a: Float64Array): Array<number | null> =>
      Array.from(a.subarray(0, n), (x) => (Number.isNaN(x) ? null : x - b.start));
    const timeline: Timeline = {
      axis: this.axis ?? 'snapshot',
      start: Number.isNaN(b.start) ? 0 : b.start,
      width: b.width,
      order: this.order,
      snapshots: ints(b.points),
      first: offsets(b.first),
      last: offsets(b.last),
      zones: this.zones.map((z) => this.zoneOf(z, b)),
    };
    if (this.checked) timeline.checkFailed = Array.from(b.series[0]?.sum.subarray(0, n) ?? new Float64Array(n));
    return timeline;
  }

  private zoneOf(z: Slots, b: Buckets): TimelineZone {
    const n = b.used;
    const nan = new Float64Array(n).fill(Number.NaN);
    const s = (k: number) => b.series[k];
    const pick = (a: Float64Array | undefined, f: (x: number, i: number) => number): Array<number | null> =>
      Array.from((a ?? nan).subarray(0, n), (x, i) => (Number.isNaN(x) ? null : f(x, i)));
    const present = s(z.largest)?.n ?? new Float64Array(n);
    const out: TimelineZone = {
      node: z.node,
      zone: z.zone,
      snapshots: Array.from(present.subarray(0, n)),
      free: z.orders.map((k) => {
        const sum = s(k)?.sum;
        return Array.from({ length: n }, (_, i) => {
          const seen = present[i] ?? 0;
          return seen === 0 || sum === undefined ? null : Math.round((sum[i] ?? 0) / seen);
        });
      }),
      largestOrder: { min: pick(s(z.largest)?.min, (x) => x), max: pick(s(z.largest)?.max, (x) => x) },
      unusable: { min: pick(s(z.unusable)?.min, (x) => x), max: pick(s(z.unusable)?.max, (x) => x) },
    };
    const failed = s(z.failed);
    if (failed !== undefined && failed.n.subarray(0, n).some((c) => c > 0)) {
      out.checkFailed = Array.from(failed.sum.subarray(0, n), (x, i) => ((failed.n[i] ?? 0) === 0 ? null : x));
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
