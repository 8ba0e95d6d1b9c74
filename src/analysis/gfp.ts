// Named GFP requests and the alloc flags each kernel generation derives from them (gfp_to_alloc_flags).

import { InputError, type GfpRequest, type Generation } from '../model.js';
import { parseRelease } from './kernel.js';

/** The request profiles a user can name on the command line. */
export type GfpProfile = 'kernel' | 'atomic' | 'nowait' | 'highuser' | 'highuser-movable' | 'dma32' | 'dma';

export const GFP_PROFILES: readonly GfpProfile[] = [
  'kernel',
  'atomic',
  'nowait',
  'highuser',
  'highuser-movable',
  'dma32',
  'dma',
];

/**
 * What each profile sets, in the terms gfp_to_alloc_flags reads (include/linux/gfp.h):
 * GFP_KERNEL may sleep; GFP_ATOMIC is __GFP_HIGH without sleeping (and __GFP_ATOMIC in 4.4-6.2);
 * GFP_NOWAIT neither sleeps nor has __GFP_HIGH (GFP_ATOMIC & ~__GFP_HIGH up to 4.3, __GFP_KSWAPD_RECLAIM
 * later); GFP_HIGHUSER adds __GFP_HIGHMEM; GFP_HIGHUSER_MOVABLE adds __GFP_MOVABLE, which makes gfp_zone()
 * ZONE_MOVABLE and the migratetype Movable; GFP_DMA32 and GFP_DMA are GFP_KERNEL with the zone modifier.
 */
export function gfpProfile(p: GfpProfile): GfpRequest {
  const sleeping = { high: false, canSleep: true, atomic: false, noMemalloc: false, movable: false };
  switch (p) {
    case 'kernel':
      return { name: 'GFP_KERNEL', highestZone: 'Normal', ...sleeping };
    case 'atomic':
      return { name: 'GFP_ATOMIC', highestZone: 'Normal', ...sleeping, high: true, canSleep: false, atomic: true };
    case 'nowait':
      return { name: 'GFP_NOWAIT', highestZone: 'Normal', ...sleeping, canSleep: false };
    case 'highuser':
      return { name: 'GFP_HIGHUSER', highestZone: 'HighMem', ...sleeping };
    case 'highuser-movable':
      return { name: 'GFP_HIGHUSER_MOVABLE', highestZone: 'Movable', ...sleeping, movable: true };
    case 'dma32':
      return { name: 'GFP_DMA32', highestZone: 'DMA32', ...sleeping };
    case 'dma':
      return { name: 'GFP_DMA', highestZone: 'DMA', ...sleeping };
  }
}

/** Reads a profile name as a user types it ("atomic", "GFP_ATOMIC", "highuser_movable"); undefined if unknown. */
export function parseGfpProfile(text: string): GfpProfile | undefined {
  const key = text.trim().toLowerCase().replace(/^gfp_/, '').replace(/_/g, '-');
  return (GFP_PROFILES as readonly string[]).includes(key) ? (key as GfpProfile) : undefined;
}

/** Kernel alloc-flag names (mm/internal.h; mm/page_alloc.c before 3.x). */
export type AllocFlag =
  | 'ALLOC_WMARK_MIN'
  | 'ALLOC_WMARK_LOW'
  | 'ALLOC_WMARK_HIGH'
  | 'ALLOC_OOM'
  | 'ALLOC_HARDER'
  | 'ALLOC_NON_BLOCK'
  | 'ALLOC_HIGH'
  | 'ALLOC_MIN_RESERVE'
  | 'ALLOC_CPUSET'
  | 'ALLOC_CMA'
  | 'ALLOC_HIGHATOMIC';

/** The flags of one request, in kernel bit order, so output can print them as they are. */
export type AllocFlags = readonly AllocFlag[];

/** Print order: the kernel's bit order (WMARK 0-2, OOM 0x08, HARDER/NON_BLOCK 0x10, HIGH/MIN_RESERVE 0x20, CPUSET 0x40, CMA 0x80, HIGHATOMIC 0x200). */
const FLAG_ORDER: readonly AllocFlag[] = [
  'ALLOC_WMARK_MIN',
  'ALLOC_WMARK_LOW',
  'ALLOC_WMARK_HIGH',
  'ALLOC_OOM',
  'ALLOC_HARDER',
  'ALLOC_NON_BLOCK',
  'ALLOC_HIGH',
  'ALLOC_MIN_RESERVE',
  'ALLOC_CPUSET',
  'ALLOC_CMA',
  'ALLOC_HIGHATOMIC',
];

const RANK: Record<Generation, number> = { '2.6.32': 0, '3.7': 1, '4.4': 2, '4.15': 3, '6.3': 4, '6.12': 5, '6.18': 6 };

/** True when generation g is at least `from`. */
export function atLeast(g: Generation, from: Generation): boolean {
  return RANK[g] >= RANK[from];
}

/**
 * The first and last generation a flag exists in: ALLOC_CMA from 3.7 (d95ea5d18e69), ALLOC_OOM from
 * 4.15, ALLOC_HIGH/ALLOC_HARDER until the 6.3 split (M6) renamed and split them.
 */
const FLAG_SPAN: Record<AllocFlag, readonly [Generation, Generation]> = {
  ALLOC_WMARK_MIN: ['2.6.32', '6.18'],
  ALLOC_WMARK_LOW: ['2.6.32', '6.18'],
  ALLOC_WMARK_HIGH: ['2.6.32', '6.18'],
  ALLOC_OOM: ['4.15', '6.18'],
  ALLOC_HARDER: ['2.6.32', '4.15'],
  ALLOC_NON_BLOCK: ['6.3', '6.18'],
  ALLOC_HIGH: ['2.6.32', '4.15'],
  ALLOC_MIN_RESERVE: ['6.3', '6.18'],
  ALLOC_CPUSET: ['2.6.32', '6.18'],
  ALLOC_CMA: ['3.7', '6.18'],
  ALLOC_HIGHATOMIC: ['6.3', '6.18'],
};

/** Whether the flag exists in that generation's kernel. */
export function flagExists(flag: AllocFlag, g: Generation): boolean {
  const [first, last] = FLAG_SPAN[flag];
  return atLeast(g, first) && atLeast(last, g);
}

/** Reads a flag as a user types it ("oom", "ALLOC_OOM", "min-reserve"); undefined if unknown. */
export function parseAllocFlag(text: string): AllocFlag | undefined {
  const name = 'ALLOC_' + text.trim().toUpperCase().replace(/^ALLOC_/, '').replace(/-/g, '_');
  return (FLAG_ORDER as readonly string[]).includes(name) ? (name as AllocFlag) : undefined;
}

/** Throws InputError naming the first flag that the generation's kernel does not have. */
export function assertFlagsExist(flags: AllocFlags, g: Generation): void {
  for (const f of flags) {
    if (!flagExists(f, g)) {
      const [first, last] = FLAG_SPAN[f];
      const span = last === '6.18' ? `from ${first} on` : `from ${first} to 6.2`;
      throw new InputError(
        `Alloc flag ${f} was given for a ${g} kernel, but that flag exists only ${span}: expected one of ${FLAG_ORDER.filter((x) => flagExists(x, g)).join(', ')}.`,
      );
    }
  }
}

/** Which get_page_from_freelist attempt to replay: the fast path, the slow path, or the OOM-path retry. */
export type AllocPath = 'fast' | 'slow' | 'oom';

/** The attempt that uses each watermark (kernel.md 1b "Which watermark"). */
export function pathForMark(mark: 'min' | 'low' | 'high'): AllocPath {
  return mark === 'min' ? 'slow' : mark === 'low' ? 'fast' : 'oom';
}

export interface AllocFlagsOptions {
  /** Default 'slow': gfp_to_alloc_flags, the attempt that uses the min mark and the reserve flags. */
  path?: AllocPath;
  /** Flags to add, e.g. ALLOC_OOM for an OOM victim; each must exist in the generation. */
  extra?: AllocFlags;
  /**
   * The kernel release ("3.2.0-4-amd64"), when known. Only the 2.6.32 generation reads it: whether
   * __GFP_NOMEMALLOC withholds ALLOC_HARDER changed inside it (nomemallocWithholdsHarder).
   */
  release?: string;
}

/**
 * Whether __GFP_NOMEMALLOC keeps a request that cannot sleep from getting ALLOC_HARDER in
 * gfp_to_alloc_flags; undefined when that depends on a release nobody gave.
 *
 * 2.6.32 gives every non-sleeping caller ALLOC_HARDER (S1). Andrea Arcangeli's "mm: dont alloc harder for
 * gfp nomemalloc even if nowait" added the __GFP_NOMEMALLOC test (THP series, "[PATCH 29 of 66]",
 * linux-mm 2010-11-03, <ed6c78af29bc105fcee3.1288798084@v2.random>; acked by Mel Gorman in
 * <20101118131917.GS8135@csn.ul.ie>). The mmotm 2011-01-06-15-41 series "against 2.6.37" still carries it
 * as thp-dont-alloc-harder-for-gfp-nomemalloc-even-if-nowait.patch, so 2.6.37 lacks it and it came with
 * THP in 2.6.38 (a 2.6.36 tree still sets HARDER unconditionally). Every later generation has the test.
 * (RHEL 6 backported it to its 2.6.32 kernels; the release string alone does not tell those apart.)
 */
export function nomemallocWithholdsHarder(g: Generation, release?: string): boolean | undefined {
  if (g !== '2.6.32') return true;
  if (release === undefined) return undefined;
  const { major, minor, patch } = parseRelease(release);
  return major > 2 || (major === 2 && (minor > 6 || (minor === 6 && patch >= 38)));
}

/**
 * The alloc flags a request gets in one attempt of one generation.
 *
 * slow (gfp_to_alloc_flags): ALLOC_WMARK_MIN|ALLOC_CPUSET, then
 *  - <= 4.3: __GFP_HIGH gives ALLOC_HIGH; a caller that cannot sleep gets ALLOC_HARDER and loses
 *    ALLOC_CPUSET. From 2.6.38 __GFP_NOMEMALLOC withholds HARDER; 2.6.32 itself (S1/S2) does not look at
 *    it, so within the 2.6.32 generation (2.6.32-3.6) the release decides, and without one the
 *    request keeps HARDER (nomemallocWithholdsHarder).
 *  - 4.4-6.2: ALLOC_HIGH as above; __GFP_ATOMIC gives ALLOC_HARDER unless __GFP_NOMEMALLOC, and drops
 *    ALLOC_CPUSET.
 *  - 6.3+: __GFP_HIGH gives ALLOC_MIN_RESERVE; without __GFP_DIRECT_RECLAIM and __GFP_NOMEMALLOC the
 *    request gets ALLOC_NON_BLOCK and, for order > 0, ALLOC_HIGHATOMIC (6.18, M14: only with
 *    MIN_RESERVE); ALLOC_CPUSET is dropped when MIN_RESERVE and not sleeping.
 *  - from 3.7 a Movable request gets ALLOC_CMA.
 * fast (first attempt): ALLOC_WMARK_LOW|ALLOC_CPUSET (+ALLOC_CMA): no reserve flags, __GFP_HIGH is ignored.
 * oom (__alloc_pages_may_oom's last try): ALLOC_WMARK_HIGH|ALLOC_CPUSET, without ALLOC_CMA.
 * Real-time callers (rt_task) also get HARDER/MIN_RESERVE; that is not a property of the request, so it
 * is left to `extra`.
 */
export function allocFlags(req: GfpRequest, g: Generation, order: number, opts: AllocFlagsOptions = {}): AllocFlags {
  const path = opts.path ?? 'slow';
  const set = new Set<AllocFlag>();
  const cma = req.movable && atLeast(g, '3.7');
  if (path === 'fast') {
    set.add('ALLOC_WMARK_LOW').add('ALLOC_CPUSET');
    if (cma) set.add('ALLOC_CMA');
  } else if (path === 'oom') {
    set.add('ALLOC_WMARK_HIGH').add('ALLOC_CPUSET');
  } else {
    set.add('ALLOC_WMARK_MIN').add('ALLOC_CPUSET');
    if (!atLeast(g, '6.3')) {
      if (req.high) set.add('ALLOC_HIGH');
      if (!atLeast(g, '4.4')) {
        if (!req.canSleep) {
          if (!req.noMemalloc || nomemallocWithholdsHarder(g, opts.release) !== true) set.add('ALLOC_HARDER');
          set.delete('ALLOC_CPUSET');
        }
      } else if (req.atomic) {
        if (!req.noMemalloc) set.add('ALLOC_HARDER');
        set.delete('ALLOC_CPUSET');
      }
    } else {
      if (req.high) set.add('ALLOC_MIN_RESERVE');
      if (!req.canSleep) {
        if (!req.noMemalloc) {
          set.add('ALLOC_NON_BLOCK');
          if (order > 0 && (g !== '6.18' || set.has('ALLOC_MIN_RESERVE'))) set.add('ALLOC_HIGHATOMIC');
        }
        if (set.has('ALLOC_MIN_RESERVE')) set.delete('ALLOC_CPUSET');
      }
    }
    if (cma) set.add('ALLOC_CMA');
  }
  const extra = opts.extra ?? [];
  assertFlagsExist(extra, g);
  for (const f of extra) set.add(f);
  return FLAG_ORDER.filter((f) => set.has(f));
}

/** Whether a flag set holds a flag (flag sets are small arrays). */
export function hasFlag(flags: AllocFlags, f: AllocFlag): boolean {
  return flags.includes(f);
}
