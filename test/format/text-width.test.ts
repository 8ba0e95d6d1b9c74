// textWidth is string-width 4's answer: checked against string-width itself, character by character.

import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { textWidth } from '../../src/format/text-width.js';

/** Every character of the shortcut's set: printable ASCII, U+2500-U+259F, the ellipsis. */
const PLAIN: string[] = [];
for (let c = 0x20; c <= 0x7e; c++) PLAIN.push(String.fromCharCode(c));
for (let c = 0x2500; c <= 0x259f; c++) PLAIN.push(String.fromCharCode(c));
PLAIN.push('\u2026');

describe('textWidth', () => {
  it('counts each character of the plain set as string-width does: one column', () => {
    for (const ch of PLAIN) expect([ch, stringWidth(ch)]).toEqual([ch, 1]);
    expect(PLAIN.map(textWidth)).toEqual(PLAIN.map(stringWidth));
  });

  it('agrees with string-width on every pair of plain characters (no emoji sequence is made of them)', () => {
    // string-width replaces each emoji-regex match by two columns: a match inside plain text would show here.
    let differ = 0;
    for (const a of PLAIN) for (const b of PLAIN) if (stringWidth(a + b) !== 2) differ++;
    expect(differ).toBe(0);
  });

  it('agrees with string-width on anything else: colour codes, CJK, emoji, combining marks, controls', () => {
    for (const s of ['\u001b[36m\u2588\u2588\u001b[39m', '\u001b[1morder\u001b[22m', '\u4e2d\u6587', '\ud83d\ude00', 'e\u0301', 'a\tb', '\u00a9\ufe0f', '1\ufe0f\u20e3', '', '\u0000']) {
      expect([s, textWidth(s)]).toEqual([s, stringWidth(s)]);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => textWidth(s) === stringWidth(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PLAIN, '\u001b[36m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[1234m', '\u001b[12345m', '\u001b[', '\u001b]8;;', '\u0007', '\u009b', '\u4e2d', '\ud83d\ude00', '\ufe0f', '\u20e3')), (parts) => {
        const s = parts.join('');
        return textWidth(s) === stringWidth(s);
      }),
      { numRuns: 5000 },
    );
  });
});
