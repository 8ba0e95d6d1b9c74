// Parses /proc/zoneinfo text of any generation (2.6.32 to 6.18) into each zone's watermarks and counters.

import { InputError, where, type ReclaimableCounts, type ZoneWatermarks } from '../model.js';
import { reclaimFromCounters, ZONEINFO_RECLAIM } from './zone-reclaim.js';

/** Everything read of one zone, including fields the analyses do not use and zones too cut to use. */
export interface ZoneinfoDetail {
  node: number;
  zone: string;
  line: number;
  freePages?: number;
  min?: number;
  low?: number;
  high?: number;
  boost?: number;
  promo?: number;
  spanned?: number;
  present?: number;
  managed?: number;
  /** The zone's CMA pages (`cma`, 5.12+), not the free ones. */
  cma?: number;
  /** `scanned` (to 4.7): pages scanned since the last reclaim. */
  scanned?: number;
  /** `start_pfn:` (2.6.x on). */
  startPfn?: number;
  /** `all_unreclaimable:` (printed as 0 or 1; to 3.x). */
  allUnreclaimable?: boolean;
  lowmemReserve?: number[];
  freeCma?: number;
}

export interface ZoneinfoResult {
  /** The zones whose watermarks were read. */
  zones: ZoneWatermarks[];
  /** Every zone, as far as it was read (a zone cut before its watermarks is here and not in `zones`). */
  details: ZoneinfoDetail[];
  /** What could not be used, each one sentence naming the source and line; the rest was read. */
  problems: { line: number; message: string }[];
  /**
   * True when the text has the older layout that lists populated zones only (up to 4.11), so a zone's
   * position does not give its type index and `zoneIndex` is left unset.
   */
  populatedOnly: boolean;
}

/** `Node %d, zone %8s` (zoneinfo_show_print, the same in every version). */
const HEADER = /^Node\s+(\d+),\s*zone\s+(\S+)$/;
/** Anything that starts like a header, for telling a malformed one from another line. */
const HEADER_START = /^Node\b/;
const PAGES_FREE = /^pages\s+free\b/;
/**
 * A node's stats under their own header instead of inside its first zone: a proposed mainline change
 * that kernels may carry. Its counters belong to no zone and are skipped up to the next zone header.
 */
const NODE_STATS_HEADER = /^Node\s+\d+,\s*per-node stats$/;

/**
 * One-word head fields printed before `protection:`, each `\n        %-8s %lu`: min/low/high/spanned/
 * present (2.6.32), managed (~3.9; the 3.18 capture in the corpus has it), boost (~5.16, with the
 * boost:%lukB of show_free_areas), promo (~6.11), cma (~5.12: the zone's CMA pages, not the free ones,
 * which a zone that can never serve a non-movable request is judged with, kernel.md 4.5). `scanned` (to
 * 4.7) is read on its own line below and `node_scanned` (4.8 to ~4.12) is read past.
 */
const HEAD_KEYS = ['boost', 'min', 'low', 'high', 'promo', 'spanned', 'present', 'managed', 'cma'] as const;
type HeadKey = (typeof HEAD_KEYS)[number];
const HEAD_KEY_SET: ReadonlySet<string> = new Set(HEAD_KEYS);

/** What one `Node N, zone X` block has shown so far. */
interface Block {
  node: number;
  zone: string;
  line: number;
  /** Inside the `per-node stats` list that the first populated zone of a node carries (4.8+). */
  inNodeStats: boolean;
  freePages?: number;
  head: Partial<Record<HeadKey, number>>;
  lowmemReserve?: number[];
  freeCma?: number;
  scanned?: number;
  startPfn?: number;
  /** Lines where each field was read, to report a field printed twice. */
  seenAt: Map<string, number>;
  protectionLine?: number;
  /** Line of the zone counter `nr_free_pages`: it comes before protection up to 4.11, after it from 4.12. */
  counterLine?: number;
  /** The zone's LRU counters (R(z), kernel.md 4) and `all_unreclaimable:` (up to ~4.7). */
  reclaim: Map<keyof ReclaimableCounts, number>;
  allUnreclaimable?: boolean;
}

/**
 * Reads every zone of a /proc/zoneinfo text. Throws InputError for a populated zone that lacks
 * `pages free`/min/low/high, a field that is not a number, a zone listed twice, or text that is not
 * zoneinfo at all.
 */
export function parseZoneinfo(text: string, source: string): ZoneinfoResult {
  const blocks: Block[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let cur: Block | undefined;
  let inNodeHeaderStats = false;

  const fail = (lineNo: number, what: string): never => {
    throw new InputError(`${where(source, lineNo)}: ${what}`, source, lineNo);
  };

  const number = (lineNo: number, field: string, token: string | undefined): number => {
    if (token === undefined || !/^\d+$/.test(token)) {
      const found = token === undefined ? 'nothing' : `"${token}"`;
      return fail(lineNo, `expected a whole number after "${field}", found ${found}.`);
    }
    const n = Number(token);
    if (!Number.isSafeInteger(n)) {
      return fail(lineNo, `expected a page count below 2^53 after "${field}", found ${token}.`);
    }
    return n;
  };

  /** Reads `<field> <number>` where nothing may follow the number. */
  const single = (lineNo: number, field: string, rest: string[]): number => {
    if (rest.length > 1) {
      return fail(lineNo, `expected one number after "${field}", found "${rest.join(' ')}".`);
    }
    return number(lineNo, field, rest[0]);
  };

  const once = (b: Block, key: string, lineNo: number): void => {
    const first = b.seenAt.get(key);
    if (first !== undefined) {
      fail(
        lineNo,
        `expected "${key}" once for "Node ${b.node}, zone ${b.zone}" (line ${b.line}), found it a second time (first on line ${first}), so a zone header may be missing.`,
      );
    }
    b.seenAt.set(key, lineNo);
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const t = raw.trim();
    if (t === '') return;
    const header = HEADER.exec(t);
    if (header) {
      cur = {
        node: Number(header[1]),
        zone: header[2] ?? '',
        line: lineNo,
        inNodeStats: false,
        head: {},
        seenAt: new Map(),
        reclaim: new Map(),
      };
      blocks.push(cur);
      inNodeHeaderStats = false;
      return;
    }
    if (NODE_STATS_HEADER.test(t)) {
      cur = undefined;
      inNodeHeaderStats = true;
      return;
    }
    if (HEADER_START.test(t)) {
      fail(lineNo, `expected a zone header like "Node 0, zone Normal", found "${t}".`);
    }
    if (!cur) {
      if (inNodeHeaderStats) return;
      return fail(lineNo, `expected a zone header like "Node 0, zone Normal" before "${t}".`);
    }
    const b = cur;
    const tokens = t.split(/\s+/);
    const key = tokens[0] ?? '';

    if (t === 'per-node stats') {
      b.inNodeStats = true;
      return;
    }
    if (PAGES_FREE.test(t)) {
      // `pages free` opens the zone's own fields; the node counters above it are not this zone's.
      b.inNodeStats = false;
      once(b, 'pages free', lineNo);
      b.freePages = single(lineNo, 'pages free', tokens.slice(2));
      return;
    }
    if (b.inNodeStats) return;

    if (HEAD_KEY_SET.has(key)) {
      once(b, key, lineNo);
      b.head[key as HeadKey] = single(lineNo, key, tokens.slice(1));
      return;
    }
    if (key === 'protection:') {
      once(b, 'protection', lineNo);
      b.protectionLine = lineNo;
      b.lowmemReserve = protection(t.slice(key.length).trim(), lineNo);
      return;
    }
    // `scanned  0` up to 4.7, `scanned  0 (a: 0 i: 0)` in 2.6.1x: the first number is the count.
    if (key === 'scanned') {
      b.scanned = number(lineNo, key, tokens[1]);
      return;
    }
    if (key === 'start_pfn:' || key === 'all_unreclaimable:') {
      const value = single(lineNo, key, tokens.slice(1));
      if (key === 'start_pfn:') b.startPfn = value;
      // Reclaim gave the zone up (up to ~4.7): its LRU pages count for nothing (kernel.md 4).
      else b.allUnreclaimable = value === 1;
      return;
    }
    if (key === 'nr_free_cma') {
      once(b, key, lineNo);
      b.freeCma = single(lineNo, key, tokens.slice(1));
      return;
    }
    // Exact match: the 6.18 counter `nr_free_pages_blocks` (free pages in blocks of pageblock order and
    // up) is a different number and must not be taken for it.
    const lru = ZONEINFO_RECLAIM[key];
    if (lru !== undefined && tokens.length === 2 && /^\d+$/.test(tokens[1] ?? '')) b.reclaim.set(lru, Number(tokens[1]));
    if (key === 'nr_free_pages') {
      once(b, key, lineNo);
      b.counterLine = lineNo;
    }
    // Every other line (counters, pagesets, `start_pfn:` ...) is not needed.
  });

  /** `(%ld, %ld, ...)`: one entry per zone type, `%lu` up to 4.3 and `%ld` from 4.4. */
  function protection(body: string, lineNo: number): number[] {
    const m = /^\((.*)\)$/.exec(body);
    if (!m) {
      return fail(lineNo, `expected "protection: (n, n, ...)", found "protection: ${body}".`);
    }
    return (m[1] ?? '').split(',').map((raw) => {
      const cell = raw.trim();
      const n = Number(cell);
      if (!/^-?\d+$/.test(cell) || !Number.isSafeInteger(n)) {
        return fail(lineNo, `expected whole numbers in "protection: (n, n, ...)", found "${cell}".`);
      }
      return n;
    });
  }

  if (blocks.length === 0) {
    throw new InputError(
      `${where(source, 1)}: expected /proc/zoneinfo text starting with a zone header like "Node 0, zone Normal", found none.`,
      source,
      1,
    );
  }

  const seen = new Map<string, number>();
  for (const b of blocks) {
    const id = `${b.node}\u0000${b.zone}`;
    const first = seen.get(id);
    if (first !== undefined) {
      fail(
        b.line,
        `expected each zone once (one reading of /proc/zoneinfo), found "Node ${b.node}, zone ${b.zone}" again (first on line ${first}).`,
      );
    }
    seen.set(id, b.line);
  }

  const populated = blocks.map(isPopulated);
  // From 4.12 ("mm, vmstat: print non-populated zones in zoneinfo", b2bd8598195f) every zone is listed,
  // and the zone counters moved below `protection:`. Either sign means every zone type is present.
  const allZones = blocks.some(
    (b, i) =>
      !populated[i] ||
      (b.counterLine !== undefined && b.protectionLine !== undefined && b.counterLine > b.protectionLine),
  );

  const positions = new Map<number, number>();
  const zones: ZoneWatermarks[] = [];
  const problems: ZoneinfoResult['problems'] = [];
  blocks.forEach((b, i) => {
    const pos = positions.get(b.node) ?? 0;
    positions.set(b.node, pos + 1);
    const w = toWatermarks(b, populated[i] ?? true, allZones ? pos : undefined);
    if (w !== undefined) zones.push(w);
  });
  return { zones, details: blocks.map(detailOf), problems, populatedOnly: !allZones };

  /** The zone's watermarks; undefined (and a problem) for a populated zone cut before them (an excerpt). */
  function toWatermarks(b: Block, isPop: boolean, zoneIndex: number | undefined): ZoneWatermarks | undefined {
    const { min, low, high } = b.head;
    if (isPop && (b.freePages === undefined || min === undefined || low === undefined || high === undefined)) {
      const missing = [
        b.freePages === undefined ? '"pages free"' : '',
        min === undefined ? '"min"' : '',
        low === undefined ? '"low"' : '',
        high === undefined ? '"high"' : '',
      ].filter((s) => s !== '');
      problems.push({
        line: b.line,
        message: `${where(source, b.line)}: expected "pages free", "min", "low" and "high" after "Node ${b.node}, zone ${b.zone}", but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing, so the zone was left out.`,
      });
      return undefined;
    }
    const z: ZoneWatermarks = {
      node: b.node,
      zone: b.zone,
      freePages: b.freePages ?? 0,
      min: min ?? 0,
      low: low ?? 0,
      high: high ?? 0,
      source,
      line: b.line,
      kind: 'zoneinfo',
    };
    const { boost, promo, spanned, present, managed, cma } = b.head;
    if (boost !== undefined) z.boost = boost;
    if (promo !== undefined) z.promo = promo;
    if (spanned !== undefined) z.spanned = spanned;
    if (present !== undefined) z.present = present;
    if (managed !== undefined) z.managed = managed;
    if (cma !== undefined) z.cmaPages = cma;
    const reclaimable = reclaimFromCounters(b.reclaim);
    if (reclaimable !== undefined) z.reclaimable = reclaimable;
    if (b.allUnreclaimable !== undefined) z.allUnreclaimable = b.allUnreclaimable;
    if (b.lowmemReserve !== undefined) z.lowmemReserve = b.lowmemReserve;
    if (b.freeCma !== undefined) z.freeCma = b.freeCma;
    if (zoneIndex !== undefined) z.zoneIndex = zoneIndex;
    return z;
  }
}

function detailOf(b: Block): ZoneinfoDetail {
  const d: ZoneinfoDetail = { node: b.node, zone: b.zone, line: b.line, ...b.head };
  const extra = { freePages: b.freePages, lowmemReserve: b.lowmemReserve, freeCma: b.freeCma, scanned: b.scanned, startPfn: b.startPfn, allUnreclaimable: b.allUnreclaimable };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) Object.assign(d, { [k]: v });
  return d;
}

/**
 * A zone is unpopulated when the kernel printed `present 0` (or, with no `present` line, `spanned 0`).
 * Unpopulated zones appear from 4.12 on and stop after `protection:`.
 */
function isPopulated(b: Block): boolean {
  if (b.head.present !== undefined) return b.head.present > 0;
  if (b.head.spanned !== undefined) return b.head.spanned > 0;
  return true;
}

/** Content sniffing: a zone header and a `pages free` line, which no other /proc file prints. */
export function looksLikeZoneinfo(text: string): boolean {
  return /^Node\s+\d+,\s*zone\s+\S+[ \t]*\r?$/m.test(text) && /^[ \t]*pages\s+free\s+\d+/m.test(text);
}
