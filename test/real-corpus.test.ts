// Reads every file of the real corpus (fixtures/real) and compares it with the expectations written by hand.

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readPaste } from '../src/parse/paste.js';
import { compareFile, type FileResult, type Got } from './helpers/corpus.js';
import { FIXTURES } from './helpers/io.js';

const REAL = `${FIXTURES}real/`;
const files = readdirSync(`${REAL}expected`).filter((f) => f.endsWith('.json')).sort();

function textOf(name: string): string {
  for (const dir of ['reports', 'captures']) {
    try {
      return readFileSync(`${REAL}${dir}/${name}`, 'utf8');
    } catch {
      // not in this folder
    }
  }
  throw new Error(`fixtures/real: no reports/ or captures/ file ${name}`);
}

function read(name: string, text: string): Got {
  const got: Got = { reports: [], snapshots: [], extfrag: [], zoneinfo: [], pagetypeinfo: [] };
  try {
    const paste = readPaste(text, name);
    got.snapshots = paste.snapshots.map((s) => ({ zones: s.zones.map((z) => ({ node: z.node, zone: z.zone, counts: z.free })) }));
    got.extfrag = paste.indexTables.map((t) => ({ ...(t.file === undefined ? {} : { file: t.file }), rows: t.rows.map((r) => ({ node: r.node, zone: r.zone, values: r.printed })) }));
    got.zoneinfo = paste.zoneinfo.flatMap((z) => z.details as unknown as Record<string, unknown>[]);
    got.pagetypeinfo = paste.pagetypeinfo;
    got.reports = paste.log?.reports ?? [];
    if (paste.log?.kernel) got.logKernel = paste.log.kernel.version;
    if (paste.problems.length > 0) got.error = paste.problems.map((p) => p.message).join(' ');
  } catch (err) {
    got.error = (err as Error).message;
  }
  return got;
}

const results = new Map<string, FileResult>();

describe('the real corpus (fixtures/real)', () => {
  it('has an expectation for every report and capture', () => {
    const texts = ['reports', 'captures'].flatMap((d) => readdirSync(`${REAL}${d}`));
    expect(texts.sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  });

  for (const file of files) {
    it(file.replace(/\.json$/, ''), () => {
      const expected = JSON.parse(readFileSync(`${REAL}expected/${file}`, 'utf8')) as Record<string, unknown>;
      const name = file.replace(/\.json$/, '');
      const result = compareFile(expected, read(name, textOf(name)));
      results.set(name, result);
      expect(result.mismatches).toEqual([]);
    });
  }

  afterAll(() => {
    if (process.env.CORPUS_SUMMARY === undefined) return;
    const all = [...results.values()];
    const checked = all.reduce((s, r) => s + r.checked, 0);
    const wrong = all.reduce((s, r) => s + r.mismatches.length, 0);
    const passed = all.filter((r) => r.mismatches.length === 0).length;
    const lines = [`files ${passed}/${all.length}, fields ${checked - wrong}/${checked}`];
    for (const [name, r] of results) {
      if (r.mismatches.length > 0) lines.push(`${name}: ${r.mismatches.length} of ${r.checked}: ${r.mismatches.slice(0, 6).map((m) => `${m.path} expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.got)}`).join(' | ')}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
});
