// Adds what a pasted text holds (captures, debugfs rows, pagetypeinfo, zoneinfo, reports) to the machine.

import type { Snapshot, StatedKernel, ZoneFree, ZoneTypes, ZoneWatermarks } from '../model.js';
import { indexFileNamed, type IndexFile, type IndexTable } from '../parse/extfrag.js';
import type { PasteContents } from '../parse/paste.js';
import type { FailureReport } from '../parse/report-types.js';
import { releaseFromBanner } from '../parse/version.js';
import { logState } from './reports.js';

/** The machine's parts a paste adds to (input/machine.ts owns the whole). */
export interface PasteTarget {
  snapshots: Snapshot[];
  snapshotCount: number;
  watermarks: ZoneWatermarks[];
  types: ZoneTypes[];
  notes: string[];
  reports: FailureReport[];
  kernel?: StatedKernel;
  statedPageSize?: number;
  /** debugfs index tables, each with the buddyinfo capture it can be compared with. */
  indexTables: { table: IndexTable; snapshot?: Snapshot }[];
  /** Zones of a zoneinfo read without their watermarks ("line N: Node 0 DMA"), for the error. */
  marklessZones?: string[];
}

function fileOf(source: string): { file?: IndexFile } {
  const file = indexFileNamed(source);
  return file === undefined ? {} : { file };
}

/** True when a paste gave nothing at all to read. */
export function isEmptyPaste(p: PasteContents): boolean {
  return (
    p.snapshots.length === 0 &&
    p.indexTables.length === 0 &&
    p.pagetypeinfo.length === 0 &&
    p.zoneinfo.length === 0 &&
    (p.log?.reports.length ?? 0) === 0
  );
}

/**
 * Merges a paste into the machine. The last capture of each kind describes the machine (the table shows
 * the last snapshot); earlier ones are kept as snapshots when asked, and said in a note otherwise.
 */
export function mergePaste(m: PasteTarget, p: PasteContents, source: string, text: string, keepSnapshots: boolean): void {
  for (const err of p.problems) m.notes.push(err.message);
  m.notes.push(...p.notes);
  if (p.log !== undefined && p.log.reports.length > 0) {
    const log = logState(source, p.log, keepSnapshots);
    m.reports.push(...log.reports);
    if (p.snapshots.length === 0) {
      if (keepSnapshots) for (const s of log.snapshots) m.snapshots.push(s);
      else if (log.snapshots.length > 0) m.snapshots = log.snapshots;
      m.snapshotCount += log.count;
    }
    if (log.state !== undefined) {
      m.watermarks = log.state.watermarks;
      m.types = log.state.types;
    }
    if (log.pageSize !== undefined) m.statedPageSize = log.pageSize;
    if (log.kernel !== undefined) m.kernel = log.kernel;
    m.notes.push(...log.notes);
  }
  if (p.snapshots.length > 0) {
    if (keepSnapshots) for (const s of p.snapshots) m.snapshots.push(s);
    else m.snapshots = [p.snapshots[p.snapshots.length - 1] as Snapshot];
    m.snapshotCount += p.snapshots.length;
  }
  for (const t of p.indexTables) {
    // A debugfs file read on its own (a sosreport's sys/kernel/debug/extfrag/...) is named by its path, and
    // compared with the buddyinfo read before it.
    const entry: { table: IndexTable; snapshot?: Snapshot } = { table: { ...t, ...(t.file === undefined ? fileOf(source) : {}) } };
    const snap = t.afterSnapshot === undefined ? m.snapshots[m.snapshots.length - 1] : p.snapshots[t.afterSnapshot];
    if (snap !== undefined) entry.snapshot = snap;
    m.indexTables.push(entry);
  }
  const zi = p.zoneinfo[p.zoneinfo.length - 1];
  if (zi !== undefined) {
    if (p.zoneinfo.length > 1) m.notes.push(`${source}: holds ${p.zoneinfo.length} zoneinfo readings; the last (line ${zi.details[0]?.line ?? 1}) gives the watermarks.`);
    m.watermarks.push(...zi.zones);
    const markless = marklessZones(zi);
    if (markless.length > 0) (m.marklessZones ??= []).push(...markless);
  }
  const pti = p.pagetypeinfo[p.pagetypeinfo.length - 1];
  if (pti !== undefined) {
    if (p.pagetypeinfo.length > 1) m.notes.push(`${source}: holds ${p.pagetypeinfo.length} pagetypeinfo readings; the last (line ${pti.zones[0]?.line ?? 1}) gives the free lists per type.`);
    m.types.push(...pti.zones);
  }
  // `cat /proc/version /proc/buddyinfo > saved.txt` keeps the release beside the counts.
  if (m.kernel === undefined) {
    const lines = text.split('\n');
    for (let at = 0; at < lines.length; at++) {
      const banner = releaseFromBanner(lines[at] as string);
      if (banner === undefined) continue;
      m.kernel = { version: banner.release, origin: `${source}, line ${at + 1}`, ...(banner.upstream === undefined ? {} : { upstream: banner.upstream }) };
      break;
    }
  }
}

/**
 * A capture built from pagetypeinfo alone: per zone and order, the sum of the per-type free counts, which
 * is the buddy list count buddyinfo prints (both count nr_free of each free_area; pagetypeinfo splits it
 * by list). A capped cell (">100000", 5.4+) makes its order's sum a lower bound, which the note says.
 */
export function snapshotFromTypes(types: readonly ZoneTypes[]): { snapshot: Snapshot; notes: string[] } | undefined {
  const withCounts = types.filter((t) => Object.keys(t.free).length > 0);
  if (withCounts.length === 0) return undefined;
  const capped: string[] = [];
  const zones = withCounts.map((t): ZoneFree => {
    const rows = Object.values(t.free);
    const orders = Math.max(...rows.map((r) => r.length));
    const free = Array.from({ length: orders }, (_, o) => rows.reduce((s, r) => s + (r[o]?.count ?? 0), 0));
    const low = free.flatMap((_, o) => (rows.some((r) => r[o]?.atLeast === true) ? [o] : []));
    if (low.length > 0) capped.push(`Node ${t.node} ${t.zone} order${low.length > 1 ? 's' : ''} ${low.join(', ')}`);
    return { node: t.node, zone: t.zone, free, source: t.source, line: t.line };
  });
  const first = withCounts[0] as ZoneTypes;
  const notes = [
    `No buddyinfo among the inputs: the free blocks per order are the sums of the per-type rows of the pagetypeinfo (${first.source}, line ${first.line}).`,
  ];
  if (capped.length > 0) {
    notes.push(`The kernel stopped counting at 100000 in some lists (">100000"), so these counts are lower bounds: ${capped.join('; ')}.`);
  }
  return { snapshot: { zones }, notes };
}

/** The zones a zoneinfo names without their min, low and high lines ("line 3: Node 0 DMA"), for the error. */
export function marklessZones(zi: { zones: readonly { node: number; zone: string }[]; details: readonly { node: number; zone: string; line: number }[] }): string[] {
  return zi.details.filter((d) => !zi.zones.some((z) => z.node === d.node && z.zone === d.zone)).map((d) => `line ${d.line}: Node ${d.node} ${d.zone}`);
}
