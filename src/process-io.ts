// The real process as Io: files, standard streams, the live kernel, signals. Only cli.ts uses it; process-output.ts writes.

import { createReadStream, accessSync, constants, openSync, readSync, closeSync, fstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { endianness, release } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Io, StdinKind } from './io.js';
import { descriptorOutput, terminal, writeOutput } from './process-output.js';

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
    get interactive() {
      return (interactive ??= hasControllingTerminal());
    },
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
    writeOutput: (path, text) => writeOutput(path, text, controller.signal),
  };
}
