// The help: what `buddyinfo --help` lists, its examples run anywhere, one error style, typo hints.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { closestCommand } from '../src/commands/suggest.js';
import { COMMANDS, SUMMARIES } from '../src/commands/registry.js';
import { fakeIo } from './helpers/io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/buddyinfo.js');
const CLONE = /^From a clone of the repository/;
const NAMES = ['show', 'check', 'report', 'history', 'diff', 'watch', 'completion'];

async function help(cmd: string[], columns = 80): Promise<string> {
  const io = fakeIo({ stdoutTTY: true, columns });
  expect(await main([...cmd, '--help'], io)).toBe(0);
  return io.out();
}

/** The example lines of a help text: those anywhere, and those from a clone of the repository. */
function examples(text: string): { anywhere: string[]; clone: string[] } {
  const lines = text.split('\n');
  const at = lines.lastIndexOf('Examples:');
  const out = { anywhere: [] as string[], clone: [] as string[] };
  let into = out.anywhere;
  for (const line of lines.slice(at + 1)) {
    if (CLONE.test(line)) into = out.clone;
    else if (line.trim() !== '') {
      expect(line).toMatch(/^ {2}\$ /);
      into.push(line.replace(/^ {2}\$ /, ''));
    }
  }
  return out;
}

/** The shell command of an example line: without the description after three or more spaces. */
const commandOf = (line: string): string => line.split(/ {3,}/)[0] ?? line;

describe('buddyinfo --help', () => {
  it('lists every option of the default command, --version and --help, and every command on one line', async () => {
    const text = await help([]);
    const show = await help(['show']);
    const optionsOf = (t: string): string[] => [...t.matchAll(/^ {2}(-\w, )?(--[\w-]+)/gm)].map((m) => m[2] as string);
    const top = optionsOf(text.slice(0, text.indexOf('Commands:')));
    for (const option of optionsOf(show)) expect(top).toContain(option);
    expect(top).toEqual(expect.arrayContaining(['--json', '--format', '--proc', '--by-type', '--live', '--output', '--version', '--help']));
    const commands = text.slice(text.indexOf('Commands:'), text.indexOf('Examples:')).split('\n').slice(1).filter((l) => l.trim() !== '');
    expect(commands.map((l) => l.trim().split(' ')[0])).toEqual([...NAMES, 'help']);
    for (const name of NAMES) {
      const line = commands.find((l) => l.trim().startsWith(`${name} `)) ?? '';
      expect(line).toContain(SUMMARIES[name]);
      expect(line.length).toBeLessThanOrEqual(80);
    }
  });

  it('has a summary for every registered command', () => {
    expect(Object.keys(SUMMARIES)).toEqual(NAMES);
    expect(COMMANDS.map((c) => c.name)).toEqual(NAMES);
  });

  it.each([[], ...NAMES.map((n) => [n])])('%s: no meaningless default shown', async (...cmd) => {
    const text = await help(cmd);
    expect(text).not.toMatch(/default: (false|true|\[\]|undefined|""|0)\)/);
  });

  it('wraps to the terminal: no line over 80 columns at 80, and longer lines at 160', async () => {
    const narrow = await help(['check'], 80);
    const options = narrow.slice(0, narrow.indexOf('Examples:'));
    for (const line of options.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const wide = await help(['check'], 160);
    expect(Math.max(...wide.slice(0, wide.indexOf('Examples:')).split('\n').map((l) => l.length))).toBeGreaterThan(80);
  });
});

describe.each([[], ...NAMES.map((n) => [n])])('buddyinfo %s --help examples', (...cmd) => {
  const dir = mkdtempSync(join(tmpdir(), 'buddyinfo-help-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('name no repository file, except under "From a clone of the repository", whose files exist', async () => {
    const { anywhere, clone } = examples(await help(cmd, 160));
    expect(anywhere.length).toBeGreaterThan(1);
    for (const line of anywhere) expect(line).not.toMatch(/\bfixtures\//);
    for (const line of clone) {
      for (const path of line.match(/\bfixtures\/\S+/g) ?? []) expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });

  // Run in order in an empty folder outside the repository, as after `npm link`. Left out: watch,
  // which runs until Ctrl-C or for many seconds, lines that read this machine's kernel log, which may
  // hold no allocation failure, and lines that install a file outside the folder.
  it('run as written from an empty folder', async () => {
    const { anywhere } = examples(await help(cmd, 160));
    const runnable = anywhere.map(commandOf).filter((l) => !/\bbuddyinfo watch\b|\/var\/log\/|journalctl|dmesg|>\s*(\/etc\/|"\$\{fpath)/.test(l));
    for (const line of runnable) {
      const command = line.replace(/--output \S+/, `--output ${join(dir, 'buddyinfo.prom')}`);
      const r = spawnSync('bash', ['-c', `buddyinfo() { "${process.execPath}" "${BIN}" "$@"; }\n${command}`], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const root = process.getuid?.() === 0;
      // 0: ran; 1: a check verdict failed on this machine. --by-type needs root to read pagetypeinfo.
      if (!root && /--by-type/.test(line)) expect(r.stderr).toMatch(/run as root/);
      else {
        expect(r.stderr, line).not.toMatch(/^buddyinfo: |\n\s+at /m);
        expect([0, 1], `${line}: ${r.stderr}`).toContain(r.status);
      }
    }
  });
});

describe('errors', () => {
  it("commander's errors and ours share the prefix buddyinfo:", async () => {
    const io = fakeIo();
    expect(await main(['--bogus'], io)).toBe(2);
    expect(io.err()).toBe('buddyinfo: unknown option \'--bogus\'\n(run "buddyinfo --help" for usage)\n');
    const bad = fakeIo();
    expect(await main(['check', '--order', 'four'], bad)).toBe(2);
    expect(bad.err()).toBe('buddyinfo: --order four: expected an order from 0 to 63 (the block of 2^order pages), e.g. --order 4.\n');
  });

  it('a mistyped command given as a FILE is suggested', async () => {
    const io = fakeIo();
    expect(await main(['chek'], io)).toBe(2);
    expect(io.err()).toBe('buddyinfo: "chek" is neither a file buddyinfo can read nor a command: did you mean "buddyinfo check"?\n');
  });

  it('a mistyped command with options is suggested after the option error', async () => {
    const io = fakeIo();
    expect(await main(['reprot', '--explain', 'kern.log'], io)).toBe(2);
    expect(io.err().split('\n')).toEqual([
      "buddyinfo: unknown option '--explain'",
      '(run "buddyinfo --help" for usage)',
      'buddyinfo: "reprot" is not a command: did you mean "buddyinfo report"?',
      '',
    ]);
  });

  it('a file that exists is read, whatever its name', async () => {
    const io = fakeIo({ files: { chek: 'Node 0, zone Normal 1 2 3\n' } });
    expect(await main(['--json', 'chek'], io)).toBe(0);
  });
});

describe('closestCommand', () => {
  it.each([
    ['chek', 'check'],
    ['reprot', 'report'],
    ['histroy', 'history'],
    ['wacth', 'watch'],
    ['dif', 'diff'],
    ['hist', 'history'],
    ['shwo', 'show'],
  ])('%s -> %s', (word, meant) => expect(closestCommand(word, NAMES)).toBe(meant));

  it.each(['saved.txt', 'proc/buddyinfo', '-', '--json', 'x', 'buddyinfo', 'zoneinfo', 'checkpoint'])('%s is no command', (word) => {
    expect(closestCommand(word, NAMES)).toBeUndefined();
  });
});
