// --output FILE through the real file system: the old file or the new one, and nothing left behind on failure.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/io.js';

const BIN = fileURLToPath(new URL('../bin/buddyinfo.js', import.meta.url));
const INPUT = `${FIXTURES}buddyinfo-procfs-x86_64.txt`;
const scratch = mkdtempSync(join(tmpdir(), 'buddyinfo-output-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeProm(target: string) {
  const r = spawnSync(process.execPath, [BIN, '--format', 'prometheus', '--page-size', '4K', '--output', target, INPUT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('--output FILE', () => {
  it('writes the exposition, keeps an existing mode, and leaves only the file', () => {
    const dir = join(scratch, 'ok');
    mkdirSync(dir);
    const target = join(dir, 'buddyinfo.prom');
    writeFileSync(target, 'old\n');
    chmodSync(target, 0o640);
    const r = writeProm(target);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(target, 'utf8')).toMatch(/^# HELP buddyinfo_/);
    // the capture's DMA zone: 1 free block of order 0 (its first count)
    expect(readFileSync(target, 'utf8')).toContain('buddyinfo_free_blocks{node="0",zone="DMA",order="0"} 1\n');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['buddyinfo.prom']);
  });

  it('a folder at the target path: one sentence, exit 2, and no temporary file left', () => {
    const dir = join(scratch, 'isdir');
    mkdirSync(join(dir, 'buddyinfo.prom'), { recursive: true });
    for (let i = 0; i < 2; i++) {
      const r = writeProm(join(dir, 'buddyinfo.prom'));
      expect(r.code).toBe(2);
      expect(r.err).toBe(`buddyinfo: cannot write ${join(dir, 'buddyinfo.prom')}: it is a folder.\n`);
    }
    expect(readdirSync(dir)).toEqual(['buddyinfo.prom']);
    expect(readdirSync(join(dir, 'buddyinfo.prom'))).toEqual([]);
  });

  it('a missing folder: one sentence, exit 2, nothing created', () => {
    const r = writeProm(join(scratch, 'nowhere', 'buddyinfo.prom'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/: its folder does not exist\.\n$/);
    expect(readdirSync(scratch)).not.toContain('nowhere');
  });
});

/** A 64 KiB tmpfs, mounted for this test (root only; CI runs as root). */
function smallTmpfs(): { dir?: string; why?: string } {
  const dir = join(scratch, 'tmpfs');
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return { why: `mount -t tmpfs failed (${(r.stderr || r.error?.message || '').trim()}): needs root` };
  return { dir };
}

const full = process.getuid?.() === 0 ? smallTmpfs() : { why: 'not root: mounting a small tmpfs needs root' };

describe('--output on a full disk', () => {
  afterAll(() => {
    if (full.dir) spawnSync('umount', [full.dir]);
  });
  it.skipIf(full.dir === undefined)(`keeps the old file and leaves no temporary file (${full.why ?? 'a 64 KiB tmpfs'})`, () => {
    const dir = full.dir as string;
    const target = join(dir, 'buddyinfo.prom');
    writeFileSync(target, 'good\n');
    // Fill the tmpfs: 64 KiB holds 16 pages; write until the kernel refuses.
    let n = 0;
    try {
      for (;;) writeFileSync(join(dir, `filler-${n++}`), Buffer.alloc(4096));
    } catch {
      // ENOSPC: full, as wanted.
    }
    const r = writeProm(target);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`buddyinfo: cannot write ${target}: no space left on device (ENOSPC).\n`);
    expect(readFileSync(target, 'utf8')).toBe('good\n');
    expect(readdirSync(dir).filter((f) => !f.startsWith('filler-'))).toEqual(['buddyinfo.prom']);
  });
});
