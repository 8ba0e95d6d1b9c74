// Per-order fragmentation figures of one zone, including the kernel's debugfs extfrag indices.

import type { ZoneFree } from '../model.js';

/** The sums fill_contig_page_info (mm/vmstat.c, 2.6.35 on) gathers for a requested order. */
export interface ContigInfo {
  /** Free pages in the zone's buddy lists: sum of nr_free[o] << o. */
  freePages: number;
  /** Free blocks of any order: sum of nr_free[o]. */
  freeBlocks: number;
  /** Blocks of 2^order pages obtainable from blocks of that order or larger. */
  suitable: number;
}

/** Pages in a per-order count array: sum of count << order (a zone's free pages from its buddy counts). */
export function pagesOf(counts: readonly number[]): number {
  return contigInfo(counts, 0).freePages;
}

export function contigInfo(free: readonly number[], order: number): ContigInfo {
  let freePages = 0;
  let freeBlocks = 0;
  let suitable = 0;
  free.forEach((n, o) => {
    freePages += n * 2 ** o;
    freeBlocks += n;
    if (o >= order) suitable += n * 2 ** (o - order);
  });
  return { freePages, freeBlocks, suitable };
}

/**
 * unusable_free_index (mm/vmstat.c, 2.6.35 to 6.18), in thousandths: the share of free memory that
 * sits in blocks too small for the order. 1000 for an empty zone. C's division truncates.
 */
export function unusableIndex(free: readonly number[], order: number): number {
  const { freePages, suitable } = contigInfo(free, order);
  if (freePages === 0) return 1000;
  return Math.trunc(((freePages - suitable * 2 ** order) * 1000) / freePages);
}

/**
 * __fragmentation_index (mm/vmstat.c), in thousandths: near 1000 a failure would be due to
 * fragmentation, near 0 to lack of memory; -1000 when a block of the order is free. One free block
 * smaller than the request gives a value in [-500, 0), which the kernel prints as "0.-500".
 */
export function fragmentationIndex(free: readonly number[], order: number): number {
  const { freePages, freeBlocks, suitable } = contigInfo(free, order);
  if (freeBlocks === 0) return 0;
  if (suitable > 0) return -1000;
  return 1000 - Math.trunc((1000 + Math.trunc((freePages * 1000) / 2 ** order)) / freeBlocks);
}

export interface OrderFigures {
  order: number;
  blocks: number;
  /** Pages in one block of this order. */
  blockPages: number;
  blockBytes: number;
  /** Free memory held in blocks of exactly this order. */
  freePages: number;
  freeBytes: number;
  /** Free memory held in blocks of this order or larger: what an order-N request can draw on. */
  cumulativePages: number;
  cumulativeBytes: number;
  /** cumulativePages over the zone's free pages, 0..1 (0 for an empty zone). */
  cumulativeShare: number;
  /** The kernel's thousandths divided by 1000, as debugfs prints them. */
  unusableIndex: number;
  fragmentationIndex: number;
}

export interface ZoneFigures {
  node: number;
  zone: string;
  /** Counts per order as in the input. */
  free: number[];
  freePages: number;
  freeBytes: number;
  freeBlocks: number;
  /** The largest order with a free block, or -1 when the zone has none. */
  largestOrder: number;
  orders: OrderFigures[];
}

export function analyzeZone(z: ZoneFree, pageSize: number): ZoneFigures {
  const { freePages, freeBlocks } = contigInfo(z.free, 0);
  let cumulative = freePages;
  const orders = z.free.map((blocks, order): OrderFigures => {
    const blockPages = 2 ** order;
    const pages = blocks * blockPages;
    const row: OrderFigures = {
      order,
      blocks,
      blockPages,
      blockBytes: blockPages * pageSize,
      freePages: pages,
      freeBytes: pages * pageSize,
      cumulativePages: cumulative,
      cumulativeBytes: cumulative * pageSize,
      cumulativeShare: freePages === 0 ? 0 : cumulative / freePages,
      unusableIndex: unusableIndex(z.free, order) / 1000,
      fragmentationIndex: fragmentationIndex(z.free, order) / 1000,
    };
    cumulative -= pages;
    return row;
  });
  let largestOrder = -1;
  z.free.forEach((n, o) => {
    if (n > 0) largestOrder = o;
  });
  return {
    node: z.node,
    zone: z.zone,
    free: [...z.free],
    freePages,
    freeBytes: freePages * pageSize,
    freeBlocks,
    largestOrder,
    orders,
  };
}
