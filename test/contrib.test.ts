// contrib/: the monitoring plugin, cron line and systemd units run as those daemons run them.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README's shell line that starts with `start`, as written. */
const readmeLine = (start: string): string => README.split('\n').find((l) => l.startsWith(start)) ?? '';
const HAS_PROC = existsSync('/proc/buddyinfo');
/** The zones of this machine's /proc/buddyinfo, read here, to check the metrics against. */
const liveZones = (): string[] =>
  HAS_PROC ? [...readFileSync('/proc/buddyinfo', 'utf8').matchAll(/^Node (\d+), zone\s+(\S+)/gm)].map((m) => `node="${m[1]}",zone="${m[2]}"`) : [];

/** Runs a job as a daemon does: a new session (no terminal), the given standard input and environment. */
function asDaemon(argv: string[], env: Record<string, string>, stdin: 'empty pipe' | '/dev/null'): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const fd = stdin === '/dev/null' ? openSync('/dev/null', 'r') : 'pipe';
    const child = spawn(argv[0] ?? '', argv.slice(1), { detached: true, env, stdio: [fd, 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (typeof fd === 'number') closeSync(fd);
      resolve({ code, err });
    });
    child.stdin?.end();
  });
}

/** The exposition has a free-block series for every zone of this machine. */
function expectLiveMetrics(file: string): void {
  const text = readFileSync(file, 'utf8');
  for (const zone of liveZones()) expect(text).toContain(`buddyinfo_free_blocks{${zone},order="0"}`);
}

/** The shell of an installing root: buddyinfo in npm's bin folder, node in its own. */
const ROOT_PATH = `${BIN_DIR}:${dirname(process.execPath)}:/usr/bin:/bin`;

describe('contrib/ names no install folder', () => {
  it.each(['contrib/cron/buddyinfo', 'contrib/systemd/buddyinfo-textfile.service'])('%s', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    expect(text).not.toMatch(/\/usr\/local\/bin\/buddyinfo/);
    expect(text).toMatch(/^(\* \* \* \* \* root buddyinfo |ExecStart=\/usr\/bin\/env buddyinfo )--format prometheus --output \S+\.prom$/m);
  });
});

describe.skipIf(!HAS_PROC)(`the cron job, installed as the README says${HAS_PROC ? '' : ' (skipped: no /proc/buddyinfo)'}`, () => {
  it('writes the metrics with the environment cron gives: an empty pipe, no terminal, the file\'s PATH', async () => {
    const installed = join(scratch, 'cron.d-buddyinfo');
    const install = readmeLine('sed "s|^PATH=');
    expect(install).toContain('> /etc/cron.d/buddyinfo');
    const r = spawnSync('sh', ['-c', install.replace('/etc/cron.d/buddyinfo', installed)], { cwd: ROOT, env: { PATH: ROOT_PATH }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = readFileSync(installed, 'utf8').split('\n');
    const path = lines.find((l) => l.startsWith('PATH='))?.slice('PATH='.length) ?? '';
    expect(path).toBe(`${BIN_DIR}:${dirname(process.execPath)}:/usr/bin:/bin`);
    const job = lines.find((l) => /^\* \* \* \* \* /.test(l)) ?? '';
    // five time fields and the user, then the command, which cron hands to /bin/sh
    const command = job.split(/\s+/).slice(6).join(' ');
    const prom = join(scratch, 'cron.prom');
    const ran = await asDaemon(
      ['/bin/sh', '-c', command.replace(/--output \S+/, `--output ${prom}`)],
      { PATH: path, SHELL: '/bin/sh', HOME: scratch, LOGNAME: 'root' },
      'empty pipe',
    );
    expect(ran.err).not.toMatch(/^buddyinfo: .*(standard input|found no zone line)|not found/m);
    expect(ran.code).toBe(0);
    expectLiveMetrics(prom);
  });
});

describe.skipIf(!HAS_PROC)(`the systemd service, installed as the README says${HAS_PROC ? '' : ' (skipped: no /proc/buddyinfo)'}`, () => {
  it('writes the metrics with the environment systemd gives: /dev/null, no terminal, the drop-in\'s PATH', async () => {
    const dropIn = join(scratch, 'path.conf');
    const install = readmeLine("printf '[Service]");
    expect(install).toContain('> /etc/systemd/system/buddyinfo-textfile.service.d/path.conf');
    spawnSync('sh', ['-c', install.replace('/etc/systemd/system/buddyinfo-textfile.service.d/path.conf', dropIn)], { env: { PATH: ROOT_PATH } });
    const path = /^Environment=PATH=(\S+)$/m.exec(readFileSync(dropIn, 'utf8'))?.[1] ?? '';
    expect(path.split(':').slice(0, 2)).toEqual([BIN_DIR, dirname(process.execPath)]);
    const unit = readFileSync(join(ROOT, 'contrib/systemd/buddyinfo-textfile.service'), 'utf8');
    const exec = /^ExecStart=(.+)$/m.exec(unit)?.[1] ?? '';
    const prom = join(scratch, 'systemd.prom');
    const ran = await asDaemon(exec.replace(/--output \S+/, `--output ${prom}`).split(' '), { PATH: path }, '/dev/null');
    expect(ran.code).toBe(0);
    expectLiveMetrics(prom);
  });

  const HAS_ANALYZE = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;
  it.skipIf(!HAS_ANALYZE)(`the service and timer pass systemd-analyze verify${HAS_ANALYZE ? '' : ' (skipped: systemd-analyze is not installed)'}`, () => {
    // Documentation=man:buddyinfo(1) is checked too: man finds the page npm run build wrote.
    const manpath = join(scratch, 'man');
    mkdirSync(join(manpath, 'man1'), { recursive: true });
    symlinkSync(join(ROOT, 'man/buddyinfo.1'), join(manpath, 'man1/buddyinfo.1'));
    const units = ['buddyinfo-textfile.service', 'buddyinfo-textfile.timer'].map((u) => join(ROOT, 'contrib/systemd', u));
    const r = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8', env: { ...process.env, MANPATH: manpath } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
