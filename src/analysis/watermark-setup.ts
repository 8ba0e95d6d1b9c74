// How the kernel sets each zone's min/low/high and lowmem_reserve from the sysctls (kernel.md 5.2, 5.3): the what-if.

import { canonicalZone } from '../kernel/zones.js';
import type { Rules } from '../kernel/rules.js';
import { InputError, type ZoneWatermarks } from '../model.js';
import type { ZoneLayout } from './zone-layout.js';

/** The three sysctls the marks and reserves follow. */
export interface SetupSysctls {
  minFreeKbytes: number;
  watermarkScaleFactor: number;
  /** vm.lowmem_reserve_ratio, one entry per zone type in index order (the last may be missing up to 4.16). */
  lowmemReserveRatio: number[];
}

/** The pages the kernel sizes a zone by: managed (3.9+) or present (up to 3.8); undefined when unknown. */
export function zoneSize(w: ZoneWatermarks, rules: Rules): number | undefined {
  return rules.watermarkSize === 'managed' ? w.managed : (w.present ?? w.managed);
}

/** A HighMem zone, or from 6.6 a Movable one: its min is clamped, not a share of min_free_kbytes. */
function highmemLike(zone: string, rules: Rules): boolean {
  const c = canonicalZone(zone);
  return c === 'HighMem' || (c === 'Movable' && rules.movableLikeHighmem);
}

/** The sizes of every zone, or an InputError naming the first zone without one. */
function sizes(zones: readonly ZoneWatermarks[], rules: Rules): number[] {
  return zones.map((w) => {
    const s = zoneSize(w, rules);
    if (s === undefined) {
      const what = rules.watermarkSize === 'managed' ? 'managed' : 'present';
      throw new InputError(
        `The what-if needs every zone's ${what} pages, and node ${w.node} zone ${w.zone} (${w.source}, line ${w.line}) does not give them: expected a zoneinfo (or a report whose zone lines print ${what}:).`,
      );
    }
    return s;
  });
}

/**
 * __setup_per_zone_wmarks (kernel.md 5.2): pages_min = min_free_kbytes >> (PAGE_SHIFT - 10); each zone's
 * share = pages_min × size / lowmem (lowmem: every zone of every node but HighMem, and Movable from 6.6);
 * min = share, or clamp(size / 1024, 32, 128) for HighMem (Movable from 6.6); up to 4.5 low = min +
 * share/4 and high = min + share/2; from 4.6 step = max(share/4, size × wsf / 10000), low = min + step,
 * high = min + 2 step, promo = high + step. The result has no boost (the kernel resets it to 0).
 */
export function perZoneMarks(
  zones: readonly ZoneWatermarks[],
  rules: Rules,
  s: Pick<SetupSysctls, 'minFreeKbytes' | 'watermarkScaleFactor'>,
  pageSize: number,
): { min: number; low: number; high: number; promo?: number; share: number }[] {
  const size = sizes(zones, rules);
  const shift = Math.round(Math.log2(pageSize)) - 10;
  const pagesMin = Math.floor(s.minFreeKbytes / 2 ** shift);
  const lowmem = zones.reduce((sum, w, i) => (highmemLike(w.zone, rules) ? sum : sum + (size[i] ?? 0)), 0);
  return zones.map((w, i) => {
    const sz = size[i] ?? 0;
    // 64-bit arithmetic in the kernel: pages_min * size fits a double exactly below 2^53.
    const share = lowmem === 0 ? 0 : Math.floor((pagesMin * sz) / lowmem);
    const min = highmemLike(w.zone, rules) ? Math.min(Math.max(Math.floor(sz / 1024), 32), 128) : share;
    if (!rules.scaleFactor) return { min, low: min + Math.floor(share / 4), high: min + Math.floor(share / 2), share };
    const step = Math.max(Math.floor(share / 4), Math.floor((sz * s.watermarkScaleFactor) / 10000));
    return { min, low: min + step, high: min + 2 * step, promo: min + 3 * step, share };
  });
}

/**
 * setup_per_zone_lowmem_reserve (kernel.md 5.3) for one node: protection[i][j], the pages zone i keeps back
 * from requests whose index is j > i. `pages` holds each zone type's size on the node (0 when absent).
 */
export function nodeReserves(pages: readonly number[], ratios: readonly (number | undefined)[], era: Rules['lowmemReserve']): number[][] {
  const n = pages.length;
  const out = pages.map(() => pages.map(() => 0));
  const at = (k: number): number => pages[k] ?? 0;
  for (let i = 0; i < n; i++) {
    const raw = ratios[i];
    const row = out[i] as number[];
    if (era === 'managed-upper' || era === 'empty-upper-zero') {
      // 5.11+: every upper zone counted; nothing when the ratio is 0 or zone i is empty. 6.10-6.13 also
      // give nothing for an empty upper zone j (M26).
      const clear = !raw || at(i) === 0;
      let sum = 0;
      for (let j = i + 1; j < n; j++) {
        sum += at(j);
        row[j] = clear || (era === 'empty-upper-zero' && at(j) === 0) ? 0 : Math.floor(sum / (raw as number));
      }
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      // Up to 5.10 the kernel walks down from zone j, adding each lower zone's pages as it goes.
      let sum = at(j);
      for (let k = j - 1; k > i; k--) {
        // 5.8-5.10 leave a zone whose ratio is 0 or which is empty out of the sum for the zones below it.
        if (era === 'skip-empty-lower' && (!ratios[k] || at(k) === 0)) continue;
        sum += at(k);
      }
      if (era === 'ratio-at-least-1') row[j] = Math.floor(sum / Math.max(raw ?? 1, 1));
      else if (era === 'skip-empty-lower' && (!raw || at(i) === 0)) row[j] = 0;
      else row[j] = raw !== undefined && raw >= 1 ? Math.floor(sum / raw) : 0;
    }
  }
  return out;
}

/** vm.lowmem_reserve_ratio's defaults per zone type (kernel.md 5.3): 256 for DMA and DMA32, 32 for Normal, HighMem 32 up to 4.16 and 0 after, Movable 0. */
export function defaultRatios(layout: ZoneLayout, rules: Rules): number[] {
  const old = rules.lowmemReserve === 'ratio-at-least-1';
  const types = old ? layout.types.slice(0, -1) : layout.types;
  return types.map((t) => (t === 'DMA' || t === 'DMA32' ? 256 : t === 'Normal' ? 32 : t === 'HighMem' && old ? 32 : 0));
}

/**
 * Every zone's marks and protection recomputed as the release does, from its size and the sysctls; the
 * boost the input shows (zoneinfo 5.16+, a report's boost:) is added back, since every mark the allocator
 * uses is _watermark + boost (kernel.md 1b) and a what-if cannot predict it.
 */
export function setupWatermarks(
  zones: readonly ZoneWatermarks[],
  rules: Rules,
  layout: ZoneLayout,
  s: SetupSysctls,
  pageSize: number,
): ZoneWatermarks[] {
  const marks = perZoneMarks(zones, rules, s, pageSize);
  const size = sizes(zones, rules);
  const byNode = new Map<number, number[][]>();
  for (const node of new Set(zones.map((w) => w.node))) {
    const pages = layout.types.map((t) => {
      const i = zones.findIndex((w) => w.node === node && canonicalZone(w.zone) === t);
      return i < 0 ? 0 : (size[i] ?? 0);
    });
    byNode.set(node, nodeReserves(pages, s.lowmemReserveRatio, rules.lowmemReserve));
  }
  return zones.map((w, i) => {
    const m = marks[i] as (typeof marks)[number];
    const boost = w.boost ?? 0;
    const index = layout.types.indexOf(canonicalZone(w.zone) ?? w.zone);
    const out: ZoneWatermarks = { ...w, min: m.min + boost, low: m.low + boost, high: m.high + boost, kind: 'what-if' };
    if (m.promo !== undefined && w.promo !== undefined) out.promo = m.promo + boost;
    const row = byNode.get(w.node)?.[index];
    if (row !== undefined) out.lowmemReserve = [...row];
    return out;
  });
}

/** int_sqrt: the floor of the square root of a whole number. */
function intSqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/**
 * What the kernel itself would set vm.min_free_kbytes to on this box (kernel.md 5.1):
 * calculate_min_free_kbytes = int_sqrt(lowmem_kbytes × 16) clamped to [128, 65536 (<= 5.6) or 262144], where
 * lowmem_kbytes is nr_free_buffer_pages (every zone up to Normal: size - high, at least 0) in kB; and
 * khugepaged's set_recommended_min_free_kbytes: 11 pageblocks per populated zone (up to Normal from 4.17),
 * at most 5 % of nr_free_buffer_pages, used when above the other.
 */
export function minFreeDefaults(
  zones: readonly ZoneWatermarks[],
  rules: Rules,
  pageSize: number,
  pageblockPages: number,
): { kernelDefault: number; thpRecommended: number } | undefined {
  const kib = pageSize / 1024;
  const lowTypes = new Set(['DMA', 'DMA32', 'Normal']);
  let buffer = 0;
  let populated = 0;
  for (const w of zones) {
    const size = zoneSize(w, rules);
    const type = canonicalZone(w.zone) ?? '';
    if (size === undefined) return undefined;
    if (lowTypes.has(type)) buffer += Math.max(0, size - w.high);
    if (size > 0 && (rules.thpRecommendedZones === 'populated' || lowTypes.has(type))) populated++;
  }
  const kernelDefault = Math.min(Math.max(intSqrt(buffer * kib * 16), 128), rules.minFreeMax);
  const rec = Math.min(pageblockPages * populated * 11, Math.floor(buffer / 20));
  return { kernelDefault, thpRecommended: Math.max(rec * kib, kernelDefault) };
}
