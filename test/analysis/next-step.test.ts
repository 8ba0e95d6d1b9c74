// The walk's next step (kernel.md 4.5): each row of the verdict table on hand-built zones, first match wins.

import { describe, expect, it } from 'vitest';
import { gfpProfile } from '../../src/analysis/gfp-request.js';
import { addNextStep, type NextStepOptions } from '../../src/analysis/next-step.js';
import { checkMachine, type CheckRequest, type MachineInput } from '../../src/analysis/zonelist.js';
import type { ReclaimableCounts, ZoneFree, ZoneWatermarks } from '../../src/model.js';
import { kernel } from '../helpers/kernel.js';

const OPTS: NextStepOptions = { threshold: { value: 500, source: 'default' } };

function free(zone: string, counts: number[]): ZoneFree {
  return { node: 0, zone, free: counts, source: 't', line: 1 };
}

function wm(zone: string, over: Partial<ZoneWatermarks>): ZoneWatermarks {
  return { node: 0, zone, min: 1000, low: 1250, high: 1500, lowmemReserve: [0, 0, 0, 0, 0], source: 't', line: 1, ...over };
}

const LRU = (file: number, anon = 0): ReclaimableCounts => ({ activeFile: file, inactiveFile: 0, activeAnon: anon, inactiveAnon: 0 });

function run(input: MachineInput, req: Partial<CheckRequest>, opts: NextStepOptions = OPTS) {
  const request: CheckRequest = { order: 0, mark: 'min', gfp: gfpProfile('kernel'), kernel: kernel('6.1'), ...req };
  const result = checkMachine(input, request);
  const next = addNextStep(result, input, request, opts);
  return { result, next };
}

describe('kernel.md 4.5, row by row', () => {
  it('the issue: ten free order-8 blocks, order 9 on 6.1: COMPACTION_SKIPPED_INDEX (index 400 <= 500)', () => {
    const input = { zones: [free('Normal', [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0])], watermarks: [wm('Normal', { freePages: 2560 })] };
    const { result, next } = run(input, { order: 9 });
    expect(result.zones[0]).toMatchObject({ code: 'NO_BLOCK', next: 'COMPACTION_SKIPPED_INDEX' });
    expect(next?.code).toBe('COMPACTION_SKIPPED_INDEX');
    expect(next?.text).toBe(
      'Direct compaction is skipped in node 0 Normal: the fragmentation index at order 9 is 400 (thousandths), at or below vm.extfrag_threshold 500 (default), so the kernel reads the failure as lack of memory and reclaims instead.',
    );
  });

  it('ORDER_TOO_LARGE: order 11 where the kernel has orders 0-10', () => {
    const input = { zones: [free('Normal', Array(11).fill(1) as number[])], watermarks: [wm('Normal', { freePages: 2047 })] };
    expect(run(input, { order: 11 }).next?.code).toBe('ORDER_TOO_LARGE');
  });

  it('NEVER_SERVES: a DMA zone of 3840 managed pages with protection[Normal] 13386 for GFP_KERNEL', () => {
    const dma = wm('DMA', { min: 18, low: 22, high: 26, freePages: 3840, managed: 3840, lowmemReserve: [0, 3018, 13386, 13386, 13386] });
    const input = { zones: [free('DMA', [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3])], watermarks: [dma] };
    const { next } = run(input, { order: 0 });
    expect(next).toMatchObject({ code: 'NEVER_SERVES', zones: [{ node: 0, zone: 'DMA' }] });
    // the same zone with a report that lost other zones: the walk is not called NEVER_SERVES
    const lost = run(input, { order: 0 }, { ...OPTS, incomplete: true });
    expect(lost.next).toBeUndefined();
    expect(lost.result.notes?.join(' ')).toMatch(/the others were lost/);
  });

  it('CHECK_PASSES when a zone passes; SLOW_PATH_PASSES when low fails but min passes', () => {
    // 1200 free, order 0: min 1000 passes (1200 > 1000), low 1250 fails
    const input = { zones: [free('Normal', [1200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])], watermarks: [wm('Normal', { freePages: 1200 })] };
    expect(run(input, {}).next?.code).toBe('CHECK_PASSES');
    const low = run(input, { mark: 'low' });
    expect(low.result.ok).toBe(false);
    expect(low.next?.code).toBe('SLOW_PATH_PASSES');
    expect(low.result.zones[0]?.compaction?.decision).toBe('not-needed');
  });

  it('order 0: RECLAIM_FIRST when NRF + R passes the order-0 test, RECLAIM_CANNOT_HELP when not', () => {
    // 900 free <= 1000; + 101 file pages = 1001 > 1000; + 100 = 1000 does not pass
    const at = (file: number) => ({
      zones: [free('Normal', [900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
      watermarks: [wm('Normal', { freePages: 900, reclaimable: LRU(file) })],
    });
    expect(run(at(101), {}).next?.code).toBe('RECLAIM_FIRST');
    expect(run(at(101), {}).result.zones[0]?.reclaim).toEqual({ reclaimablePages: 101, anonCounted: false, ok: true });
    const none = run(at(100), {});
    expect(none.next?.code).toBe('RECLAIM_CANNOT_HELP');
    expect(none.next?.text).toMatch(/the kernel invokes the OOM killer/);
  });

  it('anonymous pages count only with free swap: unknown swap says so, no swap cannot help', () => {
    // 900 + 50 file = 950 <= 1000; + 60 anon = 1010 > 1000
    const input = {
      zones: [free('Normal', [900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
      watermarks: [wm('Normal', { freePages: 900, reclaimable: LRU(50, 60) })],
    };
    const unknown = run(input, {});
    expect(unknown.next?.code).toBe('RECLAIM_FIRST');
    expect(unknown.result.zones[0]?.reclaim).toEqual({ reclaimablePages: 110, anonCounted: true, ok: true, needsSwap: true });
    expect(run(input, {}, { ...OPTS, freeSwapKiB: 0 }).next?.code).toBe('RECLAIM_CANNOT_HELP');
    expect(run(input, {}, { ...OPTS, freeSwapKiB: 4096 }).result.zones[0]?.reclaim).toEqual({ reclaimablePages: 110, anonCounted: true, ok: true, swapKnown: true });
  });

  it('order 4: RECLAIM_FIRST counts R/N (compaction_zonelist_suitable, 4.7+), all of R before 4.7', () => {
    // No block of order >= 4; step 2 at low 1250 + compact_gap 32 = 1282: NRF 1200 <= 1282, skipped.
    // R = 400: 400/4 = 100 -> 1300 > 1282 on 6.1. R = 300: 300/4 = 75 -> 1275 <= 1282 on 6.1 (cannot help),
    // while 4.6 (no compaction_zonelist_suitable) counts all of it: 1500 > 1282 (reclaim first).
    const input = (r: number) => ({
      zones: [free('Normal', [1200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
      watermarks: [wm('Normal', { freePages: 1200, reclaimable: LRU(r) })],
    });
    expect(run(input(400), { order: 4 }).next?.code).toBe('RECLAIM_FIRST');
    expect(run(input(300), { order: 4 }).next?.code).toBe('RECLAIM_CANNOT_HELP');
    expect(run(input(300), { order: 4 }).next?.text).toMatch(/the request fails \(orders above 3 never invoke the OOM killer\)/);
    expect(run(input(300), { order: 4, kernel: kernel('4.6') }).next?.code).toBe('RECLAIM_FIRST');
  });

  it('NO_DIRECT_RECLAIM for GFP_ATOMIC, with what kcompactd would face in the background', () => {
    const input = { zones: [free('Normal', [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0])], watermarks: [wm('Normal', { freePages: 2560 })] };
    const { result, next } = run(input, { order: 9, gfp: gfpProfile('atomic') });
    expect(result.zones[0]?.compaction).toMatchObject({ decision: 'not-attempted', order0: { ok: true } });
    // step 2 passes and the index 400 <= 500: in the background, compaction would be skipped too
    expect(next).toMatchObject({ code: 'NO_DIRECT_RECLAIM', background: 'COMPACTION_SKIPPED_INDEX' });
    // at order 0 too: the slow path gives up before reclaim when it cannot sleep
    const low = { zones: [free('Normal', [900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])], watermarks: [wm('Normal', { freePages: 900, reclaimable: LRU(500) })] };
    // GFP_ATOMIC on 6.1 (legacy flags): min 1000 -> 500 (HIGH) -> 375 (HARDER) < 900 passes; GFP_NOWAIT keeps 1000
    expect(run(low, { gfp: gfpProfile('nowait') }).next).toMatchObject({ code: 'NO_DIRECT_RECLAIM', background: 'RECLAIM_FIRST' });
  });

  it('NO_DIRECT_COMPACTION for GFP_NOIO (4.10+: compaction needs __GFP_IO), which may still reclaim', () => {
    const input = { zones: [free('Normal', [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0])], watermarks: [wm('Normal', { freePages: 2560 })] };
    const noio = { ...gfpProfile('kernel'), name: 'GFP_NOIO', io: false, fs: false };
    const { result, next } = run(input, { order: 9, gfp: noio });
    expect(result.zones[0]?.compaction?.why).toMatch(/__GFP_IO/);
    expect(next).toMatchObject({ code: 'NO_DIRECT_COMPACTION', background: 'COMPACTION_SKIPPED_INDEX' });
  });

  it('COMPACTION_RUNS in one zone outranks COMPACTION_SKIPPED_INDEX in another', () => {
    // Normal: the zone (index 400, skipped). DMA32: one order-8 block and 2000 order-0 pages:
    // F = 2256, blocks 2001; FI(9) = 1000 - (1000 + 2256*1000/512)/2001 = 1000 - (1000 + 4406)/2001 = 998 > 500;
    // step 2 with NR_FREE_PAGES 3000 > low 1250 + compact_gap 1024 = 2274: compaction runs there.
    const input = {
      zones: [free('Normal', [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0]), free('DMA32', [2000, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0])],
      watermarks: [wm('Normal', { freePages: 2560 }), wm('DMA32', { freePages: 3000 })],
    };
    const { result, next } = run(input, { order: 9 });
    expect(result.zones.map((z) => [z.zone, z.next, z.compaction?.fragmentationIndex])).toEqual([
      ['Normal', 'COMPACTION_SKIPPED_INDEX', 400],
      ['DMA32', 'COMPACTION_RUNS', 998],
    ]);
    expect(next).toMatchObject({ code: 'COMPACTION_RUNS', zones: [{ node: 0, zone: 'DMA32' }] });
  });
});
