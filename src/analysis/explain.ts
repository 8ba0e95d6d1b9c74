// Why an allocation failed, in words: reads a report's replayed check and names the cause with a stable code.

import { allowedNodesOf } from './allowed-nodes.js';
import { letterOf, PCP_TYPES } from '../kernel/migratetypes.js';
import type { FailureReport } from '../parse/report-types.js';
import { blockedListsPhrase, joinAnd, zoneName } from '../words.js';
import type { Code, NextCode, OomCode } from './codes.js';
import { pagesOf } from './fragmentation.js';
import type { CheckResult, ZoneResult } from './zonelist.js';

/**
 * A reason's code: one of the shared vocabulary (codes.ts), so a zone verdict and its reason agree; the
 * walk's next step (kernel.md 4.5) is one of the reasons.
 */
export type ReasonCode =
  | NextCode
  | OomCode
  | Extract<
  Code,
  | 'CHECK_PASSES'
  | 'HARDER_ANY_LIST'
  | 'BELOW_WATERMARK'
  | 'LOWMEM_RESERVE'
  | 'ZONES_UNREADABLE'
  | 'NO_BLOCK'
  | 'ORDER_LOOP'
  | 'MODERN_WOULD_PASS'
  | 'ONLY_RESERVED_BLOCKS'
  | 'NODES_EXCLUDED'
  | 'FREE_COUNT_DRIFT'
  | 'NO_ZONE_DATA'
>;

export interface Reason {
  code: ReasonCode;
  /** One or two sentences a person can act on. */
  text: string;
  node?: number;
  zone?: string;
}

export interface ExplainInput {
  report: FailureReport;
  /** The replay over the zones the request was allowed to use; null when no zone could be read. */
  check: CheckResult | null;
  /** The same request replayed under 4.4's rules, for legacy kernels: would the modern check have passed? */
  modern?: CheckResult | null;
  /** Zones outside mems_allowed/nodemask that would have passed the check, when the report restricts nodes. */
  excludedPassing?: ZoneResult[];
  pageSize: number;
}

/** The reasons, most decisive first. */
export function explain(input: ExplainInput): Reason[] {
  const { report, check } = input;
  const reasons: Reason[] = [];
  if (!check || check.zones.length === 0) {
    // Name the zones that stop the replay when some were read: a zone without its zone line has no marks.
    const markless = report.zones.filter((z) => z.free !== undefined && z.watermarks === undefined).map((z) => `Node ${z.node} ${z.zone}`);
    const text =
      markless.length > 0 && markless.length < report.zones.length
        ? `${joinAnd(markless)} ${markless.length === 1 ? 'has' : 'have'} free blocks but no zone line, so no watermarks: the check cannot be replayed (see the problems listed).`
        : 'The report carries no readable zone lines, so the check cannot be replayed (see the problems listed).';
    return [{ code: 'NO_ZONE_DATA', text }];
  }
  const reached = check.zones.filter((z) => z.reached);
  const served = check.zones.find((z) => z.ok && z.reached);
  const anyList = served?.steps.find((st) => st.check === 'block' && st.anyList === true);
  const reservedOnly =
    anyList?.check === 'block' && anyList.lists !== undefined && anyList.lists.every((l) => !USABLE.has(l));
  if (served && anyList?.check === 'block' && reservedOnly) {
    reasons.push({
      code: 'HARDER_ANY_LIST',
      node: served.node,
      zone: served.zone,
      text: `The check passes in ${zoneName(served)} only because ALLOC_HARDER on 4.4-4.14 accepts any non-empty free list: the free blocks of order ${anyList.order} are ${blockedListsPhrase(anyList.lists ?? [])} (letters ${letters(anyList.lists ?? [])}), which the allocator then cannot hand to this request, so it fails anyway (fixed in 4.15 by "fix potential false positive in __zone_watermark_ok").`,
    });
  } else if (check.ok) {
    reasons.push({
      code: 'CHECK_PASSES',
      text: `By these numbers the watermark check passes in ${check.servedBy ? `node ${check.servedBy.node} ${check.servedBy.zone}` : 'a zone'}: the failure had another cause — memory freed or taken between the failure and the report, pages held on per-cpu lists, a request that gave up early (__GFP_NORETRY, __GFP_NOWARN-style callers, costly orders after compaction), or a cpuset.`,
    });
  }
  // The order-0 test fails either because free memory is short of min (BELOW_WATERMARK), or only because
  // the zone keeps lowmem_reserve pages back for requests that could have used a higher zone
  // (LOWMEM_RESERVE, setup_per_zone_lowmem_reserve).
  const below = reached.filter((z) => z.code === 'BELOW_WATERMARK');
  const heldBack = reached.filter((z) => z.code === 'LOWMEM_RESERVE');
  if (below.length > 0 && !check.ok) {
    reasons.push({
      code: 'BELOW_WATERMARK',
      text: `${joinAnd(below.map(zoneName))} ${below.length === 1 ? 'is' : 'are'} below the watermark: free memory itself is short.`,
    });
  }
  if (heldBack.length > 0 && !check.ok) {
    reasons.push({
      code: 'LOWMEM_RESERVE',
      text: `${joinAnd(heldBack.map(zoneName))} ${heldBack.length === 1 ? 'has' : 'have'} free memory above the watermark, but keep${heldBack.length === 1 ? 's' : ''} it back as lowmem_reserve for requests that can only use ${heldBack.length === 1 ? 'that zone' : 'those zones'}; a ${check.gfp} request must find its memory in a higher zone.`,
    });
  }
  const unreadable = report.zones.filter((z) => !z.free);
  if (unreadable.length > 0) {
    reasons.push({
      code: 'ZONES_UNREADABLE',
      text: `${joinAnd(unreadable.map(zoneName))} could not be checked (${unreadable.length === 1 ? 'its' : 'their'} free-area line is missing or cut short): the verdict covers the other zones only.`,
    });
  }
  const loop = reached.filter((z) => z.code === 'ORDER_LOOP');
  for (const z of check.ok ? [] : loop) {
    const blocks = z.steps.length > 0 ? z.failedOrder : undefined;
    reasons.push({
      code: 'ORDER_LOOP',
      node: z.node,
      zone: z.zone,
      text: `In ${zoneName(z)} the per-order loop of kernels up to 4.3 refused at order ${blocks ?? '?'}: most free memory sits in blocks too small for the request, and the loop halves the minimum only once per order while it sets whole orders aside.`,
    });
  }
  if (!check.ok && loop.length > 0 && input.modern?.ok) {
    reasons.push({
      code: 'MODERN_WOULD_PASS',
      text: `The same state passes under the 4.4+ rules (order-0 watermark plus one free block), which replaced this loop (97a16fc82a7c, "only enforce watermarks for order-0 allocations").`,
    });
  }
  const fragmented = reached.filter((z) => z.code === 'NO_BLOCK');
  if (fragmented.length > 0 && !check.ok) {
    reasons.push({
      code: 'NO_BLOCK',
      text: `${joinAnd(fragmented.map(zoneName))} ${fragmented.length === 1 ? 'has' : 'have'} enough free memory but no free block of order ${check.order} or larger.`,
    });
  }
  for (const z of check.ok ? [] : reached.filter((r) => r.code === 'ONLY_RESERVED_BLOCKS')) {
    reasons.push({
      code: 'ONLY_RESERVED_BLOCKS',
      node: z.node,
      zone: z.zone,
      text: `In ${zoneName(z)} the only free blocks of order ${check.order} or larger are ${blockedListsPhrase(z.blockedLists ?? [])} (letters ${letters(z.blockedLists ?? [])}), which a ${check.gfp} request may not use.`,
    });
  }
  if (!check.ok && check.next !== undefined) reasons.push({ code: check.next.code, text: check.next.text });
  if (!check.ok && input.excludedPassing && input.excludedPassing.length > 0) {
    const allowed = allowedNodesOf(report, check.flags);
    const nodes = allowed === undefined ? '' : `node${allowed.nodes.size === 1 ? '' : 's'} ${allowed.text} (its ${allowed.by})`;
    reasons.push({
      code: 'NODES_EXCLUDED',
      text: `The request was limited to ${nodes}, but ${joinAnd(input.excludedPassing.map(zoneName))} would have served it.`,
    });
  }
  for (const z of reached) {
    const buddy = z.steps.length > 0 ? buddyPages(report, z) : undefined;
    if (buddy === undefined || z.freeSource !== 'watermarks') continue;
    const drift = z.freePages - buddy;
    if (Math.abs(drift) > Math.max(64, z.freePages / 20)) {
      reasons.push({
        code: 'FREE_COUNT_DRIFT',
        node: z.node,
        zone: z.zone,
        text: `In ${zoneName(z)} the free: count (${z.freePages} pages, NR_FREE_PAGES, what the check reads) differs from the free-area sum (${buddy} pages) by ${drift}: per-cpu counter drift or allocations between the two lines, so the replay is only as exact as the report.`,
      });
    }
  }
  return reasons;
}

/** The lists every request may take from (MIGRATE_PCPTYPES). */
const USABLE = new Set<string>(PCP_TYPES);

function letters(lists: string[]): string {
  return lists.map(letterOf).join(', ');
}

function buddyPages(report: FailureReport, z: ZoneResult): number | undefined {
  const rz = report.zones.find((r) => r.node === z.node && r.zone === z.zone);
  return rz?.free === undefined ? undefined : pagesOf(rz.free.free);
}
