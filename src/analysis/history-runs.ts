// Runs of consecutive snapshots where something held (no free block, a failed check), summed up as periods.

import type { Period, PeriodSummary, SnapshotRef } from './history-schema.js';

export interface Mark {
  index: number;
  time: number | undefined;
  stamp: string | undefined;
}

interface OpenRun {
  from: Mark;
  to: Mark;
  snapshots: number;
}

interface ClosedRun extends OpenRun {
  until?: Mark;
}

/** Runs of consecutive snapshots where something held (no block, a failed check): keeps only counts and three runs. */
export class Runs {
  private open: OpenRun | undefined;
  private count = 0;
  private total = 0;
  private first: ClosedRun | undefined;
  private last: ClosedRun | undefined;
  private longest: ClosedRun | undefined;

  /** One snapshot: `bad` extends or starts a run, otherwise ends the open one there. */
  add(bad: boolean, mark: Mark): void {
    if (bad) {
      if (this.open) {
        this.open.to = mark;
        this.open.snapshots++;
      } else {
        this.open = { from: mark, to: mark, snapshots: 1 };
      }
    } else {
      this.close(mark);
    }
  }

  /** The summary, closing a run still open at the end of the log. */
  summary(order: number): PeriodSummary {
    this.close(undefined);
    const w: PeriodSummary = { order, snapshots: this.total, periods: this.count };
    if (this.first) w.first = period(this.first);
    if (this.last) w.last = period(this.last);
    if (this.longest) w.longest = period(this.longest);
    return w;
  }

  private close(until: Mark | undefined): void {
    const run = this.open;
    if (!run) return;
    this.open = undefined;
    const closed: ClosedRun = until ? { ...run, until } : run;
    this.count++;
    this.total += run.snapshots;
    this.first ??= closed;
    this.last = closed;
    if (!this.longest || closed.snapshots > this.longest.snapshots) this.longest = closed;
  }
}

export function ref(m: Mark): SnapshotRef {
  const r: SnapshotRef = { snapshot: m.index + 1 };
  if (m.stamp !== undefined) r.stamp = m.stamp;
  if (m.time !== undefined) r.time = new Date(m.time).toISOString();
  return r;
}

export function secondsBetween(a: Mark, b: Mark): number | undefined {
  return a.time !== undefined && b.time !== undefined ? (b.time - a.time) / 1000 : undefined;
}

function period(run: ClosedRun): Period {
  const p: Period = { from: ref(run.from), to: ref(run.to), snapshots: run.snapshots };
  const seconds = secondsBetween(run.from, run.until ?? run.to);
  if (seconds !== undefined) p.seconds = seconds;
  if (run.until) p.until = ref(run.until);
  return p;
}
