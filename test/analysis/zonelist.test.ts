// Tests for the zonelist walk, lowmem_reserve indexing and the machine-wide check, worked by hand (kernel.md 1b).

import { describe, expect, it } from 'vitest';
import { gfpProfile } from '../../src/analysis/gfp-request.js';
import { walkOrder } from '../../src/analysis/walk.js';
import { effectiveHighestZone, zoneLayout, zoneTypeIndex } from '../../src/analysis/zone-layout.js';
import { checkMachine, type CheckRequest, type MachineInput } from '../../src/analysis/zonelist.js';
import { InputError, type TypeCount, type ZoneFree, type ZoneTypes, type ZoneWatermarks } from '../../src/model.js';
import { kernel, rules } from '../helpers/kernel.js';

function zf(node: number, zone: string, free: number[]): ZoneFree {
  return { node, zone, free, source: 'test', line: 1 };
}
function wm(node: number, zone: string, w: Partial<ZoneWatermarks> & { min: number }): ZoneWatermarks {
  return { node, zone, low: w.min, high: w.min, source: 'test', line: 1, ...w };
}
/** Per-order counts, 11 orders, with `first` free pages at order 0. */
function counts(first: number): number[] {
  return [first, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}

describe('zone type index', () => {
  it('x86-64 with a 5-entry protection array: DMA, DMA32, Normal, Movable, Device', () => {
    const l = zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 5 });
    expect(l.types).toEqual(['DMA', 'DMA32', 'Normal', 'Movable', 'Device']);
    expect(l.inferred).toBe(true);
    expect(zoneTypeIndex('Normal', l)).toBe(2);
    expect(zoneTypeIndex('Movable', l)).toBe(3);
    expect(zoneTypeIndex('HighMem', l)).toBeUndefined();
  });
  it('x86-64 2.6.32 with 4 entries: no Device', () => {
    expect(zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 4 }).types).toEqual(['DMA', 'DMA32', 'Normal', 'Movable']);
  });
  it('32-bit x86: DMA, Normal, HighMem, Movable', () => {
    const l = zoneLayout(['DMA', 'Normal', 'HighMem'], { reserveLength: 4 });
    expect(l.types).toEqual(['DMA', 'Normal', 'HighMem', 'Movable']);
    expect(zoneTypeIndex('highmem', l)).toBe(2);
  });
  it('arm32 with a single Normal zone and protection (0, 0): Normal, Movable (corpus 46)', () => {
    const l = zoneLayout(['Normal'], { reserveLength: 2 });
    expect(l.types).toEqual(['Normal', 'Movable']);
    expect(zoneTypeIndex('Normal', l)).toBe(0);
  });
  it('uses the indexes the source gives when they cover the array', () => {
    const known = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'].map((zone, index) => ({ zone, index }));
    const l = zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 5, known });
    expect(l).toEqual({ types: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'], inferred: false });
  });
  it('without an array length, the fewest types that hold the zones seen', () => {
    expect(zoneLayout(['DMA', 'DMA32', 'Normal']).types).toEqual(['DMA', 'DMA32', 'Normal', 'Movable']);
  });
  it('a missing highest zone falls back to Normal as gfp_zone does', () => {
    const x64 = zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 5 });
    const x32 = zoneLayout(['DMA', 'Normal', 'HighMem'], { reserveLength: 4 });
    const arm = zoneLayout(['Normal'], { reserveLength: 2 });
    expect(effectiveHighestZone('HighMem', x64)).toBe('Normal');
    expect(effectiveHighestZone('DMA32', x32)).toBe('Normal');
    expect(effectiveHighestZone('HighMem', x32)).toBe('HighMem');
    expect(effectiveHighestZone('DMA', arm)).toBe('Normal');
    expect(effectiveHighestZone('Movable', arm)).toBe('Movable');
  });
});

/**
 * Two nodes, x86-64, 5-entry protection arrays (DMA 0, DMA32 1, Normal 2, Movable 3, Device 4).
 * Node 0: Normal 1000 free, min 1200 (fails); DMA32 50000 free, min 1000, reserve[2] 3000 (50000 > 4000
 * passes); DMA 3000 free, min 50, reserve[2] 5000 (3000 <= 5050 fails). Node 1: Normal 100000, min 1000.
 */
const ZONES: ZoneFree[] = [
  zf(0, 'DMA', counts(3000)),
  zf(0, 'DMA32', counts(50000)),
  zf(0, 'Normal', counts(1000)),
  zf(1, 'Normal', counts(100000)),
];
const WATERMARKS: ZoneWatermarks[] = [
  wm(0, 'DMA', { freePages: 3000, min: 50, lowmemReserve: [0, 2000, 5000, 5000, 5000] }),
  wm(0, 'DMA32', { freePages: 50000, min: 1000, lowmemReserve: [0, 0, 3000, 3000, 3000] }),
  wm(0, 'Normal', { freePages: 1000, min: 1200, lowmemReserve: [0, 0, 0, 0, 0] }),
  wm(1, 'Normal', { freePages: 100000, min: 1000, lowmemReserve: [0, 0, 0, 0, 0] }),
];
const MACHINE: MachineInput = { zones: ZONES, watermarks: WATERMARKS };

function req(extra: Partial<CheckRequest> = {}): CheckRequest {
  return { order: 0, mark: 'min', gfp: gfpProfile('kernel'), kernel: kernel('6.18'), ...extra };
}

describe('walkOrder', () => {
  const layout = zoneLayout(['DMA', 'DMA32', 'Normal'], { reserveLength: 5 });
  const names = (w: ReturnType<typeof walkOrder<ZoneFree>>) => w.map((e) => `${e.zone.node}/${e.zone.zone}/${e.index}`);
  it('local node first, highest zone down, then the other nodes', () => {
    expect(names(walkOrder(ZONES, gfpProfile('kernel'), { layout }))).toEqual(['0/Normal/2', '0/DMA32/1', '0/DMA/0', '1/Normal/2']);
  });
  it('another local node goes first', () => {
    expect(names(walkOrder(ZONES, gfpProfile('kernel'), { layout, localNode: 1 }))).toEqual([
      '1/Normal/2',
      '0/Normal/2',
      '0/DMA32/1',
      '0/DMA/0',
    ]);
  });
  it('GFP_DMA32 skips the Normal zones', () => {
    expect(names(walkOrder(ZONES, gfpProfile('dma32'), { layout }))).toEqual(['0/DMA32/1', '0/DMA/0']);
  });
  it('--node and --zone restrict', () => {
    expect(names(walkOrder(ZONES, gfpProfile('kernel'), { layout, node: 1 }))).toEqual(['1/Normal/2']);
    expect(names(walkOrder(ZONES, gfpProfile('kernel'), { layout, zone: 'dma' }))).toEqual(['0/DMA/0']);
  });
});

describe('checkMachine on two nodes', () => {
  it('Normal fails, DMA32 serves it, DMA would refuse because of its reserve', () => {
    const r = checkMachine(MACHINE, req());
    expect(r.ok).toBe(true);
    expect(r.servedBy).toEqual({ node: 0, zone: 'DMA32' });
    expect(r.algorithm).toBe('modern');
    expect([r.kernelRelease, r.kernelOrigin, r.kernelFrom]).toEqual(['6.18', 'option', '--kernel']);
    expect(r.rules).toEqual(rules('6.18'));
    expect(r.rulesFrom.reserveIndex).toMatch(/^5\.8\+/);
    expect(r.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_CPUSET']);
    expect(r.zones.map((z) => [z.node, z.zone, z.code, z.reached])).toEqual([
      [0, 'Normal', 'BELOW_WATERMARK', true],
      [0, 'DMA32', 'PASS', true],
      // DMA: 3000 free > min 50, refused only by its reserve of 5000
      [0, 'DMA', 'LOWMEM_RESERVE', false],
      [1, 'Normal', 'PASS', false],
    ]);
    const [normal, dma32, dma] = r.zones;
    // Normal: 1000 <= 1200 + 0
    expect(normal).toMatchObject({ freePages: 1000, markPages: 1200, minPages: 1200, reservePages: 0, margin: -200 });
    // DMA32: reserve[2] = 3000; 50000 - 4000 = 46000
    expect(dma32).toMatchObject({ reservePages: 3000, reserveIndex: 2, margin: 46000, largestPassingOrder: 0 });
    // DMA: reserve[2] = 5000; 3000 - 5050 = -2050
    expect(dma).toMatchObject({ reservePages: 5000, reserveIndex: 2, margin: -2050 });
    expect(dma?.steps).toEqual([{ check: 'watermark', freePages: 3000, minPages: 50, reservePages: 5000, ok: false }]);
  });

  it('--node 1 restricts the walk to node 1', () => {
    const r = checkMachine(MACHINE, req({ node: 1 }));
    expect(r.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['1/Normal']);
    expect(r.servedBy).toEqual({ node: 1, zone: 'Normal' });
  });

  it('--zone DMA alone fails', () => {
    const r = checkMachine(MACHINE, req({ zone: 'DMA' }));
    expect(r.ok).toBe(false);
    expect(r.servedBy).toBeNull();
    expect(r.zones).toHaveLength(1);
  });

  it('a Movable request reads lowmem_reserve[3]', () => {
    const r = checkMachine(MACHINE, req({ gfp: gfpProfile('highuser-movable') }));
    expect(r.highestZone).toBe('Movable');
    expect(r.zones.find((z) => z.zone === 'DMA')).toMatchObject({ reserveIndex: 3, reservePages: 5000 });
    expect(r.flags).toContain('ALLOC_CMA');
  });

  it('GFP_HIGHUSER on x86-64 falls back to Normal', () => {
    const r = checkMachine(MACHINE, req({ gfp: gfpProfile('highuser') }));
    expect(r.highestZone).toBe('Normal');
    expect(r.zones.find((z) => z.zone === 'DMA')).toMatchObject({ reserveIndex: 2 });
  });

  it('a reserve override replaces lowmem_reserve', () => {
    const r = checkMachine(MACHINE, req({ zone: 'DMA', overrides: { reserve: 0 } }));
    // 3000 > 50 + 0
    expect(r.zones[0]).toMatchObject({ ok: true, reservePages: 0, reserveIndex: null });
  });

  it('a zone without watermarks is an InputError that says how to supply them', () => {
    const m: MachineInput = { zones: ZONES, watermarks: WATERMARKS.filter((w) => w.node !== 1) };
    expect(() => checkMachine(m, req())).toThrow(InputError);
    expect(() => checkMachine(m, req())).toThrow(
      'No min watermark is known for node 1 zone Normal: expected a zoneinfo from the same box that covers this zone ' +
        '(a file beside the buddyinfo, or DIR/zoneinfo with --proc DIR), an allocation-failure report that shows it, or --min PAGES.',
    );
    // the option named is the mark asked for
    expect(() => checkMachine(m, req({ mark: 'high' }))).toThrow(/^No high watermark .*, or --high PAGES\.$/);
    // an override of the chosen mark covers it
    const r = checkMachine(m, req({ overrides: { min: 1000 } }));
    expect(r.zones.find((z) => z.node === 1)).toMatchObject({ markPages: 1000, markSource: 'override', ok: true });
  });

  it('without NR_FREE_PAGES the buddy sum stands in, and a note says so', () => {
    const m: MachineInput = {
      zones: [zf(0, 'Normal', [10, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0])],
      watermarks: [wm(0, 'Normal', { min: 10 })],
    };
    const r = checkMachine(m, req());
    // 10 + 5*2 + 1*4 = 24
    expect(r.zones[0]).toMatchObject({ freePages: 24, freeSource: 'buddy', ok: true });
    expect(r.zones[0]?.notes.join(' ')).toMatch(/buddy counts/);
    expect(r.zones[0]?.notes.join(' ')).toMatch(/lowmem_reserve is unknown/);
  });

  it('an empty walk is an InputError', () => {
    expect(() => checkMachine(MACHINE, req({ node: 7 }))).toThrow(InputError);
    expect(() => checkMachine(MACHINE, req({ zone: 'Normal', gfp: gfpProfile('dma32') }))).toThrow(/GFP_DMA32/);
  });
});

describe('lowmem_reserve index before 5.8: the preferred zone', () => {
  /**
   * Node 0 has only DMA and DMA32; node 1 has DMA32 and Normal. GFP_KERNEL's preferred zone is node 0's
   * DMA32 (index 1). Node 1 DMA32: protection [0, 0, 4000, 4000, 4000]; free 4500, min 100.
   * 4.4 reads reserve[1] = 0: 4500 > 100 passes. 6.18 reads reserve[2] = 4000: 4500 > 4100 passes too, but
   * with min 500: 4500 <= 4500 fails, while 4.4 still passes. The switch is 5.7 -> 5.8 (3334a45).
   */
  const m: MachineInput = {
    zones: [zf(0, 'DMA', counts(10)), zf(0, 'DMA32', counts(10)), zf(1, 'DMA32', counts(4500)), zf(1, 'Normal', counts(10))],
    watermarks: [
      wm(0, 'DMA', { freePages: 10, min: 100, lowmemReserve: [0, 100, 200, 200, 200] }),
      wm(0, 'DMA32', { freePages: 10, min: 100, lowmemReserve: [0, 0, 0, 0, 0] }),
      wm(1, 'DMA32', { freePages: 4500, min: 500, lowmemReserve: [0, 0, 4000, 4000, 4000] }),
      wm(1, 'Normal', { freePages: 10, min: 100, lowmemReserve: [0, 0, 0, 0, 0] }),
    ],
  };
  it('4.4 uses the preferred zone index', () => {
    const r = checkMachine(m, req({ kernel: kernel('4.4') }));
    expect(r.rules.reserveIndex).toBe('preferred');
    expect(r.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA32', '0/DMA', '1/Normal', '1/DMA32']);
    expect(r.zones[3]).toMatchObject({ reserveIndex: 1, reservePages: 0, ok: true });
    expect(r.servedBy).toEqual({ node: 1, zone: 'DMA32' });
  });
  it('6.18 uses gfp_zone', () => {
    const r = checkMachine(m, req());
    expect(r.zones[3]).toMatchObject({ reserveIndex: 2, reservePages: 4000, ok: false, margin: 0 });
    expect(r.ok).toBe(false);
  });
  it('5.7 and 5.8 on each side of the switch', () => {
    const r57 = checkMachine(m, req({ kernel: kernel('5.7') }));
    expect(r57.zones[3]).toMatchObject({ reserveIndex: 1, reservePages: 0, ok: true });
    expect(r57.servedBy).toEqual({ node: 1, zone: 'DMA32' });
    const r58 = checkMachine(m, req({ kernel: kernel('5.8') }));
    expect(r58.zones[3]).toMatchObject({ reserveIndex: 2, reservePages: 4000, ok: false, margin: 0 });
    expect(r58.ok).toBe(false);
  });
  it('the release 4.15 is before 5.8: it reads the preferred zone (the old "4.15" generation read gfp_zone)', () => {
    expect(checkMachine(m, req({ kernel: kernel('4.15') })).zones[3]).toMatchObject({ reserveIndex: 1, ok: true });
  });
  it('the rule can be given with --rules', () => {
    const r = checkMachine(m, req({ kernel: kernel('5.10', { rules: ['reserveIndex=preferred'] }) }));
    expect(r.ok).toBe(true);
    expect(r.rules.reserveIndex).toBe('preferred');
    expect(r.rulesFrom.reserveIndex).toBe('--rules reserveIndex=preferred');
    expect(checkMachine(m, req({ kernel: kernel('4.4', { rules: ['reserveIndex=highest'] }) })).ok).toBe(false);
  });
});

/** corpus 45/46: arm32 MDM9607, 3.18.20, one Normal zone, protection (0, 0), 33393 free, min 398, nr_free_cma 1582. */
describe('arm32 single zone with CMA (corpus 45, 46)', () => {
  // per-order sums of the pagetypeinfo rows; pages 1+4+12+16+16+64+128+640+1792+3072+27648 = 33393
  const buddy = [1, 2, 3, 2, 1, 2, 2, 5, 7, 6, 27];
  const row = (xs: number[]): TypeCount[] => xs.map((count) => ({ count, atLeast: false }));
  const types: ZoneTypes = {
    node: 0,
    zone: 'Normal',
    free: {
      Unmovable: row([1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0]),
      Reclaimable: row([0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0]),
      Movable: row([0, 1, 1, 0, 0, 0, 0, 2, 4, 4, 26]),
      CMA: row([0, 1, 1, 1, 0, 1, 0, 2, 1, 2, 0]),
      Reserve: row([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      Isolate: row([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    },
    source: 'test',
    line: 1,
  };
  const m: MachineInput = {
    zones: [zf(0, 'Normal', buddy)],
    watermarks: [wm(0, 'Normal', { freePages: 33393, min: 398, low: 497, high: 597, lowmemReserve: [0, 0], freeCma: 1582 })],
    types: [types],
  };
  // The old "3.7" generation had the 3.10-4.3 CMA rule (order-0 test only), which 3.18.20 also has.
  it('3.18 GFP_KERNEL order 4: CMA left out of the order-0 test only', () => {
    const r = checkMachine(m, req({ kernel: kernel('3.10'), order: 4 }));
    expect(r.zoneLayout).toEqual(['Normal', 'Movable']);
    const z = r.zones[0];
    expect(z?.steps).toEqual([
      // 33393 - 15 = 33378; 33378 - 1582 = 31796 > 398
      { check: 'watermark', freePages: 31796, minPages: 398, reservePages: 0, cmaPages: 1582, ok: true },
      // 33378 - 1 = 33377 > 199
      { check: 'order', order: 0, freePages: 33377, minPages: 199, ok: true },
      // 33377 - 2*2 = 33373 > 99
      { check: 'order', order: 1, freePages: 33373, minPages: 99, ok: true },
      // 33373 - 3*4 = 33361 > 49
      { check: 'order', order: 2, freePages: 33361, minPages: 49, ok: true },
      // 33361 - 2*8 = 33345 > 24
      { check: 'order', order: 3, freePages: 33345, minPages: 24, ok: true },
    ]);
    expect(z).toMatchObject({ reserveIndex: 0, margin: 31796 - 398, cmaPages: 1582 });
  });
  it('GFP_HIGHUSER_MOVABLE reads protection[1] and keeps the CMA pages', () => {
    const r = checkMachine(m, req({ kernel: kernel('3.10', { rules: ['reserveIndex=highest'] }), order: 4, gfp: gfpProfile('highuser-movable') }));
    expect(r.zones[0]).toMatchObject({ reserveIndex: 1, reservePages: 0, cmaPages: 0 });
    expect(r.zones[0]?.steps[0]).toEqual({ check: 'watermark', freePages: 33378, minPages: 398, reservePages: 0, ok: true });
  });
  it('the OOM retry (high mark) has no ALLOC_CMA even for a movable request (kernel.md 1b)', () => {
    const r = checkMachine(m, req({ kernel: kernel('3.10'), order: 4, gfp: gfpProfile('highuser-movable'), mark: 'high' }));
    expect(r.path).toBe('oom');
    expect(r.flags).toEqual(['ALLOC_WMARK_HIGH', 'ALLOC_CPUSET']);
    // 33393 - 15 - 1582 = 31796 > 597 + protection[0] 0 (preferred zone Normal)
    expect(r.zones[0]?.steps[0]).toEqual({ check: 'watermark', freePages: 31796, minPages: 597, reservePages: 0, cmaPages: 1582, ok: true });
  });
  it('GFP_DMA falls back to Normal here', () => {
    expect(checkMachine(m, req({ kernel: kernel('3.10'), gfp: gfpProfile('dma') })).highestZone).toBe('Normal');
  });
  it('the same zone on 4.4 rules: the per-type counts feed the block search', () => {
    const r = checkMachine(m, req({ kernel: kernel('4.4'), order: 10 }));
    // 33393 - 1023 - 1582 = 30788 > 398; order 10 has Movable and Reserve blocks
    expect(r.zones[0]?.steps).toEqual([
      { check: 'watermark', freePages: 30788, minPages: 398, reservePages: 0, cmaPages: 1582, ok: true },
      { check: 'block', order: 10, blocks: 27, usable: true, lists: ['Movable', 'Reserve'], ok: true },
    ]);
    expect(r.zones[0]?.assumedUsableBlocks).toBe(false);
    expect(r.zones[0]?.listsKnown).toBe(true);
  });
});

describe('highatomic sources', () => {
  const zone = [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
  const types: ZoneTypes = {
    node: 0,
    zone: 'Normal',
    free: { HighAtomic: [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0].map((count) => ({ count, atLeast: false })) },
    source: 'test',
    line: 1,
  };
  it('6.12+ uses free_highatomic, else the HighAtomic free pages of pagetypeinfo', () => {
    const withFree: MachineInput = {
      zones: [zf(0, 'Normal', zone)],
      watermarks: [wm(0, 'Normal', { freePages: 32, min: 1, freeHighatomic: 8, reservedHighatomic: 1024 })],
    };
    expect(checkMachine(withFree, req({ kernel: kernel('6.12') })).zones[0]?.highatomicPages).toBe(8);
    const fromTypes: MachineInput = {
      zones: [zf(0, 'Normal', zone)],
      watermarks: [wm(0, 'Normal', { freePages: 32, min: 1, reservedHighatomic: 1024 })],
      types: [types],
    };
    // 3 blocks of order 3 = 24 pages
    expect(checkMachine(fromTypes, req({ kernel: kernel('6.12') })).zones[0]?.highatomicPages).toBe(24);
    // <= 6.11 uses the reserved size
    expect(checkMachine(fromTypes, req({ kernel: kernel('6.3') })).zones[0]?.highatomicPages).toBe(1024);
    // 6.11 still reads the reserved size, 6.12.0 the free pages (M7, no backport seen)
    expect(checkMachine(fromTypes, req({ kernel: kernel('6.11.11') })).zones[0]?.highatomicPages).toBe(1024);
    expect(checkMachine(fromTypes, req({ kernel: kernel('6.12.0') })).zones[0]?.highatomicPages).toBe(24);
    // 6.1.157 has the 6.3 flags and the HIGHATOMIC rule but still the reserved size
    expect(checkMachine(fromTypes, req({ kernel: kernel('6.1.157') })).zones[0]?.highatomicPages).toBe(1024);
  });
});

describe('nr_reserved_highatomic up to 6.11 (4.4 to 6.11 subtract it, kernel.md 1a)', () => {
  // One Normal zone with 700 free pages, all at order 0; min 690, protection 0; 5.10 rules.
  const zones = [zf(0, 'Normal', counts(700))];
  const watermarks = [wm(0, 'Normal', { freePages: 700, min: 690, lowmemReserve: [0, 0] })];
  const perOrder = (first: number) => counts(first).map((count) => ({ count, atLeast: false }));
  /** pagetypeinfo of the zone: `highatomicFree` pages at order 0 on the HighAtomic list, the rest Movable. */
  function types(highatomicFree: number, blocks?: Record<string, number>, pagesPerBlock?: number): ZoneTypes {
    const t: ZoneTypes = {
      node: 0,
      zone: 'Normal',
      free: { Movable: perOrder(700 - highatomicFree), HighAtomic: perOrder(highatomicFree) },
      source: 'test',
      line: 1,
    };
    if (blocks !== undefined) t.blocks = blocks;
    if (pagesPerBlock !== undefined) t.pagesPerBlock = pagesPerBlock;
    return t;
  }
  const on = (over: Partial<CheckRequest> = {}) => req({ kernel: kernel('5.10'), ...over });

  it('is HighAtomic pageblocks times pages per block when pagetypeinfo has the blocks table', () => {
    const m: MachineInput = { zones, watermarks, types: [types(0, { Movable: 1000, HighAtomic: 200 }, 4)] };
    const z = checkMachine(m, on()).zones[0];
    // 200 blocks * 4 pages = 800 reserved; free = 700 - 0 - 800 = -100 <= 690 + 0: FAIL
    expect(z?.highatomicPages).toBe(800);
    expect(z?.steps).toEqual([
      { check: 'watermark', freePages: -100, minPages: 690, reservePages: 0, highatomicPages: 800, ok: false },
    ]);
    expect(z?.code).toBe('BELOW_WATERMARK');
    expect(z?.notes).toEqual([]);
  });

  it('a blocks table with no HighAtomic block says 0 exactly, without a note', () => {
    const m: MachineInput = { zones, watermarks, types: [types(0, { Movable: 1200, HighAtomic: 0 }, 4)] };
    const z = checkMachine(m, on()).zones[0];
    // 700 > 690: PASS
    expect(z).toMatchObject({ ok: true, highatomicPages: 0, notes: [] });
  });

  it('the reserved size a report prints wins over the blocks table', () => {
    const m: MachineInput = {
      zones,
      watermarks: [wm(0, 'Normal', { freePages: 700, min: 690, lowmemReserve: [0, 0], reservedHighatomic: 4 })],
      types: [types(0, { HighAtomic: 200 }, 4)],
    };
    // 700 - 4 = 696 > 690
    expect(checkMachine(m, on()).zones[0]).toMatchObject({ ok: true, highatomicPages: 4 });
  });

  it('without the blocks table the free HighAtomic pages stand in, a lower bound, with a note', () => {
    const m: MachineInput = { zones, watermarks, types: [types(8)] };
    const z = checkMachine(m, on()).zones[0];
    // 700 - 8 = 692 > 690
    expect(z).toMatchObject({ ok: true, highatomicPages: 8 });
    expect(z?.notes).toEqual([
      'nr_reserved_highatomic is unknown; the free HighAtomic blocks (8 pages), a lower bound, stand in for it.',
    ]);
  });

  it('with empty HighAtomic lists and no blocks table 0 is assumed, and a note says so', () => {
    const z = checkMachine({ zones, watermarks, types: [types(0)] }, on()).zones[0];
    expect(z).toMatchObject({ ok: true, highatomicPages: 0 });
    expect(z?.notes.join(' ')).toMatch(/^nr_reserved_highatomic is unknown and the HighAtomic lists hold no free pages; 0 is assumed/);
  });

  it('with no pagetypeinfo at all 0 is assumed, and a note says so', () => {
    const z = checkMachine({ zones, watermarks }, on()).zones[0];
    expect(z).toMatchObject({ ok: true, highatomicPages: 0 });
    expect(z?.notes).toEqual([
      'nr_reserved_highatomic is unknown; 0 is assumed (a report\'s reserved_highatomic or pagetypeinfo\'s "Number of blocks type" table gives it).',
    ]);
  });

  it('no note for a request the subtraction does not apply to (GFP_ATOMIC has ALLOC_HARDER in 4.15-6.2)', () => {
    const z = checkMachine({ zones, watermarks }, on({ gfp: gfpProfile('atomic') })).zones[0];
    expect(z?.notes).toEqual([]);
  });

  it('no such note before 4.4, which has no highatomic reserve', () => {
    expect(checkMachine({ zones, watermarks }, on({ kernel: kernel('3.10') })).zones[0]?.notes).toEqual([]);
  });

  it('6.12+ keeps the free HighAtomic pages (nr_free_highatomic), not the blocks table', () => {
    const m: MachineInput = { zones, watermarks, types: [types(8, { Movable: 1000, HighAtomic: 200 }, 4)] };
    // 8 free pages on the HighAtomic list, not 200 * 4 = 800: 700 - 8 = 692 > 690
    expect(checkMachine(m, on({ kernel: kernel('6.12') })).zones[0]).toMatchObject({ ok: true, highatomicPages: 8 });
    expect(checkMachine(m, on({ kernel: kernel('6.3') })).zones[0]).toMatchObject({ ok: false, highatomicPages: 800 });
  });
});

describe('__GFP_NOMEMALLOC up to 3.6 depends on the release (2.6.38+ withholds ALLOC_HARDER, M20)', () => {
  // GFP_ATOMIC|__GFP_COMP|__GFP_NOMEMALLOC, order 0, one zone: 800 free pages, min 1769, protection 0.
  const gfp = { ...gfpProfile('atomic'), name: 'GFP_ATOMIC|__GFP_COMP|__GFP_NOMEMALLOC', noMemalloc: true };
  const m: MachineInput = {
    zones: [zf(0, 'Normal', counts(800))],
    watermarks: [wm(0, 'Normal', { freePages: 800, min: 1769, lowmemReserve: [0, 0] })],
  };

  it('3.2: ALLOC_HIGH only, min 1769 - 884 = 885, and 800 <= 885 fails', () => {
    const r = checkMachine(m, req({ kernel: kernel('3.2.0-4-amd64'), gfp }));
    expect(r.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HIGH']);
    expect(r.zones[0]?.steps).toEqual([{ check: 'watermark', freePages: 800, minPages: 885, reservePages: 0, ok: false }]);
    expect(r.notes).toBeUndefined();
  });

  it('2.6.37: ALLOC_HARDER too, 885 - 221 = 664, and 800 > 664 passes', () => {
    const r = checkMachine(m, req({ kernel: kernel('2.6.37'), gfp }));
    expect(r.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH']);
    expect(r.zones[0]?.steps[0]).toMatchObject({ freePages: 800, minPages: 664, ok: true });
    expect(r.notes).toBeUndefined();
  });

  // The release now decides the rule (rules.nomemallocNoHarder), so the old "no release" case and its
  // note ("the rule depends on the release") are gone: 2.6.32 itself is before 2.6.38 and keeps HARDER.
  it('2.6.32: keeps ALLOC_HARDER (664), with no note', () => {
    const r = checkMachine(m, req({ kernel: kernel('2.6.32'), gfp }));
    expect(r.zones[0]?.minPages).toBe(664);
    expect(r.rules.nomemallocNoHarder).toBe(false);
    expect(r.notes).toBeUndefined();
  });

  it('2.6.38 withholds it: 800 <= 885', () => {
    const r = checkMachine(m, req({ kernel: kernel('2.6.38'), gfp }));
    expect(r.zones[0]?.minPages).toBe(885);
    expect(r.ok).toBe(false);
  });

  it('--rules nomemallocNoHarder=yes on 2.6.32 withholds it too', () => {
    const r = checkMachine(m, req({ kernel: kernel('2.6.32', { rules: ['nomemallocNoHarder=yes'] }), gfp }));
    expect(r.flags).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_HIGH']);
  });

  it('the fast path has no reserve flags at all: LOW|CPUSET', () => {
    expect(checkMachine(m, req({ kernel: kernel('2.6.32'), gfp, mark: 'low' })).flags).toEqual(['ALLOC_WMARK_LOW', 'ALLOC_CPUSET']);
  });
});
