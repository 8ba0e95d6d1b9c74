// Pieces every page's text is made of: verdicts as a word and a shape, tables of numbers, notes, chart slots.

import { esc } from './page.js';

/** ✔ PASS / ✘ FAIL / – none: the word carries the verdict, the shape repeats it, colour only adds to both. */
export function verdict(ok: boolean | null, words?: { pass?: string; fail?: string; none?: string }): string {
  if (ok === null) return `<span class="verdict none"><span class="shape" aria-hidden="true">–</span>${esc(words?.none ?? 'no verdict')}</span>`;
  const cls = ok ? 'pass' : 'fail';
  const shape = ok ? '✔' : '✘';
  const word = ok ? (words?.pass ?? 'PASS') : (words?.fail ?? 'FAIL');
  return `<span class="verdict ${cls}"><span class="shape" aria-hidden="true">${shape}</span>${esc(word)}</span>`;
}

/** A cell: text, or raw HTML when `html` is set; numbers align right. */
export type Cell = string | number | { html: string; num?: boolean };

function cell(c: Cell, tag: 'td' | 'th'): string {
  if (typeof c === 'number') return `<${tag} class="num">${esc(c)}</${tag}>`;
  if (typeof c === 'string') return `<${tag}>${esc(c)}</${tag}>`;
  return `<${tag}${c.num ? ' class="num"' : ''}>${c.html}</${tag}>`;
}

/** A table with a caption, a header row and body rows; `numeric` marks the columns aligned right. */
export function table(caption: string, head: string[], rows: Cell[][], numeric: readonly number[] = []): string {
  const th = head.map((h, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => cell(typeof c === 'string' && numeric.includes(i) ? { html: esc(c), num: true } : c, 'td')).join('')}</tr>`)
    .join('\n');
  return `<table>\n<caption>${esc(caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Notes about the input, each in its own paragraph. */
export function notes(list: readonly string[]): string {
  return list.map((n) => `<p class="note">${esc(n)}</p>`).join('\n');
}

/**
 * A slot the script draws a chart into: `data-*` attributes say what to draw (indices into the embedded
 * JSON), `label` is the text alternative, and the paragraph inside shows while no script runs.
 */
export function chartSlot(attrs: Record<string, string | number>, label: string, caption: string): string {
  const data = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  return `<figure>
<div class="chart" role="img" aria-label="${esc(label)}"${data}><p class="nojs muted">The chart needs JavaScript; the table below holds the same numbers.</p></div>
<figcaption>${esc(caption)}</figcaption>
</figure>`;
}

/**
 * The command's text output, as the terminal shows it, on the page: everything the text says (the
 * what-if, the count gate, the next step and what to do, proactive compaction) is then on the page too,
 * whatever the sections after it draw.
 */
export function inWords(text: string): string {
  return `<details class="words" open><summary>In words: the text output of the same command</summary>\n<pre>${esc(text.replace(/\n+$/, ''))}</pre>\n</details>`;
}
