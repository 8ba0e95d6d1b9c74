// A report's zone line ("Node 0 DMA32 free:12560kB min:7076kB ..."): its fields, and the watermarks in pages.

import type { ZoneWatermarks } from '../model.js';
import type { RawZone, ZoneField } from './report-builder.js';
import type { FailureReport } from './report-types.js';
import { note, tooLarge, zoneLabel } from './report-values.js';
import { reclaimFromReport, unreclaimableOnLine } from './zone-reclaim.js';

/** Per-zone fields of the zone line that become watermark counters, with the ZoneWatermarks key. */
export const ZONE_FIELDS = [
  ['free', 'freePages'],
  ['boost', 'boost'],
  ['min', 'min'],
  ['low', 'low'],
  ['high', 'high'],
  ['present', 'present'],
  ['managed', 'managed'],
  ['free_cma', 'freeCma'],
  ['reserved_highatomic', 'reservedHighatomic'],
  ['free_highatomic', 'freeHighatomic'],
] as const;


/** The `key:value` fields of a zone line; a value with no unit after it (a cut line) keeps unit undefined. */
export function readZoneFields(rest: string): Map<string, ZoneField> {
  const fields = new Map<string, ZoneField>();
  for (const m of rest.matchAll(/(?:^|\s)([a-z_][a-z_0-9()]*):\s?(\d+)(kB|KB)?(?=\s|$)/g)) {
    const key = m[1] as string;
    if (fields.has(key)) continue;
    const f: ZoneField = { value: Number(m[2]), digits: m[2] as string };
    if (m[3] !== undefined) f.unit = m[3];
    fields.set(key, f);
  }
  const gaveUp = unreclaimableOnLine(rest);
  if (gaveUp !== undefined) fields.set('all_unreclaimable?', { value: gaveUp ? 1 : 0, digits: gaveUp ? 'yes' : 'no' });
  return fields;
}

/** "all_unreclaimable? yes" at the end of a zone line (show_free_areas up to 4.7), if printed. */
export function readAllUnreclaimable(rest: string): boolean | undefined {
  const m = /\ball_unreclaimable\? ?(yes|no)\b/.exec(rest);
  return m ? m[1] === 'yes' : undefined;
}

/** kB (or KB) counters of a zone line to pages; min, low and high are required. */
export function watermarksOf(z: RawZone, line: number, pageKiB: number, r: FailureReport): ZoneWatermarks | undefined {
  const fields = z.fields ?? new Map<string, ZoneField>();
  const pages: Partial<Record<(typeof ZONE_FIELDS)[number][1], number>> = {};
  const unreadable: string[] = [];
  const huge = new Set<string>();
  for (const [key, target] of ZONE_FIELDS) {
    const f = fields.get(key);
    if (f === undefined) continue;
    if (f.unit === undefined) {
      unreadable.push(`${key}:${f.digits}`);
      continue;
    }
    if (!Number.isSafeInteger(f.value)) {
      huge.add(key);
      const mark = key === 'min' || key === 'low' || key === 'high' ? ', so the zone\'s watermarks are unknown' : '';
      note(r, line, `${key}: of ${zoneLabel(z)} is ${tooLarge(f.digits)}; it was not used${mark}`);
      continue;
    }
    if (f.value % pageKiB !== 0) {
      note(r, line, `${key}:${f.value}${f.unit} of ${zoneLabel(z)} is not a whole number of ${pageKiB} kB pages; rounded down`);
    }
    pages[target] = Math.floor(f.value / pageKiB);
  }
  if (unreadable.length > 0) {
    const list = unreadable.join(', ');
    note(r, line, `the zone line of ${zoneLabel(z)} has ${list} without a kB unit (cut short?); those fields were not used`);
  }
  const { min, low, high } = pages;
  if (min === undefined || low === undefined || high === undefined) {
    const missing = (['min', 'low', 'high'] as const).filter((k) => pages[k] === undefined && !huge.has(k));
    const list = missing.map((k) => `${k}:`).join(', ');
    if (missing.length > 0) {
      note(r, line, `the zone line of ${zoneLabel(z)} lacks ${list} (cut short?), so its watermarks are unknown`);
    }
    return undefined;
  }
  const w: ZoneWatermarks = { node: z.node, zone: z.zone, min, low, high, source: r.source, line, kind: 'report' };
  if (pages.freePages !== undefined) w.freePages = pages.freePages;
  if (pages.boost !== undefined) w.boost = pages.boost;
  if (pages.present !== undefined) w.present = pages.present;
  if (pages.managed !== undefined) w.managed = pages.managed;
  if (pages.freeCma !== undefined) w.freeCma = pages.freeCma;
  if (pages.reservedHighatomic !== undefined) w.reservedHighatomic = pages.reservedHighatomic;
  if (pages.freeHighatomic !== undefined) w.freeHighatomic = pages.freeHighatomic;
  if (z.lowmem !== undefined) w.lowmemReserve = z.lowmem;
  const reclaimable = reclaimFromReport(fields, pageKiB);
  if (reclaimable !== undefined) w.reclaimable = reclaimable;
  const gaveUp = fields.get('all_unreclaimable?');
  if (gaveUp !== undefined) w.allUnreclaimable = gaveUp.value === 1;
  return w;
}
