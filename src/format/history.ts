// Renders a history summary: per zone the spread of free memory and of the largest order, gaps, a sparkline.

import type { HistoryReport, Period, PeriodSummary, SnapshotRef, ZoneHistory } from '../analysis/history-schema.js';
import type { ChalkInstance } from './color.js';
import { kernelPhrase, type KernelFacts } from './kernel.js';
import { count, humanBytes } from './units.js';
import type { PageSizeOrigin } from '../model.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One block character per cell: -1 (no free block) is the lowest, maxOrder the highest, orders in
 * between spread linearly; a cell where the zone was absent is a space.
 */
export function sparkline(cells: ReadonlyArray<number | null>, maxOrder: number): string {
  const span = Math.max(1, maxOrder + 1);
  return cells
    .map((v) => {
      if (v === null) return ' ';
      const level = Math.round(((Math.min(v, maxOrder) + 1) * (BLOCKS.length - 1)) / span);
      return BLOCKS[Math.max(0, level)] ?? ' ';
    })
    .join('');
}

/** 0.25 -> "250ms", 2.5 -> "2.5s", 42 -> "42s", 725 -> "12m 5s", 12000 -> "3h 20m", 190000 -> "2d 4h 46m". */
export function duration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

/** A snapshot as the user will find it in the log: its stamp line when it has one, else its position. */
export function at(r: SnapshotRef): string {
  return r.stamp !== undefined ? `${r.stamp} (snapshot ${count(r.snapshot)})` : `snapshot ${count(r.snapshot)}`;
}

/** A period in words: where it began, how long it lasted, where it ended. */
export function periodText(p: Period): string {
  const length = `${count(p.snapshots)} snapshot${p.snapshots === 1 ? '' : 's'}`;
  const time = p.seconds !== undefined ? `, ${p.until ? '' : 'at least '}${duration(p.seconds)}` : '';
  const end = p.until ? `back at ${at(p.until)}` : 'still so at the end of the log';
  return `from ${at(p.from)}, ${length}${time}, ${end}`;
}

/** The first, last and longest periods, each only when it adds something. */
function periodLines(w: PeriodSummary): string[] {
  const out: string[] = [];
  if (w.first) out.push(`    first:   ${periodText(w.first)}`);
  if (w.last && w.periods > 1) out.push(`    last:    ${periodText(w.last)}`);
  if (w.longest && w.periods > 2) out.push(`    longest: ${periodText(w.longest)}`);
  return out;
}

function number(v: number, digits = 0): string {
  return Number.isInteger(v) ? count(v) : v.toFixed(digits === 0 ? 1 : digits);
}

function zoneBlock(z: ZoneHistory, c: ChalkInstance): string[] {
  const out: string[] = [];
  const over = z.seconds !== undefined ? ` over ${duration(z.seconds)}` : '';
  out.push(c.bold(`Node ${z.node}, zone ${z.zone}`) + `: ${count(z.snapshots)} snapshot${z.snapshots === 1 ? '' : 's'}${over}`);
  const approx = z.freeBytes.medianError > 0 ? ` (±${humanBytes(z.freeBytes.medianError)})` : '';
  const rows: Array<[string, string, string, string]> = [
    ['', 'min', 'median', 'max'],
    ['free memory', humanBytes(z.freeBytes.min), `${humanBytes(z.freeBytes.median)}${approx}`, humanBytes(z.freeBytes.max)],
    ['largest free order', number(z.largestOrder.min), number(z.largestOrder.median), number(z.largestOrder.max)],
    [
      `unusable index, order ${z.unusableIndex.order}`,
      z.unusableIndex.min.toFixed(3),
      z.unusableIndex.median.toFixed(4).replace(/0$/, ''),
      z.unusableIndex.max.toFixed(3),
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  for (const r of rows) {
    const line = `  ${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padStart(widths[1] ?? 0)}  ${r[2].padStart(widths[2] ?? 0)}  ${r[3].padStart(widths[3] ?? 0)}`;
    out.push(r === rows[0] ? c.dim(line) : line);
  }
  out.push(`  largest free order over time: ${c.cyan(sparkline(z.sparkline, z.maxOrder))}  (${z.maxOrder} = █, none = ▁)`);
  const f = z.checkFailed;
  if (f) {
    if (f.periods === 0) {
      out.push(`  passed the check in every snapshot`);
    } else {
      out.push(c.yellow(`  failed the check in ${count(f.snapshots)} snapshot${f.snapshots === 1 ? '' : 's'}, ${count(f.periods)} period${f.periods === 1 ? '' : 's'}:`));
      out.push(...periodLines(f));
    }
  }
  const w = z.withoutBlock;
  if (w) {
    if (w.periods === 0) {
      out.push(`  a block of order ${w.order} or larger was free in every snapshot`);
    } else {
      out.push(
        c.yellow(
          `  no free block of order ${w.order} or larger in ${count(w.snapshots)} snapshot${w.snapshots === 1 ? '' : 's'}, ${count(w.periods)} period${w.periods === 1 ? '' : 's'}:`,
        ),
      );
      out.push(...periodLines(w));
    }
  }
  return out;
}

/** How the per-snapshot check was replayed, when a zoneinfo gave watermarks. */
export interface HistoryCheck extends KernelFacts {
  order: number;
  gfp: string;
  mark: 'min' | 'low' | 'high';
  /** What stood for NR_FREE_PAGES. */
  free: string;
}

export interface HistoryView extends HistoryReport {
  check?: HistoryCheck;
  sources: string[];
  pageSizeOrigin: PageSizeOrigin;
  /** Snapshots left out because they were cut short. */
  cutShort: number;
  /** How the medians are worked out, for readers of the JSON. */
  medians: string;
}

export function renderHistory(v: HistoryView, c: ChalkInstance): string {
  const out: string[] = [];
  let head = `${count(v.snapshots)} snapshot${v.snapshots === 1 ? '' : 's'}`;
  if (v.first && v.last && v.snapshots > 1) head += ` from ${v.first.stamp ?? 'the first'} to ${v.last.stamp ?? 'the last'}`;
  if (v.seconds !== undefined) head += ` (${duration(v.seconds)})`;
  const size = humanBytes(v.pageSize);
  head += v.pageSizeOrigin === 'default' ? `. Page size ${size} (assumed; see --page-size).` : `. Page size ${size}.`;
  out.push(head);
  for (const note of v.notes) out.push(c.yellow(note));
  if (v.check) {
    const k = v.check;
    out.push(
      `Replaying the ${k.mark}-mark check of an order-${k.order} ${k.gfp} request on every snapshot (${kernelPhrase(k)}; free pages: ${k.free}).`,
    );
    const f = v.checkFailed;
    if (f && f.periods > 0) {
      out.push(c.yellow(`No zone passed, so the allocation would have failed, in ${count(f.snapshots)} snapshot${f.snapshots === 1 ? '' : 's'}, ${count(f.periods)} period${f.periods === 1 ? '' : 's'}:`));
      out.push(...periodLines(f).map((l) => l.slice(2)));
    } else {
      out.push('Some zone passed in every snapshot: the allocation would have succeeded throughout.');
    }
  }
  for (const z of v.zones) {
    out.push('');
    out.push(...zoneBlock(z, c));
  }
  return `${out.join('\n')}\n`;
}
