// compaction_suitable by era (kernel.md 4.1, 4.2): would direct compaction run in a zone, and the deciding test.

import type { Rules } from '../kernel/rules.js';
import type { GfpRequest } from '../model.js';
import { hasFlag, type AllocFlags } from './alloc-flags.js';
import { fragmentationIndex } from './fragmentation.js';
import type { Order0Test, Threshold, ZoneCompaction } from './next-types.js';
import { checkZone } from './watermark.js';

/** The default of vm.extfrag_threshold in every tree (kernel.md 4). */
export const DEFAULT_EXTFRAG_THRESHOLD = 500;

/** What the per-zone decision needs of one zone, in pages. */
export interface CompactionZone {
  nrFree: readonly number[];
  /** NR_FREE_PAGES. */
  freePages: number;
  /** The min and low marks as printed (boost included, kernel.md 1b). */
  min: number;
  low: number;
  /** lowmem_reserve[] for the request's class (the check's reserve). */
  reservePages: number;
  freeCma: number;
  highatomic: number;
  /** The slow path's min attempt passes now. */
  okSlow: boolean;
}

export interface CompactionContext {
  rules: Rules;
  order: number;
  gfp: GfpRequest;
  /** The slow path's flags (gfp_to_alloc_flags): compaction runs there. */
  slowFlags: AllocFlags;
  threshold: Threshold;
}

/** compact_gap(N) = 2^(N+1) pages (4.9; the same 2UL << order literal before). */
export function compactGap(order: number): number {
  return 2 ** (order + 1);
}

/**
 * Whether this request may direct-compact at all (kernel.md 4.1): never before 2.6.35, never at order 0
 * (__alloc_pages_direct_compact returns at once), never without direct reclaim (GFP_ATOMIC, GFP_NOWAIT),
 * and the gfp gate of try_to_compact_pages per release.
 */
export function compactionGate(rules: Rules, gfp: GfpRequest, order: number): { decision: 'unavailable' | 'not-attempted'; why: string } | undefined {
  if (rules.compaction === 'none') return { decision: 'unavailable', why: 'kernels before 2.6.35 have no compaction' };
  if (order === 0) return { decision: 'not-attempted', why: 'an order-0 request never compacts' };
  if (!gfp.canSleep) return { decision: 'not-attempted', why: 'the request cannot direct-reclaim (atomic or GFP_NOWAIT), so it never compacts' };
  const fsIo = gfp.fs && gfp.io;
  switch (rules.compactionGate) {
    case 'costly-fs-io':
      if (order <= 3) return { decision: 'not-attempted', why: '2.6.35-2.6.37 compact only above order 3' };
      if (!fsIo) return { decision: 'not-attempted', why: '2.6.35-4.9 compact only with __GFP_FS and __GFP_IO' };
      return undefined;
    case 'order-fs-io':
    case 'fs-io':
      return fsIo ? undefined : { decision: 'not-attempted', why: '2.6.35-4.9 compact only with __GFP_FS and __GFP_IO' };
    case 'io':
      return gfp.io ? undefined : { decision: 'not-attempted', why: 'from 4.10 compaction needs __GFP_IO (GFP_NOIO never compacts)' };
    case 'none':
      return { decision: 'unavailable', why: 'this kernel has no compaction' };
  }
}

/**
 * Step 2 of the era's compaction_suitable (kernel.md 4.2, 4.5 s2) with the free count `free`: the order-0
 * __zone_watermark_ok (never zone_watermark_fast's shortcut) at base + compact_gap.
 *  - A (2.6.35-3.18): low + gap, flags 0 (free CMA pages out, 3.7+), classzone 0 so no reserve.
 *  - B (3.19-4.8): low + gap with the slow path's flags and the request's reserve.
 *  - C, D (4.9-6.14): (N > 3 ? low : min) + gap with ALLOC_CMA only (free CMA counts, no mark reduction,
 *    the highatomic term subtracted) and the reserve.
 *  - E (6.15+): base + gap + (N > 3 ? low - min : 0) with base = min for direct compaction: the same.
 */
export function order0Step(z: CompactionZone, ctx: CompactionContext, free: number): Order0Test {
  const { rules, order } = ctx;
  const gap = compactGap(order);
  const base = rules.compaction === 'A' || rules.compaction === 'B' ? z.low : order > 3 ? z.low : z.min;
  const flags: AllocFlags =
    rules.compaction === 'A' ? [] : rules.compaction === 'B' ? ctx.slowFlags : rules.cma === 'none' ? [] : ['ALLOC_CMA'];
  const reserve = rules.compaction === 'A' ? 0 : z.reservePages;
  return wm0(z, rules, base + gap, flags, reserve, free, gap);
}

/** The release's order-0 __zone_watermark_ok with these flags and this free count. */
function wm0(z: CompactionZone, rules: Rules, mark: number, flags: AllocFlags, reserve: number, free: number, gap: number): Order0Test {
  const v = checkZone({
    rules: { ...rules, fastShortcut: 'none' },
    order: 0,
    markPages: mark,
    freePages: free,
    nrFree: z.nrFree.length > 0 ? z.nrFree : [0],
    lowmemReserve: reserve,
    flags,
    freeCma: z.freeCma,
    highatomic: z.highatomic,
  });
  return {
    freePages: free,
    unusablePages: v.subtracted.cma + v.subtracted.highatomic,
    markPages: mark,
    gapPages: gap,
    reservePages: reserve,
    ok: v.ok,
  };
}

/** The fragmentation index decides at every order in eras A and B, and only above order 3 from 4.9. */
function indexConsulted(rules: Rules, order: number): boolean {
  return rules.compaction === 'A' || rules.compaction === 'B' || order > 3;
}

/** The per-zone decision after a failed check (kernel.md 4.2, 4.5): first match wins. */
export function zoneCompaction(z: CompactionZone, ctx: CompactionContext): ZoneCompaction {
  const { rules, order, threshold } = ctx;
  const base = {
    era: rules.compaction,
    fragmentationIndex: order === 0 ? null : fragmentationIndex(z.nrFree, order),
    extfragThreshold: threshold.value,
    thresholdSource: threshold.source,
    indexConsulted: order > 0 && indexConsulted(rules, order),
  };
  if (z.okSlow) return { decision: 'not-needed', ...base };
  const gate = compactionGate(rules, ctx.gfp, order);
  const order0 = order > 0 && rules.compaction !== 'none' ? order0Step(z, ctx, z.freePages) : undefined;
  if (gate !== undefined) return { decision: gate.decision, ...base, ...(order0 ? { order0 } : {}), why: gate.why };
  if (order0 === undefined) return { decision: 'unavailable', ...base };
  if (!order0.ok) return { decision: 'skipped-order0', ...base, order0 };
  const fi = base.fragmentationIndex ?? -1000;
  if (base.indexConsulted && fi >= 0 && fi <= threshold.value) return { decision: 'skipped-index', ...base, order0 };
  const out: ZoneCompaction = { decision: 'runs', ...base, order0 };
  const era614 = rules.compaction === 'D' || rules.compaction === 'E';
  if (era614 && order > 3 && !hasFlag(ctx.slowFlags, 'ALLOC_CMA')) {
    // Async compaction of a non-movable request also needs WM0(mark + gap, flags 0): the low mark in 6.14.0
    // (compaction_suit_allocation_order), the request's own mark (min for direct compaction) from 6.15 (M28).
    const gap = compactGap(order);
    const mark = rules.compaction === 'D' ? z.low : z.min;
    if (!wm0(z, rules, mark + gap, [], z.reservePages, z.freePages, gap).ok) out.asyncSkips = true;
  }
  return out;
}

/**
 * vm.extfrag_threshold: --extfrag-threshold, else the value read (live /proc/sys/vm, a saved procfs's
 * sys/vm, `sysctl -a` output), else the default 500. A read value that is not a whole number from 0 to 1000
 * (the sysctl's range) is not used, and a note says so.
 */
export function thresholdOf(option: number | undefined, read: { value: string; origin: string } | undefined, notes: string[]): Threshold {
  if (option !== undefined) return { value: option, source: '--extfrag-threshold' };
  if (read !== undefined) {
    const v = /^\d+$/.test(read.value.trim()) ? Number(read.value.trim()) : Number.NaN;
    if (v >= 0 && v <= 1000) return { value: v, source: read.origin };
    notes.push(`vm.extfrag_threshold "${read.value}" (${read.origin}) is not a whole number from 0 to 1000; the default 500 is used.`);
  }
  return { value: DEFAULT_EXTFRAG_THRESHOLD, source: 'the default, 500 in every release' };
}
