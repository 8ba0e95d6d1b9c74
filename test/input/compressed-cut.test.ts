// A compressed capture cut short: read up to the cut, its incomplete last line left out, one note; nothing readable is an error.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

const BIN = fileURLToPath(new URL('../../bin/buddyinfo.js', import.meta.url));
// 30 snapshots, each a date line and three zone lines (DMA, DMA32, Normal): snapshot k starts at line 4k - 3.
const LOG = fixture('history-live-6.18.txt');
const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

const NOTE = (name: string, kind: string, lineLeftOut: boolean): string =>
  `${name}: this ${kind} file is cut short (its compressed data stops before its end): it was read up to the cut${lineLeftOut ? ', and its last line, left incomplete by the cut, was left out' : ''}.`;

/** The free counts of the Normal zone in the k-th snapshot (from 1) of a text, read off its lines here. */
function normalOf(text: string, k: number): number[] {
  const line = text.split('\n').filter((l) => /^Node 0, zone +Normal /.test(l))[k - 1] as string;
  return line.trim().split(/\s+/).slice(4).map(Number);
}

/** Where the k-th snapshot's Normal line (from 1) starts in the log. */
function nth(k: number): number {
  let i = -1;
  for (let n = 0; n < k; n++) i = LOG.indexOf('Node 0, zone   Normal', i + 1);
  return i;
}

/** How many snapshots of a decoded prefix are whole: each ends with its Normal line, all 11 counts and the line end. */
function wholeSnapshots(prefix: string): number {
  return (prefix.match(/^Node 0, zone +Normal( +\d+){11} *\n/gm) ?? []).length;
}

async function run(argv: string[], files: Record<string, Uint8Array>) {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/**
 * A gzip file of stored (uncompressed) blocks: byte k of the text sits at a known offset, so a cut can be
 * put at an exact place in the text. The offset is found, not assumed: where the text's opening shows.
 */
function storedGzip(text: string): { gz: Uint8Array; at: (k: number) => Uint8Array } {
  const gz = new Uint8Array(gzipSync(text, { level: 0 }));
  const start = Buffer.from(gz).indexOf(Buffer.from(text.slice(0, 40)));
  // One stored block holds the whole text (under 64 KiB): the bytes after `start` are the text itself.
  expect(Buffer.from(gz.subarray(start, start + text.length)).toString()).toBe(text);
  return { gz, at: (k) => gz.slice(0, start + k) };
}

describe('a gzip capture cut short', () => {
  const { at } = storedGzip(LOG);

  it('cut inside a zone line: the snapshots before it are read, the line and its snapshot left out, each said', async () => {
    const cut = at(nth(13) + 30);
    const r = await run(['--json', 'b.gz'], { 'b.gz': cut });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    expect(view.snapshots).toBe(12);
    expect(view.zones[2].zone).toBe('Normal');
    expect(view.zones[2].free).toEqual(normalOf(LOG, 12));
    // Snapshot 13 begins on line 49 (its date), its DMA zone on line 50; the cut leaves its DMA and DMA32.
    expect(view.notes).toEqual([NOTE('b.gz', 'gzip', true), 'b.gz, line 50: the last snapshot was left out: it has 2 of the 3 zones of the snapshot before.']);
  });

  it('cut at a line end: every line up to it is read, and the note says no line was left out', async () => {
    const r = await run(['--json', 'b.gz'], { 'b.gz': at(LOG.indexOf('\n', nth(13)) + 1) });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    expect(view.snapshots).toBe(13);
    expect(view.zones[2].free).toEqual(normalOf(LOG, 13));
    expect(view.notes).toEqual([NOTE('b.gz', 'gzip', false)]);
  });

  it('history reads the whole snapshots and counts the one cut short', async () => {
    const r = await run(['history', '--json', 'b.gz'], { 'b.gz': at(nth(13) + 30) });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    expect(view.snapshots).toBe(12);
    expect(view.cutShort).toBe(1);
    expect(view.notes).toContain(NOTE('b.gz', 'gzip', true));
  });

  it('a compressed (level 9) file cut in half, as head -c cuts it: the whole snapshots it decodes to are read', async () => {
    const gz = gzipSync(LOG, { level: 9 });
    const cut = new Uint8Array(gz.subarray(0, gz.length >> 1));
    // What the cut half decodes to, by zlib's one-shot decoder told to stop quietly at the end of its input.
    const prefix = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const whole = wholeSnapshots(prefix);
    expect(whole).toBeGreaterThan(0);
    expect(whole).toBeLessThan(30);
    const r = await run(['--json', 'b.gz'], { 'b.gz': cut });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    expect(view.snapshots).toBe(whole);
    expect(view.zones[2].free).toEqual(normalOf(LOG, whole));
    expect(view.notes[0]).toBe(NOTE('b.gz', 'gzip', !prefix.endsWith('\n')));
  });

  it('two gzip members end to end (cat a.gz b.gz), the second cut: the first is read whole, then the second to its cut', async () => {
    // Split at snapshot 16's Normal line: the members join into the one text again.
    const first = LOG.slice(0, nth(16));
    const second = LOG.slice(nth(16));
    const { at: secondAt } = storedGzip(second);
    // The second member cut 20 bytes into snapshot 20's Normal line.
    const bytes = Buffer.concat([gzipSync(first), secondAt(nth(20) - nth(16) + 20)]);
    const r = await run(['--json', 'b.gz'], { 'b.gz': new Uint8Array(bytes) });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    expect(view.snapshots).toBe(19);
    expect(view.zones[2].free).toEqual(normalOf(LOG, 19));
    expect(view.notes[0]).toBe(NOTE('b.gz', 'gzip', true));
  });

  it.each([
    ['a file on standard input (no FILE)', { stdinKind: 'file' }],
    ['a pipe in a run without a terminal (a script)', { stdinKind: 'pipe', interactive: false }],
  ] as const)('read from %s, the note reaches the output too', async (_what, kind) => {
    const io = fakeIo({ ...kind });
    const cut = at(nth(13) + 30);
    io.stdinBytes = () => ({
      async *[Symbol.asyncIterator]() {
        yield cut;
      },
    });
    expect(await main(['--json'], io)).toBe(0);
    const view = JSON.parse(io.out());
    expect(view.sources).toEqual(['standard input']);
    expect(view.snapshots).toBe(12);
    expect(view.notes[0]).toBe(NOTE('standard input', 'gzip', true));
  });

  it('cut before the end of its first line: nothing can be read, one sentence, exit 2', async () => {
    const r = await run(['b.gz'], { 'b.gz': at(20) });
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: b.gz: this gzip file is cut short before the end of its first line: nothing in it can be read.\n');
    const header = await run(['b.gz'], { 'b.gz': new Uint8Array(gzipSync(LOG).subarray(0, 12)) });
    expect(header.code).toBe(2);
    expect(header.err).toBe('buddyinfo: b.gz: this gzip file is cut short before the end of its first line: nothing in it can be read.\n');
  });
});

describe('a damaged gzip file (not cut short) stays an error naming it', () => {
  it('a byte changed in the compressed data, or in the check at its end', async () => {
    const gz = gzipSync(LOG, { level: 9 });
    for (const at of [gz.length >> 1, gz.length - 6]) {
      const bad = new Uint8Array(gz);
      bad[at] = (bad[at] as number) ^ 0xff;
      const r = await run(['b.gz'], { 'b.gz': bad });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^buddyinfo: b\.gz: this gzip file could not be decompressed \(.+\)\.\n$/);
      expect(r.out).toBe('');
    }
  });
});

describe('xz and zstd cut short', () => {
  it.skipIf(!has('xz'))('xz: the snapshots before the cut are read, with the note', async () => {
    const xz = execFileSync('xz', ['-c'], { input: LOG.repeat(4) });
    const r = await run(['--json', 'b.xz'], { 'b.xz': new Uint8Array(xz.subarray(0, xz.length >> 1)) });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    // The decoder hands over what it decoded in pieces of its own size: how far it gets is its own, but
    // what it reads are the log's leading snapshots, in order, and fewer than the 120 of the whole file.
    expect(view.snapshots).toBeGreaterThan(0);
    expect(view.snapshots).toBeLessThan(120);
    expect(view.zones[2].free).toEqual(normalOf(LOG.repeat(4), view.snapshots));
    expect(view.notes[0]).toMatch(/^b\.xz: this xz file is cut short \(its compressed data stops before its end\): it was read up to the cut/);
  });

  it.skipIf(!has('zstd'))('zstd: two frames end to end, the second cut: the first frame is read, with the note', async () => {
    // The first frame: the first 5 snapshots, to the end of snapshot 5's Normal line.
    const split = LOG.indexOf('\n', nth(5)) + 1;
    const a = execFileSync('zstd', ['-c', '-q'], { input: LOG.slice(0, split) });
    const b = execFileSync('zstd', ['-c', '-q'], { input: LOG.slice(split) });
    const bytes = Buffer.concat([a, b.subarray(0, b.length >> 1)]);
    const r = await run(['--json', 'b.zst'], { 'b.zst': new Uint8Array(bytes) });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    // zstd decodes whole blocks only: the cut block gives nothing, so the first frame is all there is.
    expect(view.snapshots).toBe(5);
    expect(view.zones[2].free).toEqual(normalOf(LOG, 5));
    expect(view.notes).toEqual([NOTE('b.zst', 'zstd', false)]);
  });
});

describe('the built command on a gzip capture cut short with head -c', () => {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-cut-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('show exits 0 and notes the cut; the Prometheus exposition gives the note on standard error', () => {
    const gz = gzipSync(LOG.repeat(3));
    const path = join(dir, 'log.gz');
    writeFileSync(path, gz.subarray(0, gz.length >> 1));
    const text = spawnSync(process.execPath, [BIN, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`${path}: this gzip file is cut short`);
    const prom = spawnSync(process.execPath, [BIN, '--format', 'prometheus', '--page-size', '4K', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(prom.status).toBe(0);
    expect(prom.stdout).toMatch(/^# HELP buddyinfo_/);
    expect(prom.stderr).toMatch(new RegExp(`^buddyinfo: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: this gzip file is cut short \\(its compressed data stops before its end\\): it was read up to the cut`, 'm'));
  });
});
