// Tests for the fragmentation figures against values worked by hand from kernel.md 1d.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeZone, contigInfo, fragmentationIndex, unusableIndex } from '../../src/analysis/fragmentation.js';

/** corpus 38 (ChromeOS 6.6), zone Normal. */
const NORMAL = [11464, 8694, 2694, 1152, 664, 341, 124, 44, 12, 7, 382];
/** corpus 03 (procfs fixture), zone DMA32. */
const DMA32 = [759, 572, 791, 475, 194, 45, 12, 0, 0, 0, 0];

describe('contig info', () => {
  it('sums pages, blocks and suitable blocks', () => {
    // pages: 11464 + 8694*2 + 2694*4 + 1152*8 + 664*16 + 341*32 + 124*64 + 44*128 + 12*256 + 7*512 + 382*1024
    //      = 11464 + 17388 + 10776 + 9216 + 10624 + 10912 + 7936 + 5632 + 3072 + 3584 + 391168 = 481772
    // suitable at order 9: 7 + 382*2 = 771
    expect(contigInfo(NORMAL, 9)).toEqual({
      freePages: 481772,
      freeBlocks: 11464 + 8694 + 2694 + 1152 + 664 + 341 + 124 + 44 + 12 + 7 + 382,
      suitable: 771,
    });
  });
});

describe('unusable free index (thousandths, truncated)', () => {
  it('order 4 of the ChromeOS Normal zone', () => {
    // pages below order 4: 11464 + 17388 + 10776 + 9216 = 48844; 48844*1000/481772 = 101.38 -> 101
    expect(unusableIndex(NORMAL, 4)).toBe(101);
  });
  it('order 0 is always 0 for a zone with free pages', () => {
    expect(unusableIndex(NORMAL, 0)).toBe(0);
  });
  it('an order with no block at or above it is 1000', () => {
    expect(unusableIndex(DMA32, 7)).toBe(1000);
  });
  it('an empty zone is 1000', () => {
    expect(unusableIndex([0, 0, 0], 0)).toBe(1000);
  });
  it('order 3 of the procfs DMA32 zone', () => {
    // pages: 759 + 572*2 + 791*4 + 475*8 + 194*16 + 45*32 + 12*64 = 759+1144+3164+3800+3104+1440+768 = 14179
    // below order 3: 759 + 1144 + 3164 = 5067; 5067000/14179 = 357.36 -> 357
    expect(unusableIndex(DMA32, 3)).toBe(357);
  });
});

describe('fragmentation index (thousandths, truncated)', () => {
  it('is -1000 when a block of the order is free', () => {
    expect(fragmentationIndex(NORMAL, 10)).toBe(-1000);
  });
  it('is 0 for a zone with no free block', () => {
    expect(fragmentationIndex([0, 0, 0], 1)).toBe(0);
  });
  it('order 7 of the procfs DMA32 zone', () => {
    // blocks 759+572+791+475+194+45+12 = 2848, pages 14179; 14179000/128 = 110773 (trunc)
    // 1000 - (1000 + 110773)/2848 = 1000 - 39 (111773/2848 = 39.2) = 961
    expect(fragmentationIndex(DMA32, 7)).toBe(961);
  });
  it('one free block smaller than the request gives a negative value above -1000', () => {
    // T=1, F=1, R=2: 1000 - (1000 + 500)/1 = -500
    expect(fragmentationIndex([1, 0], 1)).toBe(-500);
  });
});

describe('zone figures', () => {
  it('per-order memory, cumulative share and the largest order', () => {
    const z = analyzeZone({ node: 0, zone: 'DMA32', free: DMA32, source: 's', line: 1 }, 4096);
    expect(z.freePages).toBe(14179);
    expect(z.freeBytes).toBe(14179 * 4096);
    expect(z.largestOrder).toBe(6);
    expect(z.orders[3]).toMatchObject({
      order: 3,
      blocks: 475,
      blockBytes: 32768,
      freePages: 3800,
      // orders 3..10: 3800 + 3104 + 1440 + 768 = 9112
      cumulativePages: 9112,
      cumulativeShare: 9112 / 14179,
      unusableIndex: 0.357,
      fragmentationIndex: -1,
    });
    expect(z.orders[7]?.fragmentationIndex).toBe(0.961);
  });
  it('an empty zone has largest order -1', () => {
    const z = analyzeZone({ node: 0, zone: 'Movable', free: [0, 0, 0], source: 's', line: 1 }, 4096);
    expect(z.largestOrder).toBe(-1);
    expect(z.orders[0]?.cumulativeShare).toBe(0);
  });
});

describe('indices stay in their ranges (property)', () => {
  it('unusable in [0, 1000], extfrag in [-1000, 1000] and only -1000 or >= -500', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100000), { minLength: 1, maxLength: 17 }), fc.nat(16), (free, o) => {
        const order = o % free.length;
        const u = unusableIndex(free, order);
        const f = fragmentationIndex(free, order);
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThanOrEqual(1000);
        expect(Number.isInteger(u) && Number.isInteger(f)).toBe(true);
        expect(f === -1000 || (f >= -500 && f <= 1000)).toBe(true);
      }),
    );
  });
});
