// The page of `history --format html`: the story of a box over time, in words, tables and charts per zone.

import type { PeriodSummary, ZoneHistory } from '../../analysis/history-schema.js';
import { GAP_FACTOR, type Timeline } from '../../analysis/timeline.js';
import { at, duration, periodText, sparkline, type HistoryView } from '../history.js';
import { kernelPhrase } from '../kernel.js';
import { count, humanBytes } from '../units.js';
import { esc, renderPage } from './page.js';
import { chartSlot, notes, table, verdict } from './parts.js';

/** What the page embeds: the view `history --json` prints, and the downsampled series its charts draw. */
export interface HistoryPageView extends HistoryView {
  timeline: Timeline;
}

/** The first, last and longest periods of a summary, as a list. */
function periods(w: PeriodSummary): string {
  const items: string[] = [];
  if (w.first) items.push(`first: ${periodText(w.first)}`);
  if (w.last && w.periods > 1) items.push(`last: ${periodText(w.last)}`);
  if (w.longest && w.periods > 2) items.push(`longest: ${periodText(w.longest)}`);
  return items.length === 0 ? '' : `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

function statTable(z: ZoneHistory): string {
  const approx = z.freeBytes.medianError > 0 ? ` (±${humanBytes(z.freeBytes.medianError)})` : '';
  const num = (v: number): string => (Number.isInteger(v) ? count(v) : v.toFixed(1));
  return table(
    `Node ${z.node}, zone ${z.zone}: spread over ${plural(z.snapshots, 'snapshot')}`,
    ['', 'min', 'median', 'max'],
    [
      ['free memory', humanBytes(z.freeBytes.min), `${humanBytes(z.freeBytes.median)}${approx}`, humanBytes(z.freeBytes.max)],
      ['largest free order', num(z.largestOrder.min), num(z.largestOrder.median), num(z.largestOrder.max)],
      [`unusable index, order ${z.unusableIndex.order}`, z.unusableIndex.min.toFixed(3), z.unusableIndex.median.toFixed(3), z.unusableIndex.max.toFixed(3)],
    ],
    [1, 2, 3],
  );
}

function zoneSection(v: HistoryPageView, z: ZoneHistory, i: number): string {
  const over = z.seconds !== undefined ? ` over ${duration(z.seconds)}` : '';
  const out = [`<section class="zone" id="zone-${i}">`, `<h2>Node ${esc(z.node)}, zone ${esc(z.zone)}</h2>`];
  out.push(`<p>${esc(`${plural(z.snapshots, 'snapshot')}${over}, from ${at(z.first)} to ${at(z.last)}.`)}</p>`);
  const f = z.checkFailed;
  if (f) {
    out.push(
      f.periods === 0
        ? `<p>${verdict(true)} Passed the check in every snapshot.</p>`
        : `<p>${verdict(false)} ${esc(`Failed the check in ${plural(f.snapshots, 'snapshot')}, ${plural(f.periods, 'period')}:`)}</p>${periods(f)}`,
    );
  }
  const w = z.withoutBlock;
  if (w) {
    out.push(
      w.periods === 0
        ? `<p>${verdict(true, { pass: 'always' })} A block of order ${esc(w.order)} or larger was free in every snapshot.</p>`
        : `<p>${verdict(false, { fail: 'not always' })} ${esc(`No free block of order ${w.order} or larger in ${plural(w.snapshots, 'snapshot')}, ${plural(w.periods, 'period')}:`)}</p>${periods(w)}`,
    );
  }
  out.push(statTable(z));
  const spark = sparkline(z.sparkline, z.maxOrder);
  out.push(
    `<p>Largest free order over time: <span class="mono" role="img" aria-label="${esc(`largest free order over time, each cell the lowest of its stretch: from ${z.largestOrder.min} to ${z.largestOrder.max}`)}">${esc(spark)}</span> <span class="muted">(${esc(z.maxOrder)} = █, none = ▁)</span></p>`,
  );
  const name = `node ${z.node}, zone ${z.zone}`;
  out.push(
    chartSlot(
      { chart: 'history-free', zone: i },
      `Free memory of ${name} over time, stacked by block order: from ${humanBytes(z.freeBytes.min)} to ${humanBytes(z.freeBytes.max)}, median ${humanBytes(z.freeBytes.median)}.`,
      'Free memory over time, stacked by order: each band is the memory held in free blocks of one order (mean over the stretch of time a point covers). Gaps: no snapshot there. Drag to zoom, double-click to zoom out.',
    ),
    chartSlot(
      { chart: 'history-order', zone: i },
      `Largest free order of ${name} over time, from ${z.largestOrder.min} to ${z.largestOrder.max}, and the unusable index at order ${z.unusableIndex.order}, from ${z.unusableIndex.min.toFixed(3)} to ${z.unusableIndex.max.toFixed(3)}.`,
      `Solid line: the lowest largest free order in each stretch of time, with the band up to the highest. Dashed: the unusable index at order ${v.order} (right axis, 0 to 1), its highest in each stretch.${
        z.checkFailed ? ' Strip along the bottom: the replayed check, hatched where this zone failed it in some snapshot, solid where it passed in all.' : ''
      }`,
    ),
    '</section>',
  );
  return out.join('\n');
}

function headLines(v: HistoryPageView): string[] {
  let head = `${plural(v.snapshots, 'snapshot')}`;
  if (v.first && v.last && v.snapshots > 1) head += ` from ${v.first.stamp ?? 'the first'} to ${v.last.stamp ?? 'the last'}`;
  if (v.seconds !== undefined) head += ` (${duration(v.seconds)})`;
  const size = humanBytes(v.pageSize);
  head += v.pageSizeOrigin === 'default' ? `. Page size ${size} (assumed; see --page-size).` : `. Page size ${size}.`;
  const out = [`<p class="lead">${esc(head)}</p>`, `<p class="muted">From ${esc(v.sources.join(', '))}.</p>`, notes(v.notes)];
  if (v.check) {
    const k = v.check;
    out.push(`<p>${esc(`Replaying the ${k.mark}-mark check of an order-${k.order} ${k.gfp} request on every snapshot (${kernelPhrase(k)}; free pages: ${k.free}).`)}</p>`);
    const f = v.checkFailed;
    if (f && f.periods > 0) {
      out.push(`<p>${verdict(false)} ${esc(`No zone passed, so the allocation would have failed, in ${plural(f.snapshots, 'snapshot')}, ${plural(f.periods, 'period')}:`)}</p>`, periods(f));
    } else {
      out.push(`<p>${verdict(true)} Some zone passed in every snapshot: the allocation would have succeeded throughout.</p>`);
    }
    out.push(
      chartSlot(
        { chart: 'history-check' },
        `The replayed check over time: ${f && f.periods > 0 ? `failed in ${plural(f.snapshots, 'snapshot')}` : 'passed throughout'}.`,
        'The allocation over time: hatched where no zone passed in some snapshot of the stretch, solid where it would have succeeded throughout.',
      ),
    );
  }
  if (v.cutShort > 0) out.push(notes([`${plural(v.cutShort, 'snapshot')} cut short ${v.cutShort === 1 ? 'was' : 'were'} left out.`]));
  return out;
}

/** The whole page; its JSON is the view `history --json` prints, plus the downsampled timeline. */
export function historyPage(v: HistoryPageView): string {
  const t = v.timeline;
  const per = t.axis === 'time' ? `${duration(t.width / 1000)} of log` : plural(t.width, 'snapshot');
  const body = [
    '<h1>Fragmentation over time</h1>',
    ...headLines(v),
    `<p class="muted">${esc(`The charts draw ${plural(t.bucket.length, 'point')} per series, each covering up to ${per}, with the lowest and highest value inside it, so no drop is lost however long the log.${
      t.gapBefore.some((g) => g) ? ` Where no snapshot came for more than ${GAP_FACTOR} times the usual ${t.axis === 'time' ? duration(t.interval / 1000) : 'step'}, the lines break: the log has a gap there.` : ''
    }`)}</p>`,
    ...v.zones.map((z, i) => zoneSection(v, z, i)),
  ];
  const title = `buddyinfo history: ${v.sources.join(', ')}`;
  return renderPage({ kind: 'history', title, body: body.filter((l) => l !== '').join('\n'), data: v, charts: true });
}
