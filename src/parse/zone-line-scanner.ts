// Reads zone lines laid out as the kernel prints them, fast, from text or UTF-8 bytes; others go to the general parser.

import type { ZoneFree } from '../model.js';
import { MAX_ORDERS } from './buddyinfo.js';

/**
 * The fast reading of a zone line exactly as the kernel prints it (frag_show_print: `Node %d, zone %8s `
 * then `%6lu ` per order): spaces only, ASCII zone name, counts of at most 15 digits. Anything else
 * (prompts, tabs, wrapped lines, bad counts) returns undefined and goes to BuddyinfoLineParser, which
 * reads the lines this accepts to the same values (test/parse/zone-line-scanner.test.ts checks it as
 * a property).
 *
 * The line is t[s..e); t[e] must exist and be neither a digit nor a space (the newline, or the
 * carriage return before it): the loops stop on it without testing the index. `names` interns zone
 * names, so a long log holds each name once and the lookups that follow compare identical strings.
 */
export function scanZoneLine(
  t: string,
  s: number,
  e: number,
  source: string,
  line: number,
  names: string[] = [],
): ZoneFree | undefined {
  if (
    e - s < 15 ||
    t.charCodeAt(s) !== 78 || // N
    t.charCodeAt(s + 1) !== 111 || // o
    t.charCodeAt(s + 2) !== 100 || // d
    t.charCodeAt(s + 3) !== 101 || // e
    t.charCodeAt(s + 4) !== 32
  ) {
    return undefined;
  }
  let i = s + 5;
  let c = t.charCodeAt(i);
  if (c < 48 || c > 57) return undefined;
  let node = c - 48;
  while ((c = t.charCodeAt(++i)) >= 48 && c <= 57) node = node * 10 + (c - 48);
  if (i - s > 14 || i > e - 7) return undefined;
  if (
    c !== 44 || // ,
    t.charCodeAt(i + 1) !== 32 ||
    t.charCodeAt(i + 2) !== 122 || // z
    t.charCodeAt(i + 3) !== 111 || // o
    t.charCodeAt(i + 4) !== 110 || // n
    t.charCodeAt(i + 5) !== 101 || // e
    t.charCodeAt(i + 6) !== 32
  ) {
    return undefined;
  }
  i += 6;
  while ((c = t.charCodeAt(++i)) === 32);
  const nameStart = i;
  while (c > 32 && c < 127) c = t.charCodeAt(++i);
  // A name ending in a comma is one the general parser trims: leave it to that parser.
  if (c !== 32 || i === nameStart || t.charCodeAt(i - 1) === 44) return undefined;
  let zone: string | undefined;
  for (const n of names) {
    if (n.length === i - nameStart && t.startsWith(n, nameStart)) {
      zone = n;
      break;
    }
  }
  if (zone === undefined) {
    zone = t.slice(nameStart, i);
    if (names.length < 32) names.push(zone);
  }
  const free: number[] = [];
  for (;;) {
    while ((c = t.charCodeAt(++i)) === 32);
    if (i >= e) break;
    if (c < 48 || c > 57) return undefined;
    const digits = i;
    let v = c - 48;
    while ((c = t.charCodeAt(++i)) >= 48 && c <= 57) v = v * 10 + (c - 48);
    if (i - digits > 15) return undefined;
    free.push(v);
    if (i >= e) break;
    if (c !== 32) return undefined;
  }
  // More orders than any kernel prints: the general parser says so, with the line.
  if (free.length === 0 || free.length > MAX_ORDERS) return undefined;
  return { node, zone, free, source, line };
}

/**
 * scanZoneLine over UTF-8 bytes, for logs read as bytes: the same lines, read to the same values, without
 * decoding the text or cutting it into lines first. A scan starts at a line's first byte and walks to its
 * newline, which must exist in the array: every loop stops on it (10 is neither a digit, a space nor a
 * name byte), so no index is tested against the array's end. On success `next` is the index just past
 * that newline. Lines with a byte outside printable ASCII, tabs, a prompt or anything else unusual give
 * undefined and are left to the string path.
 */
export class ZoneByteScanner {
  /** After a scan that returned a zone line: the index just past its newline. */
  next = 0;
  /** The counts of the line being scanned. */
  private readonly counts: number[] = [];

  /** `names` interns zone names, shared with scanZoneLine's so both paths hand on the same strings. */
  constructor(private readonly names: string[] = []) {}

  scan(b: Uint8Array, s: number, source: string, line: number): ZoneFree | undefined {
    if (
      b[s] !== 78 || // N
      b[s + 1] !== 111 || // o
      b[s + 2] !== 100 || // d
      b[s + 3] !== 101 || // e
      b[s + 4] !== 32
    ) {
      return undefined;
    }
    let i = s + 5;
    let c = b[i] ?? 0;
    if (c < 48 || c > 57) return undefined;
    let node = c - 48;
    while ((c = b[++i] ?? 0) >= 48 && c <= 57) node = node * 10 + (c - 48);
    // At most nine digits, as scanZoneLine allows.
    if (i - s > 14) return undefined;
    if (
      c !== 44 || // ,
      b[i + 1] !== 32 ||
      b[i + 2] !== 122 || // z
      b[i + 3] !== 111 || // o
      b[i + 4] !== 110 || // n
      b[i + 5] !== 101 || // e
      b[i + 6] !== 32
    ) {
      return undefined;
    }
    i += 6;
    while ((c = b[++i] ?? 0) === 32);
    const nameStart = i;
    while (c > 32 && c < 127) c = b[++i] ?? 0;
    const nameLength = i - nameStart;
    if (c !== 32 || nameLength === 0 || b[i - 1] === 44) return undefined;
    const zone = this.name(b, nameStart, nameLength);
    const counts = this.counts;
    let n = 0;
    for (;;) {
      while ((c = b[++i] ?? 0) === 32);
      if (c < 48 || c > 57) break;
      const digits = i;
      let v = c - 48;
      while ((c = b[++i] ?? 0) >= 48 && c <= 57) v = v * 10 + (c - 48);
      if (i - digits > 15) return undefined;
      counts[n++] = v;
      if (c !== 32) break;
    }
    // The line must end here: a newline, or a carriage return and a newline.
    if (c === 13) c = b[++i] ?? 0;
    if (c !== 10 || n === 0 || n > MAX_ORDERS) return undefined;
    this.next = i + 1;
    // A copy of the right length: the array grown by pushes would hold room for more.
    return { node, zone, free: counts.slice(0, n), source, line };
  }

  /** The interned name of b[at..at+length), all printable ASCII. */
  private name(b: Uint8Array, at: number, length: number): string {
    const names = this.names;
    for (let k = 0; k < names.length; k++) {
      const n = names[k] ?? '';
      if (n.length !== length) continue;
      let j = 0;
      while (j < length && n.charCodeAt(j) === b[at + j]) j++;
      if (j === length) return n;
    }
    const zone = String.fromCharCode(...b.subarray(at, at + length));
    if (names.length < 32) names.push(zone);
    return zone;
  }
}
