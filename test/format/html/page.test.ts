// Tests for the page frame: JSON that no value can break out of, escaped text, nothing loaded from elsewhere.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATA_ID, esc, renderPage, scriptJson } from '../../../src/format/html/page.js';

describe('the embedded JSON', () => {
  it('cannot end its script element or open a comment, and parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        for (const v of [value, { text }, [`</script>${text}`, `<!--${text}-->`, `\u2028${text}`]]) {
          const s = scriptJson(v);
          expect(s).not.toMatch(/<\/script|<!--|[<>&\u2028\u2029]/i);
          expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
    );
  });

  it('writes a source name that looks like markup as text', () => {
    const page = renderPage({ kind: 'check', title: '</title><script>x()</script>', body: `<p>${esc('<b>&"\'')}</p>`, data: { s: '</script><script>alert(1)</script>' }, charts: false });
    expect(page).toContain('<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>');
    expect(page).toContain('<p>&lt;b&gt;&amp;&quot;&#39;</p>');
    expect(page).toContain(`<script type="application/json" id="${DATA_ID}">{"s":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}</script>`);
    // One script element only: the data. A page without charts carries no script to run.
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('forbids every load from elsewhere, and credits uPlot when it is inlined', () => {
    const page = renderPage({ kind: 'show', title: 't', body: '', data: null, charts: true });
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">/);
    expect(page).not.toMatch(/\b(src|href)=/);
    expect(page).toMatch(/uPlot 1\.6\.32, bundled below: The MIT License/);
    expect(page).toContain('@media (prefers-color-scheme: dark)');
    expect(page).toContain('@media print');
  });
});
