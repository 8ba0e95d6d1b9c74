// The columns a string takes on a terminal, as string-width 4 counts them, with a shortcut for plain text.

import stringWidth from 'string-width';

/**
 * Characters string-width 4 counts as one column each and no emoji sequence is made of: printable
 * ASCII, box drawing and block elements (the tables' borders and bars), the ellipsis. A string of them
 * alone is as wide as it is long; test/format/text-width.test.ts checks every character and every pair
 * of them against string-width itself.
 */
const PLAIN = /^[\x20-\x7e\u2500-\u259f\u2026]*$/;

/**
 * The colour codes chalk and cli-table3 write (ESC [ N m, N of one to three digits), which string-width
 * strips as ansi-regex matches them: wholly, as long as no BEL follows (a plain remainder has none).
 */
const SGR = /\u001b\[\d{1,3}m/g;

/**
 * string-width's answer. It strips colour codes with a RegExp it builds on every call and runs the
 * emoji regex (10 KB of pattern, compiled on first use) over every string: cli-table3 measures each cell
 * three to five times, and for plain text, coloured or not, all that finds nothing. Anything else (other
 * escape sequences, CJK, emoji, combining marks) goes to string-width.
 */
export function textWidth(text: string): number {
  if (typeof text !== 'string') return stringWidth(text);
  const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
  return PLAIN.test(plain) ? plain.length : stringWidth(text);
}
