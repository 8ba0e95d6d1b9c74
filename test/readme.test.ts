// Every example command in the README runs, as written, against the fixtures and this machine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The command lines of the README's sh blocks that run buddyinfo, without their trailing comments. */
function examples(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => /^buddyinfo\b/.test(l) || /\|\s*buddyinfo\b/.test(l));
}

describe('README examples', () => {
  const out = mkdtempSync(join(tmpdir(), 'buddyinfo-readme-'));
  it('has examples to run', () => {
    expect(examples().length).toBeGreaterThan(8);
  });
  it.each(examples())('%s', (line) => {
    // --output paths in the README name the real textfile folder; write to a scratch folder instead.
    const command = line.replace(/--output \S+/, `--output ${join(out, 'buddyinfo.prom')}`);
    const r = spawnSync('bash', ['-c', `buddyinfo() { "${process.execPath}" bin/buddyinfo.js "$@"; }\n${command}`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // 0: ran and passed; 1: ran and a check verdict failed (live examples depend on this machine)
    expect(r.stderr).not.toMatch(/^buddyinfo: |\n\s+at /m);
    expect([0, 1]).toContain(r.status);
  });
});

/** The README's "Excerpt of `COMMAND`" blocks: every line but "..." is in the command's real output, in order. */
describe('README output excerpts', () => {
  const excerpts = [...README.matchAll(/Excerpt of `buddyinfo ([^`]+)`[^`]*```\n([\s\S]*?)```/g)];
  it('has excerpts', () => expect(excerpts.length).toBeGreaterThan(0));
  it.each(excerpts.map((m) => [m[1] ?? '', m[2] ?? '']))('buddyinfo %s', (args, block) => {
    const r = spawnSync(process.execPath, ['bin/buddyinfo.js', ...args.split(' ')], { cwd: ROOT, encoding: 'utf8' });
    const out = r.stdout.split('\n');
    let at = 0;
    for (const line of block.trimEnd().split('\n')) {
      if (line.trim() === '...') continue;
      const found = out.indexOf(line, at);
      expect(found, `README line not in the output (in order): ${line}`).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
  });
});
