// The fragmentation table: drawn with one multi-line cell per column, it is cli-table3's table with a row per order.

import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { renderShow, type ShowView } from '../../src/format/table.js';
import { visibleWidth } from '../../src/format/wrap.js';
import { fakeIo, fixture, FIXTURES } from '../helpers/io.js';

/** The JSON view of every capture among the fixtures that `show` reads alone. */
async function views(): Promise<{ name: string; view: ShowView }[]> {
  const names = [
    ...readdirSync(FIXTURES).filter((f) => f.startsWith('buddyinfo-')),
    ...readdirSync(`${FIXTURES}real/captures`).map((f) => `real/captures/${f}`),
  ];
  const out: { name: string; view: ShowView }[] = [];
  for (const name of names) {
    const io = fakeIo({ files: { in: fixture(name) } });
    if ((await main(['--json', '--force', 'in'], io)) !== 0) continue;
    const view = JSON.parse(io.out()) as ShowView | { kind: string };
    if (!('kind' in view) && view.zones.length > 0) out.push({ name, view });
  }
  return out;
}

/** The tables of a rendering: each a run of lines from a top border to a bottom border. */
function tablesOf(text: string): string[][] {
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
    if (plain.startsWith('┌')) current = [];
    if (current !== undefined) current.push(line);
    if (plain.startsWith('└') && current !== undefined) {
      tables.push(current);
      current = undefined;
    }
  }
  return tables;
}

/** A row's cells as drawn: the text between the borders, colour codes kept, padding off. */
function cellsOf(line: string): string[] {
  return line.split('│').slice(1, -1).map((cell) => cell.slice(1, -1).trim());
}

/** The same table drawn the plain way: cli-table3 with a row per order, from the cells the rendering holds. */
function perOrder(table: string[]): string {
  const head = cellsOf(table[1] ?? '');
  const rows = table.slice(3, -1).map(cellsOf);
  // Every column is right-aligned but the bar's.
  const colAligns = head.map((h) => (h.replace(/\u001b\[[0-9;]*m/g, '') === 'where the free memory sits' ? 'left' : 'right'));
  const t = new Table({ head, colAligns, style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r);
  return t.toString();
}

describe('the fragmentation table', () => {
  it('is the table cli-table3 draws with a row per order, on every fixture, with and without colour', async () => {
    const all = await views();
    expect(all.length).toBeGreaterThan(10);
    for (const { name, view } of all) {
      for (const level of [0, 1] as const) {
        const tables = tablesOf(renderShow(view, new Chalk({ level })));
        expect(tables.length, name).toBe(view.zones.length);
        tables.forEach((table, i) => {
          expect(table.join('\n'), `${name} (colour ${level})`).toBe(perOrder(table));
          // a row per order, each starting with its order
          const orders = table.slice(3, -1).map((l) => cellsOf(l)[0]);
          expect(orders, name).toEqual(view.zones[i]?.orders.map((o) => String(o.order)));
        });
      }
    }
  });

  it('on a terminal keeps the columns the first fitting table of the old way kept: drop in order until all fit', async () => {
    // The old way: draw every zone's table, and while one is wider than the terminal, drop the next
    // column of DROPPED_FIRST and draw them all again.
    const DROPPED_FIRST = ['where the free memory sits', 'share', 'block', 'free', '>= order', 'unusable'];
    const c = new Chalk({ level: 0 });
    for (const { name, view } of (await views()).slice(0, 8)) {
      const full = tablesOf(renderShow(view, c)).map((t) => ({ head: cellsOf(t[1] ?? ''), rows: t.slice(3, -1).map(cellsOf) }));
      for (let width = 30; width <= 130; width += 7) {
        let expected: string[] = [];
        for (let dropped = 0; dropped <= DROPPED_FIRST.length; dropped++) {
          const gone = DROPPED_FIRST.slice(0, dropped);
          const drawn = full.map(({ head, rows }) => {
            const keep = head.map((h, k) => (gone.includes(h) ? -1 : k)).filter((k) => k >= 0);
            const t = new Table({ head: keep.map((k) => head[k] ?? ''), style: { head: [], border: [], compact: true } });
            for (const r of rows) t.push(keep.map((k) => r[k] ?? ''));
            return { head: keep.map((k) => head[k] ?? ''), width: visibleWidth(t.toString().split('\n', 1)[0] ?? '') };
          });
          expected = drawn[0]?.head ?? [];
          if (drawn.every((d) => d.width <= width)) break;
        }
        const got = tablesOf(renderShow(view, c, width)).map((t) => cellsOf(t[1] ?? ''));
        for (const head of got) expect(head, `${name} at ${width} columns`).toEqual(expected);
      }
    }
  });
});
