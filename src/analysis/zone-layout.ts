// Which zone types a kernel was built with, in index order: what lowmem_reserve[] is indexed by.

import { ZONE_TYPES, canonicalZone } from '../kernel/zones.js';
import type { ZoneType } from '../model.js';

/** The zone types a kernel was built with, in index order: position i is lowmem_reserve[i]. */
export interface ZoneLayout {
  types: string[];
  /** False when every index came from the source (ZoneWatermarks.zoneIndex); true when inferred. */
  inferred: boolean;
}

/**
 * The zone types of the kernel, in index order.
 *
 * When the source gave an index for every entry of lowmem_reserve[] (modern zoneinfo lists every zone
 * type), that is the layout. Otherwise it is inferred: the layout is the subsequence of ZONE_TYPES
 * that holds every zone name seen, plus Normal and Movable (which every kernel since 2.6.23 has), agrees
 * with any index the source did give, has as many entries as lowmem_reserve[] (MAX_NR_ZONES) when that
 * length is known and otherwise as few as possible, and never holds both DMA32 (64-bit) and HighMem
 * (32-bit). When several fit, the extra (unseen) types are chosen in the preference DMA, DMA32, Device,
 * HighMem. Examples: x86-64 DMA/DMA32/Normal with 5 entries gives DMA, DMA32, Normal, Movable, Device;
 * 32-bit x86 DMA/Normal/HighMem with 4 gives DMA, Normal, HighMem, Movable; arm32 with a single Normal
 * zone and protection (0, 0) gives Normal, Movable. A wrong guess among unseen types rarely changes the
 * reserve read, because a zone that is not populated adds nothing to lowmem_reserve[].
 */
export function zoneLayout(
  names: readonly string[],
  opts: { reserveLength?: number; known?: readonly { zone: string; index: number }[] } = {},
): ZoneLayout {
  const known = new Map<number, string>();
  for (const k of opts.known ?? []) {
    const c = canonicalZone(k.zone);
    if (c !== undefined) known.set(k.index, c);
  }
  const length = opts.reserveLength;
  if (length !== undefined && length > 0 && known.size === length) {
    const types: string[] = [];
    for (let i = 0; i < length; i++) {
      const t = known.get(i);
      if (t === undefined) break;
      types.push(t);
    }
    if (types.length === length) return { types, inferred: false };
  }
  const required = new Set<string>(['Normal', 'Movable']);
  for (const n of names) {
    const c = canonicalZone(n);
    if (c !== undefined) required.add(c);
  }
  for (const t of known.values()) required.add(t);
  const penalty: Record<string, number> = { DMA: 1, DMA32: 2, Device: 3, HighMem: 4 };
  let best: { types: string[]; score: number } | undefined;
  for (let mask = 0; mask < 1 << ZONE_TYPES.length; mask++) {
    const types = ZONE_TYPES.filter((_, i) => (mask >> i) & 1);
    if (![...required].every((r) => types.includes(r as (typeof ZONE_TYPES)[number]))) continue;
    if (types.includes('DMA32') && types.includes('HighMem')) continue;
    if (length !== undefined && types.length !== length) continue;
    if ([...known].some(([i, t]) => types[i] !== t)) continue;
    const extras = types.filter((t) => !required.has(t));
    const score = types.length * 100 + extras.reduce((s, t) => s + (penalty[t] ?? 50), 0);
    if (best === undefined || score < best.score) best = { types: [...types], score };
  }
  if (best === undefined) {
    // Nothing fits (a reserve array shorter than the zones seen): fall back to the zones seen, in order.
    return { types: ZONE_TYPES.filter((z) => required.has(z)), inferred: true };
  }
  return { types: best.types, inferred: true };
}

/** The index of a zone type into lowmem_reserve[] under a layout, or undefined when the kernel lacks the type. */
export function zoneTypeIndex(zone: string, layout: ZoneLayout): number | undefined {
  const c = canonicalZone(zone);
  if (c === undefined) return undefined;
  const i = layout.types.indexOf(c);
  return i < 0 ? undefined : i;
}

/**
 * gfp_zone(): the request's highest zone, or Normal when this kernel was built without that zone type
 * (no CONFIG_ZONE_DMA32 / CONFIG_HIGHMEM / CONFIG_ZONE_DMA maps the modifier to ZONE_NORMAL).
 */
export function effectiveHighestZone(zone: ZoneType, layout: ZoneLayout): string {
  return layout.types.includes(zone) ? zone : 'Normal';
}

