// Renders what a zoneinfo alone tells: each zone's free pages against its watermarks, with no per-order counts.

import Table from 'cli-table3';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';
import type { PageSizeOrigin } from '../model.js';

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

export function renderZoneinfo(v: ZoneinfoView, c: ChalkInstance): string {
  const out: string[] = [
    `Page size ${humanBytes(v.pageSize)}${v.pageSizeOrigin === 'default' ? ' (assumed; pass --page-size if the capture came from a 16K or 64K kernel)' : ''}.`,
    'Only a zoneinfo was given: it has each zone\'s free pages and watermarks, not how the free memory is split by order. Give the buddyinfo of the same box beside it for the fragmentation table.',
    ...v.notes.map((n) => c.yellow(n)),
  ];
  const table = new Table({
    head: ['zone', 'free', 'free pages', 'min', 'low', 'high', 'boost', 'free pages stand'].map((h) => c.bold(h)),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const z of v.zones) {
    const standing = z.standing === 'below min' ? c.red(z.standing) : z.standing === 'between min and low' ? c.yellow(z.standing) : z.standing;
    table.push([
      `Node ${z.node} ${z.zone}`,
      humanBytes(z.freeBytes),
      count(z.freePages),
      count(z.min),
      count(z.low),
      count(z.high),
      z.boost === null ? '-' : count(z.boost),
      standing,
    ]);
  }
  out.push('', table.toString());
  return `${out.join('\n')}\n`;
}
