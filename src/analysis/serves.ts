// Whether a zone can ever serve a request class: the request and the zone's size against min plus lowmem_reserve.

import type { Rules } from '../kernel/rules.js';
import type { ZoneWatermarks } from '../model.js';
import { hasFlag, type AllocFlags } from './alloc-flags.js';
import { reducedMark } from './watermark.js';

/** Why a zone can never serve the request: no such order, the request exceeds the zone, or the reserve does. */
export type NeverReason = 'order' | 'size' | 'reserve';

export interface Serving {
  serves: boolean;
  reason?: NeverReason;
  /** The zone size the test used: managed pages (3.9+), else present pages, when known. */
  sizePages?: number;
  sizeKind?: 'managed' | 'present';
  /** The most the zone could ever have free for this request: size - (2^N - 1), less its CMA pages if it may not use them. */
  ceilingPages?: number;
  /** What the order-0 test needs beyond that: the adjusted mark plus lowmem_reserve. */
  needPages?: number;
}

export interface ServesInput {
  rules: Rules;
  order: number;
  /** The last order the kernel has (the buddy row's length minus one). */
  maxOrder: number;
  watermarks: ZoneWatermarks | undefined;
  /** The mark as checked (boost included). */
  markPages: number;
  reservePages: number;
  flags: AllocFlags;
}

/**
 * kernel.md 4.5 cannot(z) (section 3, item 11): no amount of reclaim or compaction makes the zone pass
 * when 2^N exceeds its size, or when its size minus (2^N - 1), less its CMA pages for a request that may
 * not use them (zoneinfo `cma`, 5.12+; skipped when unknown), is not above the adjusted mark plus
 * lowmem_reserve: NR_FREE_PAGES can never exceed the managed pages. The highatomic term is left out on
 * purpose, so "never" is only said when it is certain. The size is the managed count (3.9+); the present
 * count stands in when managed is unknown (it is never smaller, so it can only say "serves" more often).
 */
export function servingOf(input: ServesInput): Serving {
  if (input.order > input.maxOrder) return { serves: false, reason: 'order' };
  const w = input.watermarks;
  const managed = input.rules.watermarkSize === 'managed' ? w?.managed : undefined;
  const sizePages = managed ?? w?.present;
  if (sizePages === undefined) return { serves: true };
  const sizeKind = managed !== undefined ? 'managed' : 'present';
  const request = 2 ** input.order;
  if (request > sizePages) return { serves: false, reason: 'size', sizePages, sizeKind };
  const cma = hasFlag(input.flags, 'ALLOC_CMA') ? 0 : (w?.cmaPages ?? 0);
  const ceilingPages = sizePages - (request - 1) - cma;
  const needPages = reducedMark(input.markPages, input.flags, input.rules) + input.reservePages;
  const serves = ceilingPages > needPages;
  return { serves, ...(serves ? {} : { reason: 'reserve' as const }), sizePages, sizeKind, ceilingPages, needPages };
}

/** The largest order the zone could ever serve for this request (flags per order), or -1. */
export function largestServableOrder(input: Omit<ServesInput, 'order' | 'flags'>, flagsAt: (order: number) => AllocFlags): number {
  for (let o = input.maxOrder; o >= 0; o--) {
    if (servingOf({ ...input, order: o, flags: flagsAt(o) }).serves) return o;
  }
  return -1;
}
