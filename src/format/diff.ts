// Renders the change between two snapshots: per zone a header and one row per order.

import type { ZoneDiff } from '../analysis/diff.js';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';
import { visibleWidth, wrapLine } from './wrap.js';
import type { PageSizeOrigin } from '../model.js';

export interface DiffView {
  pageSize: number;
  pageSizeOrigin: PageSizeOrigin;
  before: string;
  after: string;
  zones: ZoneDiff[];
  notes: string[];
}

/** +1,234 / -56 / 0: a change always shows its sign. */
export function signed(n: number): string {
  return n > 0 ? `+${count(n)}` : count(n);
}

/** +12.4 MiB / -4 KiB / 0 B. */
export function signedBytes(n: number): string {
  return n > 0 ? `+${humanBytes(n)}` : n < 0 ? `-${humanBytes(-n)}` : '0 B';
}

/** Green for more, red for less, dim for no change: the colour follows the sign of the change. */
export function bySign(c: ChalkInstance, n: number, text: string): string {
  return n > 0 ? c.green(text) : n < 0 ? c.red(text) : c.dim(text);
}

function pad(text: string, width: number, left = false): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return left ? text + fill : fill + text;
}

/** Lays out rows of cells in columns: the first `leftCols` left-aligned, the rest right-aligned. */
export function columns(rows: string[][], leftCols = 0, indent = '  '): string[] {
  const width = visibleWidth;
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((r) => indent + r.map((cell, i) => pad(cell, widths[i] ?? 0, i < leftCols)).join('  ').trimEnd());
}

function arrow(before: number, after: number): string {
  return `${before.toFixed(3)} → ${after.toFixed(3)}`;
}

/** The order table's columns, in the order they print. */
const HEADS = ['order', 'block', 'before', 'after', 'change', 'memory', 'unusable', 'extfrag'] as const;

/**
 * What a narrow terminal loses first: block (2^order pages, known from the order), then the two indices
 * (show prints them for either side), then the change in bytes. Order, the two counts and their change stay.
 */
const DROPPED_FIRST = ['block', 'extfrag', 'unusable', 'memory'];

/** A zone's cells per order, under HEADS; none for a zone on one side only. */
function orderRows(z: ZoneDiff, pageSize: number, c: ChalkInstance): string[][] {
  if (z.only !== undefined) return [];
  const after = z.after ?? [];
  return (z.before ?? []).map((b, o) => {
    const d = z.delta?.[o] ?? 0;
    const bytes = z.deltaBytes?.[o] ?? 0;
    return [
      String(o),
      humanBytes(2 ** o * pageSize),
      count(b),
      count(after[o] ?? 0),
      bySign(c, d, signed(d)),
      bySign(c, bytes, signedBytes(bytes)),
      arrow(z.unusableIndex.before?.[o] ?? 0, z.unusableIndex.after?.[o] ?? 0),
      arrow(z.fragmentationIndex.before?.[o] ?? 0, z.fragmentationIndex.after?.[o] ?? 0),
    ];
  });
}

/**
 * The columns (indices into HEADS) every zone's table keeps: the fewest of DROPPED_FIRST left out that
 * let the widest row fit `width` (none: all), the same for every zone so the tables read alike.
 */
function keptColumns(rows: readonly string[][], width: number | undefined): number[] {
  const all = HEADS.map((_, k) => k);
  if (width === undefined) return all;
  const widest = all.map((k) => Math.max(HEADS[k]?.length ?? 0, ...rows.map((r) => visibleWidth(r[k] ?? ''))));
  for (let dropped = 0; ; dropped++) {
    const gone = DROPPED_FIRST.slice(0, dropped);
    const kept = all.filter((k) => !gone.includes(HEADS[k] ?? ''));
    // columns() indents by two and puts two spaces between cells.
    const tableWidth = kept.reduce((sum, k) => sum + (widest[k] ?? 0), 2 + 2 * (kept.length - 1));
    if (tableWidth <= width || dropped === DROPPED_FIRST.length) return kept;
  }
}

/** The zone's headline: its free memory and largest order before and after. */
function zoneHead(z: ZoneDiff, pageSize: number, c: ChalkInstance): string {
  const title = c.bold(`Node ${z.node}, zone ${z.zone}`);
  const largest = (o: number | null): string => (o === null || o < 0 ? 'none' : String(o));
  if (z.only !== undefined) {
    const pages = z.only === 'before' ? z.freePages.before : z.freePages.after;
    const order = z.only === 'before' ? z.largestOrder.before : z.largestOrder.after;
    const what = z.only === 'before' ? 'only before: gone after' : 'only after: not there before';
    return `${title}: ${c.yellow(what)} (${humanBytes((pages ?? 0) * pageSize)} free, largest free order ${largest(order)})`;
  }
  const fb = z.freeBytes;
  const lo = z.largestOrder;
  return (
    `${title}: free ${humanBytes(fb.before ?? 0)} → ${humanBytes(fb.after ?? 0)} (${bySign(c, fb.delta ?? 0, signedBytes(fb.delta ?? 0))}), ` +
    `largest free order ${largest(lo.before)} → ${largest(lo.after)} (${bySign(c, lo.delta ?? 0, signed(lo.delta ?? 0))})`
  );
}

/**
 * The change as text. `width`, on a terminal, fits it: prose wrapped at spaces and the order tables
 * losing columns (DROPPED_FIRST) until they fit; piped output keeps every column and line whole.
 */
export function renderDiff(v: DiffView, c: ChalkInstance, width?: number): string {
  const prose = (line: string): string[] => (width === undefined ? [line] : wrapLine(line, width));
  const size = humanBytes(v.pageSize);
  const out = prose(
    `Before: ${v.before}; after: ${v.after}. Page size ${size}${v.pageSizeOrigin === 'default' ? ' (assumed; see --page-size)' : ''}.`,
  );
  for (const note of v.notes) out.push(...prose(c.yellow(note)));
  const rows = v.zones.map((z) => orderRows(z, v.pageSize, c));
  const kept = keptColumns(rows.flat(), width);
  const pick = (r: readonly string[]): string[] => kept.map((k) => r[k] ?? '');
  v.zones.forEach((z, i) => {
    out.push('');
    out.push(...prose(zoneHead(z, v.pageSize, c)));
    const body = rows[i] ?? [];
    if (body.length > 0) out.push(...columns([pick(HEADS.map((h) => c.dim(h))), ...body.map(pick)]));
  });
  return `${out.join('\n')}\n`;
}
