// The one vocabulary of verdict codes every command prints, each with one sentence and one action (README table).

/** What a code means and what to do about it; the README's code table holds exactly these texts. */
export interface CodeText {
  sentence: string;
  action: string;
}

/**
 * Every code check, report, watch, history, JSON and Prometheus can print. A zone verdict and a report's
 * reason for the same condition share one name. Order: zone verdicts, the next step after a failure,
 * report-only reasons, OOM kinds, the count gate.
 */
export const CODES = {
  PASS: {
    sentence: 'The zone passes the replayed watermark check: it would serve the request now.',
    action: 'None.',
  },
  BELOW_WATERMARK: {
    sentence: 'Free memory is at or below the watermark itself, so the order-0 test fails.',
    action: 'Let reclaim free memory; for atomic bursts raise vm.min_free_kbytes or vm.watermark_scale_factor to the value the output computes.',
  },
  LOWMEM_RESERVE: {
    sentence: 'Free memory is above the watermark but inside the lowmem_reserve the zone keeps for requests that cannot use a higher zone.',
    action: 'None for this zone: the request belongs in a higher zone; lower vm.lowmem_reserve_ratio only if such requests must use it.',
  },
  ORDER_LOOP: {
    sentence: 'Kernels up to 4.3: the per-order loop refused once the free pages in smaller blocks were set aside.',
    action: 'Compact the node (echo 1 > /sys/devices/system/node/nodeN/compact); 4.4+ no longer refuses this way (MODERN_WOULD_PASS).',
  },
  NO_BLOCK: {
    sentence: 'Enough free memory, but no free block of the order asked or larger.',
    action: 'Follow the next step: compaction runs, or the fragmentation index says memory is short.',
  },
  ONLY_RESERVED_BLOCKS: {
    sentence: 'The only free blocks of the order asked or larger are on lists this request may not use (CMA, HighAtomic, Isolate).',
    action: 'Size CMA (the cma= boot parameter) to what movable users need, or make the request movable.',
  },
  ORDER_TOO_LARGE: {
    sentence: 'The kernel has no such order: the allocator refuses the request before any check.',
    action: 'Ask for smaller blocks (several pages, or vmalloc).',
  },
  NEVER_SERVES: {
    sentence: 'The zone can never serve this request class: the request, or min plus lowmem_reserve, is as large as the zone.',
    action: 'None: expected for DMA (and DMA32 on large boxes); such zones are left out of summaries, why and alerts.',
  },
  NOT_IN_WALK: {
    sentence: "The zone is above the request's highest zone (HighMem or Movable for GFP_KERNEL), so the walk never tries it.",
    action: 'None.',
  },
  CHECK_PASSES: {
    sentence: 'By these numbers some zone passes, so the allocation succeeds now; in a report, the failure had another cause.',
    action: 'None now; for a report, suspect memory that changed before the dump, per-cpu lists, or a request that gave up early (__GFP_NORETRY).',
  },
  SLOW_PATH_PASSES: {
    sentence: "The mark replayed fails, but the slow path's min attempt, made after waking kswapd, passes.",
    action: 'None: kswapd refills the zone; raise vm.watermark_scale_factor if allocation stalls are seen.',
  },
  NO_DIRECT_RECLAIM: {
    sentence: 'The request cannot sleep (GFP_ATOMIC, GFP_NOWAIT): it neither reclaims nor compacts and fails at once; only kswapd and kcompactd work, in the background.',
    action: 'Keep memory free ahead of such bursts: raise vm.min_free_kbytes or vm.watermark_scale_factor to the value the output computes; for blocks, compact ahead (vm.compaction_proactiveness).',
  },
  NO_DIRECT_COMPACTION: {
    sentence: 'The request may reclaim but never compacts directly (no __GFP_IO, or a kernel without compaction): larger blocks come only from kcompactd or freed memory.',
    action: 'Compact ahead of time: echo 1 > /sys/devices/system/node/nodeN/compact, or raise vm.compaction_proactiveness (5.9+).',
  },
  COMPACTION_RUNS: {
    sentence: "The kernel's compaction_suitable lets direct compaction run: there is enough order-0 memory and the failure is fragmentation.",
    action: 'Compact ahead of time: echo 1 > /sys/devices/system/node/nodeN/compact, or raise vm.compaction_proactiveness (5.9+).',
  },
  COMPACTION_SKIPPED_INDEX: {
    sentence: 'Compaction is skipped: the fragmentation index is at or below vm.extfrag_threshold, so the kernel reads the failure as lack of memory and reclaims.',
    action: 'Free memory (drop caches, stop a consumer), or lower vm.extfrag_threshold below the index (the output gives the value) to compact anyway.',
  },
  RECLAIM_FIRST: {
    sentence: 'Too little order-0 memory, for compaction or for the request itself: the kernel reclaims first, and the reclaimable pages would be enough.',
    action: 'Let reclaim run, or drop clean caches: sync; echo 1 > /proc/sys/vm/drop_caches.',
  },
  RECLAIM_CANNOT_HELP: {
    sentence: 'Even counting every reclaimable page no zone gets far enough: up to order 3 the OOM killer runs, larger requests fail.',
    action: "Reduce memory use, or add memory or swap; a report's Mem-Info totals show what holds it.",
  },
  HARDER_ANY_LIST: {
    sentence: '4.4-4.14 passed the check only because ALLOC_HARDER takes any non-empty list, including blocks it then cannot hand out.',
    action: 'Upgrade to 4.15+ or a stable release with "fix potential false positive in __zone_watermark_ok".',
  },
  MODERN_WOULD_PASS: {
    sentence: "The same state passes under the 4.4+ rules, which replaced the legacy loop's false failures.",
    action: 'Upgrade to 4.4+.',
  },
  NODES_EXCLUDED: {
    sentence: 'mems_allowed or the nodemask kept the request off nodes that would have served it.',
    action: "Widen the cpuset's cpuset.mems or the memory policy, or free memory on the allowed nodes.",
  },
  FREE_COUNT_DRIFT: {
    sentence: "The zone line's free: and the free-area total disagree by more than max(64 pages, 5%), so the replay is only as exact as the report.",
    action: 'None: read the verdict with that margin in mind.',
  },
  NO_ZONE_DATA: {
    sentence: 'The report has no readable zone lines, so the check cannot be replayed.',
    action: 'Capture the whole report, Mem-Info block included (dmesg, journalctl -k).',
  },
  ZONES_UNREADABLE: {
    sentence: 'Some zones lost their free-area line (cut or missing), so the verdict covers the other zones only.',
    action: 'Capture the log without cutting lines (journalctl --no-pager, dmesg).',
  },
  OOM_MEMCG_LIMIT: {
    sentence: 'A memory cgroup hit its limit: a limit event, not a zone-watermark or fragmentation one.',
    action: "Raise the cgroup's limit (memory.max, or memory.limit_in_bytes and memory.memsw.limit_in_bytes) or shrink the workload.",
  },
  OOM_GLOBAL_SHORTAGE: {
    sentence: 'Global OOM: the box ran out of memory that reclaim could free.',
    action: 'Find what filled memory (the Mem-Info totals, the killed task), then add memory or swap or limit that consumer.',
  },
  OOM_FRAGMENTED: {
    sentence: 'OOM for an order 1-3 request while the zones held enough free memory in smaller blocks: the fragmentation path.',
    action: 'Compact ahead of time (vm.compaction_proactiveness, echo 1 > /sys/devices/system/node/nodeN/compact).',
  },
  OOM_FORCED: {
    sentence: 'The OOM killer ran with order=-1 (SysRq f): no allocation failed.',
    action: 'None: someone asked for it.',
  },
  TOO_FEW_BLOCKS: {
    sentence: 'No node has the free blocks the count gate asks for (a block of a larger order counts as 2^j of them).',
    action: 'Compact the node before the job (echo 1 > /sys/devices/system/node/nodeN/compact), or place the job elsewhere.',
  },
} as const satisfies Record<string, CodeText>;

export type Code = keyof typeof CODES;

/** A zone's verdict in a replayed walk. */
export const ZONE_CODES = [
  'PASS',
  'BELOW_WATERMARK',
  'LOWMEM_RESERVE',
  'ORDER_LOOP',
  'NO_BLOCK',
  'ONLY_RESERVED_BLOCKS',
  'ORDER_TOO_LARGE',
  'NEVER_SERVES',
] as const satisfies readonly Code[];
export type ZoneCode = (typeof ZONE_CODES)[number];

/** What the kernel does after the check (kernel.md 4.5), for the walk and per zone. */
export const NEXT_CODES = [
  'CHECK_PASSES',
  'SLOW_PATH_PASSES',
  'ORDER_TOO_LARGE',
  'NEVER_SERVES',
  'NO_DIRECT_RECLAIM',
  'NO_DIRECT_COMPACTION',
  'COMPACTION_RUNS',
  'COMPACTION_SKIPPED_INDEX',
  'RECLAIM_FIRST',
  'RECLAIM_CANNOT_HELP',
] as const satisfies readonly Code[];
export type NextCode = (typeof NEXT_CODES)[number];

/** The kinds of OOM report (kernel.md 6). */
export const OOM_CODES = ['OOM_MEMCG_LIMIT', 'OOM_GLOBAL_SHORTAGE', 'OOM_FRAGMENTED', 'OOM_FORCED'] as const satisfies readonly Code[];
export type OomCode = (typeof OOM_CODES)[number];

/** The text of a code. */
export function codeText(code: Code): CodeText {
  return CODES[code];
}
