// Renders what a zoneinfo alone tells: each zone's free pages against its watermarks, with no per-order counts.

import Table from 'cli-table3';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';
import type { PageSizeOrigin } from '../model.js';
import { fitText } from './wrap.js';

/** One zone of a zoneinfo, in pages and bytes, and where its free pages stand against the marks. */
export interface ZoneinfoZoneView {
  node: number;
  zone: string;
  freePages: number;
  freeBytes: number;
  min: number;
  low: number;
  high: number;
  /** boost (5.16+ prints it; min/low/high already include it). */
  boost: number | null;
  managed: number | null;
  /** The highest mark the free pages reach: "above high", "between low and high", ... */
  standing: 'above high' | 'between low and high' | 'between min and low' | 'below min';
}

export interface ZoneinfoView {
  /** What was read: the zoneinfo only, so there is no per-order table. */
  kind: 'zoneinfo-only';
  pageSize: number;
  pageSizeOrigin: PageSizeOrigin;
  sources: string[];
  zones: ZoneinfoZoneView[];
  notes: string[];
}

/** Where the free pages stand, as the table's last column says it. */
const SHORT: Record<ZoneinfoZoneView['standing'], string> = {
  'above high': 'above high',
  'between low and high': 'low to high',
  'between min and low': 'min to low',
  'below min': 'below min',
};

/** The view as text; prose wrapped to `width` when printed on a terminal (the table is 80 columns at most). */
export function renderZoneinfo(v: ZoneinfoView, c: ChalkInstance, width?: number): string {
  const out: string[] = [
    `Page size ${humanBytes(v.pageSize)}${v.pageSizeOrigin === 'default' ? ' (assumed; pass --page-size if the capture came from a 16K or 64K kernel)' : ''}.`,
    'Only a zoneinfo was given: it has each zone\'s free pages and watermarks, not how the free memory is split by order. Give the buddyinfo of the same box beside it for the fragmentation table.',
    ...v.notes.map((n) => c.yellow(n)),
  ];
  // In pages, as zoneinfo prints them, and boost only when some zone has one (5.16+ prints it; the marks
  // already include it): the table fits 80 columns. The JSON has the free bytes too.
  const boosted = v.zones.some((z) => (z.boost ?? 0) > 0);
  const table = new Table({
    head: ['zone (pages)', 'free', 'min', 'low', 'high', ...(boosted ? ['boost'] : []), 'free stands'].map((h) => c.bold(h)),
    colAligns: ['left', 'right', 'right', 'right', 'right', ...(boosted ? (['right'] as const) : []), 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const z of v.zones) {
    const word = SHORT[z.standing];
    const standing = z.standing === 'below min' ? c.red(word) : z.standing === 'between min and low' ? c.yellow(word) : word;
    table.push([
      `Node ${z.node} ${z.zone}`,
      count(z.freePages),
      count(z.min),
      count(z.low),
      count(z.high),
      ...(boosted ? [z.boost === null ? '-' : count(z.boost)] : []),
      standing,
    ]);
  }
  out.push('', table.toString());
  return fitText(`${out.join('\n')}\n`, width);
}
