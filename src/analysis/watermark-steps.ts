// The trace a replayed watermark check leaves: its steps, its verdict codes, and the free lists it looked at.

import type { ZoneCode } from './codes.js';

/** Which free lists of one order are non-empty (free_area[o].free_list[migratetype]). */
export interface ListState {
  unmovable: boolean;
  movable: boolean;
  reclaimable: boolean;
  highatomic: boolean;
  cma: boolean;
  isolate: boolean;
  /** MIGRATE_RESERVE, up to 4.3. */
  reserve: boolean;
}

/** List names as pagetypeinfo prints them, in ListState field order. */
export const LIST_NAMES: readonly [keyof ListState, string][] = [
  ['unmovable', 'Unmovable'],
  ['movable', 'Movable'],
  ['reclaimable', 'Reclaimable'],
  ['highatomic', 'HighAtomic'],
  ['cma', 'CMA'],
  ['isolate', 'Isolate'],
  ['reserve', 'Reserve'],
];

/** The order-0 test: `free <= min + reserve` fails. freePages is after every subtraction. */
export interface WatermarkStep {
  check: 'watermark';
  freePages: number;
  /** min after the flag adjustments. */
  minPages: number;
  reservePages: number;
  /** Free CMA pages left out of this test (present only when non-zero). */
  cmaPages?: number;
  /** Highatomic pages left out of this test (present only when non-zero). */
  highatomicPages?: number;
  /**
   * zone_watermark_fast's order-0 shortcut (4.7-5.8, 48ee5f3696f6): the unreduced mark, free CMA pages out
   * unless ALLOC_CMA, and no highatomic term. Shown only when it passes; otherwise __zone_watermark_ok runs.
   */
  shortcut?: true;
  /**
   * This test is zone_watermark_fast's retry (5.9+, f80b08fc4453) after the one before it failed: the
   * mark without the zone's watermark_boost, this many pages.
   */
  withoutBoost?: number;
  ok: boolean;
}

/** The order-0 test that decided: the retry without the boost when there is one, else the only one. */
export function decidingWatermarkStep(steps: readonly Step[]): WatermarkStep | undefined {
  let found: WatermarkStep | undefined;
  for (const s of steps) if (s.check === 'watermark') found = s;
  return found;
}

/** One pass of the legacy loop: the blocks of `order` were set aside, min was shifted, `free <= min` fails. */
export interface OrderStep {
  check: 'order';
  order: number;
  freePages: number;
  minPages: number;
  ok: boolean;
}

/** One order of the modern block search. */
export interface BlockStep {
  check: 'block';
  order: number;
  blocks: number;
  /** A free list of this order that the request may use is non-empty (or assumed so). */
  usable: boolean;
  /** Names of the non-empty lists at this order, when known. */
  lists?: string[];
  /** Set when the lists were unknown and a usable list was assumed. */
  assumed?: true;
  /** Set when 4.4-4.14's ALLOC_HARDER accepted any non-empty order without looking at the lists. */
  anyList?: true;
  ok: boolean;
}

export type Step = WatermarkStep | OrderStep | BlockStep;

/**
 * What one zone's __zone_watermark_ok says (codes.ts has the sentences): PASS; BELOW_WATERMARK: the
 * order-0 test failed with free memory at or below the mark itself; LOWMEM_RESERVE: it failed only
 * because of the lowmem_reserve term; ORDER_LOOP: the legacy loop refused at some order; NO_BLOCK:
 * modern, no free block of order >= N; ONLY_RESERVED_BLOCKS: modern, blocks of order >= N exist only on
 * lists the request may not use; ORDER_TOO_LARGE: the kernel has no such order. NEVER_SERVES is decided
 * by the walk, which knows the zone's size.
 */
export type VerdictCode = Exclude<ZoneCode, 'NEVER_SERVES'>;

export interface ZoneVerdict {
  ok: boolean;
  code: VerdictCode;
  algorithm: 'legacy' | 'modern';
  order: number;
  /** Steps in the order the kernel evaluates them; it stops at the first failure or success. */
  steps: Step[];
  /** The mark as given. */
  markPages: number;
  /** The mark after the flag adjustments (the watermark step's minPages). */
  minPages: number;
  reservePages: number;
  /** NR_FREE_PAGES as given. */
  freePages: number;
  /** Pages left out before the order-0 test: the request itself (2^order - 1), free CMA, highatomic. */
  subtracted: { request: number; cma: number; highatomic: number };
  /**
   * Free minus what the kernel requires, in pages, at the tightest numeric test: for a failure this is
   * the failing test (<= 0); for a block-search failure it is the order-0 test (> 0, memory is enough).
   * The kernel passes a test only when its margin is >= 1.
   */
  margin: number;
  /** Index into steps of the test that gave `margin`, or -1 when no test ran. */
  marginStep: number;
  /** Legacy ORDER_LOOP: the order whose blocks, once set aside, left too little. */
  failedOrder?: number;
  /** ONLY_RESERVED_BLOCKS: the non-empty lists at orders >= N, none of which the request may use. */
  blockedLists?: string[];
  /** The block search found its block only by assuming an unknown free list was usable. */
  assumedUsableBlocks: boolean;
  /** The largest order that passes with the same inputs, or -1. */
  largestPassingOrder: number;
}

/** A ListState with every list empty, to build on. */
export function emptyLists(): ListState {
  return { unmovable: false, movable: false, reclaimable: false, highatomic: false, cma: false, isolate: false, reserve: false };
}
