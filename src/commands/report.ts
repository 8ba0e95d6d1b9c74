// `buddyinfo report`: every allocation-failure or OOM report in the logs, decoded, replayed and explained.

import { Option, type Command } from 'commander';
import { thresholdOf } from '../analysis/compaction.js';
import type { Threshold } from '../analysis/next-types.js';
import { replayReport } from '../analysis/report-replay.js';
import { makeChalk } from '../format/color.js';
import { kernelFacts } from '../format/kernel.js';
import { renderReports, type ReportView } from '../format/report.js';
import { fitText } from '../format/wrap.js';
import { liveKernelLog } from '../input/kernel-log.js';
import { decidePageSize, loadMachine } from '../input/machine.js';
import { reportState } from '../input/reports.js';
import { readsStdin, type InputOptions } from '../input/sources.js';
import type { Io } from '../io.js';
import type { KernelAsk } from '../kernel/choice.js';
import { InputError } from '../model.js';
import type { FailureReport } from '../parse/report-types.js';
import { kernelAsk, kernelOptions, outputOptions, terminalWidth, type CliContext, type CommonOptions, type KernelOptions } from './context.js';
import { boundedNumber } from './options.js';
import { emit, pageOptions, resolvePageFormat } from './page-output.js';

export interface ReportOptions extends InputOptions {
  kernel: KernelAsk;
  mark: 'min' | 'low' | 'high';
  /** --extfrag-threshold: vm.extfrag_threshold for compaction's decision; else a sysctl -a input's, else 500. */
  extfragThreshold?: number;
  explain: boolean;
  json: boolean;
  /** --format text, json or html; --output FILE. */
  format?: string;
  output?: string;
  color: 0 | 1;
}

function kib(pages: number | undefined, pageSize: number): number | null {
  return pages === undefined ? null : (pages * pageSize) / 1024;
}

/** Decodes, replays and explains one report: the view the JSON prints and the text renders. */
export function viewReport(
  report: FailureReport,
  opts: { ask: KernelAsk; mark: 'min' | 'low' | 'high'; defaultPageSize: number; threshold?: Threshold; log?: readonly FailureReport[] },
): ReportView {
  const pageSize = report.pageSize ?? opts.defaultPageSize;
  const replay = replayReport(report, reportState(report), { ask: opts.ask, mark: opts.mark, pageSize, threshold: opts.threshold, log: opts.log });
  return {
    source: report.source,
    line: report.line,
    kind: report.kind,
    headerless: report.headerless === true,
    stallMs: report.stallMs ?? null,
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
    ...kernelFacts(replay.kernel),
    kernelNotes: replay.kernel.notes,
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
      empty: z.empty === true,
    })),
    check: replay.check,
    why: replay.why,
    problems: replay.problems,
    oom: replay.oom ?? null,
    memInfo: report.memInfo ?? null,
  };
}

export async function runReport(io: Io, opts: ReportOptions): Promise<{ reports: ReportView[]; notes: string[] }> {
  if (opts.files.length === 0 && !readsStdin(io, { logs: true })) return liveReport(io, opts);
  // Every input is a log: its reports may come after megabytes of other messages, or after buddyinfo lines.
  const machine = await loadMachine(io, { ...opts, keepSnapshots: true, allowEmpty: true, logs: true });
  if (machine.reports.length === 0) {
    throw new InputError(
      `${machine.sources.join(', ')}: found no allocation-failure report, OOM report or Mem-Info block ("page allocation failure: order:N, mode:0x..." and the zone lines after it).`,
    );
  }
  const notes: string[] = [];
  const threshold = thresholdOf(opts.extfragThreshold, machine.sysctls?.['vm.extfrag_threshold'], notes);
  const reports = machine.reports.map((r) => viewReport(r, { ask: opts.kernel, mark: opts.mark, defaultPageSize: machine.pageSize, threshold, log: machine.reports }));
  // The reports list their own problems; keep only the notes that are not one of them.
  const own = new Set(machine.reports.flatMap((r) => r.problems.map((p) => `${r.source}, line ${p.line}: ${p.message}`)));
  return { reports, notes: [...machine.notes.filter((n) => !own.has(n)), ...notes] };
}

/** No FILE and nothing piped in: the running kernel's own log (/dev/kmsg, else dmesg), at its page size. */
function liveReport(io: Io, opts: ReportOptions): { reports: ReportView[]; notes: string[] } {
  const log = liveKernelLog(io);
  if (log.reports.length === 0) {
    throw new InputError(
      `${log.source}: the running kernel's log holds no allocation-failure report, OOM report or Mem-Info block; it keeps only the latest messages, so look in older logs too, e.g. "journalctl -k -b -1 | buddyinfo report".`,
    );
  }
  // Each report states its release on its dump_stack line; the page size is this kernel's.
  const { pageSize } = decidePageSize(opts.pageSize, io.livePageSize(), undefined);
  const reports = log.reports.map((r) => viewReport(r, { ask: opts.kernel, mark: opts.mark, defaultPageSize: pageSize, log: log.reports }));
  const own = new Set(log.reports.flatMap((r) => r.problems.map((p) => `${r.source}, line ${p.line}: ${p.message}`)));
  return { reports, notes: log.notes.filter((n) => !own.has(n)) };
}

export async function report(io: Io, opts: ReportOptions): Promise<number> {
  const format = resolvePageFormat(opts.json, opts.format);
  const { reports, notes } = await runReport(io, opts);
  // The page is loaded only when asked for, so the other formats' start-up does not pay for it.
  if (format === 'html') {
    const words = renderReports(reports, notes, { color: await makeChalk(0), explain: opts.explain });
    await emit(io, opts.output, (await import('../format/html/report.js')).reportPage(reports, notes, words));
  }
  else if (format === 'json') await emit(io, opts.output, `${JSON.stringify(reports, null, 2)}\n`);
  else if (opts.output !== undefined) await emit(io, opts.output, renderReports(reports, notes, { color: await makeChalk(0), explain: opts.explain }));
  else io.stdout.write(fitText(renderReports(reports, notes, { color: await makeChalk(opts.color), explain: opts.explain }), terminalWidth(io)));
  return 0;
}

const EXAMPLES = `
Examples:
  $ buddyinfo report /var/log/kern.log
  $ journalctl -k -b -1 | buddyinfo report

From a clone of the repository (fixtures/ holds real reports):
  $ buddyinfo report --explain fixtures/reports/2.6.32-dot-header-printk-time.txt
  $ buddyinfo report --json fixtures/reports/multi-report-4.4-then-3.2.txt | jq '.[].why'`;

export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('report')
    .description('find every page allocation failure and OOM report in kernel logs, decode it, replay its check and say why it failed')
    .argument('[file...]', 'dmesg, journalctl -k, kern.log, a console capture, a pasted report or a sosreport; none: piped input, else the running kernel\'s log (/dev/kmsg, or dmesg)');
  pageOptions(outputOptions(cmd));
  kernelOptions(cmd)
    .addOption(new Option('--mark <mark>', 'the watermark replayed (the slow path, which printed the report, uses min)').choices(['min', 'low', 'high']).default('min'))
    .option(
      '--extfrag-threshold <n>',
      "the box's vm.extfrag_threshold (0-1000) for compaction's decision; default: a sysctl -a file among the inputs, else 500",
      boundedNumber(0, 1000, '--extfrag-threshold 500'),
    )
    .option('-v, --explain', 'print every step of each replayed check')
    .addHelpText('after', EXAMPLES)
    .action(
      async (
        files: string[],
        o: CommonOptions & KernelOptions & { mark: 'min' | 'low' | 'high'; explain?: boolean; extfragThreshold?: number; format?: string; output?: string },
      ) => {
        ctx.exit(
          await report(ctx.io, {
            files,
            mark: o.mark,
            extfragThreshold: o.extfragThreshold,
            json: o.json === true,
            format: o.format,
            output: o.output,
            explain: o.explain === true,
            kernel: kernelAsk(o),
            color: ctx.colorOf(o),
          }),
        );
      },
    );
}
