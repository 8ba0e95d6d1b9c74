// Text inputs as numbered lines, a look at their head, or one piece: bounded whatever the input holds.

import { InputError } from '../model.js';

/** The longest line a text input may have (history's limit too). */
export const MAX_LINE = 1 << 20;
/** The most text a log is read into memory for its reports; past it the input is not a kernel log. */
const MAX_LOG = 512 * 1024 * 1024;

/**
 * Splits text chunks into lines, numbered from 1, without holding more than one partial line. Line ends
 * are LF, CRLF, or a lone CR (old Mac editors).
 */
export async function* lines(chunks: AsyncIterable<string>, name = 'input'): AsyncGenerator<[string, number]> {
  let rest = '';
  let n = 0;
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      const cr = text.indexOf('\r', start);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) break;
      // A CR as the chunk's last character may be the first half of a CRLF: wait for the next chunk.
      if (end === cr && end === text.length - 1) break;
      yield [text.slice(start, end), ++n];
      start = end === cr && text[cr + 1] === '\n' ? cr + 2 : end + 1;
    }
    rest = text.slice(start);
    // A text line is never this long: the input is not text, and holding it would grow without bound.
    if (rest.length > MAX_LINE) {
      throw new InputError(`${name}, line ${n + 1}: a line longer than 1 MiB: expected text lines such as /proc/buddyinfo's.`, name, n + 1);
    }
  }
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++n];
}

/** Reads the head of a stream (up to `size` characters) and gives back a stream that replays it. */
export async function peek(
  chunks: AsyncIterable<string>,
  size = 1 << 16,
): Promise<{ head: string; stream: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const buffered: string[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    length += r.value.length;
  }
  async function* replay(): AsyncGenerator<string> {
    yield* buffered;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: buffered.join(''), stream: replay() };
}

/** The whole text of an input read in one piece (zoneinfo, pagetypeinfo, logs: all small next to a buddyinfo log). */
export async function collect(name: string, chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_LOG) {
      throw new InputError(
        `${name}: more than ${MAX_LOG / 1024 / 1024} MiB with no buddyinfo zone line near its start: expected a buddyinfo capture, a zoneinfo, a pagetypeinfo or a kernel log; for a long log, cut out the part around the report.`,
        name,
      );
    }
    parts.push(c);
  }
  return parts.join('');
}

