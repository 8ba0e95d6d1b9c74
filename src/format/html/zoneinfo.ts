// The page of a zoneinfo given alone: each zone's free pages against min, low and high, as the text table has them.

import { count, humanBytes } from '../units.js';
import type { ZoneinfoView } from '../zoneinfo.js';
import { esc, renderPage } from './page.js';
import { notes, table, verdict, type Cell } from './parts.js';

/** The whole page; the JSON inside it is the object `--json` prints for the same input. */
export function zoneinfoPage(v: ZoneinfoView): string {
  const rows = v.zones.map((z): Cell[] => [
    `Node ${z.node} ${z.zone}`,
    count(z.freePages),
    humanBytes(z.freeBytes),
    count(z.min),
    count(z.low),
    count(z.high),
    z.boost === null ? '–' : count(z.boost),
    { html: verdict(z.standing !== 'below min', { pass: z.standing, fail: z.standing }) },
  ]);
  const body = [
    '<h1>Free pages against the watermarks</h1>',
    `<p>${esc(`Page size ${humanBytes(v.pageSize)}${v.pageSizeOrigin === 'default' ? ' (assumed; pass --page-size if the capture came from a 16K or 64K kernel)' : ''}. From ${v.sources.join(', ')}.`)}</p>`,
    `<p>${esc("Only a zoneinfo was given: it has each zone's free pages and watermarks, not how the free memory is split by order. Give the buddyinfo of the same box beside it for the fragmentation view.")}</p>`,
    notes(v.notes),
    table('Each populated zone (pages)', ['zone', 'free pages', 'free', 'min', 'low', 'high', 'boost', 'free pages stand'], rows, [1, 2, 3, 4, 5, 6]),
  ];
  return renderPage({ kind: 'show', title: 'buddyinfo: zoneinfo', body: body.filter((l) => l !== '').join('\n'), data: v, charts: false });
}
