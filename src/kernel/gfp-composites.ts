// The GFP_* composite masks of each era, and the order %pGg prints names in (include/trace/events/mmflags.h).

/** Composite name to its __GFP_* bits, in the kernel's print order: the widest composite first. */
export type CompositeTable = [string, string[]][];

/** Composite masks up to 4.3, where sleeping is the single __GFP_WAIT bit. */
export function legacyComposites(withTranshuge: boolean): CompositeTable {
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

export interface ModernOptions {
  /** GFP_ATOMIC carries __GFP_ATOMIC (4.4 to 6.2). */
  atomicBit: boolean;
  /**
   * GFP_TRANSHUGE's reclaim bits: 4.4-4.5 clear only KSWAPD_RECLAIM ('kswapd'); 4.6-4.7 clear both
   * ("set THP defrag by default to madvise", 444eb2a449ef: 'both'); from 4.8 GFP_TRANSHUGE_LIGHT clears
   * both and GFP_TRANSHUGE adds DIRECT_RECLAIM back, without __GFP_NORETRY ('light').
   */
  transhuge: 'kswapd' | 'both' | 'light';
  temporary: boolean;
  kernelAccount: boolean;
  /** GFP_NOWAIT also sets __GFP_NOWARN (6.8; 6.6.80 without, 6.8.1 with). */
  nowaitNowarn: boolean;
  /** Bits GFP_HIGHUSER_MOVABLE carries besides the usual: __GFP_SKIP_KASAN_POISON in 5.14-5.17, where it is always defined. */
  highuserMovableExtra?: string[];
}

/** Composite masks from 4.4, where sleeping is __GFP_DIRECT_RECLAIM and waking kswapd is separate. */
export function modernComposites(o: ModernOptions): CompositeTable {
  const reclaim = ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'];
  const kernel = [...reclaim, '__GFP_IO', '__GFP_FS'];
  const user = [...kernel, '__GFP_HARDWALL'];
  const highuserMovable = [...user, '__GFP_HIGHMEM', '__GFP_MOVABLE', ...(o.highuserMovableExtra ?? [])];
  const table: CompositeTable = [];
  if (o.transhuge === 'light') {
    const light = [...highuserMovable.filter((b) => !reclaim.includes(b)), '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN'];
    table.push(['GFP_TRANSHUGE', [...light, '__GFP_DIRECT_RECLAIM']], ['GFP_TRANSHUGE_LIGHT', light]);
  } else {
    const cleared = o.transhuge === 'both' ? reclaim : ['__GFP_KSWAPD_RECLAIM'];
    table.push([
      'GFP_TRANSHUGE',
      [...highuserMovable.filter((b) => !cleared.includes(b)), '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NORETRY', '__GFP_NOWARN'],
    ]);
  }
  table.push(['GFP_HIGHUSER_MOVABLE', highuserMovable], ['GFP_HIGHUSER', [...user, '__GFP_HIGHMEM']], ['GFP_USER', user]);
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

/**
 * The order %pGg prints the bits no composite took, 4.6-6.14 (__def_gfpflag_names in 4.6.2 ... 6.14.0):
 * __GFP_HIGHMEM comes with the zone composites, then the single bits in the table's own order, which is
 * not bit order. A bit the table does not list (NOLOCKDEP from 4.12, NO_OBJ_EXT from 6.10) prints as hex.
 * 6.18.2 lists every single bit in bit order instead (absent in 6.14.0): its layouts have no print order.
 */
export const TABLE_ORDER: readonly string[] = [
  '__GFP_HIGHMEM',
  '__GFP_HIGH',
  '__GFP_ATOMIC',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_COLD',
  '__GFP_NOWARN',
  '__GFP_REPEAT',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_COMP',
  '__GFP_ZERO',
  '__GFP_NOMEMALLOC',
  '__GFP_MEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_RECLAIMABLE',
  '__GFP_MOVABLE',
  '__GFP_ACCOUNT',
  '__GFP_NOTRACK',
  '__GFP_WRITE',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_OTHER_NODE',
  '__GFP_ZEROTAGS',
  '__GFP_SKIP_ZERO',
  '__GFP_SKIP_KASAN_POISON',
  '__GFP_SKIP_KASAN_UNPOISON',
  '__GFP_SKIP_KASAN',
];
