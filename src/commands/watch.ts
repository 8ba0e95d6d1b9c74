// `buddyinfo watch`: samples the live (or a --proc) buddyinfo every interval and shows what changed.

import { Argument, Option, type Command } from 'commander';
import { gfpProfile } from '../analysis/gfp-request.js';
import { kernelOfMachine } from '../analysis/kernel-of.js';
import { checkMachine } from '../analysis/zonelist.js';
import { makeChalk } from '../format/color.js';
import { kernelFacts } from '../format/kernel.js';
import type { WatchSample, WatchVerdict } from '../format/watch.js';
import { loadMachine } from '../input/machine.js';
import type { Io } from '../io.js';
import type { KernelAsk } from '../kernel/choice.js';
import { InputError, type Machine, type Snapshot, type ZoneTypes } from '../model.js';
import { inputOptions, kernelAsk, kernelOptions, outputOptions, terminalHeight, terminalWidth, type CliContext, type CommonOptions, type KernelOptions } from './context.js';
import { expected, orderNumber } from './options.js';

export interface WatchOptions {
  proc?: string;
  pageSize?: number;
  intervalMs: number;
  order?: number;
  /** Stop after this many samples, at least 1 (like `vmstat 2 5`); none: until Ctrl-C. */
  count?: number;
  /** --kernel, --rules for the --order verdict. */
  kernel?: KernelAsk;
  json: boolean;
  color: 0 | 1;
}

/** The forms --interval accepts, as its help states them. */
const INTERVAL_FORMS = 'a number with ms, s, m or h (500ms, 2s, 1m); a bare number is seconds (1.5 = 1.5s); at least 100ms';

/** 2s, 500ms, 1m, 1.5 (seconds): the interval in milliseconds, at least 100 ms. */
export function parseInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m?.[2] ?? 's'] ?? 1000;
  const ms = m ? Number(m[1]) * scale : Number.NaN;
  if (!(ms >= 100)) throw expected('a duration of 100ms or more, with ms, s, m or h (a bare number is seconds)', '--interval 5s');
  return Math.round(ms);
}

/**
 * --count: a whole number of samples, 1 or more. Without --count watch runs until Ctrl-C, so 0 cannot
 * mean that too, and stopping after no sample at all is nothing to ask for.
 */
export function parseCount(text: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw expected('a whole number of samples, 1 or more (leave --count out to run until Ctrl-C)', '--count 10');
  }
  return Number(text);
}

/** The check of `buddyinfo check --order N` with its defaults (GFP_KERNEL, min mark), for one sample. */
function verdictOf(machine: Machine, snap: Snapshot, order: number, ask: KernelAsk): WatchVerdict {
  const kernel = kernelOfMachine(machine, ask);
  const r = checkMachine(
    { zones: snap.zones, watermarks: machine.watermarks, types: machine.types },
    { order, mark: 'min', gfp: gfpProfile('kernel'), kernel },
  );
  return {
    ...kernelFacts(kernel),
    order,
    mark: r.mark,
    gfp: r.gfp,
    ok: r.ok,
    servedBy: r.servedBy,
    zones: r.zones.map((z) => ({ node: z.node, zone: z.zone, ok: z.ok, code: z.code, serves: z.serves })),
  };
}

/** The lists a GFP_KERNEL request may take a block from; the watch verdict's request is GFP_KERNEL. */
const GENERAL_LISTS: readonly string[] = ['Unmovable', 'Movable', 'Reclaimable'];

/** Longest a pagetypeinfo read is reused for, in ms: see mustReread. */
const TYPES_REUSED_MS = 60_000;

/**
 * Whether the next sample must read /proc/pagetypeinfo again, or may reuse the last read. Making it costs
 * the kernel a walk over every pageblock (7 ms of a once-a-second read on a 24 GiB VM, more with more
 * memory: most of what `watch --order` cost). Its per-type split changes the verdict only through the
 * lists a GFP_KERNEL request cannot take from (CMA, HighAtomic, Isolate; Reserve before 4.4) and the
 * HighAtomic reserve the check subtracts. A read whose every zone has no pageblock and no free block of
 * those types (the "Number of blocks type" census) gives the same verdict as a fresh one: the blocks
 * counted by a fresh buddyinfo all sit on lists the request may use, and the reserve is 0. Such a read
 * is reused for up to a minute, as CMA areas are fixed at boot but a HighAtomic reservation or an
 * isolation can start at any time; any other read (or none: no root) is redone every sample.
 */
export function mustReread(last: { at: number; types: readonly ZoneTypes[] } | undefined, now: number): boolean {
  if (last === undefined || last.types.length === 0 || now - last.at >= TYPES_REUSED_MS) return true;
  return last.types.some(
    (z) =>
      z.blocks === undefined ||
      Object.entries(z.blocks).some(([type, n]) => n > 0 && !GENERAL_LISTS.includes(type)) ||
      Object.entries(z.free).some(([type, counts]) => !GENERAL_LISTS.includes(type) && counts.some((c) => c.count > 0)),
  );
}

/**
 * Samples until Ctrl-C (io.interrupt) or --count. Ticks are kept on a fixed grid from the first sample
 * so they do not drift; a tick missed by a slow read is skipped, not bunched. On a terminal the frames
 * are drawn on the alternate screen, as watch(1) and top do, from its top-left corner: a frame fitted
 * to the terminal's width and cut to its height, counted in rows as the terminal wraps them, so a
 * frame can neither stack on the last one nor scroll its top away. However the loop ends, the screen
 * and the cursor are restored and the last frame is printed where the command was run.
 */
export async function watch(io: Io, opts: WatchOptions): Promise<number> {
  // Loaded when the command runs, so the start-up of every other command does not pay for them.
  const [{ diffSnapshots }, { clipFrame, drawFrame, ENTER_SCREEN, LEAVE_SCREEN, renderWatchFrame, watchJson, watchLines, watchZones }] = await Promise.all([
    import('../analysis/diff.js'),
    import('../format/watch.js'),
  ]);
  const tty = io.stdout.isTTY === true && !opts.json;
  const c = await makeChalk(opts.color);
  const started = io.now();
  const source = `${(opts.proc ?? '/proc').replace(/\/+$/, '')}/buddyinfo`;
  let first: Snapshot | undefined;
  let prev: Snapshot | undefined;
  let frame: string[] | undefined;
  let samples = 0;
  let stopped = false;
  let typesRead: { at: number; types: ZoneTypes[] } | undefined;
  if (tty) io.stdout.write(ENTER_SCREEN);
  try {
    for (;;) {
      io.interrupt.throwIfAborted();
      // Standard input is never a source here: watch samples a procfs, even when run from a script with a pipe.
      const types = opts.order !== undefined && mustReread(typesRead, io.now());
      const machine = await loadMachine(io, {
        files: [],
        proc: opts.proc,
        live: opts.proc === undefined,
        pageSize: opts.pageSize,
        want: opts.order === undefined ? undefined : { watermarks: true, types },
      });
      if (types) typesRead = { at: io.now(), types: machine.types };
      else if (typesRead !== undefined) machine.types = typesRead.types;
      const snap = machine.snapshots[machine.snapshots.length - 1];
      if (!snap) throw new InputError(`${source}: expected zone lines, found none.`);
      samples++;
      first ??= snap;
      const sinceLast = diffSnapshots(prev ?? snap, snap, machine.pageSize);
      const sinceStart = diffSnapshots(first, snap, machine.pageSize);
      prev = snap;
      const sample: WatchSample = {
        sample: samples,
        time: io.now(),
        started,
        intervalMs: opts.intervalMs,
        // The file read: a sosreport's is DIR/proc/buddyinfo.
        source: machine.sources.find((s) => s.endsWith('buddyinfo')) ?? source,
        pageSize: machine.pageSize,
        zones: watchZones(sinceLast.zones, sinceLast.zones, sinceStart.zones),
        gone: sinceLast.zones.filter((z) => z.only === 'before').map((z) => ({ node: z.node, zone: z.zone })),
        notes: machine.notes,
      };
      if (opts.order !== undefined) sample.verdict = verdictOf(machine, snap, opts.order, opts.kernel ?? {});
      if (opts.json) {
        io.stdout.write(watchJson(sample));
      } else if (tty) {
        // Asked at every frame: the terminal may have been resized since the last.
        const columns = terminalWidth(io) ?? 80;
        frame = renderWatchFrame(sample, c, columns);
        io.stdout.write(drawFrame(clipFrame(frame, columns, terminalHeight(io), c), columns));
      } else {
        io.stdout.write(watchLines(sample));
      }
      if (opts.count !== undefined && samples >= opts.count) return 0;
      const now = io.now();
      const next = started + (Math.floor((now - started) / opts.intervalMs) + 1) * opts.intervalMs;
      await io.sleep(next - now, io.interrupt);
    }
  } catch (err) {
    stopped = io.interrupt.aborted;
    throw err;
  } finally {
    if (tty) {
      io.stdout.write(LEAVE_SCREEN);
      if (frame !== undefined) io.stdout.write(`${frame.join('\n')}\n`);
    }
    // After the screen is back, or the words would vanish with the alternate screen.
    if (stopped) io.stderr.write(`\nwatch stopped after ${samples} sample${samples === 1 ? '' : 's'}.\n`);
  }
}

const EXAMPLES = `
Examples:
  $ buddyinfo watch                        redraw the counts every 2s; Ctrl-C stops
  $ buddyinfo watch 5 10                   every 5 seconds, 10 samples (as vmstat 5 10)
  $ buddyinfo watch --interval 500ms --order 9
  $ buddyinfo watch --interval 1m >> buddyinfo.logfmt     one line per zone per sample
  $ buddyinfo watch --json --count 10      ten samples as NDJSON`;

/** `watch [interval] [count]`, as vmstat and sar take them, or --interval and --count: not both. */
function intervalAndCount(
  cmd: Command,
  positional: { interval?: number; count?: number },
  o: { interval: number; count?: number },
): { intervalMs: number; count?: number } {
  for (const name of ['interval', 'count'] as const) {
    if (positional[name] !== undefined && cmd.getOptionValueSource(name) === 'cli') {
      throw new InputError(`the ${name} is given twice, as an argument and as --${name}: give one.`);
    }
  }
  return { intervalMs: positional.interval ?? o.interval, count: positional.count ?? o.count };
}

export function register(prog: Command, ctx: CliContext): void {
  const cmd = prog
    .command('watch')
    .description('sample /proc/buddyinfo every interval: the counts and what changed, redrawn in place on a terminal')
    .addArgument(new Argument('[interval]', 'as --interval: a bare number is seconds').argParser(parseInterval))
    .addArgument(new Argument('[count]', 'as --count').argParser(parseCount));
  inputOptions(cmd, { live: false });
  outputOptions(cmd)
    .addOption(
      new Option('--interval <duration>', `time between samples: ${INTERVAL_FORMS}`)
        .argParser(parseInterval)
        .default(2000, '2s'),
    )
    .option('--order <n>', 'also show the verdict of `check --order N` (GFP_KERNEL, min mark) on every sample', orderNumber(63))
    .option('--count <n>', 'stop after this many samples (1 or more); without it, run until Ctrl-C', parseCount);
  kernelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (interval: number | undefined, count: number | undefined, o: CommonOptions & KernelOptions & { interval: number; order?: number; count?: number }) => {
      ctx.exit(
        await watch(ctx.io, {
          proc: o.proc,
          pageSize: o.pageSize,
          ...intervalAndCount(cmd, { interval, count }, o),
          order: o.order,
          kernel: kernelAsk(o),
          json: o.json === true,
          color: ctx.colorOf(o),
        }),
      );
    });
}
