// What an allocation request asks of the allocator: the named profiles, a GFP mode, or what a user typed.

import { expandGfpName, gfpZone, hasAtomicBit, type GfpContext } from '../kernel/gfp-decode.js';
import { InputError, type GfpRequest } from '../model.js';

/** The request profiles a user can name on the command line. */
export type GfpProfile =
  | 'kernel'
  | 'atomic'
  | 'nowait'
  | 'highuser'
  | 'highuser-movable'
  | 'transhuge'
  | 'transhuge-light'
  | 'dma32'
  | 'dma';

export const GFP_PROFILES: readonly GfpProfile[] = [
  'kernel',
  'atomic',
  'nowait',
  'highuser',
  'highuser-movable',
  'transhuge',
  'transhuge-light',
  'dma32',
  'dma',
];

/**
 * What each profile sets, in the terms gfp_to_alloc_flags reads (include/linux/gfp.h):
 * GFP_KERNEL may sleep and do I/O; GFP_ATOMIC is __GFP_HIGH without sleeping (and __GFP_ATOMIC in
 * 4.4-6.2); GFP_NOWAIT neither sleeps nor has __GFP_HIGH; GFP_HIGHUSER adds __GFP_HIGHMEM;
 * GFP_HIGHUSER_MOVABLE adds __GFP_MOVABLE, which makes gfp_zone() ZONE_MOVABLE and the migratetype
 * Movable; GFP_TRANSHUGE (the order-9 THP fault on x86-64) is GFP_HIGHUSER_MOVABLE with __GFP_COMP and
 * __GFP_NOMEMALLOC and, from 4.8, without waking kswapd; GFP_TRANSHUGE_LIGHT (4.8+, THP's defrag
 * settings that do not stall) also drops direct reclaim. GFP_DMA32 and GFP_DMA are GFP_KERNEL with the
 * zone modifier.
 */
export function gfpProfile(p: GfpProfile): GfpRequest {
  const sleeping = { high: false, canSleep: true, atomic: false, noMemalloc: false, movable: false, io: true, fs: true, noKswapd: false };
  const noIo = { io: false, fs: false };
  switch (p) {
    case 'kernel':
      return { name: 'GFP_KERNEL', highestZone: 'Normal', ...sleeping };
    case 'atomic':
      return { name: 'GFP_ATOMIC', highestZone: 'Normal', ...sleeping, ...noIo, high: true, canSleep: false, atomic: true };
    case 'nowait':
      return { name: 'GFP_NOWAIT', highestZone: 'Normal', ...sleeping, ...noIo, canSleep: false };
    case 'highuser':
      return { name: 'GFP_HIGHUSER', highestZone: 'HighMem', ...sleeping };
    case 'highuser-movable':
      return { name: 'GFP_HIGHUSER_MOVABLE', highestZone: 'Movable', ...sleeping, movable: true };
    case 'transhuge':
      return { name: 'GFP_TRANSHUGE', highestZone: 'Movable', ...sleeping, movable: true, noMemalloc: true };
    case 'transhuge-light':
      return { name: 'GFP_TRANSHUGE_LIGHT', highestZone: 'Movable', ...sleeping, movable: true, noMemalloc: true, canSleep: false };
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

/**
 * What a GFP mode asks of the allocator. Takes a value (0x4020), a string as a report prints it or a user
 * types it ("GFP_ATOMIC|__GFP_COMP", "atomic", "0x4020"), or a list of names; composites are expanded
 * and values decoded with the bit values of the given kernel. Sleeping is __GFP_WAIT up to 4.3 and
 * __GFP_DIRECT_RECLAIM from 4.4 (4.4 also keeps __GFP_WAIT as the pair of reclaim bits).
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
    const bits = expandGfpName(t, at);
    if (bits === undefined) {
      throw new InputError(
        `GFP flag "${t}" is not known: expected a profile (${GFP_PROFILES.join(', ')}), a composite such as GFP_KERNEL, a bit such as __GFP_HIGH, or a hex mode such as 0x6200ca.`,
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
    io: set.has('__GFP_IO'),
    fs: set.has('__GFP_FS'),
    noKswapd: set.has('__GFP_NO_KSWAPD'),
  };
}

/** The profiles that are a kernel composite of the same name; GFP_DMA and GFP_DMA32 are only zone bits. */
const COMPOSITE: Partial<Record<GfpProfile, string>> = {
  kernel: 'GFP_KERNEL',
  atomic: 'GFP_ATOMIC',
  nowait: 'GFP_NOWAIT',
  highuser: 'GFP_HIGHUSER',
  'highuser-movable': 'GFP_HIGHUSER_MOVABLE',
  transhuge: 'GFP_TRANSHUGE',
  'transhuge-light': 'GFP_TRANSHUGE_LIGHT',
};

/**
 * --gfp as a user types it: a profile ("atomic", "transhuge"), a hex mode ("0x6200ca") or flag names
 * ("GFP_KERNEL|__GFP_NOWARN|__GFP_COMP"), the last two decoded with the replayed release's bit values.
 */
export function requestFromUser(text: string, at: GfpContext): GfpRequest {
  const profile = parseGfpProfile(text);
  const composite = profile === undefined ? undefined : COMPOSITE[profile];
  if (profile !== undefined && composite === undefined) return gfpProfile(profile);
  try {
    // A profile that names a kernel composite is that composite as the replayed release defines it: 4.6-4.7's
    // GFP_TRANSHUGE clears both reclaim bits, 2.6.38-4.3's carries __GFP_NO_KSWAPD.
    return requestFromGfp(composite ?? text, at);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (composite !== undefined) {
      const release = typeof at === 'string' ? at : at.from;
      throw new InputError(`--gfp ${text}: the replayed release (${release}) has no ${composite}; expected another profile, flag names or a hex mode.`);
    }
    throw new InputError(`--gfp: ${err.message}`);
  }
}
