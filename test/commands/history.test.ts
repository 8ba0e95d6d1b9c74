// `buddyinfo history` in-process through main(): text, JSON, --series, inputs, progress and errors.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { processIo } from '../../src/process-io.js';
import { fakeIo, fixture, FIXTURES, type FakeOptions } from '../helpers/io.js';

const STAMPS = fixture('history-stamps.txt');

async function run(argv: string[], opts: FakeOptions = {}) {
  const io = fakeIo({ files: { 'stamps.txt': STAMPS }, ...opts });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), io };
}

describe('history', () => {
  it('summarises each zone as text, with the cut-short note and a sparkline', async () => {
    const r = await run(['history', '--order', '3', 'stamps.txt']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      '6 snapshots from Mon Nov  2 10:00:00 UTC 2026 to Mon 02 Nov 2026 10:05:00 AM UTC (5m 0s). Page size 4 KiB (assumed; see --page-size).',
    );
    expect(lines[1]).toBe('stamps.txt, line 21: the last snapshot was left out: its last zone line has 2 of 11 counts.');
    expect(r.out).toContain('Node 0, zone Normal: 6 snapshots over 5m 0s');
    // largest orders 3 0 2 4 -1 0 on a scale of -1..10 in 8 levels: round((o + 1) * 7 / 11) = 3 1 2 3 0 1
    expect(r.out).toContain('largest free order over time: ▄▂▃▄▁▂');
    // Movable only in snapshot 4
    expect(r.out).toContain('largest free order over time:    █  ');
    expect(r.out).toContain('no free block of order 3 or larger in 4 snapshots, 2 periods:');
    expect(r.out).toContain(
      'first:   from 2026-11-02T10:01:00Z (snapshot 2), 2 snapshots, 2m 0s, back at === Mon, 02 Nov 2026 10:03:00 +0000 === (snapshot 4)',
    );
    expect(r.out).toContain('last:    from === sample 5 === (snapshot 5), 2 snapshots, still so at the end of the log');
  });

  it('gives the documented JSON', async () => {
    const r = await run(['history', '--json', 'stamps.txt']);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ snapshots: 6, cutShort: 1, order: 3, pageSize: 4096, sources: ['stamps.txt'], seconds: 300 });
    expect(j.medians).toMatch(/freePages: exact below 2048 pages/);
    expect(j.zones[1]).toMatchObject({
      node: 0,
      zone: 'Normal',
      snapshots: 6,
      freePages: { min: 0, median: 14, max: 32, medianError: 0 },
      largestOrder: { min: -1, median: 1, max: 4 },
      unusableIndex: { order: 3, min: 0, median: 1, max: 1 },
    });
    expect(j.zones[1].withoutBlock).toBeUndefined();
    expect(j.series).toBeUndefined();
  });

  it('--series streams the rows first, then the summary, as one JSON document', async () => {
    const r = await run(['history', '--json', '--series', 'stamps.txt']);
    const j = JSON.parse(r.out);
    expect(j.snapshots).toBe(6);
    expect(j.series).toHaveLength(6);
    expect(j.series[2]).toEqual({
      snapshot: 3,
      stamp: '1793613720',
      time: '2026-11-02T10:02:00.000Z',
      zones: [
        { node: 0, zone: 'DMA32', free: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], freePages: 2048, largestOrder: 10, unusableIndex: 0 },
        // 4 + 2*2 + 1*4 = 12 pages, nothing at order 3 or above: unusable 1
        { node: 0, zone: 'Normal', free: [4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0], freePages: 12, largestOrder: 2, unusableIndex: 1 },
      ],
    });
    expect(j.series[4].time).toBeNull();
  });

  it('reads several files as one history, and standard input', async () => {
    const a = 'Node 0, zone Normal 1 0\nNode 0, zone Normal 0 1\n';
    const r = await run(['history', '--json', 'a.txt', '-'], { files: { 'a.txt': a }, stdin: 'Node 0, zone Normal 2 0\n' });
    const j = JSON.parse(r.out);
    expect(j.snapshots).toBe(3);
    expect(j.sources).toEqual(['a.txt', 'standard input']);
    // free pages 1, 2, 2
    expect(j.zones[0].freePages).toMatchObject({ min: 1, median: 2, max: 2 });
  });

  it('reads piped input with no FILE, and needs one or the other', async () => {
    expect(JSON.parse((await run(['history', '--json'], { stdin: STAMPS })).out).snapshots).toBe(6);
    const r = await run(['history']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: history reads a log of snapshots: pass its FILE/);
  });

  it('names a missing file and a log without snapshots', async () => {
    expect((await run(['history', 'nope.txt'])).err).toBe('buddyinfo: cannot read nope.txt: no such file.\n');
    const r = await run(['history', 'x.txt'], { files: { 'x.txt': 'hello\n' } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/x\.txt: expected snapshots of \/proc\/buddyinfo lines/);
  });

  it('takes --page-size for bytes', async () => {
    const j = JSON.parse((await run(['history', '--json', '--page-size', '64K', 'stamps.txt'])).out);
    expect(j.zones[0].freeBytes.max).toBe(2048 * 65536);
  });

  it('rejects an order past 16', async () => {
    const r = await run(['history', '--order', '17', 'stamps.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: --order 17: expected an order from 0 to 16 (the block of 2^order pages), e.g. --order 4.\n');
  });

  it('stops with 130 on Ctrl-C', async () => {
    const io = fakeIo({ files: { 'stamps.txt': STAMPS }, chunk: 10 });
    io.abort();
    expect(await main(['history', 'stamps.txt'], io)).toBe(130);
  });
});

describe('with --order and a zoneinfo among the FILEs: the replayed check on every snapshot', () => {
  const proc = (f: string): string => readFileSync(`${FIXTURES}proc-x86_64-6.18/${f}`, 'utf8');
  // fixtures/proc-x86_64-6.18/zoneinfo: DMA32 min 13416, protection[Normal] 768; Normal min 3413, reserve 0.
  // DMA as the zoneinfo's box has it (its populated zones are the log's): 3 blocks of order 10.
  const dma = 'Node 0, zone      DMA      0      0      0      0      0      0      0      0      0      0      3 \n';
  const dma32 = `${dma}Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      2 \n`;
  const log = [
    // 1: Normal 200 blocks of order 10 = 204800 pages > 3413, a block of order >= 4 is free: PASS, and
    //    Normal serves the request (first in the walk)
    `1793613600\n${dma32}Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0    200 \n`,
    // 2: Normal 100000 pages in order 0 > 3413 but no block of order >= 4: NO_BLOCK; DMA32 2048 pages
    //    <= 13416 + 768: BELOW_WATERMARK. No zone passes.
    `1793613660\n${dma32}Node 0, zone   Normal 100000      0      0      0      0      0      0      0      0      0      0 \n`,
  ].join('');

  it('lists when no zone passed, and per zone when it failed', async () => {
    const r = await run(['history', '--json', '--order', '4', 'log', 'zoneinfo', 'version'], {
      files: { log, zoneinfo: proc('zoneinfo'), version: proc('version') },
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sources).toEqual(['log']);
    expect(j.check).toMatchObject({ order: 4, gfp: 'GFP_KERNEL', mark: 'min', kernelRelease: '6.18.44-fc-v769', kernelOrigin: 'input' });
    expect(j.checkFailed).toMatchObject({ order: 4, snapshots: 1, periods: 1, first: { from: { snapshot: 2 }, to: { snapshot: 2 } } });
    expect(j.zones.map((z: { zone: string; checkFailed?: { snapshots: number } }) => [z.zone, z.checkFailed?.snapshots])).toEqual([
      ['DMA', undefined],
      ['DMA32', 2],
      ['Normal', 1],
    ]);
  });

  it('a zone that can never serve the request has no failure periods', async () => {
    // DMA: managed 3840 <= min 66 + protection[Normal] 3786, whatever its free blocks
    const r = await run(['history', '--json', '--order', '4', 'log', 'zoneinfo'], { files: { log, zoneinfo: proc('zoneinfo') } });
    const j = JSON.parse(r.out);
    expect(j.zones.map((z: { zone: string; checkFailed?: { snapshots: number } }) => [z.zone, z.checkFailed?.snapshots])).toEqual([
      ['DMA', undefined],
      ['DMA32', 2],
      ['Normal', 1],
    ]);
  });

  it('without --order, or without watermarks, there is no check', async () => {
    const a = JSON.parse((await run(['history', '--json', 'log', 'zoneinfo'], { files: { log, zoneinfo: proc('zoneinfo') } })).out);
    expect(a.check).toBeUndefined();
    const b = JSON.parse((await run(['history', '--json', '--order', '4', 'log'], { files: { log } })).out);
    expect([b.check, b.checkFailed, b.zones[1].checkFailed]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a zoneinfo from another box (a populated zone the log never lists), unless --force', async () => {
    const other = log.replace(/^Node 0, zone +DMA +.*\n/gm, '');
    const r = await run(['history', '--order', '4', 'log', 'zoneinfo'], { files: { log: other, zoneinfo: proc('zoneinfo') } });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'buddyinfo: log and zoneinfo do not describe the same box: the zoneinfo lists Node 0 DMA, which the buddyinfo (it prints every populated zone) does not. Give captures of one box, or --force to read them together anyway.\n',
    );
    const forced = JSON.parse((await run(['history', '--json', '--order', '4', '--force', 'log', 'zoneinfo'], { files: { log: other, zoneinfo: proc('zoneinfo') } })).out);
    expect(forced.notes).toContain('--force: log and zoneinfo were read together although the zoneinfo lists Node 0 DMA, which the buddyinfo (it prints every populated zone) does not.');
    expect(forced.checkFailed.snapshots).toBe(1);
  });

  it('says so in the text', async () => {
    const r = await run(['history', '--order', '4', 'zoneinfo', 'log'], { files: { log, zoneinfo: proc('zoneinfo') } });
    expect(r.out).toContain("Replaying the min-mark check of an order-4 GFP_KERNEL request on every snapshot (today's (6.18) rules (no kernel release in the input)");
    expect(r.out).toContain('No zone passed, so the allocation would have failed, in 1 snapshot, 1 period:');
  });
});

describe('progress', () => {
  /** A log long enough to be read in many chunks, and a clock that moves 300 ms per look. */
  function long(stderrTTY: boolean) {
    const io = fakeIo({ files: { 'big.txt': STAMPS.split('Mon Nov  2 10:06')[0]?.repeat(50) ?? '' }, chunk: 100 });
    let t = 0;
    io.now = () => (t += 300);
    io.stderr.isTTY = stderrTTY;
    return io;
  }

  it('shows bytes, snapshots and rate on a terminal, and clears the line at the end', async () => {
    const io = long(true);
    expect(await main(['history', 'big.txt'], io)).toBe(0);
    expect(io.err()).toMatch(/\r\x1b\[Kread [\d.]+ KiB, [\d,]+ snapshots, [\d.]+ (B|KiB)\/s/);
    expect(io.err().endsWith('\r\x1b[K')).toBe(true);
  });

  it('none when stderr is not a terminal', async () => {
    const io = long(false);
    await main(['history', 'big.txt'], io);
    expect(io.err()).toBe('');
  });
});

describe('reading the log as bytes', () => {
  /**
   * k-th snapshot, one a minute from 2026-11-02T10:00:00Z: DMA32 two blocks of order 10 (2048 pages),
   * Normal k % 5 pages of order 0 and one block of order 10 (1024 + k % 5 pages). Every third line
   * ends in CRLF; every 1000th snapshot is followed by a comment with non-ASCII letters.
   */
  function log(n: number): string {
    const zeros = ' 0'.repeat(9);
    let text = '';
    for (let k = 0; k < n; k++) {
      const eol = k % 3 === 0 ? '\r\n' : '\n';
      text += `${new Date(Date.UTC(2026, 10, 2, 10, k)).toUTCString()}${eol}`;
      text += `Node 0, zone    DMA32      0${zeros.replace(/ /g, '      ')}      2 ${eol}`;
      text += `Node 0, zone   Normal ${String(k % 5).padStart(6)}${zeros.replace(/ /g, '      ')}      1 ${eol}`;
      if (k % 1000 === 999) text += '# fin de l’échantillon, ½ journée 🙂\n';
    }
    return text;
  }

  it('reads a multi-megabyte file through the real Io to the figures worked out by hand', async () => {
    const n = 12_000;
    const text = log(n);
    // Over 1 MiB, so the file is read in several buffers and lines straddle them.
    expect(text.length).toBeGreaterThan(2 << 20);
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-history-'));
    try {
      const file = join(dir, 'log');
      writeFileSync(file, text);
      let out = '';
      let err = '';
      const io = {
        ...processIo(),
        stdout: { write: (s: string) => void (out += s), isTTY: false },
        stderr: { write: (s: string) => void (err += s), isTTY: false },
      };
      expect(await main(['history', '--json', file], io), err).toBe(0);
      const j = JSON.parse(out);
      expect(j.snapshots).toBe(n);
      // 11,999 minutes from the first to the last.
      expect(j.seconds).toBe(11_999 * 60);
      expect(j.zones.map((z: { zone: string; snapshots: number }) => [z.zone, z.snapshots])).toEqual([
        ['DMA32', n],
        ['Normal', n],
      ]);
      expect(j.zones[0].freePages).toEqual({ min: 2048, median: 2048, max: 2048, medianError: 0 });
      // 1024 to 1028 pages, 2,400 snapshots each: ranks 5,999 and 6,000 both fall on 1026 (ranks 4,800 to 7,199).
      expect(j.zones[1].freePages).toMatchObject({ min: 1024, median: 1026, max: 1028 });
      expect(j.zones[1].largestOrder).toEqual({ min: 10, median: 10, max: 10 });
      // The same summary as the in-memory Io cut in 7-byte chunks, inside the multi-byte characters too.
      const small = fakeIo({ files: { [file]: text }, chunk: 7 });
      expect(await main(['history', '--json', file], small)).toBe(0);
      expect(small.out()).toBe(out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file and standard input alike, however the bytes are cut', async () => {
    const text = `\ufeff${log(30)}Node 0, zone   Normal 1 2`;
    const whole = await run(['history', '--json', '--series', 'log'], { files: { log: text } });
    expect(whole.code).toBe(0);
    // The last line has 2 of 11 counts: left out as cut short.
    expect(JSON.parse(whole.out)).toMatchObject({ snapshots: 30, cutShort: 1 });
    for (const chunk of [1, 2, 3, 5, 64]) {
      expect((await run(['history', '--json', '--series', 'log'], { files: { log: text }, chunk })).out).toBe(whole.out);
      const piped = await run(['history', '--json', '--series'], { stdin: text, chunk });
      expect(piped.out).toBe(whole.out.replace('"log"', '"standard input"').replaceAll('log, line', 'standard input, line'));
    }
  });
});
