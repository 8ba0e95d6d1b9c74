// The default command: the fragmentation table, its JSON or Prometheus exposition, of the last snapshot read.

import type { Command } from 'commander';
import { analyzeZone } from '../analysis/fragmentation.js';
import { compareIndexTables } from '../analysis/kernel-indices.js';
import { kernelOfMachine } from '../analysis/kernel-of.js';
import { thresholdOf } from '../analysis/compaction.js';
import { proactiveScore, proactivenessOf } from '../analysis/proactive.js';
import { showNext } from '../analysis/show-next.js';
import { showVerdicts } from '../analysis/show-verdicts.js';
import { makeChalk } from '../format/color.js';
import { kernelFacts } from '../format/kernel.js';
import type { ShowView, WatermarkMark } from '../format/table.js';
import type { ZoneinfoView, ZoneinfoZoneView } from '../format/zoneinfo.js';
import { loadMachine, type LoadedMachine } from '../input/machine.js';
import type { InputOptions } from '../input/sources.js';
import type { Io } from '../io.js';
import type { KernelAsk } from '../kernel/choice.js';
import { sameZone, zoneKey } from '../kernel/zones.js';
import { InputError } from '../model.js';
import { shown } from './options.js';
import { emit } from './page-output.js';
import { closestCommand } from './suggest.js';
import { forceOption, inputOptions, kernelAsk, kernelOptions, outputOptions, terminalWidth, type CliContext, type CommonOptions, type KernelOptions } from './context.js';

export type ShowFormat = 'table' | 'json' | 'prometheus' | 'html';
export const SHOW_FORMATS: readonly ShowFormat[] = ['table', 'json', 'prometheus', 'html'];

export interface ShowOptions extends InputOptions {
  /** --json, the alias of --format json. */
  json: boolean;
  /** --format as typed; checked here so a bad value is one sentence and exit status 2. */
  format?: string;
  /** --output FILE: written atomically instead of printing. */
  output?: string;
  /** --by-type: the per-migratetype table instead of the fragmentation table. */
  byType?: boolean;
  /** --kernel, --rules: the release and rules the watermark verdicts replay. */
  kernel?: KernelAsk;
  color: 0 | 1;
}

/** The marks the table and JSON summarise (issue 3); Prometheus also exports the high mark. */
const TABLE_MARKS: readonly WatermarkMark[] = ['min', 'low'];
const PROMETHEUS_MARKS: readonly WatermarkMark[] = ['min', 'low', 'high'];

/** Reads --format and --json together; throws InputError when they disagree or the format is unknown. */
export function resolveFormat(json: boolean, format: string | undefined): ShowFormat {
  if (format === undefined) return json ? 'json' : 'table';
  const f = format.trim().toLowerCase() as ShowFormat;
  if (!SHOW_FORMATS.includes(f)) {
    throw new InputError(`--format ${shown(format)}: expected one of ${SHOW_FORMATS.join(', ')}.`);
  }
  if (json && f !== 'json') throw new InputError(`--json asks for JSON but --format asks for ${f}: give one of them.`);
  return f;
}

/** Builds the data every view prints: the JSON is this object, the table and the exposition renderings of it. */
export async function showView(io: Io, opts: ShowOptions, marks: readonly WatermarkMark[] = TABLE_MARKS): Promise<ShowView> {
  return (await anyView(io, opts, resolveFormat(opts.json, opts.format), marks, false)).view as ShowView;
}

/** What a zoneinfo alone holds: each zone's free pages against its marks (no buddyinfo to split them by order). */
function zoneinfoOnly(machine: LoadedMachine): ZoneinfoView {
  const zones = machine.watermarks
    // From 4.12 zoneinfo lists unpopulated zones too; they have nothing to show.
    .filter((w) => (w.present ?? w.managed ?? 1) > 0)
    .map((w): ZoneinfoZoneView => {
      const free = w.freePages ?? 0;
      const standing = free > w.high ? 'above high' : free > w.low ? 'between low and high' : free > w.min ? 'between min and low' : 'below min';
      return {
        node: w.node,
        zone: w.zone,
        freePages: free,
        freeBytes: free * machine.pageSize,
        min: w.min,
        low: w.low,
        high: w.high,
        boost: w.boost ?? null,
        managed: w.managed ?? null,
        standing,
      };
    });
  return { kind: 'zoneinfo-only', pageSize: machine.pageSize, pageSizeOrigin: machine.pageSizeOrigin, sources: machine.sources, zones, notes: machine.notes };
}

async function anyView(
  io: Io,
  opts: ShowOptions,
  format: ShowFormat,
  marks: readonly WatermarkMark[],
  zoneinfoAlone: boolean,
): Promise<{ view: ShowView | ZoneinfoView; live: boolean }> {
  // Live, /proc/pagetypeinfo costs the kernel a walk over every pageblock of the box (2 to 7 ms on 24 GiB,
  // more with more memory) and is root-only from 5.4. The views that print what it adds read it: --by-type,
  // and the Prometheus exposition, whose verdicts stay exact (they ask even without root, so the user hears
  // once that it needs root); the html page when it may. The plain table and JSON leave it out and say that
  // their block search assumed (check reads it for the exact verdict); saved inputs are read whole.
  // Whether the input is live is known once standard input has been looked at (loadMachine): 'saved'.
  const types = opts.byType === true || format === 'prometheus' || (format === 'html' && io.readable('/proc/pagetypeinfo')) ? true : ('saved' as const);
  const machine = await loadMachine(io, {
    ...opts,
    allowWatermarksOnly: zoneinfoAlone,
    want: { watermarks: true, types, sysctls: format === 'prometheus', ...opts.want },
  });
  if (machine.snapshots.length === 0) return { view: zoneinfoOnly(machine), live: machine.live };
  const last = machine.snapshots[machine.snapshots.length - 1];
  const kernel = kernelOfMachine(machine, opts.kernel ?? {});
  const found = showVerdicts(machine, marks, kernel);
  const notes = [...machine.notes, ...compareIndexTables(machine.indexTables)];
  if (found !== undefined && 'error' in found) notes.push(`No watermark verdict: ${found.error}`);
  const verdicts = found !== undefined && 'verdicts' in found ? found : undefined;
  if (verdicts !== undefined) notes.push(...verdicts.notes);
  // The exposition also carries the walk's verdict per order, each zone's next step and the proactive score.
  const threshold = format === 'prometheus' ? thresholdOf(undefined, machine.sysctls?.['vm.extfrag_threshold'], notes) : undefined;
  const exposition = verdicts !== undefined && threshold !== undefined ? showNext(machine, kernel, verdicts.verdicts, marks, threshold) : undefined;
  // The exposition carries the release and rules as metrics; a cron job's mail need not repeat them.
  if (verdicts !== undefined && format !== 'prometheus') notes.push(...kernel.notes);
  const view: ShowView = {
    pageSize: machine.pageSize,
    pageSizeOrigin: machine.pageSizeOrigin,
    snapshots: machine.snapshotCount,
    ...(machine.countsFromTypes ? { countsFromTypes: true as const } : {}),
    sources: machine.sources,
    zones: (last?.zones ?? []).map((z) => {
      const figures: ShowView['zones'][number] = analyzeZone(z, machine.pageSize);
      const t = machine.types.find((x) => sameZone(x, z));
      if (t !== undefined) figures.types = t.blocks === undefined ? { free: t.free } : { free: t.free, blocks: t.blocks };
      if (verdicts !== undefined) {
        const largest: Record<string, number> = {};
        const ok: Record<string, boolean[]> = {};
        const pages: NonNullable<ShowView['zones'][number]['watermarkPages']> = { marks: {}, reserve: 0, free: 0 };
        let listsKnown: boolean | undefined;
        const servable: Record<string, number> = {};
        for (const mark of marks) {
          const first = verdicts.verdicts.get(zoneKey(z))?.get(mark);
          if (first === undefined) continue;
          largest[mark] = first.largestPassingOrder;
          servable[mark] = first.largestServableOrder;
          ok[mark] = z.free.map((_, order) => order <= first.largestPassingOrder);
          pages.marks[mark] = first.markPages;
          pages.reserve = first.reservePages;
          pages.free = first.freePages;
          listsKnown = first.listsKnown;
        }
        if (listsKnown !== undefined) {
          figures.largestPassingOrder = largest;
          figures.watermarkOk = ok;
          figures.listsKnown = listsKnown;
          figures.largestServableOrder = servable;
          figures.watermarkPages = pages;
        }
        const next = exposition?.zones.get(zoneKey(z));
        if (next !== undefined) figures.next = next;
      }
      return figures;
    }),
    notes,
  };
  if (verdicts !== undefined) {
    view.watermarkCheck = { gfp: verdicts.gfp, ...kernelFacts(kernel), marks: [...marks], algorithm: verdicts.algorithm };
    if (machine.live && types !== true) view.watermarkCheck.pagetypeinfoSkipped = true;
  }
  if (exposition !== undefined) view.allocationOk = exposition.allocationOk;
  if (format === 'prometheus' && last !== undefined && machine.watermarks.length > 0) {
    const proactiveness = proactivenessOf(machine.sysctls?.['vm.compaction_proactiveness'], notes);
    const proactive = proactiveScore(last.zones, machine.watermarks, { era: kernel.rules.proactive, pageSize: machine.pageSize, proactiveness });
    if (proactive !== undefined) view.proactive = proactive;
  }
  return { view, live: machine.live };
}

export async function show(io: Io, opts: ShowOptions): Promise<number> {
  const format = resolveFormat(opts.json, opts.format);
  const page = format === 'prometheus' || format === 'html';
  // The per-type view is a text table and Prometheus series; the page draws the per-order view only.
  if (opts.byType && format === 'html') {
    throw new InputError('--by-type has no html page: the page draws the per-order view; give --by-type for the text table (or the Prometheus series), or --format html alone.');
  }
  // A zoneinfo alone has a table and a page of its own; the Prometheus exposition needs per-order counts.
  const { view, live } = await anyView(io, opts, format, page ? PROMETHEUS_MARKS : TABLE_MARKS, format !== 'prometheus');
  // --by-type asked for a view: when no zone has per-type counts it cannot be given, and saying so on
  // standard output with exit 0 would pass for an answer in a script.
  if (opts.byType && ('kind' in view || !view.zones.some((z) => z.types !== undefined))) {
    throw new InputError(
      live
        ? '--by-type needs /proc/pagetypeinfo, which only root may read from 5.4 on: run as root (sudo buddyinfo --by-type), or give a saved pagetypeinfo beside a buddyinfo.'
        : `--by-type: ${(await import('../format/bytype.js')).NO_TYPES}`,
    );
  }
  const color = opts.output === undefined ? opts.color : 0;
  let text: string;
  if (format === 'json') text = `${JSON.stringify(view, null, 2)}\n`;
  else if ('kind' in view && format === 'html') text = (await import('../format/html/zoneinfo.js')).zoneinfoPage(view);
  else if ('kind' in view) text = (await import('../format/zoneinfo.js')).renderZoneinfo(view, await makeChalk(color), opts.output === undefined ? terminalWidth(io) : undefined);
  // Loaded only when asked for, so the other formats' start-up does not pay for the page and its charts.
  else if (format === 'html') text = (await import('../format/html/show.js')).showPage(view);
  else if (format === 'prometheus') {
    text = (await import('../format/prometheus.js')).renderPrometheus(view, { byType: opts.byType === true });
    // The exposition has no place for prose: notes go to standard error, where cron mails them.
    for (const note of view.notes) io.stderr.write(`buddyinfo: ${note}\n`);
    if (view.pageSizeOrigin === 'default') {
      io.stderr.write('buddyinfo: the page size is assumed to be 4 KiB; pass --page-size if the capture came from a 16K or 64K kernel.\n');
    }
  } else {
    // Fitted to the terminal only when printed there; a file keeps the full table. The table modules (and
    // cli-table3 with them) are loaded here, so the JSON and Prometheus runs never load them.
    const width = opts.output === undefined ? terminalWidth(io) : undefined;
    const c = await makeChalk(color);
    text = opts.byType ? (await import('../format/bytype.js')).renderByType(view, c, width) : (await import('../format/table.js')).renderShow(view, c, width);
  }
  await emit(io, opts.output, text);
  return 0;
}

/** Examples for the default command, which also end `buddyinfo --help`. */
export const EXAMPLES = `
Examples:
  $ buddyinfo                              this machine's /proc/buddyinfo: a table per zone
  $ buddyinfo --json | jq '.zones[] | {node, zone, largestOrder}'
  $ cat /proc/buddyinfo > saved.txt; buddyinfo saved.txt   a saved capture
  $ cat /proc/buddyinfo | buddyinfo -      a capture on standard input ("-": also from a script)
  $ buddyinfo --proc /proc                 a procfs folder: a sosreport's proc/ reads the same
  $ buddyinfo --by-type                    free blocks per migratetype (as root)
  $ buddyinfo --format prometheus --output /var/lib/prometheus/node-exporter/buddyinfo.prom
  $ buddyinfo check --order 4              would a 64 KiB allocation succeed here now?
  $ dmesg | buddyinfo report               why did an allocation in the kernel log fail?`;

/** The options of `show` as commander parses them (none given: every one undefined). */
type ShowFlags = Partial<CommonOptions & KernelOptions & { format: string; output: string; byType: boolean }>;

/**
 * What `show` does with its FILEs and parsed options: the program's action, and also what a run with no
 * argument at all does without building the program (cli.ts), with no FILE and no option.
 */
export async function showCommand(ctx: CliContext, files: string[], o: ShowFlags): Promise<void> {
  // `buddyinfo chek`: a mistyped command reaches the default command as a FILE.
  const first = files[0];
  const meant = first === undefined || ctx.io.readable(first) ? undefined : closestCommand(first, ctx.commandNames);
  if (meant !== undefined) {
    throw new InputError(`"${first}" is neither a file buddyinfo can read nor a command: did you mean "buddyinfo ${meant}"?`);
  }
  ctx.exit(
    await show(ctx.io, {
      files,
      proc: o.proc,
      live: o.live,
      pageSize: o.pageSize,
      force: o.force === true,
      json: o.json === true,
      format: o.format,
      output: o.output,
      byType: o.byType === true,
      kernel: kernelAsk(o),
      color: ctx.colorOf(o),
    }),
  );
}

/** The default command: the fragmentation table. */
export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('show', { isDefault: true })
    .description('show the fragmentation table of each zone (the default command)')
    .argument('[file...]', 'buddyinfo captures, and zoneinfo/pagetypeinfo beside them; "-" reads standard input; none: a file on standard input or a pipe at a terminal, else the live /proc');
  forceOption(inputOptions(cmd));
  outputOptions(cmd)
    .option('--format <format>', 'table, json (the same as --json), prometheus (text exposition for node_exporter\'s textfile collector) or html (one self-contained page)')
    .option('--output <file>', 'write to FILE instead of standard output: a temporary file in the same folder, renamed into place')
    .option('--by-type', 'show free blocks per order and migratetype, and pageblocks per type (from pagetypeinfo)');
  kernelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action((files: string[], o: ShowFlags) => showCommand(ctx, files, o));
}
