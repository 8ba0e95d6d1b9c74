// Fits text to a terminal's width: prose wrapped at spaces, a list item's lines under its text, tables as drawn.

import { textWidth } from './text-width.js';

/** Columns a string takes on a terminal: colour codes take none, a wide (CJK) character two. */
export function visibleWidth(text: string): number {
  return textWidth(text);
}

/** Table rows (cli-table3's box drawing) are laid out by their renderer and never cut here. */
const TABLE_ROW = /[│┌└├┼┬┴─]/;

/** A unit after a number, kept with it (units.ts prints sizes as "4 MiB", "12 KiB", "0 B"). */
const UNIT = /^(B|KiB|MiB|GiB|TiB|PiB|kB|pages?)\b/;

/**
 * One line as lines of at most `width` columns, cut at spaces. A continuation keeps the line's indent,
 * and a list item ("- ", "* ") goes on under its text. A word longer than the room stands alone.
 */
export function wrapLine(line: string, width: number): string[] {
  if (TABLE_ROW.test(line) || visibleWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)?.[0] ?? '';
  const marker = /^[-*] /.exec(line.slice(indent.length))?.[0] ?? '';
  const hang = ' '.repeat(indent.length + marker.length);
  const words: string[] = [];
  for (const word of line.slice(indent.length + marker.length).split(' ')) {
    // "4 MiB" stays on one line: a unit is never the first word of a continuation.
    if (UNIT.test(word) && words.length > 0) words[words.length - 1] += ` ${word}`;
    else words.push(word);
  }
  const out: string[] = [];
  let current = indent + marker;
  let used = visibleWidth(current);
  let empty = true;
  for (const word of words) {
    const w = visibleWidth(word);
    if (!empty && used + 1 + w > width) {
      out.push(current);
      current = hang + word;
      used = hang.length + w;
      continue;
    }
    current += empty ? word : ` ${word}`;
    used += empty ? w : w + 1;
    empty = false;
  }
  out.push(current);
  return out;
}

/** Every line of a text fitted to `width`; undefined (not a terminal) leaves the text as it is. */
export function fitText(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}

/**
 * Help text fitted to a terminal `width` wide. An example ("  $ buddyinfo ...   what it does") that does
 * not fit puts its words on the line below; a command still too wide is broken at spaces with a shell
 * continuation (" \"), so it can still be copied and pasted; any other line is wrapped as prose.
 */
export function fitHelp(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      if (visibleWidth(line) <= width) return [line];
      const example = /^(\s*)(\$ .*?)(?:\s{2,}(\S.*))?$/.exec(line);
      if (example === null) return wrapLine(line, width);
      const [, indent = '', command = '', words] = example;
      const out = continued(`${indent}${command}`, width, `${indent}    `);
      if (words !== undefined) out.push(...wrapLine(`${indent}    ${words}`, width));
      return out;
    })
    .join('\n');
}

/**
 * A shell command broken at spaces into lines of at most `width`, each but the last ending in " \". A
 * quoted word is never broken: a continuation inside quotes would put the hang's spaces into the string.
 */
function continued(command: string, width: number, hang: string): string[] {
  const indent = /^\s*/.exec(command)?.[0] ?? '';
  const words = command.slice(indent.length).match(/(?:"[^"]*"|'[^']*'|[^\s"']+)+/g) ?? [];
  const out: string[] = [];
  let current = indent;
  for (const word of words) {
    if (current.trim() !== '' && visibleWidth(current) + 1 + visibleWidth(word) + 2 > width) {
      out.push(`${current} \\`);
      current = `${hang}${word}`;
    } else current = current.trim() === '' ? `${current}${word}` : `${current} ${word}`;
  }
  out.push(current);
  return out;
}
