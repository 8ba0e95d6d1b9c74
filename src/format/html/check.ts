// The page of `check --format html`: would the allocation succeed, why, and each zone's test as a picture.

import type { CheckResult } from '../../analysis/zonelist.js';
import { checkLead, checkZoneSection, nextStepHtml, walkList } from './check-zone.js';
import { esc, renderPage } from './page.js';
import { inWords, verdict } from './parts.js';

/** What `check --json` prints (commands/check.ts, CheckOutput): the result and what the command adds to it. */
export interface CheckPageView extends CheckResult {
  pageSize: number;
  sizeRoundedUp?: { bytes: number; blockBytes: number };
  replayedReport?: { source: string; line: number; order: number | null; mode: string | null; took: ('order' | 'mode')[] };
  /** --count's gate: the verdict is both it and the watermark check. */
  gate?: { ok: boolean };
  /** --min-free-kbytes and the like: the marks are recomputed, not the box's. */
  whatIf?: object;
  notes: string[];
}

/** What changes how the page's figures read, said before them: recomputed marks, a failed count gate. */
function caveats(v: CheckPageView): string {
  const out: string[] = [];
  if (v.whatIf !== undefined) {
    out.push('<p class="note"><strong>What-if:</strong> the marks and reserves on this page are recomputed from the values given on the command line, not the box\'s own (see the words below).</p>');
  }
  if (v.gate !== undefined && !v.gate.ok) {
    out.push(`<p class="lead">${verdict(false)} ${esc('The count gate failed: too few free blocks of the order (see the words below).')}</p>`);
  }
  return out.join('\n');
}

/** The whole page; the JSON inside it is the object `check --json` prints, `words` what the text output says. */
export function checkPage(v: CheckPageView, words: string): string {
  const body = [
    `<h1>Would an order-${esc(v.order)} allocation succeed?</h1>`,
    checkLead(v, v.pageSize),
    caveats(v),
    inWords(words),
    nextStepHtml(v),
    walkList(v),
    '<h2>Each zone of the walk</h2>',
    ...v.zones.map((z) => checkZoneSection(z, v, v.pageSize)),
  ];
  const title = `buddyinfo check: order ${v.order} ${v.ok ? 'PASS' : 'FAIL'}`;
  return renderPage({ kind: 'check', title, body: body.filter((l) => l !== '').join('\n'), data: v, charts: false });
}
