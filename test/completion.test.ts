// Completion scripts and the man page: valid for their shell or for man, and complete against every --help.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fakeIo, FIXTURES } from './helpers/io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMMANDS = ['show', 'check', 'report', 'history', 'diff', 'watch', 'completion'];
const EMPTY = mkdtempSync(join(tmpdir(), 'buddyinfo-completion-'));
afterAll(() => rmSync(EMPTY, { recursive: true, force: true }));
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

async function out(argv: string[]): Promise<string> {
  const io = fakeIo();
  expect(await main(argv, io)).toBe(0);
  return io.out();
}

/** Every option name a command's --help lists (read off the help text, not the code that writes the scripts). */
async function optionsOf(command: string): Promise<string[]> {
  const help = await out([command, '--help']);
  const section = help.slice(help.indexOf('Options:'), help.indexOf('\nExamples:') >>> 0);
  return [...section.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)/gm)].flatMap((m) => [m[1], m[2]].filter((x): x is string => x !== undefined));
}

describe('buddyinfo completion bash', () => {
  it('is valid bash and lists every command and every option of each', async () => {
    const script = await out(['completion', 'bash']);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    for (const c of COMMANDS) {
      const line = script.split('\n').find((l) => l.trim().startsWith(`${c}) opts=`)) ?? '';
      expect(line, c).not.toBe('');
      for (const o of await optionsOf(c)) expect(line.split(/[' ]/), `${c} ${o}`).toContain(o);
    }
  });

  /** The words bash would offer after `line` (the cursor at its end), from the script as a user loads it. */
  function complete(script: string, line: string, cwd = EMPTY): string[] {
    const words = line.split(' ');
    const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _buddyinfo; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      encoding: 'utf8',
      cwd,
    });
    return r.stdout.split('\n').filter((w) => w !== '');
  }

  it('completes commands, options per command, option values and files', async () => {
    const script = await out(['completion', 'bash']);
    expect(complete(script, 'buddyinfo ch')).toEqual(['check']);
    expect(complete(script, 'buddyinfo c')).toEqual(['check', 'completion']);
    // the first word may also be a file of the default command: fixtures/ holds a folder check/
    expect(complete(script, 'buddyinfo ch', FIXTURES)).toEqual(['check', 'check']);
    expect(complete(script, 'buddyinfo --js')).toEqual(['--json']);
    expect(complete(script, 'buddyinfo check --ma')).toEqual(['--mark']);
    expect(complete(script, 'buddyinfo check --mark ')).toEqual(['min', 'low', 'high']);
    expect(complete(script, 'buddyinfo --format p')).toEqual(['prometheus']);
    // --format takes other values per command: the table's formats, or a page's.
    expect(complete(script, 'buddyinfo show --format ')).toEqual(['table', 'json', 'prometheus', 'html']);
    expect(complete(script, 'buddyinfo check --format ')).toEqual(['text', 'json', 'html']);
    expect(complete(script, 'buddyinfo history --format ')).toEqual(['text', 'json', 'html']);
    expect(complete(script, 'buddyinfo check --order ')).toEqual([]);
    expect(complete(script, 'buddyinfo --proc proc-x', FIXTURES)).toEqual(['proc-x86_64-6.18']);
    expect(complete(script, 'buddyinfo report reports/oom-4', FIXTURES)).toEqual(['reports/oom-4.19.txt']);
    expect(complete(script, 'buddyinfo completion ')).toEqual(['bash', 'zsh']);
    // help is a command too, and takes a command's name.
    expect(complete(script, 'buddyinfo h')).toEqual(['history', 'help']);
    expect(complete(script, 'buddyinfo help ch')).toEqual(['check']);
    // After an option, "check" is a FILE of the default command (as the program reads it): the default
    // command's options, not check's.
    expect(complete(script, 'buddyinfo --proc proc-x86_64-6.18 check --ma', FIXTURES)).toEqual([]);
    expect(complete(script, 'buddyinfo --proc proc-x86_64-6.18 check --js', FIXTURES)).toEqual(['--json']);
  });
});

describe('buddyinfo completion zsh', () => {
  it('lists every command and every option of each', async () => {
    const script = await out(['completion', 'zsh']);
    expect(script.startsWith('#compdef buddyinfo\n')).toBe(true);
    for (const c of COMMANDS) {
      const at = script.indexOf(`    ${c})\n      _arguments`);
      expect(at, c).toBeGreaterThan(0);
      const block = script.slice(at, script.indexOf(';;', at));
      for (const o of await optionsOf(c)) expect(block, `${c} ${o}`).toContain(`'${o}[`);
    }
  });

  // With _arguments and _describe replaced by functions that print what they are given, the script's
  // own part runs: which command it finds and which specs it passes on.
  it.skipIf(!has('zsh'))(`is valid zsh and hands each command its own specs${has('zsh') ? '' : ' (skipped: zsh is not installed)'}`, async () => {
    const script = await out(['completion', 'zsh']);
    expect(spawnSync('zsh', ['-n'], { input: script }).status).toBe(0);
    const run = (words: string[]) => {
      const body = script.replace(/\n_buddyinfo "\$@"\n$/, '\n');
      const r = spawnSync(
        'zsh',
        ['-c', `${body}\n_arguments() { print -rl -- "$@" }\n_describe() { print -r -- "describe $2" }\nwords=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _buddyinfo`],
        { encoding: 'utf8' },
      );
      return r.stdout.split('\n');
    };
    const check = run(['buddyinfo', 'check', '--ma']);
    expect(check).toContain('--mark[the watermark - min (slow path), low (fast path), high (after OOM)]:mark:(min low high)');
    expect(check).not.toContain('describe commands');
    const first = run(['buddyinfo', 'ch']);
    expect(first).toContain('describe commands');
    expect(first).toContain('--by-type[show free blocks per order and migratetype, and pageblocks per...]');
  });
});

describe('the man page (npm run build writes man/buddyinfo.1)', () => {
  const page = join(ROOT, 'man/buddyinfo.1');
  it('is installed by npm: the man field and the files list', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.man).toBe('./man/buddyinfo.1');
    expect(pkg.files).toContain('man');
    expect(existsSync(page)).toBe(true);
  });

  it('lists every command and every option of each, with the examples of --help', async () => {
    const text = readFileSync(page, 'utf8').replace(/\\-/g, '-').replace(/\\e/g, '\\');
    for (const c of COMMANDS) {
      expect(text).toContain(`.SS ${c}\n`);
      for (const o of await optionsOf(c)) expect(text, `${c} ${o}`).toContain(o);
    }
    expect(text).toContain('$ buddyinfo check --order 4');
    expect(text).toContain('.SH EXIT STATUS');
  });

  it.skipIf(!has('groff'))(`renders with no warning${has('groff') ? '' : ' (skipped: groff is not installed)'}`, () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
