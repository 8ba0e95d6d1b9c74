// What the check needs of one zone beyond its buddy counts: CMA and highatomic pages, and its free lists.

import type { Rules } from '../kernel/rules.js';
import type { ZoneTypes, ZoneWatermarks } from '../model.js';
import { pagesOf } from './fragmentation.js';
import { emptyLists, type ListState } from './watermark-steps.js';

const TYPE_KEYS: Record<string, keyof ListState> = {
  unmovable: 'unmovable',
  movable: 'movable',
  reclaimable: 'reclaimable',
  highatomic: 'highatomic',
  cma: 'cma',
  isolate: 'isolate',
  reserve: 'reserve',
};

/** The free pages a migratetype holds, and whether that is a lower bound (a capped or letter-only cell). */
export function typePages(t: ZoneTypes, name: string): { pages: number; atLeast: boolean } | undefined {
  const key = Object.keys(t.free).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const counts = t.free[key] ?? [];
  return {
    pages: pagesOf(counts.map((c) => c.count)),
    atLeast: counts.some((c) => c.atLeast && c.count > 0),
  };
}

/** ListState per order from per-type counts: a list is non-empty when its count at that order is > 0. */
export function listsFrom(t: ZoneTypes): (order: number) => ListState {
  return (order) => {
    const s = emptyLists();
    for (const [name, counts] of Object.entries(t.free)) {
      const key = TYPE_KEYS[name.toLowerCase()];
      if (key !== undefined && (counts[order]?.count ?? 0) > 0) s[key] = true;
    }
    return s;
  };
}

/**
 * NR_FREE_CMA_PAGES: zoneinfo's nr_free_cma or a report's free_cma:, else the free pages on the CMA lists
 * of pagetypeinfo (then a note says so), else unknown (0 is used).
 */
export function cmaOf(rules: Rules, w: ZoneWatermarks | undefined, types: ZoneTypes | undefined, notes: string[]): number {
  if (w?.freeCma !== undefined) return w.freeCma;
  if (types === undefined || rules.cma === 'none') return 0;
  const c = typePages(types, 'CMA');
  if (c === undefined || c.pages === 0) return 0;
  notes.push(`NR_FREE_CMA_PAGES is unknown; the free CMA blocks (${c.atLeast ? 'at least ' : ''}${c.pages} pages) stand in for it.`);
  return c.pages;
}

/**
 * The highatomic pages the check leaves out: nr_reserved_highatomic up to 6.11, nr_free_highatomic from
 * 6.12 (M7). Reports print `reserved_highatomic` (~5.5) and `free_highatomic` (6.18); zoneinfo prints
 * neither. Up to 6.11 pagetypeinfo gives the reserved size exactly: reserve_highatomic_pageblock adds
 * pageblock_nr_pages to nr_reserved_highatomic for each pageblock it turns HighAtomic and
 * unreserve_highatomic_pageblock takes it off again (4.4, 0aaa29a), so the size is the HighAtomic column
 * of "Number of blocks type" times "Pages per block". Without that table the free pages on the HighAtomic
 * lists are a lower bound. Absent everything, 0. `subject` is false when the request's flags exempt it
 * from the subtraction: the value is then unused and no note is written.
 */
export function highatomicOf(
  rules: Rules,
  w: ZoneWatermarks | undefined,
  types: ZoneTypes | undefined,
  subject: boolean,
  notes: string[],
): number {
  if (rules.highatomic === 'none') return 0;
  const say = (note: string): void => {
    if (subject) notes.push(note);
  };
  const fromTypes = types ? typePages(types, 'HighAtomic') : undefined;
  if (rules.highatomic === 'free') {
    if (w?.freeHighatomic !== undefined) return w.freeHighatomic;
    if (fromTypes) {
      if (fromTypes.atLeast) say(`nr_free_highatomic is taken from capped pagetypeinfo cells: at least ${fromTypes.pages} pages.`);
      return fromTypes.pages;
    }
    if (w?.reservedHighatomic !== undefined) {
      if (w.reservedHighatomic > 0) {
        say(`nr_free_highatomic is unknown; the reserved highatomic size (${w.reservedHighatomic} pages), an upper bound, stands in for it.`);
      }
      return w.reservedHighatomic;
    }
    return 0;
  }
  if (w?.reservedHighatomic !== undefined) return w.reservedHighatomic;
  const reserved = reservedFromBlocks(types);
  if (reserved !== undefined) return reserved;
  if (fromTypes && fromTypes.pages > 0) {
    say(`nr_reserved_highatomic is unknown; the free HighAtomic blocks (${fromTypes.pages} pages), a lower bound, stand in for it.`);
    return fromTypes.pages;
  }
  say(
    fromTypes
      ? 'nr_reserved_highatomic is unknown and the HighAtomic lists hold no free pages; 0 is assumed, though HighAtomic pageblocks that are fully in use would still count (pagetypeinfo\'s "Number of blocks type" table gives the size).'
      : 'nr_reserved_highatomic is unknown; 0 is assumed (a report\'s reserved_highatomic or pagetypeinfo\'s "Number of blocks type" table gives it).',
  );
  return 0;
}

/** HighAtomic pageblocks times pageblock_nr_pages, when pagetypeinfo gave both; else undefined. */
function reservedFromBlocks(types: ZoneTypes | undefined): number | undefined {
  if (types?.blocks === undefined || types.pagesPerBlock === undefined) return undefined;
  const key = Object.keys(types.blocks).find((k) => k.toLowerCase() === 'highatomic');
  const count = key === undefined ? undefined : types.blocks[key];
  return count === undefined ? undefined : count * types.pagesPerBlock;
}
