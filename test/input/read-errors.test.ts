// A file that fails while read (EIO from a bad disk, any errno): one sentence naming it, exit 2, never a bug report.

import { closeSync, openSync, readSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { errnoText } from '../../src/input/sources.js';
import { fakeIo, fixture, type FakeIo } from '../helpers/io.js';

const BIN = fileURLToPath(new URL('../../bin/buddyinfo.js', import.meta.url));

/** A Node system error as fs gives it: the code, then the description and the call. */
const systemError = (code: string, description: string): Error => Object.assign(new Error(`${code}: ${description}, read`), { code });

/**
 * Makes `path` fail: its reader hands over `good` (as bytes) and then throws `err`, the way a read(2)
 * past a bad sector does after the sectors before it were read.
 */
function failing(io: FakeIo, path: string, good: string | Uint8Array, err: Error): void {
  const open = io.readBytes;
  io.readBytes = (p) =>
    p !== path
      ? open(p)
      : {
          async *[Symbol.asyncIterator]() {
            if (good.length > 0) yield typeof good === 'string' ? new TextEncoder().encode(good) : good;
            throw err;
          },
        };
}

async function run(argv: string[], files: Record<string, string>, path: string, good: string | Uint8Array, err: Error) {
  const io = fakeIo({ files });
  failing(io, path, good, err);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

// 30 snapshots of about 330 bytes, ten times over: about 100 KB, past the 64 KiB head read before any parsing.
const LOG = fixture('history-live-6.18.txt').repeat(10);
const HALF = LOG.slice(0, 80_000);
const DIFF = fixture('diff-after.txt');

describe('a read that fails with EIO', () => {
  it.each([
    ['show', []],
    ['check', ['check']],
    ['report', ['report']],
    ['history', ['history']],
  ])('%s: at the first read, one sentence naming the file, exit 2', async (_name, command) => {
    const r = await run([...command, 'bad.txt'], { 'bad.txt': LOG }, 'bad.txt', '', systemError('EIO', 'i/o error'));
    expect(r.err).toBe('buddyinfo: cannot read bad.txt: i/o error (EIO).\n');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  it.each([
    ['show', []],
    ['check', ['check']],
    ['history', ['history']],
  ])('%s: past the first 64 KiB, the same sentence, exit 2', async (_name, command) => {
    const r = await run([...command, 'bad.txt'], { 'bad.txt': LOG }, 'bad.txt', HALF, systemError('EIO', 'i/o error'));
    expect(r.err).toBe('buddyinfo: cannot read bad.txt: i/o error (EIO).\n');
    expect(r.code).toBe(2);
  });

  it.each([
    ['show', []],
    ['history', ['history']],
  ])('%s: inside a gzip file, past its first bytes: the file is named, not the decoder', async (_name, command) => {
    const gz = new Uint8Array(gzipSync(LOG));
    const r = await run([...command, 'bad.gz'], { 'bad.gz': '' }, 'bad.gz', gz.subarray(0, gz.length >> 1), systemError('EIO', 'i/o error'));
    expect(r.err).toBe('buddyinfo: cannot read bad.gz: i/o error (EIO).\n');
    expect(r.code).toBe(2);
  });

  it('diff: either side failing is named', async () => {
    const files = { 'a.txt': DIFF, 'b.txt': DIFF };
    const r = await run(['diff', 'a.txt', 'b.txt'], files, 'b.txt', '', systemError('EIO', 'i/o error'));
    expect(r.err).toBe('buddyinfo: cannot read b.txt: i/o error (EIO).\n');
    expect(r.code).toBe(2);
  });

  it('a saved procfs whose buddyinfo fails: the file in it is named', async () => {
    const files = { 'saved/buddyinfo': DIFF };
    const r = await run(['--proc', 'saved'], files, 'saved/buddyinfo', '', systemError('EIO', 'i/o error'));
    expect(r.err).toBe('buddyinfo: cannot read saved/buddyinfo: i/o error (EIO).\n');
    expect(r.code).toBe(2);
  });
});

describe('any errno code is bad input, not a bug', () => {
  it.each([
    ['ENXIO', 'no such device or address'],
    ['ESTALE', 'stale file handle'],
    ['ENOMEDIUM', 'no medium found'],
  ])('%s: the description and the code', async (code, description) => {
    const r = await run(['x.txt'], { 'x.txt': DIFF }, 'x.txt', '', systemError(code, description));
    expect(r.err).toBe(`buddyinfo: cannot read x.txt: ${description} (${code}).\n`);
    expect(r.code).toBe(2);
  });

  it('a code whose message is not worded as Node words it: the message, then the code', async () => {
    const odd = Object.assign(new Error('the tape ran out'), { code: 'EWEIRD' });
    const r = await run(['x.txt'], { 'x.txt': DIFF }, 'x.txt', '', odd);
    expect(r.err).toBe('buddyinfo: cannot read x.txt: the tape ran out (EWEIRD).\n');
    expect(r.code).toBe(2);
  });

  it('the causes already named keep their words', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: whatever, open 'x'`), { code });
    expect(errnoText(err('ENOENT'), 'no such file', 'a folder')).toBe('no such file');
    expect(errnoText(err('EACCES'), 'no such file', 'a folder')).toBe('permission denied');
    expect(errnoText(err('EISDIR'), 'no such file', 'a folder')).toBe('a folder');
    // the path and the call after the description are left off: the sentence names the file already
    expect(errnoText(err('ENOSPC'), 'no such file', 'a folder')).toBe('whatever (ENOSPC)');
  });
});

/** Whether reading /proc/self/mem from its start fails with EIO here (the first page is never mapped). */
function memGivesEio(): boolean {
  try {
    const fd = openSync('/proc/self/mem', 'r');
    try {
      readSync(fd, Buffer.alloc(16), 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EIO';
  }
  return false;
}

describe('the built command on /proc/self/mem', () => {
  it.skipIf(!memGivesEio())('says it cannot read it, exit 2, no stack', () => {
    for (const command of [[], ['check'], ['history'], ['report']]) {
      const r = spawnSync(process.execPath, [BIN, ...command, '/proc/self/mem'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.stderr).toBe('buddyinfo: cannot read /proc/self/mem: i/o error (EIO).\n');
      expect(r.status).toBe(2);
    }
  });
});
