// Tests for the __zone_watermark_ok replay, every expectation worked by hand from kernel.md 1a and 2.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocFlags, type AllocFlag } from '../../src/analysis/alloc-flags.js';
import { gfpProfile, GFP_PROFILES, type GfpProfile } from '../../src/analysis/gfp-request.js';
import { checkZone, largestPassingOrder, subtractsHighatomic, type ZoneCheckInput } from '../../src/analysis/watermark.js';
import { emptyLists, type ListState } from '../../src/analysis/watermark-steps.js';
import { InputError } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

/**
 * One release per old generation, with the same rules: 2.6.32, 3.10 (the old "3.7" generation had the
 * 3.10-4.3 CMA rule), 4.4, 4.15, 6.3, 6.12, 6.18; plus the releases whose rules no generation had: 3.9
 * (CMA kept out of every loop step), 4.14 (any-list with ALLOC_OOM), 6.1.116 and 6.1.157 (stable backports).
 */
const RELEASES: readonly string[] = ['2.6.32', '3.10', '4.4', '4.15', '6.3', '6.12', '6.18'];
const ALL_RELEASES: readonly string[] = [...RELEASES, '3.9', '4.14', '5.15.170', '6.1.116', '6.1.157'];

/** The flags a profile gets in the slow path of a release at an order. */
function flagsOf(p: GfpProfile, release: string, order: number, extra: readonly AllocFlag[] = []) {
  return allocFlags(gfpProfile(p), rules(release), order, { extra });
}

/** kernel.md 2: the 2012 blog's DMA32 zone, 2.6.32, buddy sum = free = 3140 pages. */
const BLOG = [2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0];

function blog(release: string, p: GfpProfile, extra: Partial<ZoneCheckInput> = {}): ZoneCheckInput {
  return {
    rules: rules(release),
    order: 4,
    markPages: 1769,
    freePages: 3140,
    nrFree: BLOG,
    lowmemReserve: 0,
    flags: flagsOf(p, release, 4),
    ...extra,
  };
}

function lists(partial: Partial<ListState>): ListState {
  return { ...emptyLists(), ...partial };
}

describe('the worked example (kernel.md 2)', () => {
  it('2.6.32 GFP_KERNEL min: the loop refuses at order 0', () => {
    const v = checkZone(blog('2.6.32', 'kernel'));
    // free = 3140 - (16 - 1) = 3125 > 1769 + 0; o=0: 3125 - 2360*1 = 765, min = 1769 >> 1 = 884, 765 <= 884.
    expect(JSON.stringify(v.steps)).toBe(
      JSON.stringify([
        { check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 0, ok: true },
        { check: 'order', order: 0, freePages: 765, minPages: 884, ok: false },
      ]),
    );
    expect(v.ok).toBe(false);
    expect(v.code).toBe('ORDER_LOOP');
    expect(v.failedOrder).toBe(0);
    expect(v.algorithm).toBe('legacy');
    expect(v.minPages).toBe(1769);
    // margin at the failing step: 765 - 884 = -119.
    expect(v.margin).toBe(-119);
    expect(v.marginStep).toBe(1);
    // order 1: 3140 - 1 = 3139, then 3139 - 2360 = 779 <= 884 fails; order 0: 3140 > 1769 passes.
    expect(v.largestPassingOrder).toBe(0);
  });

  it('the exact JSON text of the steps', () => {
    expect(JSON.stringify(checkZone(blog('2.6.32', 'kernel')).steps)).toBe(
      '[{"check":"watermark","freePages":3125,"minPages":1769,"reservePages":0,"ok":true},' +
        '{"check":"order","order":0,"freePages":765,"minPages":884,"ok":false}]',
    );
  });

  it('the low mark 2211 fails too: 765 <= 2211 >> 1 = 1105', () => {
    const v = checkZone(blog('2.6.32', 'kernel', { markPages: 2211 }));
    expect(v.code).toBe('ORDER_LOOP');
    expect(v.steps[1]).toEqual({ check: 'order', order: 0, freePages: 765, minPages: 1105, ok: false });
  });

  it('GFP_ATOMIC passes: min 1769 -> 885 (HIGH) -> 664 (HARDER), then 765>332, 605>166, 521>83, 465>41', () => {
    const v = checkZone(blog('2.6.32', 'atomic'));
    expect(v.ok).toBe(true);
    expect(v.code).toBe('PASS');
    expect(v.minPages).toBe(664);
    expect(v.steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 664, reservePages: 0, ok: true },
      { check: 'order', order: 0, freePages: 765, minPages: 332, ok: true },
      // 765 - 80*2 = 605
      { check: 'order', order: 1, freePages: 605, minPages: 166, ok: true },
      // 605 - 21*4 = 521
      { check: 'order', order: 2, freePages: 521, minPages: 83, ok: true },
      // 521 - 7*8 = 465
      { check: 'order', order: 3, freePages: 465, minPages: 41, ok: true },
    ]);
    // margins: 3125-664=2461, 765-332=433, 605-166=439, 521-83=438, 465-41=424: the tightest is order 3.
    expect(v.margin).toBe(424);
    expect(v.marginStep).toBe(4);
  });

  it('4.4 semantics pass: 3125 > 1769 and nr_free[4] = 4 (lists unknown, so assumed usable)', () => {
    const v = checkZone(blog('4.4', 'kernel'));
    expect(v.ok).toBe(true);
    expect(v.algorithm).toBe('modern');
    expect(v.assumedUsableBlocks).toBe(true);
    expect(v.steps).toEqual([
      { check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 0, ok: true },
      { check: 'block', order: 4, blocks: 4, usable: true, assumed: true, ok: true },
    ]);
    // 3125 - 1769 = 1356
    expect(v.margin).toBe(1356);
    // order 8 has 1 block; order 8: free 3140 - 255 = 2885 > 1769; orders 9, 10 have none.
    expect(v.largestPassingOrder).toBe(8);
  });

  it('a lowmem reserve of 1400 makes the order-0 test refuse: 3125 <= 1769 + 1400 = 3169', () => {
    const v = checkZone(blog('2.6.32', 'kernel', { lowmemReserve: 1400 }));
    // 3125 > min 1769: only the reserve term refuses it.
    expect(v.code).toBe('LOWMEM_RESERVE');
    expect(v.steps).toEqual([{ check: 'watermark', freePages: 3125, minPages: 1769, reservePages: 1400, ok: false }]);
    expect(v.margin).toBe(-44);
  });

  it('orderShift 2 lets the same request pass: min 442, 110, 27, 6', () => {
    const v = checkZone(blog('2.6.32', 'kernel', { orderShift: 2 }));
    expect(v.ok).toBe(true);
    // 1769/4 = 442.25, 442/4 = 110.5, 110/4 = 27.5, 27/4 = 6.75, all truncated
    expect(v.steps.slice(1).map((s) => (s.check === 'order' ? [s.freePages, s.minPages] : []))).toEqual([
      [765, 442],
      [605, 110],
      [521, 27],
      [465, 6],
    ]);
  });

  it('orderShift 0 never lowers min: 765 <= 1769', () => {
    const v = checkZone(blog('2.6.32', 'kernel', { orderShift: 0 }));
    expect(v.steps[1]).toEqual({ check: 'order', order: 0, freePages: 765, minPages: 1769, ok: false });
  });
});

describe('boundaries', () => {
  const one = (freePages: number, release = '2.6.32'): ZoneCheckInput => ({
    rules: rules(release),
    order: 0,
    markPages: 1769,
    freePages,
    nrFree: [freePages, 0, 0],
    lowmemReserve: 0,
    flags: flagsOf('kernel', release, 0),
  });
  it('fails when free equals min (<=), passes one page above', () => {
    for (const v of ALL_RELEASES) {
      expect(checkZone(one(1769, v)).ok).toBe(false);
      expect(checkZone(one(1769, v)).margin).toBe(0);
      expect(checkZone(one(1770, v)).ok).toBe(true);
    }
  });
  it('refuses an order the kernel does not have', () => {
    const v = checkZone({ ...one(5000), order: 3 });
    expect(v.code).toBe('ORDER_TOO_LARGE');
    expect(v.steps).toEqual([]);
  });
  it('refuses a negative order with an InputError', () => {
    expect(() => checkZone({ ...one(5000), order: -1 })).toThrow(InputError);
  });
  it('refuses a flag the rules do not have', () => {
    expect(() => checkZone({ ...one(5000, '4.4'), flags: ['ALLOC_WMARK_MIN', 'ALLOC_MIN_RESERVE'] })).toThrow(InputError);
  });
});

/**
 * A zone whose high-order free memory is mostly CMA:
 * nrFree 100 50 20 10 5 -> pages 100 + 100 + 80 + 80 + 80 = 440; NR_FREE_CMA_PAGES 300; min 100; order 2.
 * Orders 2-4 hold only CMA blocks.
 */
const CMA_ZONE = [100, 50, 20, 10, 5, 0, 0, 0, 0, 0, 0];
const cmaLists = (o: number): ListState =>
  o < 2 ? lists({ unmovable: true, movable: true }) : (CMA_ZONE[o] ?? 0) > 0 ? lists({ cma: true }) : emptyLists();

function cmaCase(release: string, p: GfpProfile, withLists = false, extra: readonly AllocFlag[] = []): ZoneCheckInput {
  return {
    rules: rules(release),
    order: 2,
    markPages: 100,
    freePages: 440,
    nrFree: CMA_ZONE,
    lowmemReserve: 0,
    flags: flagsOf(p, release, 2, extra),
    freeCma: 300,
    ...(withLists ? { lists: cmaLists } : {}),
  };
}

describe('CMA', () => {
  it('2.6.32 has no CMA term', () => {
    const v = checkZone(cmaCase('2.6.32', 'kernel'));
    // free = 440 - 3 = 437 > 100
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 437, minPages: 100, reservePages: 0, ok: true });
    expect(v.subtracted.cma).toBe(0);
  });

  it('3.10-4.3 leave CMA out of the order-0 test only, not the loop (026b08147923, M19)', () => {
    const v = checkZone(cmaCase('3.10', 'kernel'));
    expect(v.ok).toBe(true);
    expect(v.steps).toEqual([
      // 437 - 300 = 137 > 100
      { check: 'watermark', freePages: 137, minPages: 100, reservePages: 0, cmaPages: 300, ok: true },
      // the loop starts from 437, not 137: 437 - 100 = 337 > 50 (337 - 300 = 37 would have failed)
      { check: 'order', order: 0, freePages: 337, minPages: 50, ok: true },
      // 337 - 50*2 = 237 > 25
      { check: 'order', order: 1, freePages: 237, minPages: 25, ok: true },
    ]);
    expect(v.subtracted.cma).toBe(300);
  });

  it('3.10 movable (ALLOC_CMA) keeps the CMA pages', () => {
    const v = checkZone(cmaCase('3.10', 'highuser-movable'));
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 437, minPages: 100, reservePages: 0, ok: true });
    expect(v.subtracted.cma).toBe(0);
  });

  it('4.4 GFP_KERNEL: the order-0 test passes (137 > 100) but orders 2-4 hold only CMA blocks', () => {
    const v = checkZone(cmaCase('4.4', 'kernel', true));
    expect(v.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(v.blockedLists).toEqual(['CMA']);
    expect(v.steps.slice(0, 4)).toEqual([
      { check: 'watermark', freePages: 137, minPages: 100, reservePages: 0, cmaPages: 300, ok: true },
      { check: 'block', order: 2, blocks: 20, usable: false, lists: ['CMA'], ok: false },
      { check: 'block', order: 3, blocks: 10, usable: false, lists: ['CMA'], ok: false },
      { check: 'block', order: 4, blocks: 5, usable: false, lists: ['CMA'], ok: false },
    ]);
    // orders 5..10 are examined too and are empty
    expect(v.steps).toHaveLength(1 + 9);
    expect(v.steps[4]).toEqual({ check: 'block', order: 5, blocks: 0, usable: false, lists: [], ok: false });
    // order 1: 440 - 1 - 300 = 139 > 100 and order 1 has Unmovable/Movable blocks
    expect(v.largestPassingOrder).toBe(1);
  });

  it('4.4 movable: ALLOC_CMA may use the CMA list', () => {
    const v = checkZone(cmaCase('4.4', 'highuser-movable', true));
    expect(v.ok).toBe(true);
    expect(v.steps[1]).toEqual({ check: 'block', order: 2, blocks: 20, usable: true, lists: ['CMA'], ok: true });
  });

  it('4.4 GFP_ATOMIC: ALLOC_HARDER takes any non-empty order (M4), 4.15 does not', () => {
    // min 100 -> 50 (HIGH) -> 50 - 12 = 38 (HARDER); free 137 (CMA still left out) > 38
    const v44 = checkZone(cmaCase('4.4', 'atomic', true));
    expect(v44.ok).toBe(true);
    expect(v44.steps).toEqual([
      { check: 'watermark', freePages: 137, minPages: 38, reservePages: 0, cmaPages: 300, ok: true },
      { check: 'block', order: 2, blocks: 20, usable: true, lists: ['CMA'], anyList: true, ok: true },
    ]);
    const v415 = checkZone(cmaCase('4.15', 'atomic', true));
    expect(v415.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(v415.minPages).toBe(38);
  });

  it('4.14.0: the any-list shortcut fires for ALLOC_OOM too (M21 before M4); 4.14.177 has the M4 fix', () => {
    // kernel.md 1a "v4.4 -> v4.13 (and 4.14.0)": ALLOC_OOM arrived in 4.14, so alloc_harder = HARDER|OOM.
    // GFP_KERNEL + ALLOC_OOM: min 100 -> 100 - 50 = 50 (OOM takes min/2); free 137 > 50.
    const v414 = checkZone(cmaCase('4.14', 'kernel', true, ['ALLOC_OOM']));
    expect(v414.steps).toEqual([
      { check: 'watermark', freePages: 137, minPages: 50, reservePages: 0, cmaPages: 300, ok: true },
      { check: 'block', order: 2, blocks: 20, usable: true, lists: ['CMA'], anyList: true, ok: true },
    ]);
    // the same request in 4.14.177: the CMA list needs ALLOC_CMA, so no order >= 2 is usable
    const v177 = checkZone(cmaCase('4.14.177', 'kernel', true, ['ALLOC_OOM']));
    expect(v177.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(v177.blockedLists).toEqual(['CMA']);
    expect(v177.minPages).toBe(50);
    // GFP_ATOMIC (HIGH|HARDER): any list in 4.14.0 as in 4.4
    expect(checkZone(cmaCase('4.14', 'atomic', true)).steps[1]).toMatchObject({ anyList: true, ok: true });
    expect(checkZone(cmaCase('4.14.177', 'atomic', true)).code).toBe('ONLY_RESERVED_BLOCKS');
  });

  it('4.9.79 takes any list, 4.9.80 has the M4 backport (trees: 4.9.74 without, 4.9.80 with)', () => {
    expect(checkZone(cmaCase('4.9.79', 'atomic', true)).ok).toBe(true);
    expect(checkZone(cmaCase('4.9.80', 'atomic', true)).code).toBe('ONLY_RESERVED_BLOCKS');
  });

  it('without list data the block search assumes a usable list and says so', () => {
    const v = checkZone(cmaCase('4.15', 'kernel'));
    expect(v.ok).toBe(true);
    expect(v.assumedUsableBlocks).toBe(true);
    expect(v.steps[1]).toMatchObject({ check: 'block', order: 2, assumed: true });
  });
});

/**
 * Highatomic: NR_FREE_PAGES 1000 (the buddy sum is 960: 200 + 200 + 200 + 200 + 160), highatomic 500,
 * order 1.
 */
const HA_ZONE = [200, 100, 50, 25, 10, 0, 0, 0, 0, 0, 0];
function haCase(release: string, p: GfpProfile, markPages: number, extra: Partial<ZoneCheckInput> = {}): ZoneCheckInput {
  return {
    rules: rules(release),
    order: 1,
    markPages,
    freePages: 1000,
    nrFree: HA_ZONE,
    lowmemReserve: 0,
    flags: flagsOf(p, release, 1),
    highatomic: 500,
    ...extra,
  };
}

describe('highatomic reserve', () => {
  it('legacy kernels have none', () => {
    const v = checkZone(haCase('3.10', 'kernel', 500));
    // free = 1000 - 1 = 999 > 500
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 999, minPages: 500, reservePages: 0, ok: true });
  });
  it('4.4: subtracted for callers without ALLOC_HARDER: 1000 - 1 - 500 = 499 <= 500', () => {
    const k = checkZone(haCase('4.4', 'kernel', 500));
    expect(k.code).toBe('BELOW_WATERMARK');
    expect(k.steps[0]).toEqual({
      check: 'watermark',
      freePages: 499,
      minPages: 500,
      reservePages: 0,
      highatomicPages: 500,
      ok: false,
    });
    expect(checkZone(haCase('4.4', 'nowait', 500)).code).toBe('BELOW_WATERMARK');
  });
  it('4.4 GFP_ATOMIC: not subtracted, and min 500 -> 250 -> 188', () => {
    const v = checkZone(haCase('4.4', 'atomic', 500));
    // 250 - trunc(250/4) = 250 - 62 = 188
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 999, minPages: 188, reservePages: 0, ok: true });
    expect(v.ok).toBe(true);
  });
  it('6.3 GFP_NOWAIT: NON_BLOCK skips the highatomic subtraction but gives no min cut', () => {
    // mark 1000: free 999 <= 1000 (a 25% cut to 750 would have passed)
    const v = checkZone(haCase('6.3', 'nowait', 1000));
    expect(v.steps).toEqual([{ check: 'watermark', freePages: 999, minPages: 1000, reservePages: 0, ok: false }]);
    expect(v.margin).toBe(-1);
  });
  it('6.3 GFP_KERNEL: the highatomic pages are subtracted: 499 <= 1000', () => {
    const v = checkZone(haCase('6.3', 'kernel', 1000));
    expect(v.steps[0]).toMatchObject({ freePages: 499, minPages: 1000, highatomicPages: 500, ok: false });
    expect(v.margin).toBe(-501);
  });
  it('6.3 GFP_ATOMIC: min 1000 -> 500 (MIN_RESERVE) -> 375 (NON_BLOCK), free 999', () => {
    const v = checkZone(haCase('6.3', 'atomic', 1000));
    expect(v.minPages).toBe(375);
    expect(v.ok).toBe(true);
  });
});

describe('ALLOC_OOM', () => {
  it('4.15: OOM takes min/2 instead of min/4 and stacks after HIGH', () => {
    const oom = flagsOf('kernel', '4.15', 1, ['ALLOC_OOM']);
    expect(checkZone(haCase('4.15', 'kernel', 1000, { flags: oom })).minPages).toBe(500);
    const atomicOom = flagsOf('atomic', '4.15', 1, ['ALLOC_OOM']);
    // HIGH: 1000 -> 500; harder with OOM: 500 - 250 = 250
    expect(checkZone(haCase('4.15', 'atomic', 1000, { flags: atomicOom })).minPages).toBe(250);
  });
  it('4.14 has ALLOC_OOM (M21): min/2 and no highatomic subtraction; 4.13 has no such flag', () => {
    // kernel.md 1a "v4.14/v4.15 -> v6.2": harder = HARDER|OOM, so the 500 highatomic pages stay in:
    // free = 1000 - 1 = 999 > 1000 - 500 = 500.
    const v = checkZone(haCase('4.14', 'kernel', 1000, { flags: flagsOf('kernel', '4.14', 1, ['ALLOC_OOM']) }));
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 999, minPages: 500, reservePages: 0, ok: true });
    expect(subtractsHighatomic(['ALLOC_WMARK_MIN', 'ALLOC_OOM'], rules('4.14'))).toBe(false);
    // without it: 1000 - 1 - 500 = 499 <= 1000
    expect(checkZone(haCase('4.14', 'kernel', 1000)).steps[0]).toMatchObject({ freePages: 499, highatomicPages: 500, ok: false });
    expect(() => checkZone(haCase('4.13', 'kernel', 1000, { flags: ['ALLOC_WMARK_MIN', 'ALLOC_OOM'] }))).toThrow(InputError);
  });
  it('6.3: OOM stacks with MIN_RESERVE and NON_BLOCK', () => {
    const f = flagsOf('atomic', '6.3', 1, ['ALLOC_OOM']);
    // 1000 -> 500 -> 375 -> 375 - 187 = 188
    expect(checkZone(haCase('6.3', 'atomic', 1000, { flags: f })).minPages).toBe(188);
  });
});

/**
 * The only blocks of order >= 3 are HighAtomic: nrFree 300 0 0 2 -> 300 + 16 = 316 pages; min 100;
 * highatomic 16; order 3.
 */
const HA_ONLY = [300, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
const haOnlyLists = (o: number): ListState =>
  o === 0 ? lists({ unmovable: true, movable: true }) : o === 3 ? lists({ highatomic: true }) : emptyLists();
function haOnly(release: string, p: GfpProfile, extraFlags: readonly AllocFlag[] = []): ZoneCheckInput {
  return {
    rules: rules(release),
    order: 3,
    markPages: 100,
    freePages: 316,
    nrFree: HA_ONLY,
    lowmemReserve: 0,
    flags: flagsOf(p, release, 3, extraFlags),
    highatomic: 16,
    lists: haOnlyLists,
  };
}

describe('HighAtomic blocks in the block search', () => {
  it('6.12 GFP_NOWAIT (NON_BLOCK|HIGHATOMIC) may use them', () => {
    const v = checkZone(haOnly('6.12', 'nowait'));
    // free = 316 - 7 = 309 (highatomic exempt) > 100
    expect(v.steps).toEqual([
      { check: 'watermark', freePages: 309, minPages: 100, reservePages: 0, ok: true },
      { check: 'block', order: 3, blocks: 2, usable: true, lists: ['HighAtomic'], ok: true },
    ]);
  });
  it('6.18 GFP_NOWAIT gets no HIGHATOMIC at order > 0 (M14), so it may not', () => {
    const v = checkZone(haOnly('6.18', 'nowait'));
    expect(v.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(v.blockedLists).toEqual(['HighAtomic']);
    // still exempt from the subtraction: NON_BLOCK is one of ALLOC_RESERVES
    expect(v.steps[0]).toEqual({ check: 'watermark', freePages: 309, minPages: 100, reservePages: 0, ok: true });
  });
  it('6.18 GFP_ATOMIC may', () => {
    expect(checkZone(haOnly('6.18', 'atomic')).ok).toBe(true);
  });
  it('6.12 GFP_KERNEL may not, and pays the subtraction: 316 - 7 - 16 = 293', () => {
    const v = checkZone(haOnly('6.12', 'kernel'));
    expect(v.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(v.steps[0]).toMatchObject({ freePages: 293, highatomicPages: 16 });
  });
  it('4.15: only HARDER or OOM callers may (M4)', () => {
    expect(checkZone(haOnly('4.15', 'kernel')).code).toBe('ONLY_RESERVED_BLOCKS');
    expect(checkZone(haOnly('4.15', 'kernel', ['ALLOC_OOM'])).ok).toBe(true);
    expect(checkZone(haOnly('4.15', 'atomic')).ok).toBe(true);
  });
  it('4.4 GFP_KERNEL may not; GFP_ATOMIC takes any list', () => {
    expect(checkZone(haOnly('4.4', 'kernel')).code).toBe('ONLY_RESERVED_BLOCKS');
    expect(checkZone(haOnly('4.4', 'atomic')).steps[1]).toMatchObject({ anyList: true, ok: true });
  });
  it('no block at all of order >= N is NO_BLOCK', () => {
    const v = checkZone({ ...haOnly('6.18', 'kernel'), order: 4 });
    expect(v.code).toBe('NO_BLOCK');
    // 316 - 15 - 16 = 285 > 100: memory is enough, the margin says so
    expect(v.margin).toBe(185);
    expect(v.steps.filter((s) => s.check === 'block')).toHaveLength(7);
  });
  it('a list state with every list empty where blocks exist is treated as unknown', () => {
    const v = checkZone({ ...haOnly('6.18', 'kernel'), lists: () => emptyLists() });
    expect(v.ok).toBe(true);
    expect(v.assumedUsableBlocks).toBe(true);
  });
});

describe('largestPassingOrder', () => {
  it('stops at maxOrder', () => {
    const { order: _o, ...rest } = blog('4.4', 'kernel');
    expect(largestPassingOrder(rest, 5)).toBe(5);
    expect(largestPassingOrder(rest)).toBe(8);
  });
  it('checks each order with the flags the request gets there (6.3+: HIGHATOMIC only for order > 0)', () => {
    const { order: _o, ...rest } = { ...haOnly('6.12', 'nowait'), flags: flagsOf('nowait', '6.12', 0) };
    // order-0 flags lack ALLOC_HIGHATOMIC: order 3's only blocks are HighAtomic, orders 1-2 are empty -> 0
    expect(largestPassingOrder(rest)).toBe(0);
    // with the order's own flags, order 3: 316 - 7 = 309 > 100 and HIGHATOMIC may use the HighAtomic list
    expect(largestPassingOrder({ ...rest, flagsAt: (o) => flagsOf('nowait', '6.12', o) })).toBe(3);
  });
  it('is -1 when even order 0 fails', () => {
    const { order: _o, ...rest } = blog('2.6.32', 'kernel', { markPages: 5000 });
    expect(largestPassingOrder(rest)).toBe(-1);
  });
});

// ---------------------------------------------------------------------------------------------------
// The same zone on both sides of a release boundary (kernel.md 1a, "Choosing the rules for a release").

describe('6.1.115 -> 6.1.116: the 6.3 flag model reaches 6.1.y (M23)', () => {
  // HA_ZONE: NR_FREE_PAGES 1000, nr_reserved_highatomic 500, order 1 (2^1 - 1 = 1 page for the request).
  it('GFP_ATOMIC: HIGH|HARDER and MIN_RESERVE|NON_BLOCK cut min alike, 1000 -> 500 -> 375, and neither pays the highatomic pages', () => {
    const legacy = checkZone(haCase('6.1.115', 'atomic', 1000));
    const modern = checkZone(haCase('6.1.116', 'atomic', 1000));
    expect(legacy.steps[0]).toEqual({ check: 'watermark', freePages: 999, minPages: 375, reservePages: 0, ok: true });
    expect(modern.steps[0]).toEqual(legacy.steps[0]);
    expect([legacy.subtracted.highatomic, modern.subtracted.highatomic]).toEqual([0, 0]);
    // 1000 - trunc(1000/2) = 500, 500 - trunc(500/4) = 375: the tightest mark 375 + 1 passes, 375 fails
    for (const v of ['6.1.115', '6.1.116']) {
      expect(checkZone(haCase(v, 'atomic', 1000, { freePages: 377 })).ok).toBe(true);
      expect(checkZone(haCase(v, 'atomic', 1000, { freePages: 376 })).margin).toBe(0);
    }
  });

  it('GFP_NOWAIT, mark 600: 6.1.115 subtracts the highatomic pages and fails, 6.1.116 (NON_BLOCK) does not', () => {
    // 6.1.115 (4.4-6.2 flags): GFP_NOWAIT has no __GFP_ATOMIC, so no HARDER: 1000 - 1 - 500 = 499 <= 600.
    const legacy = checkZone(haCase('6.1.115', 'nowait', 600));
    expect(legacy.steps).toEqual([
      { check: 'watermark', freePages: 499, minPages: 600, reservePages: 0, highatomicPages: 500, ok: false },
    ]);
    expect(legacy.margin).toBe(-101);
    // 6.1.116: NON_BLOCK is an ALLOC_RESERVES bit: 1000 - 1 = 999 > 600 (no min cut without MIN_RESERVE),
    // then order 1 holds 100 blocks (lists unknown, assumed usable).
    const modern = checkZone(haCase('6.1.116', 'nowait', 600));
    expect(modern.steps).toEqual([
      { check: 'watermark', freePages: 999, minPages: 600, reservePages: 0, ok: true },
      { check: 'block', order: 1, blocks: 100, usable: true, assumed: true, ok: true },
    ]);
    expect(modern.margin).toBe(399);
  });

  it('GFP_NOWAIT whose only block of order >= 3 is HighAtomic: 6.1.115 may not use it, 6.1.116 (HIGHATOMIC) may', () => {
    // HA_ONLY: 316 free, 16 highatomic, order 3. 6.1.115: 316 - 7 - 16 = 293 > 100, HighAtomic list refused.
    const legacy = checkZone(haOnly('6.1.115', 'nowait'));
    expect(legacy.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(legacy.steps[0]).toMatchObject({ freePages: 293, highatomicPages: 16, ok: true });
    // 6.1.116: 316 - 7 = 309 > 100, and NON_BLOCK|HIGHATOMIC may take the HighAtomic block.
    const modern = checkZone(haOnly('6.1.116', 'nowait'));
    expect(modern.steps).toEqual([
      { check: 'watermark', freePages: 309, minPages: 100, reservePages: 0, ok: true },
      { check: 'block', order: 3, blocks: 2, usable: true, lists: ['HighAtomic'], ok: true },
    ]);
  });

  it('5.15.170 -> 5.15.171 the same (M23)', () => {
    expect(checkZone(haCase('5.15.170', 'nowait', 600)).code).toBe('BELOW_WATERMARK');
    expect(checkZone(haCase('5.15.171', 'nowait', 600)).ok).toBe(true);
  });
});

describe('6.1.156 -> 6.1.157: HIGHATOMIC only with MIN_RESERVE (M14, M24)', () => {
  it('GFP_NOWAIT order 3 whose only block is HighAtomic: PASS in 6.1.156, ONLY_RESERVED_BLOCKS in 6.1.157', () => {
    // Both: NON_BLOCK exempts the 16 highatomic pages, 316 - (2^3 - 1) = 309 > 100, min not cut.
    const before = checkZone(haOnly('6.1.156', 'nowait'));
    expect(before.steps).toEqual([
      { check: 'watermark', freePages: 309, minPages: 100, reservePages: 0, ok: true },
      { check: 'block', order: 3, blocks: 2, usable: true, lists: ['HighAtomic'], ok: true },
    ]);
    const after = checkZone(haOnly('6.1.157', 'nowait'));
    expect(after.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(after.blockedLists).toEqual(['HighAtomic']);
    expect(after.steps[0]).toEqual(before.steps[0]);
    expect(after.steps[1]).toEqual({ check: 'block', order: 3, blocks: 2, usable: false, lists: ['HighAtomic'], ok: false });
    // 1 order-0 test + orders 3..10 examined
    expect(after.steps).toHaveLength(1 + 8);
  });

  it('GFP_ATOMIC keeps HIGHATOMIC in 6.1.157 (it has MIN_RESERVE): min 100 -> 50 -> 38, PASS', () => {
    const v = checkZone(haOnly('6.1.157', 'atomic'));
    expect(v.ok).toBe(true);
    expect(v.minPages).toBe(38);
  });

  it('the same at 5.15.194/5.15.195 and 6.12.53/6.12.54', () => {
    expect(checkZone(haOnly('5.15.194', 'nowait')).ok).toBe(true);
    expect(checkZone(haOnly('5.15.195', 'nowait')).code).toBe('ONLY_RESERVED_BLOCKS');
    expect(checkZone(haOnly('6.12.53', 'nowait')).ok).toBe(true);
    expect(checkZone(haOnly('6.12.54', 'nowait')).code).toBe('ONLY_RESERVED_BLOCKS');
  });
});

describe('3.9 -> 3.10: where the free CMA pages are left out of the legacy loop (M19)', () => {
  // CMA_ZONE, GFP_KERNEL (no ALLOC_CMA), order 2, min 100, NR_FREE_PAGES 440, NR_FREE_CMA_PAGES 300.
  it('3.9 keeps them out of every step: 440 - 3 - 300 = 137 > 100, then 137 - 100 = 37 <= 50 fails at order 0', () => {
    const v = checkZone(cmaCase('3.9', 'kernel'));
    expect(v.code).toBe('ORDER_LOOP');
    expect(v.failedOrder).toBe(0);
    expect(v.steps).toEqual([
      { check: 'watermark', freePages: 137, minPages: 100, reservePages: 0, cmaPages: 300, ok: true },
      { check: 'order', order: 0, freePages: 37, minPages: 50, ok: false },
    ]);
    expect(v.margin).toBe(-13);
    expect(v.subtracted.cma).toBe(300);
    // order 1: 440 - 1 - 300 = 139 > 100, 139 - 100 = 39 <= 50 fails; order 0: 440 - 300 = 140 > 100 passes
    expect(v.largestPassingOrder).toBe(0);
  });

  it('3.10 leaves them out of the order-0 test only: the same step is 437 - 100 = 337 > 50 and the request passes', () => {
    const v = checkZone(cmaCase('3.10', 'kernel'));
    expect(v.ok).toBe(true);
    expect(v.steps[1]).toEqual({ check: 'order', order: 0, freePages: 337, minPages: 50, ok: true });
    // order 4: 440 - 15 = 425, 425 - 300 = 125 > 100; loop 325 > 50, 225 > 25, 145 > 12, 65 > 6.
    // order 5: 409 - 300 = 109 > 100; loop 309, 209, 129, 49 > 6, then 49 - 5*16 = -31 <= 3 fails.
    expect(v.largestPassingOrder).toBe(4);
  });

  it('3.7 is the first release with the 3.9 rule, 3.6 has no CMA term at all', () => {
    expect(checkZone(cmaCase('3.7', 'kernel')).steps[1]).toEqual({ check: 'order', order: 0, freePages: 37, minPages: 50, ok: false });
    const v36 = checkZone(cmaCase('3.6', 'kernel'));
    // 440 - 3 = 437 > 100, no CMA: the given freeCma is not subtracted
    expect(v36.steps[0]).toEqual({ check: 'watermark', freePages: 437, minPages: 100, reservePages: 0, ok: true });
    expect(v36.ok).toBe(true);
  });

  it('a movable request (ALLOC_CMA) keeps the CMA pages in both', () => {
    for (const v of ['3.9', '3.10']) {
      expect(checkZone(cmaCase(v, 'highuser-movable')).steps[0]).toMatchObject({ freePages: 437, ok: true });
      expect(checkZone(cmaCase(v, 'highuser-movable')).ok).toBe(true);
    }
  });
});

describe('4.6 -> 4.7: the fast path (kernel.md 1b; 48ee5f3696f6)', () => {
  // One zone, order 0, the low mark 690, NR_FREE_PAGES 700, 800 highatomic pages, no CMA.
  const fastCase = (release: string): ZoneCheckInput => ({
    rules: rules(release),
    order: 0,
    markPages: 690,
    freePages: 700,
    nrFree: [700, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    lowmemReserve: 0,
    flags: allocFlags(gfpProfile('kernel'), rules(release), 0, { path: 'fast' }),
    highatomic: 800,
  });

  it('the flags lose ALLOC_CPUSET (cpusets_enabled() is unknown), which never enters the arithmetic', () => {
    expect(fastCase('4.6').flags).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET', 'ALLOC_FAIR']);
    expect(fastCase('4.7').flags).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_FAIR']);
    const withoutReserve = (v: string) => checkZone({ ...fastCase(v), highatomic: 0 });
    // 700 > 690 either way; 4.7 passes it in zone_watermark_fast's shortcut, 4.6 in the order-0 test
    expect(withoutReserve('4.6').steps).toEqual([{ check: 'watermark', freePages: 700, minPages: 690, reservePages: 0, ok: true }]);
    expect(withoutReserve('4.7').steps).toEqual([{ check: 'watermark', freePages: 700, minPages: 690, reservePages: 0, shortcut: true, ok: true }]);
  });

  it('4.6 runs __zone_watermark_ok itself: 700 - 800 = -100 <= 690 fails', () => {
    const v = checkZone(fastCase('4.6'));
    expect(v.steps).toEqual([{ check: 'watermark', freePages: -100, minPages: 690, reservePages: 0, highatomicPages: 800, ok: false }]);
  });

  // The order-0 shortcut of zone_watermark_fast (4.7-5.8) tests NR_FREE_PAGES - CMA > mark + reserve without
  // the highatomic term and returns true (kernel.md 1a "v4.7: zone_watermark_fast()"; axis 3: the shortcut
  // subtracts the term only from 5.9).
  it('4.7-5.8 order 0: the shortcut passes 700 > 690 + 0 before __zone_watermark_ok would subtract the 800 highatomic pages', () => {
    for (const v of ['4.7', '5.8']) {
      const verdict = checkZone(fastCase(v));
      expect(verdict.ok).toBe(true);
      expect(verdict.steps).toEqual([{ check: 'watermark', freePages: 700, minPages: 690, reservePages: 0, shortcut: true, ok: true }]);
    }
  });

  it('5.9 subtracts the highatomic term in the shortcut too: 700 - 800 = -100 <= 690 fails', () => {
    expect(checkZone(fastCase('5.9')).ok).toBe(false);
  });

  it('the shortcut is for order 0 only: order 1 on 4.7 goes through __zone_watermark_ok (700 - 1 - 800 = -101)', () => {
    const verdict = checkZone({ ...fastCase('4.7'), order: 1, nrFree: [500, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
    expect(verdict.steps[0]).toMatchObject({ freePages: -101, ok: false });
  });
});

describe('5.0 -> 5.1: ALLOC_NOFRAGMENT takes effect (M22), which changes no arithmetic', () => {
  it('only the rule value differs; the check of a zone is the same', () => {
    expect([rules('5.0').nofragment, rules('5.1').nofragment]).toEqual([false, true]);
    for (const p of ['kernel', 'atomic', 'nowait', 'highuser-movable'] as const) {
      const at = (v: string) =>
        checkZone({ ...haOnly(v, p), flags: allocFlags(gfpProfile(p), rules(v), 3, { path: 'fast' }) });
      expect(at('5.1')).toEqual(at('5.0'));
      expect(checkZone(haOnly('5.1', p))).toEqual(checkZone(haOnly('5.0', p)));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties. Each was checked against the pseudo-code first:
// - more free blocks: every subtraction and comparison is monotone in free; in the legacy loop a block of
//   order j adds 2^j to free at steps o < j and cancels out from step j on; in the block search a block only
//   adds a non-empty list. It holds for list data only when the data is consistent (a non-zero count has at
//   least one non-empty list), since an all-empty state is read as unknown; the generator keeps it so.
// - a higher mark: min - min/2, min - min/4 and min >> s are all non-decreasing in min.
// - order k passes => order k-1 passes: the legacy steps for k-1 are a prefix of those for k with 2^(k-1)
//   more free pages; the block search for k-1 looks at every order that for k does.

const ORDERS = 11;
const LIST_KEYS: readonly (keyof ListState)[] = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'cma', 'isolate', 'reserve'];

interface Zone {
  release: string;
  profile: GfpProfile;
  order: number;
  mark: number;
  reserve: number;
  drift: number;
  nrFree: number[];
  cma: number;
  highatomic: number;
  shift: number;
  listBits: number[] | undefined;
}

const zoneArb: fc.Arbitrary<Zone> = fc
  .record({
    release: fc.constantFrom(...ALL_RELEASES),
    profile: fc.constantFrom(...GFP_PROFILES),
    order: fc.integer({ min: 0, max: ORDERS - 1 }),
    mark: fc.integer({ min: 0, max: 3000 }),
    reserve: fc.integer({ min: 0, max: 500 }),
    drift: fc.integer({ min: -50, max: 50 }),
    nrFree: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: ORDERS, maxLength: ORDERS }),
    cma: fc.integer({ min: 0, max: 400 }),
    highatomic: fc.integer({ min: 0, max: 400 }),
    shift: fc.integer({ min: 1, max: 3 }),
    bits: fc.option(fc.array(fc.integer({ min: 1, max: 127 }), { minLength: ORDERS, maxLength: ORDERS })),
  })
  .map(({ bits, ...z }) => ({
    ...z,
    // consistent list data: a non-empty list exactly where the count is non-zero
    listBits: bits === null ? undefined : bits.map((b, o) => ((z.nrFree[o] ?? 0) > 0 ? b : 0)),
  }));

function toInput(z: Zone, order = z.order): ZoneCheckInput {
  const sum = z.nrFree.reduce((s, n, o) => s + n * 2 ** o, 0);
  const bits = z.listBits;
  return {
    rules: rules(z.release),
    order,
    markPages: z.mark,
    freePages: sum + z.drift,
    nrFree: z.nrFree,
    lowmemReserve: z.reserve,
    flags: flagsOf(z.profile, z.release, order),
    freeCma: z.cma,
    highatomic: z.highatomic,
    orderShift: z.shift,
    lists:
      bits === undefined
        ? undefined
        : (o) => {
            const s = emptyLists();
            LIST_KEYS.forEach((k, i) => {
              s[k] = (((bits[o] ?? 0) >> i) & 1) === 1;
            });
            return s;
          },
  };
}

describe('properties', () => {
  it('adding a free block (and its pages to NR_FREE_PAGES) never turns a pass into a fail', () => {
    fc.assert(
      fc.property(zoneArb, fc.integer({ min: 0, max: ORDERS - 1 }), fc.integer({ min: 0, max: 6 }), (z, j, list) => {
        const before = checkZone(toInput(z));
        const nrFree = [...z.nrFree];
        nrFree[j] = (nrFree[j] ?? 0) + 1;
        const listBits = z.listBits?.map((b, o) => (o === j ? b | (1 << list) : b));
        const after = checkZone({ ...toInput({ ...z, nrFree, listBits }), freePages: toInput(z).freePages + 2 ** j });
        return !before.ok || after.ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('raising the mark never turns a fail into a pass', () => {
    fc.assert(
      fc.property(zoneArb, fc.integer({ min: 0, max: 3000 }), (z, more) => {
        const low = checkZone(toInput(z));
        const high = checkZone(toInput({ ...z, mark: z.mark + more }));
        return low.ok || !high.ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('passing at order k implies passing at order k-1', () => {
    fc.assert(
      fc.property(zoneArb, (z) => {
        if (z.order === 0) return true;
        const k = checkZone(toInput(z, z.order));
        const below = checkZone(toInput(z, z.order - 1));
        return !k.ok || below.ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('largestPassingOrder agrees with checking each order', () => {
    fc.assert(
      fc.property(zoneArb, (z) => {
        const v = checkZone(toInput(z));
        const passing = [...Array(ORDERS).keys()].filter((o) => checkZone({ ...toInput(z), order: o }).ok);
        return v.largestPassingOrder === (passing.length === 0 ? -1 : Math.max(...passing));
      }),
      { numRuns: 500 },
    );
  });
});
