// Renders the reports found in logs: who failed, what was asked, the zones, the replayed check, and why.

import type { Reason } from '../analysis/explain.js';
import type { OomDiagnosis } from '../analysis/oom.js';
import type { MemInfoTotals } from '../parse/report-oom-types.js';
import type { CheckResult } from '../analysis/zonelist.js';
import type { FailureReport } from '../parse/report-types.js';
import { renderCheck } from './check.js';
import { kernelPhrase, type KernelFacts } from './kernel.js';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';
import { REPORT_KIND, kb } from './report-words.js';

/** One zone as the JSON lists it: the report's numbers, in the units it printed them. */
export interface ReportZoneView {
  node: number;
  zone: string;
  free: number[] | null;
  /** The zone line's free: (NR_FREE_PAGES, what the check reads); the free-area total when no zone line. */
  freeKiB: number | null;
  /** The free-area line's "= N kB" total, which drifts from free: (kernel.md section 3, item 6). */
  freeAreaKiB: number | null;
  minKiB: number | null;
  lowKiB: number | null;
  highKiB: number | null;
  boostKiB: number | null;
  freeCmaKiB: number | null;
  lowmemReserve: number[] | null;
  types: string[] | null;
  /** The report printed the zone as "empty" (older kernels, an unpopulated zone). */
  empty: boolean;
}

export interface ReportView extends KernelFacts {
  source: string;
  line: number;
  kind: FailureReport['kind'];
  /** The header is not in the input; the kind was told from the stack before the dump. */
  headerless: boolean;
  /** A stall warning's wait so far, in milliseconds. */
  stallMs: number | null;
  time: string | null;
  process: string | null;
  pid: number | null;
  order: number | null;
  sizeBytes: number | null;
  mode: string | null;
  flags: string[];
  flagsFrom: 'printed' | 'decoded' | null;
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  /** Sentences about the kernel choice (a distribution kernel, a shape that disagrees...). */
  kernelNotes: string[];
  pageSize: number;
  zones: ReportZoneView[];
  check: CheckResult | null;
  why: Reason[];
  problems: { line: number; message: string }[];
  /** For an OOM report: its kind and the facts behind it (kernel.md 6); null otherwise. */
  oom: OomDiagnosis | null;
  /** show_mem's totals as printed (pages), swap (kB), RAM (pages); null when the report has none. */
  memInfo: MemInfoTotals | null;
}

export interface RenderReportOptions {
  color: ChalkInstance;
  explain: boolean;
}

/** Per-order counts, with the migratetype letters after the orders that printed them. */
function blocks(z: ReportZoneView): string {
  if (z.empty) return 'none: the zone is empty';
  if (!z.free) return 'free-area line missing or cut short';
  return z.free.map((n, o) => `${count(n)}${z.types?.[o] ? `(${z.types[o]})` : ''}`).join(' ');
}

function zoneLines(z: ReportZoneView): string[] {
  const marks = `min ${kb(z.minKiB)}, low ${kb(z.lowKiB)}, high ${kb(z.highKiB)}${z.boostKiB ? ` (boost ${kb(z.boostKiB)})` : ''}`;
  const reserve = z.lowmemReserve ? `; lowmem_reserve ${z.lowmemReserve.join(' ')} pages` : '';
  const cma = z.freeCmaKiB ? `; free CMA ${kb(z.freeCmaKiB)}` : '';
  const area = z.freeAreaKiB !== null && z.freeAreaKiB !== z.freeKiB ? ` (free-area lines: ${kb(z.freeAreaKiB)})` : '';
  return [
    `    Node ${z.node} ${z.zone}: free ${kb(z.freeKiB)}${area}; ${marks}${reserve}${cma}`,
    `      free blocks per order: ${blocks(z)}`,
  ];
}

/** The report's summary of memory: show_mem's totals, swap and RAM, and the task the OOM killer took. */
function memInfoLines(r: ReportView): string[] {
  const out: string[] = [];
  const u = r.oom?.use;
  const m = r.memInfo;
  if (u != null) {
    const ram = u.ramKiB === null ? '' : ` of ${humanBytes(u.ramKiB * 1024)} RAM`;
    out.push(
      `  Mem-Info: free ${humanBytes(u.freeKiB * 1024)}${ram}; anon ${humanBytes(u.anonKiB * 1024)} (shmem ${humanBytes(u.shmemKiB * 1024)}), page cache ${humanBytes(u.fileKiB * 1024)}, unreclaimable slab ${humanBytes(u.slabUnreclaimableKiB * 1024)}, page tables ${humanBytes(u.pageTablesKiB * 1024)}`,
    );
  }
  if (m?.freeSwapKiB !== undefined || m?.totalSwapKiB !== undefined) out.push(`  Swap: ${kb(m.freeSwapKiB ?? null)} free of ${kb(m.totalSwapKiB ?? null)}`);
  const c = r.oom?.memcg?.counter;
  if (c != null) out.push(`  Memory cgroup ${r.oom?.memcg?.cgroup ?? ''}: ${c.name} usage ${kb(c.usageKiB)} of limit ${kb(c.limitKiB)}, failcnt ${count(c.failcnt)}`);
  const k = r.oom?.killed;
  if (k != null) {
    const sizes = (
      [
        ['total-vm', k.totalVmKiB],
        ['anon-rss', k.anonRssKiB],
        ['file-rss', k.fileRssKiB],
        ['shmem-rss', k.shmemRssKiB],
      ] as const
    ).flatMap(([n, v]) => (v === undefined ? [] : [`${n} ${kb(v)}`]));
    out.push(`  Killed: ${k.comm} (pid ${k.pid})${sizes.length > 0 ? `: ${sizes.join(', ')}` : ''}`);
  }
  return out;
}

function renderOne(r: ReportView, index: number, total: number, opts: RenderReportOptions): string {
  const c = opts.color;
  const out: string[] = [];
  out.push(c.bold(`Report ${index + 1} of ${total}: ${r.source}, line ${r.line}`));
  const who = [r.time ? `[${r.time}]` : undefined, r.process ?? undefined, r.pid !== null ? `(pid ${r.pid})` : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  const size = r.order === null || r.sizeBytes === null ? '' : `, order ${r.order} (${humanBytes(r.sizeBytes)})`;
  const stalled = r.stallMs === null ? '' : ` for ${count(r.stallMs)} ms`;
  const told = r.headerless ? ' (its header is not in the input; its stack shows it)' : '';
  out.push(`  ${who ? `${who}: ` : ''}${REPORT_KIND[r.kind]}${stalled}${size}${told}`);
  if (r.mode !== null) {
    const names = r.flags.length > 0 ? `: ${r.flags.join('|')}${r.flagsFrom === 'decoded' ? ' (decoded from the value)' : ''}` : '';
    out.push(`  GFP mode ${r.mode}${names}`);
  }
  const placement = [
    r.nodemask !== null ? `nodemask ${r.nodemask}` : undefined,
    r.cpuset !== null ? `cpuset ${r.cpuset}` : undefined,
    r.memsAllowed !== null ? `mems_allowed ${r.memsAllowed}` : undefined,
  ].filter((x) => x !== undefined);
  if (placement.length > 0) out.push(`  ${placement.join(', ')}`);
  out.push(...memInfoLines(r));
  out.push(`  Replaying ${kernelPhrase(r)}.`);
  for (const n of r.kernelNotes) out.push(`  Note: ${n}`);
  if (r.zones.length > 0) {
    out.push('  Zones:');
    for (const z of r.zones) out.push(...zoneLines(z));
  }
  if (r.check) {
    for (const n of r.check.notes ?? []) out.push(`  Note: ${n}`);
    out.push('');
    const text = renderCheck(r.check, { color: c, pageSize: r.pageSize, explain: opts.explain });
    out.push(...text.trimEnd().split('\n').map((l) => (l === '' ? '' : `  ${l}`)));
  }
  if (r.why.length > 0) {
    out.push('', `  ${c.bold('Why:')}`);
    for (const w of r.why) out.push(`  - ${w.text}`);
  }
  if (r.problems.length > 0) {
    out.push('', '  Could not read all of it:');
    for (const p of r.problems) out.push(`  - line ${p.line}: ${p.message}`);
  }
  return out.join('\n');
}

export function renderReports(reports: ReportView[], notes: string[], opts: RenderReportOptions): string {
  const head = notes.length > 0 ? `${notes.map((n) => opts.color.yellow(n)).join('\n')}\n\n` : '';
  const failures = reports.filter((r) => r.kind !== 'meminfo' && !r.headerless).length;
  const summary = `Found ${reports.length} report${reports.length === 1 ? '' : 's'} (${failures} with a failure header).\n\n`;
  return `${head}${summary}${reports.map((r, i) => renderOne(r, i, reports.length, opts)).join('\n\n')}\n`;
}
