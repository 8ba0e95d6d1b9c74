// A whole sosreport, as a folder, as --proc, and as a .tar.gz / .tar.xz archive read as a stream.

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadMachine } from '../../src/input/machine.js';
import { fakeIo, FIXTURES } from '../helpers/io.js';

const TOP = 'sosreport-master1-synthetic';
const ROOT = `${FIXTURES}sosreport/${TOP}`;

/** Every file of the fixture tree by its path from the root, links as links. */
function tree(dir = ROOT, rel = ''): { path: string; data?: Buffer; link?: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const path = rel === '' ? name : `${rel}/${name}`;
    const st = lstatSync(full);
    if (st.isSymbolicLink()) return [{ path, link: readlinkSync(full) }];
    if (st.isDirectory()) return tree(full, path);
    return [{ path, data: readFileSync(full) }];
  });
}

/** The tree as the fake Io's files under `at` (a link read through, as the file system reads it). */
function folder(at: string): Record<string, Uint8Array> {
  const files = tree();
  const out: Record<string, Uint8Array> = {};
  for (const f of files) {
    const data = f.data ?? files.find((g) => g.path === join(f.path, '..', f.link ?? '').replace(/^\.\//, ''))?.data;
    if (data !== undefined) out[`${at}/${f.path}`] = new Uint8Array(data);
  }
  return out;
}

/** A tar of the tree under one top folder, as sos makes it, with its link kept as a link. */
async function tarball(): Promise<Uint8Array> {
  const p = pack();
  for (const f of tree()) {
    if (f.link !== undefined) p.entry({ name: `${TOP}/${f.path}`, type: 'symlink', linkname: f.link });
    else p.entry({ name: `${TOP}/${f.path}` }, f.data as Buffer);
  }
  p.finalize();
  const parts: Buffer[] = [];
  for await (const c of p) parts.push(c as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

async function run(argv: string[], files: Record<string, string | Uint8Array>): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

// proc/buddyinfo (corpus 41), read off the file.
const COUNTS = [
  [1, 1, 1, 0, 2, 1, 1, 0, 1, 1, 3],
  [170, 66, 58, 60, 26, 17, 10, 12, 7, 7, 111],
  [356, 154, 571, 302, 143, 14, 7, 4, 3, 2, 0],
];

function expectWholeSosreport(v: { zones: { free: number[] }[]; notes: string[]; watermarkCheck?: { kernelRelease: string } }, name: string): void {
  expect(v.zones.map((z) => z.free)).toEqual(COUNTS);
  // sos_commands/kernel/uname_-a: "Linux master1 4.18.0-80.11.2.el8_0.x86_64 #1 SMP ...".
  expect(v.watermarkCheck?.kernelRelease).toBe('4.18.0-80.11.2.el8_0.x86_64');
  expect(v.notes[0]).toBe(
    `${name} is a sosreport: read proc/buddyinfo, proc/zoneinfo, proc/pagetypeinfo, sos_commands/kernel/uname_-a, sos_commands/kernel/sysctl_-a, sys/kernel/debug/extfrag/unusable_index.`,
  );
  // The index file was computed from proc/buddyinfo with kernel.md's formula: 3 zones of 11 orders.
  expect(v.notes.some((n) => /unusable_index, line 1: the kernel's unusable_index agrees with the buddyinfo at line 1 in all 33 cells\.$/.test(n))).toBe(true);
  // One box: its files are not cross-checked against each other.
  expect(v.notes.some((n) => /drift|do not describe/.test(n))).toBe(false);
}

describe('a sosreport folder', () => {
  it('as FILE: its proc files, release, sysctls and debugfs indices, with no flags', async () => {
    const r = await run(['--json', 'sos'], folder('sos'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expectWholeSosreport(JSON.parse(r.out), 'sos');
  });

  it('as --proc: the same', async () => {
    const r = await run(['--json', '--proc', 'sos/'], folder('sos'));
    expect(r.code).toBe(0);
    expectWholeSosreport(JSON.parse(r.out), 'sos');
  });

  it('reads the vm sysctls from sos_commands/kernel/sysctl_-a into the machine, and nothing else of it', async () => {
    const m = await loadMachine(fakeIo({ files: folder('sos') }), { files: ['sos'] });
    // sysctl_-a lines 2 and 3: "vm.extfrag_threshold = 500", "vm.min_free_kbytes = 67584"; line 1 is kernel.pid_max.
    expect(m.sysctls?.['vm.extfrag_threshold']).toEqual({ value: '500', origin: 'sos/sos_commands/kernel/sysctl_-a, line 2' });
    expect(m.sysctls?.['vm.min_free_kbytes']).toEqual({ value: '67584', origin: 'sos/sos_commands/kernel/sysctl_-a, line 3' });
    expect(m.sysctls?.['kernel.pid_max']).toBeUndefined();
    expect(m.kernel).toEqual({ version: '4.18.0-80.11.2.el8_0.x86_64', origin: 'sos/sos_commands/kernel/uname_-a' });
  });

  it('reads free swap from proc/meminfo, when the sosreport has one', async () => {
    const files = { ...folder('sos'), 'sos/proc/meminfo': 'MemTotal:        3880408 kB\nSwapTotal:       2097148 kB\nSwapFree:        2004220 kB\n' };
    const m = await loadMachine(fakeIo({ files }), { files: ['sos'] });
    expect(m.swap).toEqual({ freeKiB: 2004220, totalKiB: 2097148, origin: 'sos/proc/meminfo' });
    expect((await loadMachine(fakeIo({ files: folder('sos') }), { files: ['sos'] })).swap).toBeUndefined();
  });

  it('gives `report` its kernel logs: var/log/messages, then sos_commands/kernel/dmesg', async () => {
    const r = await run(['report', '--json', 'sos'], folder('sos'));
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.out) as { source: string; line: number; kind: string }[];
    // corpus 23 holds one OOM (line 2), corpus 55 two (lines 1 and 82).
    expect(reports.map((x) => [x.source, x.line, x.kind])).toEqual([
      ['sos/var/log/messages', 2, 'oom'],
      ['sos/sos_commands/kernel/dmesg', 1, 'oom'],
      ['sos/sos_commands/kernel/dmesg', 82, 'oom'],
    ]);
  });
});

describe('a sosreport archive, streamed (never unpacked)', () => {
  it('.tar.gz as FILE, whatever its name', async () => {
    const r = await run(['--json', 'sosreport.bin'], { 'sosreport.bin': new Uint8Array(gzipSync(await tarball())) });
    expect(r.err).toBe('');
    expectWholeSosreport(JSON.parse(r.out), 'sosreport.bin');
  });

  const hasXz = spawnSync('xz', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasXz)('.tar.xz as --proc (made with the xz command, skipped without it)', async () => {
    const xz = new Uint8Array(execFileSync('xz', ['-c'], { input: await tarball() }));
    const r = await run(['--json', '--proc', 's.tar.xz'], { 's.tar.xz': xz });
    expect(r.err).toBe('');
    expectWholeSosreport(JSON.parse(r.out), 's.tar.xz');
  });

  it('report finds the logs in the archive', async () => {
    const r = await run(['report', '--json', 's.tar'], { 's.tar': await tarball() });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { source: string }[]).map((x) => x.source)).toEqual([
      's.tar:var/log/messages',
      's.tar:sos_commands/kernel/dmesg',
      's.tar:sos_commands/kernel/dmesg',
    ]);
  });

  describe('on standard input (cat sosreport.tar.gz | buddyinfo), where it can be read only once', () => {
    const piped = async (argv: string[], bytes: Uint8Array, kind: { stdinKind: 'pipe' | 'file'; interactive: boolean }) => {
      const io = fakeIo(kind);
      io.stdinBytes = () => ({
        async *[Symbol.asyncIterator]() {
          // In pipe-sized pieces: the tar header must be seen in the first decompressed chunk.
          for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
        },
      });
      const code = await main(argv, io);
      return { code, out: io.out(), err: io.err() };
    };
    const tgz = async () => new Uint8Array(gzipSync(await tarball()));

    it.each([
      ['piped at a shell', ['--json'], { stdinKind: 'pipe', interactive: true }],
      ['piped in a script (no terminal)', ['--json'], { stdinKind: 'pipe', interactive: false }],
      ['as "-"', ['--json', '-'], { stdinKind: 'pipe', interactive: true }],
      ['redirected from the file', ['--json'], { stdinKind: 'file', interactive: false }],
    ] as const)('%s: the whole sosreport', async (_what, argv, kind) => {
      const r = await piped([...argv], await tgz(), kind);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expectWholeSosreport(JSON.parse(r.out), 'standard input');
    });

    it('check and report read it too', async () => {
      const check = await piped(['check', '--order', '2', '--json'], await tgz(), { stdinKind: 'pipe', interactive: true });
      expect([0, 1]).toContain(check.code);
      expect(JSON.parse(check.out).kernelRelease).toBe('4.18.0-80.11.2.el8_0.x86_64');
      const report = await piped(['report', '--json'], await tarball(), { stdinKind: 'pipe', interactive: false });
      expect(report.code).toBe(0);
      expect((JSON.parse(report.out) as { source: string }[]).map((x) => x.source)).toEqual([
        'standard input:var/log/messages',
        'standard input:sos_commands/kernel/dmesg',
        'standard input:sos_commands/kernel/dmesg',
      ]);
    });
  });

  it('a cut archive is one sentence, exit 2', async () => {
    const whole = gzipSync(await tarball());
    const r = await run(['s.tgz'], { 's.tgz': new Uint8Array(whole.subarray(0, whole.length >> 1)) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: s\.tgz: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('a report found in several logs of one sosreport', () => {
  it('is listed once, the first (messages before dmesg), with a note', async () => {
    // The same OOM as the syslog keeps it and as dmesg prints it: corpus 23 with its "Mon DD HH:MM:SS host kernel:" prefixes cut off.
    const files = folder('sos');
    const messages = new TextDecoder().decode(files['sos/var/log/messages']);
    files['sos/sos_commands/kernel/dmesg'] = new TextEncoder().encode(messages.replace(/^\S+ +\d+ [\d:]+ \S+ kernel: /gm, ''));
    const r = await run(['report', '--json', 'sos'], files);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { source: string }[]).map((x) => x.source)).toEqual(['sos/var/log/messages']);
    expect(r.out).not.toContain('found again');
    const io = fakeIo({ files });
    await main(['report', 'sos'], io);
    expect(io.out()).toContain('1 report found again in another log of the sosreport is listed once.');
  });
});
