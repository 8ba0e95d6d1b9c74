// The command line: argv to a command, the process as Io, and every exit status decided here.

import { Command, CommanderError } from 'commander';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { terminalWidth, type CliContext, type Register } from './commands/context.js';
import { fitHelp } from './format/wrap.js';
import { topLevelHelp } from './commands/help.js';
import { nameRefusedValues } from './commands/options.js';
import { closestCommand } from './commands/suggest.js';
import { COMMANDS, DEFAULT_COMMAND, runDefaultAlone, SUMMARIES } from './commands/registry.js';
import { EXAMPLES } from './commands/show.js';
import { colorLevel } from './format/color.js';
import type { Io } from './io.js';
import { InputError } from './model.js';
import { processIo } from './process-io.js';

const VERSION = '0.1.0';
const REPORT_BUGS = 'This is a bug in buddyinfo. Please report it with the command line and the input that caused it.';

/** Exit statuses: the README documents them. */
export const EXIT = { ok: 0, fail: 1, usage: 2, bug: 70, interrupted: 130 } as const;

const NAMES = COMMANDS.map((c) => c.name);

/**
 * The commands to register for `argv`: building all seven, with their hundred-odd options, took 1 ms of
 * every run. commander runs the command the first word names, else the default; so a run whose first
 * word is a command needs that one, and a run with no command name anywhere in it only the default.
 * Anything that may list or describe the commands (help, completion) or that is less plain (a command
 * name later on the line, after "--") gets them all, as does no argv (the man page).
 */
function commandsFor(argv: readonly string[] | undefined): readonly { name: string; register: Register }[] {
  if (argv === undefined) return COMMANDS;
  const first = argv[0];
  const describes = (w: string): boolean => w === 'help' || w === 'completion' || w === '-h' || w === '--help';
  if (first !== undefined && NAMES.includes(first) && !describes(first)) return COMMANDS.filter((c) => c.name === first);
  if (argv.some((w) => NAMES.includes(w) || describes(w) || w === '--')) return COMMANDS;
  return COMMANDS.filter((c) => c.name === DEFAULT_COMMAND);
}

/** What the commands are given: the Io, the colour decision, where the exit status goes, the names. */
function contextOf(io: Io, exit: (code: number) => void): CliContext {
  return {
    io,
    colorOf: (o) => colorLevel(o.color, io.stdout.isTTY, io.env),
    exit,
    version: VERSION,
    defaultCommand: DEFAULT_COMMAND,
    commandNames: NAMES,
  };
}

/** Builds the program for `argv` (all of it when undefined). */
function program(ctx: CliContext, argv?: readonly string[]): Command {
  const { io } = ctx;
  const prog = new Command('buddyinfo')
    .description(
      'Analyse Linux memory fragmentation from /proc/buddyinfo: how fragmented each zone is, and whether an order-N allocation would succeed.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      // Help (and --version) are the only text commander writes: fitted to the terminal like every output.
      writeOut: (s) => io.stdout.write(fitHelp(s, terminalWidth(io))),
      writeErr: (s) => io.stderr.write(s),
      // One style for every error, commander's ("error: unknown option") and ours.
      outputError: (s, write) =>
        write(
          s
            .replace(/^error: option '(?:-\w, )?(--[\w-]+) <([^>]+)>' argument missing/, 'error: $1 needs a value: $1 <$2>.')
            .replace(/^error: /, 'buddyinfo: '),
        ),
      getOutHelpWidth: () => (io.stdout.isTTY ? (io.stdout.columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? (io.stderr.columns ?? 80) : 80),
    })
    .showHelpAfterError('(run "buddyinfo --help" for usage)')
    // Commander leaves an option's description unwrapped when under 40 columns are left for it: on a
    // 60-column terminal that was every long option. 20 wraps them.
    .configureHelp({ minWidthToWrap: 20 });
  for (const c of commandsFor(argv)) c.register(prog, ctx);
  nameRefusedValues(prog);
  topLevelHelp(prog, DEFAULT_COMMAND, SUMMARIES);
  prog.addHelpText('after', EXAMPLES);
  return prog;
}

/** Runs the command line; resolves to the exit status. Tests call this with a fake Io. */
export async function main(argv: string[], io: Io): Promise<number> {
  let status: number = EXIT.ok;
  const ctx = contextOf(io, (code) => {
    status = code;
  });
  try {
    // `buddyinfo` alone, the most common run, is the default command with no FILE and no option: it runs
    // that command's own code with what commander would hand it, without building the program (1 ms).
    if (argv.length === 0) await runDefaultAlone(ctx);
    else await program(ctx, argv).parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok;
      // `buddyinfo chek --order 4`: the default command took "chek" as a file and refused --order.
      const meant = argv[0] === undefined ? undefined : closestCommand(argv[0], NAMES);
      if (meant !== undefined) io.stderr.write(`buddyinfo: "${argv[0]}" is not a command: did you mean "buddyinfo ${meant}"?\n`);
      return EXIT.usage;
    }
    if (err instanceof InputError) {
      io.stderr.write(`buddyinfo: ${err.message}\n`);
      return EXIT.usage;
    }
    if ((err as Error | undefined)?.name === 'AbortError' && io.interrupt.aborted) return EXIT.interrupted;
    io.stderr.write(`${(err as Error | undefined)?.stack ?? String(err)}\n\n${REPORT_BUGS}\n`);
    return EXIT.bug;
  }
}
/** The warm-up's buddyinfo: three zones of an x86-64 box (fixtures/proc-x86_64-6.18). */
const WARM_UP_BUDDYINFO = [
  ['DMA', [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]],
  ['DMA32', [2, 3, 0, 2, 3, 2, 1, 4, 4, 2, 752]],
  ['Normal', [3490, 2059, 1328, 862, 486, 361, 158, 88, 44, 17, 27]],
] as const;

/**
 * A small procfs the build's warm-up run reads (written to a temporary folder), so the code cache holds
 * the functions a real run needs, down to the real file reads: buddyinfo, zoneinfo, a pagetypeinfo
 * whose free blocks are all Movable, the release, the vm sysctls, and a kernel log for report. Made on
 * call, not when the bundle loads (0.3 ms of every run).
 */
const warmUpFiles = (): Record<string, string> => ({
  'proc/buddyinfo': WARM_UP_BUDDYINFO.map(([z, n]) => `Node 0, zone ${z.padStart(8)} ${n.map((c) => String(c).padStart(6)).join(' ')} \n`).join(''),
  'proc/zoneinfo': ['DMA', 'DMA32', 'Normal']
    .map((z, i) => `Node 0, zone ${z.padStart(8)}\n  pages free     ${[3840, 772808, 108155][i]}\n        min      ${[66, 13416, 3413][i]}\n        low      ${[82, 16770, 4266][i]}\n        high     ${[98, 20124, 5119][i]}\n        spanned  ${[4095, 1044480, 5505024][i]}\n        present  ${[3998, 782336, 5505024][i]}\n        managed  ${[3840, 772808, 196608][i]}\n        protection: (0, ${[3018, 0, 0][i]}, ${[3786, 768, 0][i]}, ${[3786, 768, 0][i]}, ${[3786, 768, 0][i]})\n`)
    .join(''),
  'proc/pagetypeinfo':
    'Page block order: 9\nPages per block:  512\n\nFree pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n' +
    WARM_UP_BUDDYINFO.flatMap(([z, n]) =>
      ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'].map(
        (t) => `Node    0, zone ${z.padStart(8)}, type ${t.padStart(12)} ${n.map((c) => String(t === 'Movable' ? c : 0).padStart(6)).join(' ')} \n`,
      ),
    ).join('') +
    '\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n' +
    WARM_UP_BUDDYINFO.map(([z]) => `Node 0, zone ${z.padStart(8)}            1          300            1            0            0 \n`).join(''),
  'proc/version': 'Linux version 6.18.44 (builder@host) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC\n',
  'proc/sys/vm/extfrag_threshold': '500\n',
  'proc/sys/vm/compaction_proactiveness': '20\n',
  'proc/sys/vm/min_free_kbytes': '67584\n',
  'proc/sys/vm/watermark_scale_factor': '10\n',
  'proc/sys/vm/watermark_boost_factor': '15000\n',
  'proc/sys/vm/lowmem_reserve_ratio': '256\t256\t32\t0\t0\n',
  report:
    'app: page allocation failure: order:4, mode:0x4020\n' +
    'Node 0 DMA32 free:12560kB min:7076kB low:8844kB high:10612kB\nlowmem_reserve[]: 0 0 0 0\n' +
    'Node 0 DMA32: 2360*4kB (UEM) 80*8kB 21*16kB 7*32kB 4*64kB 1*128kB 2*256kB 0*512kB 1*1024kB 0*2048kB 0*4096kB = 12560kB\n',
});

/**
 * The runs of each kind of code cache (dist/boot.cjs picks one by the first word): the default
 * command's paths, check's, and every main command.
 */
function warmUpRuns(kind: 'show' | 'check' | 'all', dir: string): string[][] {
  const proc = ['--proc', join(dir, 'proc')];
  const show = [proc, [...proc, '--color'], ['--json', ...proc], ['--format', 'prometheus', ...proc], [join(dir, 'proc/buddyinfo'), join(dir, 'proc/zoneinfo')]];
  const check = [['check', '--order', '4', ...proc], ['check', '--order', '4', '--quiet', ...proc], ['check', '--order', '4', '--json', ...proc]];
  if (kind === 'show') return show;
  if (kind === 'check') return check;
  return [...show, ...check, ['report', join(dir, 'report')], ['--help']];
}

/**
 * Runs one kind's paths in-process on warmUpFiles() with the real Io but output discarded (for the
 * build's code cache of that kind).
 */
export async function warmUp(kind: 'show' | 'check' | 'all'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-warm-up-'));
  try {
    for (const [name, text] of Object.entries(warmUpFiles())) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const discard = { write: (): void => undefined, isTTY: false };
    const io: Io = { ...processIo(), stdout: discard, stderr: discard, stdinKind: 'none' };
    for (const argv of warmUpRuns(kind, dir)) {
      await main(argv, io);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The man page, made from the program's own commands, options and help examples (npm run build). */
export async function manPageText(): Promise<string> {
  const prog = program(contextOf(processIo(), () => undefined));
  const [{ describeProgram }, { manPage }] = await Promise.all([import('./commands/help.js'), import('./format/man.js')]);
  return manPage(describeProgram(prog, VERSION, DEFAULT_COMMAND));
}

/** The entry point bin/buddyinfo.js calls. */
export async function run(): Promise<void> {
  const status = await main(process.argv.slice(2), processIo());
  // Every write is whole when it returns (process-io.ts) and nothing is left to do: exit now. Left to
  // end by itself, Node would first wait for V8's background compiler jobs, 2 to 7 ms here.
  process.exit(status);
}
