// Renders the fragmentation report: a header line and a table per zone, with a bar per order.

import Table from 'cli-table3';
import type { ZoneFigures } from '../analysis/fragmentation.js';
import type { ProactiveScore } from '../analysis/proactive.js';
import type { PageSizeOrigin, TypeCount } from '../model.js';
import type { ChalkInstance } from './color.js';
import { kernelPhrase, type KernelFacts } from './kernel.js';
import { count, humanBytes } from './units.js';
import { fitText, visibleWidth } from './wrap.js';

export type WatermarkMark = 'min' | 'low' | 'high';

/** One zone as every view of `show` sees it: the fragmentation figures plus what the other files add. */
export interface ShowZone extends ZoneFigures {
  /** Per mark, the largest order the default request passes in this zone now, or -1. */
  largestPassingOrder?: Record<string, number>;
  /** Per mark, the verdict for each order (index = order). */
  watermarkOk?: Record<string, boolean[]>;
  /** The check saw this zone's per-migratetype free lists (pagetypeinfo), so its block search is exact. */
  listsKnown?: boolean;
  /** Per mark, the largest order the default request could ever get from the zone (-1: none; NEVER_SERVES above it). */
  largestServableOrder?: Record<string, number>;
  /** For the exposition: per order, the zone's next code at the min mark (kernel.md 4.5); null where it never serves. */
  next?: (string | null)[];
  /**
   * What the verdicts compared, in pages: each mark as the zone prints it (boost included), the
   * lowmem_reserve the default request must leave above it, and the free count the check read.
   */
  watermarkPages?: { marks: Record<string, number>; reserve: number; free: number };
  /** Free blocks per migratetype and order, and pageblocks per migratetype, from pagetypeinfo. */
  types?: { free: Record<string, TypeCount[]>; blocks?: Record<string, number> };
}

export interface ShowView {
  pageSize: number;
  pageSizeOrigin: PageSizeOrigin;
  snapshots: number;
  sources: string[];
  /** The counts are a pagetypeinfo's sums (no buddyinfo was given): its per-type view has no buddyinfo column. */
  countsFromTypes?: true;
  zones: ShowZone[];
  notes: string[];
  /** For the exposition: per mark and order, whether the walk serves the default request now. */
  allocationOk?: Record<string, boolean[]>;
  /** The proactive compaction score per node (5.9+, kernel.md 4.4), for the exposition. */
  proactive?: ProactiveScore;
  /** Present when watermarks were read: the request, and the release and rules the verdicts replay. */
  watermarkCheck?: KernelFacts & {
    gfp: string;
    marks: WatermarkMark[];
    algorithm: 'legacy' | 'modern';
    /** Live, this view left /proc/pagetypeinfo out (the plain table and JSON): the block search assumed. */
    pagetypeinfoSkipped?: true;
  };
}

const BAR_WIDTH = 24;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `share` (0..1) of BAR_WIDTH cells, drawn in eighths of a cell so small shares still show. */
export function bar(share: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8] ?? '';
  const drawn = '█'.repeat(full) + part;
  return drawn === '' && share > 0 ? '▏' : drawn;
}

/** The debugfs print of an index: three decimals, "-1.000" for a request that would succeed. */
export function indexText(value: number): string {
  return value.toFixed(3);
}

function pageSizeLine(v: ShowView): string {
  const size = humanBytes(v.pageSize);
  switch (v.pageSizeOrigin) {
    case 'live':
      return `Page size ${size} (this kernel's).`;
    case 'option':
      return `Page size ${size} (from --page-size).`;
    case 'input':
      return `Page size ${size} (from the input).`;
    case 'default':
      return `Page size ${size} (assumed; pass --page-size if the capture came from a 16K or 64K kernel).`;
  }
}

/** The zone's title and free memory, shared with the per-type view. */
export function zoneTitle(z: ShowZone, pageSize: number, c: ChalkInstance): string {
  const title = c.bold(`Node ${z.node}, zone ${z.zone}`);
  const free = `${humanBytes(z.freeBytes)} free (${count(z.freePages)} pages in ${count(z.freeBlocks)} blocks)`;
  const largest =
    z.largestOrder < 0
      ? 'no free block'
      : `largest free block ${humanBytes(2 ** z.largestOrder * pageSize)} (order ${z.largestOrder})`;
  return `${title}: ${free}, ${largest}`;
}

/** "largest passing order: 9 (min), 8 (low)", or undefined when the zone has no verdict. */
export function passingText(z: ShowZone): string | undefined {
  if (z.largestPassingOrder === undefined) return undefined;
  // A zone whose min + lowmem_reserve is as large as the zone never serves the request (NEVER_SERVES):
  // that is no failure of this zone, and "none" would read as one.
  const servable = Object.values(z.largestServableOrder ?? {});
  if (servable.length > 0 && servable.every((o) => o < 0)) return 'never serves GFP_KERNEL (min + lowmem_reserve is as large as the zone)';
  const parts = Object.entries(z.largestPassingOrder).map(([mark, o]) => `${o < 0 ? 'none' : o} (${mark})`);
  return parts.length === 0 ? undefined : `largest passing order: ${parts.join(', ')}`;
}

function zoneHeader(z: ShowZone, pageSize: number, c: ChalkInstance): string {
  const passing = passingText(z);
  return `${zoneTitle(z, pageSize, c)}${passing ? `; ${passing}` : ''}`;
}

/** One line saying what the largest passing orders replay, and whether the block search saw the free lists. */
export function checkLine(v: ShowView): string | undefined {
  const w = v.watermarkCheck;
  if (w === undefined) return undefined;
  const marks = w.marks.join(' and ');
  let lists = '';
  if (w.algorithm === 'modern') {
    const checked = v.zones.filter((z) => z.listsKnown !== undefined);
    const known = checked.filter((z) => z.listsKnown).length;
    lists =
      known === checked.length
        ? ' The free lists per migratetype come from pagetypeinfo, so the block search is exact.'
        : known === 0 && w.pagetypeinfoSkipped === true
          ? ' This table leaves out /proc/pagetypeinfo (the kernel is slow to make it on a large box), so the block search assumes a free block of the order is usable; `buddyinfo check --order N` reads it, as root, for the exact test.'
        : known === 0
          ? ' Without pagetypeinfo the block search assumes a free block of the order is usable (give pagetypeinfo, as root live, for the exact test).'
          : ' The block search is exact where pagetypeinfo covers the zone and assumed elsewhere.';
  }
  return `Largest passing order: the largest order a ${w.gfp} request passes at the ${marks} marks, replaying ${kernelPhrase(w)}.${lists}`;
}

/** The lines above the zones: page size, snapshot count, notes, and what the verdicts replay. */
export function preamble(v: ShowView, c: ChalkInstance): string[] {
  const out: string[] = [];
  const read = v.snapshots > 1 ? ` Read ${count(v.snapshots)} snapshots; showing the last.` : '';
  out.push(`${pageSizeLine(v)}${read}`);
  for (const note of v.notes) out.push(c.yellow(note));
  const check = checkLine(v);
  if (check !== undefined) out.push(check);
  return out;
}

type Order = ZoneFigures['orders'][number];

/** A column of the fragmentation table: its heading, alignment and cell. */
interface Column {
  head: string;
  align: 'left' | 'right';
  cell(o: Order, share: number, c: ChalkInstance): string;
}

const COLUMNS: readonly Column[] = [
  { head: 'order', align: 'right', cell: (o) => String(o.order) },
  { head: 'block', align: 'right', cell: (o) => humanBytes(o.blockBytes) },
  { head: 'where the free memory sits', align: 'left', cell: (_, share, c) => c.cyan(bar(share)) },
  { head: 'blocks', align: 'right', cell: (o) => count(o.blocks) },
  { head: 'free', align: 'right', cell: (o) => humanBytes(o.freeBytes) },
  { head: '>= order', align: 'right', cell: (o) => humanBytes(o.cumulativeBytes) },
  { head: 'share', align: 'right', cell: (o) => `${(o.cumulativeShare * 100).toFixed(1)}%` },
  { head: 'unusable', align: 'right', cell: (o) => indexText(o.unusableIndex) },
  { head: 'extfrag', align: 'right', cell: (o) => indexText(o.fragmentationIndex) },
];

/**
 * What a narrow terminal loses first: the bar, then the columns another one already says (share is
 * >= order over the zone's free memory, block is 2^order pages, free is blocks times block), then
 * >= order and unusable. Order, blocks and extfrag stay.
 */
const DROPPED_FIRST = ['where the free memory sits', 'share', 'block', 'free', '>= order', 'unusable'];

/** A column's text in one zone: its heading, then a cell per order. */
interface ColumnText {
  head: string;
  cells: string[];
}

function columnTexts(z: ShowZone, c: ChalkInstance): ColumnText[] {
  return COLUMNS.map((col) => ({
    head: c.bold(col.head),
    cells: z.orders.map((o) => col.cell(o, z.freePages === 0 ? 0 : o.freePages / z.freePages, c)),
  }));
}

/**
 * A zone's table, drawn by cli-table3 as one row under the heading, each column one cell holding a
 * line per order. With the compact style cli-table3 draws no rule between rows, so this is the table it
 * draws with a row per order (test/format/table.test.ts compares the two on every fixture), while it
 * merges its options into 18 cells instead of 108: that merging, run for every cell in code still cold
 * at start-up, was most of what a table cost.
 */
function zoneTable(texts: readonly ColumnText[], kept: readonly number[]): string {
  const table = new Table({
    head: kept.map((k) => texts[k]?.head ?? ''),
    colAligns: kept.map((k) => COLUMNS[k]?.align ?? 'right'),
    style: { head: [], border: [], compact: true },
  });
  if ((texts[0]?.cells.length ?? 0) > 0) table.push(kept.map((k) => texts[k]?.cells.join('\n') ?? ''));
  return table.toString();
}

/**
 * The columns (indices into COLUMNS) every zone's table keeps: the fewest of DROPPED_FIRST left out that
 * let all of them fit `width` (none: all). cli-table3 makes a column as wide as its widest text plus a
 * space each side, and puts a border between and around the columns; so the fit is known before
 * drawing, and each table is drawn once.
 */
function keptColumns(texts: readonly (readonly ColumnText[])[], width: number | undefined): number[] {
  const all = COLUMNS.map((_, k) => k);
  if (width === undefined) return all;
  const widest = all.map((k) => Math.max(0, ...texts.flatMap((zone) => [zone[k]?.head ?? '', ...(zone[k]?.cells ?? [])]).map(visibleWidth)));
  for (let dropped = 0; ; dropped++) {
    const gone = DROPPED_FIRST.slice(0, dropped);
    const kept = all.filter((k) => !gone.includes(COLUMNS[k]?.head ?? ''));
    const tableWidth = kept.reduce((sum, k) => sum + (widest[k] ?? 0) + 3, 1);
    if (tableWidth <= width || dropped === DROPPED_FIRST.length) return kept;
  }
}

/**
 * The fragmentation table of every zone. `width`, on a terminal, fits it: columns dropped (see
 * DROPPED_FIRST) and prose wrapped; piped output keeps everything.
 */
export function renderShow(v: ShowView, c: ChalkInstance, width?: number): string {
  const out = preamble(v, c);
  const texts = v.zones.map((z) => columnTexts(z, c));
  const kept = keptColumns(texts, width);
  v.zones.forEach((z, i) => {
    out.push('');
    out.push(zoneHeader(z, v.pageSize, c));
    out.push(zoneTable(texts[i] ?? [], kept));
  });
  return `${fitText(out.join('\n'), width)}\n`;
}
