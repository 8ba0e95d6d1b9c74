// The page of `report --format html`: each failure report decoded, its diagnosis, its zones and its replayed check.

import type { ReportView, ReportZoneView } from '../report.js';
import { REPORT_KIND, kb } from '../report-words.js';
import { kernelPhrase } from '../kernel.js';
import { count, humanBytes } from '../units.js';
import { checkLead, checkZoneSection, nextStepHtml, walkList } from './check-zone.js';
import { esc, renderPage } from './page.js';
import { chartSlot, inWords, notes, table, verdict, type Cell } from './parts.js';


/** The request as the report printed it and as decoded: a table a person checks against the log. */
function requestTable(r: ReportView): string {
  const rows: Cell[][] = [['what', REPORT_KIND[r.kind]]];
  if (r.process !== null) rows.push(['process', `${r.process}${r.pid !== null ? ` (pid ${r.pid})` : ''}`]);
  if (r.time !== null) rows.push(['time stamp', r.time]);
  if (r.order !== null) rows.push(['order', `${r.order} (${r.sizeBytes === null ? '?' : humanBytes(r.sizeBytes)}, ${count(2 ** r.order)} page${r.order === 0 ? '' : 's'})`]);
  if (r.mode !== null) rows.push(['GFP mode', r.mode]);
  if (r.flags.length > 0) rows.push(['GFP flags', `${r.flags.join(' | ')}${r.flagsFrom === 'decoded' ? ' (decoded from the mode)' : ' (as printed)'}`]);
  if (r.nodemask !== null) rows.push(['nodemask', r.nodemask]);
  if (r.cpuset !== null) rows.push(['cpuset', r.cpuset]);
  if (r.memsAllowed !== null) rows.push(['mems_allowed', r.memsAllowed]);
  rows.push(['rules replayed', kernelPhrase(r)]);
  rows.push(['page size', humanBytes(r.pageSize)]);
  return table('The request, decoded', ['', ''], rows);
}

function diagnosis(r: ReportView): string {
  if (r.why.length === 0) return '';
  const items = r.why.map((w) => `<li><strong>${esc(w.text)}</strong> <code class="muted">${esc(w.code)}</code></li>`);
  return `<h3>Why it failed</h3>\n<ul class="steps">\n${items.join('\n')}\n</ul>`;
}

/** One zone as the report printed it: a chart of its free blocks and the numbers beside it. */
function zoneBlock(r: ReportView, ri: number, z: ReportZoneView, zi: number): string {
  const out = [`<h4>Node ${esc(z.node)}, zone ${esc(z.zone)}</h4>`];
  const reserve = z.lowmemReserve ? `; lowmem_reserve ${z.lowmemReserve.join(' ')} pages` : '';
  const area = z.freeAreaKiB !== null && z.freeAreaKiB !== z.freeKiB ? ` (free-area lines: ${kb(z.freeAreaKiB)})` : '';
  const cma = z.freeCmaKiB ? `; free CMA ${kb(z.freeCmaKiB)}` : '';
  const boost = z.boostKiB ? ` (boost ${kb(z.boostKiB)})` : '';
  out.push(`<p>${esc(`Free ${kb(z.freeKiB)}${area}; min ${kb(z.minKiB)}, low ${kb(z.lowKiB)}, high ${kb(z.highKiB)}${boost}${reserve}${cma}.`)}</p>`);
  if (z.free === null) {
    out.push('<p class="note">The free-area line of this zone is missing or cut short.</p>');
    return out.join('\n');
  }
  const free = z.free;
  const label = `Free memory per order in node ${z.node}, zone ${z.zone} of report ${ri + 1}, as bars, with the watermarks as lines: ${free
    .map((n, o) => `order ${o}: ${count(n)} block${n === 1 ? '' : 's'}`)
    .join(', ')}.`;
  out.push(chartSlot({ chart: 'report-zone', report: ri, zone: zi }, label, 'Bars: free memory in blocks of each order (hatched where the order fails the replayed check). Line: free memory in blocks of that order or larger. Dashed: the watermarks.'));
  const rows = free.map((n, o): Cell[] => [o, humanBytes(2 ** o * r.pageSize), count(n), humanBytes(n * 2 ** o * r.pageSize), z.types?.[o] ?? '']);
  out.push(table(`Node ${z.node}, zone ${z.zone}: free blocks per order as printed`, ['order', 'block', 'free blocks', 'free', 'migratetypes'], rows, [0, 1, 2, 3]));
  return out.join('\n');
}

function reportSection(r: ReportView, i: number, total: number): string {
  const out = [`<section class="report" id="report-${i + 1}">`, `<h2>Report ${i + 1} of ${total}: ${esc(r.source)}, line ${esc(r.line)}</h2>`];
  if (r.check) {
    out.push(checkLead(r.check, r.pageSize), nextStepHtml(r.check));
  }
  out.push(diagnosis(r), requestTable(r));
  out.push(notes([...r.kernelNotes, ...(r.check?.notes ?? [])]));
  if (r.check) {
    out.push('<h3>The replayed check</h3>', walkList(r.check));
    out.push(...r.check.zones.map((z) => checkZoneSection(z, r.check as NonNullable<ReportView['check']>, r.pageSize, 4)));
  } else {
    out.push(`<p>${verdict(null)} No zone could be read well enough to replay the check.</p>`);
  }
  if (r.zones.length > 0) {
    out.push('<h3>The zones as the report printed them</h3>', ...r.zones.map((z, zi) => zoneBlock(r, i, z, zi)));
  }
  if (r.problems.length > 0) {
    out.push('<h3>Could not read all of it</h3>', `<ul>${r.problems.map((p) => `<li>${esc(`line ${p.line}: ${p.message}`)}</li>`).join('')}</ul>`);
  }
  out.push('</section>');
  return out.filter((l) => l !== '').join('\n');
}

/** The whole page; the JSON inside it is the list `report --json` prints. */
export function reportPage(reports: ReportView[], pageNotes: string[], words: string): string {
  const failures = reports.filter((r) => r.kind !== 'meminfo').length;
  const body = [
    '<h1>Allocation failures, decoded and replayed</h1>',
    `<p>${esc(`Found ${reports.length} report${reports.length === 1 ? '' : 's'} (${failures} with a failure header) in ${[...new Set(reports.map((r) => r.source))].join(', ')}.`)}</p>`,
    `<p class="controls js-only"><label><input type="checkbox" id="log-scale"> logarithmic scale</label></p>`,
    notes(pageNotes),
    inWords(words),
    ...reports.map((r, i) => reportSection(r, i, reports.length)),
  ];
  const title = `buddyinfo report: ${reports.length} report${reports.length === 1 ? '' : 's'}`;
  return renderPage({ kind: 'report', title, body: body.filter((l) => l !== '').join('\n'), data: reports, charts: true });
}
