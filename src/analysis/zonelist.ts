// Walks the zonelist the way get_page_from_freelist does and checks each zone's watermark.

import {
  InputError,
  type Generation,
  type GfpRequest,
  type ZoneFree,
  type ZoneType,
  type ZoneTypes,
  type ZoneWatermarks,
} from '../model.js';
import { algorithmOf, describeGeneration, reserveIndexRuleOfGeneration, type ReserveIndexRule } from './kernel.js';
import { allocFlags, atLeast, nomemallocWithholdsHarder, pathForMark, type AllocFlags, type AllocPath } from './gfp.js';
import { checkZone, emptyLists, subtractsHighatomic, type ListState, type Step, type VerdictCode } from './watermark.js';

/** Zone types in enum zone_type order (include/linux/mmzone.h); a kernel has a subsequence of these. */
export const CANONICAL_ZONES = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'] as const;

/** The zone types a kernel was built with, in index order: position i is lowmem_reserve[i]. */
export interface ZoneLayout {
  types: string[];
  /** False when every index came from the source (ZoneWatermarks.zoneIndex); true when inferred. */
  inferred: boolean;
}

/** The canonical spelling of a zone name ("highmem" -> "HighMem"), or undefined for a name the kernel does not use. */
export function canonicalZone(name: string): string | undefined {
  const lower = name.toLowerCase();
  return CANONICAL_ZONES.find((z) => z.toLowerCase() === lower);
}

/**
 * The zone types of the kernel, in index order.
 *
 * When the source gave an index for every entry of lowmem_reserve[] (modern zoneinfo lists every zone
 * type), that is the layout. Otherwise it is inferred: the layout is the subsequence of CANONICAL_ZONES
 * that holds every zone name seen, plus Normal and Movable (which every kernel since 2.6.23 has), agrees
 * with any index the source did give, has as many entries as lowmem_reserve[] (MAX_NR_ZONES) when that
 * length is known and otherwise as few as possible, and never holds both DMA32 (64-bit) and HighMem
 * (32-bit). When several fit, the extra (unseen) types are chosen in the preference DMA, DMA32, Device,
 * HighMem. Examples: x86-64 DMA/DMA32/Normal with 5 entries gives DMA, DMA32, Normal, Movable, Device;
 * 32-bit x86 DMA/Normal/HighMem with 4 gives DMA, Normal, HighMem, Movable; arm32 with a single Normal
 * zone and protection (0, 0) gives Normal, Movable. A wrong guess among unseen types rarely changes the
 * reserve read, because a zone that is not populated adds nothing to lowmem_reserve[].
 */
export function zoneLayout(
  names: readonly string[],
  opts: { reserveLength?: number; known?: readonly { zone: string; index: number }[] } = {},
): ZoneLayout {
  const known = new Map<number, string>();
  for (const k of opts.known ?? []) {
    const c = canonicalZone(k.zone);
    if (c !== undefined) known.set(k.index, c);
  }
  const length = opts.reserveLength;
  if (length !== undefined && length > 0 && known.size === length) {
    const types: string[] = [];
    for (let i = 0; i < length; i++) {
      const t = known.get(i);
      if (t === undefined) break;
      types.push(t);
    }
    if (types.length === length) return { types, inferred: false };
  }
  const required = new Set<string>(['Normal', 'Movable']);
  for (const n of names) {
    const c = canonicalZone(n);
    if (c !== undefined) required.add(c);
  }
  for (const t of known.values()) required.add(t);
  const penalty: Record<string, number> = { DMA: 1, DMA32: 2, Device: 3, HighMem: 4 };
  let best: { types: string[]; score: number } | undefined;
  for (let mask = 0; mask < 1 << CANONICAL_ZONES.length; mask++) {
    const types = CANONICAL_ZONES.filter((_, i) => (mask >> i) & 1);
    if (![...required].every((r) => types.includes(r as (typeof CANONICAL_ZONES)[number]))) continue;
    if (types.includes('DMA32') && types.includes('HighMem')) continue;
    if (length !== undefined && types.length !== length) continue;
    if ([...known].some(([i, t]) => types[i] !== t)) continue;
    const extras = types.filter((t) => !required.has(t));
    const score = types.length * 100 + extras.reduce((s, t) => s + (penalty[t] ?? 50), 0);
    if (best === undefined || score < best.score) best = { types: [...types], score };
  }
  if (best === undefined) {
    // Nothing fits (a reserve array shorter than the zones seen): fall back to the zones seen, in order.
    return { types: CANONICAL_ZONES.filter((z) => required.has(z)), inferred: true };
  }
  return { types: best.types, inferred: true };
}

/** The index of a zone type into lowmem_reserve[] under a layout, or undefined when the kernel lacks the type. */
export function zoneTypeIndex(zone: string, layout: ZoneLayout): number | undefined {
  const c = canonicalZone(zone);
  if (c === undefined) return undefined;
  const i = layout.types.indexOf(c);
  return i < 0 ? undefined : i;
}

/**
 * gfp_zone(): the request's highest zone, or Normal when this kernel was built without that zone type
 * (no CONFIG_ZONE_DMA32 / CONFIG_HIGHMEM / CONFIG_ZONE_DMA maps the modifier to ZONE_NORMAL).
 */
export function effectiveHighestZone(zone: ZoneType, layout: ZoneLayout): string {
  return layout.types.includes(zone) ? zone : 'Normal';
}

export interface WalkOptions {
  /** The node the allocating CPU is on; default the lowest node id present. */
  localNode?: number;
  /** Only this node (like a nodemask or __GFP_THISNODE). */
  node?: number;
  /** Only zones of this name (an analysis filter: applied after the walk is built). */
  zone?: string;
  layout?: ZoneLayout;
}

export interface WalkEntry<Z> {
  zone: Z;
  /** Zone type index (the zoneref's zone_idx). */
  index: number;
}

/**
 * The zones an allocation visits, in order: the local node first, then the other nodes in ascending id
 * (the kernel orders them by distance, which the inputs do not give); within a node the populated zones
 * from the request's highest zone down to index 0 (build_zonerefs_node, S12; build_zonelists_node,
 * 2.6.32). Zones above the request's highest zone are skipped, as for_each_zone_zonelist_nodemask does.
 */
export function walkOrder<Z extends { node: number; zone: string }>(
  zones: readonly Z[],
  req: GfpRequest,
  opts: WalkOptions = {},
): WalkEntry<Z>[] {
  return buildWalk(zones, req, opts).walk;
}

function buildWalk<Z extends { node: number; zone: string }>(
  zones: readonly Z[],
  req: GfpRequest,
  opts: WalkOptions,
): { walk: WalkEntry<Z>[]; preferred: WalkEntry<Z> | undefined; layout: ZoneLayout; highest: string } {
  const layout = opts.layout ?? zoneLayout(zones.map((z) => z.zone));
  const highest = effectiveHighestZone(req.highestZone, layout);
  const top = zoneTypeIndex(highest, layout) ?? layout.types.indexOf('Normal');
  const nodes = [...new Set(zones.map((z) => z.node))].sort((a, b) => a - b);
  const local = opts.localNode ?? nodes[0];
  const order = local === undefined ? nodes : [local, ...nodes.filter((n) => n !== local)];
  const walk: WalkEntry<Z>[] = [];
  for (const n of order) {
    if (opts.node !== undefined && n !== opts.node) continue;
    const entries: WalkEntry<Z>[] = [];
    for (const z of zones) {
      if (z.node !== n) continue;
      const index = zoneTypeIndex(z.zone, layout);
      if (index === undefined) {
        throw new InputError(
          `Zone "${z.zone}" of node ${z.node} is not a zone type the kernel has: expected one of ${CANONICAL_ZONES.join(', ')}.`,
        );
      }
      if (index <= top) entries.push({ zone: z, index });
    }
    entries.sort((a, b) => b.index - a.index);
    walk.push(...entries);
  }
  const preferred = walk[0];
  const wanted = opts.zone === undefined ? undefined : canonicalZone(opts.zone) ?? opts.zone;
  const filtered = wanted === undefined ? walk : walk.filter((e) => e.zone.zone.toLowerCase() === wanted.toLowerCase());
  return { walk: filtered, preferred, layout, highest };
}

/** A watermark to use instead of the input's, in pages. */
export interface CheckOverrides {
  min?: number;
  low?: number;
  high?: number;
  reserve?: number;
}

export interface CheckRequest {
  order: number;
  mark: 'min' | 'low' | 'high';
  gfp: GfpRequest;
  generation: Generation;
  orderShift?: number;
  overrides?: CheckOverrides;
  /** Flags to add to the ones the request gets (e.g. ALLOC_OOM). */
  extraFlags?: AllocFlags;
  /** The attempt to replay; default from the mark: min = slow path, low = fast path, high = OOM retry. */
  path?: AllocPath;
  /** Default from the generation (reserveIndexRuleOfGeneration); from the release when the caller knows it. */
  reserveIndexRule?: ReserveIndexRule;
  /**
   * The kernel release, when the caller knows it ("3.2.0-4-amd64"): inside the 2.6.32 generation it
   * decides whether __GFP_NOMEMALLOC withholds ALLOC_HARDER (2.6.38+, nomemallocWithholdsHarder).
   */
  release?: string;
  localNode?: number;
  node?: number;
  zone?: string;
}

export interface MachineInput {
  /** The zones of the last buddyinfo snapshot (populated zones only). */
  zones: readonly ZoneFree[];
  watermarks: readonly ZoneWatermarks[];
  types?: readonly ZoneTypes[];
}

/** One zone's verdict, shaped for `check --json`. */
export interface ZoneResult {
  node: number;
  zone: string;
  ok: boolean;
  code: VerdictCode;
  /** False for zones after the one that served the allocation: the kernel would not get there (they are still checked). */
  reached: boolean;
  steps: Step[];
  /** NR_FREE_PAGES used, and whether it came from zoneinfo/report or is the buddy sum. */
  freePages: number;
  freeSource: 'watermarks' | 'buddy';
  /** The chosen mark as given (boost included). */
  markPages: number;
  markSource: 'override' | 'watermarks';
  /** The mark after the flag adjustments. */
  minPages: number;
  reservePages: number;
  /** The lowmem_reserve[] index read, or null when the reserve came from an override. */
  reserveIndex: number | null;
  cmaPages: number;
  highatomicPages: number;
  margin: number;
  marginStep: number;
  failedOrder?: number;
  blockedLists?: string[];
  largestPassingOrder: number;
  /** The block search succeeded only by assuming unknown free lists held a usable block. */
  assumedUsableBlocks: boolean;
  /** Per-migratetype free counts were available for this zone. */
  listsKnown: boolean;
  /** Gaps in the input worth telling the user, one sentence each. */
  notes: string[];
}

export interface CheckResult {
  order: number;
  algorithm: 'legacy' | 'modern';
  kernel: Generation;
  description: string;
  mark: 'min' | 'low' | 'high';
  path: AllocPath;
  /** The legacy loop's shift per order (Android min_free_order_shift; 1 upstream). */
  orderShift: number;
  ok: boolean;
  servedBy: { node: number; zone: string } | null;
  gfp: string;
  /** gfp_zone() after the fallback for zone types the kernel lacks. */
  highestZone: string;
  flags: AllocFlag[];
  reserveIndexRule: ReserveIndexRule;
  zoneLayout: string[];
  layoutInferred: boolean;
  zones: ZoneResult[];
  /** Facts about the whole request worth telling the user, one sentence each; absent when none. */
  notes?: string[];
}

type AllocFlag = AllocFlags[number];

/** Pages in a per-order count array: sum of count << order. */
function pagesOf(counts: readonly number[]): number {
  return counts.reduce((s, n, o) => s + n * 2 ** o, 0);
}

function sameZone(a: { node: number; zone: string }, b: { node: number; zone: string }): boolean {
  return a.node === b.node && a.zone.toLowerCase() === b.zone.toLowerCase();
}

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
function typePages(t: ZoneTypes, name: string): { pages: number; atLeast: boolean } | undefined {
  const key = Object.keys(t.free).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const counts = t.free[key] ?? [];
  return {
    pages: counts.reduce((s, c, o) => s + c.count * 2 ** o, 0),
    atLeast: counts.some((c) => c.atLeast && c.count > 0),
  };
}

/** ListState per order from per-type counts: a list is non-empty when its count at that order is > 0. */
function listsFrom(t: ZoneTypes): (order: number) => ListState {
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
 * Checks an order-N request against every zone of the zonelist walk, in order. The allocation succeeds
 * when some zone passes; the first passing zone serves it. Zones after it are still evaluated and listed,
 * with `reached: false`.
 */
export function checkMachine(input: MachineInput, req: CheckRequest): CheckResult {
  const g = req.generation;
  const path = req.path ?? pathForMark(req.mark);
  const flagOpts = { path, extra: req.extraFlags ?? [], release: req.release };
  const flags = allocFlags(req.gfp, g, req.order, flagOpts);
  const reserveLength = Math.max(0, ...input.watermarks.map((w) => w.lowmemReserve?.length ?? 0));
  const known = input.watermarks.flatMap((w) => (w.zoneIndex === undefined ? [] : [{ zone: w.zone, index: w.zoneIndex }]));
  const layout = zoneLayout(
    [...input.zones.map((z) => z.zone), ...input.watermarks.map((w) => w.zone)],
    { reserveLength: reserveLength > 0 ? reserveLength : undefined, known },
  );
  const { walk, highest } = buildWalk(input.zones, req.gfp, {
    localNode: req.localNode,
    node: req.node,
    zone: req.zone,
    layout,
  });
  // Up to 5.7 the reserve index is the first zone of the zonelist: a populated zone known only by its
  // watermarks (a report whose free-area line was lost) still heads the walk, though it cannot be checked.
  const countless = input.watermarks.filter(
    (w) => !input.zones.some((z) => sameZone(z, w)) && (w.present ?? w.managed ?? w.freePages ?? 0) > 0,
  );
  const { preferred } = buildWalk([...input.zones, ...countless], req.gfp, {
    localNode: req.localNode,
    node: req.node,
    layout,
  });
  if (walk.length === 0) {
    const nodes = [...new Set(input.zones.map((z) => z.node))].sort((a, b) => a - b);
    const names = [...new Set(input.zones.map((z) => z.zone))];
    const asked = [req.node === undefined ? '' : `node ${req.node}`, req.zone === undefined ? '' : `zone ${req.zone}`]
      .filter((s) => s !== '')
      .join(', ');
    throw new InputError(
      `No zone ${asked === '' ? '' : `matching ${asked} `}can serve ${req.gfp.name} (zones up to ${highest}): expected one of nodes ${nodes.join(', ')} with zones ${names.join(', ')}.`,
    );
  }
  const rule = req.reserveIndexRule ?? reserveIndexRuleOfGeneration(g);
  const classIndex = rule === 'preferred' && preferred ? preferred.index : (zoneTypeIndex(highest, layout) ?? 0);
  const markName = req.mark;

  const results: ZoneResult[] = walk.map(({ zone: z }) => {
    const notes: string[] = [];
    const w = input.watermarks.find((x) => sameZone(x, z));
    const override = req.overrides?.[markName];
    let markPages: number;
    let markSource: ZoneResult['markSource'];
    if (override !== undefined) {
      markPages = override;
      markSource = 'override';
    } else if (w !== undefined) {
      markPages = w[markName];
      markSource = 'watermarks';
    } else {
      throw new InputError(
        `No ${markName} watermark is known for node ${z.node} zone ${z.zone}: expected a zoneinfo from the same box that covers this zone (a file beside the buddyinfo, or DIR/zoneinfo with --proc DIR), an allocation-failure report that shows it, or --${markName} PAGES.`,
      );
    }
    const free = w?.freePages;
    const freePages = free ?? pagesOf(z.free);
    if (free === undefined) notes.push('NR_FREE_PAGES is unknown; the sum of the buddy counts stands in for it.');

    let reservePages: number;
    let reserveIndex: number | null = null;
    if (req.overrides?.reserve !== undefined) {
      reservePages = req.overrides.reserve;
    } else {
      reserveIndex = classIndex;
      const arr = w?.lowmemReserve;
      const v = arr?.[classIndex];
      if (v === undefined) {
        reservePages = 0;
        notes.push(
          arr === undefined
            ? 'lowmem_reserve is unknown for this zone; 0 is assumed.'
            : `lowmem_reserve has no entry ${classIndex}; 0 is assumed.`,
        );
      } else {
        reservePages = v;
      }
    }

    const types = input.types?.find((t) => sameZone(t, z));
    let freeCma = w?.freeCma;
    if (freeCma === undefined && types && atLeast(g, '3.7')) {
      const c = typePages(types, 'CMA');
      if (c && c.pages > 0) {
        freeCma = c.pages;
        notes.push(`NR_FREE_CMA_PAGES is unknown; the free CMA blocks (${c.atLeast ? 'at least ' : ''}${c.pages} pages) stand in for it.`);
      }
    }
    const highatomic = highatomicOf(g, w, types, subtractsHighatomic(flags, g), notes);
    const verdict = checkZone({
      generation: g,
      order: req.order,
      markPages,
      freePages,
      nrFree: z.free,
      lowmemReserve: reservePages,
      flags,
      freeCma: freeCma ?? 0,
      highatomic,
      orderShift: req.orderShift,
      lists: types ? listsFrom(types) : undefined,
      flagsAt: (o) => allocFlags(req.gfp, g, o, flagOpts),
    });
    const r: ZoneResult = {
      node: z.node,
      zone: z.zone,
      ok: verdict.ok,
      code: verdict.code,
      reached: true,
      steps: verdict.steps,
      freePages,
      freeSource: free === undefined ? 'buddy' : 'watermarks',
      markPages,
      markSource,
      minPages: verdict.minPages,
      reservePages,
      reserveIndex,
      cmaPages: verdict.subtracted.cma,
      highatomicPages: verdict.subtracted.highatomic,
      margin: verdict.margin,
      marginStep: verdict.marginStep,
      largestPassingOrder: verdict.largestPassingOrder,
      assumedUsableBlocks: verdict.assumedUsableBlocks,
      listsKnown: types !== undefined,
      notes,
    };
    if (verdict.failedOrder !== undefined) r.failedOrder = verdict.failedOrder;
    if (verdict.blockedLists !== undefined) r.blockedLists = verdict.blockedLists;
    return r;
  });

  const served = results.find((r) => r.ok);
  if (served) {
    const at = results.indexOf(served);
    results.forEach((r, i) => {
      r.reached = i <= at;
    });
  }
  const requestNotes: string[] = [];
  if (path === 'slow' && req.gfp.noMemalloc && !req.gfp.canSleep && nomemallocWithholdsHarder(g, req.release) === undefined) {
    requestNotes.push(
      `${req.gfp.name} has __GFP_NOMEMALLOC and cannot sleep: from 2.6.38 the kernel withholds ALLOC_HARDER for it, ` +
        'but the release is unknown, so it was given ALLOC_HARDER as 2.6.32 does; --kernel VERSION decides.',
    );
  }
  const result: CheckResult = {
    order: req.order,
    algorithm: algorithmOf(g),
    kernel: g,
    description: describeGeneration(g),
    mark: req.mark,
    path,
    orderShift: req.orderShift ?? 1,
    ok: served !== undefined,
    servedBy: served ? { node: served.node, zone: served.zone } : null,
    gfp: req.gfp.name,
    highestZone: highest,
    flags: [...flags],
    reserveIndexRule: rule,
    zoneLayout: layout.types,
    layoutInferred: layout.inferred,
    zones: results,
  };
  if (requestNotes.length > 0) result.notes = requestNotes;
  return result;
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
function highatomicOf(
  g: Generation,
  w: ZoneWatermarks | undefined,
  types: ZoneTypes | undefined,
  subject: boolean,
  notes: string[],
): number {
  if (!atLeast(g, '4.4')) return 0;
  const say = (note: string): void => {
    if (subject) notes.push(note);
  };
  const fromTypes = types ? typePages(types, 'HighAtomic') : undefined;
  if (atLeast(g, '6.12')) {
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
