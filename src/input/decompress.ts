// Compressed inputs (gzip, xz, zstd) told by their magic bytes, decompressed as they stream, and bytes as text.

import { InputError, isSystemError } from '../model.js';

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
 * Thrown by a decoder when the compressed data stops before its end (a capture cut short by a full disk,
 * a copy stopped half-way), once everything decoded up to there has been handed over.
 */
class CutShort extends Error {}

/**
 * xz-embedded (xz-decompress) refuses some files with a bare code (xz_dec.h): 4 a dictionary it will not
 * allocate (96 MiB and up), 6 a check or filter it lacks (SHA-256, BCJ), 8 data that stops short.
 */
function xzError(name: string, err: unknown): Error {
  const code = /error code (\d+)/.exec(String((err as Error | undefined)?.message ?? err))?.[1];
  if (code === '8') return new CutShort();
  const why: Record<string, string> = {
    '4': 'needs a larger dictionary (96 MiB or more) than the built-in decoder allocates',
    '6': 'uses an xz feature the built-in decoder lacks (a SHA-256 check or a BCJ filter)',
  };
  const reason = (code !== undefined ? why[code] : undefined) ?? `could not be decoded (${String((err as Error | undefined)?.message ?? err)})`;
  return new InputError(`${name}: this xz file ${reason}; decompress it first, e.g. "xz -dc ${name} | buddyinfo ...".`, name);
}

async function* gunzip(name: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Loaded on use; not import(): the bundle runs in a vm.Script, where import() of a built-in has no loader.
  const zlib = process.getBuiltinModule('node:zlib');
  const out = zlib.createGunzip();
  // node:stream too (1 ms to load): only a compressed input needs it.
  const { Readable, Writable, pipeline } = process.getBuiltinModule('node:stream');
  // Fed by hand rather than piped, to flush the decoder before ending it: ended at once, a file cut short
  // fails with the last stretch it decoded still inside; flushed first, all of it comes out before the
  // error that says the data stopped short (Z_BUF_ERROR, "unexpected end of file").
  const feed = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
    final(done) {
      out.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        out.end();
        done();
      });
    },
  });
  // A failed read reaches the decoder's reader as its error; a decoder that stops (a reader that stopped
  // asking, corrupt data) stops the reading, which closes the file.
  pipeline(Readable.from(source), feed, (err) => {
    if (err) out.destroy(err);
  });
  out.once('close', () => feed.destroy());
  try {
    for await (const chunk of out) yield chunk as Uint8Array;
  } catch (err) {
    if (err instanceof InputError || isSystemError(err)) throw err;
    if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') throw new CutShort();
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
    if (err instanceof InputError || isSystemError(err)) throw err;
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
      // fzstd's ZstdErrorCode.UnexpectedEOF: the data stops inside a frame; its whole blocks were decoded.
      if ((err as { code?: unknown }).code === 5) throw new CutShort();
      throw new InputError(`${name}: this zstd file could not be decompressed (${(err as Error).message}).`, name);
    }
  };
  for await (const chunk of source) {
    push(chunk, false);
    yield* out.splice(0);
  }
  let cut = false;
  try {
    push(new Uint8Array(0), true);
  } catch (err) {
    if (!(err instanceof CutShort)) throw err;
    cut = true;
  }
  // The blocks whole before the cut, handed over before the cut is said.
  yield* out.splice(0);
  if (cut) throw new CutShort();
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * A decoder's bytes, each chunk up to its last line end at once and what follows held back, so that when
 * the compressed data stops short the line it stops in is left out rather than read as a whole one (a
 * count cut from 170 to 17 would read as a count). The cut is said in one note: the input is read up to
 * it, as the cut-short rule reads a capture whose last snapshot stops short. Cut before the end of the
 * first line, nothing can be read, and that is an error.
 */
async function* upToTheCut(name: string, kind: Compression, decoded: AsyncIterable<Uint8Array>, note: (text: string) => void): AsyncGenerator<Uint8Array> {
  // Copies: a decoder may reuse what it handed over once asked for more. A line at most, so cheap.
  let held: Uint8Array[] = [];
  let lineEnd = false;
  try {
    for await (const chunk of decoded) {
      const end = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
      if (end === -1) {
        held.push(chunk.slice());
        continue;
      }
      lineEnd = true;
      if (held.length > 0) yield* held.splice(0);
      yield chunk.subarray(0, end + 1);
      if (end + 1 < chunk.length) held = [chunk.slice(end + 1)];
    }
  } catch (err) {
    if (!(err instanceof CutShort)) throw err;
    if (!lineEnd) throw new InputError(`${name}: this ${kind} file is cut short before the end of its first line: nothing in it can be read.`, name);
    const partial = held.some((c) => c.length > 0);
    note(`${name}: this ${kind} file is cut short (its compressed data stops before its end): it was read up to the cut${partial ? ', and its last line, left incomplete by the cut, was left out' : ''}.`);
    return;
  }
  yield* held;
}

/** A decoder's bytes as they come, a cut ending them quietly: for a look at the head, which says nothing. */
async function* headOf(decoded: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* decoded;
  } catch (err) {
    if (!(err instanceof CutShort)) throw err;
  }
}

/**
 * The bytes of a stream, decompressed when its first bytes say it is gzip, xz or zstd. A compressed
 * stream cut short gives its whole lines up to the cut, and says so through `note`. Without `note` (a
 * look at the head, or an archive, whose reader says it is cut short in its own words) the bytes go as
 * they come and the cut ends them without a word.
 */
export async function* decompressed(name: string, chunks: AsyncIterable<Uint8Array>, note?: (text: string) => void): AsyncGenerator<Uint8Array> {
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
  if (kind === undefined) {
    yield* source;
    return;
  }
  const decoded = kind === 'gzip' ? gunzip(name, source) : kind === 'xz' ? unxz(name, source) : unzstd(name, source);
  yield* note === undefined ? headOf(decoded) : upToTheCut(name, kind, decoded, note);
}

/** The 512-byte ustar header has "ustar" at offset 257 (POSIX.1-1988). */
export function looksLikeTar(head: Uint8Array): boolean {
  return head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar';
}

/**
 * Thrown by textOf, when asked to look, on an input whose first decompressed bytes are a tar header (a
 * sosreport archive piped in): its bytes, decompressed, from the start, for the archive reader.
 */
export class ArchiveInput extends Error {
  constructor(readonly bytes: AsyncIterable<Uint8Array>) {
    super('a tar archive');
  }
}

/**
 * An input as text chunks: decompressed if need be, then decoded as UTF-8 (a byte order mark is kept).
 * With `archives`, a first chunk that is a tar header (all of it in that chunk, as a pipe or a decoder
 * hands a 512-byte block) throws ArchiveInput instead: standard input cannot be opened twice to ask.
 */
export async function* textOf(name: string, chunks: AsyncIterable<Uint8Array>, note?: (text: string) => void, archives = false): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const it = decompressed(name, chunks, note)[Symbol.asyncIterator]();
  let first = true;
  for (let r = await it.next(); r.done !== true; r = await it.next()) {
    const chunk = r.value;
    if (first && chunk.length > 0) {
      first = false;
      if (archives && looksLikeTar(chunk)) {
        const head = chunk.slice();
        throw new ArchiveInput({
          async *[Symbol.asyncIterator]() {
            yield head;
            for (let n = await it.next(); n.done !== true; n = await it.next()) yield n.value;
          },
        });
      }
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
