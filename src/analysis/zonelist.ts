// Walks the zonelist the way get_page_from_freelist does and checks each zone's watermark.

import { sameZone } from '../kernel/zones.js';
import { InputError, type ZoneFree, type ZoneWatermarks } from '../model.js';
import { allocFlags, hasFlag, pathForMark, type AllocFlags } from './alloc-flags.js';
import type { CheckOverrides, CheckRequest, CheckResult, MachineInput, ZoneResult } from './check-types.js';
import { pagesOf } from './fragmentation.js';
import { largestServableOrder, servingOf } from './serves.js';
import { buildWalk, type WalkEntry } from './walk.js';
import { algorithmOf, checkZone, subtractsHighatomic } from './watermark.js';
import { zoneLayout, zoneTypeIndex, type ZoneLayout } from './zone-layout.js';
import { cmaOf, highatomicOf, listsFrom } from './zone-state.js';

export type { CheckOverrides, CheckRequest, CheckResult, MachineInput, ZoneResult } from './check-types.js';

/** The kernel's zone types in index order, from what the inputs say of lowmem_reserve[] and the zones. */
export function layoutOf(input: MachineInput): ZoneLayout {
  const reserveLength = Math.max(0, ...input.watermarks.map((w) => w.lowmemReserve?.length ?? 0));
  const known = input.watermarks.flatMap((w) => (w.zoneIndex === undefined ? [] : [{ zone: w.zone, index: w.zoneIndex }]));
  return zoneLayout([...input.zones.map((z) => z.zone), ...input.watermarks.map((w) => w.zone)], {
    reserveLength: reserveLength > 0 ? reserveLength : undefined,
    known,
  });
}

/**
 * The lowmem_reserve[] index every zone of the walk reads (kernel.md 1a axis 6): up to 5.7 the first zone
 * of the zonelist's (classzone_idx). A populated zone known only by its watermarks (a report whose
 * free-area line was lost) still heads the walk there, though it cannot be checked. From 5.8 gfp_zone().
 */
function reserveIndexOf(input: MachineInput, req: CheckRequest, layout: ZoneLayout, highest: string): number {
  if (req.kernel.rules.reserveIndex === 'highest') return zoneTypeIndex(highest, layout) ?? 0;
  const countless = input.watermarks.filter(
    (w) => !input.zones.some((z) => sameZone(z, w)) && (w.present ?? w.managed ?? w.freePages ?? 0) > 0,
  );
  const { preferred } = buildWalk([...input.zones, ...countless], req.gfp, { localNode: req.localNode, node: req.node, layout });
  return preferred?.index ?? zoneTypeIndex(highest, layout) ?? 0;
}

function noZoneError(input: MachineInput, req: CheckRequest, highest: string): InputError {
  const nodes = [...new Set(input.zones.map((z) => z.node))].sort((a, b) => a - b);
  const names = [...new Set(input.zones.map((z) => z.zone))];
  const asked = [req.node === undefined ? '' : `node ${req.node}`, req.zone === undefined ? '' : `zone ${req.zone}`]
    .filter((s) => s !== '')
    .join(', ');
  return new InputError(
    `No zone ${asked === '' ? '' : `matching ${asked} `}can serve ${req.gfp.name} (zones up to ${highest}): expected one of nodes ${nodes.join(', ')} with zones ${names.join(', ')}.`,
  );
}

/**
 * Checks an order-N request against every zone of the zonelist walk, in order. The allocation succeeds
 * when some zone passes; the first passing zone serves it. Zones after it are still evaluated and listed,
 * with `reached: false`.
 */
export function checkMachine(input: MachineInput, req: CheckRequest): CheckResult {
  const rules = req.kernel.rules;
  const path = req.path ?? pathForMark(req.mark);
  const flagOpts = { path, extra: req.extraFlags ?? [] };
  const flags = allocFlags(req.gfp, rules, req.order, flagOpts);
  const layout = layoutOf(input);
  const { walk, highest } = buildWalk(input.zones, req.gfp, { localNode: req.localNode, node: req.node, zone: req.zone, layout });
  if (walk.length === 0) throw noZoneError(input, req, highest);
  const classIndex = reserveIndexOf(input, req, layout, highest);
  const results = walk.map((entry) => checkOne(entry, input, req, { flags, classIndex, flagsAt: (o) => allocFlags(req.gfp, rules, o, flagOpts) }));
  const served = results.find((r) => r.ok);
  if (served) {
    const at = results.indexOf(served);
    results.forEach((r, i) => {
      r.reached = i <= at;
    });
  }
  const k = req.kernel;
  return {
    order: req.order,
    algorithm: algorithmOf(rules),
    kernelRelease: k.release,
    kernelOrigin: k.origin,
    kernelFrom: k.from,
    rules: { ...rules },
    rulesFrom: { ...k.rulesFrom },
    mark: req.mark,
    path,
    orderShift: req.orderShift ?? 1,
    ok: served !== undefined,
    servedBy: served ? { node: served.node, zone: served.zone } : null,
    gfp: req.gfp.name,
    highestZone: highest,
    flags: [...flags],
    zoneLayout: layout.types,
    layoutInferred: layout.inferred,
    zones: results,
  };
}

/** The marks an option set (--min, --low, --high), without the ones it did not. */
function definedOf(o: CheckOverrides): Partial<Record<'min' | 'low' | 'high', number>> {
  const out: Partial<Record<'min' | 'low' | 'high', number>> = {};
  for (const k of ['min', 'low', 'high'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** The replay of one zone of the walk. */
function checkOne(
  { zone: z }: WalkEntry<ZoneFree>,
  input: MachineInput,
  req: CheckRequest,
  ctx: { flags: AllocFlags; classIndex: number; flagsAt: (order: number) => AllocFlags },
): ZoneResult {
  const rules = req.kernel.rules;
  const notes: string[] = [];
  const w = input.watermarks.find((x) => sameZone(x, z));
  const override = req.overrides?.[req.mark];
  if (override === undefined && w === undefined) {
    throw new InputError(
      `No ${req.mark} watermark is known for node ${z.node} zone ${z.zone}: expected a zoneinfo from the same box that covers this zone (a file beside the buddyinfo, or DIR/zoneinfo with --proc DIR), an allocation-failure report that shows it, or --${req.mark} PAGES.`,
    );
  }
  const markPages = override ?? (w as ZoneWatermarks)[req.mark];
  const free = w?.freePages;
  const freePages = free ?? pagesOf(z.free);
  if (free === undefined) notes.push('NR_FREE_PAGES is unknown; the sum of the buddy counts stands in for it.');

  let reservePages: number;
  let reserveIndex: number | null = null;
  if (req.overrides?.reserve !== undefined) {
    reservePages = req.overrides.reserve;
  } else {
    reserveIndex = ctx.classIndex;
    const arr = w?.lowmemReserve;
    const v = arr?.[ctx.classIndex];
    reservePages = v ?? 0;
    if (v === undefined) {
      notes.push(
        arr === undefined ? 'lowmem_reserve is unknown for this zone; 0 is assumed.' : `lowmem_reserve has no entry ${ctx.classIndex}; 0 is assumed.`,
      );
    }
  }

  const types = input.types?.find((t) => sameZone(t, z));
  const marks = w === undefined ? undefined : { min: w.min, low: w.low, high: w.high };
  const over = req.overrides ?? {};
  const set = definedOf(over);
  const watermarks: ZoneResult['watermarks'] = marks === undefined && Object.keys(set).length === 0 ? null : { ...marks, ...set };
  if (watermarks !== null && w?.boost !== undefined) watermarks.boost = w.boost;
  const optioned = (['min', 'low', 'high', 'reserve'] as const).some((k) => over[k] !== undefined);
  const freeCma = cmaOf(rules, w, types, notes);
  const highatomic = highatomicOf(rules, w, types, subtractsHighatomic(ctx.flags, rules), notes);
  const retry = boostRetryOf(req, ctx.flags, w, override !== undefined);
  const verdict = checkZone({
    rules,
    order: req.order,
    markPages,
    freePages,
    nrFree: z.free,
    lowmemReserve: reservePages,
    flags: ctx.flags,
    freeCma,
    highatomic,
    orderShift: req.orderShift,
    lists: types ? listsFrom(types) : undefined,
    flagsAt: ctx.flagsAt,
    retryBoost: retry.boost,
  });
  if (retry.unknown !== undefined && !verdict.ok) notes.push(retry.unknown);
  const serveInput = { rules, maxOrder: z.free.length - 1, watermarks: w, markPages, reservePages };
  const serving = servingOf({ ...serveInput, order: req.order, flags: ctx.flags });
  const never = !verdict.ok && !serving.serves;
  const r: ZoneResult = {
    node: z.node,
    zone: z.zone,
    ok: verdict.ok,
    code: never && serving.reason !== 'order' ? 'NEVER_SERVES' : verdict.code,
    serves: !never,
    largestServableOrder: largestServableOrder(serveInput, ctx.flagsAt),
    watermarks,
    protection: w?.lowmemReserve === undefined ? null : [...w.lowmemReserve],
    watermarksSource: optioned ? 'option' : (w?.kind ?? (w === undefined ? null : 'zoneinfo')),
    reached: true,
    steps: verdict.steps,
    freePages,
    freeSource: free === undefined ? 'buddy' : 'watermarks',
    markPages,
    markSource: override !== undefined ? 'override' : 'watermarks',
    minPages: verdict.minPages,
    reservePages,
    reserveIndex,
    cmaPages: verdict.subtracted.cma,
    highatomicPages: verdict.subtracted.highatomic,
    margin: verdict.margin,
    marginStep: verdict.marginStep,
    largestPassingOrder: verdict.largestPassingOrder,
    assumedUsableBlocks: verdict.assumedUsableBlocks,
    listsKnown: types !== undefined,
    notes,
  };
  if (never && serving.reason !== undefined) r.servesReason = serving.reason;
  if (serving.sizePages !== undefined) r.sizePages = serving.sizePages;
  if (serving.ceilingPages !== undefined) r.ceilingPages = serving.ceilingPages;
  if (verdict.failedOrder !== undefined) r.failedOrder = verdict.failedOrder;
  if (verdict.blockedLists !== undefined) r.blockedLists = verdict.blockedLists;
  return r;
}

/**
 * zone_watermark_fast's retry (5.9+, f80b08fc4453): a failed order-0 test at the min mark is run again
 * without the zone's watermark_boost for a __GFP_ATOMIC request (up to 6.2) or one with ALLOC_MIN_RESERVE
 * (the 6.3 flag model, also 5.15.171+ and 6.1.116+). The boost is printed only from 5.16; before, a
 * note says the retry may apply. A mark given as an option is taken as the whole mark: no retry.
 */
function boostRetryOf(req: CheckRequest, flags: AllocFlags, w: ZoneWatermarks | undefined, overridden: boolean): { boost: number; unknown?: string } {
  const rules = req.kernel.rules;
  const eligible = rules.boostRetry && req.mark === 'min' && !overridden && (rules.flags === 'legacy' ? req.gfp.atomic : hasFlag(flags, 'ALLOC_MIN_RESERVE'));
  if (!eligible || w === undefined) return { boost: 0 };
  if (w.boost === undefined) {
    return req.order === 0
      ? { boost: 0, unknown: "The zone's watermark_boost is not shown (zoneinfo and reports print it from 5.16): if it is above 0, the kernel retries a failed order-0 test without it." }
      : { boost: 0 };
  }
  return { boost: w.boost };
}
