// Compressed inputs (gzip, xz, zstd) told by their magic bytes, decompressed as they stream, and bytes as text.

import { InputError } from '../model.js';

export type Compression = 'gzip' | 'xz' | 'zstd';

/** The magic numbers: gzip 1f 8b (RFC 1952), xz fd 37 7a 58 5a 00, zstd frame 28 b5 2f fd (RFC 8878). */
const MAGIC: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** How a stream is compressed, from its first bytes; undefined for anything else (text). */
export function compressionOf(head: Uint8Array): Compression | undefined {
  return MAGIC.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0];
}

/**
 * The source's chunks, copied when a decompressor may hold them: a reader may reuse its buffer once the
 * next chunk is asked for (the Io contract); text is decoded before that, so it needs no copy.
 */
async function* rest(first: Uint8Array, more: AsyncIterator<Uint8Array>, copy: boolean): AsyncGenerator<Uint8Array> {
  yield first;
  for (let r = await more.next(); r.done !== true; r = await more.next()) yield copy ? r.value.slice() : r.value;
}

/**
 * xz-embedded (xz-decompress) refuses some files with a bare code (xz_dec.h): 4 a dictionary it will not
 * allocate (96 MiB and up), 6 a check or filter it lacks (SHA-256, BCJ), 8 data that stops short.
 */
function xzError(name: string, err: unknown): InputError {
  const code = /error code (\d+)/.exec(String((err as Error | undefined)?.message ?? err))?.[1];
  const why: Record<string, string> = {
    '4': 'needs a larger dictionary (96 MiB or more) than the built-in decoder allocates',
    '6': 'uses an xz feature the built-in decoder lacks (a SHA-256 check or a BCJ filter)',
    '8': 'is cut short: the compressed data stops before its end',
  };
  const reason = (code !== undefined ? why[code] : undefined) ?? `could not be decoded (${String((err as Error | undefined)?.message ?? err)})`;
  return new InputError(`${name}: this xz file ${reason}; decompress it first, e.g. "xz -dc ${name} | buddyinfo ...".`, name);
}

async function* gunzip(name: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Loaded on use; not import(): the bundle runs in a vm.Script, where import() of a built-in has no loader.
  const out = process.getBuiltinModule('node:zlib').createGunzip();
  // node:stream too (1 ms to load): only a compressed input needs it.
  const { Readable, pipeline } = process.getBuiltinModule('node:stream');
  pipeline(Readable.from(source), out, () => undefined);
  try {
    for await (const chunk of out) yield chunk as Uint8Array;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${name}: this gzip file could not be decompressed (${(err as Error).message}).`, name);
  }
}

async function* unxz(name: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Loaded only for an xz input: the wasm decoder costs nothing to the runs that never meet one.
  const mod = (await import('xz-decompress')) as unknown as { XzReadableStream?: XzCtor; default?: { XzReadableStream: XzCtor } };
  const Xz = (mod.XzReadableStream ?? mod.default?.XzReadableStream) as XzCtor;
  const { Readable } = process.getBuiltinModule('node:stream');
  const web = Readable.toWeb(Readable.from(source)) as ReadableStream<Uint8Array>;
  try {
    for await (const chunk of Readable.fromWeb(new Xz(web) as never)) yield chunk as Uint8Array;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw xzError(name, err);
  }
}

type XzCtor = new (s: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

async function* unzstd(name: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { Decompress } = await import('fzstd');
  const out: Uint8Array[] = [];
  const dec = new Decompress((chunk) => {
    out.push(chunk);
  });
  const push = (chunk: Uint8Array, final: boolean): void => {
    try {
      dec.push(chunk, final);
    } catch (err) {
      throw new InputError(`${name}: this zstd file could not be decompressed (${(err as Error).message}).`, name);
    }
  };
  for await (const chunk of source) {
    push(chunk, false);
    yield* out.splice(0);
  }
  push(new Uint8Array(0), true);
  yield* out.splice(0);
}

/** The bytes of a stream, decompressed when its first bytes say it is gzip, xz or zstd. */
export async function* decompressed(name: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  if (first.done === true) return;
  let head = first.value.slice();
  // A pipe may hand over fewer bytes than the longest magic number.
  while (head.length < 6) {
    first = await it.next();
    if (first.done === true) break;
    const more = new Uint8Array(head.length + first.value.length);
    more.set(head);
    more.set(first.value, head.length);
    head = more;
  }
  const kind = compressionOf(head);
  const source = rest(head, it, kind !== undefined);
  switch (kind) {
    case 'gzip':
      yield* gunzip(name, source);
      return;
    case 'xz':
      yield* unxz(name, source);
      return;
    case 'zstd':
      yield* unzstd(name, source);
      return;
    default:
      yield* source;
  }
}

/** An input as text chunks: decompressed if need be, then decoded as UTF-8 (a byte order mark is kept). */
export async function* textOf(name: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for await (const chunk of decompressed(name, chunks)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
