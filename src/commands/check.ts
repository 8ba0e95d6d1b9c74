// `buddyinfo check`: would an order-N allocation succeed here, replayed as the kernel's watermark check.

import { Option, type Command } from 'commander';
import { allocFlags, parseAllocFlag, pathForMark, type AllocFlag } from '../analysis/alloc-flags.js';
import { gfpProfile, GFP_PROFILES, requestFromUser } from '../analysis/gfp-request.js';
import { compareIndexTables } from '../analysis/kernel-indices.js';
import { allowedNodesOf } from '../analysis/allowed-nodes.js';
import { kernelOfMachine } from '../analysis/kernel-of.js';
import { requestOfReport } from '../analysis/report-replay.js';
import { thresholdOf } from '../analysis/compaction.js';
import { actionsFor, pageblockOf } from '../analysis/actions.js';
import { countGate, type CountGate } from '../analysis/count-gate.js';
import { addNextStep } from '../analysis/next-step.js';
import { proactiveScore, proactivenessOf } from '../analysis/proactive.js';
import { asksWhatIf, whatIf, type WhatIf, type WhatIfAsk } from '../analysis/what-if.js';
import { checkMachine, layoutOf, type CheckRequest, type CheckResult } from '../analysis/zonelist.js';
import { renderCheck } from '../format/check.js';
import { gateLines } from '../format/count-gate.js';
import { whatIfLines } from '../format/what-if.js';
import { makeChalk } from '../format/color.js';
import { kernelPhrase, rulesLines } from '../format/kernel.js';
import { humanBytes, parseSize } from '../format/units.js';
import { fitText } from '../format/wrap.js';
import { loadMachine } from '../input/machine.js';
import type { InputOptions } from '../input/sources.js';
import type { Io } from '../io.js';
import { gfpRelease, type KernelAsk } from '../kernel/choice.js';
import { InputError, type GfpRequest } from '../model.js';
import type { FailureReport } from '../parse/report-types.js';
import { forceOption, inputOptions, kernelAsk, kernelOptions, outputOptions, terminalWidth, type CliContext, type CommonOptions, type KernelOptions } from './context.js';
import { boundedNumber, expected, orderNumber, wholeNumber } from './options.js';
import { emit, pageOptions, resolvePageFormat } from './page-output.js';

export interface CheckOptions extends InputOptions {
  order?: number;
  size?: number;
  mark: 'min' | 'low' | 'high';
  /** A profile, hex mode or flag names; absent: the request of the input's last failure report, else GFP_KERNEL. */
  gfp?: string;
  /** --kernel, --algorithm, --rules. */
  kernel: KernelAsk;
  orderShift?: number;
  flag: AllocFlag[];
  min?: number;
  low?: number;
  high?: number;
  reserve?: number;
  node?: number;
  zone?: string;
  /** --extfrag-threshold: vm.extfrag_threshold to replay instead of the one read (or the default 500). */
  extfragThreshold?: number;
  /** --min-free-kbytes, --watermark-scale-factor, --lowmem-reserve-ratio: recompute the marks first. */
  whatIf?: WhatIfAsk;
  /** --count K: also require K free blocks of the order (larger ones split) on some node. */
  count?: number;
  explain: boolean;
  json: boolean;
  /** --format text, json or html; --output FILE. */
  format?: string;
  output?: string;
  /** --quiet: the exit status alone says the verdict. */
  quiet?: boolean;
  color: 0 | 1;
}

/** get_order(): the smallest order whose blocks hold `bytes`, as the kernel rounds a size up. */
export function orderOfSize(bytes: number, pageSize: number): number {
  let order = 0;
  while (2 ** order * pageSize < bytes) order++;
  return order;
}

/**
 * --size: the bytes requested, 1 or more. get_order() (include/asm-generic/getorder.h) leaves its result
 * for a size of 0 undefined, and no caller asks the buddy allocator for no memory.
 */
export function parseRequestSize(text: string): number {
  const bytes = parseSize(text);
  if (bytes === undefined || bytes < 1) throw expected('a size of at least 1 byte, in bytes or with K, M or G', '--size 64K');
  return bytes;
}

export interface CheckOutput extends CheckResult {
  pageSize: number;
  sizeRoundedUp?: { bytes: number; blockBytes: number };
  /** The failure report whose request (order, GFP mode) was replayed, when the user gave none. */
  replayedReport?: {
    source: string;
    line: number;
    order: number | null;
    mode: string | null;
    took: ('order' | 'mode')[];
    /** The nodes the walk was limited to ("0", "0,2"), as the report's nodemask or cpuset allowed. */
    nodes?: { list: string; by: 'nodemask' | 'cpuset' | 'nodemask and cpuset' };
  };
  /** The what-if that recomputed the marks, without the recomputed zones themselves (they are in zones[]). */
  whatIf?: Omit<WhatIf, 'watermarks'>;
  /** With --count: the count gate; `ok` is then both verdicts, `watermarkOk` the check's alone. */
  gate?: CountGate;
  watermarkOk?: boolean;
  /** With --count: which of the two failed. */
  failed?: ('watermark' | 'count')[];
  /** Free swap as a procfs's meminfo gave it: the next step counts anonymous pages reclaimable only above 0. */
  swap?: { freeKiB: number; totalKiB?: number; origin: string };
  notes: string[];
}

/** The request: --gfp as typed, else the failing request of the report, else GFP_KERNEL. */
function requestOf(text: string | undefined, report: FailureReport | undefined, at: string): GfpRequest {
  if (text !== undefined) return requestFromUser(text, at);
  return report ? requestOfReport(report, at) : gfpProfile('kernel');
}

/** Runs the check on the inputs; the JSON is this object, the text one rendering of it. */
export async function runCheck(io: Io, opts: CheckOptions): Promise<CheckOutput> {
  // --quiet prints nothing, so it needs the verdict alone: not the next step (compaction's and reclaim's
  // outlook, the actions) nor the vm sysctls it reads, unless a what-if recomputes the marks from them.
  const full = opts.quiet !== true;
  const sysctls = full || (opts.whatIf !== undefined && asksWhatIf(opts.whatIf));
  const machine = await loadMachine(io, { ...opts, want: { watermarks: true, types: true, sysctls } });
  if (opts.order !== undefined && opts.size !== undefined) {
    throw new InputError('give either --order or --size, not both.');
  }
  // A failure report states the request that failed: replay it unless the user asks another.
  const report = [...machine.reports].reverse().find((r) => r.order !== null && r.zones.some((z) => z.free));
  const order = opts.order ?? (opts.size !== undefined ? orderOfSize(opts.size, machine.pageSize) : report?.order);
  if (order === undefined || order === null) {
    throw new InputError('check needs the allocation size: give --order N (e.g. --order 4) or --size BYTES (e.g. --size 64K).');
  }
  const kernel = kernelOfMachine(machine, opts.kernel);
  const gfp = requestOf(opts.gfp, report, gfpRelease(kernel));
  const last = machine.snapshots[machine.snapshots.length - 1];
  let input = { zones: last?.zones ?? [], watermarks: machine.watermarks, types: machine.types };
  const took: ('order' | 'mode')[] = [];
  if (report && opts.order === undefined && opts.size === undefined) took.push('order');
  if (report && opts.gfp === undefined && report.mode !== undefined) took.push('mode');
  let limited: NonNullable<CheckOutput['replayedReport']>['nodes'];
  if (report && took.length > 0 && opts.node === undefined) {
    // The report's request could use only its nodemask's nodes (and its cpuset's under ALLOC_CPUSET): the
    // same walk report replays.
    const allowed = allowedNodesOf(report, allocFlags(gfp, kernel.rules, order, { path: pathForMark(opts.mark), extra: opts.flag }));
    if (allowed !== undefined) {
      input = { ...input, zones: input.zones.filter((z) => allowed.nodes.has(z.node)) };
      limited = { list: allowed.text, by: allowed.by };
    }
  }
  let setup: WhatIf | undefined;
  if (opts.whatIf !== undefined && asksWhatIf(opts.whatIf)) {
    const pageblockPages = pageblockOf(input, machine.pageSize);
    setup = whatIf(machine.watermarks, opts.whatIf, { rules: kernel.rules, layout: layoutOf(input), pageSize: machine.pageSize, sysctls: machine.sysctls, pageblockPages });
    input = { ...input, watermarks: setup.watermarks };
  }
  const request: CheckRequest = {
    order,
    mark: opts.mark,
    gfp,
    kernel,
    orderShift: opts.orderShift,
    extraFlags: opts.flag,
    overrides: { min: opts.min, low: opts.low, high: opts.high, reserve: opts.reserve },
    node: opts.node,
    zone: opts.zone,
  };
  const result = checkMachine(input, request);
  const notes = [...machine.notes, ...compareIndexTables(machine.indexTables), ...kernel.notes];
  if (full) {
    const threshold = thresholdOf(opts.extfragThreshold, machine.sysctls?.['vm.extfrag_threshold'], notes);
    addNextStep(result, input, request, { threshold, ...(machine.swap === undefined ? {} : { freeSwapKiB: machine.swap.freeKiB }) });
    const proactiveness = proactivenessOf(machine.sysctls?.['vm.compaction_proactiveness'], notes);
    const proactive = proactiveScore(input.zones, input.watermarks, { era: kernel.rules.proactive, pageSize: machine.pageSize, proactiveness });
    if (proactive !== undefined) result.proactive = proactive;
    if (result.next !== undefined) {
      const ctx = { input, req: request, layout: layoutOf(input), pageSize: machine.pageSize, sysctls: machine.sysctls, proactive, pageblockPages: pageblockOf(input, machine.pageSize) };
      result.next.actions = actionsFor(result, ctx);
    }
  }
  notes.push(...(result.notes ?? []));
  const out: CheckOutput = { ...result, pageSize: machine.pageSize, notes };
  if (full && machine.swap !== undefined) out.swap = machine.swap;
  if (opts.count !== undefined) {
    const gate = countGate(result, input, order, opts.count);
    const failed = [...(result.ok ? [] : (['watermark'] as const)), ...(gate.ok ? [] : (['count'] as const))];
    Object.assign(out, { ok: failed.length === 0, watermarkOk: result.ok, gate, failed });
  }
  if (setup !== undefined) {
    const { watermarks: _recomputed, ...shown } = setup;
    out.whatIf = shown;
  }
  if (report && took.length > 0) {
    out.replayedReport = { line: report.line, source: report.source, order: report.order, mode: report.mode ?? null, took };
    if (limited !== undefined) out.replayedReport.nodes = limited;
  }
  if (opts.size !== undefined && 2 ** order * machine.pageSize !== opts.size) {
    out.sizeRoundedUp = { bytes: opts.size, blockBytes: 2 ** order * machine.pageSize };
  }
  return out;
}

/** --count: a whole number of blocks, 1 or more. */
export function parseCount(text: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) throw expected('a whole number of blocks, 1 or more', '--count 4');
  return Number(text);
}

/** --lowmem-reserve-ratio 256,256,32,0,0 (commas or spaces): whole numbers from 0 up. */
export function parseRatios(text: string): number[] {
  const parts = text.trim().split(/[\s,]+/);
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p))) {
    throw expected('whole numbers, one per zone type', '--lowmem-reserve-ratio 256,256,32,0,0');
  }
  return parts.map(Number);
}

/** The text rendering of a check: what was replayed, then the verdict per zone. */
async function checkText(out: CheckOutput, opts: CheckOptions): Promise<string> {
  const c = await makeChalk(opts.color);
  const head: string[] = [];
  if (out.sizeRoundedUp) {
    head.push(
      `${humanBytes(out.sizeRoundedUp.bytes)} is not a whole block: the kernel rounds it up to order ${out.order} (${humanBytes(out.sizeRoundedUp.blockBytes)}).`,
    );
  }
  for (const n of out.notes) head.push(c.yellow(n));
  if (out.replayedReport) {
    const r = out.replayedReport;
    const what = [
      r.took.includes('order') ? `order ${r.order}` : undefined,
      r.took.includes('mode') && r.mode ? `mode ${r.mode}` : undefined,
    ].filter((x) => x !== undefined);
    head.push(
      `Replaying the ${what.join(' and ')} of the failed request in the report at ${r.source}, line ${r.line}; --order and --gfp ask another.`,
    );
    if (r.nodes !== undefined) {
      const one = !/[,-]/.test(r.nodes.list);
      head.push(`Only node${one ? '' : 's'} ${r.nodes.list} ${one ? 'is' : 'are'} walked, as the report's ${r.nodes.by} allowed; --node N checks another.`);
    }
  }
  head.push(`Replaying ${kernelPhrase(out)}.`);
  if (out.whatIf !== undefined) head.push(...whatIfLines({ ...out.whatIf, watermarks: [] }));
  if (opts.explain) head.push('Rule axes:', ...rulesLines(out));
  if (out.gate !== undefined) head.push(...gateLines(out, c));
  return `${head.join('\n')}\n${renderCheck(out, { color: c, pageSize: out.pageSize, explain: opts.explain })}`;
}

export async function check(io: Io, opts: CheckOptions): Promise<number> {
  const format = resolvePageFormat(opts.json, opts.format);
  const out = await runCheck(io, opts);
  // --quiet: nothing on standard output, the exit status is the verdict; errors still go to standard error.
  if (opts.quiet) return out.ok ? 0 : 1;
  if (format === 'html') {
    // Loaded only when asked for, so the other formats' start-up does not pay for the page.
    await emit(io, opts.output, (await import('../format/html/check.js')).checkPage(out, await checkText(out, { ...opts, color: 0 })));
  } else if (format === 'json') {
    await emit(io, opts.output, `${JSON.stringify(out, null, 2)}\n`);
  } else if (opts.output !== undefined) {
    await emit(io, opts.output, await checkText(out, { ...opts, color: 0 }));
  } else {
    io.stdout.write(fitText(await checkText(out, opts), terminalWidth(io)));
  }
  return out.ok ? 0 : 1;
}

const EXAMPLES = `
Examples:
  $ buddyinfo check --order 4              would an order-4 (64 KiB) GFP_KERNEL allocation succeed now?
  $ buddyinfo check --size 2M --gfp atomic --explain
  $ buddyinfo check --order 9 --quiet || echo "an order-9 GFP_KERNEL allocation would fail"
  $ buddyinfo check --order 3 --kernel 4.4 --proc /proc --json

From a clone of the repository (fixtures/ holds real captures):
  $ buddyinfo check --order 4 --kernel 2.6.32 --explain fixtures/reports/seed-000-excerpt.txt`;

export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('check')
    .description('replay the kernel\'s watermark check for an order-N allocation: exit 0 if it would succeed, 1 if not')
    .argument('[file...]', 'buddyinfo, zoneinfo, pagetypeinfo or kernel log files, recognised by content; "-" reads standard input; none: a file on standard input or a pipe at a terminal, else the live /proc');
  forceOption(inputOptions(cmd));
  pageOptions(outputOptions(cmd));
  cmd
    .option('--order <n>', 'the allocation order (2^n pages)', orderNumber(63))
    .option('--size <bytes>', 'the allocation size instead of --order (64K, 2M; at least 1 byte): rounded up to an order', parseRequestSize)
    .addOption(new Option('--mark <mark>', 'the watermark: min (slow path), low (fast path), high (after OOM)').choices(['min', 'low', 'high']).default('min'))
    .option(
      '--gfp <request>',
      `the request: a profile (${GFP_PROFILES.join(', ')}), a hex mode (0x6200ca) or flag names (GFP_KERNEL|__GFP_COMP); default: a report's own request, else kernel`,
    );
  kernelOptions(cmd)
    .addOption(new Option('--algorithm <name>', 'force the legacy (<= 4.3) or modern (>= 4.4) check').choices(['legacy', 'modern']))
    .option('--order-shift <n>', 'Android\'s min_free_order_shift for the legacy loop (default 1)', wholeNumber('a whole number', '--order-shift 1'))
    .option(
      '--flag <ALLOC_FLAG>',
      'add an alloc flag, e.g. ALLOC_OOM (repeatable)',
      (text: string, prev: AllocFlag[] | undefined) => {
        const f = parseAllocFlag(text);
        if (!f) throw expected('an alloc flag such as ALLOC_OOM or ALLOC_HIGH', '--flag ALLOC_OOM');
        return [...(prev ?? []), f];
      },
    )
    .option('--min <pages>', 'min watermark in pages, for every zone checked', wholeNumber('a whole number of pages', '--min 1024'))
    .option('--low <pages>', 'low watermark in pages', wholeNumber('a whole number of pages', '--low 1280'))
    .option('--high <pages>', 'high watermark in pages', wholeNumber('a whole number of pages', '--high 1536'))
    .option('--reserve <pages>', 'lowmem_reserve in pages for every zone checked', wholeNumber('a whole number of pages', '--reserve 0'))
    .option('--node <n>', 'check only this node', wholeNumber('a node number', '--node 0'))
    .option('--zone <name>', 'check only this zone (DMA, DMA32, Normal, ...)')
    .option(
      '--extfrag-threshold <n>',
      "vm.extfrag_threshold (0-1000) for compaction's decision; default: the value read (/proc/sys/vm, DIR/sys/vm, sysctl -a output), else 500",
      boundedNumber(0, 1000, '--extfrag-threshold 500'),
    )
    .option('--count <k>', 'also require at least K free blocks of the order on some node, a larger block counting as 2^j (exit 1 unless both hold)', parseCount)
    .option('--min-free-kbytes <kb>', 'what-if: recompute every zone\'s min/low/high from this vm.min_free_kbytes, as the replayed release does', wholeNumber('a whole number of kilobytes', '--min-free-kbytes 67584'))
    .option('--watermark-scale-factor <n>', 'what-if: ... from this vm.watermark_scale_factor (4.6+; 1-3000)', wholeNumber('a whole number', '--watermark-scale-factor 10'))
    .option('--lowmem-reserve-ratio <a,b,c>', 'what-if: recompute every zone\'s lowmem_reserve (protection) from these ratios, one per zone type', parseRatios)
    .option('-v, --explain', 'print every step of the check, and every rule axis with why it has its value')
    .option('-q, --quiet', 'print nothing on standard output: the exit status is the verdict (0 passes, 1 fails, 2 bad input)')
    .addHelpText('after', EXAMPLES)
    .action(
      async (
        files: string[],
        o: CommonOptions &
          KernelOptions &
          Omit<CheckOptions, 'files' | 'color' | 'kernel' | 'json' | 'explain' | 'whatIf' | 'quiet' | 'flag'> &
          WhatIfAsk & { algorithm?: 'legacy' | 'modern'; explain?: boolean; quiet?: boolean; flag?: AllocFlag[] },
      ) => {
        const ask: WhatIfAsk = { minFreeKbytes: o.minFreeKbytes, watermarkScaleFactor: o.watermarkScaleFactor, lowmemReserveRatio: o.lowmemReserveRatio };
        ctx.exit(
          await check(ctx.io, {
            ...o,
            files,
            flag: o.flag ?? [],
            whatIf: ask,
            json: o.json === true,
            quiet: o.quiet === true,
            explain: o.explain === true,
            kernel: kernelAsk(o),
            color: ctx.colorOf(o),
          }),
        );
      },
    );
}
