// /proc/meminfo's swap lines: whether anonymous pages count as reclaimable in the next-step replay.

/** Free and total swap in kB, as /proc/meminfo prints them ("SwapFree:  8388604 kB"). */
export interface MeminfoSwap {
  freeKiB: number;
  totalKiB?: number;
}

/**
 * The swap figures of a meminfo text, or undefined when it has no SwapFree line. The kernel counts a
 * zone's anonymous pages as reclaimable only while swap is free (can_reclaim_anon_pages, via
 * get_nr_swap_pages() > 0, in zone_reclaimable_pages).
 */
export function meminfoSwap(text: string): MeminfoSwap | undefined {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s*(\\d+)\\s*kB\\s*$`, 'm').exec(text);
    return m === null ? undefined : Number(m[1]);
  };
  const freeKiB = field('SwapFree');
  if (freeKiB === undefined) return undefined;
  const totalKiB = field('SwapTotal');
  return totalKiB === undefined ? { freeKiB } : { freeKiB, totalKiB };
}
