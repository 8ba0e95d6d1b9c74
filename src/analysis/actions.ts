// What to do after a failure: the action an SRE would take for the next step, with the command and computed values.

import type { Rules } from '../kernel/rules.js';
import { canonicalZone, sameZone } from '../kernel/zones.js';
import type { SysctlValue, ZoneWatermarks } from '../model.js';
import { allocFlags } from './alloc-flags.js';
import type { CheckRequest, CheckResult, MachineInput } from './check-types.js';
import type { Action } from './next-types.js';
import { proactiveThresholds, type ProactiveScore } from './proactive.js';
import { defaultRatios, minFreeDefaults, nodeReserves, perZoneMarks, zoneSize } from './watermark-setup.js';
import { inferPagesMin, inferScaleFactor } from './what-if.js';
import { reducedMark } from './watermark.js';
import { decidingWatermarkStep } from './watermark-steps.js';
import type { ZoneLayout } from './zone-layout.js';

export interface ActionContext {
  input: MachineInput;
  req: CheckRequest;
  layout: ZoneLayout;
  pageSize: number;
  sysctls?: Record<string, SysctlValue>;
  proactive?: ProactiveScore;
  /** pageblock_nr_pages: pagetypeinfo's "Pages per block", else the PMD order capped at the last order. */
  pageblockPages: number;
}

const nodesOf = (zones: { node: number }[]): number[] => [...new Set(zones.map((z) => z.node))].sort((a, b) => a - b);
const compactCommand = (nodes: number[]): string =>
  nodes.map((n) => `echo 1 > /sys/devices/system/node/node${n}/compact`).join('; ');
const DROP_CACHES = 'sync; echo 1 > /proc/sys/vm/drop_caches';

/** The pageblock size to assume: pagetypeinfo's "Pages per block", else the PMD order capped at the last order. */
export function pageblockOf(input: MachineInput, pageSize: number): number {
  const known = input.types?.find((t) => t.pagesPerBlock !== undefined)?.pagesPerBlock;
  if (known !== undefined) return known;
  const last = Math.max(0, ...input.zones.map((z) => z.free.length - 1));
  return 2 ** Math.min(Math.round(Math.log2(pageSize)) - 3, last);
}

/** The actions for a check result's next step, most useful first. */
export function actionsFor(result: CheckResult, ctx: ActionContext): Action[] {
  const next = result.next;
  if (next === undefined) return [];
  const rules = ctx.req.kernel.rules;
  const named = result.zones.filter((z) => next.zones.some((n) => sameZone(n, z)));
  const out: Action[] = [];
  switch (next.code) {
    case 'COMPACTION_RUNS':
      out.push({ text: 'Compact the node now, ahead of the next request (the kernel compacts on demand, with a stall):', command: compactCommand(nodesOf(named)) });
      out.push(...proactiveAction(ctx.proactive, rules));
      break;
    case 'COMPACTION_SKIPPED_INDEX': {
      const best = Math.max(...named.map((z) => z.compaction?.fragmentationIndex ?? 0));
      if (best >= 1) {
        out.push({
          text: `To have the kernel compact at this index (${best} thousandths), lower vm.extfrag_threshold below it:`,
          command: `sysctl -w vm.extfrag_threshold=${best - 1}`,
        });
      }
      out.push({ text: 'Or compact by hand, which does not consult the index:', command: compactCommand(nodesOf(named)) });
      out.push({ text: 'Or free memory, which is what the index says is short: drop clean page cache:', command: DROP_CACHES });
      break;
    }
    case 'RECLAIM_FIRST':
      out.push({ text: 'Reclaim runs by itself (kswapd, then direct reclaim); to free clean page cache at once:', command: DROP_CACHES });
      break;
    case 'NO_DIRECT_RECLAIM':
    case 'NO_DIRECT_COMPACTION':
      if (next.code === 'NO_DIRECT_RECLAIM') out.push(...atomicActions(result, ctx));
      // Nothing to compact with before 2.6.35 (no /sys/devices/system/node/nodeN/compact either).
      if (rules.compaction !== 'none' && result.zones.some((z) => z.serves && (z.code === 'NO_BLOCK' || z.code === 'ORDER_LOOP'))) {
        out.push({ text: 'Keep blocks of this order free ahead of such requests: compact the node, or let kcompactd do it:', command: compactCommand(nodesOf(result.zones)) });
        out.push(...proactiveAction(ctx.proactive, rules));
      }
      break;
    default:
      break;
  }
  out.push(...reserveActions(result, ctx));
  if (result.zones.some((z) => z.serves && z.code === 'ONLY_RESERVED_BLOCKS' && z.blockedLists?.includes('CMA'))) {
    out.push({ text: 'The free blocks large enough sit in CMA, which only movable requests may use: size the CMA area (cma= boot parameter, or the device tree) to what its users need, or make this request movable.' });
  }
  return out;
}

/** vm.compaction_proactiveness that makes kcompactd act at the node's current score (5.9+), when one does. */
function proactiveAction(p: ProactiveScore | undefined, rules: Rules): Action[] {
  if (p === undefined) return [];
  const worst = Math.max(...p.nodes.map((n) => n.score ?? -1));
  if (worst < 0) return [];
  if (p.proactiveness > 0 && worst > p.high) {
    return [{ text: `kcompactd is already due to compact: the node score ${worst} is above ${p.high} (unless kswapd is running on the node, or a pass made no progress and was deferred).` }];
  }
  for (let v = p.proactiveness + 1; v <= 100; v++) {
    if (worst > proactiveThresholds(rules.proactive, v).high) {
      return [{ text: `kcompactd compacts a node scoring above its high threshold; at vm.compaction_proactiveness ${v} that is below this node's score ${worst}:`, command: `sysctl -w vm.compaction_proactiveness=${v}` }];
    }
  }
  return [];
}

/** The current value of a sysctl as a whole number, else undefined. */
function current(ctx: ActionContext, name: string): number | undefined {
  const v = ctx.sysctls?.[name]?.value.trim();
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * For a request that cannot reclaim or compact (atomic bursts): the smallest vm.min_free_kbytes, and the
 * smallest vm.watermark_scale_factor, at which a zone that failed its order-0 test would pass it, under one
 * stated assumption: kswapd had brought the zone back to its high mark before the burst that took it down
 * to the free count seen, and the burst was as large again. Recomputed with the release's own formulas.
 */
function atomicActions(result: CheckResult, ctx: ActionContext): Action[] {
  const rules = ctx.req.kernel.rules;
  const zones = ctx.input.watermarks;
  const failing = result.zones.filter((z) => z.serves && z.code === 'BELOW_WATERMARK' && z.steps[0]?.check === 'watermark');
  if (failing.length === 0 || zones.some((w) => zoneSize(w, rules) === undefined)) return [];
  const shift = Math.round(Math.log2(ctx.pageSize)) - 10;
  const mfk = current(ctx, 'vm.min_free_kbytes') ?? (inferPagesMin(zones, rules) ?? 0) * 2 ** shift;
  const wsf = current(ctx, 'vm.watermark_scale_factor') ?? inferScaleFactor(zones, rules) ?? 10;
  if (mfk === 0) return [];
  const flags = allocFlags(ctx.req.gfp, rules, ctx.req.order, { path: 'slow', extra: ctx.req.extraFlags ?? [] });
  const passes = (s: { minFreeKbytes: number; watermarkScaleFactor: number }): boolean => {
    const marks = perZoneMarks(zones, rules, s, ctx.pageSize);
    return failing.some((z) => {
      const i = zones.findIndex((w) => sameZone(w, z));
      const w = zones[i] as ZoneWatermarks;
      const m = marks[i];
      const step0 = z.steps[0];
      if (m === undefined || step0?.check !== 'watermark') return false;
      const boost = w.boost ?? 0;
      const burst = Math.max(0, w.high - z.freePages);
      const usable = step0.freePages - z.freePages + (m.high + boost - burst);
      // When the kernel retried without the boost (5.9+), the test that decides is the one without it.
      const retried = decidingWatermarkStep(z.steps)?.withoutBoost !== undefined;
      return usable > reducedMark(m.min + (retried ? 0 : boost), flags, rules) + z.reservePages;
    });
  };
  const out: Action[] = [];
  const limit = 64 * mfk;
  if (passes({ minFreeKbytes: limit, watermarkScaleFactor: wsf })) {
    let lo = mfk;
    let hi = limit;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (passes({ minFreeKbytes: mid, watermarkScaleFactor: wsf })) hi = mid;
      else lo = mid + 1;
    }
    const d = minFreeDefaults(zones, rules, ctx.pageSize, ctx.pageblockPages);
    const defaults = d === undefined ? '' : ` (now ${mfk}; the kernel's own default for this box is ${d.kernelDefault}, ${d.thpRecommended} with THP's khugepaged)`;
    out.push({
      text: `Raise vm.min_free_kbytes so that kswapd keeps enough free for such a burst: at ${lo} a zone refilled to its high mark would still pass after the same burst${defaults}:`,
      command: `sysctl -w vm.min_free_kbytes=${lo}`,
    });
  }
  if (rules.scaleFactor) {
    const max = 1000;
    for (let v = wsf + 1; v <= max; v++) {
      if (passes({ minFreeKbytes: mfk, watermarkScaleFactor: v })) {
        out.push({ text: `Or widen the gap kswapd refills (low and high above min) without raising min: at vm.watermark_scale_factor ${v} (now ${wsf}) the same holds:`, command: `sysctl -w vm.watermark_scale_factor=${v}` });
        break;
      }
    }
  }
  return out;
}

/**
 * A zone that failed only for its lowmem_reserve (LOWMEM_RESERVE) would pass with a larger
 * vm.lowmem_reserve_ratio for its type: the smallest such ratio, as setup_per_zone_lowmem_reserve would
 * recompute it, with the caution that the reserve protects requests that can use only that zone.
 */
function reserveActions(result: CheckResult, ctx: ActionContext): Action[] {
  if (result.ok || result.next?.code === 'CHECK_PASSES' || result.next?.code === 'SLOW_PATH_PASSES') return [];
  const rules = ctx.req.kernel.rules;
  const held = result.zones.filter((z) => z.serves && z.code === 'LOWMEM_RESERVE' && z.reserveIndex !== null && z.steps[0]?.check === 'watermark');
  const read = ctx.sysctls?.['vm.lowmem_reserve_ratio']?.value.trim().split(/\s+/).map(Number);
  const ratios = read !== undefined && read.every((r) => Number.isInteger(r) && r >= 0) ? read : defaultRatios(ctx.layout, rules);
  if (held.length === 0) return [];
  for (const z of held) {
    const step0 = decidingWatermarkStep(z.steps);
    if (step0 === undefined) continue;
    const allowed = step0.freePages - step0.minPages - 1;
    const i = ctx.layout.types.indexOf(canonicalZone(z.zone) ?? z.zone);
    const pages = ctx.layout.types.map((t) => {
      const w = ctx.input.watermarks.find((x) => x.node === z.node && canonicalZone(x.zone) === t);
      return w === undefined ? 0 : (zoneSize(w, rules) ?? 0);
    });
    const reserveAt = (r: number): number => {
      const trial = [...ratios];
      trial[i] = r;
      return nodeReserves(pages, trial, rules.lowmemReserve)[i]?.[z.reserveIndex as number] ?? 0;
    };
    const top = 1 << 24;
    if (i < 0 || allowed < 0 || reserveAt(top) > allowed) continue;
    // Past the order-0 test the request still needs a free block of its order (the legacy loop: more).
    const nrFree = ctx.input.zones.find((x) => sameZone(x, z))?.free ?? [];
    if (rules.algorithm === 'legacy-loop' || !nrFree.slice(ctx.req.order).some((n) => n > 0)) continue;
    // The reserve falls as the ratio grows: the smallest ratio whose reserve fits.
    let lo = Math.max(1, ratios[i] ?? 1);
    let hi = top;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (reserveAt(mid) <= allowed) hi = mid;
      else lo = mid + 1;
    }
    const trial = [...ratios];
    trial[i] = lo;
    return [
      {
        text: `${z.zone}'s lowmem_reserve keeps this request out; a ratio of ${lo} for ${z.zone} (now ${ratios[i] ?? 'unset'}) would let it in. The reserve protects requests that can use only ${z.zone}: lower it only if this request must use it:`,
        command: `sysctl -w vm.lowmem_reserve_ratio='${trial.join(' ')}'`,
      },
    ];
  }
  return [];
}
