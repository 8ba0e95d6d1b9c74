// The shape of a history summary, as the JSON output prints it and the text view renders it.

/** A snapshot named three ways: its position (1-based, over every input), its stamp line, its time. */
export interface SnapshotRef {
  snapshot: number;
  stamp?: string;
  /** ISO 8601, UTC, when the stamp gave a time. */
  time?: string;
}

/** A run of consecutive snapshots (of those showing the zone) without a free block of the order, or failing the check. */
export interface Period {
  from: SnapshotRef;
  to: SnapshotRef;
  snapshots: number;
  /** Seconds from `from` to `until` (or to `to` while still ongoing), when both carry a time. */
  seconds?: number;
  /** The first snapshot that had a block again; absent when the log ends inside the period. */
  until?: SnapshotRef;
}

export interface PeriodSummary {
  order: number;
  /** Snapshots without a block of the order or larger. */
  snapshots: number;
  periods: number;
  first?: Period;
  last?: Period;
  /** The period with the most snapshots (the earliest of equals). */
  longest?: Period;
}

export interface Stat {
  min: number;
  /** For an even count, the mean of the two middle values. */
  median: number;
  max: number;
}

export interface ZoneHistory {
  node: number;
  zone: string;
  snapshots: number;
  first: SnapshotRef;
  last: SnapshotRef;
  /** Seconds from the first to the last snapshot showing the zone, when both carry a time. */
  seconds?: number;
  /**
   * The median is exact below 2048 pages; above, values are counted in buckets 1/1024 of their size wide,
   * and `medianError` bounds how far the median given can be from the exact one (0 when exact).
   */
  freePages: Stat & { medianError: number };
  freeBytes: Stat & { medianError: number };
  /** Exact (a count per order). */
  largestOrder: Stat;
  /** Exact (a count per thousandth); the kernel's thousandths divided by 1000. */
  unusableIndex: Stat & { order: number };
  /** The highest order the zone's lines have (columns - 1). */
  maxOrder: number;
  /**
   * Largest free order over time, `width` cells at most, each the minimum over its stretch of snapshots
   * so a drop never disappears; null where the zone was absent from every snapshot of the stretch.
   */
  sparkline: Array<number | null>;
  /** With --order: the periods without a free block of that order or larger. */
  withoutBlock?: PeriodSummary;
  /** With --order and known watermarks: the periods when this zone failed the replayed check. */
  checkFailed?: PeriodSummary;
}

export interface HistoryReport {
  snapshots: number;
  first?: SnapshotRef;
  last?: SnapshotRef;
  seconds?: number;
  pageSize: number;
  order: number;
  /** Snapshots per sparkline cell: a cell covers this many snapshots, or up to twice as many. */
  sparklineStep: number;
  zones: ZoneHistory[];
  /** With --order and known watermarks: the periods when no zone passed, so the allocation would fail. */
  checkFailed?: PeriodSummary;
  notes: string[];
}
