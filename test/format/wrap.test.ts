// Output fitted to the terminal: no line wider than it at 80 columns, everything kept at 160 and when piped.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fitHelp, fitText, visibleWidth, wrapLine } from '../../src/format/wrap.js';
import { fakeIo, fixture, FIXTURES } from '../helpers/io.js';

/** Runs the CLI with standard output a terminal of `columns` (colour on, as a terminal has it). */
async function at(columns: number | undefined, argv: string[], files: Record<string, string> = {}) {
  const io = fakeIo({ files, stdoutTTY: columns !== undefined, columns: columns ?? 80 });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));
/** The words of a text outside its table rows, so wrapping can be seen to lose or reorder none. */
const words = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => !/[│┌└├─]/.test(l))
    .join(' ')
    .split(/\s+/)
    .filter((w) => w !== '');

function procDir(name: string): Record<string, string> {
  const present = readdirSync(`${FIXTURES}${name}`);
  return Object.fromEntries(present.map((f) => [`p/${f}`, fixture(`${name}/${f}`)]));
}

describe('wrapLine', () => {
  it('cuts at spaces, keeps the indent, and puts a list item on under its text', () => {
    expect(wrapLine('  - one two three four', 12)).toEqual(['  - one two', '    three', '    four']);
    expect(wrapLine('    aaa bbb ccc', 11)).toEqual(['    aaa bbb', '    ccc']);
  });
  it('never starts a line with a unit: "4 MiB" stays whole', () => {
    expect(wrapLine('largest free block 4 MiB (order 10)', 20)).toEqual(['largest free block', '4 MiB (order 10)']);
  });
  it('counts colour codes as nothing and a wide character as two columns', () => {
    expect(visibleWidth('\u001b[31mFAIL\u001b[39m')).toBe(4);
    expect(visibleWidth('古')).toBe(2);
    expect(wrapLine('\u001b[1mab\u001b[22m cd', 5)).toEqual(['\u001b[1mab\u001b[22m cd']);
  });
  it('leaves a table row and a word longer than the width as they are', () => {
    const row = '│     0 │   4 KiB │      0 │';
    expect(wrapLine(row, 10)).toEqual([row]);
    expect(wrapLine('a fixtures/proc-x86_64-6.18/version b', 10)).toEqual(['a', 'fixtures/proc-x86_64-6.18/version', 'b']);
  });
  it('fitText without a width is the identity', () => {
    expect(fitText('a b\nc', undefined)).toBe('a b\nc');
  });
});

describe('the table at 80 and 160 columns', () => {
  const files = procDir('proc-x86_64-6.18');
  it('80: no line wider than 80; the bar and the columns another one says go first; no word lost', async () => {
    const narrow = await at(80, ['--proc', 'p'], files);
    const piped = await at(undefined, ['--proc', 'p'], files);
    expect(narrow.code).toBe(0);
    expect(widest(narrow.out)).toBeLessThanOrEqual(80);
    expect(narrow.out).not.toContain('where the free memory sits');
    expect(narrow.out).not.toContain('█');
    const head = narrow.out.split('\n').find((l) => l.includes('order') && l.includes('│')) ?? '';
    const columns = head.replace(/\u001b\[[0-9;]*m/g, '').split('│').map((c) => c.trim()).filter((c) => c !== '');
    expect(columns).toEqual(expect.arrayContaining(['order', 'blocks', 'extfrag']));
    expect(columns).not.toContain('share');
    expect(words(narrow.out.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(words(piped.out));
  });

  it('160: the full table with its bar; prose wrapped at 160', async () => {
    const wide = await at(160, ['--proc', 'p', '--no-color'], files);
    expect(widest(wide.out)).toBeLessThanOrEqual(160);
    expect(wide.out).toContain('where the free memory sits');
    expect(wide.out).toContain('share');
  });

  it('piped: the full table and unwrapped prose, whatever the width', async () => {
    const piped = await at(undefined, ['--proc', 'p'], files);
    expect(piped.out).toContain('where the free memory sits');
    expect(widest(piped.out)).toBeGreaterThan(160);
  });

  it('--output FILE keeps the full table though standard output is an 80-column terminal', async () => {
    const io = fakeIo({ files, stdoutTTY: true, columns: 80 });
    await main(['--proc', 'p', '--output', 'out.txt'], io);
    expect(io.files.get('out.txt')).toContain('where the free memory sits');
  });

  it.each([['proc-x86_64-6.18'], ['proc-cma-only'], ['proc-highatomic-reserved']])('--by-type at 80 fits (%s)', async (name) => {
    const r = await at(80, ['--by-type', '--no-color', '--proc', 'p'], procDir(name));
    expect(r.code).toBe(0);
    expect(widest(r.out)).toBeLessThanOrEqual(80);
    expect(r.out).toMatch(/│ +order │/);
  });
});

describe('check and report at 80 columns', () => {
  it('check --explain: no line wider than 80, no word lost', async () => {
    const files = procDir('proc-x86_64-6.18');
    for (const order of ['0', '4', '10']) {
      const narrow = await at(80, ['check', '--order', order, '--explain', '--proc', 'p', '--no-color'], files);
      const piped = await at(undefined, ['check', '--order', order, '--explain', '--proc', 'p'], files);
      expect(widest(narrow.out)).toBeLessThanOrEqual(80);
      expect(words(narrow.out)).toEqual(words(piped.out));
    }
  });

  const reports = readdirSync(`${FIXTURES}reports`).filter((f) => f.endsWith('.txt'));
  it.each(reports)('report --explain %s: no line wider than 80, no word lost', async (name) => {
    const files = { [name]: fixture(`reports/${name}`) };
    const narrow = await at(80, ['report', '--explain', '--no-color', name], files);
    const piped = await at(undefined, ['report', '--explain', name], files);
    expect(narrow.code).toBe(piped.code);
    expect(widest(narrow.out)).toBeLessThanOrEqual(80);
    expect(words(narrow.out)).toEqual(words(piped.out));
  });
});

describe('fitHelp', () => {
  it('puts an example\'s words under it, and breaks a long command with shell continuations, never inside quotes', () => {
    const help = [
      'Examples:',
      '  $ buddyinfo check --order 4              would an order-4 (64 KiB) GFP_KERNEL allocation succeed now?',
      '  $ buddyinfo check --order 9 --quiet || echo "an order-9 GFP_KERNEL allocation would fail"',
    ].join('\n');
    expect(fitHelp(help, 60).split('\n')).toEqual([
      'Examples:',
      '  $ buddyinfo check --order 4',
      '      would an order-4 (64 KiB) GFP_KERNEL allocation',
      '      succeed now?',
      '  $ buddyinfo check --order 9 --quiet || echo \\',
      '      "an order-9 GFP_KERNEL allocation would fail"',
    ]);
    expect(fitHelp(help, undefined)).toBe(help);
  });

  it('leaves every line of every command\'s help within a 60-column terminal', async () => {
    for (const argv of [['--help'], ['check', '--help'], ['report', '--help'], ['history', '--help'], ['diff', '--help'], ['watch', '--help']]) {
      const io = fakeIo({ stdoutTTY: true, columns: 60 });
      expect(await main(argv, io)).toBe(0);
      for (const line of io.out().split('\n')) expect(visibleWidth(line), `${argv.join(' ')}: ${line}`).toBeLessThanOrEqual(60);
    }
  });
});
