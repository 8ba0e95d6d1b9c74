// Why a report's allocation failed: the reasons explain() gives for hand-built check results. (The release
// read off a report's shape is in report-shape.test.ts, node lists in parse/nodelist.test.ts.)

import { describe, expect, it } from 'vitest';
import { explain, type ExplainInput } from '../../src/analysis/explain.js';
import type { CheckResult, ZoneResult } from '../../src/analysis/zonelist.js';
import type { Step } from '../../src/analysis/watermark-steps.js';
import { kernelFacts } from '../../src/format/kernel.js';
import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';
import { kernel } from '../helpers/kernel.js';

function report(over: Partial<FailureReport> = {}): FailureReport {
  return { source: 't', line: 1, endLine: 1, kind: 'allocation-failure', order: 3, zones: [], problems: [], ...over };
}

/** A zone's free counts as a report's free-area line gives them. */
function withFree(zone: string, free: number[], node = 0): ReportZone {
  return { node, zone, free: { node, zone, free, source: 't', line: 2 } };
}

const PASS_WM: Step = { check: 'watermark', freePages: 900, minPages: 100, reservePages: 0, ok: true };

function zr(over: Partial<ZoneResult> = {}): ZoneResult {
  return {
    node: 0,
    zone: 'Normal',
    ok: false,
    code: 'BELOW_WATERMARK',
    reached: true,
    steps: [{ check: 'watermark', freePages: 50, minPages: 100, reservePages: 0, ok: false }],
    freePages: 1000,
    freeSource: 'watermarks',
    markPages: 100,
    markSource: 'watermarks',
    minPages: 100,
    reservePages: 0,
    reserveIndex: 2,
    cmaPages: 0,
    highatomicPages: 0,
    margin: -50,
    marginStep: 0,
    largestPassingOrder: -1,
    assumedUsableBlocks: false,
    listsKnown: true,
    notes: [],
    ...over,
  };
}

function cr(zones: ZoneResult[], over: Partial<CheckResult> = {}): CheckResult {
  const served = zones.find((z) => z.ok && z.reached);
  return {
    order: 3,
    algorithm: 'modern',
    ...kernelFacts(kernel('4.15')),
    mark: 'min',
    path: 'slow',
    orderShift: 1,
    ok: served !== undefined,
    servedBy: served ? { node: served.node, zone: served.zone } : null,
    gfp: 'GFP_KERNEL',
    highestZone: 'Normal',
    flags: ['ALLOC_WMARK_MIN', 'ALLOC_CPUSET'],
    zoneLayout: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'],
    layoutInferred: true,
    zones,
    ...over,
  };
}

function why(input: Partial<ExplainInput> & { check: CheckResult | null }) {
  return explain({ report: report(), pageSize: 4096, ...input });
}
const codes = (input: Partial<ExplainInput> & { check: CheckResult | null }) => why(input).map((r) => r.code);

describe('explain', () => {
  it('no check, or a check with no zone: NO_ZONE_DATA and nothing else', () => {
    expect(codes({ check: null })).toEqual(['NO_ZONE_DATA']);
    expect(codes({ check: cr([]) })).toEqual(['NO_ZONE_DATA']);
  });

  it('NO_ZONE_DATA names the zone whose zone line is missing when the others were read (real report 22)', () => {
    const wm = { node: 0, zone: 'DMA', min: 16, low: 20, high: 24 } as ReportZone['watermarks'];
    const zones: ReportZone[] = [{ ...withFree('DMA', [1, 2]), watermarks: wm }, withFree('Normal', [1, 0])];
    expect(why({ check: null, report: report({ zones }) })[0]?.text).toBe(
      'Node 0 Normal has free blocks but no zone line, so no watermarks: the check cannot be replayed (see the problems listed).',
    );
  });

  it('a passing check: CHECK_PASSES names the zone that serves it', () => {
    const z = zr({ ok: true, code: 'PASS', steps: [PASS_WM, { check: 'block', order: 3, blocks: 2, usable: true, lists: ['Movable'], ok: true }] });
    const r = why({ check: cr([z]) });
    expect(r.map((x) => x.code)).toEqual(['CHECK_PASSES']);
    expect(r[0]?.text).toMatch(/^By these numbers the watermark check passes in node 0 Normal: the failure had another cause/);
  });

  it('zones the walk never reached do not explain anything', () => {
    const served = zr({ ok: true, code: 'PASS', steps: [PASS_WM] });
    const after = zr({ zone: 'DMA32', reached: false });
    expect(codes({ check: cr([served, after]) })).toEqual(['CHECK_PASSES']);
  });

  it('HARDER_ANY_LIST when 4.4-4.14 took a block from lists the request cannot use', () => {
    const step: Step = { check: 'block', order: 3, blocks: 1, usable: true, lists: ['CMA', 'Isolate'], anyList: true, ok: true };
    const r = why({ check: cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM, step] })], kernelFacts(kernel('4.4'))) });
    expect(r.map((x) => x.code)).toEqual(['HARDER_ANY_LIST']);
    expect(r[0]).toMatchObject({ node: 0, zone: 'Normal' });
    expect(r[0]?.text).toMatch(/order 3 are on the CMA\/Isolate lists \(letters C, I\)/);
  });

  it('but CHECK_PASSES when the block taken was on a usable list, or the lists are unknown', () => {
    const usable: Step = { check: 'block', order: 3, blocks: 1, usable: true, lists: ['CMA', 'Movable'], anyList: true, ok: true };
    expect(codes({ check: cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM, usable] })]) })).toEqual(['CHECK_PASSES']);
    const unknown: Step = { check: 'block', order: 3, blocks: 1, usable: true, anyList: true, ok: true };
    expect(codes({ check: cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM, unknown] })]) })).toEqual(['CHECK_PASSES']);
  });

  it('BELOW_WATERMARK gathers every zone below into one sentence', () => {
    const check = cr([zr({ zone: 'Normal' }), zr({ zone: 'DMA32' }), zr({ zone: 'DMA' })]);
    const r = why({ check });
    expect(r.map((x) => x.code)).toEqual(['BELOW_WATERMARK']);
    expect(r[0]?.text).toMatch(/^node 0 Normal, node 0 DMA32 and node 0 DMA are below the watermark/);
    expect(why({ check: cr([zr()]) })[0]?.text).toMatch(/^node 0 Normal is below the watermark/);
  });

  it('ORDER_LOOP per zone with the refused order; MODERN_WOULD_PASS only when the 4.4 replay passes', () => {
    const loop = (zone: string, failedOrder: number) =>
      zr({ zone, code: 'ORDER_LOOP', failedOrder, steps: [PASS_WM, { check: 'order', order: failedOrder, freePages: 10, minPages: 20, ok: false }] });
    const check = cr([loop('Normal', 1), loop('DMA32', 0)], { algorithm: 'legacy', ...kernelFacts(kernel('2.6.32')) });
    const modernPass = cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM] })]);
    const modernFail = cr([zr({ code: 'NO_BLOCK', steps: [PASS_WM] })]);
    const r = why({ check, modern: modernPass });
    expect(r.map((x) => [x.code, x.zone])).toEqual([
      ['ORDER_LOOP', 'Normal'],
      ['ORDER_LOOP', 'DMA32'],
      ['MODERN_WOULD_PASS', undefined],
    ]);
    expect(r[0]?.text).toMatch(/refused at order 1/);
    expect(r[1]?.text).toMatch(/refused at order 0/);
    expect(codes({ check, modern: modernFail })).toEqual(['ORDER_LOOP', 'ORDER_LOOP']);
    expect(codes({ check, modern: null })).toEqual(['ORDER_LOOP', 'ORDER_LOOP']);
  });

  it('a loop refusal in a zone the allocation did not need says nothing', () => {
    const refused = zr({ code: 'ORDER_LOOP', failedOrder: 2, steps: [PASS_WM] });
    const served = zr({ zone: 'DMA32', ok: true, code: 'PASS', steps: [PASS_WM] });
    expect(codes({ check: cr([refused, served], { algorithm: 'legacy' }), modern: cr([served]) })).toEqual(['CHECK_PASSES']);
  });

  it('NO_BLOCK reason for NO_BLOCK zones, with the order', () => {
    const r = why({ check: cr([zr({ code: 'NO_BLOCK', steps: [PASS_WM] })], { order: 4 }) });
    expect(r.map((x) => x.code)).toEqual(['NO_BLOCK']);
    expect(r[0]?.text).toMatch(/node 0 Normal has enough free memory but no free block of order 4 or larger/);
  });

  it('ONLY_RESERVED_BLOCKS names the lists and their letters, and the request', () => {
    const z = zr({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['HighAtomic', 'CMA'], steps: [PASS_WM] });
    const r = why({ check: cr([z], { gfp: 'GFP_KERNEL|__GFP_COMP' }) });
    expect(r.map((x) => x.code)).toEqual(['ONLY_RESERVED_BLOCKS']);
    expect(r[0]?.text).toBe(
      'In node 0 Normal the only free blocks of order 3 or larger are on the HighAtomic/CMA lists (letters H, C), which a GFP_KERNEL|__GFP_COMP request may not use.',
    );
    const cma = why({ check: cr([zr({ code: 'ONLY_RESERVED_BLOCKS', blockedLists: ['CMA'], steps: [PASS_WM] })]) });
    expect(cma[0]?.text).toMatch(/on the CMA list \(letters C\)/);
  });

  it('NODES_EXCLUDED when zones outside mems_allowed (or the nodemask) would have passed', () => {
    const outside = zr({ node: 1, ok: true, code: 'PASS', steps: [PASS_WM] });
    const check = cr([zr()]);
    const r = explain({ report: report({ memsAllowed: '0' }), check, excludedPassing: [outside], pageSize: 4096 });
    expect(r.map((x) => x.code)).toEqual(['BELOW_WATERMARK', 'NODES_EXCLUDED']);
    expect(r[1]?.text).toBe('The request was limited to node 0 (its cpuset), but node 1 Normal would have served it.');
    const two = explain({ report: report({ nodemask: '0,2' }), check, excludedPassing: [outside], pageSize: 4096 });
    expect(two[1]?.text).toMatch(/^The request was limited to nodes 0,2 /);
    // nothing to say when the allowed nodes served it, or nothing outside would have
    const ok = cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM] })]);
    expect(explain({ report: report({ memsAllowed: '0' }), check: ok, excludedPassing: [outside], pageSize: 4096 }).map((x) => x.code)).toEqual([
      'CHECK_PASSES',
    ]);
    expect(explain({ report: report({ memsAllowed: '0' }), check, excludedPassing: [], pageSize: 4096 }).map((x) => x.code)).toEqual([
      'BELOW_WATERMARK',
    ]);
  });

  it('FREE_COUNT_DRIFT beyond max(64 pages, 5% of free:)', () => {
    const served = (freePages: number, freeSource: ZoneResult['freeSource'] = 'watermarks') =>
      cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM], freePages, freeSource })]);
    const drift = (freePages: number, order0: number, freeSource?: ZoneResult['freeSource']) =>
      explain({
        report: report({ zones: [withFree('Normal', [order0, 0, 0])] }),
        check: served(freePages, freeSource),
        pageSize: 4096,
      }).map((x) => x.code);
    // 1000 pages: the bound is max(64, 50) = 64; 936 is 64 off, 935 is 65 off, 1065 is 65 over
    expect(drift(1000, 936)).toEqual(['CHECK_PASSES']);
    expect(drift(1000, 935)).toEqual(['CHECK_PASSES', 'FREE_COUNT_DRIFT']);
    expect(drift(1000, 1065)).toEqual(['CHECK_PASSES', 'FREE_COUNT_DRIFT']);
    // 4000 pages: max(64, 200) = 200; 3801 is 199 off, 3799 is 201 off
    expect(drift(4000, 3801)).toEqual(['CHECK_PASSES']);
    expect(drift(4000, 3799)).toEqual(['CHECK_PASSES', 'FREE_COUNT_DRIFT']);
    // a free count that is itself the buddy sum cannot drift from it
    expect(drift(1000, 500, 'buddy')).toEqual(['CHECK_PASSES']);
  });

  it('the drift counts every order: 600 + 100*2 + 25*4 = 900 pages against free: 1000', () => {
    const r = explain({
      report: report({ zones: [withFree('Normal', [600, 100, 25, 0])] }),
      check: cr([zr({ ok: true, code: 'PASS', steps: [PASS_WM], freePages: 1000 })]),
      pageSize: 4096,
    });
    expect(r[1]).toMatchObject({ code: 'FREE_COUNT_DRIFT', node: 0, zone: 'Normal' });
    expect(r[1]?.text).toMatch(/\(1000 pages, NR_FREE_PAGES, what the check reads\) differs from the free-area sum \(900 pages\) by 100/);
  });
});
