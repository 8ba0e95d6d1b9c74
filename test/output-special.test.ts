// --output at a symbolic link, a FIFO, a device or standard output: followed or written through, never replaced.

import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/io.js';

// Every node these tests write through is made in this folder: none is a system path (/dev/null,
// /dev/stdout), so a regression that renamed over the node could only replace a scratch file.
const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
const INPUT = `${FIXTURES}buddyinfo-procfs-x86_64.txt`;
const scratch = mkdtempSync(join(tmpdir(), 'buddyinfo-output-special-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ARGS = (target: string): string[] => [BIN, '--format', 'prometheus', '--page-size', '4K', '--output', target, INPUT];

function writeProm(target: string, stdout: StdioOptions[number] = 'pipe') {
  const r = spawnSync(process.execPath, ARGS(target), { encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The exposition of the input: it opens with HELP text, and the Normal zone has 4381 free order-0 blocks (its third line). */
function isExposition(text: string): void {
  expect(text).toMatch(/^# HELP buddyinfo_/);
  expect(text).toContain('buddyinfo_free_blocks{node="0",zone="Normal",order="0"} 4381\n');
}

function folder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('--output at a symbolic link', () => {
  it('replaces the file the link names, keeps its mode, and leaves the link a link', () => {
    const dir = folder('link');
    writeFileSync(join(dir, 'real.prom'), 'old\n');
    chmodSync(join(dir, 'real.prom'), 0o640);
    symlinkSync('real.prom', join(dir, 'link.prom'));
    const r = writeProm(join(dir, 'link.prom'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.prom')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.prom'))).toBe('real.prom');
    isExposition(readFileSync(join(dir, 'real.prom'), 'utf8'));
    expect(statSync(join(dir, 'real.prom')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['link.prom', 'real.prom']);
  });

  it('a link into another folder: the temporary file is made beside the target, none is left', () => {
    const from = folder('across/from');
    const to = folder('across/to');
    writeFileSync(join(to, 'real.prom'), 'old\n');
    symlinkSync(join(to, 'real.prom'), join(from, 'link.prom'));
    expect(writeProm(join(from, 'link.prom')).code).toBe(0);
    isExposition(readFileSync(join(to, 'real.prom'), 'utf8'));
    expect(readdirSync(from)).toEqual(['link.prom']);
    expect(readdirSync(to)).toEqual(['real.prom']);
  });

  it('a link to a file not made yet: the file is made, the link stays', () => {
    const dir = folder('dangling');
    symlinkSync('later.prom', join(dir, 'link.prom'));
    expect(writeProm(join(dir, 'link.prom')).code).toBe(0);
    expect(lstatSync(join(dir, 'link.prom')).isSymbolicLink()).toBe(true);
    isExposition(readFileSync(join(dir, 'later.prom'), 'utf8'));
  });

  it('links in a loop: one sentence, exit 2, the links left as they were', () => {
    const dir = folder('loop');
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const r = writeProm(join(dir, 'a'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`buddyinfo: cannot write ${join(dir, 'a')}: too many symbolic links encountered (ELOOP).\n`);
    expect(readlinkSync(join(dir, 'a'))).toBe('b');
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });
});

const hasMkfifo = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasMkfifo)('--output at a FIFO', () => {
  it('writes into it for the reader at the other end; the FIFO stays a FIFO', async () => {
    const dir = folder('fifo');
    const fifo = join(dir, 'out');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, ARGS(fifo), { stdio: ['ignore', 'ignore', 'pipe'] });
    const reading = readFile(fifo, 'utf8');
    await once(child, 'exit');
    // A run that failed before opening the FIFO would leave the read waiting for ever: the write end
    // opened and closed here ends it (with nothing, which fails below). ENXIO: the reader is done already.
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // The reader had its end of file.
    }
    const text = await reading;
    expect(child.exitCode).toBe(0);
    isExposition(text);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('no reader yet: it waits, and Ctrl-C ends the wait with status 130', async () => {
    const dir = folder('fifo-alone');
    const fifo = join(dir, 'out');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, ARGS(fifo), { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    await once(child, 'exit');
    expect(child.exitCode).toBe(130);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

/** A null device of our own in the scratch folder (mknod needs root, or CAP_MKNOD in a container). */
function scratchNull(): string | undefined {
  const path = join(folder('dev'), 'null');
  return spawnSync('mknod', [path, 'c', '1', '3']).status === 0 ? path : undefined;
}
const devNull = scratchNull();

describe('--output at a character device', () => {
  it.skipIf(devNull === undefined)('writes through it (a null device swallows it) and leaves the device node', () => {
    const path = devNull as string;
    const r = writeProm(path);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const st = lstatSync(path);
    expect(st.isCharacterDevice()).toBe(true);
    expect([Math.floor(Number(st.rdev) / 256), Number(st.rdev) % 256]).toEqual([1, 3]);
    expect(readdirSync(join(scratch, 'dev'))).toEqual(['null']);
  });
});

describe('--output at standard output itself (a link to /proc/self/fd/1, as /dev/stdout is)', () => {
  const stdoutLink = (): string => {
    const dir = folder(`stdout-${Math.random().toString(16).slice(2)}`);
    symlinkSync('/proc/self/fd/1', join(dir, 'stdout'));
    return join(dir, 'stdout');
  };

  it.skipIf(process.platform !== 'linux')('prints when standard output is a pipe', () => {
    const link = stdoutLink();
    const r = writeProm(link);
    expect(r.code).toBe(0);
    isExposition(r.out);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')('appends to the very file a `>>` opened, which stays the same file', () => {
    const link = stdoutLink();
    const file = join(scratch, 'appended.txt');
    writeFileSync(file, 'before\n');
    const inode = statSync(file).ino;
    const fd = openSync(file, 'a');
    try {
      expect(writeProm(link, fd).code).toBe(0);
    } finally {
      closeSync(fd);
    }
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('before\n# HELP buddyinfo_')).toBe(true);
    isExposition(text.slice('before\n'.length));
    expect(statSync(file).ino).toBe(inode);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
