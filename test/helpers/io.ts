// A fake Io for running the CLI in-process: in-memory files, captured output, a controllable clock.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io, StdinKind } from '../../src/io.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export interface FakeIo extends Io {
  out: () => string;
  err: () => string;
  abort: () => void;
  /** File contents: text, or bytes (a compressed file, an archive). */
  files: Map<string, string | Uint8Array>;
  /** How many times standard input was opened (as text or bytes). */
  stdinReads: () => number;
}

export interface FakeOptions {
  files?: Record<string, string | Uint8Array>;
  stdin?: string;
  /** What standard input is; default: a pipe when `stdin` is given, else a terminal. */
  stdinKind?: StdinKind;
  /** Standard input is a pipe that stays open and never sends (`ssh host buddyinfo`, a CI runner). */
  stdinIdle?: boolean;
  /** Whether the run has a controlling terminal; default: yes (a shell). */
  interactive?: boolean;
  stdoutTTY?: boolean;
  /** The terminal's width and height; default 120 x 40. */
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  pageSize?: number;
  kernel?: string;
  /** Files that behave as named pipes: not regular files (they can be read once only). */
  pipes?: string[];
  /** The live kernel log: its text and how it was read; an error code when it cannot be read. */
  kernelLog?: { text: string; via: '/dev/kmsg' | 'dmesg' } | { code: string };
  /** Split file text into chunks of this size, to exercise lines cut across chunks. */
  chunk?: number;
}

/** The UTF-8 bytes of a text (or the bytes given) in chunks of `size` bytes, so a chunk may end inside a character. */
function* byteChunks(content: string | Uint8Array, size: number): Generator<Uint8Array> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

export function fakeIo(opts: FakeOptions = {}): FakeIo {
  let out = '';
  let err = '';
  const files = new Map(Object.entries(opts.files ?? {}));
  const controller = new AbortController();
  let clock = 1_700_000_000_000;
  let stdinReads = 0;
  const size = opts.chunk ?? 1 << 16;
  const open = <T>(path: string, cut: (text: string | Uint8Array, size: number) => Iterable<T>): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      const text = files.get(path);
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      }
      yield* cut(text, size);
    },
  });
  const stdinKind = opts.stdinKind ?? (opts.stdin === undefined ? 'tty' : 'pipe');
  return {
    stdout: { write: (s) => void (out += s), isTTY: opts.stdoutTTY ?? false, columns: opts.columns ?? 120, rows: opts.rows ?? 40 },
    stderr: { write: (s) => void (err += s), isTTY: false },
    env: opts.env ?? {},
    stdinKind,
    interactive: opts.interactive ?? true,
    stdinBytes: () => ({
      async *[Symbol.asyncIterator]() {
        stdinReads++;
        if (opts.stdinIdle) await new Promise<never>(() => undefined);
        yield* byteChunks(opts.stdin ?? '', size);
      },
    }),
    readBytes: (path) => open(path, byteChunks),
    readable: (path) => files.has(path),
    regularFile: (path) => files.has(path) && !(opts.pipes ?? []).includes(path),
    listDir: (path) => {
      const prefix = `${path.replace(/\/+$/, '')}/`;
      const names = new Set([...files.keys()].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0] as string));
      return names.size === 0 ? undefined : [...names].sort();
    },
    livePageSize: () => opts.pageSize ?? 4096,
    kernelRelease: () => opts.kernel ?? '6.18.44-test',
    kernelLog: () => {
      const log = opts.kernelLog ?? { code: 'ENOENT' };
      if ('code' in log) throw Object.assign(new Error(`${log.code}: cannot open '/dev/kmsg'`), { code: log.code });
      return log;
    },
    now: () => clock,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      // A short wait (the 0.1 s a silent pipe is given) is waited for real, so work under way (a read
      // of standard input that has its data, zlib decoding it on the thread pool) ends first; a longer
      // one (watch's interval) only moves the clock, after a turn of the event loop.
      await new Promise((resolve) => (ms <= 100 ? setTimeout(resolve, ms) : setImmediate(resolve)));
      clock += ms;
    },
    interrupt: controller.signal,
    writeOutput: async (path, text) => void files.set(path, text),
    out: () => out,
    err: () => err,
    abort: () => controller.abort(),
    files,
    stdinReads: () => stdinReads,
  };
}
