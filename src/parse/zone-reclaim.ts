// A zone's reclaimable LRU pages (R(z) of kernel.md 4) and whether reclaim gave up on it, from zoneinfo or a report.

import type { ReclaimableCounts } from '../model.js';
import type { ZoneField } from './report-builder.js';

/**
 * The zone counters zone_reclaimable_pages reads (kernel.md 4): from 4.8 the zone's own
 * nr_zone_{in,}active_{file,anon} (the nr_* names are then per-node stats, which zoneinfo prints apart);
 * up to 4.7 nr_{in,}active_{file,anon} and nr_isolated_{file,anon} inside the zone's block.
 */
export const ZONEINFO_RECLAIM: Readonly<Record<string, keyof ReclaimableCounts>> = {
  nr_zone_active_file: 'activeFile',
  nr_zone_inactive_file: 'inactiveFile',
  nr_zone_active_anon: 'activeAnon',
  nr_zone_inactive_anon: 'inactiveAnon',
  nr_active_file: 'activeFile',
  nr_inactive_file: 'inactiveFile',
  nr_active_anon: 'activeAnon',
  nr_inactive_anon: 'inactiveAnon',
  nr_isolated_file: 'isolatedFile',
  nr_isolated_anon: 'isolatedAnon',
};

/** The same counters on a report's zone line, in kB (show_free_areas; isolated(...) up to 4.7). */
const REPORT_RECLAIM: Readonly<Record<string, keyof ReclaimableCounts>> = {
  active_file: 'activeFile',
  inactive_file: 'inactiveFile',
  active_anon: 'activeAnon',
  inactive_anon: 'inactiveAnon',
  'isolated(file)': 'isolatedFile',
  'isolated(anon)': 'isolatedAnon',
};

/** The counters a zoneinfo block showed, once the four LRU lists are all there; else undefined. */
export function reclaimFromCounters(counters: ReadonlyMap<keyof ReclaimableCounts, number>): ReclaimableCounts | undefined {
  const get = (k: keyof ReclaimableCounts): number | undefined => counters.get(k);
  const [af, inf, aa, ia] = [get('activeFile'), get('inactiveFile'), get('activeAnon'), get('inactiveAnon')];
  if (af === undefined || inf === undefined || aa === undefined || ia === undefined) return undefined;
  const out: ReclaimableCounts = { activeFile: af, inactiveFile: inf, activeAnon: aa, inactiveAnon: ia };
  const isoF = get('isolatedFile');
  const isoA = get('isolatedAnon');
  if (isoF !== undefined) out.isolatedFile = isoF;
  if (isoA !== undefined) out.isolatedAnon = isoA;
  return out;
}

/** A report zone line's LRU counters (kB with a unit) in pages; undefined unless the four lists are there. */
export function reclaimFromReport(fields: ReadonlyMap<string, ZoneField>, pageKiB: number): ReclaimableCounts | undefined {
  const counters = new Map<keyof ReclaimableCounts, number>();
  for (const [key, target] of Object.entries(REPORT_RECLAIM)) {
    const f = fields.get(key);
    if (f !== undefined && f.unit !== undefined && Number.isSafeInteger(f.value)) counters.set(target, Math.floor(f.value / pageKiB));
  }
  return reclaimFromCounters(counters);
}

/** "all_unreclaimable? yes" at the end of a report's zone line (up to 4.7; a node line's from 4.8). */
export function unreclaimableOnLine(text: string): boolean | undefined {
  const m = /\ball_unreclaimable\?\s+(yes|no)\b/.exec(text);
  return m ? m[1] === 'yes' : undefined;
}
