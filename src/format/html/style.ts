// The pages' own style sheet: light and dark from the reader's setting, a print sheet, verdicts in words and shapes.

/**
 * Colours are custom properties so the drawing script reads the same ones for its canvases, and dark
 * mode is one block of them. Every verdict is also a word and a shape (✔ PASS, ✘ FAIL, hatched bars):
 * colour only repeats what they say.
 */
export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --accent: #0969da; --bar: #4c78a8;
  --mark-min: #cf222e; --mark-low: #bc4c00; --mark-high: #8250df; --mark-reserve: #1b1f24;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #8b949e; --line: #30363d; --panel: #161b22;
    --pass: #3fb950; --fail: #f85149; --warn: #d29922; --accent: #58a6ff; --bar: #6ca0dc;
    --mark-min: #ff7b72; --mark-low: #ffa657; --mark-high: #d2a8ff; --mark-reserve: #e6edf3;
  }
}
body { background: var(--bg); color: var(--fg); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .4rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p { margin: .35rem 0; }
.muted, figcaption, footer { color: var(--muted); }
.note { border-left: 3px solid var(--warn); padding: .1rem .6rem; margin: .4rem 0; }
.lead { font-size: 1.1rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
.words pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; background: var(--panel); border: 1px solid var(--line); padding: .6em; overflow-x: auto; white-space: pre; }
.words summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; }
caption { text-align: left; color: var(--muted); padding-bottom: .2rem; }
.verdict { font-weight: 700; white-space: nowrap; }
.verdict.pass { color: var(--pass); }
.verdict.fail { color: var(--fail); }
.verdict.none { color: var(--muted); }
.verdict .shape { display: inline-block; width: 1.1em; text-align: center; }
.badge { display: inline-block; border: 2px solid currentColor; border-radius: .3rem; padding: 0 .4rem; }
.zone { break-inside: avoid-page; }
.steps li { margin: .2rem 0; }
.next { border-left: 3px solid var(--accent); padding: .1rem .6rem; margin: .4rem 0; }
.action { border-left: 3px solid var(--fail); padding: .1rem .6rem; margin: .4rem 0; }
figure { margin: .6rem 0 1rem; }
.chart { min-height: 2rem; }
.js .nojs, .js-only { display: none; }
.js .js-only { display: block; }
.controls { margin: .5rem 0; }
.gauge { position: relative; height: 1.4rem; background: var(--panel); border: 1px solid var(--line); max-width: 40rem; margin: .3rem 0; }
.gauge .fill { position: absolute; top: 0; bottom: 0; left: 0; background: var(--bar); }
.gauge .need { position: absolute; top: -.25rem; bottom: -.25rem; border-left: 3px dashed var(--fg); }
.gauge.fail .fill { background: repeating-linear-gradient(45deg, var(--fail) 0 6px, transparent 6px 10px); border-right: 2px solid var(--fail); }
.tip { position: absolute; pointer-events: none; background: var(--panel); color: var(--fg); border: 1px solid var(--line);
  padding: .3rem .5rem; font-size: .85rem; z-index: 10; white-space: nowrap; display: none; }
.uplot, .u-legend { color: var(--fg); }
.u-legend th { font-weight: 500; }
footer { margin-top: 3rem; font-size: .85rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #333; --line: #999; --panel: #fff; --pass: #000; --fail: #000; --accent: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .controls, .tip { display: none !important; }
  h2 { break-after: avoid-page; }
  figure, table, .zone section { break-inside: avoid-page; }
  a { color: inherit; text-decoration: none; }
}
`;
