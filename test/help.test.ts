// Every command's --help ends with examples, and the files those examples name exist.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fakeIo } from './helpers/io.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe.each([[], ['show'], ['check'], ['report'], ['history'], ['diff'], ['watch']])('buddyinfo %s --help', (...cmd) => {
  it('ends with runnable examples', async () => {
    const io = fakeIo();
    expect(await main([...cmd, '--help'], io)).toBe(0);
    const text = io.out().trimEnd();
    const examples = text.slice(text.lastIndexOf('Examples:'));
    expect(text.lastIndexOf('Examples:')).toBeGreaterThan(0);
    const lines = examples.split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line).toMatch(/^\s+\$ /);
      for (const path of line.match(/\bfixtures\/\S+/g) ?? []) {
        expect(existsSync(`${ROOT}${path}`), `${path} in "${line.trim()}"`).toBe(true);
      }
    }
  });
});
