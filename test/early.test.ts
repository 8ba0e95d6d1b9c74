// Which runs start reading /proc/pagetypeinfo before the bundle loads (src/early.cts).

import { describe, expect, it } from 'vitest';
import { readsPagetypeinfo } from '../src/early.cjs';

const saved = new Set(['saved.txt', 'sos/', 'node.prom']);
const guess = (line: string): boolean => readsPagetypeinfo(line === '' ? [] : line.split(' '), (p) => saved.has(p));

describe('the runs that will read the live pagetypeinfo', () => {
  it.each([
    'check --order 4',
    'check --order 4 --quiet',
    '--format prometheus',
    '--format=prometheus',
    '--format prometheus --output node.prom',
    '--format html',
    '--by-type',
    'show --by-type',
  ])('%s: yes', (line) => expect(guess(line)).toBe(true));

  it.each([
    '',
    '--json',
    'report',
    'watch --order 4',
    'history saved.txt',
    'check --order 4 saved.txt',
    'check saved.txt --order 4',
    '--format prometheus saved.txt',
    'check --order 4 --proc sos/',
    'check --order 4 --proc=sos/',
    'check --order 4 -',
  ])('%s: no', (line) => expect(guess(line)).toBe(false));
});

describe('the early read', () => {
  it('reads to the end of the file, not only what the first read(2) gives (a seq_file hands out a node per read)', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { spawn, spawnSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readWhole } = await import('../src/early.cjs');
    const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-early-'));
    try {
      // A FIFO whose writer sends two parts 0.2 s apart: the first read(2) returns the first part only.
      const fifo = join(dir, 'pagetypeinfo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const writer = spawn('sh', ['-c', `exec > "${fifo}"; printf 'Node 0, zone Normal\\n'; sleep 0.2; printf 'Node 1, zone Normal\\n'`]);
      expect(await readWhole(fifo)).toBe('Node 0, zone Normal\nNode 1, zone Normal\n');
      writer.kill();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
