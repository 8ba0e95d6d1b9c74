// The built CLI's start-up paths end to end: output written straight to the descriptor, and what stdin is.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

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
