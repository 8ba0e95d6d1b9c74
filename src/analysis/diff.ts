// The change between two snapshots per node, zone and order: blocks, memory, largest order, indices.

import type { Snapshot, ZoneFree } from '../model.js';
import { contigInfo, fragmentationIndex, unusableIndex } from './fragmentation.js';

/** A figure on both sides; null on the side where the zone is absent, and then the delta is null too. */
export interface Change {
  before: number | null;
  after: number | null;
  delta: number | null;
}

/** Per-order figures on both sides. */
export interface OrderChange {
  before: number[] | null;
  after: number[] | null;
  delta: number[] | null;
}

export interface ZoneDiff {
  node: number;
  zone: string;
  /** Set when the zone is on one side only. */
  only?: 'before' | 'after';
  /** Free blocks per order, as read. */
  before: number[] | null;
  after: number[] | null;
  /** after minus before, per order. */
  delta: number[] | null;
  /** The change per order in pages (delta[o] << o) and in bytes. */
  deltaPages: number[] | null;
  deltaBytes: number[] | null;
  freePages: Change;
  freeBytes: Change;
  freeBlocks: Change;
  /** The largest order with a free block; -1 when none. */
  largestOrder: Change;
  /** The kernel's unusable_free_index and fragmentation index per order, thousandths / 1000. */
  unusableIndex: OrderChange;
  fragmentationIndex: OrderChange;
}

export interface SnapshotDiff {
  zones: ZoneDiff[];
  notes: string[];
}

function largestOrder(free: readonly number[]): number {
  for (let o = free.length - 1; o >= 0; o--) if ((free[o] ?? 0) > 0) return o;
  return -1;
}

function change(before: number | null, after: number | null): Change {
  return { before, after, delta: before === null || after === null ? null : after - before };
}

/** Per-order values in thousandths on both sides, and the change, all divided by 1000 at the end. */
function perOrder(
  before: readonly number[] | null,
  after: readonly number[] | null,
  orders: number,
  index: (free: readonly number[], order: number) => number,
): OrderChange {
  const side = (free: readonly number[] | null): number[] | null =>
    free === null ? null : Array.from({ length: orders }, (_, o) => index(free, o));
  const b = side(before);
  const a = side(after);
  return {
    before: b && b.map((v) => v / 1000),
    after: a && a.map((v) => v / 1000),
    delta: a && b ? a.map((v, o) => (v - (b[o] ?? 0)) / 1000) : null,
  };
}

/** Counts padded with zeros to `orders` columns, so two sides of different widths line up. */
function padded(free: readonly number[], orders: number): number[] {
  return Array.from({ length: orders }, (_, o) => free[o] ?? 0);
}

function diffZone(node: number, zone: string, b: ZoneFree | undefined, a: ZoneFree | undefined, pageSize: number): ZoneDiff {
  const orders = Math.max(b?.free.length ?? 0, a?.free.length ?? 0);
  const before = b ? padded(b.free, orders) : null;
  const after = a ? padded(a.free, orders) : null;
  const delta = before && after ? after.map((n, o) => n - (before[o] ?? 0)) : null;
  const pages = (free: number[] | null): number | null => (free === null ? null : contigInfo(free, 0).freePages);
  const blocks = (free: number[] | null): number | null => (free === null ? null : contigInfo(free, 0).freeBlocks);
  const freePages = change(pages(before), pages(after));
  const d: ZoneDiff = {
    node,
    zone,
    before,
    after,
    delta,
    deltaPages: delta && delta.map((n, o) => n * 2 ** o),
    deltaBytes: delta && delta.map((n, o) => n * 2 ** o * pageSize),
    freePages,
    freeBytes: {
      before: freePages.before === null ? null : freePages.before * pageSize,
      after: freePages.after === null ? null : freePages.after * pageSize,
      delta: freePages.delta === null ? null : freePages.delta * pageSize,
    },
    freeBlocks: change(blocks(before), blocks(after)),
    largestOrder: change(before && largestOrder(before), after && largestOrder(after)),
    unusableIndex: perOrder(before, after, orders, unusableIndex),
    fragmentationIndex: perOrder(before, after, orders, fragmentationIndex),
  };
  if (!b) d.only = 'after';
  if (!a) d.only = 'before';
  return d;
}

/**
 * Pairs the zones of two snapshots by (node, zone) and gives the change of each: the zones of
 * `before` in their order, then those only `after` has.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot, pageSize: number): SnapshotDiff {
  const key = (z: ZoneFree): string => `${z.node}\u0000${z.zone}`;
  const afterByKey = new Map(after.zones.map((z) => [key(z), z]));
  const seen = new Set<string>();
  const zones: ZoneDiff[] = [];
  const notes: string[] = [];
  for (const b of before.zones) {
    const a = afterByKey.get(key(b));
    seen.add(key(b));
    zones.push(diffZone(b.node, b.zone, b, a, pageSize));
    if (a && a.free.length !== b.free.length) {
      notes.push(
        `Node ${b.node}, zone ${b.zone} has ${b.free.length} orders before and ${a.free.length} after: were these taken on the same kernel? The missing orders count as 0.`,
      );
    }
  }
  for (const a of after.zones) {
    if (!seen.has(key(a))) zones.push(diffZone(a.node, a.zone, undefined, a, pageSize));
  }
  return { zones, notes };
}
