// The data of the next-step analysis: compaction's per-zone decision, the reclaim outlook, the walk's next step.

import type { Rules } from '../kernel/rules.js';
import type { NextCode } from './codes.js';

/** kernel.md 4 (the JSON names): what compaction does in this zone after the check failed. */
export type CompactionDecision = 'not-needed' | 'runs' | 'skipped-order0' | 'skipped-index' | 'not-attempted' | 'unavailable';

/** vm.extfrag_threshold and where its value came from. */
export interface Threshold {
  value: number;
  source: string;
}

/** The order-0 test at base + compact_gap that decides SKIPPED (step 2 of every era). */
export interface Order0Test {
  /** The free count tested (NR_FREE_PAGES, or with reclaimable pages added), before the subtractions. */
  freePages: number;
  /** What the test leaves out of it: free CMA pages without ALLOC_CMA, the highatomic term. */
  unusablePages: number;
  /** The mark tested: low or min, plus compact_gap = 2^(N+1) pages. */
  markPages: number;
  gapPages: number;
  reservePages: number;
  ok: boolean;
}

export interface ZoneCompaction {
  decision: CompactionDecision;
  /** compaction_suitable's era (kernel.md 4.2). */
  era: Rules['compaction'];
  /** __fragmentation_index at the order, in the kernel's thousandths, as compared with extfragThreshold. */
  fragmentationIndex: number | null;
  extfragThreshold: number;
  thresholdSource: string;
  /** Whether the index is consulted at this order: every order in eras A and B, only above order 3 from 4.9. */
  indexConsulted: boolean;
  /** Step 2 of the era; also computed when the request may not compact, for what kcompactd would face. */
  order0?: Order0Test;
  /**
   * 6.14+ (era D and later): the first, asynchronous attempt of a request that may not use CMA also needs
   * the order-0 test at min + compact_gap without the free CMA pages; it failed, so that attempt skips the
   * zone and only the synchronous retry compacts it.
   */
  asyncSkips?: boolean;
  /** Why compaction is not attempted, or unavailable, in words. */
  why?: string;
}

/** Would reclaim get the zone far enough? zone_reclaimable_pages counted as free (kernel.md 4.3). */
export interface ReclaimOutlook {
  /** R(z): the file LRU, plus the anonymous LRU when swap is free; null when the zone's LRU sizes are unknown. */
  reclaimablePages: number | null;
  /** The anonymous pages were counted: free swap is known to be above 0 (or needed, see needsSwap). */
  anonCounted: boolean;
  /** s2 at NRF + R/N (compaction_zonelist_suitable, 4.7+), NRF + R up to 4.6; order 0: the check at NRF + R. */
  ok: boolean | null;
  /** It passes only with the anonymous pages counted, and whether swap is free is not known. */
  needsSwap?: true;
  /** Free swap was known (a report's Mem-Info, a procfs's meminfo), so anonCounted says whether it is free. */
  swapKnown?: true;
  /** The zone was all_unreclaimable: reclaim skips it (shrink_zones up to 4.7), so nothing counts. */
  gaveUp?: true;
}

/** The walk's next step, with the zones it rests on. */
export interface NextStep {
  code: NextCode;
  text: string;
  zones: { node: number; zone: string }[];
  /** compaction_suitable's era replayed (kernel.md 4.2). */
  era: Rules['compaction'];
  /** For NO_DIRECT_COMPACTION: what kswapd and kcompactd face in the background (the rows below it). */
  background?: NextCode;
  /** What to do, with the command and the values computed for this box (actions.ts). */
  actions?: Action[];
}

/** One thing to do, with the command when there is one. */
export interface Action {
  text: string;
  command?: string;
}
