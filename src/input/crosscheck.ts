// Checks that a buddyinfo and the zoneinfo or pagetypeinfo read beside it describe the same box.

import { sameZone } from '../kernel/zones.js';
import { InputError, type Snapshot, type ZoneFree, type ZoneTypes, type ZoneWatermarks } from '../model.js';

/**
 * Two reads of one box a few seconds apart differ by what was allocated and freed in between (on a 6.18
 * VM read back to back: 0 pages in DMA and DMA32, about 20 in Normal; kernel.md 1c). A difference this
 * large and this big a share of the zone is another box, or another day: that is refused.
 */
const CLEAR_PAGES = 4096;
const CLEAR_SHARE = 0.5;

interface Pair {
  buddy: ZoneFree;
  /** What the free counts were read from: a buddyinfo, or the sums of a pagetypeinfo given alone. */
  counts: 'buddyinfo' | 'pagetypeinfo';
  other: { source: string };
  what: 'zoneinfo' | 'pagetypeinfo';
  /** Free pages the other file states for the zone, and whether it is only a lower bound (capped cells). */
  free?: number;
  atLeast?: boolean;
  /** The most pages the zone can have, from zoneinfo's present (or managed, spanned). */
  size?: number;
  orders?: number;
}

function pagesOf(counts: readonly number[]): number {
  return counts.reduce((s, c, o) => s + c * 2 ** o, 0);
}

function label(z: { node: number; zone: string }): string {
  return `Node ${z.node} ${z.zone}`;
}

function typePages(t: ZoneTypes): { pages: number; atLeast: boolean; orders: number } {
  let pages = 0;
  let atLeast = false;
  let orders = 0;
  for (const row of Object.values(t.free)) {
    orders = Math.max(orders, row.length);
    row.forEach((c, o) => {
      pages += c.count * 2 ** o;
      if (c.atLeast) atLeast = true;
    });
  }
  return { pages, atLeast, orders };
}

/** Why a pair cannot be one box, or undefined when it can. */
function mismatch(p: Pair): string | undefined {
  const buddy = pagesOf(p.buddy.free);
  const where = label(p.buddy);
  if (p.orders !== undefined && p.orders !== p.buddy.free.length) {
    return `${where} has ${p.buddy.free.length} orders in the ${p.counts} and ${p.orders} in the ${p.what}, and one kernel prints one number of orders`;
  }
  if (p.size !== undefined && buddy > p.size) {
    return `${where} has ${buddy} free pages in the ${p.counts}, more than the ${p.size} pages the zoneinfo says the zone has`;
  }
  if (p.free === undefined) return undefined;
  const d = p.atLeast === true && p.free <= buddy ? 0 : Math.abs(buddy - p.free);
  if (d > CLEAR_PAGES && d > CLEAR_SHARE * Math.max(buddy, p.free)) {
    return `${where} has ${buddy} free pages in the ${p.counts} and ${p.atLeast === true ? 'at least ' : ''}${p.free} in the ${p.what}, a difference no two reads of one box a moment apart show`;
  }
  return undefined;
}

/**
 * Cross-checks the last buddyinfo capture against zoneinfo and pagetypeinfo zones read from other inputs.
 * One input is one box: a paste's parts, or a sosreport's files (`sameBox`), are not checked against each
 * other. On a clear mismatch throws one sentence naming both inputs, unless `force`; returns notes saying
 * the drift, or what --force let by. With `drift: false` only the shape is compared (zones, orders, sizes).
 */
export function crossCheck(
  snapshot: Snapshot | undefined,
  watermarks: readonly ZoneWatermarks[],
  types: readonly ZoneTypes[],
  force: boolean,
  sameBox: (a: string, b: string) => boolean = () => false,
  { drift = true, counts = 'buddyinfo' }: { drift?: boolean; counts?: 'buddyinfo' | 'pagetypeinfo' } = {},
): string[] {
  if (snapshot === undefined) return [];
  const notes: string[] = [];
  const buddySource = snapshot.zones[0]?.source ?? 'the buddyinfo';
  const groups = new Map<string, { what: 'zoneinfo' | 'pagetypeinfo'; source: string; zones: (ZoneWatermarks | ZoneTypes)[]; own: boolean }>();
  const add = (z: ZoneWatermarks | ZoneTypes, what: 'zoneinfo' | 'pagetypeinfo'): void => {
    // One input is one box: a sosreport's files are not checked against each other, and a paste's own
    // parts are never refused, though their drift, two reads a moment apart, is said when they disagree.
    const own = snapshot.zones.some((b) => b.source === z.source);
    if (!own && snapshot.zones.some((b) => sameBox(b.source, z.source))) return;
    // Only a pagetypeinfo pasted beside the buddyinfo is a second read to compare: a report's Mem-Info
    // lines and its free areas are one print, and a snapshot made from this very pagetypeinfo (no
    // buddyinfo given) agrees with it by construction.
    if (own && (what !== 'pagetypeinfo' || counts === 'pagetypeinfo')) return;
    const key = `${what}\u0000${z.source}`;
    const g = groups.get(key) ?? { what, source: z.source, zones: [], own };
    g.zones.push(z);
    groups.set(key, g);
  };
  for (const w of watermarks) {
    // From 4.12 zoneinfo lists unpopulated zones too (present 0); buddyinfo lists populated zones only.
    if ((w.present ?? w.freePages ?? 1) > 0) add(w, 'zoneinfo');
  }
  for (const t of types) add(t, 'pagetypeinfo');
  for (const g of groups.values()) {
    const refuseUnlessOwn = (a: string, b: string, why: string): void => {
      if (!g.own) refuse(a, b, why, force, notes);
    };
    const inBuddy = (z: { node: number; zone: string }): ZoneFree | undefined => snapshot.zones.find((b) => sameZone(b, z));
    const extra = g.zones.filter((z) => inBuddy(z) === undefined).map(label);
    if (extra.length > 0) {
      refuseUnlessOwn(buddySource, g.source, `the ${g.what} lists ${extra.join(', ')}, which the ${counts} (it prints every populated zone) does not`);
    }
    const missing = snapshot.zones.filter((b) => !g.zones.some((z) => sameZone(z, b)));
    const nodes = new Set(g.zones.map((z) => z.node));
    const lostNodes = [...new Set(missing.map((b) => b.node))].filter((n) => !nodes.has(n));
    // A grep excerpt of zoneinfo may hold some zones (the check then says which zones lack watermarks); a
    // whole node missing beside other zones, or any zone missing from a pagetypeinfo, is another box.
    if (missing.length > 0 && (g.what === 'pagetypeinfo' || (lostNodes.length > 0 && g.zones.length > 1))) {
      refuseUnlessOwn(buddySource, g.source, `the ${counts} lists ${missing.map(label).join(', ')}, which the ${g.what} does not`);
    }
    // Without drift (a log of many snapshots against one zoneinfo: hours apart), the shape alone is compared.
    const pairs = g.zones.flatMap((z): Pair[] => {
      const buddy = inBuddy(z);
      if (buddy === undefined) return [];
      const pair = pairOf(buddy, z, g.what, counts);
      if (!drift) delete pair.free;
      return [pair];
    });
    for (const p of pairs) {
      const why = mismatch(p);
      if (why !== undefined) refuseUnlessOwn(p.buddy.source, p.other.source, why);
    }
    const drifts = pairs.filter((p) => p.free !== undefined && p.atLeast !== true).map((p) => ({ p, d: Math.abs(pagesOf(p.buddy.free) - (p.free as number)) }));
    if (drifts.length === 0) continue;
    const worst = drifts.reduce((a, b) => (b.d > a.d ? b : a));
    const range =
      worst.d === 0
        ? 'agree on the free pages of every zone'
        : `differ by up to ${worst.d} free pages in a zone (${label(worst.p.buddy)}: ${pagesOf(worst.p.buddy.free)} against ${worst.p.free}), the drift of two reads at different moments`;
    notes.push(g.own ? `In ${g.source}, the ${counts} and the ${g.what} ${range}.` : `${worst.p.buddy.source} and the ${g.what} ${g.source} ${range}.`);
  }
  return notes;
}

function pairOf(buddy: ZoneFree, z: ZoneWatermarks | ZoneTypes, what: 'zoneinfo' | 'pagetypeinfo', counts: Pair['counts']): Pair {
  const pair: Pair = { buddy, counts, other: { source: z.source }, what };
  if (what === 'zoneinfo') {
    const w = z as ZoneWatermarks;
    if (w.freePages !== undefined) pair.free = w.freePages;
    const size = w.present ?? w.managed ?? w.spanned;
    if (size !== undefined) pair.size = size;
  } else {
    const { pages, atLeast, orders } = typePages(z as ZoneTypes);
    pair.free = pages;
    pair.atLeast = atLeast;
    if (orders > 0) pair.orders = orders;
  }
  return pair;
}

function refuse(a: string, b: string, why: string, force: boolean, notes: string[]): void {
  if (force) {
    notes.push(`--force: ${a} and ${b} were read together although ${why}.`);
    return;
  }
  throw new InputError(`${a} and ${b} do not describe the same box: ${why}. Give captures of one box, or --force to read them together anyway.`);
}
