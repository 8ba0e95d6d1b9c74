// The built CLI run as a user runs it: a real process, real pipes, real exit statuses.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, FIXTURES } from './helpers/io.js';

const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the built command', () => {
  it('analyses a file', () => {
    const r = cli([`${FIXTURES}buddyinfo-procfs-x86_64.txt`]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Node 0, zone Normal: /);
  });

  // Piped input without "-" is read only at a terminal: test/stdin.test.ts runs that under script(1).
  it('reads "-" (standard input) the same as the file', () => {
    const text = fixture('buddyinfo-procfs-x86_64.txt');
    const file = JSON.parse(cli(['--json', `${FIXTURES}buddyinfo-procfs-x86_64.txt`]).out);
    const dash = JSON.parse(cli(['--json', '-'], text).out);
    expect(dash.zones).toEqual(file.zones);
  });

  it('reads a saved procfs with --proc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-'));
    mkdirSync(join(dir, 'proc'));
    writeFileSync(join(dir, 'proc', 'buddyinfo'), fixture('buddyinfo-chromeos-6.6.txt'));
    const r = cli(['--json', '--proc', join(dir, 'proc')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(11464);
  });

  it('exits 2 with one sentence and no stack for bad input', () => {
    const r = cli(['-'], 'Node 0, zone Normal 1 x 3\n');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'buddyinfo: standard input, line 1: expected a free block count (a whole number of 0 or more) in column 2, found "x".\n',
    );
  });

  it('exits quietly when the reader closes the pipe early', () => {
    // A log of 4,000 snapshots of three zones, written here: `history --series --json` prints one row per
    // snapshot (over 100 bytes each), far more than the 64 KiB a pipe holds, so buddyinfo is still writing
    // when `head` has read its line and gone, and its next write fails with EPIPE.
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-epipe-'));
    const log = join(dir, 'buddyinfo.log');
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const counts = (base: number) => Array.from({ length: 11 }, (_, o) => String((base + i * (o + 1)) % 1000).padStart(6)).join(' ');
      lines.push(`Node 0, zone      DMA ${counts(1)} `, `Node 0, zone    DMA32 ${counts(200)} `, `Node 0, zone   Normal ${counts(500)} `);
    }
    writeFileSync(log, `${lines.join('\n')}\n`);
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" history --series --json "${log}" | head -1`],
      { encoding: 'utf8' },
    );
    rmSync(dir, { recursive: true, force: true });
    // pipefail: the status is buddyinfo's (head exits 0), so a crash on EPIPE would show here
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{\n');
  });

  it('never colours when piped, even though cli-table3 would', () => {
    expect(cli([`${FIXTURES}buddyinfo-two-node.txt`]).out).not.toContain('\u001b[');
  });
});

describe('check exit statuses', () => {
  const seed = `${FIXTURES}check/seed-000-dma32-buddyinfo.txt`;
  it('1 when the allocation would fail, 0 when it would pass, 2 for bad usage', () => {
    expect(cli(['check', '--order', '4', '--kernel', '2.6.32', '--min', '1769', seed]).code).toBe(1);
    expect(cli(['check', '--order', '4', '--kernel', '4.4', '--min', '1769', seed]).code).toBe(0);
    const bad = cli(['check', '--order', 'four', seed]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('buddyinfo: --order four: expected an order from 0 to 63 (the block of 2^order pages), e.g. --order 4.\n');
  });
  it('2 and a sentence naming what is missing when no watermark is known', () => {
    const r = cli(['check', '--order', '4', seed]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: .*DMA32.*--min/);
    expect(r.err).not.toMatch(/at .*\.js/);
  });
});

describe('history from a pipe', () => {
  it('reads a named pipe once, as a log (bash process substitution)', () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" history --json <(cat "${FIXTURES}history-live-6.18.txt")`],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // the fixture is 30 snapshots of /proc/buddyinfo taken 2 s apart
    expect(JSON.parse(r.stdout).snapshots).toBe(30);
  });
});

describe('output that cannot be written', () => {
  it('a full disk is one sentence and exit 2, not a stack', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --json "${FIXTURES}buddyinfo-two-node.txt" > /dev/full`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^buddyinfo: cannot write the output: ENOSPC/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('compressed inputs through the bundle (tar-stream, xz-decompress and fzstd are bundled, loaded on use)', () => {
  const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
  const plain = (): unknown => JSON.parse(cli(['--json', `${FIXTURES}buddyinfo-chromeos-6.6.txt`]).out).zones;
  const packed = (tool: string, args: string[]): unknown => {
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-z-'));
    const path = join(dir, 'capture');
    const r = spawnSync(tool, args, { input: fixture('buddyinfo-chromeos-6.6.txt') });
    writeFileSync(path, r.stdout);
    const out = cli(['--json', path]);
    rmSync(dir, { recursive: true });
    expect(out.err).toBe('');
    return JSON.parse(out.out).zones;
  };

  it.skipIf(!has('gzip'))('gzip (node:zlib)', () => expect(packed('gzip', ['-c'])).toEqual(plain()));
  it.skipIf(!has('xz'))('xz (wasm decoder)', () => expect(packed('xz', ['-c'])).toEqual(plain()));
  it.skipIf(!has('zstd'))('zstd (fzstd)', () => expect(packed('zstd', ['-c', '-q'])).toEqual(plain()));
});

describe('a folder given as FILE: each command says what it reads instead', () => {
  const proc = `${FIXTURES}proc-x86_64-6.18`;
  it.each([
    [[proc], /it is a folder \(use --proc DIR for a saved procfs\)\.$/],
    [['report', proc], /it is a folder and not a sosreport: give the kernel log in it \(such as DIR\/var\/log\/messages\)\.$/],
    [['history', proc], /it is a folder: history reads a log of buddyinfo snapshots; give the log file/],
    [['diff', proc, proc], /it is a folder: give the buddyinfo file in it \(such as DIR\/buddyinfo\)\.$/],
  ])('%j', (args, message) => {
    const r = cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(message as RegExp);
    // Only the commands that have --proc suggest it.
    if ((args as string[])[0] !== proc) expect(r.err).not.toMatch(/use --proc/);
  });
});

describe('--order beyond any kernel', () => {
  it('64 and up is a usage error; 63 is a FAIL the kernel would give (order >= MAX_ORDER)', () => {
    const seed = `${FIXTURES}reports/seed-000-excerpt.txt`;
    const big = cli(['check', '--order', '64', seed]);
    expect(big.code).toBe(2);
    expect(big.err).toBe('buddyinfo: --order 64: expected an order from 0 to 63 (the block of 2^order pages), e.g. --order 4.\n');
    const r = cli(['check', '--order', '63', '--kernel', '6.18', seed]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL order-63 allocation \(32 ZiB\)/);
  });
});
