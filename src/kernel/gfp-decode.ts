// Reads a GFP mode with the bit values of a release: names as %pGg prints them, bits, gfp_zone().

import { InputError, type ZoneType } from '../model.js';
import { L2_6_32, LAYOUTS, type Layout } from './gfp-layouts.js';
import { compareReleases, parseRelease, seriesOf } from './release.js';

/**
 * Which kernel a value came from: a release string ("3.10.0-957.el7.x86_64"), or a range of releases
 * [from, before) when only the report's format is known (a header without flag names predates 4.6).
 */
export type GfpContext = string | { from: string; before?: string };

function compare(a: string, b: string): number {
  return compareReleases(parseRelease(a), parseRelease(b));
}

/** The layouts in force at some release of [from, before). */
function layoutsIn(range: { from: string; before?: string }): Layout[] {
  const out: Layout[] = [];
  LAYOUTS.forEach((l, i) => {
    const next = LAYOUTS[i + 1];
    const endsBeforeRange = next !== undefined && compare(next.since, range.from) <= 0;
    const startsAfterRange = range.before !== undefined && compare(l.since, range.before) >= 0;
    if (!endsBeforeRange && !startsAfterRange) out.push(l);
  });
  // Releases older than 2.6.32 still get the oldest layout restated here.
  return out.length > 0 ? out : [L2_6_32];
}

/** The candidate layouts for a context: one for a release, several for a range. */
function candidates(at: GfpContext): Layout[] {
  if (typeof at === 'object') return layoutsIn(at);
  let series: string;
  try {
    const r = parseRelease(at);
    // The layout follows the mainline series: stable updates never renumber gfp bits.
    series = seriesOf(r);
  } catch {
    throw new InputError(`GFP decoding was asked for kernel "${at}": expected a release such as "4.4.0-21-generic".`);
  }
  return layoutsIn({ from: series }).slice(0, 1);
}

/** How one layout reads a value. */
export interface GfpDecoding {
  /** As the kernel's %pGg prints it: composites first (widest first), then single bits, then unknown bits in hex. */
  names: string[];
  /** Every single __GFP_* bit set, lowest value first. */
  bits: string[];
  /** Bits the layout does not define (0 when everything was named). */
  unknown: number;
  /** The first release whose bit values were used ("4.10" means the 4.10 to 4.11 table). */
  layout: string;
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v !== 0; v &= v - 1) c++;
  return c;
}

function decodeWith(value: number, l: Layout): GfpDecoding & { rare: number; leftover: number } {
  const v = value >>> 0;
  const bits: string[] = [];
  let known = 0;
  for (const [name, bit] of [...l.bits].sort((a, b) => a[1] - b[1])) {
    if ((v & bit) !== 0) {
      bits.push(name);
      known |= bit;
    }
  }
  // format_flags() in lib/vsprintf.c: take each mask of the table in order when all its bits are
  // still set, remove them, and go on with what is left.
  let left = v;
  const names: string[] = [];
  for (const [name, members] of l.composites) {
    const mask = members.reduce((m, b) => m | (l.bits.get(b) ?? 0), 0);
    if (mask !== 0 && (left & mask) === mask) {
      names.push(name);
      left &= ~mask;
    }
  }
  const leftoverBits = bits.filter((b) => (left & (l.bits.get(b) ?? 0)) !== 0);
  // 4.6-6.14 print the leftover bits in their name table's order, and a bit the table lacks as hex.
  const order = l.printOrder;
  const listed = order === undefined ? leftoverBits : order.filter((b) => leftoverBits.includes(b));
  names.push(...listed);
  const unlisted = leftoverBits.filter((b) => !listed.includes(b)).reduce((m, b) => m | (l.bits.get(b) ?? 0), 0);
  const unknown = (v & ~known) >>> 0;
  const hex = (unknown | unlisted) >>> 0;
  if (hex !== 0) names.push(`0x${hex.toString(16)}`);
  return {
    names,
    bits,
    unknown,
    layout: l.since,
    rare: bits.filter((b) => l.rare.has(b)).length,
    leftover: leftoverBits.length,
  };
}

/** Negative when a explains the value better than b (see explainGfp). */
function compareFit(
  a: { unknown: number; rare: number; leftover: number },
  b: { unknown: number; rare: number; leftover: number },
): number {
  return popcount(a.unknown) - popcount(b.unknown) || a.rare - b.rare || a.leftover - b.leftover;
}

/**
 * Reads a GFP mode with the bit values of the given kernel. For a release there is one table; for a
 * range, the table in force at one of its releases that explains the value best: no undefined bits,
 * then fewest config-only bits (NOLOCKDEP, OTHER_NODE, NOTRACK...), then the most bits covered by
 * composite masks, then the newest. This settles 4.4-4.9 against 4.10-4.14, whose top bits differ:
 * 0x2080020 is GFP_ATOMIC in the first and 0x1080020 in the second.
 */
export function explainGfp(value: number, at: GfpContext): GfpDecoding {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InputError(`GFP mode ${value} is not a 32-bit unsigned value: expected a number such as 0x4020.`);
  }
  let best: ReturnType<typeof decodeWith> | undefined;
  for (const l of candidates(at)) {
    const d = decodeWith(value, l);
    // Oldest first, so a tie keeps the newer table.
    if (best === undefined || compareFit(d, best) <= 0) best = d;
  }
  // candidates() never returns an empty list.
  const { names, bits, unknown, layout: used } = best as GfpDecoding;
  return { names, bits, unknown, layout: used };
}

/**
 * The names of a GFP mode as a 4.6+ kernel would print them in brackets: composites such as GFP_ATOMIC
 * first when all their bits are set, then the leftover __GFP_* bits, then any undefined bits as hex.
 * 2.6.32: 0x4020 gives ["GFP_ATOMIC", "__GFP_COMP"] (GFP_ATOMIC is __GFP_HIGH alone there).
 */
export function decodeGfp(value: number, at: GfpContext): string[] {
  return explainGfp(value, at).names;
}

/** Every single __GFP_* bit of a mode, lowest first: 2.6.32 0x4020 gives ["__GFP_HIGH", "__GFP_COMP"]. */
export function gfpBits(value: number, at: GfpContext): string[] {
  return explainGfp(value, at).bits;
}

/** Every bit name any layout defines, for accepting names from a neighbouring release. */
const ALL_BITS = new Set(LAYOUTS.flatMap((l) => [...l.bits.keys()]));

/**
 * Turns one user or report token into __GFP_* bit names, or undefined if it names nothing known:
 * a value, a __GFP_ bit, a GFP_ composite, or a bare word read as a composite first ("atomic" is
 * GFP_ATOMIC) and then as a bit ("comp" is __GFP_COMP). Composites are expanded with the newest
 * layout of the context first, so current names win.
 */
export function expandGfpName(token: string, at: GfpContext): string[] | undefined {
  const t = token.trim();
  if (/^(?:0x[0-9a-f]+|\d+)$/i.test(t)) return gfpBits(Number(t), at);
  const upper = t.toUpperCase().replace(/-/g, '_');
  if (upper.startsWith('__GFP_')) return ALL_BITS.has(upper) ? [upper] : undefined;
  const composite = `GFP_${upper.replace(/^GFP_/, '')}`;
  for (const l of [...candidates(at)].reverse()) {
    const found = l.composites.find(([name]) => name === composite);
    if (found) return found[1].filter((b) => l.bits.has(b));
  }
  if (upper.startsWith('GFP_')) return undefined;
  return ALL_BITS.has(`__GFP_${upper}`) ? [`__GFP_${upper}`] : undefined;
}

/**
 * gfp_zone(): the highest zone a request may use, from its zone modifiers (the GFP_ZONE_TABLE comment of
 * include/linux/gfp.h, the same from 2.6.32 to 6.18). __GFP_MOVABLE alone stays in Normal; only with
 * __GFP_HIGHMEM does it reach ZONE_MOVABLE. HighMem means Normal on kernels without CONFIG_HIGHMEM.
 */
export function gfpZone(bits: ReadonlySet<string>, name: string): ZoneType {
  const dma = bits.has('__GFP_DMA');
  const highmem = bits.has('__GFP_HIGHMEM');
  const dma32 = bits.has('__GFP_DMA32');
  const movable = bits.has('__GFP_MOVABLE');
  if (Number(dma) + Number(highmem) + Number(dma32) > 1) {
    throw new InputError(
      `GFP mode ${name} sets more than one of __GFP_DMA, __GFP_DMA32 and __GFP_HIGHMEM: expected at most one zone modifier (gfp_zone rejects the mix).`,
    );
  }
  if (dma) return 'DMA';
  if (dma32) return 'DMA32';
  if (highmem) return movable ? 'Movable' : 'HighMem';
  return 'Normal';
}

/** Whether the kernel has the __GFP_ATOMIC bit at all (4.4 to 6.2). */
export function hasAtomicBit(at: GfpContext): boolean {
  return candidates(at).some((l) => l.bits.has('__GFP_ATOMIC'));
}

/**
 * The releases [from, before) whose bit values print a mode as the given names: a report that printed
 * both (4.6+) narrows its release this way, since the bits moved at 4.10, 4.18, 5.1 and 6.3.
 */
export function releasesPrinting(value: number, names: readonly string[]): { from: string; before?: string }[] {
  const want = [...names].sort().join('|');
  const out: { from: string; before?: string }[] = [];
  LAYOUTS.forEach((l, i) => {
    const got = decodeWith(value, l).names;
    if ([...got].sort().join('|') !== want) return;
    const next = LAYOUTS[i + 1];
    out.push(next === undefined ? { from: l.since } : { from: l.since, before: next.since });
  });
  return out;
}
