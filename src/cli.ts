// The command line: argv to a command, the real process as Io, and every exit status decided here.

import {
  createReadStream,
  accessSync,
  constants,
  openSync,
  readSync,
  closeSync,
  fstatSync,
  statSync,
  writeSync,
  fsyncSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { endianness, release } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isatty } from 'node:tty';
import { Command, CommanderError } from 'commander';
import type { CliContext } from './commands/context.js';
import { topLevelHelp } from './commands/help.js';
import { closestCommand } from './commands/suggest.js';
import { COMMANDS, DEFAULT_COMMAND, SUMMARIES } from './commands/registry.js';
import { EXAMPLES } from './commands/show.js';
import { colorLevel } from './format/color.js';
import type { Io, StdinKind } from './io.js';
import { InputError } from './model.js';

const VERSION = '0.1.0';
const REPORT_BUGS = 'This is a bug in buddyinfo. Please report it with the command line and the input that caused it.';

/** Exit statuses: the README documents them. */
export const EXIT = { ok: 0, fail: 1, usage: 2, bug: 70, interrupted: 130 } as const;

/** Builds the program; `exit` receives the status of the command that ran. */
function program(io: Io, exit: (code: number) => void): Command {
  const prog = new Command('buddyinfo')
    .description(
      'Analyse Linux memory fragmentation from /proc/buddyinfo: how fragmented each zone is, and whether an order-N allocation would succeed.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One style for every error, commander's ("error: unknown option") and ours.
      outputError: (s, write) => write(s.replace(/^error: /, 'buddyinfo: ')),
      getOutHelpWidth: () => (io.stdout.isTTY ? (io.stdout.columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? (io.stderr.columns ?? 80) : 80),
    })
    .showHelpAfterError('(run "buddyinfo --help" for usage)');
  const ctx: CliContext = {
    io,
    colorOf: (o) => colorLevel(o.color, io.stdout.isTTY, io.env),
    exit,
    version: VERSION,
    defaultCommand: DEFAULT_COMMAND,
  };
  for (const register of COMMANDS) register(prog, ctx);
  topLevelHelp(prog, DEFAULT_COMMAND, SUMMARIES);
  prog.addHelpText('after', EXAMPLES);
  return prog;
}

/** Runs the command line; resolves to the exit status. Tests call this with a fake Io. */
export async function main(argv: string[], io: Io): Promise<number> {
  let status: number = EXIT.ok;
  const prog = program(io, (code) => {
    status = code;
  });
  try {
    await prog.parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok;
      // `buddyinfo chek --order 4`: the default command took "chek" as a file and refused --order.
      const meant = argv[0] === undefined ? undefined : closestCommand(argv[0], prog.commands.map((c) => c.name()));
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

/**
 * The kernel's page size, from the auxiliary vector the kernel hands every process (AT_PAGESZ = 6):
 * exact, and cheaper than spawning getconf.
 */
function livePageSize(): number | undefined {
  try {
    const fd = openSync('/proc/self/auxv', 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const wide = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(process.arch);
    const size = wide ? 8 : 4;
    const le = endianness() === 'LE';
    for (let off = 0; off + 2 * size <= n; off += 2 * size) {
      const read = (o: number): number =>
        size === 8 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : le ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
      const type = read(off);
      if (type === 0) break;
      if (type === 6) return read(off + size);
    }
  } catch {
    // Not Linux, or /proc not mounted: the caller falls back to the default and says so.
  }
  return undefined;
}

/** What file descriptor 0 is; a closed descriptor fails fstat with EBADF. */
function stdinKind(): StdinKind {
  let st;
  try {
    st = fstatSync(0);
  } catch {
    return 'none';
  }
  if (st.isFile()) return 'file';
  if (st.isFIFO() || st.isSocket()) return 'pipe';
  return isatty(0) ? 'tty' : 'null';
}

/**
 * Whether the process has a controlling terminal: opening /dev/tty fails with ENXIO without one, as it
 * does under cron, systemd, `ssh host cmd` without -t, `setsid` and CI runners. Asked of the kernel at
 * once: no waiting on standard input, so no race and no timeout.
 */
function hasControllingTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', constants.O_RDONLY | constants.O_NOCTTY));
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces `target` so that a reader (node_exporter's textfile collector) sees the old file or the new
 * one, never a part, and the new one survives a crash: a temporary file beside it (a dot name ending in
 * .tmp, which the collector skips), every byte written (a short write on a full disk is an error, not
 * an end), fsync, rename over the target, fsync of the folder so the rename itself is on disk. On any
 * failure before the rename the temporary file is removed and the target is left as it was.
 * write-file-atomic is not used: 7.0.1 ignores a short write, so on a full disk it reported success
 * and put a truncated file in place, and it never fsyncs the folder (notes/packages.md, section 4).
 */
function writeFileAtomicSync(target: string, text: string): void {
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`);
  const data = Buffer.from(text, 'utf8');
  let mode = 0o644;
  try {
    const st = statSync(target);
    if (st.isFile()) mode = st.mode & 0o7777;
  } catch {
    // No target yet: a new file readable by the collector's user.
  }
  let fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== -1) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone: nothing to clean.
    }
    throw err;
  }
  const dirFd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(dirFd);
  } catch (err) {
    // A file system that cannot sync a folder (EINVAL) has nothing more to give; the file is in place.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
  } finally {
    closeSync(dirFd);
  }
}

async function* readText(stream: NodeJS.ReadableStream): AsyncIterable<string> {
  stream.setEncoding('utf8');
  for await (const chunk of stream) yield chunk as string;
}

/** The real process as Io. */
export function processIo(): Io {
  const controller = new AbortController();
  const kind = stdinKind();
  let interactive: boolean | undefined;
  process.once('SIGINT', () => controller.abort());
  /**
   * A file as bytes. A regular file is read into one buffer over and over (the Io contract lets a chunk
   * be reused once the next is asked for): a read stream allocates a buffer per chunk, and with 1 MiB
   * chunks that garbage took history's peak RSS on a 210 MiB log to 137 MiB, against 64 MiB. Anything
   * else (a named pipe, /dev/fd/N, a device) goes through a stream, which waits for data without
   * holding up the event loop (so Ctrl-C still works); O_NONBLOCK keeps the first open of a named pipe
   * from waiting for a writer.
   */
  async function* fileBytes(path: string): AsyncIterable<Uint8Array> {
    let fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) {
        closeSync(fd);
        fd = -1;
        yield* createReadStream(path, { highWaterMark: 1 << 16 });
        return;
      }
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) return;
        yield buffer.subarray(0, n);
        // Back through the event loop between chunks, or a SIGINT would wait for the end of the file.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      if (fd !== -1) closeSync(fd);
    }
  }
  return {
    stdout: {
      write: (s) => void process.stdout.write(s),
      get isTTY() {
        return process.stdout.isTTY === true;
      },
      get columns() {
        return process.stdout.columns;
      },
      get rows() {
        return process.stdout.rows;
      },
    },
    stderr: {
      write: (s) => void process.stderr.write(s),
      get isTTY() {
        return process.stderr.isTTY === true;
      },
    },
    env: process.env,
    stdinKind: kind,
    stdinHasData: kind === 'file' || kind === 'pipe',
    get interactive() {
      return (interactive ??= hasControllingTerminal());
    },
    stdin: () => readText(process.stdin),
    readFile: (path) => readText(createReadStream(path, { highWaterMark: 1 << 20 })),
    stdinBytes: () => process.stdin,
    readBytes: fileBytes,
    regularFile: (path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    readable: (path) => {
      try {
        accessSync(path, constants.R_OK);
        return true;
      } catch {
        return false;
      }
    },
    livePageSize,
    kernelRelease: release,
    now: () => Date.now(),
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
    interrupt: controller.signal,
    writeFileAtomic: async (path, text) => writeFileAtomicSync(path, text),
  };
}

/** Small inputs the build's warm-up run reads, so the code cache holds the functions a real run needs. */
const WARM_UP_FILES: Record<string, string> = {
  buddyinfo:
    'Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n' +
    'Node 0, zone    DMA32      2      3      0      2      3      2      1      4      4      2    752 \n' +
    'Node 0, zone   Normal   3490   2059   1328    862    486    361    158     88     44     17     27 \n',
  zoneinfo: ['DMA', 'DMA32', 'Normal']
    .map((z, i) => `Node 0, zone ${z.padStart(8)}\n  pages free     ${[3840, 772808, 108155][i]}\n        min      ${[66, 13416, 3413][i]}\n        low      ${[82, 16770, 4266][i]}\n        high     ${[98, 20124, 5119][i]}\n        spanned  4095\n        present  3998\n        managed  3840\n        protection: (0, ${[3018, 0, 0][i]}, ${[3786, 768, 0][i]}, ${[3786, 768, 0][i]}, ${[3786, 768, 0][i]})\n`)
    .join(''),
  report:
    'app: page allocation failure: order:4, mode:0x4020\n' +
    'Node 0 DMA32 free:12560kB min:7076kB low:8844kB high:10612kB\nlowmem_reserve[]: 0 0 0 0\n' +
    'Node 0 DMA32: 2360*4kB (UEM) 80*8kB 21*16kB 7*32kB 4*64kB 1*128kB 2*256kB 0*512kB 1*1024kB 0*2048kB 0*4096kB = 12560kB\n',
};

/** Runs the main commands in-process on WARM_UP_FILES with output discarded (for the build's code cache). */
export async function warmUp(): Promise<void> {
  const io = processIo();
  const discard = { write: (): void => undefined, isTTY: false };
  const files: Io = {
    ...io,
    stdout: discard,
    stderr: discard,
    stdinKind: 'none',
    stdinHasData: false,
    readFile: (path) => ({
      async *[Symbol.asyncIterator]() {
        const text = WARM_UP_FILES[path];
        if (text === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
        yield text;
      },
    }),
  };
  for (const argv of [
    ['buddyinfo', 'zoneinfo'],
    ['--json', 'buddyinfo', 'zoneinfo'],
    ['check', '--order', '4', 'buddyinfo', 'zoneinfo'],
    ['report', 'report'],
    ['--help'],
  ]) {
    await main(argv, files);
  }
}

/** The man page, made from the program's own commands, options and help examples (npm run build). */
export async function manPageText(): Promise<string> {
  const prog = program(processIo(), () => undefined);
  const [{ describeProgram }, { manPage }] = await Promise.all([import('./commands/help.js'), import('./format/man.js')]);
  return manPage(describeProgram(prog, VERSION, DEFAULT_COMMAND));
}

/** The entry point bin/buddyinfo.js calls. */
export async function run(): Promise<void> {
  // `buddyinfo | head -1` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT.ok);
      // A full disk or a closed descriptor: the output is lost, and the run must not look like a verdict.
      if (stream === process.stdout) process.stderr.write(`buddyinfo: cannot write the output: ${err.message}.\n`);
      process.exit(EXIT.usage);
    });
  }
  process.exitCode = await main(process.argv.slice(2), processIo());
}

