// The proactive compaction score of 5.9+ per zone and node (kernel.md 4.4): would kcompactd compact on its own?

import type { Rules } from '../kernel/rules.js';
import { sameZone } from '../kernel/zones.js';
import type { ZoneFree, ZoneWatermarks } from '../model.js';
import { contigInfo } from './fragmentation.js';

/** vm.compaction_proactiveness's default in every release that has it. */
export const DEFAULT_PROACTIVENESS = 20;

export interface ProactiveScore {
  /** vm.compaction_proactiveness and where it came from. */
  proactiveness: number;
  proactivenessSource: string;
  /** COMPACTION_HPAGE_ORDER: the PMD order, log2(page size) - 3 on x86-64 and arm64 (9 with 4 KiB pages). */
  order: number;
  /** kcompactd compacts a node whose score is above `high`, each zone until its score is at or below `low`. */
  low: number;
  high: number;
  nodes: ProactiveNode[];
}

export interface ProactiveNode {
  node: number;
  /** Σ present(z) × score(z) / (node_present + 1), each term truncated; null when a zone's present count is unknown. */
  score: number | null;
  /** vm.compaction_proactiveness > 0 and the score above `high` (if kswapd is not running on the node). */
  wouldCompact: boolean | null;
  zones: { zone: string; score: number; present: number | null }[];
}

/** The thresholds per era (kernel.md 4.4): 5.9-6.15 low = max(100 - p, 5), high = min(low + 10, 100); ~6.16 drops the floor and narrows the gap. */
export function proactiveThresholds(era: Rules['proactive'], p: number): { low: number; high: number } {
  if (era === '6.16') {
    const low = 100 - p;
    return { low, high: Math.min(low + Math.min(10, Math.trunc(low / 2)), 100) };
  }
  const low = Math.max(100 - p, 5);
  return { low, high: Math.min(low + 10, 100) };
}

/** extfrag_for_order(zone, H): 0 for an empty zone, else (F - suitable_H × 2^H) × 100 / F, truncated. */
export function zoneScore(free: readonly number[], order: number): number {
  const { freePages, suitable } = contigInfo(free, order);
  if (freePages === 0) return 0;
  return Math.trunc(((freePages - suitable * 2 ** order) * 100) / freePages);
}

/** The PMD order for a page size: PTRS_PER_PTE = page size / 8 entries, so log2(page size) - 3. */
export function hugePageOrder(pageSize: number): number {
  return Math.round(Math.log2(pageSize)) - 3;
}

/**
 * The score of every node of the last snapshot, or undefined before 5.9 (no proactive compaction). A
 * node's score weighs each zone by its present pages (zoneinfo `present`, a report's `present:`); zones
 * without free counts (empty ones) add 0.
 */
export function proactiveScore(
  zones: readonly ZoneFree[],
  watermarks: readonly ZoneWatermarks[],
  ctx: { era: Rules['proactive']; pageSize: number; proactiveness: { value: number; source: string } },
): ProactiveScore | undefined {
  if (ctx.era === 'none') return undefined;
  const order = hugePageOrder(ctx.pageSize);
  const p = ctx.proactiveness.value;
  const { low, high } = proactiveThresholds(ctx.era, p);
  const nodes = [...new Set(zones.map((z) => z.node))].sort((a, b) => a - b).map((node): ProactiveNode => {
    const own = zones.filter((z) => z.node === node);
    const list = own.map((z) => {
      const w = watermarks.find((x) => sameZone(x, z));
      return { zone: z.zone, score: zoneScore(z.free, order), present: w?.present ?? null };
    });
    const known = list.every((z) => z.present !== null);
    // node_present sums every zone of the node the inputs know, populated or not.
    const presentAll = watermarks.filter((w) => w.node === node).reduce((s, w) => s + (w.present ?? 0), 0);
    const nodePresent = Math.max(presentAll, list.reduce((s, z) => s + (z.present ?? 0), 0));
    const score = known ? list.reduce((s, z) => s + Math.trunc(((z.present ?? 0) * z.score) / (nodePresent + 1)), 0) : null;
    return { node, score, wouldCompact: score === null ? null : p > 0 && score > high, zones: list };
  });
  return { proactiveness: p, proactivenessSource: ctx.proactiveness.source, order, low, high, nodes };
}

/** vm.compaction_proactiveness as read (0-100), else the default 20; a bad value is noted. */
export function proactivenessOf(read: { value: string; origin: string } | undefined, notes: string[]): { value: number; source: string } {
  if (read !== undefined) {
    const t = read.value.trim();
    const v = /^\d+$/.test(t) ? Number(t) : Number.NaN;
    if (v >= 0 && v <= 100) return { value: v, source: read.origin };
    notes.push(`vm.compaction_proactiveness "${read.value}" (${read.origin}) is not a whole number from 0 to 100; the default 20 is used.`);
  }
  return { value: DEFAULT_PROACTIVENESS, source: 'the default' };
}
