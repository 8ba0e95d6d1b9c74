// Tests for the check renderer: verdict words, the deciding step in plain words, margins and the trace.

import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { gfpProfile, type GfpProfile } from '../../src/analysis/gfp-request.js';
import { checkMachine, type CheckRequest, type MachineInput } from '../../src/analysis/zonelist.js';
import { renderCheck } from '../../src/format/check.js';
import type { ZoneTypes } from '../../src/model.js';
import { kernel } from '../helpers/kernel.js';

const plain = new Chalk({ level: 0 });
const colored = new Chalk({ level: 1 });

/** kernel.md 2: the blog's DMA32 zone (2.6.32): free 3140, min 1769, low 2211. */
const BLOG: MachineInput = {
  zones: [{ node: 0, zone: 'DMA32', free: [2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0], source: 't', line: 1 }],
  watermarks: [{ node: 0, zone: 'DMA32', freePages: 3140, min: 1769, low: 2211, high: 2653, source: 't', line: 1 }],
};

function run(m: MachineInput, release: string, order: number, extra: Partial<CheckRequest> = {}, p: GfpProfile = 'kernel') {
  return checkMachine(m, { order, mark: 'min', gfp: gfpProfile(p), kernel: kernel(release), ...extra });
}

describe('renderCheck, legacy loop (the worked example)', () => {
  const text = renderCheck(run(BLOG, '2.6.32', 4), { color: plain, pageSize: 4096, explain: true });
  const lines = text.split('\n');

  it('opens with the verdict', () => {
    // 2^4 pages of 4 KiB = 64 KiB
    expect(lines[0]).toBe('FAIL order-4 allocation (64 KiB), GFP_KERNEL, min mark: no zone in the walk can serve it.');
    // the rules line names the check's axes (format/kernel.ts rulesLine) instead of a generation
    expect(lines[1]).toBe(
      'Rules: algorithm legacy-loop, flags legacy, highatomic none, highatomicFlag none, cma none, reserveIndex preferred. Flags: ALLOC_WMARK_MIN ALLOC_CPUSET.',
    );
  });

  it('gives the zone, its numbers and the step that decided', () => {
    expect(text).toContain('Node 0, zone DMA32: FAIL ORDER_LOOP\n');
    // 3140 pages * 4 KiB = 12560 KiB = 12.27 MiB
    expect(text).toContain('  free 3,140 pages (12.3 MiB); min mark 1,769 pages; lowmem reserve 0 pages\n');
    // 3125 - 765 = 2360 pages set aside; 1769 >> 1 = 884
    expect(text).toContain(
      "  The kernel's per-order loop refused at order 0: once the 2,360 free pages in blocks of order 0 are set aside, 765 pages (3,060 KiB) are left, not more than the minimum halved once, 884 pages (3,536 KiB). Too little of the free memory is in blocks of order 1 and up (8 KiB and larger).\n",
    );
  });

  it('gives the margin in pages and bytes, and the largest order that passes', () => {
    // 765 - 884 = -119 pages = -476 KiB; 120 pages = 480 KiB
    expect(text).toContain('  Margin: -119 pages (-476 KiB); 120 more free pages (480 KiB) would pass that test.\n');
    expect(text).toContain('  Largest order that passes now: 0 (4 KiB).\n');
    expect(text).toContain('  Note: lowmem_reserve is unknown for this zone; 0 is assumed.\n');
  });

  it('traces every step with explain', () => {
    expect(text).toContain('  Trace:\n');
    expect(text).toContain('    order-0 test: 3,140 free - 15 for the request = 3,125 > min 1,769 + reserve 0: ok\n');
    // 2360 pages = 9440 KiB = 9.22 MiB
    expect(text).toContain(
      '    loop, order 0: set aside 2,360 pages (9.2 MiB) in order-0 blocks, 765 pages (3,060 KiB) left <= min halved to 884 pages (3,536 KiB): FAIL\n',
    );
  });

  it('traces each pass of a loop that passes (GFP_ATOMIC: 765>332, 605>166, 521>83, 465>41)', () => {
    const t = renderCheck(run(BLOG, '2.6.32', 4, {}, 'atomic'), { color: plain, pageSize: 4096, explain: true });
    expect(t.split('\n')[0]).toBe('PASS order-4 allocation (64 KiB), GFP_ATOMIC, min mark: served by node 0, zone DMA32.');
    expect(t).toContain('  free 3,140 pages (12.3 MiB); min mark 1,769 pages, 664 after the flags; lowmem reserve 0 pages\n');
    // 80 blocks of order 1 = 160 pages = 640 KiB; 21 of order 2 = 84 pages = 336 KiB; 7 of order 3 = 56 pages = 224 KiB
    expect(t).toContain('    loop, order 1: set aside 160 pages (640 KiB) in order-1 blocks, 605 pages (2,420 KiB) left > min halved to 166 pages (664 KiB): ok\n');
    expect(t).toContain('    loop, order 2: set aside 84 pages (336 KiB) in order-2 blocks, 521 pages (2,084 KiB) left > min halved to 83 pages (332 KiB): ok\n');
    expect(t).toContain('    loop, order 3: set aside 56 pages (224 KiB) in order-3 blocks, 465 pages (1,860 KiB) left > min halved to 41 pages (164 KiB): ok\n');
    // tightest: 465 - 41 = 424 pages = 1696 KiB = 1.66 MiB
    expect(t).toContain('  Margin: 424 pages (1.7 MiB) above the tightest test.\n');
  });

  it('leaves the trace out without explain', () => {
    const t = renderCheck(run(BLOG, '2.6.32', 4), { color: plain, pageSize: 4096, explain: false });
    expect(t).not.toContain('Trace:');
    expect(t).toContain('Margin: -119 pages');
  });

  it('uses the page size for bytes', () => {
    const t = renderCheck(run(BLOG, '2.6.32', 4), { color: plain, pageSize: 16384, explain: false });
    // 2^4 * 16 KiB = 256 KiB; -119 * 16 KiB = -1904 KiB = -1.86 MiB
    expect(t).toContain('order-4 allocation (256 KiB)');
    expect(t).toContain('Margin: -119 pages (-1.9 MiB)');
  });

  it('colours the verdict only when the level is above 0', () => {
    const c = renderCheck(run(BLOG, '2.6.32', 4), { color: colored, pageSize: 4096, explain: true });
    expect(c).toContain('\u001b[31m');
    expect(c.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text);
    expect(text).not.toContain('\u001b[');
    const pass = renderCheck(run(BLOG, '4.4', 4), { color: colored, pageSize: 4096, explain: false });
    expect(pass).toContain('\u001b[32m');
  });
});

describe('renderCheck, legacy loop with free CMA pages (3.9 and 3.10 rules, kernel.md 1a axis 5)', () => {
  /** One Normal zone: buddy 100 50 20 10 5 (440 pages = NR_FREE_PAGES), min 100, NR_FREE_CMA_PAGES 300; GFP_KERNEL order 2. */
  const CMA: MachineInput = {
    zones: [{ node: 0, zone: 'Normal', free: [100, 50, 20, 10, 5, 0, 0, 0, 0, 0, 0], source: 't', line: 1 }],
    watermarks: [{ node: 0, zone: 'Normal', freePages: 440, min: 100, low: 125, high: 150, lowmemReserve: [0, 0], freeCma: 300, source: 't', line: 1 }],
  };

  it('3.10: the loop starts from the free pages with the CMA pages put back', () => {
    const t = renderCheck(run(CMA, '3.10', 2), { color: plain, pageSize: 4096, explain: true });
    // 2^2 pages of 4 KiB = 16 KiB
    expect(t.split('\n')[0]).toBe('PASS order-2 allocation (16 KiB), GFP_KERNEL, min mark: served by node 0, zone Normal.');
    expect(t.split('\n')[1]).toBe(
      'Rules: algorithm legacy-loop, flags legacy, highatomic none, highatomicFlag none, cma order0-test, reserveIndex preferred. Flags: ALLOC_WMARK_MIN ALLOC_CPUSET.',
    );
    // 440 - 3 - 300 = 137 > 100
    expect(t).toContain('    order-0 test: 440 free - 3 for the request - 300 free CMA = 137 > min 100 + reserve 0: ok\n');
    // 437 - 100*1 = 337 pages = 1,348 KiB > 100 >> 1 = 50; 337 - 50*2 = 237 pages = 948 KiB > 25
    expect(t).toContain('    loop, order 0: set aside 100 pages (400 KiB) in order-0 blocks, 337 pages (1,348 KiB) left > min halved to 50 pages (200 KiB): ok\n');
    expect(t).toContain('    loop, order 1: set aside 100 pages (400 KiB) in order-1 blocks, 237 pages (948 KiB) left > min halved to 25 pages (100 KiB): ok\n');
    // tightest: 137 - 100 = 37 pages = 148 KiB
    expect(t).toContain('  Margin: 37 pages (148 KiB) above the tightest test.\n');
  });

  it('3.9: the CMA pages stay out of the loop, which refuses at order 0 (137 - 100 = 37 <= 50)', () => {
    const t = renderCheck(run(CMA, '3.9', 2), { color: plain, pageSize: 4096, explain: true });
    expect(t.split('\n')[0]).toBe('FAIL order-2 allocation (16 KiB), GFP_KERNEL, min mark: no zone in the walk can serve it.');
    expect(t).toContain('cma free-count');
    expect(t).toContain('Node 0, zone Normal: FAIL ORDER_LOOP\n');
    expect(t).toContain('    order-0 test: 440 free - 3 for the request - 300 free CMA = 137 > min 100 + reserve 0: ok\n');
    // 37 - 50 = -13 pages = -52 KiB; 14 more pages = 56 KiB
    expect(t).toContain('  Margin: -13 pages (-52 KiB); 14 more free pages (56 KiB) would pass that test.\n');
  });

  // 3.7-3.9 (rules.cma 'free-count') keep the CMA pages out of every step, so 137 - 37 = 100 pages were set
  // aside at order 0, not 437 - 37 = 400 (kernel.md 1a axis 5).
  it('3.9: the trace and the verdict set aside the 100 order-0 pages, with the CMA pages still out', () => {
    const t = renderCheck(run(CMA, '3.9', 2), { color: plain, pageSize: 4096, explain: true });
    expect(t).toContain('loop, order 0: set aside 100 pages (400 KiB) in order-0 blocks, 37 pages (148 KiB) left <= min halved to 50 pages (200 KiB): FAIL');
    expect(t).toContain('once the 100 free pages in blocks of order 0 are set aside');
  });
});

describe('renderCheck, modern block search', () => {
  it('says when usable blocks were assumed', () => {
    const t = renderCheck(run(BLOG, '4.4', 4), { color: plain, pageSize: 4096, explain: true });
    expect(t).toContain('Node 0, zone DMA32: PASS\n');
    expect(t).toContain('  Enough free memory, and there is a free block of order 4 (4 free).\n');
    expect(t.match(/No migratetype data/g)).toHaveLength(1);
    // 3125 - 1769 = 1356 pages = 5424 KiB = 5.30 MiB; order 8 = 1 MiB
    expect(t).toContain('  Margin: 1,356 pages (5.3 MiB) above the tightest test.\n');
    expect(t).toContain('  Largest order that passes now: 8 (1 MiB).\n');
    expect(t).toContain('    block search, order 4: 4 free blocks, lists unknown: assumed usable: ok\n');
  });

  /** 316 free pages: 300 at order 0, two order-3 blocks on the HighAtomic list; min 100; 6.18. */
  const HA: MachineInput = {
    zones: [{ node: 0, zone: 'Normal', free: [300, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0], source: 't', line: 1 }],
    watermarks: [{ node: 0, zone: 'Normal', freePages: 316, min: 100, low: 125, high: 150, lowmemReserve: [0, 0, 0, 0], freeHighatomic: 16, source: 't', line: 1 }],
    types: [
      {
        node: 0,
        zone: 'Normal',
        free: {
          Unmovable: [300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].map((count) => ({ count, atLeast: false })),
          HighAtomic: [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0].map((count) => ({ count, atLeast: false })),
        },
        source: 't',
        line: 1,
      } satisfies ZoneTypes,
    ],
  };

  it('names the lists when the only blocks are reserved ones', () => {
    const t = renderCheck(run(HA, '6.18', 3, {}, 'nowait'), { color: plain, pageSize: 4096, explain: true });
    expect(t).toContain('Node 0, zone Normal: FAIL ONLY_RESERVED_BLOCKS\n');
    expect(t).toContain(
      '  Enough free memory, but the only free blocks of order 3 or larger are on the HighAtomic list, which GFP_NOWAIT may not use.\n',
    );
    expect(t).toContain('    block search, order 3: 2 free blocks, on HighAtomic: none usable by this request\n');
    expect(t).toContain('    block search, order 4: no free block\n');
    // order 0 passes: 316 - 0 > 100 (NON_BLOCK exempts the highatomic pages)
    expect(t).toContain('  Largest order that passes now: 0 (4 KiB).\n');
  });

  it('says no block is large enough (the next step says what the kernel does about it)', () => {
    const t = renderCheck(run(HA, '6.18', 4), { color: plain, pageSize: 4096, explain: false });
    // 2^4 pages = 64 KiB
    expect(t).toContain('  Enough free memory, but no free block of order 4 or larger (64 KiB).\n');
    // 316 - 15 - 16 = 285; 285 - 100 = 185 pages = 740 KiB
    expect(t).toContain('  Margin: 185 pages (740 KiB) above the tightest test.\n');
  });
});

describe('renderCheck, zonelist', () => {
  /** Node 0 Normal fails (1000 <= 1200), DMA32 serves (50000 > 1000 + 3000). */
  const m: MachineInput = {
    zones: [
      { node: 0, zone: 'DMA32', free: [50000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], source: 't', line: 1 },
      { node: 0, zone: 'Normal', free: [1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], source: 't', line: 2 },
      { node: 0, zone: 'DMA', free: [3000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], source: 't', line: 3 },
    ],
    watermarks: [
      { node: 0, zone: 'DMA', freePages: 3000, min: 50, low: 60, high: 70, lowmemReserve: [0, 2000, 5000, 5000, 5000], source: 't', line: 1 },
      { node: 0, zone: 'DMA32', freePages: 50000, min: 1000, low: 1200, high: 1400, lowmemReserve: [0, 0, 3000, 3000, 3000], source: 't', line: 1 },
      { node: 0, zone: 'Normal', freePages: 1000, min: 1200, low: 1500, high: 1800, lowmemReserve: [0, 0, 0, 0, 0], source: 't', line: 1 },
    ],
  };
  const t = renderCheck(run(m, '6.18', 0), { color: plain, pageSize: 4096, explain: false });

  it('lists the walk and says which zone serves', () => {
    expect(t.split('\n')[0]).toBe('PASS order-0 allocation (4 KiB), GFP_KERNEL, min mark: served by node 0, zone DMA32.');
    expect(t).toContain('Zonelist walk (zones up to Normal): node 0 Normal, node 0 DMA32, node 0 DMA.\n');
    expect(t.indexOf('Node 0, zone Normal')).toBeLessThan(t.indexOf('Node 0, zone DMA32'));
  });

  it('says reclaim is needed below the watermark', () => {
    expect(t).toContain(
      '  Free memory is below the watermark: 1,000 usable free pages is not more than 1,200 (min 1,200 + reserve 0).\n',
    );
    // 1000 - 1200 = -200 pages = -800 KiB; 201 pages = 804 KiB
    expect(t).toContain('  Margin: -200 pages (-800 KiB); 201 more free pages (804 KiB) would pass that test.\n');
  });

  it('marks zones after the serving one as not reached', () => {
    // DMA: 3000 <= 50 + 5000, and 3000 > 50: the reserve refuses it
    expect(t).toContain('Node 0, zone DMA: FAIL LOWMEM_RESERVE (not reached: node 0, zone DMA32 serves it first)\n');
    expect(t).toContain('; lowmem reserve 5,000 pages\n');
  });
});
