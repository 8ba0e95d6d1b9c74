// `buddyinfo watch` in a real terminal (tmux) at 80x24 and 160x50: redrawn in place, cut to fit, restored on Ctrl-C.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/io.js';

const BIN = fileURLToPath(new URL('../../bin/buddyinfo.js', import.meta.url));
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'buddyinfo-tmux-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tmux server of our own (its own socket and an empty configuration). */
function tmux(name: string) {
  const conf = join(scratch, `${name}.conf`);
  writeFileSync(conf, '');
  const run = (...args: string[]) => spawnSync('tmux', ['-L', `buddyinfo-${process.pid}-${name}`, '-f', conf, ...args], { encoding: 'utf8' });
  return {
    start: (cols: number, rows: number, command: string) => run('new-session', '-d', '-s', 'w', '-x', String(cols), '-y', String(rows), command),
    screen: (): string[] => run('capture-pane', '-p', '-t', 'w').stdout.replace(/\n$/, '').split('\n'),
    show: (format: string): string => run('display-message', '-p', '-t', 'w', format).stdout.trim(),
    keys: (...keys: string[]) => run('send-keys', '-t', 'w', ...keys),
    kill: () => run('kill-server'),
  };
}

/** Waits for a condition on the pane; the limit is a safety net, not what the test asserts. */
async function until(what: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !what(); i++) await new Promise((r) => setTimeout(r, 50));
}

const sampleOf = (screen: string[]): number => Number(/sample (\d+) at/.exec(screen.join(' '))?.[1] ?? 0);

describe.skipIf(!HAS_TMUX)(`watch in tmux${HAS_TMUX ? '' : ' (skipped: tmux is not installed; .ci/run installs it)'}`, () => {
  // The 6.18 box's procfs (three zones) with its zoneinfo and pagetypeinfo, so --order 4 has a verdict.
  // The shell stays after watch ends, as a user's does: the pane is read while it is alive.
  const command = `echo BEFORE-WATCH; "${process.execPath}" "${BIN}" watch --interval 200ms --order 4 --proc "${FIXTURES}proc-x86_64-6.18"; echo "EXIT=$?"; sleep 60`;

  it.each([
    [80, 24],
    [80, 20],
    [160, 50],
  ])('%ix%i: the verdict first, one frame in place within the screen, and on Ctrl-C 130 and the screen back', { timeout: 30_000 }, async (cols, rows) => {
    const t = tmux(`${cols}x${rows}`);
    try {
      expect(t.start(cols, rows, command).status).toBe(0);
      await until(() => sampleOf(t.screen()) >= 2);
      const a = t.screen();
      await until(() => sampleOf(t.screen()) > sampleOf(a) + 1);
      const b = t.screen();
      expect(t.show('#{alternate_on}')).toBe('1');
      for (const screen of [a, b]) {
        expect(screen).toHaveLength(rows);
        // PASS: Normal serves the order-4 request (its free lists hold order-4 blocks)
        expect(screen[0]).toMatch(/^PASS order-4 \(64 KiB\) GFP_KERNEL, min mark: served by node 0, zone Normal/);
        // one frame, not samples stacked on each other, and nothing of the shell's screen
        expect(screen.filter((l) => l.includes('buddyinfo watch:'))).toHaveLength(1);
        expect(screen.join('\n')).not.toContain('BEFORE-WATCH');
        expect(screen.filter((l) => /^Node 0, zone /.test(l)).length).toBeGreaterThan(0);
      }
      // redrawn in place: the header is on the same row in both frames, and a later sample
      const row = (s: string[]) => s.findIndex((l) => l.includes('buddyinfo watch:'));
      expect(row(b)).toBe(row(a));
      expect(sampleOf(b)).toBeGreaterThan(sampleOf(a));
      const text = b.join('\n');
      if (rows === 20) {
        // the verdict (1 row: DMA never serves GFP_KERNEL, so it is left out), the header (2) and three
        // zones of 7 rows with their blank lines take 24 rows at 80 columns: the top is kept and the last
        // row says so
        expect(b[rows - 1]).toMatch(/^\(\d+ more lines?: a taller terminal shows them\)$/);
      } else {
        expect(text).not.toMatch(/more lines?: a taller terminal/);
        expect(text).toContain('Node 0, zone Normal');
      }

      t.keys('C-c');
      await until(() => t.screen().some((l) => l.startsWith('EXIT=')));
      expect(t.show('#{alternate_on}')).toBe('0');
      const after = t.screen().join('\n');
      expect(after).toContain('EXIT=130');
      expect(after).toMatch(/watch stopped after \d+ samples\./);
      // the main screen is back with the last frame printed on it; at 50 rows the shell's line before is still there
      expect(after).toContain('Node 0, zone Normal');
      if (rows === 50) expect(after).toContain('BEFORE-WATCH');
    } finally {
      t.kill();
    }
  });
});
