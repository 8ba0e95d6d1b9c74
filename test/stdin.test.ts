// The built CLI with the standard inputs cron, systemd, ssh and a shell give it: it reads a pipe only when asked.

import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, FIXTURES } from './helpers/io.js';

const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
const CAPTURE = `${FIXTURES}buddyinfo-chromeos-6.6.txt`;
const HAS_PROC = spawnSync('test', ['-r', '/proc/buddyinfo']).status === 0;
const HAS_SCRIPT = spawnSync('sh', ['-c', 'command -v script']).status === 0;

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the CLI in a new session (detached: setsid), so it has no controlling terminal, as under cron.
 * `stdin` is what its standard input is; `feed` writes to a pipe and, unless `keepOpen`, closes it.
 */
function unattended(args: string[], stdin: 'pipe' | number, feed = '', keepOpen = false): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: [stdin, 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin?.destroy();
      resolve({ code, out, err });
    });
    if (child.stdin) {
      // A child that exits without reading its input makes the write fail with EPIPE: that is the point.
      child.stdin.on('error', () => undefined);
      child.stdin.write(feed);
      if (!keepOpen) child.stdin.end();
    }
  });
}

describe.skipIf(!HAS_PROC)(`the built CLI with no FILE, unattended (no controlling terminal)${HAS_PROC ? '' : ' (skipped: no /proc/buddyinfo here)'}`, () => {
  it('an empty pipe, as cron gives: the live /proc', async () => {
    const r = await unattended(['--json'], 'pipe');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).sources[0]).toBe('/proc/buddyinfo');
  });

  it('/dev/null, as systemd gives: the live /proc', async () => {
    const fd = openSync('/dev/null', 'r');
    try {
      const r = await unattended(['--json'], fd);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).sources[0]).toBe('/proc/buddyinfo');
    } finally {
      closeSync(fd);
    }
  });

  // `ssh host buddyinfo` without -n: a pipe that stays open and is never written to. The test's
  // timeout is only a safety net; the assertion is that the run ends on its own with the live answer.
  it('a pipe that stays open and never writes: the live /proc after 0.1 s, with a note', { timeout: 30_000 }, async () => {
    const r = await unattended(['--json'], 'pipe', '', true);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).sources[0]).toBe('/proc/buddyinfo');
    expect(JSON.parse(r.out).notes[0]).toMatch(/^Standard input is a pipe that sent nothing within 0\.1 s: this is this machine's \/proc/);
  });

  it('a pipe with data and no "-", as a script gives (zcat saved.gz | buddyinfo): the data', async () => {
    const r = await unattended(['--json'], 'pipe', fixture('buddyinfo-chromeos-6.6.txt'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).sources).toEqual(['standard input']);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(11464);
  });

  it('a pipe with text that is no input of ours (ssh in a loop over a host list): the live /proc, with a note', async () => {
    const r = await unattended([], 'pipe', 'db2.example.com\ndb3.example.com\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Standard input is a pipe whose text is not a buddyinfo or a kernel log (it starts "db2.example.com")');
    expect(r.out).toMatch(/Node 0, zone/);
  });

  it('a pipe with data and "-": the data', async () => {
    const r = await unattended(['--json', '-'], 'pipe', fixture('buddyinfo-chromeos-6.6.txt'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sources).toEqual(['standard input']);
    // the capture's Normal zone: 11464 order-0 blocks (its third line)
    expect(j.zones[2].free[0]).toBe(11464);
  });

  it('a regular file on standard input (buddyinfo < saved): the file', async () => {
    const fd = openSync(CAPTURE, 'r');
    try {
      const r = await unattended(['--json'], fd);
      expect(JSON.parse(r.out).zones[2].free[0]).toBe(11464);
    } finally {
      closeSync(fd);
    }
  });
});

/** Runs a shell line under script(1), which gives it a terminal: a user at a shell. */
function atTerminal(line: string): { code: number | null; out: string } {
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout.replace(/\r/g, '') };
}

describe.skipIf(!HAS_SCRIPT || !HAS_PROC)(`the built CLI at a terminal (under script(1))${HAS_SCRIPT && HAS_PROC ? '' : ' (skipped: needs script(1) and /proc/buddyinfo)'}`, () => {
  const cli = `"${process.execPath}" "${BIN}"`;
  it('reads a piped capture without "-"', () => {
    const r = atTerminal(`cat "${CAPTURE}" | ${cli} --json`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).zones[2].free[0]).toBe(11464);
  });
  it('an empty pipe is the live box', () => {
    const r = atTerminal(`true | ${cli} --json`);
    expect(JSON.parse(r.out).sources[0]).toBe('/proc/buddyinfo');
  });
  it('--live reads /proc though a capture is piped in', () => {
    const r = atTerminal(`cat "${CAPTURE}" | ${cli} --json --live`);
    expect(JSON.parse(r.out).sources[0]).toBe('/proc/buddyinfo');
  });
});
