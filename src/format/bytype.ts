// Renders `--by-type`: each zone's free blocks per order and migratetype, and its pageblocks per type.

import Table from 'cli-table3';
import type { TypeCount } from '../model.js';
import type { ChalkInstance } from './color.js';
import { passingText, preamble, zoneTitle, type ShowView, type ShowZone } from './table.js';
import { count, humanBytes } from './units.js';
import { fitText, visibleWidth } from './wrap.js';

/** Said once when no zone has per-type counts. */
export const NO_TYPES =
  'No per-migratetype counts were read: they come from /proc/pagetypeinfo (root only from 5.4 and its 2019 stable backports), a saved pagetypeinfo given beside the buddyinfo, or --proc DIR.';

/** A pagetypeinfo cell: a capped one (5.4+ stops counting a list at 100000) prints as ">100,000". */
export function cellText(c: TypeCount | undefined): string {
  if (c === undefined) return '';
  return `${c.atLeast ? '>' : ''}${count(c.count)}`;
}

/** Migratetype names of a zone in the file's order: the free table's rows, then any only the blocks table has. */
export function typeNames(t: NonNullable<ShowZone['types']>): string[] {
  const names = Object.keys(t.free);
  for (const n of Object.keys(t.blocks ?? {})) if (!names.includes(n)) names.push(n);
  return names;
}

/** Sums per-order cells into one, a lower bound when any cell was. */
function total(cells: readonly (TypeCount | undefined)[], weight: (i: number) => number): TypeCount {
  let n = 0;
  let atLeast = false;
  cells.forEach((c, i) => {
    if (c === undefined) return;
    n += c.count * weight(i);
    atLeast ||= c.atLeast;
  });
  return { count: n, atLeast };
}

/** A zone's per-type table as heading and rows of cells, before it is drawn. */
interface Grid {
  head: string[];
  rows: string[][];
  /** Migratetypes with no free block and no pageblock in this zone. */
  empty: string[];
}

function zoneGrid(z: ShowZone, types: NonNullable<ShowZone['types']>, pageSize: number, c: ChalkInstance): Grid {
  const names = typeNames(types);
  const orders = Math.max(z.free.length, ...names.map((n) => types.free[n]?.length ?? 0));
  const rows: string[][] = [];
  for (let o = 0; o < orders; o++) {
    const cells = names.map((n) => types.free[n]?.[o]);
    const all = total(cells, () => 1);
    rows.push([
      String(o),
      humanBytes(2 ** o * pageSize),
      ...cells.map(cellText),
      cellText(all),
      z.free[o] === undefined ? '' : count(z.free[o] ?? 0),
    ]);
  }
  // The memory each type holds, and the pageblocks (2^pageblock_order pages each) each type owns.
  const bytes = names.map((n) => total(types.free[n] ?? [], (o) => 2 ** o * pageSize));
  const allBytes = total(bytes, () => 1);
  const bytesText = (t: TypeCount): string => `${t.atLeast ? '>' : ''}${humanBytes(t.count)}`;
  rows.push([c.bold('free'), '', ...bytes.map(bytesText), bytesText(allBytes), humanBytes(z.freeBytes)]);
  if (types.blocks !== undefined) {
    const blocks = names.map((n) => types.blocks?.[n]);
    const sum = blocks.reduce<number>((s, b) => s + (b ?? 0), 0);
    rows.push([c.bold('pageblocks'), '', ...blocks.map((b) => (b === undefined ? '' : count(b))), count(sum), '']);
  }
  const empty = names.filter((n, i) => (bytes[i]?.count ?? 0) === 0 && (types.blocks?.[n] ?? 0) === 0);
  return { head: ['order', 'block', ...names, 'all types', 'buddyinfo'], rows, empty };
}

function draw(grid: Grid, dropped: readonly string[], c: ChalkInstance): string {
  const keep = grid.head.map((h, i) => (dropped.includes(h) ? -1 : i)).filter((i) => i >= 0);
  const table = new Table({
    head: keep.map((i) => c.bold(grid.head[i] ?? '')),
    colAligns: keep.map(() => 'right' as const),
    style: { head: [], border: [], compact: true },
  });
  for (const row of grid.rows) table.push(keep.map((i) => row[i] ?? ''));
  return table.toString();
}

/**
 * The zone's table, fitted to `width` when given: the block size goes first (2^order pages), then the
 * migratetypes that hold nothing in this zone, then buddyinfo's own count and the sum over types.
 */
function zoneTable(z: ShowZone, types: NonNullable<ShowZone['types']>, pageSize: number, c: ChalkInstance, width?: number, derived = false): string {
  const grid = zoneGrid(z, types, pageSize, c);
  // Counts made from this pagetypeinfo would repeat "all types" under a buddyinfo never read.
  const order = derived ? ['buddyinfo', 'block', ...grid.empty, 'all types'] : ['block', ...grid.empty, 'buddyinfo', 'all types'];
  const first = derived ? 1 : 0;
  for (let n = first; ; n++) {
    const text = draw(grid, order.slice(0, n), c);
    if (width === undefined || n === order.length || visibleWidth(text.split('\n', 1)[0] ?? '') <= width) return text;
  }
}

export function renderByType(v: ShowView, c: ChalkInstance, width?: number): string {
  const out = preamble(v, c);
  const any = v.zones.some((z) => z.types !== undefined);
  if (!any) out.push(c.yellow(NO_TYPES));
  for (const z of v.zones) {
    out.push('');
    const passing = passingText(z);
    out.push(`${zoneTitle(z, v.pageSize, c)}${passing ? `; ${passing}` : ''}`);
    if (z.types === undefined) {
      if (any) out.push('No per-migratetype counts for this zone.');
      continue;
    }
    out.push(zoneTable(z, z.types, v.pageSize, c, width, v.countsFromTypes === true));
  }
  return `${fitText(out.join('\n'), width)}\n`;
}
