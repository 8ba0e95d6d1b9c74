// Maps a kernel release string to the generation whose __zone_watermark_ok the analyzer replays.

import { InputError, type Generation } from '../model.js';

/** Every generation, oldest first, with the first release (major, minor) it covers (kernel.md 1a). */
export const GENERATIONS: readonly { generation: Generation; first: readonly [number, number] }[] = [
  { generation: '2.6.32', first: [2, 6] },
  { generation: '3.7', first: [3, 7] },
  { generation: '4.4', first: [4, 4] },
  { generation: '4.15', first: [4, 15] },
  { generation: '6.3', first: [6, 3] },
  { generation: '6.12', first: [6, 12] },
  { generation: '6.18', first: [6, 18] },
];

/**
 * A release string: "2.6.32-431.el6.x86_64", "4.4.0-21-generic", "6.6.119-09226-gd21866c9e0f4", "v4.3",
 * also as the head of a `uname -a` or dmesg "Linux version ..." line. Only major and minor matter: no
 * watermark change landed in a stable (third-number) update.
 */
const RELEASE = /^(?:linux\s+version\s+)?v?(\d+)\.(\d+)(?:\.(\d+))?(?:$|\D)/i;

/** Splits a release string into numbers; throws InputError when it does not start like one. */
export function parseRelease(version: string): { major: number; minor: number; patch: number } {
  const m = RELEASE.exec(version.trim());
  if (!m) {
    throw new InputError(
      `Kernel version "${version}" is not a kernel release: expected one like "5.4.0-42-generic" or "v4.3" (major.minor first).`,
    );
  }
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * The generation whose first release is <= the version. Releases before 2.6.32 back to 2.6.0 share the
 * 2.6.32 arithmetic (the per-order loop is older than 2.6.32), so they map there; 2.4 and older had a
 * different allocator and are refused.
 */
export function generationOf(version: string): Generation {
  const { major, minor } = parseRelease(version);
  let found: Generation | undefined;
  for (const g of GENERATIONS) {
    const [fMajor, fMinor] = g.first;
    if (major > fMajor || (major === fMajor && minor >= fMinor)) found = g.generation;
  }
  if (found === undefined) {
    throw new InputError(
      `Kernel version "${version}" predates 2.6: expected a 2.6 or later release, whose zone_watermark_ok the analyzer replays.`,
    );
  }
  return found;
}

/**
 * Up to 4.3 the kernel halves the minimum per order in a loop (legacy); from 4.4 (97a16fc82a7c, "only
 * enforce watermarks for order-0 allocations") it checks order 0 and searches for one free block (modern).
 */
export function algorithmOf(g: Generation): 'legacy' | 'modern' {
  return g === '2.6.32' || g === '3.7' ? 'legacy' : 'modern';
}

/** A short phrase for output: the release range and what sets the generation apart. */
export function describeGeneration(g: Generation): string {
  switch (g) {
    case '2.6.32':
      return '2.6.32-3.6: iterative per-order loop';
    case '3.7':
      return '3.7-4.3: iterative per-order loop, free CMA pages left out of the order-0 test';
    case '4.4':
      return '4.4-4.14: order-0 watermark plus one free block of the order, ALLOC_HARDER takes any list';
    case '4.15':
      return '4.15-6.2: order-0 watermark plus one free block on a list the request may use, ALLOC_OOM';
    case '6.3':
      return '6.3-6.11: ALLOC_HARDER split into ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK and ALLOC_HIGHATOMIC';
    case '6.12':
      return '6.12-6.17: free highatomic pages (nr_free_highatomic) counted as unusable';
    case '6.18':
      return '6.18 and later: ALLOC_HIGHATOMIC only together with ALLOC_MIN_RESERVE';
  }
}

/**
 * Which zone index picks the lowmem_reserve[] entry: up to 5.7 the preferred zone's (classzone_idx, the
 * first zone of the walk); from 5.8 (3334a45, "use ac->high_zoneidx for classzone_idx") gfp_zone() itself.
 */
export type ReserveIndexRule = 'preferred' | 'highest';

/** The lowmem_reserve[] index rule for a release string. */
export function reserveIndexRuleOf(version: string): ReserveIndexRule {
  const { major, minor } = parseRelease(version);
  return major > 5 || (major === 5 && minor >= 8) ? 'highest' : 'preferred';
}

/**
 * The rule when only the generation is known. 4.15 spans both (4.15-5.7 and 5.8-6.2); it takes the
 * newer rule. The two rules read the same entry unless a remote node has populated zones between the
 * preferred zone's type and the request's highest zone (kernel.md 1a, ~v5.8).
 */
export function reserveIndexRuleOfGeneration(g: Generation): ReserveIndexRule {
  return g === '2.6.32' || g === '3.7' || g === '4.4' ? 'preferred' : 'highest';
}
