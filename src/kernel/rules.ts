// The rules a release's allocator follows, one value per independent axis, sublevel-aware (kernel.md 1a, 4, 5).

import { atLeast, stableAtLeast, type Release } from './release.js';

/**
 * Every axis on which the replayed code differs between releases. Each is decided on its own from
 * VERSION, PATCHLEVEL and SUBLEVEL, because stable branches took some changes and not others: 6.1.157
 * has the 6.3 flag model and the 6.18 HIGHATOMIC rule but still subtracts nr_reserved_highatomic, a
 * combination no single "generation" names (kernel.md 1a, "Choosing the rules for a release").
 */
export interface Rules {
  /** Axis 1. legacy-loop: the per-order loop (<= 4.3); any-list: order-0 test plus a block, ALLOC_HARDER takes any list (4.4-4.14.0); strict-lists: the lists the request may use (4.15+, M4). */
  algorithm: 'legacy-loop' | 'any-list' | 'strict-lists';
  /** Axis 2. legacy: ALLOC_HIGH/ALLOC_HARDER; min-reserve: ALLOC_MIN_RESERVE/NON_BLOCK/HIGHATOMIC (6.3, M6; 5.15.171+, 6.1.116+). */
  flags: 'legacy' | 'min-reserve';
  /** Who gets ALLOC_HARDER in the legacy model: a caller that cannot sleep (<= 4.3) or one with __GFP_ATOMIC (4.4-6.2). */
  harderFrom: 'cannot-sleep' | 'gfp-atomic' | 'none';
  /** ALLOC_OOM exists (4.14, cd04ae1e2dc8, M21). */
  allocOom: boolean;
  /** __GFP_NOMEMALLOC withholds ALLOC_HARDER from a caller that cannot sleep (2.6.38, M20). */
  nomemallocNoHarder: boolean;
  /** A __GFP_NO_KSWAPD (THP) caller counts as able to sleep (3.16, late 3.10.y; M20). */
  noKswapdSleeps: boolean;
  /** Axis 3. The highatomic term left out of free for unprivileged callers. */
  highatomic: 'none' | 'reserved' | 'free';
  /** Axis 4. Who gets ALLOC_HIGHATOMIC in the 6.3 model: any non-blocking order > 0 request, or only one with MIN_RESERVE too (M14). */
  highatomicFlag: 'none' | 'non-blocking' | 'with-min-reserve';
  /** Axis 5. free-count: CMA taken off free for every step (3.7-3.9); order0-test: off the order-0 test only (3.10-4.3, M19); order0-and-lists (4.4+). */
  cma: 'none' | 'free-count' | 'order0-test' | 'order0-and-lists';
  /** Axis 6. The lowmem_reserve[] index: the preferred zone's (classzone_idx, <= 5.7) or gfp_zone() (5.8+, 3334a45). */
  reserveIndex: 'preferred' | 'highest';
  /** Axis 7. zone_watermark_fast's order-0 shortcut (4.7) and its highatomic term (5.9, clamped at 0 from 6.1). */
  fastShortcut: 'none' | 'plain' | 'highatomic' | 'highatomic-clamped';
  /**
   * After the check passes, rmqueue lets an order-0 non-blocking request (and ALLOC_OOM) take a page from a
   * HighAtomic block when nothing else is free (281dd25c1a01: 6.12, and 5.15.171, 6.1.116, 6.6.60, 6.11.7).
   */
  rmqueueHighatomic: boolean;
  /** watermark_boost is part of every mark (5.0). */
  boost: boolean;
  /** Atomic order-0 requests retry MIN without the boost (5.9, f80b08fc4453). */
  boostRetry: boolean;
  /** NR_UNACCEPTED is unusable (6.5-6.10; TDX/SNP guests only). */
  unaccepted: boolean;
  /** ALLOC_NOFRAGMENT takes effect (5.1, a274182f2638): zone order and fallback only. */
  nofragment: boolean;
  /** ALLOC_FAIR on the fast path (3.16-4.7). */
  fair: boolean;
  /** When the fast path sets ALLOC_CPUSET: always (<= 4.6), with cpusets enabled (4.7-4.11), and a caller nodemask too (4.12+). */
  fastCpuset: 'always' | 'if-cpusets' | 'if-cpusets-and-nodemask';
  /** The migratetype letters of the report's free-area lines: none (< 3.8), U E M R C I (3.8-4.3), U M E H C I (4.4+). */
  letters: 'none' | 'UEMRCI' | 'UMEHCI';
  /** compaction_suitable's era (kernel.md 4.2): none before 2.6.35, A, B (3.19), C (4.9), D (6.14), E (6.15). */
  compaction: 'none' | 'A' | 'B' | 'C' | 'D' | 'E';
  /** The gfp test before direct compaction (kernel.md 4.1). */
  compactionGate: 'none' | 'costly-fs-io' | 'order-fs-io' | 'fs-io' | 'io';
  /** should_reclaim_retry and compaction_zonelist_suitable exist (4.7). */
  reclaimRetry: boolean;
  /** Proactive compaction thresholds (kernel.md 4.4): none before 5.9, the 5.9 formula, the ~6.16 one (M27). */
  proactive: 'none' | '5.9' | '6.16';
  /** The zone size the marks and reserves are computed from: present pages (<= 3.8) or managed (3.9+). */
  watermarkSize: 'present' | 'managed';
  /** vm.watermark_scale_factor sets the low/high step (4.6, M25). */
  scaleFactor: boolean;
  /** A Movable zone's min is clamped like HighMem's (6.6, M25). */
  movableLikeHighmem: boolean;
  /** The ceiling of the computed min_free_kbytes: 65536 (<= 5.6) or 262144 (5.7, M25). */
  minFreeMax: 65536 | 262144;
  /** setup_per_zone_lowmem_reserve's era (kernel.md 5.3). */
  lowmemReserve: 'ratio-at-least-1' | 'ratio-0-none' | 'skip-empty-lower' | 'managed-upper' | 'empty-upper-zero';
  /** Which zones set_recommended_min_free_kbytes counts (kernel.md 5.1): every populated zone, or only those up to Normal (4.17, M25). */
  thpRecommendedZones: 'populated' | 'lowmem-populated';
}

export type RuleName = keyof Rules;

/** The values each axis may take, for --rules and for checking it. */
export const RULE_VALUES: { readonly [K in RuleName]: readonly Rules[K][] } = {
  algorithm: ['legacy-loop', 'any-list', 'strict-lists'],
  flags: ['legacy', 'min-reserve'],
  harderFrom: ['cannot-sleep', 'gfp-atomic', 'none'],
  allocOom: [false, true],
  nomemallocNoHarder: [false, true],
  noKswapdSleeps: [false, true],
  highatomic: ['none', 'reserved', 'free'],
  highatomicFlag: ['none', 'non-blocking', 'with-min-reserve'],
  cma: ['none', 'free-count', 'order0-test', 'order0-and-lists'],
  reserveIndex: ['preferred', 'highest'],
  fastShortcut: ['none', 'plain', 'highatomic', 'highatomic-clamped'],
  rmqueueHighatomic: [false, true],
  boost: [false, true],
  boostRetry: [false, true],
  unaccepted: [false, true],
  nofragment: [false, true],
  fair: [false, true],
  fastCpuset: ['always', 'if-cpusets', 'if-cpusets-and-nodemask'],
  letters: ['none', 'UEMRCI', 'UMEHCI'],
  compaction: ['none', 'A', 'B', 'C', 'D', 'E'],
  compactionGate: ['none', 'costly-fs-io', 'order-fs-io', 'fs-io', 'io'],
  reclaimRetry: [false, true],
  proactive: ['none', '5.9', '6.16'],
  watermarkSize: ['present', 'managed'],
  scaleFactor: [false, true],
  movableLikeHighmem: [false, true],
  minFreeMax: [65536, 262144],
  lowmemReserve: ['ratio-at-least-1', 'ratio-0-none', 'skip-empty-lower', 'managed-upper', 'empty-upper-zero'],
  thpRecommendedZones: ['populated', 'lowmem-populated'],
};

export const RULE_NAMES = Object.keys(RULE_VALUES) as RuleName[];

/** An axis value with the reason it was chosen ("6.1.116+: the 6.3 flag model reached 6.1.y (M23)"). */
type Decision<T> = readonly [T, string];

/** A list of [condition, value, reason], newest first; the first that holds decides. */
function pick<T>(r: Release, table: readonly (readonly [(r: Release) => boolean, T, string])[], fallback: Decision<T>): Decision<T> {
  for (const [when, value, why] of table) if (when(r)) return [value, why];
  return fallback;
}

const since = (v: string) => (r: Release) => atLeast(r, v);
const stable = (branch: string, sublevel: number) => (r: Release) => stableAtLeast(r, branch, sublevel);
const between = (from: string, before: string) => (r: Release) => atLeast(r, from) && !atLeast(r, before);

/** An axis kept as a fact of the release that the replay does not use: its reason says why. */
function unreplayed<T>([value, why]: Decision<T>, because: string): Decision<T> {
  return [value, `${why}; not replayed: ${because}`];
}

/** Each axis as kernel.md states it; the reasons cite the boundary that decided. */
const AXES: { readonly [K in RuleName]: (r: Release) => Decision<Rules[K]> } = {
  algorithm: (r) =>
    pick(
      r,
      [
        [since('4.15'), 'strict-lists', '4.15+ (M4, "fix potential false positive in __zone_watermark_ok")'],
        // No stable mail for M4 was found; release trees bracket it: 4.14.8 without, 4.14.24 with; 4.9.74
        // without, 4.9.80 with; 4.4.155 with (no earlier 4.4.y tree read).
        [stable('4.14', 24), 'strict-lists', '4.14.24+ has the M4 fix (4.14.9-4.14.23 unconfirmed)'],
        [stable('4.9', 80), 'strict-lists', '4.9.80+ has the M4 fix (4.9.75-4.9.79 unconfirmed)'],
        [stable('4.4', 155), 'strict-lists', '4.4.155+ has the M4 fix (the earliest 4.4.y with it is unconfirmed)'],
        [since('4.4'), 'any-list', '4.4-4.14: order-0 test plus one block, ALLOC_HARDER takes any list (97a16fc82a7c)'],
      ],
      ['legacy-loop', 'up to 4.3: the per-order loop'],
    ),
  flags: (r) =>
    pick(
      r,
      [
        [since('6.3'), 'min-reserve', '6.3+ (M6)'],
        [stable('6.1', 116), 'min-reserve', '6.1.116+: the 6.3 flag model was backported (M23)'],
        [stable('5.15', 171), 'min-reserve', '5.15.171+: the 6.3 flag model was backported (M23)'],
      ],
      ['legacy', 'up to 6.2 (and 5.15.y before .171, 6.1.y before .116): ALLOC_HIGH and ALLOC_HARDER'],
    ),
  harderFrom: (r) => {
    if (AXES.flags(r)[0] === 'min-reserve') return ['none', 'the 6.3 flag model has no ALLOC_HARDER'];
    return pick(
      r,
      [[since('4.4'), 'gfp-atomic', '4.4-6.2: __GFP_ATOMIC, unless __GFP_NOMEMALLOC']],
      ['cannot-sleep', 'up to 4.3: a caller that cannot sleep (!__GFP_WAIT)'],
    );
  },
  allocOom: (r) => pick(r, [[since('4.14'), true, '4.14+ (cd04ae1e2dc8, M21)']], [false, 'before 4.14']),
  nomemallocNoHarder: (r) => pick(r, [[since('2.6.38'), true, '2.6.38+ (M20)']], [false, 'before 2.6.38']),
  noKswapdSleeps: (r) =>
    pick(
      r,
      [
        [since('4.4'), false, '4.4+: __GFP_NO_KSWAPD is gone'],
        [since('3.16'), true, '3.16-4.3 (M20)'],
        [stable('3.10', 105), true, '3.10.105 has it (M20; the 3.10.y sublevel that took it is not known)'],
      ],
      [false, 'before 3.16 (M20)'],
    ),
  highatomic: (r) =>
    pick(
      r,
      [
        [since('6.12'), 'free', '6.12+: nr_free_highatomic (c928807f6f6b, M7)'],
        [since('4.4'), 'reserved', '4.4-6.11: nr_reserved_highatomic (0aaa29a)'],
      ],
      ['none', 'up to 4.3: no MIGRATE_HIGHATOMIC'],
    ),
  highatomicFlag: (r) => {
    if (AXES.flags(r)[0] === 'legacy') return ['none', 'the legacy flag model has no ALLOC_HIGHATOMIC'];
    return pick(
      r,
      [
        [since('6.18'), 'with-min-reserve', '6.18+ (6a204d4b14c9, M14)'],
        [stable('6.17', 4), 'with-min-reserve', '6.17.4+: the 2025-10-17 stable batch (M24; the 6.17.y sublevel is inferred)'],
        [stable('6.12', 54), 'with-min-reserve', '6.12.54+ (M24)'],
        [stable('6.6', 113), 'with-min-reserve', '6.6.113+ (the "Linux 6.6.113" announcement, 2025-10-19)'],
        [stable('6.1', 157), 'with-min-reserve', '6.1.157+ (M24)'],
        [stable('5.15', 195), 'with-min-reserve', '5.15.195+ (M24)'],
      ],
      ['non-blocking', '6.3 model before M14: every non-blocking order > 0 request'],
    );
  },
  cma: (r) =>
    pick(
      r,
      [
        [since('4.4'), 'order0-and-lists', '4.4+'],
        [since('3.10'), 'order0-test', '3.10-4.3 (026b08147923, M19)'],
        [since('3.7'), 'free-count', '3.7-3.9 (d95ea5d18e69)'],
      ],
      ['none', 'up to 3.6: no CMA accounting'],
    ),
  reserveIndex: (r) =>
    pick(r, [[since('5.8'), 'highest', '5.8+ (3334a45)']], ['preferred', 'up to 5.7: classzone_idx, the preferred zone']),
  fastShortcut: (r) =>
    pick(
      r,
      [
        [since('6.1'), 'highatomic-clamped', '6.1+ (9282012)'],
        [since('5.9'), 'highatomic', '5.9+ (f27ce0e14088, M5)'],
        [since('4.7'), 'plain', '4.7+ (48ee5f3696f6)'],
      ],
      ['none', 'before 4.7'],
    ),
  rmqueueHighatomic: (r) =>
    unreplayed(
      pick(
        r,
        [
          [since('6.12'), true, '6.12+ (281dd25c1a01, M23)'],
          [stable('6.11', 7), true, '6.11.7+ (M23)'],
          [stable('6.6', 60), true, '6.6.60+ (M23)'],
          [stable('6.1', 116), true, '6.1.116+ (M23)'],
          [stable('5.15', 171), true, '5.15.171+ (M23)'],
        ],
        [false, 'before 281dd25c1a01 reached the branch'],
      ),
      'it decides where rmqueue takes the page once the watermark test has passed',
    ),
  boost: (r) => pick(r, [[since('5.0'), true, '5.0+']], [false, 'before 5.0']),
  boostRetry: (r) => pick(r, [[since('5.9'), true, '5.9+ (f80b08fc4453)']], [false, 'before 5.9']),
  unaccepted: (r) =>
    unreplayed(
      pick(
        r,
        [
          // M8 (Cc stable 6.5+) removed the term; 6.6.9 has it, 6.6.80 does not: the sublevel between is not pinned.
          [stable('6.6', 80), false, '6.6.80+ (M8 reached 6.6.y by .80; the exact sublevel is not pinned)'],
          [between('6.5', '6.11'), true, '6.5-6.10 (removed by M8, Cc stable)'],
        ],
        [false, 'not 6.5-6.10'],
      ),
      'buddyinfo and zoneinfo give no NR_UNACCEPTED, and only TDX/SEV-SNP guests have it',
    ),
  nofragment: (r) =>
    unreplayed(
      pick(r, [[since('5.1'), true, '5.1+ (a274182f2638, M22)']], [false, 'before 5.1 (5.0 never sets it)']),
      'it decides which node and which fallback lists serve, not the watermark test',
    ),
  fair: (r) => pick(r, [[between('3.16', '4.8'), true, '3.16-4.7']], [false, 'not 3.16-4.7']),
  fastCpuset: (r) =>
    pick(
      r,
      [
        [since('4.12'), 'if-cpusets-and-nodemask', '4.12+ (prepare_alloc_pages)'],
        [since('4.7'), 'if-cpusets', '4.7-4.11'],
      ],
      ['always', 'up to 4.6'],
    ),
  letters: (r) =>
    pick(
      r,
      [
        [since('4.4'), 'UMEHCI', '4.4+'],
        [since('3.8'), 'UEMRCI', '3.8-4.3 (M11)'],
      ],
      ['none', 'before 3.8'],
    ),
  compaction: (r) =>
    pick(
      r,
      [
        [since('6.15'), 'E', '6.15+ (M28)'],
        [since('6.14'), 'D', '6.14'],
        [since('4.9'), 'C', '4.9-6.13'],
        [since('3.19'), 'B', '3.19-4.8'],
        [since('2.6.35'), 'A', '2.6.35-3.18'],
      ],
      ['none', 'before 2.6.35: no compaction'],
    ),
  compactionGate: (r) =>
    pick(
      r,
      [
        [since('4.10'), 'io', '4.10+: __GFP_IO'],
        [since('4.8'), 'fs-io', '4.8-4.9: __GFP_FS and __GFP_IO'],
        [since('2.6.38'), 'order-fs-io', '2.6.38-4.7: order > 0, __GFP_FS and __GFP_IO'],
        [since('2.6.35'), 'costly-fs-io', '2.6.35-2.6.37: order > 3, __GFP_FS and __GFP_IO'],
      ],
      ['none', 'before 2.6.35: no compaction'],
    ),
  reclaimRetry: (r) => pick(r, [[since('4.7'), true, '4.7+ (should_reclaim_retry)']], [false, 'before 4.7']),
  proactive: (r) =>
    pick(
      r,
      [
        [since('6.16'), '6.16', '~6.16+ (M27)'],
        [since('5.9'), '5.9', '5.9-6.15'],
      ],
      ['none', 'before 5.9'],
    ),
  watermarkSize: (r) => pick(r, [[since('3.9'), 'managed', '3.9+']], ['present', 'up to 3.8: present pages']),
  scaleFactor: (r) => pick(r, [[since('4.6'), true, '4.6+ (795ae7a0de6b, M25)']], [false, 'before 4.6']),
  movableLikeHighmem: (r) => pick(r, [[since('6.6'), true, '6.6+ (M25)']], [false, 'before 6.6']),
  minFreeMax: (r) => pick(r, [[since('5.7'), 262144, '5.7+ (M25)']], [65536, 'up to 5.6']),
  lowmemReserve: (r) =>
    pick(
      r,
      [
        [since('6.14'), 'managed-upper', '6.14+ (the M26 revert)'],
        [stable('6.13', 7), 'managed-upper', '6.13.7+ (the M26 revert reached stable on 2025-03-13)'],
        [stable('6.12', 19), 'managed-upper', '6.12.19+ (the M26 revert reached stable on 2025-03-13)'],
        [since('6.10'), 'empty-upper-zero', '6.10-6.13 (96a5c186efff, M26), up to 6.12.18 and 6.13.6'],
        [since('5.11'), 'managed-upper', '5.11+'],
        [stable('5.10', 50), 'managed-upper', '5.10.50+ (the 5.11 form reached stable, "[PATCH 5.10 297/593]")'],
        [since('5.8'), 'skip-empty-lower', '5.8-5.10'],
        [since('4.17'), 'ratio-0-none', '4.17-5.7'],
      ],
      ['ratio-at-least-1', 'up to 4.16'],
    ),
  thpRecommendedZones: (r) =>
    pick(
      r,
      [[since('4.17'), 'lowmem-populated', '4.17+: only populated zones up to Normal (M25, kernel.md 5.1)']],
      ['populated', 'up to 4.16: every populated zone (kernel.md 5.1)'],
    ),
};

/** The rules of an upstream release, and why each axis has its value. */
export function rulesOf(r: Release): { rules: Rules; from: Record<RuleName, string> } {
  const rules = {} as Record<RuleName, unknown>;
  const from = {} as Record<RuleName, string>;
  for (const name of RULE_NAMES) {
    const [value, why] = AXES[name](r);
    rules[name] = value;
    from[name] = why;
  }
  return { rules: rules as unknown as Rules, from };
}
