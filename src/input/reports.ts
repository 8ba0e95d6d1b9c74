// A log's allocation-failure and OOM reports, turned into the snapshots, watermarks and free lists they print.

import { TYPE_OF_LETTER } from '../kernel/migratetypes.js';
import type { Snapshot, StatedKernel, ZoneFree, ZoneTypes, ZoneWatermarks } from '../model.js';
import { parseReports } from '../parse/report.js';
import type { FailureReport, ParsedLog, ReportZone } from '../parse/report-types.js';

/** Per-type counts from a free-area line's letters: a letter says its list is non-empty, no more. */
export function typesOf(z: ReportZone, source: string): ZoneTypes | undefined {
  if (!z.types || !z.free || z.types.every((t) => t === '')) return undefined;
  const free: ZoneTypes['free'] = {};
  for (const name of new Set(Object.values(TYPE_OF_LETTER))) free[name] = z.free.free.map(() => ({ count: 0, atLeast: false }));
  z.types.forEach((letters, order) => {
    for (const letter of letters) {
      const name = TYPE_OF_LETTER[letter];
      const cell = name ? free[name]?.[order] : undefined;
      if (cell) {
        cell.count = 1;
        cell.atLeast = true;
      }
    }
  });
  return { node: z.node, zone: z.zone, free, source, line: z.freeLine ?? z.free.line };
}

/** What one report says of each zone, in the model the analyses take. */
export function reportState(r: FailureReport): { zones: ZoneFree[]; watermarks: ZoneWatermarks[]; types: ZoneTypes[] } {
  return {
    zones: r.zones.flatMap((z) => (z.free ? [z.free] : [])),
    watermarks: r.zones.flatMap((z) =>
      z.watermarks ? [{ ...z.watermarks, lowmemReserve: z.lowmemReserve ?? z.watermarks.lowmemReserve }] : [],
    ),
    types: r.zones.flatMap((z) => typesOf(z, r.source) ?? []),
  };
}

/** What a log says about the machine, for the loader to merge. */
export interface LogState {
  reports: FailureReport[];
  /** One snapshot per report with free-area lines (only the last unless all were asked for), and the count. */
  snapshots: Snapshot[];
  count: number;
  /** The last such report's watermarks and migratetypes: a check replays the state the kernel printed last. */
  state?: { watermarks: ZoneWatermarks[]; types: ZoneTypes[] };
  pageSize?: number;
  kernel?: StatedKernel;
  notes: string[];
}

/** Reads a log's reports. */
export function readReports(source: string, text: string, keepSnapshots: boolean): LogState {
  return logState(source, parseReports(text, source), keepSnapshots);
}

/** What a parsed log says about the machine. */
export function logState(source: string, log: ParsedLog, keepSnapshots: boolean): LogState {
  const out: LogState = { reports: log.reports, snapshots: [], count: 0, notes: [] };
  const usable = log.reports.filter((r) => r.zones.some((z) => z.free));
  for (const r of usable) {
    const snapshot: Snapshot = { zones: r.zones.flatMap((z) => (z.free ? [z.free] : [])) };
    if (r.time !== undefined) snapshot.stamp = r.time;
    if (keepSnapshots) out.snapshots.push(snapshot);
    else out.snapshots = [snapshot];
    out.count++;
  }
  const last = usable[usable.length - 1];
  if (last) {
    const { watermarks, types } = reportState(last);
    out.state = { watermarks, types };
    if (last.pageSize !== undefined) out.pageSize = last.pageSize;
  }
  if (last?.kernel !== undefined) {
    out.kernel = { version: last.kernel, origin: `${source}, line ${last.kernelLine ?? last.line}` };
    if (last.kernelUpstream !== undefined) out.kernel.upstream = last.kernelUpstream;
  } else if (log.kernel !== undefined) {
    out.kernel = { version: log.kernel.version, origin: `${source}, line ${log.kernel.line}` };
    if (log.kernel.upstream !== undefined) out.kernel.upstream = log.kernel.upstream;
  }
  for (const p of [...log.problems, ...log.reports.flatMap((r) => r.problems)]) out.notes.push(`${source}, line ${p.line}: ${p.message}`);
  return out;
}

/**
 * Reports read from several logs of one box (a sosreport's messages, dmesg and journal hold the same
 * ring buffer) listed once: the first of each, telling them by what they print (kind, task, order, mode
 * and every zone's free counts), which two different reports never share. Reports without free counts
 * are kept: their few fields could match by chance.
 */
export function onceEach(reports: readonly FailureReport[]): { reports: FailureReport[]; dropped: number } {
  const seen = new Map<string, string>();
  const kept: FailureReport[] = [];
  let dropped = 0;
  for (const r of reports) {
    const zones = r.zones.filter((z) => z.free !== undefined);
    if (zones.length === 0) {
      kept.push(r);
      continue;
    }
    const key = JSON.stringify([r.kind, r.process, r.order, r.mode, zones.map((z) => [z.node, z.zone, z.free?.free])]);
    const first = seen.get(key);
    if (first !== undefined && first !== r.source) {
      dropped++;
      continue;
    }
    seen.set(key, r.source);
    kept.push(r);
  }
  return { reports: kept, dropped };
}
