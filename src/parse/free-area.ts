// Free-area lines ("Node 0 Normal: 12*4kB (UM) 5*8kB ... = 88kB"): their tokens, and checks across zones.

import type { FreeAreaRead, RawZone } from './report-builder.js';
import type { FailureReport, ReportZone } from './report-types.js';
import { exact, isPageSizeKiB, note, tooLarge, zoneLabel } from './report-values.js';


export function readFreeArea(body: string): FreeAreaRead {
  const r: FreeAreaRead = { counts: [], sizesKiB: [], letters: [], empty: false };
  // "0     *2048kB": a copy that padded the count keeps it the count of the size after the star.
  const tokens = body.trim().replace(/(\d)\s+\*(?=\d)/g, '$1*').split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 1 && tokens[0] === 'empty') return { ...r, empty: true };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    let m = /^(\d+)\*(\d+)kB$/.exec(t);
    if (m) {
      for (const digits of [m[1] as string, m[2] as string]) {
        if (exact(digits) === undefined) r.tooBig ??= digits;
      }
      r.counts.push(Number(m[1]));
      r.sizesKiB.push(Number(m[2]));
      r.letters.push(undefined);
      continue;
    }
    // "()" is printed too: the count is non-zero but every per-type list was empty (linux-next 2019-02).
    m = /^\(([A-Za-z]*)\)$/.exec(t);
    if (m && r.counts.length > 0 && r.letters[r.letters.length - 1] === undefined) {
      r.letters[r.letters.length - 1] = m[1];
      continue;
    }
    if (t === '=' && i === tokens.length - 1) {
      // Cut right after "=": every order was printed, only the total is lost.
      r.totalCut = true;
      return r;
    }
    m = /^=(\d+)kB$/.exec(t);
    const total = m ? m[1] : t === '=' ? /^(\d+)kB$/.exec(tokens[i + 1] ?? '')?.[1] : undefined;
    if (total !== undefined) {
      if (exact(total) === undefined) r.tooBig ??= total;
      r.totalKiB = Number(total);
      const after = tokens.slice(m ? i + 1 : i + 2);
      if (after.length > 0) r.trailing = after.join(' ');
      return r;
    }
    // A piece of an item as the last token is where the line was cut, not stray text.
    if (i < tokens.length - 1 || !/^(?:\d+\*?\d*k?|\([A-Za-z]*)$/.test(t)) r.stray = t;
    return r;
  }
  return r;
}

/** Why a free-area line's own numbers cannot be used, or undefined when they look as the kernel prints them. */
export function freeAreaFault(f: FreeAreaRead): string | undefined {
  if (f.tooBig !== undefined) return `has the number ${tooLarge(f.tooBig)}`;
  const sizes = f.sizesKiB;
  const first = sizes[0];
  if (first === undefined) return undefined;
  if (!isPageSizeKiB(first)) {
    return `starts at ${first}kB, which is no page size: expected a power of two of at least 1 kB (4kB, 16kB, 64kB, 256kB...)`;
  }
  // show_free_areas prints K(1UL << order) for each order: every block size doubles the one before.
  const wrong = sizes.findIndex((size, o) => o > 0 && size !== 2 * (sizes[o - 1] ?? 0));
  if (wrong < 0) return undefined;
  const expected = 2 * (sizes[wrong - 1] ?? 0);
  return `has ${sizes[wrong]}kB at order ${wrong}, expected ${expected}kB (block sizes double per order)`;
}

/** Cut short or with stray text: the counts stop before the last order. */
export function isPartial(f: FreeAreaRead): boolean {
  return f.stray !== undefined || (f.totalKiB === undefined && f.totalCut !== true);
}

/**
 * The report's page size and the free-area lines whose counts cannot be used, with why. The kernel prints
 * every zone with the same page size and the same number of orders (show_free_areas walks MAX_ORDER, later
 * NR_PAGE_ORDERS, columns for each zone), so a line that disagrees was damaged. Which line is right cannot
 * be known; the number of orders most complete lines have wins, the larger on a tie, so that a line that
 * lost columns does not make the analysis believe the kernel has fewer orders.
 */
export function judgeFreeAreas(raw: readonly RawZone[]): { pageKiB?: number; faults: Map<RawZone, string> } {
  const faults = new Map<RawZone, string>();
  const lines = raw.filter((z) => z.free !== undefined && !z.free.empty && z.freeLine !== undefined);
  for (const z of lines) {
    const why = freeAreaFault(z.free as FreeAreaRead);
    if (why !== undefined) faults.set(z, why);
  }
  // The page size is the first column of a sound free-area line: K(1) << 0.
  const sized = lines.find((z) => !faults.has(z) && (z.free?.sizesKiB.length ?? 0) > 0);
  const pageKiB = sized?.free?.sizesKiB[0];
  if (sized === undefined || pageKiB === undefined) return { faults };
  for (const z of lines) {
    const first = z.free?.sizesKiB[0];
    if (faults.has(z) || first === undefined || first === pageKiB) continue;
    const other = `${zoneLabel(sized)} (line ${sized.freeLine})`;
    faults.set(z, `starts at ${first}kB, but ${other} starts at ${pageKiB}kB: the kernel prints one page size for every zone`);
  }

  const complete = lines.filter((z) => !faults.has(z) && !isPartial(z.free as FreeAreaRead));
  const tally = new Map<number, number>();
  for (const z of complete) {
    const n = z.free?.counts.length ?? 0;
    tally.set(n, (tally.get(n) ?? 0) + 1);
  }
  let orders: number | undefined;
  for (const [n, seen] of tally) {
    const best = orders === undefined ? 0 : (tally.get(orders) ?? 0);
    if (orders === undefined || seen > best || (seen === best && n > orders)) orders = n;
  }
  if (orders === undefined) return { pageKiB, faults };
  const model = complete.find((z) => z.free?.counts.length === orders) as RawZone;
  for (const z of lines) {
    if (faults.has(z)) continue;
    const f = z.free as FreeAreaRead;
    // A cut line may hold fewer orders, never more.
    if (isPartial(f) ? f.counts.length <= orders : f.counts.length === orders) continue;
    const like = `${zoneLabel(model)} (line ${model.freeLine})`;
    faults.set(z, `has ${f.counts.length} orders, but ${like} has ${orders}: the kernel prints as many for every zone`);
  }
  return { pageKiB, faults };
}

/** Checks a free-area line and puts its counts on the zone: whole, or as freePartial when cut short. */
export function readFree(zone: ReportZone, f: FreeAreaRead, line: number, r: FailureReport, fault: string | undefined): void {
  const label = zoneLabel(zone);
  if (f.empty) {
    zone.empty = true;
    return;
  }
  if (fault !== undefined) {
    note(r, line, `the free-area line of ${label} ${fault}; its counts were not used`);
    return;
  }
  if (f.letters.some((x) => x !== undefined)) zone.types = f.letters.map((x) => x ?? '');
  const bad = f.letters.find((x) => x !== undefined && /[^UMERHCI]/.test(x));
  if (bad !== undefined) {
    note(r, line, `the free-area line of ${label} has migratetype letters "${bad}" outside U, M, E, R, H, C, I`);
  }
  if (isPartial(f)) {
    zone.freePartial = f.counts;
    const why =
      f.stray !== undefined
        ? `has unexpected text "${f.stray}" after order ${f.counts.length - 1}`
        : 'is cut short: it has no "= N kB" total';
    note(r, line, `the free-area line of ${label} ${why}; ${f.counts.length} order(s) were read, kept apart as partial counts`);
    return;
  }
  const sum = f.counts.reduce((s, c, o) => s + c * (f.sizesKiB[o] ?? 0), 0);
  zone.free = { node: zone.node, zone: zone.zone, free: f.counts, source: r.source, line };
  if (f.totalKiB === undefined) {
    note(r, line, `the free-area line of ${label} is cut after its "=": its ${f.counts.length} orders were read; the total is missing (they add up to ${sum}kB)`);
    return;
  }
  zone.freeKiB = f.totalKiB;
  if (f.trailing !== undefined) note(r, line, `the free-area line of ${label} goes on after its total with "${f.trailing}"`);
  if (sum !== f.totalKiB) {
    note(r, line, `the free-area line of ${label} adds up to ${sum}kB, but the kernel printed = ${f.totalKiB}kB`);
  }
}
