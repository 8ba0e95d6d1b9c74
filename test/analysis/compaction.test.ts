// compaction_suitable per era (kernel.md 4.1, 4.2) with the arithmetic of each test worked by hand.

import { describe, expect, it } from 'vitest';
import { allocFlags } from '../../src/analysis/alloc-flags.js';
import { compactionGate, thresholdOf, zoneCompaction, type CompactionZone } from '../../src/analysis/compaction.js';
import { gfpProfile } from '../../src/analysis/gfp-request.js';
import type { GfpRequest } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

const DEFAULT = { value: 500, source: 'default' };

/** Ten free order-8 blocks and nothing else: 2560 pages. */
const TEN_ORDER_8 = [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0];

function zone(over: Partial<CompactionZone> = {}): CompactionZone {
  return { nrFree: TEN_ORDER_8, freePages: 2560, min: 1000, low: 1250, reservePages: 0, freeCma: 0, highatomic: 0, okSlow: false, ...over };
}

function decide(release: string, order: number, z: CompactionZone, gfp: GfpRequest = gfpProfile('kernel'), threshold = DEFAULT) {
  const r = rules(release);
  return zoneCompaction(z, { rules: r, order, gfp, slowFlags: allocFlags(gfp, r, order), threshold });
}

describe('the issue: ten free order-8 blocks, order 9, min 1000, low 1250, 6.1 (era C)', () => {
  // FI(9) = 1000 - (1000 + 2560*1000/512) / 10 = 1000 - (1000 + 5000)/10 = 400.
  // Step 2: order 9 > 3, so low 1250 + compact_gap 2^10 = 1024 = 2274; 2560 > 2274: passes.
  it('skips the zone: the index 400 is at or below vm.extfrag_threshold 500 (lack of memory)', () => {
    expect(decide('6.1', 9, zone())).toEqual({
      decision: 'skipped-index',
      era: 'C',
      fragmentationIndex: 400,
      extfragThreshold: 500,
      thresholdSource: 'default',
      indexConsulted: true,
      order0: { freePages: 2560, unusablePages: 0, markPages: 2274, gapPages: 1024, reservePages: 0, ok: true },
    });
  });

  it('runs with vm.extfrag_threshold 399 (400 > 399), and is skipped at exactly 400', () => {
    expect(decide('6.1', 9, zone(), gfpProfile('kernel'), { value: 399, source: 'x' }).decision).toBe('runs');
    expect(decide('6.1', 9, zone(), gfpProfile('kernel'), { value: 400, source: 'x' }).decision).toBe('skipped-index');
  });

  it('is skipped for order-0 memory when low + gap is not below the free pages: 2274 vs 2274', () => {
    // free 2274 - 0 <= 2274 + reserve 0
    expect(decide('6.1', 9, zone({ freePages: 2274 }))).toMatchObject({ decision: 'skipped-order0', order0: { ok: false } });
    expect(decide('6.1', 9, zone({ freePages: 2275 })).decision).toBe('skipped-index');
  });

  it('is not needed when the slow path passes', () => {
    expect(decide('6.1', 9, zone({ okSlow: true })).decision).toBe('not-needed');
  });
});

describe('the index by era: every order before 4.9, only above order 3 from 4.9', () => {
  // Order 3 with ten order-2 blocks (40 pages) and 1000 order-0 pages: F = 1040, blocks 1010;
  // FI(3) = 1000 - (1000 + 1040*1000/8)/1010 = 1000 - (1000 + 130000)/1010 = 1000 - 129 = 871.
  // Eight order-1 blocks and 100 order-0: F = 116, blocks 108; FI(2) = 1000 - (1000 + 29000)/108 = 1000 - 277 = 723.
  const small = zone({ nrFree: [100, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0], freePages: 116, min: 10, low: 20 });
  it('order 2 on 4.8 (era B) consults the index: 723 > 500 runs, threshold 800 skips', () => {
    // era B: low 20 + gap 8 = 28 < 116
    expect(decide('4.8', 2, small)).toMatchObject({ decision: 'runs', era: 'B', fragmentationIndex: 723, indexConsulted: true });
    expect(decide('4.8', 2, small, gfpProfile('kernel'), { value: 800, source: 'x' }).decision).toBe('skipped-index');
  });

  it('order 2 on 4.9 (era C) does not: threshold 800 still runs, at min 10 + gap 8 = 18', () => {
    const d = decide('4.9', 2, small, gfpProfile('kernel'), { value: 800, source: 'x' });
    expect(d).toMatchObject({ decision: 'runs', era: 'C', indexConsulted: false, order0: { markPages: 18 } });
  });

  it('a negative index (one free block smaller than the request) never skips', () => {
    // one order-3 block: FI(4) = 1000 - (1000 + 8*1000/16)/1 = -500; step 2 (NR_FREE_PAGES 100 > low 1 + 32)
    const one = zone({ nrFree: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], freePages: 100, min: 1, low: 1 });
    expect(decide('6.1', 4, one)).toMatchObject({ decision: 'runs', fragmentationIndex: -500 });
  });
});

describe('step 2 per era (kernel.md 4.2)', () => {
  it('era A (3.10): low + gap, no reserve (classzone 0), free CMA out', () => {
    // low 1250 + gap 1024 = 2274; 2560 - 300 CMA = 2260 <= 2274 skipped; the request's reserve 5000 is not used
    const d = decide('3.10', 9, zone({ freeCma: 300, reservePages: 5000 }));
    expect(d).toMatchObject({ era: 'A', decision: 'skipped-order0', order0: { unusablePages: 300, reservePages: 0, markPages: 2274 } });
    expect(decide('3.10', 9, zone({ reservePages: 5000 })).decision).toBe('skipped-index');
  });

  it('era A uses low even at order 3, era C uses min: low 1250 + 16 vs min 1000 + 16', () => {
    const z = zone({ nrFree: [1200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], freePages: 1200 });
    expect(decide('3.18', 3, z).order0).toMatchObject({ markPages: 1266, ok: false });
    expect(decide('4.9', 3, z).order0).toMatchObject({ markPages: 1016, ok: true });
  });

  it('era B (4.4) takes the slow path flags: GFP_ATOMIC order 2 is not attempted, but step 2 is shown', () => {
    const d = decide('4.4', 2, zone(), gfpProfile('atomic'));
    expect(d).toMatchObject({ decision: 'not-attempted', era: 'B' });
    expect(d.why).toMatch(/cannot direct-reclaim/);
  });

  it('era C subtracts the highatomic term and counts free CMA (ALLOC_CMA only)', () => {
    // 6.1: 2560 - 400 highatomic = 2160 <= 2274; free CMA 300 is not taken off
    expect(decide('6.1', 9, zone({ highatomic: 400, freeCma: 300 })).order0).toMatchObject({ unusablePages: 400, ok: false });
  });

  it('era C adds the reserve: 2560 <= 2274 + 300', () => {
    expect(decide('6.1', 9, zone({ reservePages: 300 })).decision).toBe('skipped-order0');
  });

  it('6.14 tests the low mark, 6.15+ the request\'s own (min): 400 free CMA pages tell them apart', () => {
    // Without the CMA pages 2560 - 400 = 2160: 6.14.0's low 1250 + 1024 = 2274 skips the async pass, 6.18.2's
    // min 1000 + 1024 = 2024 does not (mm/compaction.c compaction_suit_allocation_order, both trees).
    const z = zone({ freeCma: 400 });
    const t = { value: 300, source: 'x' };
    expect(decide('6.14', 9, z, gfpProfile('kernel'), t)).toMatchObject({ decision: 'runs', era: 'D', asyncSkips: true });
    expect(decide('6.18', 9, z, gfpProfile('kernel'), t).asyncSkips).toBeUndefined();
  });

  it('6.14+ (era D, E): the async pass skips a non-movable request without the CMA pages', () => {
    // Ten order-8 blocks (FI 400) against threshold 300: runs. With 2000 free CMA pages, step 2 counts them
    // (2560 > 2274) but the async test without them sees 2560 - 2000 = 560, below both 2274 and 2024.
    const z = zone({ freeCma: 2000 });
    const t = { value: 300, source: 'x' };
    expect(decide('6.14', 9, z, gfpProfile('kernel'), t)).toMatchObject({ decision: 'runs', era: 'D', asyncSkips: true });
    expect(decide('6.18', 9, z, gfpProfile('kernel'), t)).toMatchObject({ decision: 'runs', era: 'E', asyncSkips: true });
    expect(decide('6.13', 9, z, gfpProfile('kernel'), t).asyncSkips).toBeUndefined();
    // a movable request has ALLOC_CMA: no such test
    expect(decide('6.18', 9, z, gfpProfile('highuser-movable'), t).asyncSkips).toBeUndefined();
  });
});

describe('compactionGate (kernel.md 4.1)', () => {
  const kernel = gfpProfile('kernel');
  const nofs: GfpRequest = { ...kernel, name: 'GFP_NOFS', fs: false };
  const noio: GfpRequest = { ...kernel, name: 'GFP_NOIO', fs: false, io: false };
  it('no compaction before 2.6.35; order 3 not before 2.6.38', () => {
    expect(compactionGate(rules('2.6.34'), kernel, 4)?.decision).toBe('unavailable');
    expect(compactionGate(rules('2.6.36'), kernel, 3)?.decision).toBe('not-attempted');
    expect(compactionGate(rules('2.6.36'), kernel, 4)).toBeUndefined();
    expect(compactionGate(rules('2.6.38'), kernel, 1)).toBeUndefined();
  });
  it('GFP_NOFS compacts from 4.10, GFP_NOIO never; order 0 and atomic never', () => {
    expect(compactionGate(rules('4.9'), nofs, 4)?.decision).toBe('not-attempted');
    expect(compactionGate(rules('4.10'), nofs, 4)).toBeUndefined();
    expect(compactionGate(rules('6.18'), noio, 4)?.why).toMatch(/__GFP_IO/);
    expect(compactionGate(rules('6.18'), kernel, 0)?.why).toMatch(/order-0/);
    expect(compactionGate(rules('6.18'), gfpProfile('nowait'), 4)?.decision).toBe('not-attempted');
  });
});

describe('thresholdOf', () => {
  it('--extfrag-threshold, else the value read, else 500; a bad read value is noted and not used', () => {
    const notes: string[] = [];
    expect(thresholdOf(300, { value: '700', origin: 'f' }, notes)).toEqual({ value: 300, source: '--extfrag-threshold' });
    expect(thresholdOf(undefined, { value: '700\n', origin: '/proc/sys/vm/extfrag_threshold' }, notes)).toEqual({
      value: 700,
      source: '/proc/sys/vm/extfrag_threshold',
    });
    expect(thresholdOf(undefined, undefined, notes).value).toBe(500);
    expect(thresholdOf(undefined, { value: '1001', origin: 'sysctl.txt, line 3' }, notes).value).toBe(500);
    expect(notes).toEqual(['vm.extfrag_threshold "1001" (sysctl.txt, line 3) is not a whole number from 0 to 1000; the default 500 is used.']);
  });
});
