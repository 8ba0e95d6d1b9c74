// Writing from the real process: standard output and error on their descriptors, and --output FILE.

import {
  constants,
  openSync,
  closeSync,
  fstatSync,
  readlinkSync,
  statSync,
  writeSync,
  fsyncSync,
  renameSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { dirname, basename, join } from 'node:path';
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

/** --output FILE, replaced atomically. */
export async function writeOutput(path: string, text: string): Promise<void> {
  writeFileAtomicSync(path, text);
}
