// Renders the fragmentation report: a header line and a table per zone, with a bar per order.

import Table from 'cli-table3';
import type { ZoneFigures } from '../analysis/fragmentation.js';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';

export interface ShowView {
  pageSize: number;
  pageSizeOrigin: 'live' | 'option' | 'input' | 'default';
  snapshots: number;
  sources: string[];
  zones: Array<ZoneFigures & { largestPassingOrder?: Record<string, number> }>;
  notes: string[];
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

function zoneHeader(z: ShowView['zones'][number], pageSize: number, c: ChalkInstance): string {
  const title = c.bold(`Node ${z.node}, zone ${z.zone}`);
  const free = `${humanBytes(z.freeBytes)} free (${count(z.freePages)} pages in ${count(z.freeBlocks)} blocks)`;
  const largest =
    z.largestOrder < 0
      ? 'no free block'
      : `largest free block ${humanBytes(2 ** z.largestOrder * pageSize)} (order ${z.largestOrder})`;
  const passing = z.largestPassingOrder
    ? Object.entries(z.largestPassingOrder)
        .map(([mark, o]) => (o < 0 ? `no order passes the ${mark} mark` : `largest order passing the ${mark} mark: ${o}`))
        .join(', ')
    : undefined;
  return `${title}: ${free}, ${largest}${passing ? `; ${passing}` : ''}`;
}

export function renderShow(v: ShowView, c: ChalkInstance): string {
  const out: string[] = [];
  const read = v.snapshots > 1 ? ` Read ${count(v.snapshots)} snapshots; showing the last.` : '';
  out.push(`${pageSizeLine(v)}${read}`);
  for (const note of v.notes) out.push(c.yellow(note));
  for (const z of v.zones) {
    out.push('');
    out.push(zoneHeader(z, v.pageSize, c));
    const table = new Table({
      head: ['order', 'block', 'where the free memory sits', 'blocks', 'free', '>= order', 'share', 'unusable', 'extfrag'].map(
        (h) => c.bold(h),
      ),
      colAligns: ['right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
      style: { head: [], border: [], compact: true },
    });
    for (const o of z.orders) {
      const share = z.freePages === 0 ? 0 : o.freePages / z.freePages;
      table.push([
        String(o.order),
        humanBytes(o.blockBytes),
        c.cyan(bar(share)),
        count(o.blocks),
        humanBytes(o.freeBytes),
        humanBytes(o.cumulativeBytes),
        `${(o.cumulativeShare * 100).toFixed(1)}%`,
        indexText(o.unusableIndex),
        indexText(o.fragmentationIndex),
      ]);
    }
    out.push(table.toString());
  }
  return `${out.join('\n')}\n`;
}
