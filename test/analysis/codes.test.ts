// The one vocabulary of codes: the README's table lists exactly the codes the code can emit, with their texts.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES, NEXT_CODES, OOM_CODES, ZONE_CODES, type Code } from '../../src/analysis/codes.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(n) ? [p] : [];
  });
}

/** The rows of the README's "Verdict codes" table: [code, sentence, action]. */
function table(): string[][] {
  const section = README.slice(README.indexOf('## Verdict codes'), README.indexOf('## Exit status'));
  return section
    .split('\n')
    .filter((l) => /^\| `[A-Z_0-9]+` \|/.test(l))
    .map((l) => {
      const cells = l.slice(2, -2).split(' | ');
      return [(cells[0] as string).replace(/`/g, ''), cells[1] as string, cells[2] as string];
    });
}

describe('the README code table', () => {
  it('is one table with every code, its sentence and its action, in the order of codes.ts', () => {
    expect(table()).toEqual(Object.entries(CODES).map(([code, t]) => [code, t.sentence, t.action]));
  });

  it('lists only codes some module of src/ emits (each appears there as a literal outside codes.ts)', () => {
    const text = sources()
      .filter((f) => !f.endsWith('codes.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = (Object.keys(CODES) as Code[]).filter((c) => !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('holds every category: zone verdicts, next steps, OOM kinds', () => {
    for (const c of [...ZONE_CODES, ...NEXT_CODES, ...OOM_CODES]) expect(Object.keys(CODES)).toContain(c);
  });
});
