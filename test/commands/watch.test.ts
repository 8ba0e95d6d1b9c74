// `buddyinfo watch` in-process with a fake clock and a fake /proc: lines, frames, ticks, Ctrl-C, errors.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { parseCount, parseInterval } from '../../src/commands/watch.js';
import { fakeIo, FIXTURES, type FakeIo, type FakeOptions } from '../helpers/io.js';

/** Three samples of one zone: free pages 4 + 0*2 + 1*4 = 8, 2 + 1*2 + 1*4 = 8, 0 + 0 + 2*4 = 8. */
const SAMPLES = ['Node 0, zone   Normal      4      0      1 \n', 'Node 0, zone   Normal      2      1      1 \n', 'Node 0, zone   Normal      0      0      2 \n'];

/** The fake clock starts at 1_700_000_000_000 ms = 2023-11-14T22:13:20.000Z. */
const T0 = '2023-11-14T22:13:20';

/** A fake /proc whose buddyinfo moves to the next sample at each sleep; records what was slept. */
function proc(samples: string[], opts: FakeOptions & { abortAt?: number; lag?: number } = {}): FakeIo & { slept: number[] } {
  const io = fakeIo({ files: { '/proc/buddyinfo': samples[0] ?? '' }, ...opts });
  const slept: number[] = [];
  let i = 0;
  let clock = 1_700_000_000_000;
  io.now = () => clock;
  io.sleep = async (ms, signal) => {
    slept.push(ms);
    if (opts.abortAt !== undefined && slept.length === opts.abortAt) io.abort();
    if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    clock += ms + (opts.lag ?? 0);
    i++;
    const next = samples[i];
    if (next === undefined) io.files.delete('/proc/buddyinfo');
    else io.files.set('/proc/buddyinfo', next);
  };
  return Object.assign(io, { slept });
}

describe('not on a terminal', () => {
  it('prints one logfmt line per zone per sample, with the changes from the second on', async () => {
    const io = proc(SAMPLES);
    expect(await main(['watch', '--count', '3'], io)).toBe(0);
    expect(io.out()).toBe(
      [
        `time=${T0}.000Z sample=1 node=0 zone=Normal free_pages=8 largest_order=2 free=4,0,1`,
        `time=${T0.replace(':20', ':22')}.000Z sample=2 node=0 zone=Normal free_pages=8 largest_order=2 free=2,1,1 since_last=-2,+1,0 since_first=-2,+1,0`,
        `time=${T0.replace(':20', ':24')}.000Z sample=3 node=0 zone=Normal free_pages=8 largest_order=2 free=0,0,2 since_last=-2,-1,+1 since_first=-4,0,+1`,
        '',
      ].join('\n'),
    );
    expect(io.err()).toBe('');
  });

  it('keeps the ticks on a grid from the first sample: a slow read shortens the next wait, a missed tick is skipped', async () => {
    // each wait overruns by 700 ms: sample 2 at +2.7 s, so the next tick is +4 s (wait 1.3 s); sample 3 at
    // +4.7 s, next +6 s (1.3 s). With 2.5 s overruns a tick is skipped: +4.5 s -> next +6 s (1.5 s).
    const io = proc([...SAMPLES, ...SAMPLES], { lag: 700 });
    await main(['watch', '--count', '4'], io);
    expect(io.slept).toEqual([2000, 1300, 1300]);
    const slow = proc([...SAMPLES, ...SAMPLES], { lag: 2500 });
    await main(['watch', '--count', '3', '--interval', '2s'], slow);
    expect(slow.slept).toEqual([2000, 1500]);
  });

  it('--json prints one object per sample per line', async () => {
    const io = proc(SAMPLES);
    await main(['watch', '--json', '--count', '2', '--interval', '500ms'], io);
    const rows = io.out().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      sample: 2,
      time: `${T0}.500Z`,
      intervalMs: 500,
      zones: [{ node: 0, zone: 'Normal', free: [2, 1, 1], freePages: 8, sinceLast: [-2, 1, 0], freeSinceLast: 0 }],
    });
  });

  it('says when a zone goes and when one comes', async () => {
    const io = proc(['Node 0, zone DMA32 1\nNode 0, zone Normal 1\n', 'Node 0, zone Normal 1\nNode 0, zone Movable 3\n']);
    await main(['watch', '--count', '2'], io);
    const second = io.out().split('\n').filter((l) => l.includes('sample=2'));
    expect(second).toEqual([
      `time=${T0.replace(':20', ':22')}.000Z sample=2 node=0 zone=Normal free_pages=1 largest_order=0 free=1 since_last=0 since_first=0`,
      `time=${T0.replace(':20', ':22')}.000Z sample=2 node=0 zone=Movable free_pages=3 largest_order=0 free=3`,
      `time=${T0.replace(':20', ':22')}.000Z sample=2 node=0 zone=DMA32 gone=true`,
    ]);
  });
});

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
/** The frames drawn on the alternate screen: each from cursor home to "erase below". */
const framesOf = (out: string): string[] =>
  [...out.matchAll(/\x1b\[\?2026h\x1b\[H([\s\S]*?)\x1b\[J\x1b\[\?2026l/g)].map((m) => (m[1] ?? '').replace(/\x1b\[K/g, ''));

describe('on a terminal', () => {
  it('draws each frame from the top of the alternate screen, and restores the screen and cursor at the end', async () => {
    const io = proc(SAMPLES, { stdoutTTY: true, env: { NO_COLOR: '1' } });
    expect(await main(['watch', '--count', '2'], io)).toBe(0);
    const out = io.out();
    expect(out.startsWith(ENTER)).toBe(true);
    const [first, second] = framesOf(out);
    expect(framesOf(out)).toHaveLength(2);
    expect(first).toContain('sample 1 at 22:13:20 UTC, 0s since the first. Ctrl-C stops.');
    expect(second).toContain('sample 2 at 22:13:22 UTC, 2s since the first.');
    // free stays 8 pages = 32 KiB
    expect(second).toContain('Node 0, zone Normal: 32 KiB free (0 B since last, 0 B since the first), largest free order 2');
    const rows = (second ?? '').split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(rows).toContain('order 0 1 2');
    expect(rows).toContain('blocks 2 1 1');
    expect(rows).toContain('since last -2 +1 ·');
    // after the screen is restored, the last frame stays on the terminal
    const after = out.slice(out.indexOf(LEAVE) + LEAVE.length);
    expect(out.indexOf(LEAVE)).toBeGreaterThan(out.lastIndexOf('\x1b[?2026l'));
    expect(after).toBe(`${second}\n`);
  });

  it('stops on Ctrl-C with 130, the screen restored and a word on stderr', async () => {
    const io = proc(SAMPLES, { stdoutTTY: true, abortAt: 2 });
    expect(await main(['watch'], io)).toBe(130);
    expect(io.out()).toContain(LEAVE);
    expect(io.err()).toBe('\nwatch stopped after 2 samples.\n');
  });

  it('stops with a message, not a crash, when the file goes away, and still restores the screen', async () => {
    const io = proc(SAMPLES.slice(0, 1), { stdoutTTY: true });
    expect(await main(['watch'], io)).toBe(2);
    expect(io.err()).toMatch(/^buddyinfo: \/proc\/buddyinfo does not exist/);
    expect(io.out()).toContain(LEAVE);
  });

  it('puts the verdict first, and on a short terminal never draws more rows than it has', async () => {
    const zoneinfo = readFileSync(`${FIXTURES}proc-x86_64-6.18/zoneinfo`, 'utf8');
    const buddy = readFileSync(`${FIXTURES}proc-x86_64-6.18/buddyinfo`, 'utf8');
    const io = proc([buddy, buddy], { stdoutTTY: true, columns: 80, rows: 10, env: { NO_COLOR: '1' } });
    io.files.set('/proc/zoneinfo', zoneinfo);
    expect(await main(['watch', '--count', '2', '--order', '4'], io)).toBe(0);
    for (const frame of framesOf(io.out())) {
      const lines = frame.split('\n');
      // every line fits 80 columns, so each takes one row: 10 rows, the last saying what was cut
      expect(lines).toHaveLength(10);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
      expect(lines[0]).toMatch(/^PASS order-4 \(64 KiB\) GFP_KERNEL, min mark: served by node 0, zone Normal/);
      expect(lines[9]).toMatch(/^\(\d+ more lines: a taller terminal shows them\)$/);
    }
  });
});

describe('on a terminal that reports no size (0 x 0, as an unsized serial console does)', () => {
  it('draws as on an 80 x 24 terminal rather than nothing', async () => {
    const buddy = readFileSync(`${FIXTURES}proc-x86_64-6.18/buddyinfo`, 'utf8');
    const unsized = proc([buddy], { stdoutTTY: true, columns: 0, rows: 0, env: { NO_COLOR: '1' } });
    expect(await main(['watch', '--count', '1'], unsized)).toBe(0);
    const sized = proc([buddy], { stdoutTTY: true, columns: 80, rows: 24, env: { NO_COLOR: '1' } });
    expect(await main(['watch', '--count', '1'], sized)).toBe(0);
    const [frame] = framesOf(unsized.out());
    expect(frame).toContain('Node 0, zone Normal');
    expect(framesOf(unsized.out())).toEqual(framesOf(sized.out()));
  });
});

describe('watch 5 10: interval and count as arguments, as vmstat takes them', () => {
  it('takes seconds and a count', async () => {
    const io = proc(SAMPLES);
    expect(await main(['watch', '5', '3'], io)).toBe(0);
    expect(io.slept).toEqual([5000, 5000]);
    expect(io.out().trimEnd().split('\n')).toHaveLength(3);
  });
  it('an interval alone runs until Ctrl-C', async () => {
    const io = proc(SAMPLES, { abortAt: 2 });
    expect(await main(['watch', '0.5'], io)).toBe(130);
    expect(io.slept).toEqual([500, 500]);
  });
  it('refuses the same thing twice, and a bad value, with exit 2', async () => {
    const twice = proc(SAMPLES);
    expect(await main(['watch', '5', '--interval', '2s'], twice)).toBe(2);
    expect(twice.err()).toBe('buddyinfo: the interval is given twice, as an argument and as --interval: give one.\n');
    const bad = proc(SAMPLES);
    expect(await main(['watch', '5', '0'], bad)).toBe(2);
    // The positional count is named as its usage line names it.
    expect(bad.err()).toBe('buddyinfo: count 0: expected a whole number of samples, 1 or more (leave --count out to run until Ctrl-C), e.g. --count 10.\n');
  });
});

describe('inputs and errors', () => {
  it('a missing /proc/buddyinfo stops it at once', async () => {
    const io = fakeIo({});
    expect(await main(['watch'], io)).toBe(2);
    expect(io.err()).toMatch(/\/proc\/buddyinfo does not exist: this does not look like a Linux system/);
  });

  it('reads DIR/buddyinfo with --proc, never standard input', async () => {
    const io = fakeIo({ files: { 'sos/proc/buddyinfo': SAMPLES[0] ?? '' }, stdin: 'Node 0, zone Normal 9\n' });
    expect(await main(['watch', '--proc', 'sos/proc', '--count', '1'], io)).toBe(0);
    expect(io.out()).toContain('free=4,0,1');
    const missing = fakeIo({});
    expect(await main(['watch', '--proc', 'gone'], missing)).toBe(2);
    expect(missing.err()).toBe('buddyinfo: cannot read gone/buddyinfo: no such file.\n');
  });

  it('--json names the file it read: a sosreport folder\'s proc/buddyinfo', async () => {
    const io = fakeIo({ files: { 'sos/proc/buddyinfo': SAMPLES[0] ?? '', 'sos/sos_commands/kernel/uname_-a': 'Linux h 6.1.0 #1 SMP x86_64 GNU/Linux\n' } });
    expect(await main(['watch', '--proc', 'sos', '--count', '1', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out().trim()).source).toBe('sos/proc/buddyinfo');
  });

  it('--count 0 or a negative count is a usage error, not one sample: without --count it runs until Ctrl-C', async () => {
    for (const n of ['0', '-1', '00']) {
      const io = proc(SAMPLES);
      expect(await main(['watch', '--count', n], io)).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toBe(
        `buddyinfo: --count ${n}: expected a whole number of samples, 1 or more (leave --count out to run until Ctrl-C), e.g. --count 10.\n`,
      );
      expect(io.slept).toEqual([]);
    }
    expect(() => parseCount('2.5')).toThrow(/^expected a whole number of samples/);
    expect([parseCount('1'), parseCount(' 12 ')]).toEqual([1, 12]);
    // --count 1: exactly one sample and no wait after it
    const one = proc(SAMPLES);
    expect(await main(['watch', '--count', '1'], one)).toBe(0);
    expect(one.out().split('\n').filter((l) => l.includes('sample=1'))).toHaveLength(1);
    expect(one.slept).toEqual([]);
  });

  it('--help gives the default interval as 2s, the forms it takes, and what no --count means', async () => {
    const io = fakeIo({});
    expect(await main(['watch', '--help'], io)).toBe(0);
    const help = io.out().replace(/\s+/g, ' ');
    expect(help).toContain('(default: 2s)');
    expect(help).not.toContain('2000');
    expect(help).toContain('a bare number is seconds');
    expect(help).toMatch(/--count <n> stop after this many samples \(1 or more\); without it, run until Ctrl-C/);
  });

  it('a bare --interval number is seconds: --interval 1 waits 1000 ms', async () => {
    const io = proc(SAMPLES);
    await main(['watch', '--count', '2', '--interval', '1'], io);
    expect(io.slept).toEqual([1000]);
  });

  it('parses intervals', () => {
    expect([parseInterval('2s'), parseInterval('500ms'), parseInterval('1m'), parseInterval('1.5')]).toEqual([2000, 500, 60000, 1500]);
    expect(() => parseInterval('50ms')).toThrow(/100ms or more/);
    expect(() => parseInterval('soon')).toThrow(/^expected a duration/);
  });
});

describe('--order: the check verdict on every sample', () => {
  const dir = `${FIXTURES}proc-x86_64-6.18/`;
  const files = Object.fromEntries(
    ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version'].map((f) => [`/proc/${f}`, readFileSync(`${dir}${f}`, 'utf8')]),
  );

  it('order 0: Normal passes (108155 free > min 3413 + reserve 0); DMA fails (3840 <= min 66 + protection[Normal] 3786)', async () => {
    const io = fakeIo({ files });
    expect(await main(['watch', '--order', '0', '--count', '1'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.map((l) => / zone=(\S+).* check=(\S+)/.exec(l)?.slice(1).join(' '))).toEqual([
      // DMA: managed 3840 <= 66 + 3786: it can never serve GFP_KERNEL
      'DMA NEVER_SERVES',
      'DMA32 PASS',
      'Normal PASS',
    ]);
  });

  it('the header leaves out a zone that can never serve the request (DMA for GFP_KERNEL)', async () => {
    const io = fakeIo({ files, stdoutTTY: true, env: { NO_COLOR: '1' } });
    await main(['watch', '--order', '0', '--count', '1'], io);
    expect(io.out()).toContain('PASS order-0 (4 KiB) GFP_KERNEL, min mark: served by node 0, zone Normal\n');
    const json = fakeIo({ files });
    await main(['watch', '--order', '0', '--count', '1', '--json'], json);
    expect(JSON.parse(json.out()).verdict.zones[2]).toMatchObject({ zone: 'DMA', ok: false, code: 'NEVER_SERVES', serves: false });
  });

  it('order 11 is past the last order (0-10) in every zone', async () => {
    const io = fakeIo({ files, stdoutTTY: true, env: { NO_COLOR: '1' } });
    await main(['watch', '--order', '11', '--count', '1'], io);
    expect(io.out()).toMatch(/FAIL order-11 \(8 MiB\) GFP_KERNEL, min mark: no zone can serve it; .*ORDER_TOO_LARGE/);
  });
});

describe('the built command, as a process', () => {
  const BIN = fileURLToPath(new URL('../../bin/buddyinfo.js', import.meta.url));

  it('Ctrl-C (SIGINT) ends it with 130 and a word on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', '--proc', `${FIXTURES}proc-x86_64-6.18`, '--interval', '100ms'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // interrupt once a sample is out
      if (out.includes('sample=2')) child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/^\nwatch stopped after \d+ samples\.\n$/);
  });

  it('exits quietly when the reader of a history closes the pipe early', () => {
    // 3,000 snapshots with --series: far more than a pipe holds, so the writes after `head` exits fail with EPIPE
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-history-'));
    const log = join(dir, 'long.log');
    writeFileSync(log, readFileSync(`${FIXTURES}history-live-6.18.txt`, 'utf8').repeat(100));
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" history --json --series "${log}" | head -1`], {
      encoding: 'utf8',
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{\n');
    expect(r.stderr).toBe('');
  });
});
