// Renders a history summary: per zone the spread of free memory and of the largest order, gaps, a sparkline.

import type { HistoryReport, Period, PeriodSummary, SnapshotRef, ZoneHistory } from '../analysis/history-schema.js';
import type { ChalkInstance } from './color.js';
import { kernelPhrase, type KernelFacts } from './kernel.js';
import { count, humanBytes } from './units.js';
import { visibleWidth, wrapLine } from './wrap.js';
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

/**
 * At most `room` cells: each group of neighbours becomes its minimum, as the summary merges cells (the
 * worst moment of a stretch is what a sparkline of fragmentation must not hide). Null only where every
 * cell of the group was.
 */
export function narrowCells(cells: ReadonlyArray<number | null>, room: number): Array<number | null> {
  if (cells.length <= room) return [...cells];
  const n = Math.max(1, room);
  const out: Array<number | null> = [];
  for (let i = 0; i < n; i++) {
    const group = cells.slice(Math.floor((i * cells.length) / n), Math.floor(((i + 1) * cells.length) / n)).filter((v) => v !== null);
    out.push(group.length === 0 ? null : Math.min(...group));
  }
  return out;
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

/** Lines of prose at most `width` columns wide, cut at spaces; no width (not a terminal): as they are. */
type Prose = (line: string) => string[];

function proseOf(width: number | undefined): Prose {
  return (line) => (width === undefined ? [line] : wrapLine(line, width));
}

/**
 * The first, last and longest periods, each only when it adds something. A long one goes on under its
 * text, clear of the label, so the three labels stay a column to scan.
 */
function periodLines(w: PeriodSummary, indent: string, width: number | undefined): string[] {
  const out: string[] = [];
  const add = (label: string, p: Period): void => {
    const head = `${indent}${label.padEnd(9)}`;
    const lines = width === undefined ? [periodText(p)] : wrapLine(periodText(p), Math.max(20, width - head.length));
    lines.forEach((l, i) => out.push((i === 0 ? head : ' '.repeat(head.length)) + l));
  };
  if (w.first) add('first:', w.first);
  if (w.last && w.periods > 1) add('last:', w.last);
  if (w.longest && w.periods > 2) add('longest:', w.longest);
  return out;
}

function number(v: number, digits = 0): string {
  return Number.isInteger(v) ? count(v) : v.toFixed(digits === 0 ? 1 : digits);
}

/** The rows' labels, and shorter ones for a terminal too narrow for them. */
const LABELS = {
  long: ['free memory', 'largest free order', 'unusable index, order'],
  short: ['free', 'largest order', 'unusable, order'],
} as const;

/** The min, median and max of each figure, in columns; its lines are laid out here, never wrapped. */
function spreadTable(z: ZoneHistory, labels: readonly string[], c: ChalkInstance): string[] {
  const approx = z.freeBytes.medianError > 0 ? ` (±${humanBytes(z.freeBytes.medianError)})` : '';
  const rows: Array<[string, string, string, string]> = [
    ['', 'min', 'median', 'max'],
    [labels[0] ?? '', humanBytes(z.freeBytes.min), `${humanBytes(z.freeBytes.median)}${approx}`, humanBytes(z.freeBytes.max)],
    [labels[1] ?? '', number(z.largestOrder.min), number(z.largestOrder.median), number(z.largestOrder.max)],
    [
      `${labels[2] ?? ''} ${z.unusableIndex.order}`,
      z.unusableIndex.min.toFixed(3),
      z.unusableIndex.median.toFixed(4).replace(/0$/, ''),
      z.unusableIndex.max.toFixed(3),
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) => {
    const line = `  ${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padStart(widths[1] ?? 0)}  ${r[2].padStart(widths[2] ?? 0)}  ${r[3].padStart(widths[3] ?? 0)}`;
    return r === rows[0] ? c.dim(line) : line;
  });
}

/**
 * The sparkline after its label on one line when that fits; else the label, then the sparkline alone,
 * its cells merged (narrowCells) to fit. Its spaces (snapshots without the zone) must not be cut at.
 */
function sparklineLines(z: ZoneHistory, c: ChalkInstance, width: number | undefined): string[] {
  const legend = `(${z.maxOrder} = █, none = ▁)`;
  const one = `  largest free order over time: ${c.cyan(sparkline(z.sparkline, z.maxOrder))}  ${legend}`;
  if (width === undefined || visibleWidth(one) <= width) return [one];
  const cells = narrowCells(z.sparkline, width - 4);
  return [...proseOf(width)(`  largest free order over time ${legend}:`), `    ${c.cyan(sparkline(cells, z.maxOrder))}`];
}

function zoneBlock(z: ZoneHistory, c: ChalkInstance, width: number | undefined, labels: readonly string[]): string[] {
  const prose = proseOf(width);
  const out: string[] = [];
  const over = z.seconds !== undefined ? ` over ${duration(z.seconds)}` : '';
  out.push(...prose(c.bold(`Node ${z.node}, zone ${z.zone}`) + `: ${count(z.snapshots)} snapshot${z.snapshots === 1 ? '' : 's'}${over}`));
  out.push(...spreadTable(z, labels, c));
  out.push(...sparklineLines(z, c, width));
  const f = z.checkFailed;
  if (f) {
    if (f.periods === 0) {
      out.push(...prose(`  passed the check in every snapshot`));
    } else {
      out.push(...prose(c.yellow(`  failed the check in ${count(f.snapshots)} snapshot${f.snapshots === 1 ? '' : 's'}, ${count(f.periods)} period${f.periods === 1 ? '' : 's'}:`)));
      out.push(...periodLines(f, '    ', width));
    }
  }
  const w = z.withoutBlock;
  if (w) {
    if (w.periods === 0) {
      out.push(...prose(`  a block of order ${w.order} or larger was free in every snapshot`));
    } else {
      out.push(
        ...prose(
          c.yellow(
            `  no free block of order ${w.order} or larger in ${count(w.snapshots)} snapshot${w.snapshots === 1 ? '' : 's'}, ${count(w.periods)} period${w.periods === 1 ? '' : 's'}:`,
          ),
        ),
      );
      out.push(...periodLines(w, '    ', width));
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

/**
 * The summary as text. `width`, on a terminal, fits it: prose wrapped, the tables' labels shortened and
 * the sparkline put under its label when they would not fit; piped output keeps every line whole.
 */
export function renderHistory(v: HistoryView, c: ChalkInstance, width?: number): string {
  const prose = proseOf(width);
  const out: string[] = [];
  let head = `${count(v.snapshots)} snapshot${v.snapshots === 1 ? '' : 's'}`;
  if (v.first && v.last && v.snapshots > 1) head += ` from ${v.first.stamp ?? 'the first'} to ${v.last.stamp ?? 'the last'}`;
  if (v.seconds !== undefined) head += ` (${duration(v.seconds)})`;
  const size = humanBytes(v.pageSize);
  head += v.pageSizeOrigin === 'default' ? `. Page size ${size} (assumed; see --page-size).` : `. Page size ${size}.`;
  out.push(...prose(head));
  for (const note of v.notes) out.push(...prose(c.yellow(note)));
  if (v.check) {
    const k = v.check;
    out.push(
      ...prose(`Replaying the ${k.mark}-mark check of an order-${k.order} ${k.gfp} request on every snapshot (${kernelPhrase(k)}; free pages: ${k.free}).`),
    );
    const f = v.checkFailed;
    if (f && f.periods > 0) {
      out.push(
        ...prose(c.yellow(`No zone passed, so the allocation would have failed, in ${count(f.snapshots)} snapshot${f.snapshots === 1 ? '' : 's'}, ${count(f.periods)} period${f.periods === 1 ? '' : 's'}:`)),
      );
      out.push(...periodLines(f, '  ', width));
    } else {
      out.push(...prose('Some zone passed in every snapshot: the allocation would have succeeded throughout.'));
    }
  }
  // One set of labels for every zone, so the tables read alike: the short ones when a long one would not fit.
  const fits = (z: ZoneHistory): boolean => spreadTable(z, LABELS.long, c).every((l) => visibleWidth(l) <= (width ?? Infinity));
  const labels = v.zones.every(fits) ? LABELS.long : LABELS.short;
  for (const z of v.zones) {
    out.push('');
    out.push(...zoneBlock(z, c, width, labels));
  }
  return `${out.join('\n')}\n`;
}
