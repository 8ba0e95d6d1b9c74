// The shapes of a replayed zonelist walk: the request, the machine it is replayed on, and the verdicts.

import type { KernelChoice } from '../kernel/choice.js';
import type { RuleName, Rules } from '../kernel/rules.js';
import type { GfpRequest, ZoneFree, ZoneTypes, ZoneWatermarks } from '../model.js';
import type { AllocFlag, AllocFlags, AllocPath } from './alloc-flags.js';
import type { NextCode, ZoneCode } from './codes.js';
import type { NextStep, ReclaimOutlook, ZoneCompaction } from './next-types.js';
import type { ProactiveScore } from './proactive.js';
import type { NeverReason } from './serves.js';
import type { Step } from './watermark-steps.js';

/** A watermark to use instead of the input's, in pages. */
export interface CheckOverrides {
  min?: number;
  low?: number;
  high?: number;
  reserve?: number;
}

export interface CheckRequest {
  order: number;
  mark: 'min' | 'low' | 'high';
  gfp: GfpRequest;
  /** The release and rules to replay: every command passes the one chooseKernel gave it. */
  kernel: KernelChoice;
  orderShift?: number;
  overrides?: CheckOverrides;
  /** Flags to add to the ones the request gets (e.g. ALLOC_OOM). */
  extraFlags?: AllocFlags;
  /** The attempt to replay; default from the mark: min = slow path, low = fast path, high = OOM retry. */
  path?: AllocPath;
  localNode?: number;
  node?: number;
  zone?: string;
}

export interface MachineInput {
  /** The zones of the last buddyinfo snapshot (populated zones only). */
  zones: readonly ZoneFree[];
  watermarks: readonly ZoneWatermarks[];
  types?: readonly ZoneTypes[];
}

/** One zone's verdict, shaped for `check --json`. */
export interface ZoneResult {
  node: number;
  zone: string;
  ok: boolean;
  code: ZoneCode;
  /**
   * False when the zone can never serve this request class (kernel.md 4.5 cannot(z)): code NEVER_SERVES
   * (or ORDER_TOO_LARGE), left out of summaries, why and alerts.
   */
  serves: boolean;
  /** Why not: no such order, the request exceeds the zone, or min plus lowmem_reserve leave no room. */
  servesReason?: NeverReason;
  /** The size that test used (managed, else present), and the most the zone could have free for it. */
  sizePages?: number;
  ceilingPages?: number;
  /** The largest order this request class could ever get from the zone, -1 for none. */
  largestServableOrder: number;
  /** The marks the check used, in pages (boost included), and the zone's lowmem_reserve[] as read. */
  watermarks: { min?: number; low?: number; high?: number; boost?: number } | null;
  protection: number[] | null;
  /** Where they came from: a zoneinfo, a report's zone line, an option (--min...), or a what-if. */
  watermarksSource: 'zoneinfo' | 'report' | 'option' | 'what-if' | null;
  /** False for zones after the one that served the allocation: the kernel would not get there (they are still checked). */
  reached: boolean;
  steps: Step[];
  /** NR_FREE_PAGES used, and whether it came from zoneinfo/report or is the buddy sum. */
  freePages: number;
  freeSource: 'watermarks' | 'buddy';
  /** The chosen mark as given (boost included). */
  markPages: number;
  markSource: 'override' | 'watermarks';
  /** The mark after the flag adjustments. */
  minPages: number;
  reservePages: number;
  /** The lowmem_reserve[] index read, or null when the reserve came from an override. */
  reserveIndex: number | null;
  cmaPages: number;
  highatomicPages: number;
  margin: number;
  marginStep: number;
  failedOrder?: number;
  blockedLists?: string[];
  largestPassingOrder: number;
  /** The block search succeeded only by assuming unknown free lists held a usable block. */
  assumedUsableBlocks: boolean;
  /** Per-migratetype free counts were available for this zone. */
  listsKnown: boolean;
  /** Gaps in the input worth telling the user, one sentence each. */
  notes: string[];
  /** After the next-step analysis (next-step.ts): compaction's decision, the reclaim outlook, the zone's next code. */
  compaction?: ZoneCompaction;
  reclaim?: ReclaimOutlook;
  next?: NextCode;
}

export interface CheckResult {
  order: number;
  algorithm: 'legacy' | 'modern';
  /** The release replayed, as written; null when none was known and the newest rules were used. */
  kernelRelease: string | null;
  /** Where the release came from: option, input, live, shape, algorithm or default. */
  kernelOrigin: KernelChoice['origin'];
  kernelFrom: string;
  /** One value per rule axis (kernel/rules.ts), and why each has it. */
  rules: Rules;
  rulesFrom: Record<RuleName, string>;
  mark: 'min' | 'low' | 'high';
  path: AllocPath;
  /** The legacy loop's shift per order (Android min_free_order_shift; 1 upstream). */
  orderShift: number;
  ok: boolean;
  servedBy: { node: number; zone: string } | null;
  gfp: string;
  /** gfp_zone() after the fallback for zone types the kernel lacks. */
  highestZone: string;
  flags: AllocFlag[];
  zoneLayout: string[];
  layoutInferred: boolean;
  zones: ZoneResult[];
  /** Facts about the whole request worth telling the user, one sentence each; absent when none. */
  notes?: string[];
  /** What the kernel does next (kernel.md 4.5), after the next-step analysis. */
  next?: NextStep;
  /** The proactive compaction score per node and zone (5.9+, kernel.md 4.4), when the release has it. */
  proactive?: ProactiveScore;
}
