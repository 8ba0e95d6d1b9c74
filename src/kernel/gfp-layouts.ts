// The __GFP_* bit values of every layout the kernel has used, as data (include/linux/gfp.h, gfp_types.h).

import { legacyComposites, modernComposites, TABLE_ORDER, type CompositeTable, type ModernOptions } from './gfp-composites.js';

/**
 * One layout per release that moved, added or removed a bit, restated from the gfp.h / gfp_types.h of
 * release trees (2.6.32, 2.6.37, 3.5-3.8, 3.14-3.16, 4.1, 4.3-4.19 except 4.5, 5.0, 5.2, 5.10, 5.14-rc5,
 * 5.15.55, 5.17-rc5, 5.18.12, 5.19, 6.0.1-6.6.80, 6.8.1-6.14.0, 6.18.2, each checked by its Makefile): 4.4 renumbers for the __GFP_WAIT split, 4.10 drops OTHER_NODE, 4.18 saves two stranded bits,
 * 5.1 shuffles them, 5.14 adds the MTE bits (SKIP_KASAN_POISON always defined and in
 * GFP_HIGHUSER_MOVABLE), 5.18 makes the KASAN bits config-only, 6.3 only deletes __GFP_ATOMIC, 6.4 merges
 * the KASAN skip bits, 6.9 numbers the config-dependent bits with an enum, 6.10 adds NO_OBJ_EXT. Where a
 * value depends on the config, the table takes an x86 distribution kernel's: no KASAN_HW_TAGS, no
 * LOCKDEP, SLAB_OBJ_EXT on (MEMCG selects it). Unverified (no tree reachable): 2.6.38 (NO_KSWAPD,
 * OTHER_NODE) and 3.2 (WRITE), dated by their patches.
 */
export interface Layout {
  /** First release (major.minor) with this layout. */
  since: string;
  bits: ReadonlyMap<string, number>;
  composites: readonly (readonly [string, readonly string[]])[];
  /** Bits only some configs or callers set: a layout that needs them to explain a value is a worse fit. */
  rare: ReadonlySet<string>;
  /** The order %pGg prints leftover bits in, when not bit order; bits it does not list print as hex. */
  printOrder?: readonly string[];
}

type BitTable = Record<string, number>;

/** Set only by some configs or rare callers, in every layout that has them. */
const RARE = ['__GFP_NOLOCKDEP', '__GFP_OTHER_NODE', '__GFP_ZEROTAGS', '__GFP_SKIP_ZERO', '__GFP_SKIP_KASAN', '__GFP_SKIP_KASAN_UNPOISON', '__GFP_SKIP_KASAN_POISON', '__GFP_NO_OBJ_EXT', '__GFP_KMEMCG'];

function layout(since: string, bits: BitTable, composites: CompositeTable, rare: string[] = RARE): Layout {
  return { since, bits: new Map(Object.entries(bits)), composites, rare: new Set(rare) };
}

interface Change {
  /** Bits added or moved (a value) or removed (null). */
  bits?: Record<string, number | null>;
  composites?: CompositeTable;
  rare?: string[];
  /** The %pGg print order from this layout on; null: bit order again. */
  printOrder?: readonly string[] | null;
}

/** A later layout: what changed from the one before. */
function derive(prev: Layout, since: string, change: Change): Layout {
  const bits = new Map(prev.bits);
  for (const [name, value] of Object.entries(change.bits ?? {})) {
    if (value === null) bits.delete(name);
    else bits.set(name, value);
  }
  const printOrder = change.printOrder === undefined ? prev.printOrder : change.printOrder ?? undefined;
  const out: Layout = {
    since,
    bits,
    composites: change.composites ?? prev.composites,
    rare: change.rare === undefined ? prev.rare : new Set(change.rare),
  };
  if (printOrder !== undefined) out.printOrder = printOrder;
  return out;
}

const ZONE_BITS: BitTable = { __GFP_DMA: 0x01, __GFP_HIGHMEM: 0x02, __GFP_DMA32: 0x04, __GFP_MOVABLE: 0x08 };

export const L2_6_32 = layout(
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
    // Only with CONFIG_KMEMCHECK up to 3.6; 0 otherwise.
    __GFP_NOTRACK: 0x200000,
  },
  legacyComposites(false),
  [...RARE, '__GFP_NOTRACK'],
);
const L2_6_38 = derive(L2_6_32, '2.6.38', { bits: { __GFP_NO_KSWAPD: 0x400000, __GFP_OTHER_NODE: 0x800000 }, composites: legacyComposites(true) });
const L3_2 = derive(L2_6_38, '3.2', { bits: { __GFP_WRITE: 0x1000000 } });
const L3_6 = derive(L3_2, '3.6', { bits: { __GFP_MEMALLOC: 0x2000 } });
// From 3.7 __GFP_NOTRACK is 0x200000 whatever the config, and x86's page-table allocations carry it.
const L3_7 = derive(L3_6, '3.7', { rare: RARE });
const L3_8 = derive(L3_7, '3.8', { bits: { __GFP_KMEMCG: 0x100000 } });
const L3_16 = derive(L3_8, '3.16', { bits: { __GFP_KMEMCG: null } });
const L4_1 = derive(L3_16, '4.1', { bits: { __GFP_NOACCOUNT: 0x100000 } });

const MODERN_4_4: ModernOptions = { atomicBit: true, transhuge: 'kswapd', temporary: true, kernelAccount: false, nowaitNowarn: false };
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

const L4_5 = derive(L4_4, '4.5', {
  bits: { __GFP_NOACCOUNT: null, __GFP_ACCOUNT: 0x100000 },
  composites: modernComposites({ ...MODERN_4_4, kernelAccount: true }),
});
// 4.6 prints flag names in reports (%pGg), in its table's order; GFP_TRANSHUGE clears both reclaim bits.
const MODERN_4_6: ModernOptions = { ...MODERN_4_4, kernelAccount: true, transhuge: 'both' };
const L4_6 = derive(L4_5, '4.6', { composites: modernComposites(MODERN_4_6), printOrder: TABLE_ORDER });
const MODERN_4_8: ModernOptions = { ...MODERN_4_6, transhuge: 'light' };
const L4_8 = derive(L4_6, '4.8', { composites: modernComposites(MODERN_4_8) });
const L4_10 = derive(L4_8, '4.10', { bits: { __GFP_OTHER_NODE: null, __GFP_WRITE: 0x800000, __GFP_KSWAPD_RECLAIM: 0x1000000 } });
// Only with CONFIG_LOCKDEP; 0 otherwise.
const L4_12 = derive(L4_10, '4.12', { bits: { __GFP_NOLOCKDEP: 0x2000000 } });
const L4_13 = derive(L4_12, '4.13', { bits: { __GFP_REPEAT: null, __GFP_RETRY_MAYFAIL: 0x400 } });
const MODERN_4_14: ModernOptions = { ...MODERN_4_8, temporary: false };
const L4_14 = derive(L4_13, '4.14', { composites: modernComposites(MODERN_4_14) });
// kmemcheck went away with 4.15 (and from 4.14.24 on in 4.14.y, which this table does not tell apart).
const L4_15 = derive(L4_14, '4.15', { bits: { __GFP_COLD: null, __GFP_NOTRACK: null } });
const L4_18 = derive(L4_15, '4.18', {
  bits: { __GFP_WRITE: 0x100, __GFP_DIRECT_RECLAIM: 0x200000, __GFP_KSWAPD_RECLAIM: 0x400000, __GFP_NOLOCKDEP: 0x800000 },
});
const L5_1 = derive(L4_18, '5.1', {
  bits: {
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
  },
});
// 5.14-5.17: __GFP_SKIP_KASAN_POISON is always defined and part of GFP_HIGHUSER_MOVABLE (0x1100cca).
const L5_14 = derive(L5_1, '5.14', {
  bits: { __GFP_ZEROTAGS: 0x800000, __GFP_SKIP_KASAN_POISON: 0x1000000, __GFP_NOLOCKDEP: 0x2000000 },
  composites: modernComposites({ ...MODERN_4_14, highuserMovableExtra: ['__GFP_SKIP_KASAN_POISON'] }),
  rare: RARE.filter((b) => b !== '__GFP_SKIP_KASAN_POISON'),
});
// 5.18: the KASAN skip bits only with CONFIG_KASAN_HW_TAGS (0 otherwise, so out of the composites).
const L5_18 = derive(L5_14, '5.18', {
  bits: { __GFP_SKIP_ZERO: 0x1000000, __GFP_SKIP_KASAN_UNPOISON: 0x2000000, __GFP_SKIP_KASAN_POISON: 0x4000000, __GFP_NOLOCKDEP: 0x8000000 },
  composites: modernComposites(MODERN_4_14),
  rare: RARE,
});
const MODERN_6_3: ModernOptions = { ...MODERN_4_14, atomicBit: false };
// 6.3 deletes __GFP_ATOMIC and moves nothing (0x200 is left unused).
const L6_3 = derive(L5_18, '6.3', { bits: { __GFP_ATOMIC: null }, composites: modernComposites(MODERN_6_3) });
const L6_4 = derive(L6_3, '6.4', {
  bits: { __GFP_SKIP_KASAN_UNPOISON: null, __GFP_SKIP_KASAN_POISON: null, __GFP_SKIP_KASAN: 0x2000000, __GFP_NOLOCKDEP: 0x4000000 },
});
const L6_8 = derive(L6_4, '6.8', { composites: modernComposites({ ...MODERN_6_3, nowaitNowarn: true }) });
// 6.9 numbers the config bits with an enum after bit 23: without KASAN_HW_TAGS, NOLOCKDEP is bit 24.
const L6_9 = derive(L6_8, '6.9', { bits: { __GFP_SKIP_ZERO: null, __GFP_SKIP_KASAN: null, __GFP_NOLOCKDEP: 0x1000000 } });
// 6.10: NO_OBJ_EXT takes the first free bit; with SLAB_OBJ_EXT and no LOCKDEP that is bit 24.
const L6_10 = derive(L6_9, '6.10', { bits: { __GFP_NOLOCKDEP: null, __GFP_NO_OBJ_EXT: 0x1000000 } });
// Between 6.14.0 and 6.18.2 %pGg started to list every single bit, in bit order.
const L6_15 = derive(L6_10, '6.15', { printOrder: null });

export const LAYOUTS: readonly Layout[] = [
  L2_6_32, L2_6_38, L3_2, L3_6, L3_7, L3_8, L3_16, L4_1, L4_4, L4_5, L4_6, L4_8, L4_10, L4_12, L4_13, L4_14,
  L4_15, L4_18, L5_1, L5_14, L5_18, L6_3, L6_4, L6_8, L6_9, L6_10, L6_15,
];
