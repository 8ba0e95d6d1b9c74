// Which runs start reading /proc/pagetypeinfo before the bundle loads (src/early.cts).

import { describe, expect, it } from 'vitest';
import { readsPagetypeinfo } from '../src/early.cjs';

const saved = new Set(['saved.txt', 'sos/', 'node.prom']);
const guess = (line: string): boolean => readsPagetypeinfo(line === '' ? [] : line.split(' '), (p) => saved.has(p));

describe('the runs that will read the live pagetypeinfo', () => {
  it.each([
    'check --order 4',
    'check --order 4 --quiet',
    '--format prometheus',
    '--format=prometheus',
    '--format prometheus --output node.prom',
    '--format html',
    '--by-type',
    'show --by-type',
  ])('%s: yes', (line) => expect(guess(line)).toBe(true));

  it.each([
    '',
    '--json',
    'report',
    'watch --order 4',
    'history saved.txt',
    'check --order 4 saved.txt',
    'check saved.txt --order 4',
    '--format prometheus saved.txt',
    'check --order 4 --proc sos/',
    'check --order 4 --proc=sos/',
    'check --order 4 -',
  ])('%s: no', (line) => expect(guess(line)).toBe(false));
});
