// Tests for the per-axis rules of a release: every boundary of kernel.md 1a, "Choosing the rules for a
// release", pinned on both sides, and the sublevel/distribution handling.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../src/kernel/release.js';
import { RULE_NAMES, RULE_VALUES, rulesOf, type RuleName, type Rules } from '../../src/kernel/rules.js';
import { rules } from '../helpers/kernel.js';

/** One axis on each side of a boundary: [axis, release A, release B, value at A, value at B]. */
type Boundary = [RuleName, string, string, Rules[RuleName], Rules[RuleName]];

const BOUNDARIES: Boundary[] = [
  // Axis 2, flag model: the M6 series was backported whole to 5.15.171 and 6.1.116 (M23).
  ['flags', '5.15.170', '5.15.171', 'legacy', 'min-reserve'],
  ['flags', '6.1.115', '6.1.116', 'legacy', 'min-reserve'],
  ['flags', '6.2', '6.3', 'legacy', 'min-reserve'],
  // Who gets ALLOC_HARDER follows the flag model: none in the 6.3 model.
  ['harderFrom', '5.15.170', '5.15.171', 'gfp-atomic', 'none'],
  ['harderFrom', '6.1.115', '6.1.116', 'gfp-atomic', 'none'],
  ['harderFrom', '4.3', '4.4', 'cannot-sleep', 'gfp-atomic'],
  // Axis 4, the HIGHATOMIC-needs-MIN_RESERVE rule (M14) reached the stable branches with M24.
  ['highatomicFlag', '6.1.115', '6.1.116', 'none', 'non-blocking'],
  ['highatomicFlag', '6.1.156', '6.1.157', 'non-blocking', 'with-min-reserve'],
  ['highatomicFlag', '5.15.170', '5.15.171', 'none', 'non-blocking'],
  ['highatomicFlag', '5.15.194', '5.15.195', 'non-blocking', 'with-min-reserve'],
  ['highatomicFlag', '6.12.53', '6.12.54', 'non-blocking', 'with-min-reserve'],
  ['highatomicFlag', '6.17', '6.18', 'non-blocking', 'with-min-reserve'],
  // Axis 5, CMA: none up to 3.6, taken off free for every loop step in 3.7-3.9, the order-0 test only in
  // 3.10-4.3 (026b08147923, M19), order-0 test plus lists from 4.4.
  ['cma', '3.6', '3.7', 'none', 'free-count'],
  ['cma', '3.9', '3.10', 'free-count', 'order0-test'],
  ['cma', '4.3', '4.4', 'order0-test', 'order0-and-lists'],
  // Axis 1, algorithm: the loop up to 4.3 (97a16fc82a7c), any-list 4.4-4.14.0, strict from 4.15 (M4).
  ['algorithm', '4.3', '4.4', 'legacy-loop', 'any-list'],
  // M4 in stable: no mail found; release trees bracket it (4.14.8 without, 4.14.24 with; 4.9.74 without,
  // 4.9.80 with; 4.4.155 with): the first sublevel known to have it is the boundary.
  ['algorithm', '4.14.23', '4.14.24', 'any-list', 'strict-lists'],
  ['algorithm', '4.4.154', '4.4.155', 'any-list', 'strict-lists'],
  ['algorithm', '4.14', '4.15', 'any-list', 'strict-lists'],
  ['algorithm', '4.9.79', '4.9.80', 'any-list', 'strict-lists'],
  // M14 in 6.6.y: the "Linux 6.6.113" announcement (2025-10-19) lists it
  ['highatomicFlag', '6.6.112', '6.6.113', 'non-blocking', 'with-min-reserve'],
  // the M26 revert reached 6.12.19 and 6.13.7 (2025-03-13); the 5.11 reserve form reached 5.10.50
  ['lowmemReserve', '6.12.18', '6.12.19', 'empty-upper-zero', 'managed-upper'],
  ['lowmemReserve', '6.13.6', '6.13.7', 'empty-upper-zero', 'managed-upper'],
  ['lowmemReserve', '5.10.49', '5.10.50', 'skip-empty-lower', 'managed-upper'],
  // set_recommended_min_free_kbytes counts only zones up to Normal from 4.17 (M25, kernel.md 5.1)
  ['thpRecommendedZones', '4.16', '4.17', 'populated', 'lowmem-populated'],
  // 281dd25c1a01 (rmqueue's HighAtomic fallback) in stable: 5.15.171, 6.1.116, 6.6.60, 6.11.7 (M23)
  ['rmqueueHighatomic', '6.6.59', '6.6.60', false, true],
  ['rmqueueHighatomic', '6.11.6', '6.11.7', false, true],
  // Axis 3, the highatomic term: none before MIGRATE_HIGHATOMIC (4.4), nr_free_highatomic from 6.12 (M7).
  ['highatomic', '4.3', '4.4', 'none', 'reserved'],
  ['highatomic', '6.11', '6.12', 'reserved', 'free'],
  // Migratetype letters: R (Reserve) up to 4.3, H (HighAtomic) from 4.4.
  ['letters', '4.3', '4.4', 'UEMRCI', 'UMEHCI'],
  ['letters', '3.7', '3.8', 'none', 'UEMRCI'],
  // Fast path (kernel.md 1b): ALLOC_CPUSET unconditional up to 4.6; zone_watermark_fast from 4.7 (48ee5f3696f6).
  ['fastCpuset', '4.6', '4.7', 'always', 'if-cpusets'],
  ['fastCpuset', '4.11', '4.12', 'if-cpusets', 'if-cpusets-and-nodemask'],
  ['fastShortcut', '4.6', '4.7', 'none', 'plain'],
  ['fastShortcut', '5.8', '5.9', 'plain', 'highatomic'],
  ['fastShortcut', '6.0', '6.1', 'highatomic', 'highatomic-clamped'],
  // ALLOC_FAIR exists 3.16-4.7 (present in 3.16.0 and 4.7.4, absent in 3.14.1 and 4.8.15).
  ['fair', '3.15', '3.16', false, true],
  ['fair', '4.8', '4.7', false, true],
  // ALLOC_OOM arrives in 4.14 (cd04ae1e2dc8, M21).
  ['allocOom', '4.13', '4.14', false, true],
  // ALLOC_NOFRAGMENT is effective from 5.1: 5.0 computes the condition but never sets the flag (M22).
  ['nofragment', '5.0', '5.1', false, true],
  // Axis 6: classzone_idx (the preferred zone) up to 5.7, gfp_zone() from 5.8 (3334a45).
  ['reserveIndex', '5.7', '5.8', 'preferred', 'highest'],
  ['reserveIndex', '5.7.19', '5.8.0', 'preferred', 'highest'],
  // __GFP_NOMEMALLOC withholds ALLOC_HARDER from 2.6.38 (M20): 2.6.32 and 2.6.37 still give it.
  ['nomemallocNoHarder', '2.6.37', '2.6.38', false, true],
  ['nomemallocNoHarder', '2.6.32.69', '2.6.38', false, true],
  // A __GFP_NO_KSWAPD caller counts as sleeping: absent in 3.14.1 and 3.10.4, present in 3.16.0 and
  // 3.10.105 (M20); __GFP_NO_KSWAPD itself is gone in 4.4.
  ['noKswapdSleeps', '3.15', '3.16', false, true],
  ['noKswapdSleeps', '3.10.4', '3.10.105', false, true],
  ['noKswapdSleeps', '4.4', '4.3', false, true],
  // watermark_boost in every mark from 5.0; the boost retry from 5.9 (f80b08fc4453).
  ['boost', '4.20', '5.0', false, true],
  ['boostRetry', '5.8', '5.9', false, true],
  // NR_UNACCEPTED subtracted 6.5-6.10 (M8).
  ['unaccepted', '6.4', '6.5', false, true],
  ['unaccepted', '6.11', '6.10', false, true],
  // 6.6.9 still subtracts it, 6.6.80 does not (kernel.md 1a axis 7, S34).
  ['unaccepted', '6.6.80', '6.6.9', false, true],
  // compaction_suitable's eras (kernel.md 4.2): A from 2.6.35, B from 3.19, C from 4.9, D 6.14, E from 6.15.
  ['compaction', '2.6.34', '2.6.35', 'none', 'A'],
  ['compaction', '3.18', '3.19', 'A', 'B'],
  ['compaction', '4.8', '4.9', 'B', 'C'],
  ['compaction', '6.13', '6.14', 'C', 'D'],
  ['compaction', '6.14', '6.15', 'D', 'E'],
  // try_to_compact_pages' gfp test (kernel.md 4.1).
  ['compactionGate', '2.6.37', '2.6.38', 'costly-fs-io', 'order-fs-io'],
  ['compactionGate', '4.7', '4.8', 'order-fs-io', 'fs-io'],
  ['compactionGate', '4.9', '4.10', 'fs-io', 'io'],
  ['reclaimRetry', '4.6', '4.7', false, true],
  // proactive compaction (kernel.md 4.4): from 5.9, the ~6.16 thresholds (M27)
  ['proactive', '5.8', '5.9', 'none', '5.9'],
  ['proactive', '6.15', '6.16', '5.9', '6.16'],
  // watermark setup (kernel.md 5.2): present pages up to 3.8, watermark_scale_factor from 4.6, the
  // min_free_kbytes ceiling 262144 from 5.7, Movable like HighMem from 6.6 (M25)
  ['watermarkSize', '3.8', '3.9', 'present', 'managed'],
  ['scaleFactor', '4.5', '4.6', false, true],
  ['minFreeMax', '5.6', '5.7', 65536, 262144],
  ['movableLikeHighmem', '6.5', '6.6', false, true],
  // setup_per_zone_lowmem_reserve (kernel.md 5.3)
  ['lowmemReserve', '4.16', '4.17', 'ratio-at-least-1', 'ratio-0-none'],
  ['lowmemReserve', '5.7', '5.8', 'ratio-0-none', 'skip-empty-lower'],
  ['lowmemReserve', '5.10', '5.11', 'skip-empty-lower', 'managed-upper'],
  ['lowmemReserve', '6.9', '6.10', 'managed-upper', 'empty-upper-zero'],
  ['lowmemReserve', '6.13', '6.14', 'empty-upper-zero', 'managed-upper'],
  ['rmqueueHighatomic', '6.11', '6.12', false, true],
  ['rmqueueHighatomic', '5.15.170', '5.15.171', false, true],
  ['rmqueueHighatomic', '6.1.115', '6.1.116', false, true],
];

describe('each axis on both sides of its boundary (kernel.md 1a, "Choosing the rules for a release")', () => {
  it.each(BOUNDARIES)('%s: %s -> %j, %s -> %j', (axis, before, after, valueBefore, valueAfter) => {
    expect(rules(before)[axis]).toBe(valueBefore);
    expect(rules(after)[axis]).toBe(valueAfter);
  });

  it('4.14.0 keeps the any-list shortcut (M4 reached 4.14.y later); 4.14.23 is still before the known good sublevel', () => {
    expect(rules('4.14.0').algorithm).toBe('any-list');
    expect(rules('4.14.23').algorithm).toBe('any-list');
    expect(rules('4.14.177').algorithm).toBe('strict-lists');
  });

  it('a later series never falls back: 4.15.0 is strict whatever its sublevel, 6.2.16 legacy, 6.3.0 6.3 model', () => {
    expect(rules('4.15.0').algorithm).toBe('strict-lists');
    expect(rules('6.2.16').flags).toBe('legacy');
    expect(rules('6.3.0').flags).toBe('min-reserve');
    // 5.10.y got no backport of M6 (M23 lists 5.15.171 and 6.1.116 only).
    expect(rules('5.10.230').flags).toBe('legacy');
  });

  it('6.6.y took M14 at 6.6.113; 6.6.80 predates it', () => {
    expect(rules('6.6.80').highatomicFlag).toBe('non-blocking');
    expect(rules('6.6.200').highatomicFlag).toBe('with-min-reserve');
    // 6.8.y, 6.13.y and 6.14.y reached end of life before the fix.
    expect(rules('6.8.12').highatomicFlag).toBe('non-blocking');
    expect(rules('6.13.12').highatomicFlag).toBe('non-blocking');
  });

  it('the legacy flag model has no ALLOC_HIGHATOMIC rule at all', () => {
    for (const v of ['4.4', '5.10', '5.15.170', '6.1.115', '6.2']) expect(rules(v).highatomicFlag).toBe('none');
  });

  it('the highatomic term stays nr_reserved_highatomic in the late LTS sublevels (6.1.119, 6.6.80, 6.11.11)', () => {
    for (const v of ['5.15.195', '6.1.119', '6.1.157', '6.6.80', '6.11.11']) expect(rules(v).highatomic).toBe('reserved');
  });
});

describe('6.1.157: a combination no single generation named (kernel.md 1a)', () => {
  it('6.3 flags + nr_reserved_highatomic + the HIGHATOMIC rule', () => {
    const r = rules('6.1.157');
    expect([r.flags, r.highatomic, r.highatomicFlag]).toEqual(['min-reserve', 'reserved', 'with-min-reserve']);
    // and, as every 6.1, the strict scan, the 4.4 CMA rule and gfp_zone() as the reserve index
    expect([r.algorithm, r.cma, r.reserveIndex, r.allocOom, r.harderFrom]).toEqual([
      'strict-lists',
      'order0-and-lists',
      'highest',
      true,
      'none',
    ]);
  });

  it('says which boundary decided each of those axes', () => {
    const { from } = rulesOf(parseRelease('6.1.157'));
    expect(from.flags).toMatch(/6\.1\.116/);
    expect(from.highatomicFlag).toMatch(/6\.1\.157/);
    expect(from.highatomic).toMatch(/4\.4-6\.11/);
  });
});

describe('distribution strings ignore the sublevel (kernel.md 1a, "Distribution kernels")', () => {
  it.each([
    ['6.1.0-40-amd64', '6.1'],
    ['5.14.0-427.el9.x86_64', '5.14'],
    ['4.18.0-513.el8', '4.18'],
    ['3.10.0-1160.45.1.el7.x86_64', '3.10'],
    ['2.6.32-431.el6.x86_64', '2.6.32'],
    ['5.15.0-200-generic', '5.15'],
    ['6.6.119-09226-gd21866c9e0f4', '6.6'],
    ['6.12.58-android16-6', '6.12'],
  ])('%s replays the upstream rules of %s', (distro, base) => {
    expect(rules(distro)).toEqual(rules(base));
  });

  it('so 6.1.0-40-amd64 keeps the legacy flags although Debian ships it with 6.1.153', () => {
    expect(rules('6.1.0-40-amd64').flags).toBe('legacy');
    expect(rules('6.1.153').flags).toBe('min-reserve');
  });

  it('an Ubuntu "-200" is not a stable sublevel: 5.15.0-200-generic is not 5.15.200', () => {
    expect(rules('5.15.0-200-generic').flags).toBe('legacy');
    expect(rules('5.15.200').flags).toBe('min-reserve');
  });

  it('late 3.10.y RHEL kernels are not read as 3.10.105 for the __GFP_NO_KSWAPD exclusion', () => {
    expect(rules('3.10.0-1160.el7').noKswapdSleeps).toBe(false);
  });

  it('a plain upstream string with -rcN or a trailing + keeps its sublevel', () => {
    expect(rules('6.1.116+').flags).toBe('min-reserve');
    expect(rules('4.14.177+').algorithm).toBe('strict-lists');
  });
});

describe('every release string maps to a complete rule set (property)', () => {
  /** Series from 2.6.32 to 6.18, as [major, minor(, 2.6's patch)]. */
  const series = fc.oneof(
    fc.integer({ min: 32, max: 39 }).map((p) => `2.6.${p}`),
    fc.integer({ min: 0, max: 19 }).map((m) => `3.${m}`),
    fc.integer({ min: 0, max: 20 }).map((m) => `4.${m}`),
    fc.integer({ min: 0, max: 19 }).map((m) => `5.${m}`),
    fc.integer({ min: 0, max: 18 }).map((m) => `6.${m}`),
  );
  const suffix = fc.constantFrom(
    '',
    '+',
    '-rc3',
    '-1160.45.1.el7.x86_64',
    '-40-amd64',
    '-91-generic',
    '-09226-gd21866c9e0f4',
    '-android14-11',
    '.x86_64',
  );
  const release = fc
    .record({ series, sublevel: fc.option(fc.integer({ min: 0, max: 400 })), suffix })
    .map(({ series: s, sublevel, suffix: x }) => `${s}${sublevel === null ? '' : `.${sublevel}`}${x}`);

  it('has every axis, each with a value RULE_VALUES lists', () => {
    fc.assert(
      fc.property(release, (text) => {
        const { rules: r, from } = rulesOf(parseRelease(text));
        expect(Object.keys(r).sort()).toEqual([...RULE_NAMES].sort());
        for (const axis of RULE_NAMES) {
          expect(RULE_VALUES[axis] as readonly unknown[]).toContain(r[axis]);
          expect(from[axis]).toMatch(/\S/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a distribution suffix gives the rules of the series itself', () => {
    const distro = fc.constantFrom('-1160.45.1.el7.x86_64', '-40-amd64', '-91-generic', '-09226-gd21866c9e0f4');
    fc.assert(
      fc.property(series, fc.integer({ min: 0, max: 400 }), distro, (s, sublevel, x) => {
        expect(rulesOf(parseRelease(`${s}.${sublevel}${x}`)).rules).toEqual(rulesOf(parseRelease(s)).rules);
      }),
      { numRuns: 500 },
    );
  });

  it('the legacy flag model never carries a HIGHATOMIC rule, and the 6.3 model never an ALLOC_HARDER source', () => {
    fc.assert(
      fc.property(release, (text) => {
        const r = rulesOf(parseRelease(text)).rules;
        if (r.flags === 'legacy') expect(r.highatomicFlag).toBe('none');
        else expect([r.harderFrom, r.highatomicFlag === 'none']).toEqual(['none', false]);
        // the loop and the CMA/highatomic eras agree: the loop has no highatomic term and no list rule
        if (r.algorithm === 'legacy-loop') expect([r.highatomic, r.cma === 'order0-and-lists']).toEqual(['none', false]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('axes kept as facts but not replayed say so', () => {
  it('unaccepted, nofragment and rmqueueHighatomic give their reason and why the replay leaves them out', () => {
    const { from } = rulesOf(parseRelease('6.6.9'));
    for (const a of ['unaccepted', 'nofragment', 'rmqueueHighatomic'] as const) expect(from[a]).toMatch(/; not replayed: /);
    expect(from.algorithm).not.toMatch(/not replayed/);
  });
});
