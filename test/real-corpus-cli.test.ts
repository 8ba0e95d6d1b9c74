// Every real capture and report through the command line as a user gives it: read, or refused in one sentence.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { FIXTURES, fakeIo } from './helpers/io.js';

const REAL = `${FIXTURES}real/`;

/** The two captures that hold nothing to analyse alone, and the sentence each gets. */
const REFUSED: Record<string, RegExp> = {
  '07-x86_64-extfrag-index-debugfs.txt': /found the kernel's debugfs extfrag_index rows \(line 1\) but no buddyinfo/,
  '29-4.14-arch-unstated-zoneinfo-nameless-counter-mail-quote.txt': /found a zoneinfo without its min, low and high lines \(line 1: Node 0 DMA\) and no buddyinfo/,
};

async function run(argv: string[], name: string, text: string) {
  const io = fakeIo({ files: { [name]: text } });
  const code = await main([...argv, name], io);
  return { code, err: io.err() };
}

describe.each(['captures', 'reports'])('fixtures/real/%s through the command line', (dir) => {
  const names = readdirSync(`${REAL}${dir}`).sort();
  it.each(names)('%s', async (name) => {
    const text = readFileSync(`${REAL}${dir}/${name}`, 'utf8');
    const r = await run(dir === 'reports' ? ['report'] : [], name, text);
    const refused = REFUSED[name];
    if (refused === undefined) {
      expect(r.err).not.toMatch(/This is a bug|^buddyinfo: .*expected/m);
      expect(r.code).toBe(0);
    } else {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(refused);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
