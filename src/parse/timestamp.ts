// The timestamp lines a log dates its snapshots with: `date` in its layouts, ISO 8601, epoch seconds, `=== x ===`.

/** A timestamp line of a log: its text, and the instant it names when it names one. */
export interface Stamp {
  text: string;
  /** Milliseconds since the epoch, UTC. */
  time?: number;
  /** Set when the text gave no usable time zone and the time was read as UTC: says why. */
  assumedUtc?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Offsets in minutes of the zone abbreviations `date` prints that name one offset only. CST and IST are
 * left out on purpose: each names three different offsets around the world.
 */
const ZONES: Readonly<Record<string, number>> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480,
  PDT: -420, AKST: -540, AKDT: -480, HST: -600, HKT: 480, SGT: 480, JST: 540, KST: 540, AEST: 600,
  AEDT: 660, ACST: 570, AWST: 480, NZST: 720, NZDT: 780,
};

/** `date` in the C locale (coreutils, busybox): `Mon Nov  2 10:00:00 UTC 2026`. The common case, one regex. */
const DATE_C =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:([A-Z]{1,5}|[+-]\d{4})\s+)?(\d{4})$/;
/** ISO 8601 as `date -Is`, `date --rfc-3339`, `date -u +%FT%TZ` and loggers print it; the time is optional. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?$/;
/** `date +%s` (optionally `@`-prefixed, optionally with a fraction): ten digits, 2001 to 2286. */
const EPOCH = /^@?(\d{10})(?:\.(\d{1,9}))?$/;
/** `=== <anything> ===`, the separator scripts print between captures. */
const SEPARATOR = /^={3,}\s*(.*?)\s*={3,}$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const OFFSET = /^(?:UTC|GMT)?([+-])(\d{2})(?::?(\d{2}))?$/;

/** Milliseconds of a fraction of a second written as digits after the point. */
function fractionMs(digits: string | undefined): number {
  return digits === undefined ? 0 : Math.floor(Number(`0.${digits}`) * 1000);
}

function offsetOf(zone: string | undefined): { minutes: number; assumed?: string } {
  if (zone === undefined) return { minutes: 0, assumed: 'no time zone' };
  const known = ZONES[zone];
  if (known !== undefined) return { minutes: known };
  const m = OFFSET.exec(zone);
  if (m) return { minutes: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) };
  return { minutes: 0, assumed: `time zone ${zone} not known` };
}

function stampAt(
  text: string,
  parts: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number },
  zone: string | undefined,
): Stamp | undefined {
  const { y, mo, d, h, mi, s, ms } = parts;
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const off = offsetOf(zone);
  const stamp: Stamp = { text, time: Date.UTC(y, mo, d, h, mi, s, ms) - off.minutes * 60_000 };
  if (off.assumed !== undefined) stamp.assumedUtc = off.assumed;
  return stamp;
}

/** `date` output in other locales and layouts (`date -R`, en_US with AM/PM, en_GB day first): token by token. */
function dateTokens(text: string): Stamp | undefined {
  let y: number | undefined;
  let mo: number | undefined;
  let d: number | undefined;
  let time: RegExpExecArray | undefined;
  let pm: boolean | undefined;
  let zone: string | undefined;
  for (const tok of text.split(/[\s,]+/)) {
    if (tok === '') continue;
    const lower = tok.toLowerCase().replace(/\.$/, '');
    const t = TIME.exec(tok);
    if (t) {
      if (time) return undefined;
      time = t;
    } else if (/^\d{4}$/.test(tok) && y === undefined) y = Number(tok);
    else if (/^\d{1,2}$/.test(tok) && d === undefined) d = Number(tok);
    else if (lower === 'am' || lower === 'pm') pm = lower === 'pm';
    else if (/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/.test(lower)) continue;
    else if (/^[a-z]{3,9}$/.test(lower) && MONTHS.includes(lower.slice(0, 3)) && mo === undefined) {
      mo = MONTHS.indexOf(lower.slice(0, 3));
    } else if ((OFFSET.test(tok) || /^[A-Z]{1,5}$/.test(tok)) && zone === undefined) zone = tok;
    else return undefined;
  }
  if (y === undefined || mo === undefined || d === undefined || !time) return undefined;
  let h = Number(time[1]);
  if (pm !== undefined) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (pm ? 12 : 0);
  }
  return stampAt(text, { y, mo, d, h, mi: Number(time[2]), s: Number(time[3] ?? 0), ms: fractionMs(time[4]) }, zone);
}

/** A timestamp on its own: ISO 8601, epoch seconds, or `date` output. */
function timeOf(text: string): Stamp | undefined {
  const c = DATE_C.exec(text);
  if (c) {
    const [, mon = '', d, h, mi, s, zone, y] = c;
    return stampAt(
      text,
      { y: Number(y), mo: MONTHS.indexOf(mon.toLowerCase()), d: Number(d), h: Number(h), mi: Number(mi), s: Number(s), ms: 0 },
      zone,
    );
  }
  const i = ISO.exec(text);
  if (i) {
    const [, y, mo, d, h, mi, s, frac, zone] = i;
    return stampAt(
      text,
      { y: Number(y), mo: Number(mo) - 1, d: Number(d), h: Number(h ?? 0), mi: Number(mi ?? 0), s: Number(s ?? 0), ms: fractionMs(frac) },
      zone,
    );
  }
  const e = EPOCH.exec(text);
  if (e) return { text, time: Number(e[1]) * 1000 + fractionMs(e[2]) };
  const first = text.charCodeAt(0);
  // Only lines that start like a weekday, a month or a day can be `date` output; skip the tokenizer otherwise.
  if ((first >= 65 && first <= 90) || (first >= 48 && first <= 57)) return dateTokens(text);
  return undefined;
}

/**
 * Classifies one line (without its newline) as a timestamp line, or returns undefined. A `=== x ===`
 * separator is always a stamp; it carries a time when x holds one.
 */
export function parseStamp(line: string): Stamp | undefined {
  const text = line.trim();
  if (text === '' || text.length > 120) return undefined;
  const sep = SEPARATOR.exec(text);
  if (sep) {
    const inner = sep[1] ?? '';
    const t = timeOf(inner) ?? embeddedTime(inner);
    return t ? { ...t, text } : { text };
  }
  return timeOf(text);
}

/** A time inside a separator's other text (`=== host1 2026-11-02T10:00:00Z ===`): ISO or epoch. */
function embeddedTime(inner: string): Stamp | undefined {
  for (const tok of inner.split(/\s+/)) {
    const t = ISO.test(tok) || EPOCH.test(tok) ? timeOf(tok) : undefined;
    if (t) return t;
  }
  return undefined;
}
