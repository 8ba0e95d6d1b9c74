// `buddyinfo history`: streams logs of many snapshots into a per-zone summary, in constant memory.

import type { Command } from 'commander';
import { gfpProfile } from '../analysis/gfp-request.js';
import type { SnapshotVerdict, zonePoint as ZonePointFn } from '../analysis/history.js';
import { kernelOfMachine } from '../analysis/kernel-of.js';
import { checkMachine } from '../analysis/zonelist.js';
import { makeChalk } from '../format/color.js';
import type { HistoryCheck, HistoryView } from '../format/history.js';
import { kernelFacts } from '../format/kernel.js';
import { count, humanBytes } from '../format/units.js';
import { classify } from '../input/classify.js';
import { decompressed } from '../input/decompress.js';
import { decidePageSize } from '../input/machine.js';
import { crossCheck } from '../input/crosscheck.js';
import { openError, readsStdin } from '../input/sources.js';
import type { Io } from '../io.js';
import type { KernelAsk, KernelChoice } from '../kernel/choice.js';
import { InputError, type Snapshot, type ZoneWatermarks } from '../model.js';
import { forceOption, kernelAsk, kernelOptions, outputOptions, pageSizeOption, terminalWidth, type CliContext, type KernelOptions } from './context.js';
import { orderNumber } from './options.js';
import { emit, pageOptions, resolvePageFormat } from './page-output.js';

/**
 * The default order for the unusable index: PAGE_ALLOC_COSTLY_ORDER (3, include/linux/mmzone.h, the same
 * from 2.6.32 to 6.18), the largest order the allocator still tries hard to satisfy. It exists on every
 * configuration, unlike the huge-page order.
 */
export const DEFAULT_ORDER = 3;

export const MEDIANS =
  'largestOrder and unusableIndex: exact (counts per value). freePages: exact below 2048 pages; above, counted in buckets 1/1024 of the value wide, and medianError bounds the distance to the exact median.';

export interface HistoryOptions {
  files: string[];
  order?: number;
  /** --kernel, --rules: the release whose check to replay, when a zoneinfo is given. */
  kernel: KernelAsk;
  series: boolean;
  pageSize?: number;
  json: boolean;
  /** --format text, json or html; --output FILE. */
  format?: string;
  output?: string;
  color: 0 | 1;
  /** --force: read a zoneinfo whose zones do not match the log's. */
  force?: boolean;
}

/** Writes text in blocks, so a series of half a million rows is not half a million writes. */
class Buffered {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (s: string) => void) {}
  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Progress on a terminal's stderr: drawn after the first second, at most four times a second, erased at the end. */
class Progress {
  private readonly start: number;
  private last: number;
  private shown = false;
  constructor(private readonly io: Io) {
    this.start = io.now();
    this.last = this.start;
  }
  update(bytes: number, snapshots: number): void {
    if (this.io.stderr.isTTY !== true) return;
    const now = this.io.now();
    if (now - this.start < 1000 || now - this.last < 250) return;
    this.last = now;
    this.shown = true;
    const rate = bytes / ((now - this.start) / 1000);
    this.io.stderr.write(`\r\x1b[Kread ${humanBytes(bytes)}, ${count(snapshots)} snapshots, ${humanBytes(Math.round(rate))}/s`);
  }
  done(): void {
    if (this.shown) this.io.stderr.write('\r\x1b[K');
  }
}

function seriesRow(zonePoint: typeof ZonePointFn, s: Snapshot, index: number, time: number | undefined, order: number): string {
  const zones = s.zones.map((z) => {
    const p = zonePoint(z.free, order);
    return { node: z.node, zone: z.zone, free: z.free, freePages: p.freePages, largestOrder: p.largestOrder, unusableIndex: p.unusable / 1000 };
  });
  const row = {
    snapshot: index,
    stamp: s.stamp ?? null,
    time: time === undefined ? null : new Date(time).toISOString(),
    zones,
  };
  return JSON.stringify(row);
}

/**
 * The check of `buddyinfo check --order N` with its defaults (GFP_KERNEL, min mark) for each snapshot,
 * with the watermarks of the zoneinfo given. Their free-page counts belong to the moment of that
 * capture, so each snapshot is checked against its own buddy sum instead.
 */
function checker(
  watermarks: ZoneWatermarks[],
  order: number,
  kernel: KernelChoice,
): { verdict(s: Snapshot): SnapshotVerdict; describe: HistoryCheck } {
  const marks = watermarks.map(({ freePages: _, ...w }) => w);
  const gfp = gfpProfile('kernel');
  return {
    verdict: (s) => {
      const r = checkMachine({ zones: s.zones, watermarks: marks }, { order, mark: 'min', gfp, kernel });
      const zones = new Map<number, Map<string, boolean>>();
      for (const z of r.zones) {
        // A zone that can never serve the request (NEVER_SERVES) is not a failure worth a period.
        if (!z.serves) continue;
        let byZone = zones.get(z.node);
        if (!byZone) {
          byZone = new Map();
          zones.set(z.node, byZone);
        }
        byZone.set(z.zone, z.ok);
      }
      return { ok: r.ok, zones };
    },
    describe: { order, gfp: gfp.name, mark: 'min', ...kernelFacts(kernel), free: 'each snapshot\'s buddy sum' },
  };
}

export async function history(io: Io, opts: HistoryOptions): Promise<number> {
  if (opts.files.length === 0 && !readsStdin(io, { logs: true })) {
    throw new InputError(
      'history reads a log of snapshots: pass its FILE (or several), or pipe it in, e.g. "buddyinfo history buddyinfo.log".',
    );
  }
  const format = resolvePageFormat(opts.json, opts.format);
  // Loaded when the command runs, so the start-up of every other command does not pay for them.
  const [{ HistorySummary, zonePoint }, { LogReader }, { renderHistory }, html] = await Promise.all([
    import('../analysis/history.js'),
    import('../parse/log-reader.js'),
    import('../format/history.js'),
    format === 'html' ? Promise.all([import('../analysis/timeline.js'), import('../format/html/history.js')]) : undefined,
  ]);
  const order = opts.order ?? DEFAULT_ORDER;
  const summary = new HistorySummary({ order, periods: opts.order !== undefined });
  // The page's charts: a fixed number of buckets per zone, fed in the same pass (bounded like the summary).
  const timeline = html === undefined ? undefined : new html[0].HistoryTimeline(order);
  const notes: string[] = [];
  const { logs, watermarks, kernel: stated } = await classify(io, opts.files.length === 0 ? ['-'] : opts.files, notes);
  // A zoneinfo from another box would give every snapshot another box's marks: its shape (zones, orders,
  // sizes) is checked against the log's first snapshot, as show and check do; not its free pages, which a
  // log spanning hours moves far from any one read.
  let crossChecked = watermarks.length === 0;
  const check =
    opts.order !== undefined && watermarks.length > 0
      ? checker(watermarks, order, kernelOfMachine(stated === undefined ? {} : { kernel: stated }, opts.kernel))
      : undefined;
  const json = format === 'json';
  const written: string[] = [];
  const out = new Buffered((s) => (opts.output === undefined ? io.stdout.write(s) : written.push(s)));
  let rows = 0;
  if (json && opts.series) out.add('{\n"series": [');
  const reader = new LogReader({
    snapshot: (s, time) => {
      if (!crossChecked) {
        crossChecked = true;
        notes.push(...crossCheck(s, watermarks, [], opts.force === true, undefined, { drift: false }));
      }
      const verdict = check?.verdict(s);
      summary.add(s, time, verdict);
      timeline?.add(s, time, verdict);
      if (json && opts.series) {
        rows++;
        out.add(`${rows === 1 ? '\n' : ',\n'}${seriesRow(zonePoint, s, rows, time, order)}`);
      }
    },
    note: (text) => {
      if (notes.length < 20) notes.push(text);
    },
  });
  const names = logs;
  const progress = new Progress(io);
  let bytes = 0;
  for (const name of names) {
    const source = name === '-' ? 'standard input' : name;
    const [countBefore, notesBefore] = [reader.count, notes.length];
    reader.begin(source);
    try {
      // A compressed log (gzip, xz, zstd: told by its first bytes) is decompressed as it streams.
      for await (const chunk of decompressed(source, name === '-' ? io.stdinBytes() : io.readBytes(name), (text) => notes.push(text))) {
        io.interrupt.throwIfAborted();
        reader.pushBytes(chunk);
        bytes += chunk.length;
        progress.update(bytes, reader.count);
      }
    } catch (err) {
      progress.done();
      if (err instanceof InputError || io.interrupt.aborted) throw err;
      throw openError(source, err, false, 'history');
    }
    reader.end();
    // A log that gave no snapshot is said, not passed over (unless a note about it says why already).
    if (reader.count === countBefore && notes.length === notesBefore && names.length > 1) notes.push(`${source}: no snapshot was read from it.`);
  }
  progress.done();
  if (reader.count === 0) {
    throw new InputError(
      `${names.map((n) => (n === '-' ? 'standard input' : n)).join(', ')}: expected snapshots of /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found none.`,
    );
  }
  // Logs of buddyinfo lines do not state their page size: --page-size, else 4 KiB, said so.
  const page = decidePageSize(opts.pageSize, undefined, undefined);
  const report = summary.finish(page.pageSize);
  const view: HistoryView = {
    ...report,
    notes: [...notes, ...report.notes],
    sources: names.map((n) => (n === '-' ? 'standard input' : n)),
    pageSizeOrigin: page.pageSizeOrigin,
    cutShort: reader.cut,
    medians: MEDIANS,
  };
  if (check) view.check = check.describe;
  if (html !== undefined && timeline !== undefined) {
    out.add(html[1].historyPage({ ...view, timeline: timeline.finish() }));
  } else if (json) {
    const body = JSON.stringify(view, null, 2);
    out.add(opts.series ? `\n],\n${body.slice(2)}\n` : `${body}\n`);
  } else {
    // Fitted to the terminal only when it is where the text goes: a file written with --output keeps every line whole.
    const width = opts.output === undefined ? terminalWidth(io) : undefined;
    out.add(renderHistory(view, await makeChalk(opts.output === undefined ? opts.color : 0), width));
  }
  out.flush();
  if (opts.output !== undefined) await emit(io, opts.output, written.join(''));
  return 0;
}

const EXAMPLES = `
Examples:
  $ for i in 1 2 3; do date; cat /proc/buddyinfo; done > buddyinfo.log   a log (from cron: every minute)
  $ buddyinfo history --order 9 buddyinfo.log
  $ buddyinfo history --json --series buddyinfo.log | jq '.zones[] | {zone, largestOrder}'

From a clone of the repository (fixtures/ holds real logs):
  $ buddyinfo history --order 4 fixtures/history-stamps.txt`;

export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('history')
    .description('summarise a log of many snapshots per zone: spread of free memory and largest order, gaps, a sparkline')
    .argument('[file...]', 'logs of snapshots, each optionally after a timestamp line ("-" or none: standard input); a zoneinfo among them gives watermarks for --order')
    .option('--order <n>', `order for the unusable index (default ${DEFAULT_ORDER}); also list the periods without a free block of it or larger`, orderNumber(16))
    .option('--series', 'with --json, also print every snapshot as a row');
  forceOption(pageSizeOption(cmd));
  pageOptions(outputOptions(cmd, 'print the summary as JSON'));
  kernelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], o: KernelOptions & { order?: number; series?: boolean; pageSize?: number; json?: boolean; color?: boolean; format?: string; output?: string; force?: boolean }) => {
      ctx.exit(
        await history(ctx.io, {
          files,
          order: o.order,
          kernel: kernelAsk(o),
          series: o.series === true,
          pageSize: o.pageSize,
          json: o.json === true,
          format: o.format,
          output: o.output,
          color: ctx.colorOf(o),
          force: o.force === true,
        }),
      );
    });
}
