// Replays the kernel's __zone_watermark_ok for one zone, generation by generation, as a trace of steps.

import { InputError, type Generation } from '../model.js';
import { algorithmOf } from './kernel.js';
import { atLeast, assertFlagsExist, hasFlag, type AllocFlags } from './gfp.js';

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
const LIST_NAMES: readonly [keyof ListState, string][] = [
  ['unmovable', 'Unmovable'],
  ['movable', 'Movable'],
  ['reclaimable', 'Reclaimable'],
  ['highatomic', 'HighAtomic'],
  ['cma', 'CMA'],
  ['isolate', 'Isolate'],
  ['reserve', 'Reserve'],
];

export interface ZoneCheckInput {
  generation: Generation;
  order: number;
  /** The chosen watermark (min, low or high) in pages, boost included as zoneinfo and dmesg print it. */
  markPages: number;
  /** NR_FREE_PAGES. */
  freePages: number;
  /** Buddy counts per order (buddyinfo). Its length is the number of orders the kernel has. */
  nrFree: readonly number[];
  /** lowmem_reserve[] entry of this zone for the request's class zone. */
  lowmemReserve: number;
  flags: AllocFlags;
  /** NR_FREE_CMA_PAGES; 0 when unknown. */
  freeCma?: number;
  /** nr_reserved_highatomic (4.4-6.11) or nr_free_highatomic (6.12+); 0 when unknown. */
  highatomic?: number;
  /** Android min_free_order_shift: the legacy loop shifts min right by this much per order. Default 1. */
  orderShift?: number;
  /** Which free lists of an order are non-empty; undefined (or an undefined answer) means unknown. */
  lists?: (order: number) => ListState | undefined;
  /**
   * The flags the same request would get at another order, for largestPassingOrder: 6.3+ adds
   * ALLOC_HIGHATOMIC only for order > 0. Without it `flags` is used at every order.
   */
  flagsAt?: (order: number) => AllocFlags;
}

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
  ok: boolean;
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
 * PASS; BELOW_WATERMARK: the order-0 test failed (reclaim needed); ORDER_LOOP: the legacy loop refused at
 * some order; NO_BLOCK: modern, no free block of order >= N (compaction); ONLY_RESERVED_BLOCKS: modern,
 * blocks of order >= N exist only on lists the request may not use; ORDER_TOO_LARGE: the kernel has no
 * such order and refuses before any check.
 */
export type VerdictCode = 'PASS' | 'BELOW_WATERMARK' | 'ORDER_LOOP' | 'NO_BLOCK' | 'ONLY_RESERVED_BLOCKS' | 'ORDER_TOO_LARGE';

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

interface Evaluation {
  ok: boolean;
  code: VerdictCode;
  steps: Step[];
  minPages: number;
  subtracted: { request: number; cma: number; highatomic: number };
  failedOrder?: number;
  blockedLists?: string[];
  assumed: boolean;
}

/** Replays __zone_watermark_ok (kernel.md 1a) for the input's generation. */
export function checkZone(input: ZoneCheckInput): ZoneVerdict {
  const e = evaluate(input);
  let margin = Number.POSITIVE_INFINITY;
  let marginStep = -1;
  e.steps.forEach((s, i) => {
    let m: number | undefined;
    if (s.check === 'watermark') m = s.freePages - (s.minPages + s.reservePages);
    else if (s.check === 'order') m = s.freePages - s.minPages;
    if (m !== undefined && m < margin) {
      margin = m;
      marginStep = i;
    }
  });
  const verdict: ZoneVerdict = {
    ok: e.ok,
    code: e.code,
    algorithm: algorithmOf(input.generation),
    order: input.order,
    steps: e.steps,
    markPages: input.markPages,
    minPages: e.minPages,
    reservePages: input.lowmemReserve,
    freePages: input.freePages,
    subtracted: e.subtracted,
    margin: marginStep === -1 ? 0 : margin,
    marginStep,
    assumedUsableBlocks: e.assumed,
    largestPassingOrder: largestPassingOrder(input),
  };
  if (e.failedOrder !== undefined) verdict.failedOrder = e.failedOrder;
  if (e.blockedLists !== undefined) verdict.blockedLists = e.blockedLists;
  return verdict;
}

/**
 * The largest order <= maxOrder (default: the last order nrFree has) that passes now, or -1. Each order
 * is checked with `flagsAt(order)` when given, else with `flags`.
 */
export function largestPassingOrder(input: Omit<ZoneCheckInput, 'order'>, maxOrder?: number): number {
  const top = Math.min(maxOrder ?? input.nrFree.length - 1, input.nrFree.length - 1);
  for (let o = top; o >= 0; o--) {
    const flags = input.flagsAt ? input.flagsAt(o) : input.flags;
    if (evaluate({ ...input, flags, order: o }).ok) return o;
  }
  return -1;
}

function validate(input: ZoneCheckInput): void {
  const { order, markPages, freePages, lowmemReserve } = input;
  if (!Number.isInteger(order) || order < 0) {
    throw new InputError(`Order ${order} is not a valid allocation order: expected a whole number from 0 up.`);
  }
  for (const [name, v] of [
    ['mark', markPages],
    ['lowmem reserve', lowmemReserve],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new InputError(`The ${name} of ${v} pages is not usable: expected a whole number of pages from 0 up.`);
    }
  }
  if (!Number.isInteger(freePages)) {
    throw new InputError(`The free page count ${freePages} is not usable: expected a whole number of pages.`);
  }
  const shift = input.orderShift ?? 1;
  if (!Number.isInteger(shift) || shift < 0) {
    throw new InputError(`min_free_order_shift ${shift} is not usable: expected a whole number from 0 up.`);
  }
  assertFlagsExist(input.flags, input.generation);
}

function evaluate(input: ZoneCheckInput): Evaluation {
  validate(input);
  const g = input.generation;
  const { order, flags } = input;
  const request = 2 ** order - 1;
  const subtracted = { request, cma: 0, highatomic: 0 };
  if (order >= input.nrFree.length) {
    // The allocator refuses order >= MAX_ORDER before any watermark check (__alloc_pages_slowpath, 2.6.32;
    // __alloc_pages, 6.x).
    return { ok: false, code: 'ORDER_TOO_LARGE', steps: [], minPages: input.markPages, subtracted, assumed: false };
  }
  return algorithmOf(g) === 'legacy' ? legacy(input, subtracted) : modern(input, subtracted);

  function legacy(inp: ZoneCheckInput, sub: Evaluation['subtracted']): Evaluation {
    // 2.6.32-4.3: free = NR_FREE_PAGES - (2^order - 1); HIGH takes min/2, then HARDER takes min/4.
    let min = inp.markPages;
    let free = inp.freePages - request;
    if (hasFlag(flags, 'ALLOC_HIGH')) min -= Math.trunc(min / 2);
    if (hasFlag(flags, 'ALLOC_HARDER')) min -= Math.trunc(min / 4);
    // 3.7 (d95ea5d18e69): without ALLOC_CMA the free CMA pages are left out of the order-0 test only.
    const cma = g === '3.7' && !hasFlag(flags, 'ALLOC_CMA') ? (inp.freeCma ?? 0) : 0;
    sub.cma = cma;
    const adjusted = min;
    const steps: Step[] = [];
    const first = watermarkStep(free - cma, min, inp.lowmemReserve, cma, 0);
    steps.push(first);
    if (!first.ok) return { ok: false, code: 'BELOW_WATERMARK', steps, minPages: adjusted, subtracted: sub, assumed: false };
    const shift = inp.orderShift ?? 1;
    for (let o = 0; o < order; o++) {
      // The pages in order-o blocks cannot serve the next order; require 2^shift times less there.
      free -= (inp.nrFree[o] ?? 0) * 2 ** o;
      min = Math.floor(min / 2 ** shift);
      const ok = free > min;
      steps.push({ check: 'order', order: o, freePages: free, minPages: min, ok });
      if (!ok) {
        return { ok: false, code: 'ORDER_LOOP', steps, minPages: adjusted, subtracted: sub, failedOrder: o, assumed: false };
      }
    }
    return { ok: true, code: 'PASS', steps, minPages: adjusted, subtracted: sub, assumed: false };
  }

  function modern(inp: ZoneCheckInput, sub: Evaluation['subtracted']): Evaluation {
    let min = inp.markPages;
    const oom = hasFlag(flags, 'ALLOC_OOM');
    let highatomicList: boolean;
    if (!atLeast(g, '6.3')) {
      // 4.4-6.2: "alloc_harder" is ALLOC_HARDER (4.4) or ALLOC_HARDER|ALLOC_OOM (4.15, M4).
      const harder = hasFlag(flags, 'ALLOC_HARDER') || (g === '4.15' && oom);
      if (hasFlag(flags, 'ALLOC_HIGH')) min -= Math.trunc(min / 2);
      if (harder) {
        if (oom) min -= Math.trunc(min / 2);
        else min -= Math.trunc(min / 4);
      }
      // 4.4 has no HighAtomic rule in the search (HARDER takes any list instead); 4.15 lets harder use it.
      highatomicList = g === '4.15' && harder;
    } else {
      // 6.3+ (M6): any ALLOC_RESERVES bit exempts from the highatomic subtraction; NON_BLOCK cuts min
      // only together with MIN_RESERVE; OOM stacks.
      const reserves = ['ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE', 'ALLOC_HIGHATOMIC', 'ALLOC_OOM'] as const;
      const anyReserve = reserves.some((f) => hasFlag(flags, f));
      if (anyReserve) {
        if (hasFlag(flags, 'ALLOC_MIN_RESERVE')) {
          min -= Math.trunc(min / 2);
          if (hasFlag(flags, 'ALLOC_NON_BLOCK')) min -= Math.trunc(min / 4);
        }
        if (oom) min -= Math.trunc(min / 2);
      }
      highatomicList = hasFlag(flags, 'ALLOC_HIGHATOMIC') || oom;
    }
    const highatomic = subtractsHighatomic(flags, g) ? (inp.highatomic ?? 0) : 0;
    const cmaAllowed = hasFlag(flags, 'ALLOC_CMA');
    const cma = cmaAllowed ? 0 : (inp.freeCma ?? 0);
    sub.cma = cma;
    sub.highatomic = highatomic;
    const free = inp.freePages - request - highatomic - cma;
    const steps: Step[] = [];
    const first = watermarkStep(free, min, inp.lowmemReserve, cma, highatomic);
    steps.push(first);
    const base = { minPages: min, subtracted: sub };
    if (!first.ok) return { ok: false, code: 'BELOW_WATERMARK', steps, ...base, assumed: false };
    if (order === 0) return { ok: true, code: 'PASS', steps, ...base, assumed: false };

    const anyList = g === '4.4' && hasFlag(flags, 'ALLOC_HARDER');
    let sawBlocks = false;
    const blocked = new Set<string>();
    for (let o = order; o < inp.nrFree.length; o++) {
      const blocks = inp.nrFree[o] ?? 0;
      const known = inp.lists?.(o);
      const names = known ? LIST_NAMES.filter(([k]) => known[k]).map(([, n]) => n) : undefined;
      // A list state with every list empty while nr_free says blocks exist contradicts the counts (the two
      // files were read at different moments): treat it as unknown.
      const lists = known && names && names.length > 0 ? known : undefined;
      const shown = names !== undefined && (blocks === 0 || lists) ? names : undefined;
      if (blocks === 0) {
        steps.push(blockStep(o, blocks, false, shown));
        continue;
      }
      sawBlocks = true;
      if (anyList) {
        // 4.4-4.14: ALLOC_HARDER returns true for any non-empty order, even CMA- or Isolate-only (M4).
        steps.push(blockStep(o, blocks, true, shown, { anyList: true }));
        return { ok: true, code: 'PASS', steps, ...base, assumed: false };
      }
      if (!lists) {
        steps.push(blockStep(o, blocks, true, undefined, { assumed: true }));
        return { ok: true, code: 'PASS', steps, ...base, assumed: true };
      }
      const usable =
        lists.unmovable ||
        lists.movable ||
        lists.reclaimable ||
        (cmaAllowed && lists.cma) ||
        (highatomicList && lists.highatomic);
      steps.push(blockStep(o, blocks, usable, shown));
      if (usable) return { ok: true, code: 'PASS', steps, ...base, assumed: false };
      for (const n of names ?? []) blocked.add(n);
    }
    if (!sawBlocks) return { ok: false, code: 'NO_BLOCK', steps, ...base, assumed: false };
    const blockedLists = LIST_NAMES.map(([, n]) => n).filter((n) => blocked.has(n));
    return { ok: false, code: 'ONLY_RESERVED_BLOCKS', steps, ...base, blockedLists, assumed: false };
  }
}

/**
 * Whether the order-0 test leaves the highatomic pages out for these flags: never up to 4.3 (no
 * MIGRATE_HIGHATOMIC); in 4.4-6.2 unless "alloc_harder" (ALLOC_HARDER, or ALLOC_OOM from 4.15, M4);
 * from 6.3 unless any ALLOC_RESERVES bit is set (M6).
 */
export function subtractsHighatomic(flags: AllocFlags, g: Generation): boolean {
  if (!atLeast(g, '4.4')) return false;
  if (!atLeast(g, '6.3')) return !(hasFlag(flags, 'ALLOC_HARDER') || (g === '4.15' && hasFlag(flags, 'ALLOC_OOM')));
  return !(['ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE', 'ALLOC_HIGHATOMIC', 'ALLOC_OOM'] as const).some((f) => hasFlag(flags, f));
}

/** Builds the order-0 step with its keys in a fixed order, so the JSON reads check, numbers, then ok. */
function watermarkStep(free: number, min: number, reserve: number, cma: number, highatomic: number): WatermarkStep {
  return {
    check: 'watermark',
    freePages: free,
    minPages: min,
    reservePages: reserve,
    ...(cma > 0 ? { cmaPages: cma } : {}),
    ...(highatomic > 0 ? { highatomicPages: highatomic } : {}),
    ok: free > min + reserve,
  };
}

/** Builds a block-search step; usable and ok agree, since the search stops at the first usable block. */
function blockStep(
  order: number,
  blocks: number,
  usable: boolean,
  lists: string[] | undefined,
  mark: { assumed?: true; anyList?: true } = {},
): BlockStep {
  return { check: 'block', order, blocks, usable, ...(lists ? { lists } : {}), ...mark, ok: usable };
}

/** A ListState with every list empty, to build on. */
export function emptyLists(): ListState {
  return { unmovable: false, movable: false, reclaimable: false, highatomic: false, cma: false, isolate: false, reserve: false };
}
