// The built CLI's start-up paths end to end: output written straight to the descriptor, and what stdin is.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fakeIo, fixture, FIXTURES } from './helpers/io.js';

const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A log of `n` snapshots of three zones: `history --series --json` prints over 100 bytes per snapshot. */
function log(n: number): string {
  const path = join(dir, `log-${n}.txt`);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const counts = (base: number) => Array.from({ length: 11 }, (_, o) => String((base + i * (o + 1)) % 1000).padStart(6)).join(' ');
    lines.push(`Node 0, zone      DMA ${counts(1)} `, `Node 0, zone    DMA32 ${counts(200)} `, `Node 0, zone   Normal ${counts(500)} `);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('output written to the descriptor', () => {
  const hasPerl = spawnSync('perl', ['-e', '1'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasPerl)('reaches a pipe whole when the pipe is full and its descriptor non-blocking', () => {
    // 3,000 snapshots: about 1 MB of JSON, many times what a pipe holds (64 KiB). perl puts the pipe's
    // file description in non-blocking mode (as a parent sharing it may) and execs the CLI; the reader
    // sleeps first, so the CLI's writes meet EAGAIN and must wait for room rather than drop the rest.
    const path = log(3000);
    const expected = spawnSync(process.execPath, [BIN, 'history', '--series', '--json', path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(expected.status).toBe(0);
    const nonBlocking = 'use Fcntl; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV';
    const got = join(dir, 'got.json');
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; perl -e "$0" "${process.execPath}" "${BIN}" history --series --json "${path}" | (sleep 0.5; cat > "${got}")`, nonBlocking],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(got, 'utf8')).toBe(expected.stdout);
  });

  it('says a write that fails for another reason than a closed reader, and exits 2', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" history --series --json "${log(10)}" > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('buddyinfo: cannot write the output: ENOSPC: no space left on device, write.\n');
  });
});

describe('the program built for the run (only the command it runs is registered)', () => {
  const files = { 'b.txt': fixture('buddyinfo-two-node.txt') };
  const run = async (argv: string[]) => {
    const io = fakeIo({ files });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };

  it('runs the command a later word names after "--", as commander does with every command registered', async () => {
    const r = await run(['--', 'check', 'b.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: check needs the allocation size/);
  });

  it('takes a command name after an option as a FILE of the default command', async () => {
    const r = await run(['--json', 'check']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: cannot read check: no such file.\n');
  });

  it('still suggests the command a mistyped first word was meant to be, from every name', async () => {
    for (const [typo, meant] of [['chek', 'check'], ['reprot', 'report'], ['histroy', 'history'], ['wacth', 'watch'], ['completon', 'completion']]) {
      const r = await run([typo as string, '--order', '4']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`did you mean "buddyinfo ${meant}"?`);
    }
  });

  it('lists every command in the top-level help and in help after a command name', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['--json', '--help']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      for (const name of ['show', 'check', 'report', 'history', 'diff', 'watch', 'completion']) expect(r.out, argv.join(' ')).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});

describe('buddyinfo with no argument runs the default command without building the program', () => {
  /** The built CLI with standard input read from `file` (a regular file: the input, as `buddyinfo < file`). */
  const run = (argv: string[], file: string, env: Record<string, string> = {}) => {
    const fd = openSync(file, 'r');
    try {
      const r = spawnSync(process.execPath, [BIN, ...argv], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
      return { status: r.status, out: r.stdout, err: r.stderr };
    } finally {
      closeSync(fd);
    }
  };

  it('prints what `buddyinfo show` prints, byte for byte, in colour or not', () => {
    const names = ['buddyinfo-two-node.txt', 'buddyinfo-procfs-x86_64.txt', 'buddyinfo-chromeos-6.6.txt', 'proc-x86_64-6.18/buddyinfo', 'proc-x86_64-6.18/zoneinfo'];
    for (const name of names) {
      for (const env of [{}, { FORCE_COLOR: '1' }]) {
        const alone = run([], `${FIXTURES}${name}`, env);
        expect(alone.status, name).toBe(0);
        expect(alone.out.length, name).toBeGreaterThan(100);
        expect(alone, name).toEqual(run(['show'], `${FIXTURES}${name}`, env));
      }
    }
  });

  it('says bad input as `buddyinfo show` says it: one sentence, exit 2', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'Node 0, zone Normal 1 x 3\n');
    const alone = run([], bad);
    expect(alone.status).toBe(2);
    expect(alone.err).toBe('buddyinfo: standard input, line 1: expected a free block count (a whole number of 0 or more) in column 2, found "x".\n');
    expect(alone).toEqual(run(['show'], bad));
  });

  it('in-process too: main([]) and main(["show"]) give the same output and status', async () => {
    for (const stdin of [fixture('buddyinfo-two-node.txt'), 'Node 0, zone Normal 1 2\nnot a zone line\n']) {
      const a = fakeIo({ stdin, stdinKind: 'file' });
      const b = fakeIo({ stdin, stdinKind: 'file' });
      expect(await main([], a)).toBe(await main(['show'], b));
      expect([a.out(), a.err()]).toEqual([b.out(), b.err()]);
    }
  });
});

describe('the live /proc read at once (readProcText), as the real Io does', () => {
  /** The live /proc of the 6.18 capture, with the vm sysctls. */
  const files = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const f of ['buddyinfo', 'zoneinfo', 'pagetypeinfo', 'version']) out[`/proc/${f}`] = fixture(`proc-x86_64-6.18/${f}`);
    out['/proc/sys/vm/extfrag_threshold'] = '500\n';
    out['/proc/sys/vm/min_free_kbytes'] = '67584\n';
    return out;
  };
  /** The same Io with readProcText over its files, failing as readFileSync fails. */
  const atOnce = (denied: string[] = []) => {
    const io = fakeIo({ files: files(), kernel: '6.18.44' });
    io.readProcText = (path) => {
      if (denied.includes(path)) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
      const text = io.files.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return typeof text === 'string' ? text : new TextDecoder().decode(text);
    };
    return io;
  };

  it('gives every live path the output of the streamed reads', async () => {
    for (const argv of [[], ['--json'], ['--format', 'prometheus'], ['--by-type'], ['check', '--order', '4'], ['check', '--order', '9', '--json'], ['check', '--order', '4', '--quiet']]) {
      const streamed = fakeIo({ files: files(), kernel: '6.18.44' });
      const whole = atOnce();
      expect(await main(argv, whole), argv.join(' ')).toBe(await main(argv, streamed));
      expect([whole.out(), whole.err()], argv.join(' ')).toEqual([streamed.out(), streamed.err()]);
    }
  });

  it('says an unreadable pagetypeinfo and a missing file as the streamed reads do', async () => {
    const denied = (io: ReturnType<typeof fakeIo>): void => {
      const open = io.readBytes;
      io.readBytes = (path) =>
        path === '/proc/pagetypeinfo'
          ? {
              async *[Symbol.asyncIterator]() {
                throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
              },
            }
          : open(path);
    };
    const streamed = fakeIo({ files: files(), kernel: '6.18.44' });
    denied(streamed);
    const whole = atOnce(['/proc/pagetypeinfo']);
    expect(await main(['--format', 'prometheus'], whole)).toBe(await main(['--format', 'prometheus'], streamed));
    expect(whole.err()).toBe(streamed.err());
    expect(whole.err()).toMatch(/Could not read \/proc\/pagetypeinfo: the per-type view needs root/);
    const gone = atOnce();
    gone.files.delete('/proc/buddyinfo');
    expect(await main(['--json'], gone)).toBe(2);
    expect(gone.err()).toMatch(/^buddyinfo: \/proc\/buddyinfo does not exist/);
  });
});

describe('pagetypeinfo read before the bundle loads (src/early.cts)', () => {
  const readable = spawnSync('sh', ['-c', 'cat /proc/pagetypeinfo > /dev/null'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!readable)('gives the live Prometheus page and check their exact block search', () => {
    const devNull = openSync('/dev/null', 'r');
    try {
      const prom = spawnSync(process.execPath, [BIN, '--format', 'prometheus'], { stdio: [devNull, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(prom.status).toBe(0);
      const known = prom.stdout.split('\n').filter((l) => l.startsWith('buddyinfo_watermark_lists_known{'));
      expect(known.length).toBeGreaterThan(0);
      for (const l of known) expect(l).toMatch(/ 1$/);
      const check = spawnSync(process.execPath, [BIN, 'check', '--order', '1', '--json'], { stdio: [devNull, 'pipe', 'pipe'], encoding: 'utf8' });
      expect([0, 1]).toContain(check.status);
      // Every zone's check saw the free lists per type. (A block step may still show them as unknown where
      // the two files, read a moment apart on a busy box, disagree about an order: the check says so.)
      const zones = JSON.parse(check.stdout).zones as { listsKnown: boolean }[];
      expect(zones.length).toBeGreaterThan(0);
      for (const z of zones) expect(z.listsKnown).toBe(true);
    } finally {
      closeSync(devNull);
    }
  });

  // As root, runuser gives a user whom 5.4+ refuses pagetypeinfo: the early read's refusal reaches the
  // command as a read made then would, one note, and the check still answers.
  const asNobody = readable && process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
  it.skipIf(!asNobody)('refused (a user other than root), says so once and still answers', () => {
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'check', '--order', '4'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const refused = spawnSync('runuser', ['-u', 'nobody', '--', 'cat', '/proc/pagetypeinfo'], { stdio: 'ignore' }).status !== 0;
    expect([0, 1]).toContain(r.status);
    if (refused) expect(r.stdout.split('\n').filter((l) => l.includes('Could not read /proc/pagetypeinfo'))).toEqual(['Could not read /proc/pagetypeinfo: the per-type view needs root. Carrying on without it.']);
    expect(r.stdout).toMatch(/^(PASS|FAIL) order-4 allocation/m);
  });
});

describe('the terminal size, read through the tty binding', () => {
  const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;
  const atTerminal = (env: string): string => {
    const line = `stty cols 70 rows 30; ${env} "${process.execPath}" "${BIN}" --no-color "${FIXTURES}proc-x86_64-6.18/buddyinfo"`;
    return spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).stdout.replace(/\r/g, '');
  };
  it.skipIf(!hasScript)('fits a 70-column terminal, as the tty stream would (its path taken under --pending-deprecation)', () => {
    const binding = atTerminal('');
    const stream = atTerminal('NODE_PENDING_DEPRECATION=1');
    expect(binding).toBe(stream);
    const lines = binding.split('\n');
    expect(lines.some((l) => l.startsWith('│'))).toBe(true);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(70);
  });
});
