// Finishes a report once its last line is read: page size, watermarks, free counts and what is missing.

import { judgeFreeAreas, readFree } from './free-area.js';
import type { Builder } from './report-builder.js';
import type { FailureReport, ReportZone } from './report-types.js';
import { note, zoneLabel } from './report-values.js';
import { watermarksOf } from './zone-fields.js';

/** Turns the collected lines of one report into its final form, with the checks that need all of it. */
export function finalize(b: Builder, reason: { next: number } | 'end'): FailureReport {
  const r = b.report;
  const raw = [...b.zones.values()];
  if (r.kernel === undefined && b.versionBefore !== undefined) {
    r.kernel = b.versionBefore.version;
    r.kernelLine = b.versionBefore.line;
    if (b.versionBefore.upstream !== undefined) r.kernelUpstream = b.versionBefore.upstream;
  }
  if (b.printedNames !== undefined) {
    r.flags = b.printedNames.split('|').map((n) => n.trim()).filter((n) => n !== '' && n !== 'none');
    r.flagsFrom = 'printed';
  }

  if (b.header && raw.length === 0) {
    const what = r.kind === 'oom' ? 'OOM-killer header' : 'allocation-failure header';
    const until = reason === 'end' ? 'before the end of the input' : `before the next report on line ${reason.next}`;
    const memcg = b.memcg ? ' (a memory cgroup OOM prints no zone state)' : '';
    const block =
      b.memInfoLine === undefined ? 'has no Mem-Info zone lines' : `has a Mem-Info line (${b.memInfoLine}) but no zone lines`;
    note(r, r.line, `the ${what} ${block} ${until}${memcg}`);
  }

  const { pageKiB, faults } = judgeFreeAreas(raw);
  if (pageKiB !== undefined) r.pageSize = pageKiB * 1024;
  const withZoneLine = raw.filter((z) => z.line !== undefined);
  const withFreeLine = raw.filter((z) => z.freeLine !== undefined);
  if (pageKiB === undefined && withZoneLine.length > 0) {
    const usable = faults.size > 0 ? 'usable ' : '';
    r.problems.push({
      line: withZoneLine[0]?.line ?? r.line,
      message: `no ${usable}free-area line gives the page size, so the zone line counters were converted assuming 4 kB pages`,
    });
  }

  for (const z of raw) {
    const zone: ReportZone = { node: z.node, zone: z.zone };
    if (z.line !== undefined) zone.line = z.line;
    if (z.freeLine !== undefined) zone.freeLine = z.freeLine;
    if (z.lowmem !== undefined) zone.lowmemReserve = z.lowmem;
    if (z.allUnreclaimable !== undefined) zone.allUnreclaimable = z.allUnreclaimable;
    if (z.fields !== undefined && z.line !== undefined) {
      const w = watermarksOf(z, z.line, pageKiB ?? 4, r);
      if (w !== undefined) zone.watermarks = w;
    }
    if (z.free !== undefined && z.freeLine !== undefined) readFree(zone, z.free, z.freeLine, r, faults.get(z));
    if (z.line === undefined && withZoneLine.length > 0) {
      note(r, z.freeLine ?? r.line, `${zoneLabel(z)} has a free-area line but no zone line, so its watermarks are unknown`);
    }
    if (z.freeLine === undefined && withFreeLine.length > 0) {
      note(r, z.line ?? r.line, `${zoneLabel(z)} has a zone line but no free-area line, so its free blocks are unknown`);
    }
    r.zones.push(zone);
  }
  if (raw.length > 0 && withFreeLine.length === 0) {
    note(r, r.line, 'the report has no free-area lines ("Node 0 Normal: 12*4kB ..."), so its free blocks per order are unknown');
  }
  r.problems.sort((a, c) => a.line - c.line);
  return r;
}
