// The alloc flags a request gets in one attempt of one release (gfp_to_alloc_flags and the fast path).

import type { Rules } from '../kernel/rules.js';
import { InputError, type GfpRequest } from '../model.js';

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
  | 'ALLOC_FAIR'
  | 'ALLOC_HIGHATOMIC';

/** The flags of one request, in kernel bit order, so output can print them as they are. */
export type AllocFlags = readonly AllocFlag[];

/**
 * Print order: the kernel's bit order (WMARK 0-2, OOM 0x08, HARDER/NON_BLOCK 0x10, HIGH/MIN_RESERVE 0x20,
 * CPUSET 0x40, CMA 0x80, FAIR 0x100 (3.16-4.7), HIGHATOMIC 0x200).
 */
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
  'ALLOC_FAIR',
  'ALLOC_HIGHATOMIC',
];

/**
 * Whether the flag exists under these rules: ALLOC_CMA with CMA accounting (3.7), ALLOC_OOM from 4.14,
 * ALLOC_HIGH/ALLOC_HARDER in the legacy model and their successors in the 6.3 model (M6), ALLOC_FAIR 3.16-4.7.
 */
export function flagExists(flag: AllocFlag, rules: Rules): boolean {
  switch (flag) {
    case 'ALLOC_OOM':
      return rules.allocOom;
    case 'ALLOC_HARDER':
    case 'ALLOC_HIGH':
      return rules.flags === 'legacy';
    case 'ALLOC_NON_BLOCK':
    case 'ALLOC_MIN_RESERVE':
    case 'ALLOC_HIGHATOMIC':
      return rules.flags === 'min-reserve';
    case 'ALLOC_CMA':
      return rules.cma !== 'none';
    case 'ALLOC_FAIR':
      return rules.fair;
    default:
      return true;
  }
}

/** Reads a flag as a user types it ("oom", "ALLOC_OOM", "min-reserve"); undefined if unknown. */
export function parseAllocFlag(text: string): AllocFlag | undefined {
  const name = 'ALLOC_' + text.trim().toUpperCase().replace(/^ALLOC_/, '').replace(/-/g, '_');
  return (FLAG_ORDER as readonly string[]).includes(name) ? (name as AllocFlag) : undefined;
}

/** Throws InputError naming the first flag these rules do not have. */
export function assertFlagsExist(flags: AllocFlags, rules: Rules): void {
  for (const f of flags) {
    if (!flagExists(f, rules)) {
      throw new InputError(
        `Alloc flag ${f} does not exist in the kernel replayed (${describeFlagModel(rules)}): expected one of ${FLAG_ORDER.filter((x) => flagExists(x, rules)).join(', ')}.`,
      );
    }
  }
}

function describeFlagModel(rules: Rules): string {
  return rules.flags === 'legacy'
    ? `the ALLOC_HIGH/ALLOC_HARDER model of up to 6.2${rules.allocOom ? ' with ALLOC_OOM' : ', before ALLOC_OOM (4.14)'}`
    : 'the ALLOC_MIN_RESERVE model of 6.3 and later';
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
  /** Flags to add, e.g. ALLOC_OOM for an OOM victim; each must exist under the rules. */
  extra?: AllocFlags;
}

/**
 * The alloc flags a request gets in one attempt under one release's rules.
 *
 * slow (gfp_to_alloc_flags): ALLOC_WMARK_MIN|ALLOC_CPUSET, then
 *  - legacy model, harderFrom cannot-sleep (<= 4.3): __GFP_HIGH gives ALLOC_HIGH; a caller that cannot
 *    sleep gets ALLOC_HARDER and loses ALLOC_CPUSET. From 2.6.38 __GFP_NOMEMALLOC withholds HARDER (it
 *    still loses CPUSET); from 3.16 (late 3.10.y) a __GFP_NO_KSWAPD caller counts as sleeping (M20).
 *  - legacy model, harderFrom gfp-atomic (4.4-6.2): ALLOC_HIGH as above; __GFP_ATOMIC gives ALLOC_HARDER
 *    unless __GFP_NOMEMALLOC, and drops ALLOC_CPUSET.
 *  - 6.3 model: __GFP_HIGH gives ALLOC_MIN_RESERVE; without __GFP_DIRECT_RECLAIM and __GFP_NOMEMALLOC the
 *    request gets ALLOC_NON_BLOCK and, for order > 0, ALLOC_HIGHATOMIC (only with MIN_RESERVE under M14);
 *    ALLOC_CPUSET is dropped when it cannot sleep and has MIN_RESERVE.
 *  - with CMA accounting (3.7) a Movable request gets ALLOC_CMA.
 * fast (the first attempt): ALLOC_WMARK_LOW, no reserve flags; ALLOC_CPUSET unconditionally up to 4.6 and
 *   only with cpusets enabled from 4.7 (and a caller nodemask from 4.12), which a replay cannot know, so it
 *   is left out; ALLOC_FAIR 3.16-4.7; ALLOC_CMA as above.
 * oom (__alloc_pages_may_oom's last try): ALLOC_WMARK_HIGH|ALLOC_CPUSET only, in every release: no
 *   ALLOC_CMA.
 * Real-time callers (rt_task) also get HARDER/MIN_RESERVE; that is not a property of the request, so it
 * is left to `extra`.
 */
export function allocFlags(req: GfpRequest, rules: Rules, order: number, opts: AllocFlagsOptions = {}): AllocFlags {
  const path = opts.path ?? 'slow';
  const set = new Set<AllocFlag>();
  const cma = req.movable && rules.cma !== 'none';
  if (path === 'fast') {
    set.add('ALLOC_WMARK_LOW');
    if (rules.fastCpuset === 'always') set.add('ALLOC_CPUSET');
    if (rules.fair) set.add('ALLOC_FAIR');
    if (cma) set.add('ALLOC_CMA');
  } else if (path === 'oom') {
    set.add('ALLOC_WMARK_HIGH').add('ALLOC_CPUSET');
  } else {
    set.add('ALLOC_WMARK_MIN').add('ALLOC_CPUSET');
    if (rules.flags === 'legacy') {
      if (req.high) set.add('ALLOC_HIGH');
      if (rules.harderFrom === 'cannot-sleep') {
        const sleeps = req.canSleep || (rules.noKswapdSleeps && req.noKswapd);
        if (!sleeps) {
          if (!(req.noMemalloc && rules.nomemallocNoHarder)) set.add('ALLOC_HARDER');
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
          const highatomic = rules.highatomicFlag === 'non-blocking' || set.has('ALLOC_MIN_RESERVE');
          if (order > 0 && highatomic) set.add('ALLOC_HIGHATOMIC');
        }
        if (set.has('ALLOC_MIN_RESERVE')) set.delete('ALLOC_CPUSET');
      }
    }
    if (cma) set.add('ALLOC_CMA');
  }
  const extra = opts.extra ?? [];
  assertFlagsExist(extra, rules);
  for (const f of extra) set.add(f);
  return FLAG_ORDER.filter((f) => set.has(f));
}

/** Whether a flag set holds a flag (flag sets are small arrays). */
export function hasFlag(flags: AllocFlags, f: AllocFlag): boolean {
  return flags.includes(f);
}
