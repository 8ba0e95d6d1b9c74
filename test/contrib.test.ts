// contrib/: the monitoring plugin, cron line and systemd units run as those daemons run them.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'buddyinfo-contrib-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder holding only `buddyinfo`, as `npm link` leaves it in npm's prefix. */
const BIN_DIR = join(scratch, 'bin');
mkdirSync(BIN_DIR);
symlinkSync(join(ROOT, 'bin/buddyinfo.js'), join(BIN_DIR, 'buddyinfo'));
/** A minimal PATH: the system's, node's folder (the bin's `#!/usr/bin/env node` needs it) and buddyinfo's. */
const PATH = `${BIN_DIR}:${dirname(process.execPath)}:/usr/bin:/bin`;

describe('contrib/nagios/check_buddyinfo', () => {
  const plugin = join(ROOT, 'contrib/nagios/check_buddyinfo');
  const seed = `${FIXTURES}check/seed-000-dma32-buddyinfo.txt`;
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(plugin, args, { encoding: 'utf8', env: { PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, out: r.stdout };
  };
  // Seed 000 (kernel.md section 2): under 2.6.32 the loop leaves 765 pages against 884 and fails; 4.4 passes.
  it('maps a pass to OK (0)', () => {
    const r = run(['--order', '4', '--kernel', '4.4', '--min', '1769', seed]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^BUDDYINFO OK - buddyinfo check --order 4 .*: the allocation would succeed\n$/);
  });
  it('maps a fail to CRITICAL (2), or WARNING (1) with --warn', () => {
    expect(run(['--order', '4', '--kernel', '2.6.32', '--min', '1769', seed])).toMatchObject({ code: 2, out: expect.stringMatching(/^BUDDYINFO CRITICAL - /) });
    expect(run(['--warn', '--order', '4', '--kernel', '2.6.32', '--min', '1769', seed])).toMatchObject({ code: 1, out: expect.stringMatching(/^BUDDYINFO WARNING - /) });
  });
  it("maps buddyinfo's usage and input errors to UNKNOWN (3) with the error", () => {
    const r = run(['--order', '4', seed]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^BUDDYINFO UNKNOWN - buddyinfo: .*DMA32.*--min.*\n$/);
  });
  it('UNKNOWN when buddyinfo is not on the PATH', () => {
    const r = spawnSync(plugin, ['--order', '4'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^BUDDYINFO UNKNOWN - .*buddyinfo.*not found/);
  });
});
