// The machine-wide check made exact by pagetypeinfo: buddyinfo alone says PASS, the per-type counts say FAIL.

import { describe, expect, it } from 'vitest';
import { gfpProfile } from '../../src/analysis/gfp-request.js';
import { checkMachine, type CheckRequest, type MachineInput } from '../../src/analysis/zonelist.js';
import { loadMachine } from '../../src/input/machine.js';
import type { ZoneFree } from '../../src/model.js';
import { parsePagetypeinfo } from '../../src/parse/pagetypeinfo.js';
import { parseZoneinfo } from '../../src/parse/zoneinfo.js';
import { fakeIo, fixture } from '../helpers/io.js';
import { kernel } from '../helpers/kernel.js';

/**
 * fixtures/proc-cma-only (hand-written, 6.18.2): one Normal zone with buddyinfo
 * 20000 5000 1000 200 0 0 0 0 0 4 8, pages free 45840, min/low/high 4000/5000/6000, protection (0, 0),
 * nr_free_cma 10240. pagetypeinfo puts orders 0-3 on the Movable lists and every order-9 and order-10
 * block on the CMA list (4*512 + 8*1024 = 10240, which is nr_free_cma).
 */
const ZONE: ZoneFree = { node: 0, zone: 'Normal', free: [20000, 5000, 1000, 200, 0, 0, 0, 0, 0, 4, 8], source: 'buddyinfo', line: 1 };
const WATERMARKS = parseZoneinfo(fixture('proc-cma-only/zoneinfo'), 'zoneinfo').zones;
const TYPES = parsePagetypeinfo(fixture('proc-cma-only/pagetypeinfo'), 'pagetypeinfo').zones;

const BUDDY_ONLY: MachineInput = { zones: [ZONE], watermarks: WATERMARKS };
const WITH_TYPES: MachineInput = { zones: [ZONE], watermarks: WATERMARKS, types: TYPES };

function req(over: Partial<CheckRequest> = {}): CheckRequest {
  return { order: 9, mark: 'min', gfp: gfpProfile('kernel'), kernel: kernel('6.18'), ...over };
}

describe('only CMA blocks at the high orders (6.18, GFP_KERNEL, order 9, min mark)', () => {
  it('the fixture is what the test says it is', () => {
    expect(WATERMARKS.find((w) => w.zone === 'Normal')).toMatchObject({ freePages: 45840, min: 4000, freeCma: 10240, lowmemReserve: [0, 0] });
    const normal = TYPES[0];
    expect(normal?.free.CMA?.map((c) => c.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8]);
    expect(normal?.free.Movable?.map((c) => c.count)).toEqual([20000, 5000, 1000, 200, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('buddyinfo alone: PASS, by assuming the order-9 blocks are on a usable list', () => {
    const r = checkMachine(BUDDY_ONLY, req());
    expect(r.ok).toBe(true);
    expect(r.zones[0]).toMatchObject({ code: 'PASS', assumedUsableBlocks: true, listsKnown: false, largestPassingOrder: 10 });
  });

  it('with pagetypeinfo: FAIL, the blocks of order >= 9 are all CMA and GFP_KERNEL may not use CMA', () => {
    const r = checkMachine(WITH_TYPES, req());
    expect(r.ok).toBe(false);
    expect(r.servedBy).toBeNull();
    const z = r.zones[0];
    expect(z).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['CMA'], assumedUsableBlocks: false, listsKnown: true });
    expect(z?.steps).toEqual([
      // free = 45840 - (2^9 - 1) - 10240 CMA = 35089; min 4000, reserve protection[0] = 0
      { check: 'watermark', freePages: 35089, minPages: 4000, reservePages: 0, cmaPages: 10240, ok: true },
      { check: 'block', order: 9, blocks: 4, usable: false, lists: ['CMA'], ok: false },
      { check: 'block', order: 10, blocks: 8, usable: false, lists: ['CMA'], ok: false },
    ]);
    // Order 3 still finds Movable blocks: free = 45840 - 7 - 10240 = 35593 > 4000.
    expect(z?.largestPassingOrder).toBe(3);
  });

  it('the order just above the Movable blocks fails the same way, the order below passes', () => {
    expect(checkMachine(WITH_TYPES, req({ order: 4 })).zones[0]?.code).toBe('ONLY_RESERVED_BLOCKS');
    expect(checkMachine(WITH_TYPES, req({ order: 3 })).zones[0]?.code).toBe('PASS');
  });

  it('a movable request may use CMA (ALLOC_CMA), so the same counts PASS for GFP_HIGHUSER_MOVABLE', () => {
    const r = checkMachine(WITH_TYPES, req({ gfp: gfpProfile('highuser-movable') }));
    expect(r.ok).toBe(true);
    // With ALLOC_CMA the CMA pages stay in: 45840 - 511 = 45329
    expect(r.zones[0]?.steps[0]).toMatchObject({ check: 'watermark', freePages: 45329, ok: true });
    expect(r.zones[0]?.steps[1]).toMatchObject({ check: 'block', order: 9, lists: ['CMA'], usable: true });
  });

  it('4.4-4.14.0 ALLOC_HARDER takes any non-empty order, CMA-only included (kernel.md 3.2)', () => {
    const r = checkMachine(WITH_TYPES, req({ kernel: kernel('4.4'), gfp: gfpProfile('atomic') }));
    expect(r.ok).toBe(true);
    expect(r.zones[0]?.steps[1]).toMatchObject({ check: 'block', order: 9, anyList: true });
    // 4.14.177 has the M4 fix: the CMA-only orders are refused, as in 4.15
    const fixed = checkMachine(WITH_TYPES, req({ kernel: kernel('4.14.177'), gfp: gfpProfile('atomic') }));
    expect(fixed.zones[0]).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['CMA'] });
  });

  it('without nr_free_cma the free CMA blocks stand in for it, with a note, and the verdict is the same', () => {
    const watermarks = WATERMARKS.map((w) => ({ ...w, freeCma: undefined }));
    const z = checkMachine({ ...WITH_TYPES, watermarks }, req()).zones[0];
    expect(z).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', cmaPages: 10240 });
    expect(z?.notes.join(' ')).toMatch(/NR_FREE_CMA_PAGES is unknown; the free CMA blocks \(10240 pages\)/);
  });
});

describe('the per-type counts reach the check from a saved procfs (--proc)', () => {
  const files = Object.fromEntries(
    ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version'].map((f) => [`sos/proc/${f}`, fixture(`proc-cma-only/${f}`)]),
  );

  it('loadMachine with want.types carries them, and the check turns exact', async () => {
    const m = await loadMachine(fakeIo({ files }), { files: [], proc: 'sos/proc', want: { watermarks: true, types: true } });
    const last = m.snapshots[m.snapshots.length - 1];
    expect(m.types.map((t) => t.zone)).toEqual(['Normal']);
    expect(m.kernel?.version).toBe('6.18.2');
    const r = checkMachine({ zones: last?.zones ?? [], watermarks: m.watermarks, types: m.types }, req());
    expect(r.zones[0]).toMatchObject({ code: 'ONLY_RESERVED_BLOCKS', listsKnown: true });
  });

  it('a procfs without pagetypeinfo says so once and the check falls back to assuming', async () => {
    const { 'sos/proc/pagetypeinfo': _gone, ...rest } = files;
    const m = await loadMachine(fakeIo({ files: rest }), { files: [], proc: 'sos/proc', want: { watermarks: true, types: true } });
    expect(m.notes).toEqual(['Could not read sos/proc/pagetypeinfo: carrying on without it.']);
    const last = m.snapshots[m.snapshots.length - 1];
    const r = checkMachine({ zones: last?.zones ?? [], watermarks: m.watermarks, types: m.types }, req());
    expect(r.zones[0]).toMatchObject({ code: 'PASS', assumedUsableBlocks: true });
  });
});

describe('the reserved highatomic size read off pagetypeinfo\'s blocks table (5.10 rules, GFP_KERNEL, order 0)', () => {
  /**
   * fixtures/proc-highatomic-reserved (hand-written): one Normal zone, buddyinfo 124 50 25 25 5 1 1
   * (124 + 100 + 100 + 200 + 80 + 32 + 64 = 700 pages = pages free), min 690, protection (0, 0), no CMA.
   * Page block order 2, so 4 pages per block; 200 HighAtomic pageblocks and no free page on the
   * HighAtomic lists. reserve_highatomic_pageblock adds 4 pages per block: nr_reserved_highatomic = 800.
   */
  const zone: ZoneFree = { node: 0, zone: 'Normal', free: [124, 50, 25, 25, 5, 1, 1, 0, 0, 0, 0], source: 'buddyinfo', line: 1 };
  const watermarks = parseZoneinfo(fixture('proc-highatomic-reserved/zoneinfo'), 'zoneinfo').zones;
  const types = parsePagetypeinfo(fixture('proc-highatomic-reserved/pagetypeinfo'), 'pagetypeinfo').zones;
  // The old "4.15" generation with the highest-zone reserve index: release 5.10 has both (5.8+, 3334a45).
  const request = req({ order: 0, kernel: kernel('5.10') });

  it('the fixture is what the test says it is', () => {
    expect(watermarks.find((w) => w.zone === 'Normal')).toMatchObject({ freePages: 700, min: 690, lowmemReserve: [0, 0] });
    expect(types[0]).toMatchObject({ pagesPerBlock: 4, blocks: { HighAtomic: 200 } });
    expect(types[0]?.free.HighAtomic?.every((c) => c.count === 0)).toBe(true);
  });

  it('FAIL: free = 700 - 0 - 200 * 4 = -100 <= 690 + 0', () => {
    const r = checkMachine({ zones: [zone], watermarks, types }, request);
    expect(r.ok).toBe(false);
    expect(r.zones[0]).toMatchObject({ code: 'BELOW_WATERMARK', highatomicPages: 800, notes: [] });
    expect(r.zones[0]?.steps).toEqual([
      { check: 'watermark', freePages: -100, minPages: 690, reservePages: 0, highatomicPages: 800, ok: false },
    ]);
  });

  it('without pagetypeinfo the reserve is unknown: 700 > 690 passes, and a note says 0 was assumed', () => {
    const r = checkMachine({ zones: [zone], watermarks }, request);
    expect(r.ok).toBe(true);
    expect(r.zones[0]?.notes.join(' ')).toMatch(/nr_reserved_highatomic is unknown; 0 is assumed/);
  });
});
