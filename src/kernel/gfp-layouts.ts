// The __GFP_* bit values and composite masks of every layout the kernel has used, as data (gfp.h, gfp_types.h).

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
export interface Layout {
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

export const LAYOUTS: readonly Layout[] = [
  L2_6_32, L2_6_38, L3_2, L3_6, L3_8, L3_16, L4_1, L4_4, L4_5, L4_8, L4_10, L4_12, L4_13, L4_14, L4_15,
  L4_18, L5_1, L6_0, L6_3, L6_8, L6_10,
];

/** Bits only some configs or callers set; a layout that needs them to explain a value is a worse fit. */
export const RARE: ReadonlySet<string> = new Set([
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

