// Reads the stamp lines of a log fast: a stamp that differs from the last only in its HH:MM:SS is not parsed again.

import { parseStamp, type Stamp } from './timestamp.js';

/**
 * parseStamp with a memory of the last stamp: in a log the next stamp usually differs from the last
 * only in its HH:MM:SS, so when the text around those eight characters is the same, the time is the
 * last one's day plus the new time of day, without the full parse. Only stamps whose time is linear in
 * HH:MM:SS are remembered (a 24-hour clock; not AM/PM, not epoch seconds).
 */
export class StampReader {
  private prefix = '';
  private suffix = '';
  private length = -1;
  private base = 0;
  private assumedUtc: string | undefined;
  /** Whether the remembered prefix and suffix are ASCII, so recall() can match them byte for byte. */
  private ascii = false;

  /**
   * read() of the line b[s..e) of a UTF-8 log, when it is the remembered stamp with another time:
   * then its bytes are all ASCII, and it reads to what read() of the decoded line gives. Undefined
   * otherwise (not a stamp, or one to decode and read()).
   */
  recall(b: Uint8Array, s: number, e: number): Stamp | undefined {
    if (!this.ascii || e - s !== this.length) return undefined;
    const prefix = this.prefix;
    const suffix = this.suffix;
    const at = s + prefix.length;
    for (let j = 0; j < prefix.length; j++) if (b[s + j] !== prefix.charCodeAt(j)) return undefined;
    for (let j = 0; j < suffix.length; j++) if (b[at + 8 + j] !== suffix.charCodeAt(j)) return undefined;
    const tod = timeOfDayBytes(b, at);
    if (tod === undefined) return undefined;
    const time = String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, 58, b[at + 3] ?? 0, b[at + 4] ?? 0, 58, b[at + 6] ?? 0, b[at + 7] ?? 0);
    const stamp: Stamp = { text: prefix + time + suffix, time: this.base + tod };
    if (this.assumedUtc !== undefined) stamp.assumedUtc = this.assumedUtc;
    return stamp;
  }

  read(line: string): Stamp | undefined {
    if (line.length === this.length && line.startsWith(this.prefix) && line.endsWith(this.suffix)) {
      const at = this.prefix.length;
      const tod = timeOfDay(line, at);
      if (tod !== undefined) {
        // The same text, rebuilt from short pieces: `line` is a slice of a whole chunk of the log, and a
        // stamp kept for a report (the first snapshot, a period's start) would keep that chunk alive.
        const stamp: Stamp = { text: this.prefix + line.slice(at, at + 8) + this.suffix, time: this.base + tod };
        if (this.assumedUtc !== undefined) stamp.assumedUtc = this.assumedUtc;
        return stamp;
      }
    }
    const stamp = parseStamp(line);
    this.remember(line, stamp);
    return stamp;
  }

  private remember(line: string, stamp: Stamp | undefined): void {
    this.length = -1;
    if (stamp?.time === undefined || line !== stamp.text || /\b(?:AM|PM|am|pm)\b/.test(line)) return;
    const m = /(?<![\d:])\d\d:\d\d:\d\d(?![\d:])/.exec(line);
    if (!m || /\d\d:\d\d:\d\d/.test(line.slice(m.index + 8))) return;
    const tod = timeOfDay(line, m.index);
    if (tod === undefined) return;
    this.prefix = line.slice(0, m.index);
    this.suffix = line.slice(m.index + 8);
    this.length = line.length;
    this.base = stamp.time - tod;
    this.assumedUtc = stamp.assumedUtc;
    this.ascii = /^[\x00-\x7f]*$/.test(line);
  }
}

/** The value of a digit's character code; 99 (past any field of a time) for anything else. */
function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : 99;
}

/** Milliseconds since midnight, or undefined when a field is out of range (or was not two digits). */
function clock(h: number, m: number, sec: number): number | undefined {
  if (h > 23 || m > 59 || sec > 60) return undefined;
  return ((h * 60 + m) * 60 + sec) * 1000;
}

/** Milliseconds since midnight of `HH:MM:SS` at t[at..at+8), or undefined if it is not one. */
function timeOfDay(t: string, at: number): number | undefined {
  const d = (k: number): number => digit(t.charCodeAt(at + k));
  if (t.charCodeAt(at + 2) !== 58 || t.charCodeAt(at + 5) !== 58) return undefined;
  return clock(d(0) * 10 + d(1), d(3) * 10 + d(4), d(6) * 10 + d(7));
}

/** timeOfDay over bytes. */
function timeOfDayBytes(b: Uint8Array, at: number): number | undefined {
  const d = (k: number): number => digit(b[at + k] ?? 0);
  if (b[at + 2] !== 58 || b[at + 5] !== 58) return undefined;
  return clock(d(0) * 10 + d(1), d(3) * 10 + d(4), d(6) * 10 + d(7));
}
