// Zones that can never serve a request class (kernel.md 3 item 11, 4.5 cannot(z)), worked by hand.

import { describe, expect, it } from 'vitest';
import { largestServableOrder, servingOf, type ServesInput } from '../../src/analysis/serves.js';
import type { ZoneWatermarks } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

function wm(over: Partial<ZoneWatermarks> = {}): ZoneWatermarks {
  return { node: 0, zone: 'DMA', min: 18, low: 22, high: 26, source: 't', line: 1, ...over };
}

function input(over: Partial<ServesInput> = {}): ServesInput {
  return {
    rules: rules('6.18'),
    order: 0,
    maxOrder: 10,
    watermarks: wm({ managed: 3840, present: 3998 }),
    markPages: 18,
    reservePages: 13386,
    flags: ['ALLOC_WMARK_MIN', 'ALLOC_CPUSET'],
    ...over,
  };
}

describe('servingOf', () => {
  it('this box\'s DMA for GFP_KERNEL: 3840 managed pages are not above min 18 + protection[Normal] 13386', () => {
    expect(servingOf(input())).toEqual({
      serves: false,
      reason: 'reserve',
      sizePages: 3840,
      sizeKind: 'managed',
      ceilingPages: 3840,
      needPages: 13404,
    });
  });

  it('the same DMA serves GFP_DMA32 (protection[DMA32] 3018): 3840 > 18 + 3018 = 3036, up to order 9', () => {
    const dma32 = input({ reservePages: 3018 });
    expect(servingOf(dma32)).toMatchObject({ serves: true, ceilingPages: 3840, needPages: 3036 });
    // order 9: 3840 - 511 = 3329 > 3036; order 10: 1024 <= 3840 but 3840 - 1023 = 2817 <= 3036
    expect(servingOf({ ...dma32, order: 9 })).toMatchObject({ serves: true, ceilingPages: 3329 });
    expect(servingOf({ ...dma32, order: 10 })).toMatchObject({ serves: false, reason: 'reserve', ceilingPages: 2817 });
    expect(largestServableOrder(dma32, () => dma32.flags)).toBe(9);
  });

  it('a request larger than the zone, and an order the kernel lacks', () => {
    // 2^12 = 4096 > 3840
    expect(servingOf(input({ order: 12, maxOrder: 12, reservePages: 0 }))).toMatchObject({ serves: false, reason: 'size' });
    expect(servingOf(input({ order: 11 }))).toEqual({ serves: false, reason: 'order' });
  });

  it('uses the adjusted mark: GFP_ATOMIC in the 6.3 model takes min/2 then min/4', () => {
    // min 1000 -> 500 -> 375; size 2000, reserve 1600: 2000 > 375 + 1600 = 1975 serves; at min 1000 it would not
    const atomic = input({
      watermarks: wm({ managed: 2000 }),
      markPages: 1000,
      reservePages: 1600,
      flags: ['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_MIN_RESERVE'],
    });
    expect(servingOf(atomic)).toMatchObject({ serves: true, needPages: 1975 });
    expect(servingOf({ ...atomic, flags: ['ALLOC_WMARK_MIN'] })).toMatchObject({ serves: false, needPages: 2600 });
  });

  it("takes the zone's CMA pages off for a request that may not use them (zoneinfo cma, 5.12+)", () => {
    // managed 5000, cma 2000: 5000 - 2000 = 3000 <= 18 + 3018 without ALLOC_CMA; with it 5000 > 3036
    const z = input({ watermarks: wm({ managed: 5000, cmaPages: 2000 }), reservePages: 3018 });
    expect(servingOf(z)).toMatchObject({ serves: false, ceilingPages: 3000 });
    expect(servingOf({ ...z, flags: ['ALLOC_WMARK_MIN', 'ALLOC_CMA'] })).toMatchObject({ serves: true, ceilingPages: 5000 });
  });

  it('sizes by present pages up to 3.8, and when managed is unknown; says nothing without either', () => {
    const old = input({ rules: rules('3.8'), watermarks: wm({ managed: 3840, present: 3998 }), reservePages: 3985 });
    // 3.8: present 3998 > 18 + 3985 = 4003? no: 3998 <= 4003
    expect(servingOf(old)).toMatchObject({ serves: false, sizeKind: 'present', sizePages: 3998 });
    expect(servingOf(input({ watermarks: wm({ present: 3998 }), reservePages: 3985 }))).toMatchObject({ sizeKind: 'present' });
    expect(servingOf(input({ watermarks: wm() }))).toEqual({ serves: true });
    expect(servingOf(input({ watermarks: undefined }))).toEqual({ serves: true });
  });
});
