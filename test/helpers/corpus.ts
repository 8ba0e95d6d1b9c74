// Compares what the parsers read from a real corpus file with its hand-written expectations, field by field.

import type { FailureReport, ReportZone } from '../../src/parse/report-types.js';
import { diagnoseOom } from '../../src/analysis/oom.js';

/** What the parsers read from one corpus file, in the terms of the expectation files. */
export interface Got {
  reports: FailureReport[];
  /** The release the log states when no report carries one. */
  logKernel?: string;
  snapshots: { zones: { node: number; zone: string; counts: number[] }[] }[];
  /** debugfs extfrag rows, values as printed; `file` when the paste names it (unusable_index, extfrag_index). */
  extfrag: { file?: string; rows: { node: number; zone: string; values: string[] }[] }[];
  zoneinfo: Record<string, unknown>[];
  pagetypeinfo: {
    pageblockOrder: number;
    pagesPerBlock: number;
    typeNames: string[];
    blockTypes?: string[];
    zones: { node: number; zone: string; free: Record<string, { count: number; atLeast: boolean }[]>; blocks?: Record<string, number> }[];
  }[];
  /** Set when reading the file threw: every field then fails. */
  error?: string;
}

/** One compared field: where, what the expectation says, what was read. */
export interface Mismatch {
  path: string;
  expected: unknown;
  got: unknown;
}

/** The outcome of one file: how many fields were compared, which disagreed, which were left to others. */
export interface FileResult {
  checked: number;
  mismatches: Mismatch[];
}

type Json = Record<string, unknown>;

/** Report fields an OOM report adds (parse/report-oom.ts), at the paths the parser puts them. */
const OOM_FIELDS: Record<string, (r: FailureReport) => unknown> = {
  memcg: (r) => diagnoseOom(r, null, r.pageSize ?? 4096)?.code === 'OOM_MEMCG_LIMIT',
  memcgUsageKiB: (r) => r.oom?.counters.find((c) => c.name === 'memory')?.usageKiB,
  memcgLimitKiB: (r) => r.oom?.counters.find((c) => c.name === 'memory')?.limitKiB,
  killed: (r) => r.oom?.killed,
  freeSwapKiB: (r) => r.memInfo?.freeSwapKiB,
};

/** The expected object's keys taken from what was read, so a hand-written subset is compared as such. */
function subset(expected: unknown, got: unknown): unknown {
  if (expected === null || typeof expected !== 'object' || got === null || typeof got !== 'object') return got;
  // A key the expectation leaves null is not asserted.
  const e = expected as Record<string, unknown>;
  return Object.fromEntries(Object.keys(e).map((k) => [k, e[k] === null ? null : (got as Record<string, unknown>)[k]]));
}

class Tally {
  checked = 0;
  mismatches: Mismatch[] = [];

  /** Compares one field; null or undefined expectations are not asserted. */
  eq(path: string, expected: unknown, got: unknown): void {
    if (expected === null || expected === undefined) return;
    this.checked++;
    if (JSON.stringify(expected) !== JSON.stringify(got)) this.mismatches.push({ path, expected, got });
  }

  /** A field that could not be compared because its container was not found. */
  missing(path: string, expected: unknown): void {
    this.checked++;
    this.mismatches.push({ path, expected, got: undefined });
  }
}

function pageKiBOf(r: FailureReport): number {
  return (r.pageSize ?? 4096) / 1024;
}

function kib(pages: number | undefined, pageKiB: number): number | undefined {
  return pages === undefined ? undefined : pages * pageKiB;
}

function compareZone(t: Tally, path: string, e: Json, z: ReportZone, pageKiB: number): void {
  if (e.node !== null) t.eq(`${path}.node`, e.node, z.node);
  t.eq(`${path}.zone`, e.zone, z.zone);
  const w = z.watermarks;
  const fields = z.zoneLineKiB;
  t.eq(`${path}.freeKiB`, e.freeKiB, fields?.free ?? kib(w?.freePages, pageKiB));
  t.eq(`${path}.minKiB`, e.minKiB, fields?.min ?? kib(w?.min, pageKiB));
  t.eq(`${path}.lowKiB`, e.lowKiB, fields?.low ?? kib(w?.low, pageKiB));
  t.eq(`${path}.highKiB`, e.highKiB, fields?.high ?? kib(w?.high, pageKiB));
  t.eq(`${path}.allUnreclaimable`, e.allUnreclaimable, z.allUnreclaimable);
  t.eq(`${path}.lowmemReserve`, e.lowmemReserve, z.lowmemReserve);
  t.eq(`${path}.empty`, e.empty, z.empty === true);
  if (e.empty === true) return;
  // countsComplete qualifies the counts: a zone with no free-area line (counts null) asserts neither.
  if (e.counts !== null) t.eq(`${path}.countsComplete`, e.countsComplete, z.free !== undefined);
  t.eq(`${path}.counts`, e.counts, z.free?.free ?? z.freePartial);
  t.eq(`${path}.totalKiB`, e.totalKiB, z.freeKiB);
}

function compareZones(t: Tally, path: string, expected: Json[], r: FailureReport): void {
  const pageKiB = pageKiBOf(r);
  const used = new Set<ReportZone>();
  expected.forEach((e, i) => {
    const node = (e.node as number | null) ?? 0;
    const z = r.zones.find((c) => !used.has(c) && c.node === node && c.zone === e.zone);
    const p = `${path}.zones[${i}](${e.zone as string})`;
    if (z === undefined) {
      t.missing(p, `Node ${node} ${e.zone as string}`);
      return;
    }
    used.add(z);
    compareZone(t, p, e, z, pageKiB);
  });
  const extra = r.zones.filter((z) => !used.has(z));
  t.eq(`${path}.zones(extra)`, [], extra.map((z) => `Node ${z.node} ${z.zone}`));
}

function compareReport(t: Tally, path: string, e: Json, r: FailureReport): void {
  t.eq(`${path}.kind`, e.kind, r.kind);
  t.eq(`${path}.process`, e.process, r.process);
  t.eq(`${path}.order`, e.order, r.order);
  t.eq(`${path}.mode`, e.mode, r.mode);
  t.eq(`${path}.flags`, e.flags, r.flags);
  // From 5.0 an OOM report states its nodemask and cpuset on the oom-kill: line, which the OOM-report
  // work reads; the header's own (4.9-4.20) and an allocation failure's are read here.
  // From 5.0 an OOM report states its nodemask on the oom-kill: line.
  t.eq(`${path}.nodemask`, e.nodemask, r.nodemask ?? r.oom?.nodemask);
  t.eq(`${path}.memsAllowed`, e.memsAllowed, r.memsAllowed);
  for (const [key, read] of Object.entries(OOM_FIELDS)) t.eq(`${path}.${key}`, e[key], subset(e[key], read(r)));
  compareZones(t, path, (e.zones as Json[] | undefined) ?? [], r);
}

function compareReports(t: Tally, expected: Json[], got: Got): void {
  const headed = got.reports.filter((r) => r.headerless !== true && r.kind !== 'meminfo');
  const headless = got.reports.filter((r) => r.headerless === true && r.kind !== 'meminfo');
  t.eq('reports(count with a header)', expected.filter((e) => e.headerLine !== null).length, headed.length);
  let nextHeadless = 0;
  expected.forEach((e, i) => {
    const path = `reports[${i}]`;
    const r =
      e.headerLine === null ? headless[nextHeadless++] : headed.find((c) => c.line === e.headerLine);
    if (r === undefined) {
      t.missing(path, `a report with its header on line ${String(e.headerLine)}`);
      return;
    }
    compareReport(t, path, e, r);
  });
}

function compareShowMem(t: Tally, expected: Json | Json[], got: Got): void {
  const list = Array.isArray(expected) ? expected : [expected];
  const bare = got.reports.filter((r) => r.kind === 'meminfo');
  list.forEach((e, i) => {
    const path = `showMem[${i}]`;
    const r = bare[i];
    if (r === undefined) {
      t.missing(path, `a Mem-Info block at line ${String(e.line)}`);
      return;
    }
    t.eq(`${path}.line`, e.line, r.line);
    t.eq(`${path}.freeSwapKiB`, e.freeSwapKiB, r.memInfo?.freeSwapKiB);
    compareZones(t, path, e.zones as Json[], r);
  });
}

function compareCaptures(t: Tally, expected: Json[], got: Got): void {
  const values = expected.filter((c) => (c.zones as Json[]).some((z) => z.values !== undefined));
  const counts = expected.filter((c) => !values.includes(c));
  t.eq('captures(count)', counts.length, got.snapshots.length);
  counts.forEach((c, i) => {
    const s = got.snapshots[i];
    const path = `captures[${i}]`;
    if (s === undefined) {
      t.missing(path, 'a buddyinfo snapshot');
      return;
    }
    t.eq(`${path}.orders`, c.orders, s.zones[0]?.counts.length);
    t.eq(`${path}.zones`, (c.zones as Json[]).map((z) => `Node ${z.node as number} ${z.zone as string}`), s.zones.map((z) => `Node ${z.node} ${z.zone}`));
    (c.zones as Json[]).forEach((z, k) => {
      const g = s.zones.find((x) => x.node === z.node && x.zone === z.zone);
      t.eq(`${path}.zones[${k}].counts`, z.counts, g?.counts);
    });
  });
  if (values.length > 0) compareIndexTables(t, 'captures(values)', values, got.extfrag);
}

function compareIndexTables(t: Tally, name: string, expected: Json[], tables: Got['extfrag']): void {
  t.eq(`${name}(count)`, expected.length, tables.length);
  expected.forEach((c, i) => {
    const path = `${name}[${i}]`;
    const table = tables[i];
    if (table === undefined) {
      t.missing(path, 'an index table');
      return;
    }
    (c.zones as Json[]).forEach((z, k) => {
      const row = table.rows.find((x) => x.node === z.node && x.zone === z.zone);
      t.eq(`${path}.zones[${k}](${z.zone as string}).values`, z.values, row?.values);
    });
    t.eq(`${path}.rows`, (c.zones as Json[]).length, table.rows.length);
  });
}

const ZONEINFO_KEYS: Record<string, string> = {
  pagesFree: 'freePages',
  min: 'min',
  low: 'low',
  high: 'high',
  spanned: 'spanned',
  present: 'present',
  managed: 'managed',
  protection: 'lowmemReserve',
  boost: 'boost',
  cma: 'cma',
  scanned: 'scanned',
  startPfn: 'startPfn',
  allUnreclaimable: 'allUnreclaimable',
  nrFreeCma: 'freeCma',
};

function compareZoneinfo(t: Tally, expected: Json[], got: Got): void {
  t.eq('zoneinfo(count)', expected.length, got.zoneinfo.length);
  expected.forEach((e, i) => {
    const path = `zoneinfo[${i}](Node ${e.node as number} ${e.zone as string})`;
    const z = got.zoneinfo.find((x) => x.node === e.node && x.zone === e.zone);
    if (z === undefined) {
      t.missing(path, 'a zoneinfo zone');
      return;
    }
    for (const [key, ours] of Object.entries(ZONEINFO_KEYS)) {
      // all_unreclaimable: is written down as printed (0 or 1) and read as a yes/no.
      const value = typeof z[ours] === 'boolean' ? Number(z[ours]) : z[ours];
      t.eq(`${path}.${key}`, e[key], value);
    }
  });
}

function cell(c: { count: number; atLeast: boolean }): string {
  return `${c.atLeast ? '>' : ''}${c.count}`;
}

function comparePagetypeinfo(t: Tally, path: string, e: Json, p: Got['pagetypeinfo'][number] | undefined): void {
  if (p === undefined) {
    t.missing(path, 'a pagetypeinfo');
    return;
  }
  t.eq(`${path}.pageBlockOrder`, e.pageBlockOrder, p.pageblockOrder);
  t.eq(`${path}.pagesPerBlock`, e.pagesPerBlock, p.pagesPerBlock);
  t.eq(`${path}.blockTypes`, e.blockTypes, p.blockTypes ?? p.typeNames);
  ((e.rows as Json[] | undefined) ?? []).forEach((row, i) => {
    const z = p.zones.find((x) => x.node === row.node && x.zone === row.zone);
    const counts = z?.free[row.type as string];
    t.eq(`${path}.rows[${i}](${row.zone as string} ${row.type as string})`, row.counts, counts?.map(cell));
  });
  ((e.blocks as Json[] | undefined) ?? []).forEach((b, i) => {
    const z = p.zones.find((x) => x.node === b.node && x.zone === b.zone);
    t.eq(`${path}.blocks[${i}](${b.zone as string})`, b.counts, z?.blocks);
  });
}

/** Compares a file's expectations with what was read. */
export function compareFile(e: Json, got: Got): FileResult {
  const t = new Tally();
  if (got.error !== undefined) t.eq('error', 'none', got.error);
  if (e.pageSizeKiB !== null) {
    const sized = got.reports.find((r) => r.pageSize !== undefined);
    t.eq('pageSizeKiB', e.pageSizeKiB, sized?.pageSize === undefined ? undefined : sized.pageSize / 1024);
  }
  if (e.kernelRelease !== null) t.eq('kernelRelease', e.kernelRelease, got.reports[0]?.kernel ?? got.logKernel);
  if (e.reports !== undefined) compareReports(t, e.reports as Json[], got);
  if (e.showMem !== undefined) compareShowMem(t, e.showMem as Json | Json[], got);
  if (e.captures !== undefined) compareCaptures(t, e.captures as Json[], got);
  const tables = [...((e.captures as Json[] | undefined) ?? []), ...((e.unusableIndex as Json[] | undefined) ?? [])];
  t.eq('index tables(count)', tables.filter((c) => (c.zones as Json[]).some((z) => z.values !== undefined)).length, got.extfrag.length);
  if (e.unusableIndex !== undefined) compareIndexTables(t, 'unusableIndex', e.unusableIndex as Json[], got.extfrag.filter((x) => x.file !== 'extfrag_index'));
  if (e.zoneinfo !== undefined) compareZoneinfo(t, e.zoneinfo as Json[], got);
  if (e.pagetypeinfo !== undefined) comparePagetypeinfo(t, 'pagetypeinfo', e.pagetypeinfo as Json, got.pagetypeinfo[0]);
  if (e.pagetypeinfoSnapshots !== undefined) {
    (e.pagetypeinfoSnapshots as Json[]).forEach((s, i) => comparePagetypeinfo(t, `pagetypeinfoSnapshots[${i}]`, s, got.pagetypeinfo[i]));
  }
  return { checked: t.checked, mismatches: t.mismatches };
}
