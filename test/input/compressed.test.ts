// Compressed inputs: told by magic bytes (never the name), decompressed while read, refused in one sentence when damaged (cut short: compressed-cut.test.ts).

import { execFileSync, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { compressionOf, textOf } from '../../src/input/decompress.js';
import { fakeIo, fixture } from '../helpers/io.js';

const TEXT = fixture('buddyinfo-chromeos-6.6.txt');
const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const squeeze = (tool: string, args: string[], text: string): Uint8Array => new Uint8Array(execFileSync(tool, args, { input: text }));

async function read(bytes: Uint8Array, chunk = 7): Promise<string> {
  async function* pieces(): AsyncGenerator<Uint8Array> {
    // Small chunks, reused as a real reader reuses its buffer: the decompressors must copy what they keep.
    const buffer = new Uint8Array(chunk);
    for (let i = 0; i < bytes.length; i += chunk) {
      const piece = bytes.subarray(i, i + chunk);
      buffer.set(piece);
      yield buffer.subarray(0, piece.length);
    }
  }
  let out = '';
  for await (const t of textOf('in', pieces())) out += t;
  return out;
}

async function show(files: Record<string, string | Uint8Array>, name: string): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files });
  const code = await main(['--json', name], io);
  return { code, out: io.out(), err: io.err() };
}

describe('compressed inputs', () => {
  it('knows gzip, xz and zstd by their first bytes, and nothing else', () => {
    expect(compressionOf(Uint8Array.of(0x1f, 0x8b, 8))).toBe('gzip');
    expect(compressionOf(Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))).toBe('xz');
    expect(compressionOf(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd))).toBe('zstd');
    expect(compressionOf(new TextEncoder().encode('Node 0, zone DMA'))).toBeUndefined();
  });

  it('reads a gzip file under any name, in chunks of any size, to the same text', async () => {
    const gz = new Uint8Array(gzipSync(TEXT));
    expect(await read(gz)).toBe(TEXT);
    const plain = JSON.parse((await show({ 'b.txt': TEXT }, 'b.txt')).out);
    const packed = await show({ 'capture.txt': gz }, 'capture.txt');
    expect(packed.code).toBe(0);
    expect(JSON.parse(packed.out).zones).toEqual(plain.zones);
  });

  it.skipIf(!has('xz'))('reads an xz file (the xz command made it here)', async () => {
    expect(await read(squeeze('xz', ['-c'], TEXT), 4096)).toBe(TEXT);
  });

  it.skipIf(!has('xz'))('refuses an xz file with a SHA-256 check in one sentence, naming a way round', async () => {
    const r = await show({ 'b.xz': squeeze('xz', ['-c', '--check=sha256'], TEXT) }, 'b.xz');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'buddyinfo: b.xz: this xz file uses an xz feature the built-in decoder lacks (a SHA-256 check or a BCJ filter); decompress it first, e.g. "xz -dc b.xz | buddyinfo ...".\n',
    );
  });

  it.skipIf(!has('zstd'))('reads a zstd file (the zstd command made it here)', async () => {
    expect(await read(squeeze('zstd', ['-c', '-q'], TEXT))).toBe(TEXT);
  });

  it('reads compressed standard input', async () => {
    const io = fakeIo();
    const gz = new Uint8Array(gzipSync(TEXT));
    io.stdinBytes = () => ({
      async *[Symbol.asyncIterator]() {
        yield gz;
      },
    });
    Object.assign(io, { stdinKind: 'pipe' });
    expect(await main(['--json', '-'], io)).toBe(0);
    expect(JSON.parse(io.out()).zones[2].free[0]).toBe(11464);
  });
});

describe('history of a compressed log', () => {
  it('reads a gzip log and a gzip zoneinfo beside it as it reads them plain', async () => {
    const log = fixture('history-live-6.18.txt');
    const zi = fixture('proc-x86_64-6.18/zoneinfo');
    const plain = fakeIo({ files: { 'log.txt': log, 'zi.txt': zi } });
    await main(['history', '--json', '--order', '4', 'log.txt', 'zi.txt'], plain);
    const packed = fakeIo({ files: { 'log.gz': new Uint8Array(gzipSync(log)), 'zi.gz': new Uint8Array(gzipSync(zi)) } });
    expect(await main(['history', '--json', '--order', '4', 'log.gz', 'zi.gz'], packed)).toBe(0);
    const a = JSON.parse(plain.out());
    const b = JSON.parse(packed.out());
    // the fixture is 30 snapshots taken 2 s apart
    expect(b.snapshots).toBe(30);
    expect(JSON.stringify(b).replace(/(log|zi)\.gz/g, '$1.txt')).toBe(JSON.stringify(a));
  });
});
