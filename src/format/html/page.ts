// One self-contained HTML document: text readable without script, the view as JSON, the drawing script inline.

import { PAGE_SCRIPT, UPLOT_LICENCE, UPLOT_STYLE, UPLOT_VERSION } from './assets.generated.js';
import { PAGE_STYLE } from './style.js';

export type PageKind = 'show' | 'check' | 'report' | 'history';

export interface Page {
  kind: PageKind;
  title: string;
  /** The page's text as HTML: verdicts in words and tables, complete with scripts off. */
  body: string;
  /** The view `--json` prints: embedded whole, and what the script draws from. */
  data: unknown;
  /** The page draws charts: uPlot and the drawing script are inlined. */
  charts: boolean;
}

/** The id of the embedded JSON, which the drawing script reads. */
export const DATA_ID = 'buddyinfo-data';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or an attribute value. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * JSON inside `<script type="application/json">`: the HTML parser ends that element at the first
 * `</script`, and `<!--` changes how it looks for it, so every `<`, `>` and `&` is written as a \u escape
 * (the same string to JSON.parse). U+2028 and U+2029 are escaped too, for readers that eval it as script.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Nothing may load from elsewhere: no network when the page is opened, even if a number in it looked
 * like markup. Inline script and style are the page's own.
 */
const POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function renderPage(p: Page): string {
  const scripts = p.charts
    ? `<script>/*! uPlot ${UPLOT_VERSION}, bundled below: ${UPLOT_LICENCE.replace(/\n/g, '\n * ')} */\n${PAGE_SCRIPT}</script>\n`
    : '';
  const credit = p.charts ? ` Charts drawn with uPlot ${UPLOT_VERSION} (MIT licence, in the page's script).` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="generator" content="buddyinfo">
<title>${esc(p.title)}</title>
<style>${p.charts ? UPLOT_STYLE : ''}${PAGE_STYLE}</style>
</head>
<body data-page="${p.kind}">
<main>
${p.body}
</main>
<footer>Made by buddyinfo. Every number on this page comes from the JSON embedded in it (the element with id "${DATA_ID}"), the same data <code>--json</code> prints.${credit}</footer>
<script type="application/json" id="${DATA_ID}">${scriptJson(p.data)}</script>
${scripts}</body>
</html>
`;
}
