// Decodes a GFP mode (the hex an allocation-failure or OOM report prints) into __GFP_* names per kernel release.

import { InputError, type Generation, type GfpRequest, type ZoneType } from '../model.js';
import { parseRelease } from '../analysis/kernel.js';

/**
 * The bit values of include/linux/gfp.h (include/linux/gfp_types.h from 6.0), one layout per release
 * that moved, added or removed a bit. Restated from these reads:
 *  - 2.6.32: zybsyzlz/linux-2.6.32 @ec78931 include/linux/gfp.h.
 *  - 2.6.38-4.3 additions: Breathleas/linux-kernel-3.13-codedump @e962cce include/linux/gfp.h (3.13 has
 *    NO_KSWAPD, OTHER_NODE, WRITE, MEMALLOC and KMEMCG at the values below; the release each arrived in
 *    is from the patch dates and marked "~").
 *  - 4.4: the "mm, page_alloc: distinguish between being unable to sleep, unwilling to sleep and avoiding
 *    waking kswapd" series (Mel Gorman, 2015) as quoted on linux-mm: RECLAIMABLE moved to 0x10, WAIT became
 *    ATOMIC at 0x80000, NO_KSWAPD became DIRECT_RECLAIM, KSWAPD_RECLAIM added at 0x2000000.
 *  - 4.10: "mm, page_alloc: remove __GFP_OTHER_NODE" (Michal Hocko) slid WRITE and KSWAPD_RECLAIM down.
 *  - 4.12-4.14: harveydong/linux-4.14-comment @14516d8 (NOLOCKDEP, RETRY_MAYFAIL).
 *  - 4.18: "mm: save two stranding bit in gfp_mask" (Shakeel Butt / Michal Hocko, May 2018), the form
 *    in 0x88888888/Linux-4.19 @d7e460e.
 *  - 5.1: "mm: shuffle GFP_* flags" (Alexey Dobriyan, Jan 2019); 06I90/Notes-of-Kernel-5.10.228 @c026e14.
 *    A 5.0.0-rc6 OOM report still prints 0x6280ca for GFP_HIGHUSER_MOVABLE|__GFP_ZERO, a 5.4 one 0x100cca.
 *  - 6.0: the gfp_types.h split (ZEROTAGS and the KASAN bits at fixed positions).
 *  - 6.3: "mm: discard __GFP_ATOMIC" (0x200 left unused).
 *  - 6.10: linux-mm/linux-mm @30919a9 include/linux/gfp_types.h: bits numbered by an enum, so the bits
 *    after ZEROTAGS depend on the config (KASAN_HW_TAGS, LOCKDEP). The table assumes neither, as on
 *    x86 distribution kernels.
 * Composite masks keep the print order of the kernel's %pGg table (include/trace/events/mmflags.h):
 * the widest composite first, then single bits.
 */
interface Layout {
  /** First release (major.minor) with this layout. */
  since: string;
  bits: ReadonlyMap<string, number>;
  composites: readonly (readonly [string, readonly string[]])[];
}

type BitTable = Record<string, number>;
type CompositeTable = [string, string[]][];

function layout(since: string, bits: BitTable, composites: CompositeTable): Layout {
  return { since, bits: new Map(Object.entries(bits)), composites };
}

/** A later layout: some bits added or moved (value) or removed (null), composites replaced when given. */
function derive(prev: Layout, since: string, change: Record<string, number | null>, composites?: CompositeTable): Layout {
  const bits = new Map(prev.bits);
  for (const [name, value] of Object.entries(change)) {
    if (value === null) bits.delete(name);
    else bits.set(name, value);
  }
  return { since, bits, composites: composites ?? prev.composites };
}

/** Composite masks up to 4.3, where sleeping is the single __GFP_WAIT bit. */
function legacyComposites(withTranshuge: boolean): CompositeTable {
  const user = ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL'];
  const highuserMovable = [...user, '__GFP_HIGHMEM', '__GFP_MOVABLE'];
  const table: CompositeTable = [
    ['GFP_HIGHUSER_MOVABLE', highuserMovable],
    ['GFP_HIGHUSER', [...user, '__GFP_HIGHMEM']],
    ['GFP_USER', user],
    ['GFP_TEMPORARY', ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_RECLAIMABLE']],
    ['GFP_KERNEL', ['__GFP_WAIT', '__GFP_IO', '__GFP_FS']],
    ['GFP_NOFS', ['__GFP_WAIT', '__GFP_IO']],
    ['GFP_ATOMIC', ['__GFP_HIGH']],
    ['GFP_NOIO', ['__GFP_WAIT']],
    // GFP_ATOMIC & ~__GFP_HIGH: no bit at all, so it names a request but never matches a value.
    ['GFP_NOWAIT', []],
    ['GFP_DMA', ['__GFP_DMA']],
    ['GFP_DMA32', ['__GFP_DMA32']],
  ];
  if (withTranshuge) {
    // GFP_TRANSHUGE (2.6.38, transparent huge pages): never wakes kswapd, gives up early.
    table.unshift([
      'GFP_TRANSHUGE',
      [...highuserMovable, '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NORETRY', '__GFP_NOWARN', '__GFP_NO_KSWAPD'],
    ]);
  }
  return table;
}

interface ModernOptions {
  /** GFP_ATOMIC carries __GFP_ATOMIC (4.4 to 6.2). */
  atomicBit: boolean;
  /** GFP_TRANSHUGE_LIGHT exists (~4.8); before it GFP_TRANSHUGE was the sleeping mask minus kswapd. */
  transhugeLight: boolean;
  temporary: boolean;
  kernelAccount: boolean;
  /** GFP_NOWAIT also sets __GFP_NOWARN (~6.8). */
  nowaitNowarn: boolean;
}

/** Composite masks from 4.4, where sleeping is __GFP_DIRECT_RECLAIM and waking kswapd is separate. */
function modernComposites(o: ModernOptions): CompositeTable {
  const reclaim = ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'];
  const kernel = [...reclaim, '__GFP_IO', '__GFP_FS'];
  const user = [...kernel, '__GFP_HARDWALL'];
  const highuserMovable = [...user, '__GFP_HIGHMEM', '__GFP_MOVABLE'];
  const table: CompositeTable = [];
  if (o.transhugeLight) {
    const light = [
      ...highuserMovable.filter((b) => !reclaim.includes(b)),
      '__GFP_COMP',
      '__GFP_NOMEMALLOC',
      '__GFP_NOWARN',
    ];
    table.push(['GFP_TRANSHUGE', [...light, '__GFP_DIRECT_RECLAIM']], ['GFP_TRANSHUGE_LIGHT', light]);
  } else {
    table.push([
      'GFP_TRANSHUGE',
      [
        ...highuserMovable.filter((b) => b !== '__GFP_KSWAPD_RECLAIM'),
        '__GFP_COMP',
        '__GFP_NOMEMALLOC',
        '__GFP_NORETRY',
        '__GFP_NOWARN',
      ],
    ]);
  }
  table.push(
    ['GFP_HIGHUSER_MOVABLE', highuserMovable],
    ['GFP_HIGHUSER', [...user, '__GFP_HIGHMEM']],
    ['GFP_USER', user],
  );
  if (o.temporary) table.push(['GFP_TEMPORARY', [...kernel, '__GFP_RECLAIMABLE']]);
  if (o.kernelAccount) table.push(['GFP_KERNEL_ACCOUNT', [...kernel, '__GFP_ACCOUNT']]);
  table.push(
    ['GFP_KERNEL', kernel],
    ['GFP_NOFS', [...reclaim, '__GFP_IO']],
    ['GFP_ATOMIC', o.atomicBit ? ['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM'] : ['__GFP_HIGH', '__GFP_KSWAPD_RECLAIM']],
    ['GFP_NOIO', reclaim],
    ['GFP_NOWAIT', o.nowaitNowarn ? ['__GFP_KSWAPD_RECLAIM', '__GFP_NOWARN'] : ['__GFP_KSWAPD_RECLAIM']],
    ['GFP_DMA', ['__GFP_DMA']],
    ['GFP_DMA32', ['__GFP_DMA32']],
  );
  return table;
}

const ZONE_BITS: BitTable = { __GFP_DMA: 0x01, __GFP_HIGHMEM: 0x02, __GFP_DMA32: 0x04, __GFP_MOVABLE: 0x08 };

const L2_6_32 = layout(
  '2.6.32',
  {
    ...ZONE_BITS,
    __GFP_WAIT: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_COLD: 0x100,
    __GFP_NOWARN: 0x200,
    __GFP_REPEAT: 0x400,
    __GFP_NOFAIL: 0x800,
    __GFP_NORETRY: 0x1000,
    __GFP_COMP: 0x4000,
    __GFP_ZERO: 0x8000,
    __GFP_NOMEMALLOC: 0x10000,
    __GFP_HARDWALL: 0x20000,
    __GFP_THISNODE: 0x40000,
    __GFP_RECLAIMABLE: 0x80000,
    // Only with CONFIG_KMEMCHECK; 0 otherwise.
    __GFP_NOTRACK: 0x200000,
  },
  legacyComposites(false),
);
const L2_6_38 = derive(L2_6_32, '2.6.38', { __GFP_NO_KSWAPD: 0x400000, __GFP_OTHER_NODE: 0x800000 }, legacyComposites(true));
const L3_2 = derive(L2_6_38, '3.2', { __GFP_WRITE: 0x1000000 });
const L3_6 = derive(L3_2, '3.6', { __GFP_MEMALLOC: 0x2000 });
const L3_8 = derive(L3_6, '3.8', { __GFP_KMEMCG: 0x100000 });
const L3_16 = derive(L3_8, '3.16', { __GFP_KMEMCG: null });
const L4_1 = derive(L3_16, '4.1', { __GFP_NOACCOUNT: 0x100000 });

const MODERN_4_4: ModernOptions = {
  atomicBit: true,
  transhugeLight: false,
  temporary: true,
  kernelAccount: false,
  nowaitNowarn: false,
};
const L4_4 = layout(
  '4.4',
  {
    ...ZONE_BITS,
    __GFP_RECLAIMABLE: 0x10,
    __GFP_HIGH: 0x20,
    __GFP_IO: 0x40,
    __GFP_FS: 0x80,
    __GFP_COLD: 0x100,
    __GFP_NOWARN: 0x200,
    __GFP_REPEAT: 0x400,
    __GFP_NOFAIL: 0x800,
    __GFP_NORETRY: 0x1000,
    __GFP_MEMALLOC: 0x2000,
    __GFP_COMP: 0x4000,
    __GFP_ZERO: 0x8000,
    __GFP_NOMEMALLOC: 0x10000,
    __GFP_HARDWALL: 0x20000,
    __GFP_THISNODE: 0x40000,
    __GFP_ATOMIC: 0x80000,
    __GFP_NOACCOUNT: 0x100000,
    __GFP_NOTRACK: 0x200000,
    __GFP_DIRECT_RECLAIM: 0x400000,
    __GFP_OTHER_NODE: 0x800000,
    __GFP_WRITE: 0x1000000,
    __GFP_KSWAPD_RECLAIM: 0x2000000,
  },
  modernComposites(MODERN_4_4),
);
const L4_5 = derive(
  L4_4,
  '4.5',
  { __GFP_NOACCOUNT: null, __GFP_ACCOUNT: 0x100000 },
  modernComposites({ ...MODERN_4_4, kernelAccount: true }),
);
const MODERN_4_8: ModernOptions = { ...MODERN_4_4, kernelAccount: true, transhugeLight: true };
const L4_8 = derive(L4_5, '4.8', {}, modernComposites(MODERN_4_8));
const L4_10 = derive(L4_8, '4.10', { __GFP_OTHER_NODE: null, __GFP_WRITE: 0x800000, __GFP_KSWAPD_RECLAIM: 0x1000000 });
// Only with CONFIG_LOCKDEP; 0 otherwise.
const L4_12 = derive(L4_10, '4.12', { __GFP_NOLOCKDEP: 0x2000000 });
const L4_13 = derive(L4_12, '4.13', { __GFP_REPEAT: null, __GFP_RETRY_MAYFAIL: 0x400 });
const MODERN_4_14: ModernOptions = { ...MODERN_4_8, temporary: false };
const L4_14 = derive(L4_13, '4.14', {}, modernComposites(MODERN_4_14));
const L4_15 = derive(L4_14, '4.15', { __GFP_COLD: null, __GFP_NOTRACK: null });
const L4_18 = derive(L4_15, '4.18', {
  __GFP_WRITE: 0x100,
  __GFP_DIRECT_RECLAIM: 0x200000,
  __GFP_KSWAPD_RECLAIM: 0x400000,
  __GFP_NOLOCKDEP: 0x800000,
});
const L5_1 = derive(L4_18, '5.1', {
  __GFP_ZERO: 0x100,
  __GFP_ATOMIC: 0x200,
  __GFP_DIRECT_RECLAIM: 0x400,
  __GFP_KSWAPD_RECLAIM: 0x800,
  __GFP_WRITE: 0x1000,
  __GFP_NOWARN: 0x2000,
  __GFP_RETRY_MAYFAIL: 0x4000,
  __GFP_NOFAIL: 0x8000,
  __GFP_NORETRY: 0x10000,
  __GFP_MEMALLOC: 0x20000,
  __GFP_COMP: 0x40000,
  __GFP_NOMEMALLOC: 0x80000,
  __GFP_HARDWALL: 0x100000,
  __GFP_THISNODE: 0x200000,
  __GFP_ACCOUNT: 0x400000,
  __GFP_NOLOCKDEP: 0x800000,
});
// 5.14-5.19 added the MTE/KASAN bits in steps not restated here; from 6.0 they sit at fixed positions
// (0 unless CONFIG_KASAN_HW_TAGS), with NOLOCKDEP after them.
const L6_0 = derive(L5_1, '6.0', {
  __GFP_ZEROTAGS: 0x800000,
  __GFP_SKIP_ZERO: 0x1000000,
  __GFP_SKIP_KASAN_UNPOISON: 0x2000000,
  __GFP_SKIP_KASAN_POISON: 0x4000000,
  __GFP_NOLOCKDEP: 0x8000000,
});
const MODERN_6_3: ModernOptions = { ...MODERN_4_14, atomicBit: false };
const L6_3 = derive(
  L6_0,
  '6.3',
  {
    __GFP_ATOMIC: null,
    __GFP_SKIP_KASAN_UNPOISON: null,
    __GFP_SKIP_KASAN_POISON: null,
    __GFP_SKIP_KASAN: 0x2000000,
    __GFP_NOLOCKDEP: 0x4000000,
  },
  modernComposites(MODERN_6_3),
);
const L6_8 = derive(L6_3, '6.8', {}, modernComposites({ ...MODERN_6_3, nowaitNowarn: true }));
const L6_10 = derive(L6_8, '6.10', {
  __GFP_SKIP_ZERO: null,
  __GFP_SKIP_KASAN: null,
  __GFP_NOLOCKDEP: null,
  __GFP_NO_OBJ_EXT: 0x1000000,
});

const LAYOUTS: readonly Layout[] = [
  L2_6_32, L2_6_38, L3_2, L3_6, L3_8, L3_16, L4_1, L4_4, L4_5, L4_8, L4_10, L4_12, L4_13, L4_14, L4_15,
  L4_18, L5_1, L6_0, L6_3, L6_8, L6_10,
];

/** Bits only some configs or callers set; a layout that needs them to explain a value is a worse fit. */
const RARE = new Set([
  '__GFP_NOLOCKDEP',
  '__GFP_OTHER_NODE',
  '__GFP_NOTRACK',
  '__GFP_ZEROTAGS',
  '__GFP_SKIP_ZERO',
  '__GFP_SKIP_KASAN',
  '__GFP_SKIP_KASAN_UNPOISON',
  '__GFP_SKIP_KASAN_POISON',
  '__GFP_NO_OBJ_EXT',
  '__GFP_KMEMCG',
]);

/** First release of each generation, and of the next one (the generation's range is [from, before)). */
const GENERATION_RANGE: Record<Generation, { from: string; before?: string }> = {
  '2.6.32': { from: '2.6.32', before: '3.7' },
  '3.7': { from: '3.7', before: '4.4' },
  '4.4': { from: '4.4', before: '4.15' },
  '4.15': { from: '4.15', before: '6.3' },
  '6.3': { from: '6.3', before: '6.12' },
  '6.12': { from: '6.12', before: '6.18' },
  '6.18': { from: '6.18' },
};

const GENERATIONS = Object.keys(GENERATION_RANGE) as Generation[];

/**
 * Which kernel the value came from: a generation name ('4.4' means the whole 4.4-4.14 generation), a
 * release string ("3.10.0-957.el7.x86_64"), or a range of releases when only the report's format is known.
 */
export type GfpContext = Generation | string | { from: string; before?: string };

/** Compares two release strings by major, minor and patch. */
function compareRelease(a: string, b: string): number {
  const x = parseRelease(a);
  const y = parseRelease(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

function isGeneration(s: string): s is Generation {
  return (GENERATIONS as string[]).includes(s);
}

/** The layouts in force at some release of [from, before). */
function layoutsIn(range: { from: string; before?: string }): Layout[] {
  const out: Layout[] = [];
  LAYOUTS.forEach((l, i) => {
    const next = LAYOUTS[i + 1];
    const endsBeforeRange = next !== undefined && compareRelease(next.since, range.from) <= 0;
    const startsAfterRange = range.before !== undefined && compareRelease(l.since, range.before) >= 0;
    if (!endsBeforeRange && !startsAfterRange) out.push(l);
  });
  // Releases older than 2.6.32 still get the oldest layout restated here.
  return out.length > 0 ? out : [L2_6_32];
}

/** The candidate layouts for a context: one for an exact release, several for a generation or range. */
function candidates(at: GfpContext): Layout[] {
  if (typeof at === 'object') return layoutsIn(at);
  if (isGeneration(at)) return layoutsIn(GENERATION_RANGE[at]);
  let release: { major: number; minor: number; patch: number };
  try {
    release = parseRelease(at);
  } catch {
    throw new InputError(
      `GFP decoding was asked for kernel "${at}": expected a generation (${GENERATIONS.join(', ')}) or a release such as "4.4.0-21-generic".`,
    );
  }
  return layoutsIn({ from: `${release.major}.${release.minor}.${release.patch}` }).slice(0, 1);
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
  names.push(...leftoverBits);
  const unknown = (v & ~known) >>> 0;
  if (unknown !== 0) names.push(`0x${unknown.toString(16)}`);
  return {
    names,
    bits,
    unknown,
    layout: l.since,
    rare: bits.filter((b) => RARE.has(b)).length,
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
 * Reads a GFP mode with the bit values of the given kernel. For an exact release there is one table; for
 * a generation or range, the table in force at one of its releases that explains the value best: no
 * undefined bits, then fewest config-only bits (NOLOCKDEP, OTHER_NODE, NOTRACK...), then the most bits
 * covered by composite masks, then the newest. This settles 4.4-4.9 against 4.10-4.14, whose top bits
 * differ: 0x2080020 is GFP_ATOMIC in the first and 0x1080020 in the second.
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
 * The names of a GFP mode as a 4.5+ kernel would print them in brackets: composites such as GFP_ATOMIC
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

/** The layouts that can expand names for a context, newest first, so current names win. */
function expansionLayouts(at: GfpContext): Layout[] {
  return [...candidates(at)].reverse();
}

/** Every bit name any layout defines, for accepting names from a neighbouring release. */
const ALL_BITS = new Set(LAYOUTS.flatMap((l) => [...l.bits.keys()]));

/**
 * Turns one user or report token into __GFP_* bit names, or undefined if it names nothing known:
 * a value, a __GFP_ bit, a GFP_ composite, or a bare word read as a composite first ("atomic" is
 * GFP_ATOMIC) and then as a bit ("comp" is __GFP_COMP).
 */
function expandName(token: string, at: GfpContext): string[] | undefined {
  const t = token.trim();
  if (/^(?:0x[0-9a-f]+|\d+)$/i.test(t)) return gfpBits(Number(t), at);
  const upper = t.toUpperCase().replace(/-/g, '_');
  if (upper.startsWith('__GFP_')) return ALL_BITS.has(upper) ? [upper] : undefined;
  const composite = `GFP_${upper.replace(/^GFP_/, '')}`;
  for (const l of expansionLayouts(at)) {
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
function gfpZone(set: ReadonlySet<string>, name: string): ZoneType {
  const dma = set.has('__GFP_DMA');
  const highmem = set.has('__GFP_HIGHMEM');
  const dma32 = set.has('__GFP_DMA32');
  const movable = set.has('__GFP_MOVABLE');
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
function hasAtomicBit(at: GfpContext): boolean {
  return candidates(at).some((l) => l.bits.has('__GFP_ATOMIC'));
}

/**
 * What a GFP mode asks of the allocator, in the terms gfp_to_alloc_flags reads. Takes a value (0x4020),
 * a string as a report prints it or a user types it ("GFP_ATOMIC|__GFP_COMP", "atomic", "0x4020"), or a
 * list of names; composites are expanded with the masks of the given kernel. Sleeping is __GFP_WAIT up to
 * 4.3 and __GFP_DIRECT_RECLAIM from 4.4 (4.4 also keeps __GFP_WAIT as the pair of reclaim bits).
 */
export function requestFromGfp(input: number | string | readonly string[], at: GfpContext): GfpRequest {
  let name: string;
  let tokens: string[];
  if (typeof input === 'number') {
    name = `0x${(input >>> 0).toString(16)}`;
    tokens = [String(input)];
  } else if (typeof input === 'string') {
    name = input.trim();
    tokens = name.split(/[|,\s]+/).filter((t) => t !== '');
  } else {
    name = input.join('|');
    tokens = [...input];
  }
  if (tokens.length === 0) {
    throw new InputError('GFP mode is empty: expected a value such as 0x4020 or names such as GFP_KERNEL|__GFP_COMP.');
  }
  const set = new Set<string>();
  for (const t of tokens) {
    if (/^none$/i.test(t)) continue;
    const bits = expandName(t, at);
    if (bits === undefined) {
      throw new InputError(
        `GFP flag "${t}" is not known: expected a composite such as GFP_KERNEL or GFP_ATOMIC, a bit such as __GFP_HIGH, or a hex value.`,
      );
    }
    for (const b of bits) set.add(b);
  }
  return {
    name,
    highestZone: gfpZone(set, name),
    high: set.has('__GFP_HIGH'),
    canSleep: set.has('__GFP_WAIT') || set.has('__GFP_DIRECT_RECLAIM'),
    atomic: set.has('__GFP_ATOMIC') && hasAtomicBit(at),
    noMemalloc: set.has('__GFP_NOMEMALLOC'),
    movable: set.has('__GFP_MOVABLE'),
  };
}
