// The page of `show --format html`: per zone the free memory per order, against the watermarks, in words and a chart.

import { Chalk } from 'chalk';
import { indexText, passingText, preamble, zoneTitle, type ShowView, type ShowZone } from '../table.js';
import { count, humanBytes } from '../units.js';
import { esc, renderPage } from './page.js';
import { chartSlot, notes, table, verdict, type Cell } from './parts.js';

const plain = new Chalk({ level: 0 });

/** The marks of a zone in the order they rise: min, low, high. */
function marksOf(z: ShowZone): string[] {
  return Object.keys(z.largestPassingOrder ?? {});
}

/** "Orders 0 to 9 pass the min mark; 10 does not." in words, with the verdict first. */
function markSentence(z: ShowZone, mark: string, gfp: string): string {
  const largest = z.largestPassingOrder?.[mark] ?? -1;
  const top = z.orders.length - 1;
  if (largest < 0) return `${verdict(false)} No order passes the ${esc(mark)} mark: a ${esc(gfp)} request of any size would fail here now.`;
  const upTo = largest === 0 ? 'Order 0 passes' : `Orders 0 to ${largest} pass`;
  const rest = largest >= top ? ' (every order this zone has).' : `; order ${largest + 1} and larger fail.`;
  return `${verdict(true)} ${upTo} the ${esc(mark)} mark for a ${esc(gfp)} request${rest}`;
}

function watermarkLine(z: ShowZone, pageSize: number): string | undefined {
  const w = z.watermarkPages;
  if (w === undefined) return undefined;
  const marks = Object.entries(w.marks).map(([m, p]) => `${m} ${count(p)}`);
  const need = w.marks.min === undefined ? '' : `; min + lowmem reserve ${count(w.marks.min + w.reserve)}`;
  return `Watermarks in pages: ${marks.join(', ')}; lowmem reserve ${count(w.reserve)}${need}. The check read ${count(w.free)} free pages (${humanBytes(w.free * pageSize)}).`;
}

function zoneTable(z: ShowZone, marks: string[]): string {
  const head = ['order', 'block', 'free blocks', 'free', 'in blocks ≥ order', 'share ≥ order', 'unusable index', 'extfrag index', ...marks.map((m) => `${m} mark`)];
  const rows = z.orders.map((o): Cell[] => [
    o.order,
    humanBytes(o.blockBytes),
    count(o.blocks),
    humanBytes(o.freeBytes),
    humanBytes(o.cumulativeBytes),
    `${(o.cumulativeShare * 100).toFixed(1)}%`,
    indexText(o.unusableIndex),
    indexText(o.fragmentationIndex),
    ...marks.map((m): Cell => ({ html: verdict(z.watermarkOk?.[m]?.[o.order] ?? null, { pass: 'passes', fail: 'fails' }) })),
  ]);
  return table(`Node ${z.node}, zone ${z.zone}: free blocks per order`, head, rows, [0, 1, 2, 3, 4, 5, 6, 7]);
}

function zoneSection(v: ShowView, z: ShowZone, index: number): string {
  const gfp = v.watermarkCheck?.gfp ?? 'GFP_KERNEL';
  const marks = marksOf(z);
  const out = [`<section class="zone" id="zone-${index}">`, `<h2>Node ${esc(z.node)}, zone ${esc(z.zone)}</h2>`];
  out.push(`<p>${esc(zoneTitle(z, v.pageSize, plain).replace(/^Node \d+, zone \S+: /, ''))}.</p>`);
  // As the text table says it (passingText): a zone whose min + lowmem_reserve is as large as the zone
  // never serves the request, which is no failure of this zone (NEVER_SERVES).
  const servable = Object.values(z.largestServableOrder ?? {});
  if (servable.length > 0 && servable.every((o) => o < 0)) out.push(`<p>${verdict(null, { none: 'never serves' })} <code>NEVER_SERVES</code> ${esc(`This zone ${passingText(z) ?? 'never serves the request'}.`)}</p>`);
  else for (const m of marks) out.push(`<p>${markSentence(z, m, gfp)}</p>`);
  if (v.watermarkCheck !== undefined && marks.length === 0) {
    out.push(`<p>${verdict(null)} A ${esc(gfp)} request does not use this zone, or its watermarks are unknown.</p>`);
  }
  const wm = watermarkLine(z, v.pageSize);
  if (wm !== undefined) out.push(`<p class="muted">${esc(wm)}</p>`);
  const passing = passingText(z);
  const label = `Free memory per order in node ${z.node}, zone ${z.zone}, as bars, with the free memory in blocks of each order or larger as a line${
    wm === undefined ? '' : ' and the watermarks as horizontal lines'
  }. ${zoneTitle(z, v.pageSize, plain)}${passing === undefined ? '' : `; ${passing}`}.`;
  const caption =
    marks.length > 0
      ? `Bars: free memory held in blocks of each order; solid where the order passes the ${marks[0]} mark, hatched where it fails. Line: free memory in blocks of that order or larger. Dashed: the watermarks.`
      : 'Bars: free memory held in blocks of each order. Line: free memory in blocks of that order or larger.';
  out.push(chartSlot({ chart: 'show-zone', zone: index }, label, caption));
  out.push(zoneTable(z, marks), '</section>');
  return out.join('\n');
}

/** The whole page; the JSON inside it is the view `show --json` prints. */
export function showPage(v: ShowView): string {
  const head = preamble(v, plain);
  const body = [
    '<h1>Free memory by block size</h1>',
    `<p class="muted">From ${esc(v.sources.join(', '))}.</p>`,
    `<p class="controls js-only"><label><input type="checkbox" id="log-scale"> logarithmic scale</label></p>`,
    ...head.map((line, i) => (i === 0 || !v.notes.includes(line) ? `<p>${esc(line)}</p>` : notes([line]))),
    ...v.zones.map((z, i) => zoneSection(v, z, i)),
  ];
  return renderPage({ kind: 'show', title: `buddyinfo: ${v.sources.join(', ')}`, body: body.join('\n'), data: v, charts: true });
}
