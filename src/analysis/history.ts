// Summarises a stream of snapshots per zone in constant memory: spans, medians, gaps, a sparkline.

import type { Snapshot } from '../model.js';
import { FreeHistogram, histStat, POW2 } from './bounded-stats.js';
import { Runs, ref, secondsBetween, type Mark } from './history-runs.js';
import type { HistoryReport, ZoneHistory } from './history-schema.js';

/** The figures history follows for one zone in one snapshot. */
export interface ZonePoint {
  /** Free pages in the buddy lists: sum of nr_free[o] << o. */
  freePages: number;
  /** The largest order with a free block, -1 when none. */
  largestOrder: number;
  /** unusable_free_index at the chosen order, in the kernel's thousandths. */
  unusable: number;
}

/**
 * One pass over the counts, the same sums as fill_contig_page_info and the same truncating division as
 * unusable_free_index (mm/vmstat.c, 2.6.35 to 6.18; analysis/fragmentation.ts has the reference version).
 */
export function zonePoint(free: readonly number[], order: number): ZonePoint {
  let freePages = 0;
  let suitablePages = 0;
  let largestOrder = -1;
  for (let o = 0; o < free.length; o++) {
    const n = free[o] ?? 0;
    if (n === 0) continue;
    const pages = n * (POW2[o] ?? 2 ** o);
    freePages += pages;
    if (o >= order) suitablePages += pages;
    largestOrder = o;
  }
  const unusable = freePages === 0 ? 1000 : Math.trunc(((freePages - suitablePages) * 1000) / freePages);
  return { freePages, largestOrder, unusable };
}

export interface HistoryOptions {
  /** The order for the unusable index and for the periods without a block. */
  order: number;
  /** Track the periods when no block of `order` or larger was free (`--order` given). */
  periods: boolean;
  /** Cells of the sparkline; default 60. */
  width?: number;
}

/** The replayed check of one snapshot: whether the allocation would succeed, and each zone's own verdict. */
export interface SnapshotVerdict {
  ok: boolean;
  /** node -> zone -> passed. Zones the check did not look at are absent. */
  zones: Map<number, Map<string, boolean>>;
}

/** Beyond any order (MAX_ORDERS - 1 = 16): marks a sparkline cell no snapshot of the zone fell in, and min() keeps it out. */
const ABSENT = 127;

class ZoneTrack {
  snapshots = 0;
  first: Mark | undefined;
  last: Mark | undefined;
  readonly free = new FreeHistogram();
  /** Index order + 1, from -1 (no block); grows with the widest zone line. */
  readonly largest: number[] = [];
  readonly unusable = new Float64Array(1001);
  maxOrder = -1;
  readonly spark: Int8Array;
  readonly withoutBlock = new Runs();
  /** Snapshots whose replayed check failed in this zone; created on the first snapshot with a verdict. */
  checkFailed: Runs | undefined;

  constructor(
    readonly node: number,
    readonly zone: string,
    capacity: number,
  ) {
    this.spark = new Int8Array(capacity).fill(ABSENT);
  }
}

/**
 * Takes snapshots one at a time and keeps per zone only counts: a histogram per figure and a sparkline
 * of fixed capacity, so memory does not grow with the number of snapshots (footprint() says how much
 * is held). The sparkline starts with one snapshot per cell; when its 8 x width cells fill, neighbours
 * merge (the minimum of the two) and a cell covers twice as many snapshots.
 */
export class HistorySummary {
  private readonly width: number;
  private readonly capacity: number;
  private readonly tracks = new Map<number, Map<string, ZoneTrack>>();
  private readonly order: ZoneTrack[] = [];
  /** The zone track used for the k-th zone line of the last snapshot. */
  private readonly slots: ZoneTrack[] = [];
  private count = 0;
  private step = 1;
  private firstMark: Mark | undefined;
  private lastMark: Mark | undefined;
  private lastTime: number | undefined;
  private backwards: Mark | undefined;
  private checkFailed: Runs | undefined;
  private orderTooLarge = false;

  constructor(private readonly opts: HistoryOptions) {
    this.width = opts.width ?? 60;
    this.capacity = this.width * 8;
  }

  /** Adds a snapshot; `verdict`, when the check was replayed for it, says which zones passed and whether the allocation would. */
  add(s: Snapshot, time?: number, verdict?: SnapshotVerdict): void {
    const index = this.count++;
    let cell = Math.floor(index / this.step);
    if (cell >= this.capacity) {
      this.merge();
      cell = Math.floor(index / this.step);
    }
    const mark: Mark = { index, time, stamp: s.stamp };
    this.firstMark ??= mark;
    this.lastMark = mark;
    if (time !== undefined) {
      if (this.lastTime !== undefined && time < this.lastTime) this.backwards ??= mark;
      this.lastTime = time;
    }
    const order = this.opts.order;
    if (verdict) {
      this.checkFailed ??= new Runs();
      this.checkFailed.add(!verdict.ok, mark);
    }
    const zones = s.zones;
    for (let k = 0; k < zones.length; k++) {
      const z = zones[k];
      if (z === undefined) continue;
      // Snapshots of one machine list the same zones in the same order: try the zone seen at this place last time.
      let t = this.slots[k];
      if (t === undefined || t.node !== z.node || t.zone !== z.zone) {
        t = this.track(z.node, z.zone);
        this.slots[k] = t;
      }
      const p = zonePoint(z.free, order);
      t.snapshots++;
      t.first ??= mark;
      t.last = mark;
      t.free.add(p.freePages);
      while (t.largest.length <= p.largestOrder + 1) t.largest.push(0);
      t.largest[p.largestOrder + 1] = (t.largest[p.largestOrder + 1] ?? 0) + 1;
      t.unusable[p.unusable] = (t.unusable[p.unusable] ?? 0) + 1;
      if (z.free.length - 1 > t.maxOrder) t.maxOrder = z.free.length - 1;
      if (order >= z.free.length) this.orderTooLarge = true;
      if (p.largestOrder < (t.spark[cell] ?? ABSENT)) t.spark[cell] = Math.min(p.largestOrder, ABSENT - 1);
      if (this.opts.periods) t.withoutBlock.add(p.largestOrder < order, mark);
      if (verdict) {
        const ok = verdict.zones.get(t.node)?.get(t.zone);
        if (ok !== undefined) {
          t.checkFailed ??= new Runs();
          t.checkFailed.add(!ok, mark);
        }
      }
    }
  }

  /** Numbers held, over every zone: bounded by the zone count times a constant, whatever the input size. */
  footprint(): number {
    let n = 0;
    for (const t of this.order) n += t.free.size() + t.largest.length + t.unusable.length + t.spark.length;
    return n;
  }

  finish(pageSize: number): HistoryReport {
    const zones = this.order.map((t) => this.zoneReport(t, pageSize));
    const report: HistoryReport = {
      snapshots: this.count,
      pageSize,
      order: this.opts.order,
      sparklineStep: this.step,
      zones,
      notes: [],
    };
    if (this.firstMark && this.lastMark) {
      report.first = ref(this.firstMark);
      report.last = ref(this.lastMark);
      const seconds = secondsBetween(this.firstMark, this.lastMark);
      if (seconds !== undefined) report.seconds = seconds;
    }
    if (this.checkFailed) report.checkFailed = this.checkFailed.summary(this.opts.order);
    if (this.backwards) {
      report.notes.push(
        `The timestamps go backwards at snapshot ${this.backwards.index + 1} ("${this.backwards.stamp ?? ''}"): were logs given out of order? Spans and durations assume they run forward.`,
      );
    }
    if (this.orderTooLarge) {
      report.notes.push(`Order ${this.opts.order} is past the last order of some zone lines: no block of it can be free there.`);
    }
    return report;
  }

  private track(node: number, zone: string): ZoneTrack {
    let byZone = this.tracks.get(node);
    if (!byZone) {
      byZone = new Map();
      this.tracks.set(node, byZone);
    }
    let t = byZone.get(zone);
    if (!t) {
      t = new ZoneTrack(node, zone, this.capacity);
      byZone.set(zone, t);
      this.order.push(t);
    }
    return t;
  }

  private merge(): void {
    for (const t of this.order) {
      const s = t.spark;
      const half = s.length / 2;
      for (let i = 0; i < half; i++) s[i] = Math.min(s[2 * i] ?? ABSENT, s[2 * i + 1] ?? ABSENT);
      s.fill(ABSENT, half);
    }
    this.step *= 2;
  }

  private sparkline(t: ZoneTrack): Array<number | null> {
    if (this.count === 0) return [];
    const used = Math.floor((this.count - 1) / this.step) + 1;
    const cells = Math.min(used, this.width);
    const out: Array<number | null> = [];
    for (let i = 0; i < cells; i++) {
      const from = Math.floor((i * used) / cells);
      const to = Math.floor(((i + 1) * used) / cells);
      let v = ABSENT;
      for (let j = from; j < to; j++) v = Math.min(v, t.spark[j] ?? ABSENT);
      out.push(v === ABSENT ? null : v);
    }
    return out;
  }

  private zoneReport(t: ZoneTrack, pageSize: number): ZoneHistory {
    const n = t.snapshots;
    const median = t.free.median();
    const free = { min: t.free.count === 0 ? 0 : t.free.min, median: median.value, max: t.free.max, medianError: median.error };
    const first = t.first ?? { index: 0, time: undefined, stamp: undefined };
    const last = t.last ?? first;
    const unusable = histStat(t.unusable, 0, n);
    const z: ZoneHistory = {
      node: t.node,
      zone: t.zone,
      snapshots: n,
      first: ref(first),
      last: ref(last),
      freePages: free,
      freeBytes: {
        min: free.min * pageSize,
        median: free.median * pageSize,
        max: free.max * pageSize,
        medianError: free.medianError * pageSize,
      },
      largestOrder: histStat(t.largest, -1, n),
      unusableIndex: {
        order: this.opts.order,
        min: unusable.min / 1000,
        median: unusable.median / 1000,
        max: unusable.max / 1000,
      },
      maxOrder: t.maxOrder,
      sparkline: this.sparkline(t),
    };
    const seconds = secondsBetween(first, last);
    if (seconds !== undefined) z.seconds = seconds;
    if (this.opts.periods) z.withoutBlock = t.withoutBlock.summary(this.opts.order);
    if (t.checkFailed) z.checkFailed = t.checkFailed.summary(this.opts.order);
    return z;
  }
}
