// Writing from the real process: standard output and error on their descriptors, and --output FILE.

import {
  constants,
  openSync,
  closeSync,
  fstatSync,
  readlinkSync,
  realpathSync,
  lstatSync,
  statSync,
  writeSync,
  fsyncSync,
  renameSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Output } from './io.js';

/**
 * Whether a character device is a terminal, without loading node:tty (it loads net: 1.5 ms of start-up)
 * for the two devices a descriptor usually is: /dev/null, what cron and systemd give a job, and a
 * pseudo-terminal (/dev/pts/N), what a terminal window or ssh gives a shell. Anything else (a console,
 * a serial line) is asked of the terminal driver.
 */
export function terminal(fd: number, st: Stats): boolean {
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

/** The tty handle windowSize asks, one per descriptor, made on first use. */
const ttyHandles = new Map<number, { getWindowSize(size: number[]): number }>();

/**
 * A terminal's columns and rows from Node's tty binding, the call its tty stream makes, in 0.1 ms: the
 * stream itself (process.stdout on a terminal) loads node:tty and net first, 2.4 ms of every run on a
 * terminal. process.binding is deprecated but kept; where it is gone, or would print its deprecation
 * warning (--pending-deprecation), undefined sends the caller to the stream.
 */
function windowSize(fd: number): [number, number] | undefined {
  if (process.execArgv.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1') return undefined;
  try {
    let handle = ttyHandles.get(fd);
    if (handle === undefined) {
      const binding = (process as unknown as { binding(name: string): { TTY: new (fd: number, ctx: object) => { getWindowSize(size: number[]): number } } }).binding('tty_wrap');
      handle = new binding.TTY(fd, {});
      ttyHandles.set(fd, handle);
    }
    const size: number[] = [];
    if (handle.getWindowSize(size) !== 0 || typeof size[0] !== 'number' || typeof size[1] !== 'number') return undefined;
    return [size[0], size[1]];
  } catch {
    return undefined;
  }
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
export function descriptorOutput(fd: 1 | 2): Output {
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
    // A terminal's size (only ever asked on a terminal), asked again each time: it may have been resized.
    get columns() {
      return isTTY() ? (windowSize(fd)?.[0] ?? (fd === 1 ? process.stdout : process.stderr).columns) : undefined;
    },
    get rows() {
      return isTTY() ? (windowSize(fd)?.[1] ?? (fd === 1 ? process.stdout : process.stderr).rows) : undefined;
    },
  };
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

/**
 * The file a path names once its symbolic links are followed, so that the rename replaces the file and
 * leaves the link. A link to nothing yet is followed by hand (realpath refuses it): the file it names is
 * the one made.
 */
function linkedPath(path: string): string {
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
    return realpathSync.native(path);
  } catch {
    // No such path (a new file), or a link that leads nowhere yet: followed below.
  }
  let p = path;
  for (let hop = 0; hop < 40; hop++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  // 40 links deep, as the kernel counts: a loop, refused as the kernel refuses it rather than renamed over.
  throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, open '${path}'`), { code: 'ELOOP' });
}

/** Whether a file is the one a descriptor of ours is open on. */
function sameFile(st: Stats, fd: number): boolean {
  try {
    const own = fstatSync(fd);
    return own.dev === st.dev && own.ino === st.ino;
  } catch {
    return false;
  }
}

/**
 * Opens a FIFO or a device and writes to it, as `>` does: a rename would put a regular file in place of
 * the node (of /dev/null, say) and leave the reader of a FIFO waiting. Opened non-blocking, and waited on
 * with timers: a blocking open of a FIFO with no reader yet, or a write to a full one, would hold a
 * thread that even process.exit waits for, so Ctrl-C could not end the run. A FIFO with no reader
 * (ENXIO) is tried again until one comes, as a shell waits; a full one (EAGAIN) until it has room.
 */
async function writeThrough(path: string, st: Stats, text: string, signal: AbortSignal): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  let fd: number;
  for (;;) {
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
      break;
    } catch (err) {
      if (!st.isFIFO() || (err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      await delay(50, undefined, { signal });
    }
  }
  try {
    for (let off = 0; off < data.length; ) {
      try {
        off += writeSync(fd, data, off, data.length - off);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await delay(5, undefined, { signal });
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * --output FILE: the path as the user sees it decides. Standard output or error itself (/dev/stdout, a
 * link to /proc/self/fd/1) is written on its descriptor, which keeps a shell's `>>` and a pipe whole; any
 * other FIFO, device or socket is written through; a regular file, a new one or a folder (which the
 * rename refuses, EISDIR) goes through the atomic replace, at the end of its links.
 */
export async function writeOutput(path: string, text: string, signal: AbortSignal): Promise<void> {
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    // Nothing there yet (or a link to nothing): a new file, made atomically.
  }
  if (st !== undefined) {
    const fd = ([1, 2] as const).find((d) => sameFile(st, d));
    if (fd !== undefined) return descriptorOutput(fd).write(text);
    if (!st.isFile() && !st.isDirectory()) return writeThrough(path, st, text, signal);
  }
  writeFileAtomicSync(linkedPath(path), text);
}
