// Replays the kernel's __zone_watermark_ok for one zone under one release's rules, as a trace of steps.

import type { Rules } from '../kernel/rules.js';
import { InputError } from '../model.js';
import { assertFlagsExist, hasFlag, type AllocFlags } from './alloc-flags.js';
import { LIST_NAMES, type BlockStep, type ListState, type Step, type VerdictCode, type WatermarkStep, type ZoneVerdict } from './watermark-steps.js';

export interface ZoneCheckInput {
  rules: Rules;
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
  /**
   * The zone's watermark_boost when zone_watermark_fast may retry a failed order-0 test without it
   * (5.9+, f80b08fc4453: an atomic or ALLOC_MIN_RESERVE request at the min mark); 0 or absent otherwise.
   */
  retryBoost?: number;
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

/** Replays __zone_watermark_ok (kernel.md 1a) under the input's rules. */
export function checkZone(input: ZoneCheckInput): ZoneVerdict {
  const e = evaluate(input);
  let margin = Number.POSITIVE_INFINITY;
  let marginStep = -1;
  e.steps.forEach((s, i) => {
    // An order-0 test retried without the boost is decided by the retry, so its margin is the retry's.
    if (e.steps[i + 1]?.check === 'watermark') return;
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
    algorithm: algorithmOf(input.rules),
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
  assertFlagsExist(input.flags, input.rules);
}

/** The loop (<= 4.3) or the order-0 test plus a block search (4.4+), as output names them. */
export function algorithmOf(rules: Rules): 'legacy' | 'modern' {
  return rules.algorithm === 'legacy-loop' ? 'legacy' : 'modern';
}

function evaluate(input: ZoneCheckInput): Evaluation {
  validate(input);
  const rules = input.rules;
  const { order, flags } = input;
  const request = 2 ** order - 1;
  const subtracted = { request, cma: 0, highatomic: 0 };
  if (order >= input.nrFree.length) {
    // The allocator refuses order >= MAX_ORDER before any watermark check (__alloc_pages_slowpath, 2.6.32;
    // __alloc_pages, 6.x).
    return { ok: false, code: 'ORDER_TOO_LARGE', steps: [], minPages: input.markPages, subtracted, assumed: false };
  }
  return rules.algorithm === 'legacy-loop' ? legacy(input, subtracted) : modern(input, subtracted);

  function legacy(inp: ZoneCheckInput, sub: Evaluation['subtracted']): Evaluation {
    // 2.6.32-4.3: free = NR_FREE_PAGES - (2^order - 1); HIGH takes min/2, then HARDER takes min/4.
    let min = reducedMark(inp.markPages, flags, rules);
    let free = inp.freePages - request;
    // Without ALLOC_CMA the free CMA pages are unusable: 3.7-3.9 (d95ea5d18e69) take them off free itself,
    // so they stay out of every loop step; 3.10-4.3 (026b08147923, M19) leave them out of the order-0 test only.
    const cma = rules.cma !== 'none' && !hasFlag(flags, 'ALLOC_CMA') ? (inp.freeCma ?? 0) : 0;
    sub.cma = cma;
    if (rules.cma === 'free-count') free -= cma;
    const adjusted = min;
    const steps: Step[] = [];
    const first = watermarkStep(rules.cma === 'free-count' ? free : free - cma, min, inp.lowmemReserve, cma, 0);
    steps.push(first);
    if (!first.ok) return { ok: false, code: order0Code(first), steps, minPages: adjusted, subtracted: sub, assumed: false };
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
    const min = reducedMark(inp.markPages, flags, rules);
    const oom = hasFlag(flags, 'ALLOC_OOM');
    let highatomicList: boolean;
    let anyList = false;
    if (rules.flags === 'legacy') {
      // 4.4-6.2: "alloc_harder" is ALLOC_HARDER, or ALLOC_HARDER|ALLOC_OOM once ALLOC_OOM exists (4.14).
      const harder = hasFlag(flags, 'ALLOC_HARDER') || oom;
      // 4.4-4.14.0: alloc_harder accepts any non-empty order (M4 removed that); the strict scan lets it
      // take a HighAtomic block.
      anyList = rules.algorithm === 'any-list' && harder;
      highatomicList = harder;
    } else {
      highatomicList = hasFlag(flags, 'ALLOC_HIGHATOMIC') || oom;
    }
    const highatomic = subtractsHighatomic(flags, rules) ? (inp.highatomic ?? 0) : 0;
    const cmaAllowed = hasFlag(flags, 'ALLOC_CMA');
    const cma = cmaAllowed ? 0 : (inp.freeCma ?? 0);
    sub.cma = cma;
    sub.highatomic = highatomic;
    const steps: Step[] = [];
    if (order === 0 && rules.fastShortcut === 'plain' && inp.freePages - cma > inp.markPages + inp.lowmemReserve) {
      // 4.7-5.8: the shortcut passes before __zone_watermark_ok would subtract the highatomic reserve.
      const quick = { ...watermarkStep(inp.freePages - cma, inp.markPages, inp.lowmemReserve, cma, 0), shortcut: true as const };
      return { ok: true, code: 'PASS', steps: [quick], minPages: inp.markPages, subtracted: { ...sub, highatomic: 0 }, assumed: false };
    }
    const free = inp.freePages - request - highatomic - cma;
    const first = watermarkStep(free, min, inp.lowmemReserve, cma, highatomic);
    steps.push(first);
    const base = { minPages: min, subtracted: sub };
    if (!first.ok) {
      const boost = order === 0 ? (inp.retryBoost ?? 0) : 0;
      if (boost === 0) return { ok: false, code: order0Code(first), steps, ...base, assumed: false };
      // zone_watermark_fast (5.9+) runs __zone_watermark_ok again against _watermark[WMARK_MIN] alone.
      const retry = watermarkStep(free, reducedMark(inp.markPages - boost, flags, rules), inp.lowmemReserve, cma, highatomic, boost);
      steps.push(retry);
      return { ok: retry.ok, code: retry.ok ? 'PASS' : order0Code(retry), steps, ...base, minPages: retry.minPages, assumed: false };
    }
    if (order === 0) return { ok: true, code: 'PASS', steps, ...base, assumed: false };

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
        // 4.4-4.14.0: alloc_harder returns true for any non-empty order, even CMA- or Isolate-only (M4).
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
 * The mark after the reductions the flags allow (kernel.md 1a axis 2). Legacy model: ALLOC_HIGH takes
 * min/2, then ALLOC_HARDER min/4, or ALLOC_OOM (4.14+) min/2 instead. 6.3 model (M6): ALLOC_MIN_RESERVE
 * takes min/2 and then ALLOC_NON_BLOCK min/4 (NON_BLOCK alone cuts nothing); ALLOC_OOM stacks another min/2.
 */
export function reducedMark(mark: number, flags: AllocFlags, rules: Rules): number {
  let min = mark;
  const oom = hasFlag(flags, 'ALLOC_OOM');
  if (rules.flags === 'legacy') {
    if (hasFlag(flags, 'ALLOC_HIGH')) min -= Math.trunc(min / 2);
    if (oom) min -= Math.trunc(min / 2);
    else if (hasFlag(flags, 'ALLOC_HARDER')) min -= Math.trunc(min / 4);
    return min;
  }
  if (hasFlag(flags, 'ALLOC_MIN_RESERVE')) {
    min -= Math.trunc(min / 2);
    if (hasFlag(flags, 'ALLOC_NON_BLOCK')) min -= Math.trunc(min / 4);
  }
  if (oom) min -= Math.trunc(min / 2);
  return min;
}

/**
 * Whether the order-0 test leaves the highatomic pages out for these flags: never up to 4.3 (no
 * MIGRATE_HIGHATOMIC); in the legacy model unless "alloc_harder" (ALLOC_HARDER, or ALLOC_OOM from 4.14);
 * in the 6.3 model unless any ALLOC_RESERVES bit is set (M6).
 */
export function subtractsHighatomic(flags: AllocFlags, rules: Rules): boolean {
  if (rules.highatomic === 'none') return false;
  if (rules.flags === 'legacy') return !(hasFlag(flags, 'ALLOC_HARDER') || hasFlag(flags, 'ALLOC_OOM'));
  return !(['ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE', 'ALLOC_HIGHATOMIC', 'ALLOC_OOM'] as const).some((f) => hasFlag(flags, f));
}

/**
 * A failed order-0 test: LOWMEM_RESERVE when free memory is above the (adjusted) mark and only the
 * lowmem_reserve term refuses it (setup_per_zone_lowmem_reserve keeps those pages for requests that
 * cannot use a higher zone), else BELOW_WATERMARK.
 */
function order0Code(step: WatermarkStep): 'BELOW_WATERMARK' | 'LOWMEM_RESERVE' {
  return step.freePages > step.minPages && step.reservePages > 0 ? 'LOWMEM_RESERVE' : 'BELOW_WATERMARK';
}

/** Builds the order-0 step with its keys in a fixed order, so the JSON reads check, numbers, then ok. */
function watermarkStep(free: number, min: number, reserve: number, cma: number, highatomic: number, withoutBoost?: number): WatermarkStep {
  return {
    check: 'watermark',
    freePages: free,
    minPages: min,
    reservePages: reserve,
    ...(cma > 0 ? { cmaPages: cma } : {}),
    ...(highatomic > 0 ? { highatomicPages: highatomic } : {}),
    ...(withoutBoost !== undefined ? { withoutBoost } : {}),
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
