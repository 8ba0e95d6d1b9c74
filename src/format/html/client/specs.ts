// Browser code: the order charts of the show and report pages, built from the JSON embedded in them.

import type { ReportView } from '../../report.js';
import type { ShowView } from '../../table.js';
import type { OrderChart } from './orders.js';
import { cssVar } from './theme.js';

/** Each mark's line differs in dash as well as colour, so the lines can be told apart without colour. */
const DASH: Record<string, number[]> = { min: [7, 4], low: [2, 3], high: [12, 3, 2, 3], reserve: [] };

function markLine(label: string, key: string, pages: number): OrderChart['marks'][number] {
  return { label, pages, colour: cssVar(`--mark-${key}`), dash: DASH[key] ?? [] };
}

/** Zone `i` of a show page: its counts, its marks, and the first mark's verdict per order. */
export function showZoneChart(v: ShowView, i: number): OrderChart | undefined {
  const z = v.zones[i];
  if (z === undefined) return undefined;
  const spec: OrderChart = { pageSize: v.pageSize, blocks: z.free, marks: [] };
  const w = z.watermarkPages;
  if (w !== undefined) {
    for (const [mark, pages] of Object.entries(w.marks)) spec.marks.push(markLine(`${mark} mark`, mark, pages));
    const min = w.marks.min;
    if (min !== undefined && w.reserve > 0) spec.marks.push(markLine('min + lowmem reserve', 'reserve', min + w.reserve));
  }
  const first = Object.keys(z.watermarkOk ?? {})[0];
  if (first !== undefined) {
    spec.passes = z.watermarkOk?.[first];
    spec.passMark = first;
  }
  return spec;
}

/** Zone `zi` of report `ri`: the counts it printed, its marks in pages, and the replayed verdict per order. */
export function reportZoneChart(reports: ReportView[], ri: number, zi: number): OrderChart | undefined {
  const r = reports[ri];
  const z = r?.zones[zi];
  if (r === undefined || z === undefined || z.free === null) return undefined;
  const toPages = (kib: number | null): number | undefined => (kib === null ? undefined : (kib * 1024) / r.pageSize);
  const spec: OrderChart = { pageSize: r.pageSize, blocks: z.free, marks: [] };
  const checked = r.check?.zones.find((c) => c.node === z.node && c.zone === z.zone);
  for (const [key, kib] of [['min', z.minKiB], ['low', z.lowKiB], ['high', z.highKiB]] as const) {
    const pages = toPages(kib);
    if (pages !== undefined) spec.marks.push(markLine(`${key} mark`, key, pages));
  }
  if (checked !== undefined) {
    if (checked.reservePages > 0) spec.marks.push(markLine(`${r.check?.mark ?? 'min'} mark + lowmem reserve`, 'reserve', checked.markPages + checked.reservePages));
    spec.passes = z.free.map((_, o) => o <= checked.largestPassingOrder);
    spec.passMark = r.check?.mark;
  }
  return spec;
}
