// `buddyinfo report`: every allocation-failure or OOM report in the logs, decoded, replayed and explained.

import { Option, type Command } from 'commander';
import { explain, generationFromShape, parseNodeList, type Reason } from '../analysis/explain.js';
import { gfpProfile } from '../analysis/gfp.js';
import { generationOf, reserveIndexRuleOf } from '../analysis/kernel.js';
import { checkMachine, type CheckResult, type ZoneResult } from '../analysis/zonelist.js';
import type { CliContext, CommonOptions } from '../cli.js';
import { makeChalk } from '../format/color.js';
import { renderReports } from '../format/report.js';
import { loadMachine, reportState, type InputOptions } from '../input.js';
import type { Io } from '../io.js';
import { InputError, type Generation, type GfpRequest } from '../model.js';
import { requestFromGfp } from '../parse/gfp-names.js';
import type { FailureReport } from '../parse/report.js';

/** Today's rules, for a report whose kernel neither the log nor its shape tells. */
const CURRENT: Generation = '6.18';

export interface ReportOptions extends InputOptions {
  kernel?: string;
  mark: 'min' | 'low' | 'high';
  explain: boolean;
  json: boolean;
  color: 0 | 1;
}

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
}

export interface ReportView {
  source: string;
  line: number;
  kind: FailureReport['kind'];
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
  kernel: string | null;
  kernelChoice: string;
  pageSize: number;
  zones: ReportZoneView[];
  check: CheckResult | null;
  why: Reason[];
  problems: { line: number; message: string }[];
}

function kib(pages: number | undefined, pageSize: number): number | null {
  return pages === undefined ? null : (pages * pageSize) / 1024;
}

/** Which kernel's rules replay this report, and why those. */
function kernelFor(report: FailureReport, forced: string | undefined, logKernel: string | undefined) {
  if (forced !== undefined) return { generation: generationOf(forced), release: forced, why: `kernel ${forced}, from --kernel` };
  const stated = report.kernel ?? logKernel;
  if (stated !== undefined) return { generation: generationOf(stated), release: stated, why: `kernel ${stated}, stated in the log` };
  const shape = generationFromShape(report);
  if (shape) return { generation: shape.generation, why: `the ${shape.generation} generation, judged from ${shape.why}; --kernel VERSION to choose` };
  return { generation: CURRENT, why: `today's (${CURRENT}) rules: the log states no kernel version; --kernel VERSION to choose` };
}

/** The request of a report, in the terms the check takes; `check` replays the same. */
export function requestOfReport(report: FailureReport, at: string): GfpRequest {
  if (report.flags && report.flagsFrom === 'printed') return requestFromGfp(report.flags, at);
  if (report.modeValue !== undefined) {
    // The names shown were decoded with the bit values of the kernel that logged the report (2.6.32-4.4's
    // when it states none: a header without names predates 4.5). Replay those names: decoding the value
    // again with the replayed kernel's bits could misread it (0xd0 is GFP_KERNEL up to 4.3, but has no
    // __GFP_DIRECT_RECLAIM in 6.x's layout).
    if (report.flags && report.flags.length > 0) {
      return { ...requestFromGfp(report.flags, at), name: `${report.mode} (${report.flags.join('|')})` };
    }
    return requestFromGfp(report.modeValue, at);
  }
  return gfpProfile('kernel');
}

/** Decodes, replays and explains one report. */
export function viewReport(report: FailureReport, opts: { kernel?: string; mark: 'min' | 'low' | 'high'; logKernel?: string; defaultPageSize: number }): ReportView {
  const pageSize = report.pageSize ?? opts.defaultPageSize;
  const kernel = kernelFor(report, opts.kernel, opts.logKernel);
  const state = reportState(report);
  const problems = [...report.problems];
  let check: CheckResult | null = null;
  let modern: CheckResult | null = null;
  let excludedPassing: ZoneResult[] = [];
  if (report.order !== null && state.zones.length > 0) {
    const allowed = parseNodeList(report.memsAllowed) ?? parseNodeList(report.nodemask);
    const inside = allowed ? state.zones.filter((z) => allowed.has(z.node)) : state.zones;
    const outside = allowed ? state.zones.filter((z) => !allowed.has(z.node)) : [];
    const gfp = requestOfReport(report, kernel.release ?? kernel.generation);
    const run = (zones: typeof state.zones, generation: Generation): CheckResult | null =>
      zones.length === 0
        ? null
        : checkMachine(
            { zones, watermarks: state.watermarks, types: state.types },
            {
              order: report.order ?? 0,
              mark: opts.mark,
              gfp,
              generation,
              reserveIndexRule: kernel.release ? reserveIndexRuleOf(kernel.release) : undefined,
              release: kernel.release,
            },
          );
    try {
      check = run(inside, kernel.generation);
      if (check && check.algorithm === 'legacy') modern = run(inside, '4.4');
      excludedPassing = run(outside, kernel.generation)?.zones.filter((z) => z.ok) ?? [];
    } catch (err) {
      // A zone without watermarks (a cut zone line) leaves the replay impossible, not the report unreadable.
      if (!(err instanceof InputError)) throw err;
      problems.push({ line: report.line, message: `the check cannot be replayed: ${err.message}` });
    }
  }
  return {
    source: report.source,
    line: report.line,
    kind: report.kind,
    time: report.time ?? null,
    process: report.process ?? null,
    pid: report.pid ?? null,
    order: report.order,
    sizeBytes: report.order === null ? null : 2 ** report.order * pageSize,
    mode: report.mode ?? null,
    flags: report.flags ?? [],
    flagsFrom: report.flagsFrom ?? null,
    nodemask: report.nodemask ?? null,
    cpuset: report.cpuset ?? null,
    memsAllowed: report.memsAllowed ?? null,
    kernel: kernel.release ?? null,
    kernelChoice: kernel.why,
    pageSize,
    zones: report.zones.map((z) => ({
      node: z.node,
      zone: z.zone,
      free: z.free?.free ?? null,
      freeKiB: kib(z.watermarks?.freePages, pageSize) ?? z.freeKiB ?? null,
      freeAreaKiB: z.freeKiB ?? null,
      minKiB: kib(z.watermarks?.min, pageSize),
      lowKiB: kib(z.watermarks?.low, pageSize),
      highKiB: kib(z.watermarks?.high, pageSize),
      boostKiB: kib(z.watermarks?.boost, pageSize),
      freeCmaKiB: kib(z.watermarks?.freeCma, pageSize),
      lowmemReserve: z.lowmemReserve ?? null,
      types: z.types ?? null,
    })),
    check,
    why: report.order === null ? [] : explain({ report, check, modern, excludedPassing, pageSize }),
    problems,
  };
}

export async function runReport(io: Io, opts: ReportOptions): Promise<{ reports: ReportView[]; notes: string[] }> {
  if (opts.files.length === 0 && !io.stdinHasData) {
    throw new InputError(
      'report reads kernel logs: give a file (dmesg output, kern.log, a pasted report) or pipe one in, e.g. "journalctl -k | buddyinfo report".',
    );
  }
  // Every input is a log: its reports may come after megabytes of other messages, or after buddyinfo lines.
  const machine = await loadMachine(io, { ...opts, keepSnapshots: true, allowEmpty: true, logs: true });
  if (machine.reports.length === 0) {
    throw new InputError(
      `${machine.sources.join(', ')}: found no allocation-failure report, OOM report or Mem-Info block ("page allocation failure: order:N, mode:0x..." and the zone lines after it).`,
    );
  }
  const logKernel = machine.kernel?.version;
  const reports = machine.reports.map((r) =>
    viewReport(r, { kernel: opts.kernel, mark: opts.mark, logKernel, defaultPageSize: machine.pageSize }),
  );
  // The reports list their own problems; keep only the notes that are not one of them.
  const own = new Set(machine.reports.flatMap((r) => r.problems.map((p) => `${r.source}, line ${p.line}: ${p.message}`)));
  return { reports, notes: machine.notes.filter((n) => !own.has(n)) };
}

export async function report(io: Io, opts: ReportOptions): Promise<number> {
  const { reports, notes } = await runReport(io, opts);
  if (opts.json) io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else io.stdout.write(renderReports(reports, notes, { color: makeChalk(opts.color), explain: opts.explain }));
  return 0;
}

const EXAMPLES = `
Examples:
  $ buddyinfo report /var/log/kern.log
  $ journalctl -k -b -1 | buddyinfo report
  $ buddyinfo report --explain fixtures/reports/2.6.32-dot-header-printk-time.txt
  $ buddyinfo report --json fixtures/reports/multi-report-4.4-then-3.2.txt | jq '.[].why'`;

export function register(prog: Command, ctx: CliContext): void {
  ctx
    .common(
      prog
        .command('report')
        .description('find every page allocation failure and OOM report in kernel logs, decode it, replay its check and say why it failed')
        .argument('[file...]', 'dmesg, journalctl -k, kern.log, a console capture or a pasted report; none: piped input'),
      false,
    )
    .option('--kernel <version>', 'replay this kernel release\'s rules instead of the one the log states')
    .addOption(new Option('--mark <mark>', 'the watermark replayed (the slow path, which printed the report, uses min)').choices(['min', 'low', 'high']).default('min'))
    .option('-v, --explain', 'print every step of each replayed check', false)
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], o: CommonOptions & { kernel?: string; mark: 'min' | 'low' | 'high'; explain: boolean }) => {
      ctx.exit(await report(ctx.io, { ...o, files, color: ctx.colorOf(o) }));
    });
}
