// The real process as Io: files, standard streams, the live kernel, signals. Only cli.ts uses it.

import {
  createReadStream,
  accessSync,
  constants,
  openSync,
  readSync,
  closeSync,
  fstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeSync,
  fsyncSync,
  renameSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { endianness, release } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Io, Output, StdinKind } from './io.js';

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

/**
 * The kernel's log now. /dev/kmsg gives one record per read ("level,seq,usec,flags;text", then " KEY=v"
 * lines) and, opened O_NONBLOCK, EAGAIN at the end instead of waiting; EPIPE means records were
 * overwritten while reading, and the next read goes on. With dmesg_restrict set it needs root (EPERM),
 * and so does the dmesg command that is tried then, but some systems let that through.
 */
function kernelLog(): { text: string; via: '/dev/kmsg' | 'dmesg' } {
  let fd: number;
  try {
    fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    // Loaded here only: child_process loads net, 2 ms of every start-up for a fallback seldom taken.
    const { spawnSync } = process.getBuiltinModule('node:child_process');
    const r = spawnSync('dmesg', [], { encoding: 'utf8', maxBuffer: 1 << 29 });
    if (r.status === 0) return { text: r.stdout, via: 'dmesg' };
    throw err;
  }
  const parts: string[] = [];
  const buffer = Buffer.alloc(1 << 16);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue;
        if (code === 'EAGAIN') break;
        throw err;
      }
      if (n === 0) break;
      parts.push(buffer.toString('utf8', 0, n));
    }
  } finally {
    closeSync(fd);
  }
  return { text: parts.join(''), via: '/dev/kmsg' };
}

/**
 * Whether a character device is a terminal, without loading node:tty (it loads net: 1.5 ms of start-up)
 * for the two devices a descriptor usually is: /dev/null, what cron and systemd give a job, and a
 * pseudo-terminal (/dev/pts/N), what a terminal window or ssh gives a shell. Anything else (a console,
 * a serial line) is asked of the terminal driver.
 */
function terminal(fd: number, st: Stats): boolean {
  if (!st.isCharacterDevice()) return false;
  try {
    const path = readlinkSync(`/proc/self/fd/${fd}`);
    if (path === '/dev/null') return false;
    if (/^\/dev\/pts\/\d+$/.test(path)) return true;
  } catch {
    // No /proc: ask the terminal driver.
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
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
  return terminal(0, st) ? 'tty' : 'null';
}

/** Sleeps the thread; for a descriptor that cannot take a write yet. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Standard output or error, written with write(2) on the descriptor rather than through process.stdout:
 * for a pipe, process.stdout is a net.Socket, which costs loading net (1.5 ms) and leaves the part of a
 * write the pipe cannot take at once pending, for the exit to wait on. Here a write is whole when it
 * returns, so the CLI exits as soon as the command is done. A descriptor another process left
 * non-blocking (EAGAIN) is waited on; EPIPE, the reader gone (`| head`), ends the run with status 0;
 * any other failure (a full disk, a closed descriptor) is said on standard error, status 2.
 */
function descriptorOutput(fd: 1 | 2): Output {
  let tty: boolean | undefined;
  const isTTY = (): boolean => {
    if (tty === undefined) {
      try {
        tty = terminal(fd, fstatSync(fd));
      } catch {
        tty = false;
      }
    }
    return tty;
  };
  return {
    write(text: string): void {
      const data = Buffer.from(text, 'utf8');
      for (let off = 0; off < data.length; ) {
        try {
          off += writeSync(fd, data, off, data.length - off);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            pause(1);
            continue;
          }
          if (code === 'EPIPE') process.exit(0);
          if (fd === 1) descriptorOutput(2).write(`buddyinfo: cannot write the output: ${(err as Error).message}.\n`);
          process.exit(2);
        }
      }
    },
    get isTTY() {
      return isTTY();
    },
    // A terminal's size, from the tty stream Node makes for it (only ever asked on a terminal).
    get columns() {
      return isTTY() ? (fd === 1 ? process.stdout : process.stderr).columns : undefined;
    },
    get rows() {
      return isTTY() ? (fd === 1 ? process.stdout : process.stderr).rows : undefined;
    },
  };
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
      let n = readSync(fd, buffer, 0, buffer.length, null);
      while (n > 0) {
        yield buffer.subarray(0, n);
        // Back through the event loop between full chunks, or a SIGINT would wait for the end of a large
        // file. A chunk that did not fill the buffer was most likely the last (every /proc file is one):
        // the next read says so at once, without that turn.
        if (n === buffer.length) await new Promise((resolve) => setImmediate(resolve));
        n = readSync(fd, buffer, 0, buffer.length, null);
      }
    } finally {
      if (fd !== -1) closeSync(fd);
    }
  }
  return {
    stdout: descriptorOutput(1),
    stderr: descriptorOutput(2),
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
    // A read early.cts started before the bundle loaded (the kernel's slow pagetypeinfo), taken once.
    readProcText: (path) => {
      const early = (globalThis as Record<symbol, Map<string, Promise<string>> | undefined>)[Symbol.for('buddyinfo.early-reads')];
      const text = early?.get(path);
      if (text === undefined) return readFileSync(path, 'utf8');
      early?.delete(path);
      return text;
    },
    regularFile: (path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return undefined;
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
    kernelLog,
    now: () => Date.now(),
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
    interrupt: controller.signal,
    writeFileAtomic: async (path, text) => writeFileAtomicSync(path, text),
  };
}
