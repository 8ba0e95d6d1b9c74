// A fake Io for running the CLI in-process: in-memory files, captured output, a controllable clock.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/io.js';

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
}

export interface FakeOptions {
  files?: Record<string, string | Uint8Array>;
  stdin?: string;
  stdoutTTY?: boolean;
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

function* chunks(content: string | Uint8Array, size: number): Generator<string> {
  const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
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
  return {
    stdout: { write: (s) => void (out += s), isTTY: opts.stdoutTTY ?? false, columns: 120 },
    stderr: { write: (s) => void (err += s), isTTY: false },
    env: opts.env ?? {},
    stdinIsTTY: opts.stdin === undefined,
    stdinHasData: opts.stdin !== undefined,
    stdin: () => ({
      async *[Symbol.asyncIterator]() {
        yield* chunks(opts.stdin ?? '', size);
      },
    }),
    stdinBytes: () => ({
      async *[Symbol.asyncIterator]() {
        yield* byteChunks(opts.stdin ?? '', size);
      },
    }),
    readFile: (path) => open(path, chunks),
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
      clock += ms;
    },
    interrupt: controller.signal,
    writeFileAtomic: async (path, text) => void files.set(path, text),
    out: () => out,
    err: () => err,
    abort: () => controller.abort(),
    files,
  };
}
