// contrib/prometheus: the alert rules the README shows, checked and unit-tested by promtool when it is installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/format/prometheus.js';

const DIR = fileURLToPath(new URL('../contrib/prometheus/', import.meta.url));
const RULES = readFileSync(`${DIR}buddyinfo.rules.yml`, 'utf8');

const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8', timeout: 10_000 });
const noPromtool =
  probe.error || probe.status !== 0 ? 'promtool is not installed (Debian package prometheus; .ci/run installs it with apt-get)' : undefined;
if (noPromtool !== undefined) process.stdout.write(`contrib.test.ts: skipping promtool: ${noPromtool}\n`);
const title = (what: string): string => (noPromtool === undefined ? what : `${what} (skipped: ${noPromtool})`);

describe('contrib/prometheus/buddyinfo.rules.yml', () => {
  it('is the block the README shows under "Alert rules"', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /### Alert rules[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(RULES);
  });

  it('uses only metrics the exposition has', () => {
    const names = new Set<string>(Object.values(METRICS).map((m) => m.name));
    const used = [...RULES.matchAll(/\b(buddyinfo_[a-z_]+)\{/g)].map((m) => m[1] as string);
    expect(used.length).toBeGreaterThan(0);
    for (const u of used) expect(names, u).toContain(u);
  });

  it.skipIf(noPromtool !== undefined)(title('passes promtool check rules'), () => {
    const r = spawnSync('promtool', ['check', 'rules', 'buddyinfo.rules.yml'], { cwd: DIR, encoding: 'utf8', timeout: 30_000 });
    expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS: 4 rules found/);
    expect(r.status).toBe(0);
  });

  it.skipIf(noPromtool !== undefined)(title('passes its unit tests (promtool test rules)'), () => {
    const r = spawnSync('promtool', ['test', 'rules', 'buddyinfo.rules.test.yml'], { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`, r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it.skipIf(noPromtool !== undefined)(title('would fail on a wrong expectation (so the test above can fail)'), () => {
    const tmp = mkdtempSync(join(tmpdir(), 'buddyinfo-rules-'));
    try {
      writeFileSync(join(tmp, 'buddyinfo.rules.yml'), RULES);
      const broken = readFileSync(`${DIR}buddyinfo.rules.test.yml`, 'utf8').replace('eval_time: 12m', 'eval_time: 11m');
      writeFileSync(join(tmp, 'broken.test.yml'), broken);
      const r = spawnSync('promtool', ['test', 'rules', 'broken.test.yml'], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
      expect(`${r.stdout}${r.stderr}`).toMatch(/FAILED[\s\S]*BuddyinfoOrder3AllocationFailing, time: 11m/);
      expect(r.status).not.toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
