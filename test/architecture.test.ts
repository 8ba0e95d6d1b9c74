// The shape of src/: floors from cli down to kernel and model, no import upwards, sideways or in a circle.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Each module's floor, top to bottom (README, "Architecture"). A module may import its own floor's
 * folder or a lower floor; analysis and input share a floor but not each other.
 */
function floorOf(file: string): { rank: number; name: string } {
  if (file === 'cli.ts' || file === 'boot.cts' || file === 'early.cts' || file === 'process-io.ts' || file === 'process-output.ts') return { rank: 6, name: 'cli' };
  const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.c?ts$/, '');
  const ranks: Record<string, number> = { commands: 5, format: 4, analysis: 3, input: 3, parse: 2, kernel: 1, model: 0, io: 0, words: 0 };
  const rank = ranks[top];
  if (rank === undefined) throw new Error(`src/${file} is on no floor: add its folder to the architecture test and the README`);
  return { rank, name: top };
}

/** Every .ts module under src, relative to it. */
function modules(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return /\.c?ts$/.test(name) ? [relative(SRC, path)] : [];
  });
}

/** The src modules a file imports: static imports and exports, and dynamic import(). */
function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.[^']+)'/gm)].map((m) => m[1] as string);
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts'));
}

export type Graph = Map<string, string[]>;

/** The edges that break the floors: upward, or sideways between different folders of one floor. */
export function forbiddenEdges(graph: Graph): string[] {
  const out: string[] = [];
  for (const [from, tos] of graph) {
    const a = floorOf(from);
    for (const to of tos) {
      if (to === 'cli.ts') {
        out.push(`${from} -> ${to}: nothing imports cli.ts`);
        continue;
      }
      const b = floorOf(to);
      if (b.rank > a.rank) out.push(`${from} -> ${to}: ${a.name} imports ${b.name}, a higher floor`);
      else if (b.rank === a.rank && b.name !== a.name) out.push(`${from} -> ${to}: ${a.name} and ${b.name} are siblings`);
    }
  }
  return out;
}

/** Every import cycle, each as its modules in order (Tarjan's strongly connected components). */
export function cycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.reverse());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

function srcGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of modules()) graph.set(file, importsOf(file, readFileSync(join(SRC, file), 'utf8')));
  return graph;
}

describe('the import graph of src/', () => {
  const graph = srcGraph();

  it('resolves every relative import to a module that exists', () => {
    const missing = [...graph].flatMap(([from, tos]) => tos.filter((t) => !graph.has(t)).map((t) => `${from} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no import upwards or sideways', () => {
    expect(forbiddenEdges(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps every module under 400 lines', () => {
    const long = [...graph.keys()].filter((f) => readFileSync(join(SRC, f), 'utf8').split('\n').length > 400);
    expect(long).toEqual([]);
  });

  it('opens every module with one line saying what it is for', () => {
    const bare = [...graph.keys()].filter((f) => !/^\/\/ \S/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(bare).toEqual([]);
  });
});

describe('the guard itself', () => {
  it('would catch a parse module importing analysis, and a command imported from below', () => {
    const g: Graph = new Map([
      ['parse/report.ts', ['analysis/kernel.ts']],
      ['analysis/kernel.ts', []],
      ['format/report.ts', ['commands/report.ts']],
      ['commands/report.ts', []],
      ['commands/check.ts', ['cli.ts']],
      ['cli.ts', []],
      ['analysis/explain.ts', ['input/machine.ts']],
      ['input/machine.ts', []],
    ]);
    expect(forbiddenEdges(g)).toEqual([
      'parse/report.ts -> analysis/kernel.ts: parse imports analysis, a higher floor',
      'format/report.ts -> commands/report.ts: format imports commands, a higher floor',
      'commands/check.ts -> cli.ts: nothing imports cli.ts',
      'analysis/explain.ts -> input/machine.ts: analysis and input are siblings',
    ]);
  });

  it('would catch a cycle inside one floor', () => {
    const g: Graph = new Map([
      ['commands/check.ts', ['commands/report.ts']],
      ['commands/report.ts', ['commands/check.ts']],
      ['commands/show.ts', ['commands/show.ts']],
      ['kernel/zones.ts', []],
    ]);
    expect(cycles(g)).toEqual([['commands/check.ts', 'commands/report.ts'], ['commands/show.ts']]);
  });
});
