// Which input a run reads when no FILE is given: standard input by its kind and the run's terminal, else /proc.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture, type FakeOptions } from '../helpers/io.js';

// Two captures told apart by their counts: order-0 blocks of the Normal zone (the third line) are 4381
// in the procfs capture that plays the live box, 11464 in the ChromeOS capture that plays the pipe.
const LIVE = fixture('buddyinfo-procfs-x86_64.txt');
const PIPED = fixture('buddyinfo-chromeos-6.6.txt');

async function run(argv: string[], opts: FakeOptions) {
  const io = fakeIo({ ...opts, files: { '/proc/buddyinfo': LIVE, ...opts.files } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), stdinReads: io.stdinReads() };
}

const sourcesOf = (out: string): string[] => JSON.parse(out).sources;

describe('no FILE: standard input or the live /proc', () => {
  it.each([
    ['a regular file (buddyinfo < saved), run from a shell', 'file', true],
    ['a regular file, run by cron', 'file', false],
    ['a pipe, run from a shell (cat saved | buddyinfo)', 'pipe', true],
    ['a pipe that sends a buddyinfo in a run without a terminal (zcat saved.gz | buddyinfo, in a script)', 'pipe', false],
  ] as const)('reads standard input when it is %s', async (_what, stdinKind, interactive) => {
    const r = await run(['--json'], { stdin: PIPED, stdinKind, interactive });
    expect(r.code).toBe(0);
    expect(sourcesOf(r.out)).toEqual(['standard input']);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(11464);
  });

  it.each([
    ['a terminal', 'tty', true],
    ['/dev/null (a character device)', 'null', true],
    ['a closed descriptor', 'none', false],
  ] as const)('reads the live /proc and never opens standard input when it is %s', async (_what, stdinKind, interactive) => {
    const r = await run(['--json'], { stdin: PIPED, stdinKind, interactive });
    expect(r.code).toBe(0);
    expect(sourcesOf(r.out)).toEqual(['/proc/buddyinfo']);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(4381);
    expect(r.stdinReads).toBe(0);
  });

  it.each([
    ['a pipe closed before its first byte (true | buddyinfo)', 'pipe'],
    ['an empty regular file', 'file'],
  ] as const)('reads the live /proc when standard input is %s', async (_what, stdinKind) => {
    const r = await run(['--json'], { stdin: '', stdinKind, interactive: true });
    expect(r.code).toBe(0);
    expect(sourcesOf(r.out)).toEqual(['/proc/buddyinfo']);
    expect(JSON.parse(r.out).pageSizeOrigin).toBe('live');
  });

  it('reads the live /proc, saying so, when standard input is a pipe that stays silent in a run without a terminal (ssh host buddyinfo, CI, a slow writer)', async () => {
    const r = await run(['--json'], { stdinIdle: true, stdinKind: 'pipe', interactive: false });
    expect(r.code).toBe(0);
    expect(sourcesOf(r.out)).toEqual(['/proc/buddyinfo']);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(4381);
    expect(JSON.parse(r.out).notes).toContain(
      "Standard input is a pipe that sent nothing within 0.1 s: this is this machine's /proc; give - to wait for piped data, or --live (or ssh -n) to leave standard input alone.",
    );
  });

  it('reads the live /proc, saying so, when such a pipe sends text that is none of its inputs', async () => {
    // `while read h; do ssh "$h" buddyinfo; done < hosts`: ssh hands the remote run the rest of the list.
    const r = await run(['--json'], { stdin: 'db2.example.com\ndb3.example.com\n', stdinKind: 'pipe', interactive: false });
    expect(r.code).toBe(0);
    expect(sourcesOf(r.out)).toEqual(['/proc/buddyinfo']);
    expect(JSON.parse(r.out).notes).toContain(
      'Standard input is a pipe whose text is not a buddyinfo or a kernel log (it starts "db2.example.com"): this is this machine\'s /proc; give - to read standard input.',
    );
  });

  it('the same choices for check', async () => {
    const zoneinfo = fixture('zoneinfo-x86_64-6.18-live.txt');
    // Silent: the live box, whose zoneinfo gives the marks.
    const silent = await run(['check', '--order', '0', '--json'], { stdinIdle: true, stdinKind: 'pipe', interactive: false, files: { '/proc/zoneinfo': zoneinfo } });
    expect(silent.err).toBe('');
    expect(silent.code).toBe(0);
    // Sending a capture: the capture, which has no zoneinfo beside it, so no marks are known.
    const sent = await run(['check', '--order', '0', '--json'], { stdin: PIPED, stdinKind: 'pipe', interactive: false, files: { '/proc/zoneinfo': zoneinfo } });
    expect(sent.code).toBe(2);
    expect(sent.err).toMatch(/^buddyinfo: No min watermark is known for node 0 zone Normal/);
  });
});

describe('a live run decided once standard input is looked at', () => {
  it('an empty pipe at a terminal (true | buddyinfo) is the live box, whose table leaves the slow pagetypeinfo out as any live table does', async () => {
    const files = {
      '/proc/zoneinfo': fixture('proc-x86_64-6.18/zoneinfo'),
      '/proc/pagetypeinfo': fixture('proc-x86_64-6.18/pagetypeinfo'),
    };
    for (const stdin of [{ stdin: '', stdinKind: 'pipe' as const, interactive: true }, { stdinKind: 'null' as const }]) {
      const r = await run(['--json'], { ...stdin, files });
      const v = JSON.parse(r.out);
      expect(v.sources).toEqual(['/proc/buddyinfo', '/proc/zoneinfo']);
      expect(v.watermarkCheck.pagetypeinfoSkipped).toBe(true);
    }
  });
});

describe('"-" and --live say which', () => {
  it('"-" reads a pipe even in an unattended run', async () => {
    const r = await run(['--json', '-'], { stdin: PIPED, stdinKind: 'pipe', interactive: false });
    expect(sourcesOf(r.out)).toEqual(['standard input']);
  });

  it('"-" on an empty input is an error, not the live box', async () => {
    const r = await run(['-'], { stdin: '', stdinKind: 'pipe', interactive: true });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: standard input: expected \/proc\/buddyinfo lines .* found no zone line\.\n$/);
  });

  it('--live reads /proc with a pipe at a terminal, and never opens standard input', async () => {
    const r = await run(['--json', '--live'], { stdin: PIPED, stdinKind: 'pipe', interactive: true });
    expect(sourcesOf(r.out)).toEqual(['/proc/buddyinfo']);
    expect(r.stdinReads).toBe(0);
  });

  it('--live with a FILE or --proc is a usage error', async () => {
    const a = await run(['--live', 'saved.txt'], { files: { 'saved.txt': PIPED } });
    expect(a.code).toBe(2);
    expect(a.err).toBe("buddyinfo: --live reads this machine's /proc: give either --live or FILEs, not both.\n");
    const b = await run(['--live', '--proc', 'sos/proc'], {});
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/give either --live or --proc DIR, not both/);
  });
});

describe('a log reader has no live source', () => {
  it('report reads a pipe in an unattended run (journalctl -k | buddyinfo report, from cron)', async () => {
    const r = await run(['report', '--json'], { stdin: fixture('reports/oom-4.19.txt'), stdinKind: 'pipe', interactive: false });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)[0].source).toBe('standard input');
  });

  it('report on an empty pipe says it found no report, rather than reading /proc', async () => {
    const r = await run(['report'], { stdin: '', stdinKind: 'pipe', interactive: true });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: standard input: found no allocation-failure report/);
  });
});
