// A replayed watermark check as HTML: the verdict, the zonelist walk, and each zone's test drawn as gauges.

import type { CheckResult, ZoneResult } from '../../analysis/zonelist.js';
import type { BlockStep, OrderStep, WatermarkStep } from '../../analysis/watermark-steps.js';
import { marginText, markAdjusted, neverText, why } from '../check.js';
import { rulesLine } from '../kernel.js';
import { count, humanBytes } from '../units.js';
import { Chalk } from 'chalk';
import { nextLines, zoneNextLine } from '../next-step.js';
import { esc } from './page.js';
import { table, verdict } from './parts.js';

const plain = new Chalk({ level: 0 });

/** "order-4 allocation (64 KiB), GFP_KERNEL, min mark: served by node 0, zone Normal." with the verdict first. */
export function checkLead(r: CheckResult, pageSize: number): string {
  const what = `order-${r.order} allocation (${humanBytes(2 ** r.order * pageSize)}), ${r.gfp}, ${r.mark} mark`;
  const outcome = r.servedBy ? `served by node ${r.servedBy.node}, zone ${r.servedBy.zone}` : 'no zone in the walk can serve it';
  return `<p class="lead"><span class="badge">${verdict(r.ok)}</span> ${esc(`${what}: ${outcome}.`)}</p>`;
}

/** The walk's next step and what to do, as the text output words them (format/next-step.ts). */
export function nextStepHtml(r: CheckResult): string {
  if (r.next === undefined) return '';
  const [next, ...actions] = nextLines(r.next, plain);
  const out = [`<p class="next">${esc(next ?? '')}</p>`];
  for (const a of actions) {
    const [text, command] = a.split('\n');
    out.push(`<p class="action">${esc(text ?? '')}${command === undefined ? '' : `<br><code>${esc(command.trim())}</code>`}</p>`);
  }
  return out.join('\n');
}

/** The zones in the order the kernel tries them, each with its verdict. */
export function walkList(r: CheckResult): string {
  const items = r.zones.map((z) => {
    const reach = z.reached || !r.servedBy ? '' : ' (not reached: an earlier zone serves it)';
    const code = z.ok ? '' : ` <code>${esc(z.code)}</code>`;
    const word = z.code === 'NEVER_SERVES' ? verdict(null, { none: 'never serves' }) : verdict(z.ok);
    return `<li>node ${esc(z.node)} ${esc(z.zone)}: ${word}${code}${esc(reach)}</li>`;
  });
  return `<p>Zonelist walk (zones up to ${esc(r.highestZone)}), in the order the kernel tries them:</p>\n<ol class="steps">\n${items.join('\n')}\n</ol>
<p class="muted">${esc(`Rules: ${rulesLine(r.rules)}. Flags: ${r.flags.join(' ')}.`)}</p>`;
}

/** A bar of `have` against a dashed line at `need`: the test passes when the bar ends right of the line. */
function gauge(have: number, need: number, ok: boolean, label: string): string {
  const scale = Math.max(have, need, 1) * 1.15;
  const pct = (v: number): string => `${((Math.max(0, v) / scale) * 100).toFixed(2)}%`;
  return `<div class="gauge ${ok ? 'pass' : 'fail'}" role="img" aria-label="${esc(label)}"><div class="fill" style="width:${pct(have)}"></div><div class="need" style="left:${pct(need)}"></div></div>`;
}

function watermarkRow(s: WatermarkStep, z: ZoneResult, r: CheckResult): string {
  const need = s.minPages + s.reservePages;
  const parts = [`${count(z.freePages)} free`];
  if (s.shortcut !== true) parts.push(`- ${count(2 ** r.order - 1)} for the request`);
  if (s.highatomicPages !== undefined) parts.push(`- ${count(s.highatomicPages)} highatomic`);
  if (s.cmaPages !== undefined) parts.push(`- ${count(s.cmaPages)} free CMA`);
  const name = s.shortcut === true ? 'Order-0 shortcut' : s.withoutBoost !== undefined ? `Retried without the boost of ${count(s.withoutBoost)}` : 'Order-0 test';
  const text = `${name}: ${parts.join(' ')} = ${count(s.freePages)} usable free pages ${s.ok ? '>' : '≤'} min ${count(s.minPages)} + reserve ${count(s.reservePages)} = ${count(need)}`;
  return `<p>${verdict(s.ok, { pass: 'ok', fail: 'fails' })} ${esc(text)}</p>\n${gauge(s.freePages, need, s.ok, text)}`;
}

function orderRow(s: OrderStep, r: CheckResult): string {
  const shifted = r.orderShift === 1 ? 'halved' : 'shifted';
  const text = `Per-order loop, order ${s.order}: ${count(s.freePages)} pages left once blocks of order ${s.order} and below are set aside ${s.ok ? '>' : '≤'} min ${shifted} to ${count(s.minPages)}`;
  return `<p>${verdict(s.ok, { pass: 'ok', fail: 'fails' })} ${esc(text)}</p>\n${gauge(s.freePages, s.minPages, s.ok, text)}`;
}

function blockRows(steps: BlockStep[]): string {
  const rows = steps.map((s) => [
    s.order,
    count(s.blocks),
    s.lists ? s.lists.join(', ') : s.blocks === 0 ? '–' : 'unknown',
    { html: verdict(s.ok, { pass: s.anyList ? 'any list (ALLOC_HARDER)' : s.assumed ? 'assumed usable' : 'usable', fail: s.blocks === 0 ? 'no block' : 'none usable' }) },
  ]);
  return table('Block search: a free block of the order or larger on a list this request may use', ['order', 'free blocks', 'non-empty lists', 'result'], rows, [0, 1]);
}

/** One zone of the walk: verdict, what decided it in words, the tests as gauges, margin, next step. */
export function checkZoneSection(z: ZoneResult, r: CheckResult, pageSize: number, level = 3): string {
  const h = `h${level}`;
  if (z.code === 'NEVER_SERVES') {
    // No failure of this zone and no margin to close: the text output says the same (format/check.ts).
    return [
      '<section class="zone">',
      `<${h}>Node ${esc(z.node)}, zone ${esc(z.zone)}: <code>NEVER_SERVES</code></${h}>`,
      `<p>${esc(neverText(z, r, pageSize))}</p>`,
      '</section>',
    ].join('\n');
  }
  const out = [`<section class="zone">`, `<${h}>Node ${esc(z.node)}, zone ${esc(z.zone)}: ${verdict(z.ok)}${z.ok ? '' : ` <code>${esc(z.code)}</code>`}</${h}>`];
  if (!z.reached && r.servedBy) out.push(`<p class="muted">Not reached: node ${esc(r.servedBy.node)}, zone ${esc(r.servedBy.zone)} serves the request first.</p>`);
  const adjusted = markAdjusted(z);
  out.push(
    `<p>${esc(`Free ${count(z.freePages)} pages (${humanBytes(z.freePages * pageSize)})${z.freeSource === 'buddy' ? ', the buddy sum' : ''}; ${r.mark} mark ${count(z.markPages)} pages${adjusted}; lowmem reserve ${count(z.reservePages)} pages.`)}</p>`,
  );
  out.push(`<p><strong>${esc(why(z, r, pageSize))}</strong></p>`);
  const next = zoneNextLine(z);
  if (next !== undefined) out.push(`<p class="next">${esc(next)}</p>`);
  for (const s of z.steps) {
    if (s.check === 'watermark') out.push(watermarkRow(s, z, r));
    else if (s.check === 'order') out.push(orderRow(s, r));
  }
  const blocks = z.steps.filter((s): s is BlockStep => s.check === 'block');
  if (blocks.length > 0) out.push(blockRows(blocks));
  if (z.assumedUsableBlocks) out.push('<p class="note">No migratetype data for this zone: the free block found was assumed to sit on a list this request may use (give pagetypeinfo to know).</p>');
  out.push(`<p>${esc(marginText(z, pageSize))} ${esc(z.largestPassingOrder < 0 ? 'No order passes now.' : `Largest order that passes now: ${z.largestPassingOrder} (${humanBytes(2 ** z.largestPassingOrder * pageSize)}).`)}</p>`);
  for (const n of z.notes) out.push(`<p class="note">${esc(n)}</p>`);
  out.push('</section>');
  return out.filter((l) => l !== '').join('\n');
}
