// The exposition against the real thing: promtool's linter, and node_exporter's textfile collector scraped over loopback.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { processIo } from '../../src/process-io.js';
import { parseExposition, valueOf } from '../helpers/exposition.js';
import { FIXTURES } from '../helpers/io.js';

const NODE_EXPORTER = 'prometheus-node-exporter';
const PROMTOOL = 'promtool';

/** Why a program cannot be used here, or undefined when it runs. */
function missing(cmd: string, args: string[], pkg: string): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) {
    return `${cmd} is not installed (Debian package ${pkg}; .ci/run installs it with apt-get)`;
  }
  return undefined;
}

const noPromtool = missing(PROMTOOL, ['--version'], 'prometheus');
const noExporter = missing(NODE_EXPORTER, ['--version'], 'prometheus-node-exporter');
for (const reason of [noPromtool, noExporter]) {
  if (reason !== undefined) process.stdout.write(`node-exporter.test.ts: skipping: ${reason}\n`);
}
const title = (what: string, reason: string | undefined): string => (reason === undefined ? what : `${what} (skipped: ${reason})`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the tool in-process as a user would from cron, writing DIR/buddyinfo.prom from fixtures/proc-cma-only. */
async function writeTextfile(): Promise<{ dir: string; file: string; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-textfile-'));
  dirs.push(dir);
  const file = join(dir, 'buddyinfo.prom');
  let err = '';
  const io = { ...processIo(), stderr: { write: (s: string) => void (err += s), isTTY: false } };
  const code = await main(['--format', 'prometheus', '--by-type', '--output', file, '--proc', `${FIXTURES}proc-cma-only`], io);
  expect(code, err).toBe(0);
  return { dir, file, text: readFileSync(file, 'utf8') };
}

/** A port nothing listens on now, from the kernel's ephemeral range on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Stops the exporter: SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5000));
  if ((await Promise.race([exited, timer])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Starts node_exporter with only the textfile collector and scrapes /metrics; bounded in attempts and time. */
async function scrape(dir: string): Promise<{ body: string; log: string }> {
  let log = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      NODE_EXPORTER,
      [
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d: Buffer) => void (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => void (log += d.toString()));
    try {
      // Up to 50 tries 200 ms apart (10 s), each request bounded to 2 s.
      for (let i = 0; i < 50 && child.exitCode === null; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) return { body: await res.text(), log };
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await stop(child);
    }
  }
  throw new Error(`node_exporter did not serve /metrics after 3 attempts:\n${log}`);
}

describe('promtool', () => {
  it.skipIf(noPromtool !== undefined)(title('check metrics accepts the exposition', noPromtool), async () => {
    const { text } = await writeTextfile();
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(noPromtool !== undefined)(title('check metrics does complain about a bad exposition', noPromtool), () => {
    // A sample with no HELP line: proof that the check above can fail.
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: 'buddyinfo_x 1\n', encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/no help text/);
  });
});

describe('node_exporter textfile collector', () => {
  it.skipIf(noExporter !== undefined)(
    title('serves our series with the values the tool wrote', noExporter),
    async () => {
      const { dir, file, text } = await writeTextfile();
      const { body, log } = await scrape(dir);
      const ours = body
        .split('\n')
        .filter((l) => /^(# (HELP|TYPE) )?buddyinfo_/.test(l))
        .join('\n');
      const scraped = parseExposition(`${ours}\n`);
      const written = parseExposition(text);
      // node_exporter read the file without error and saw when it was written.
      expect(body, log).toMatch(/^node_textfile_scrape_error 0$/m);
      expect(body).toContain(`node_textfile_mtime_seconds{file="${file}"}`);
      // Every series we wrote comes back with the same value and labels.
      let n = 0;
      for (const f of written.values()) {
        expect(scraped.get(f.name)?.help).toBe(f.help);
        for (const s of f.samples) {
          expect(valueOf(scraped, f.name, s.labels), `${f.name} ${JSON.stringify(s.labels)}`).toBe(s.value);
          n++;
        }
      }
      expect(n).toBeGreaterThan(100);
      // And the values are the ones worked by hand in test/format/prometheus.test.ts.
      const normal = { node: '0', zone: 'Normal' };
      expect(valueOf(scraped, 'buddyinfo_free_blocks', { ...normal, order: '10' })).toBe(8);
      expect(valueOf(scraped, 'buddyinfo_free_bytes', normal)).toBe(187_760_640);
      expect(valueOf(scraped, 'buddyinfo_unusable_free_ratio', { ...normal, order: '9' })).toBe(0.776);
      expect(valueOf(scraped, 'buddyinfo_watermark_ok', { ...normal, order: '9', mark: 'min' })).toBe(0);
      expect(valueOf(scraped, 'buddyinfo_watermark_ok', { ...normal, order: '3', mark: 'min' })).toBe(1);
      expect(valueOf(scraped, 'buddyinfo_largest_passing_order', { ...normal, mark: 'min' })).toBe(3);
      expect(valueOf(scraped, 'buddyinfo_type_free_blocks', { ...normal, order: '10', migratetype: 'CMA' })).toBe(8);
    },
    60_000,
  );
});
