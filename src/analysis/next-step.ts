// What the kernel does after the check, per zone and for the walk (kernel.md 4.5): one code per outcome.

import { sameZone } from '../kernel/zones.js';
import { InputError, type ReclaimableCounts } from '../model.js';
import { joinAnd, zoneName } from '../words.js';
import { allocFlags, type AllocFlags } from './alloc-flags.js';
import type { NextCode } from './codes.js';
import { order0Step, zoneCompaction, type CompactionContext, type CompactionZone } from './compaction.js';
import type { NextStep, ReclaimOutlook, Threshold, ZoneCompaction } from './next-types.js';
import { checkZone } from './watermark.js';
import { cmaOf, highatomicOf } from './zone-state.js';
import { checkMachine, type CheckRequest, type CheckResult, type MachineInput, type ZoneResult } from './zonelist.js';

export interface NextStepOptions {
  threshold: Threshold;
  /** Free swap in kB when known (a report's "Free swap"): whether anonymous pages are reclaimable. */
  freeSwapKiB?: number;
  /** Some zones of the walk could not be read (a damaged report): the walk is never called NEVER_SERVES. */
  incomplete?: boolean;
}

/** A zone's result once the next-step analysis has run. */
type ZoneNext = Required<Pick<ZoneResult, 'compaction' | 'next'>>;

/** The rows of kernel.md 4.5 in priority order: the first that some zone has is the walk's. */
const PRIORITY: readonly NextCode[] = [
  'CHECK_PASSES',
  'SLOW_PATH_PASSES',
  'NO_DIRECT_RECLAIM',
  'NO_DIRECT_COMPACTION',
  'COMPACTION_RUNS',
  'COMPACTION_SKIPPED_INDEX',
  'RECLAIM_FIRST',
  'RECLAIM_CANNOT_HELP',
];

/**
 * Adds, to each zone of a check result, the compaction decision and the zone's next code, and to the
 * result the walk's next step. The slow path's min attempt is replayed when the check used another mark.
 */
export function addNextStep(result: CheckResult, input: MachineInput, req: CheckRequest, opts: NextStepOptions): NextStep | undefined {
  const rules = req.kernel.rules;
  const slowFlags = allocFlags(req.gfp, rules, req.order, { path: 'slow', extra: req.extraFlags ?? [] });
  let slow = result;
  if (req.mark !== 'min' || (req.path ?? 'slow') !== 'slow') {
    try {
      slow = checkMachine(input, { ...req, mark: 'min', path: 'slow' });
    } catch (err) {
      // Compaction and reclaim run in the slow path, at the min mark: without it there is nothing to say.
      if (!(err instanceof InputError)) throw err;
      (result.notes ??= []).push(`What the kernel does next is not replayed: it needs the min watermark (${err.message.replace(/:.*$/, '')}).`);
      return undefined;
    }
  }
  const ctx: CompactionContext = { rules, order: req.order, gfp: req.gfp, slowFlags, threshold: opts.threshold };
  for (const zr of result.zones) {
    const okSlow = slow.zones.find((s) => sameZone(s, zr))?.ok ?? false;
    const z = compactionZone(zr, input, rules, okSlow);
    const compaction = zoneCompaction(z, ctx);
    const reclaim = zr.ok || okSlow ? undefined : reclaimOutlook(z, zr, input, ctx, slowFlags, opts);
    const next = zoneNext(zr, req.order, okSlow, compaction, reclaim, req.gfp.canSleep);
    zr.compaction = compaction;
    if (reclaim) zr.reclaim = reclaim;
    zr.next = next;
  }
  const step = walkNext(result, req, opts);
  if (step === undefined) {
    (result.notes ??= []).push('What the kernel does next is not replayed: the zones that could be read can never serve the request, and the others were lost.');
    return undefined;
  }
  result.next = step;
  return step;
}

/** The inputs of compaction_suitable for one zone of the result. */
function compactionZone(zr: ZoneResult, input: MachineInput, rules: CompactionContext['rules'], okSlow: boolean): CompactionZone {
  const w = input.watermarks.find((x) => sameZone(x, zr));
  const types = input.types?.find((t) => sameZone(t, zr));
  const nrFree = input.zones.find((x) => sameZone(x, zr))?.free ?? [];
  const min = zr.watermarks?.min ?? zr.markPages;
  return {
    nrFree,
    freePages: zr.freePages,
    min,
    low: zr.watermarks?.low ?? min,
    reservePages: zr.reservePages,
    freeCma: cmaOf(rules, w, types, []),
    highatomic: highatomicOf(rules, w, types, true, []),
    okSlow,
  };
}

/** R(z) from the zone's LRU sizes: file, plus anon when `anon`; isolated pages when the source printed them (<= 4.7). */
function reclaimable(c: ReclaimableCounts, anon: boolean): number {
  const file = c.activeFile + c.inactiveFile + (c.isolatedFile ?? 0);
  return anon ? file + c.activeAnon + c.inactiveAnon + (c.isolatedAnon ?? 0) : file;
}

/**
 * kernel.md 4.5's reclaim rows for one zone: N > 0, compaction's order-0 step with R(z)/N added (4.7+,
 * compaction_zonelist_suitable; NRF + R(z) up to 4.6); N = 0, the order-0 test of the check at min with
 * NRF + R(z) (should_reclaim_retry). Anonymous pages count when free swap is known to be above 0; when it
 * is unknown they are tried only if the file pages are not enough, and the outcome says so.
 */
function reclaimOutlook(
  z: CompactionZone,
  zr: ZoneResult,
  input: MachineInput,
  ctx: CompactionContext,
  slowFlags: AllocFlags,
  opts: NextStepOptions,
): ReclaimOutlook {
  const passes = (r: number): boolean => {
    if (ctx.order === 0) {
      return checkZone({
        rules: { ...ctx.rules, fastShortcut: 'none' },
        order: 0,
        markPages: z.min,
        freePages: z.freePages + r,
        nrFree: z.nrFree.length > 0 ? z.nrFree : [0],
        lowmemReserve: z.reservePages,
        flags: slowFlags,
        freeCma: z.freeCma,
        highatomic: z.highatomic,
      }).ok;
    }
    const share = ctx.rules.reclaimRetry ? Math.floor(r / ctx.order) : r;
    return order0Step(z, ctx, z.freePages + share).ok;
  };
  const w = input.watermarks.find((x) => sameZone(x, zr));
  const counts = w?.reclaimable;
  // A zone the kernel marked all_unreclaimable is skipped by reclaim (shrink_zones, up to 4.7): it frees nothing.
  if (w?.allUnreclaimable === true) return { reclaimablePages: 0, anonCounted: false, ok: passes(0), gaveUp: true };
  if (counts === undefined) return { reclaimablePages: null, anonCounted: false, ok: null };
  if (ctx.order > 0 && ctx.rules.compaction === 'none') {
    // Before 2.6.35 a high-order request relies on lumpy reclaim, which no test here models.
    return { reclaimablePages: reclaimable(counts, (opts.freeSwapKiB ?? 0) > 0), anonCounted: (opts.freeSwapKiB ?? 0) > 0, ok: null };
  }
  const swap = opts.freeSwapKiB;
  if (swap !== undefined) {
    const r = reclaimable(counts, swap > 0);
    return { reclaimablePages: r, anonCounted: swap > 0, ok: passes(r), swapKnown: true };
  }
  const file = reclaimable(counts, false);
  if (passes(file)) return { reclaimablePages: file, anonCounted: false, ok: true };
  const all = reclaimable(counts, true);
  if (all > file && passes(all)) return { reclaimablePages: all, anonCounted: true, ok: true, needsSwap: true };
  return { reclaimablePages: file, anonCounted: false, ok: false };
}

/** One zone's row of kernel.md 4.5. */
function zoneNext(
  zr: ZoneResult,
  order: number,
  okSlow: boolean,
  c: ZoneCompaction,
  reclaim: ReclaimOutlook | undefined,
  canSleep: boolean,
): NextCode {
  if (zr.ok) return 'CHECK_PASSES';
  if (zr.code === 'ORDER_TOO_LARGE') return 'ORDER_TOO_LARGE';
  if (!zr.serves) return 'NEVER_SERVES';
  if (okSlow) return 'SLOW_PATH_PASSES';
  // Without __GFP_DIRECT_RECLAIM (__GFP_WAIT up to 4.3) __alloc_pages_slowpath gives up before any reclaim
  // or compaction (4.4.1, 6.18.2: "if (!can_direct_reclaim) goto nopage"), at every order.
  if (!canSleep) return 'NO_DIRECT_RECLAIM';
  switch (c.decision) {
    case 'runs':
      return 'COMPACTION_RUNS';
    case 'skipped-index':
      return 'COMPACTION_SKIPPED_INDEX';
    case 'not-attempted':
    case 'unavailable':
      // kernel.md 4.5: at order 0 compaction is never involved; the reclaim rows decide.
      if (order > 0) return 'NO_DIRECT_COMPACTION';
      break;
    default:
      break;
  }
  return reclaim?.ok === false ? 'RECLAIM_CANNOT_HELP' : 'RECLAIM_FIRST';
}

/** The walk's row: ORDER_TOO_LARGE or NEVER_SERVES when no zone could ever serve it, else the first row some zone has. */
function walkNext(result: CheckResult, req: CheckRequest, opts: NextStepOptions): NextStep | undefined {
  const era = req.kernel.rules.compaction;
  const zones = result.zones as (ZoneResult & ZoneNext)[];
  const named = (list: ZoneResult[]) => list.map((z) => ({ node: z.node, zone: z.zone }));
  if (zones.length > 0 && zones.every((z) => z.next === 'ORDER_TOO_LARGE')) {
    return { code: 'ORDER_TOO_LARGE', era, zones: [], text: `This kernel has no order ${req.order}: the allocator refuses the request before any check, so nothing can make it pass.` };
  }
  if (!opts.incomplete && zones.every((z) => z.next === 'NEVER_SERVES' || z.next === 'ORDER_TOO_LARGE')) {
    return {
      code: 'NEVER_SERVES',
      era,
      zones: named(zones),
      text: `No zone of the walk can ever serve an order-${req.order} ${result.gfp} request: ${joinAnd(zones.map(zoneName))} ${zones.length === 1 ? 'is' : 'are'} too small for it or keep it out with lowmem_reserve, whatever reclaim or compaction does.`,
    };
  }
  const serving = zones.filter((z) => z.next !== 'NEVER_SERVES' && z.next !== 'ORDER_TOO_LARGE');
  if (serving.length === 0) return undefined;
  const code = PRIORITY.find((p) => serving.some((z) => z.next === p)) ?? 'RECLAIM_CANNOT_HELP';
  const these = serving.filter((z) => z.next === code);
  const step: NextStep = { code, era, zones: named(these), text: walkText(code, these, result, req, opts) };
  if (code === 'NO_DIRECT_COMPACTION' || code === 'NO_DIRECT_RECLAIM') {
    const behind = PRIORITY.slice(4).find((p) => serving.some((z) => backgroundOf(z, req.order) === p));
    if (behind !== undefined) step.background = behind;
  }
  return step;
}

/** "4250 reclaimable pages", with what the count rests on. */
function reclaimWords(r: ReclaimOutlook | undefined): string {
  if (r === undefined || r.reclaimablePages === null) return 'reclaimable pages unknown';
  return `${r.reclaimablePages} reclaimable pages${r.needsSwap ? ', anonymous ones too, which needs free swap' : ''}`;
}

/** For a request that never compacts directly, what kcompactd and kswapd face in this zone (the rows after it). */
function backgroundOf(z: ZoneResult & ZoneNext, order: number): NextCode {
  if (order === 0) return z.reclaim?.ok === false ? 'RECLAIM_CANNOT_HELP' : 'RECLAIM_FIRST';
  const o0 = z.compaction.order0;
  if (o0 === undefined || !o0.ok) return z.reclaim?.ok === false ? 'RECLAIM_CANNOT_HELP' : 'RECLAIM_FIRST';
  const fi = z.compaction.fragmentationIndex ?? -1000;
  const lack = z.compaction.indexConsulted && fi >= 0 && fi <= z.compaction.extfragThreshold;
  return lack ? 'COMPACTION_SKIPPED_INDEX' : 'COMPACTION_RUNS';
}

/** The walk's next step in words, with the numbers of the deciding test of its first zone. */
function walkText(code: NextCode, these: (ZoneResult & ZoneNext)[], r: CheckResult, req: CheckRequest, opts: NextStepOptions): string {
  const first = these[0];
  const names = joinAnd(these.map(zoneName));
  const c = first?.compaction;
  const threshold = `vm.extfrag_threshold ${opts.threshold.value} (${opts.threshold.source})`;
  switch (code) {
    case 'CHECK_PASSES':
      return `Nothing to do: ${r.servedBy ? `node ${r.servedBy.node} ${r.servedBy.zone}` : names} serves it now.`;
    case 'SLOW_PATH_PASSES':
      return `The ${r.mark} mark fails, but the slow path's attempt at the min mark passes in ${names}: the kernel wakes kswapd and serves the request from the pages below the low mark.`;
    case 'NO_DIRECT_RECLAIM':
      return `${r.gfp} cannot sleep, so it neither reclaims nor compacts: it fails at once, and only kswapd (reclaim) and kcompactd (compaction) work, in the background.`;
    case 'NO_DIRECT_COMPACTION':
      return req.kernel.rules.compaction === 'none'
        ? 'No direct compaction: kernels before 2.6.35 have no compaction. Larger blocks come only from reclaim (lumpy reclaim frees neighbouring pages).'
        : `No direct compaction: ${c?.why ?? 'the request may not compact'}. It may reclaim; larger blocks come only from kcompactd (4.6+) or freed memory.`;
    case 'COMPACTION_RUNS': {
      const o0 = c?.order0;
      const test = o0 ? ` the order-0 test at its mark plus compact_gap passes (${o0.freePages - o0.unusablePages} > ${o0.markPages} + reserve ${o0.reservePages})` : '';
      const idx =
        c === undefined || !c.indexConsulted
          ? `, and below order 4 the fragmentation index is not consulted (4.9+)`
          : `, and the fragmentation index ${c.fragmentationIndex} (thousandths) is above ${threshold}`;
      return `compaction_suitable (era ${r.rules.compaction}) lets direct compaction run in ${names}:${test}${idx}.`;
    }
    case 'COMPACTION_SKIPPED_INDEX':
      return `Direct compaction is skipped in ${names}: the fragmentation index at order ${req.order} is ${c?.fragmentationIndex} (thousandths), at or below ${threshold}, so the kernel reads the failure as lack of memory and reclaims instead.`;
    case 'RECLAIM_FIRST': {
      const each = joinAnd(these.map((z) => `${zoneName(z)} (${reclaimWords(z.reclaim)})`));
      return req.order === 0
        ? `Reclaim first: with their reclaimable pages counted as free, ${each} would pass the order-0 test, so the allocator keeps reclaiming (should_reclaim_retry).`
        : `Compaction is skipped for lack of order-0 memory (compact_gap is ${2 ** (req.order + 1)} pages); with their reclaimable pages counted, ${each} would have enough, so the kernel reclaims first, then compacts.`;
    }
    case 'RECLAIM_CANNOT_HELP':
      return `Even counting every reclaimable page, no zone gets far enough (${names}): ${req.order <= 3 ? 'the kernel invokes the OOM killer' : 'the request fails (orders above 3 never invoke the OOM killer)'}.`;
    case 'NEVER_SERVES':
    case 'ORDER_TOO_LARGE':
      return 'No zone of the walk can ever serve this request.';
  }
}
