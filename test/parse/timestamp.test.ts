// Tests for timestamp lines: every form of `date`, ISO 8601, epoch seconds and separators, and what is not one.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StampReader } from '../../src/parse/stamp-reader.js';
import { parseStamp } from '../../src/parse/timestamp.js';

/** 2026-11-02T10:00:00Z in seconds: `date -u -d '2026-11-02 10:00:00' +%s` = 1793613600 (a Monday). */
const T0 = 1_793_613_600_000;
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('timestamp lines', () => {
  it.each([
    ['date, C locale', 'Mon Nov  2 10:00:00 UTC 2026', T0],
    ['date, C locale, one-digit day padded', 'Mon Nov 2 10:00:00 UTC 2026', T0],
    ['date with a zone it knows (CET = +1)', 'Mon Nov  2 11:00:00 CET 2026', T0],
    ['date with a numeric zone', 'Mon Nov  2 12:00:00 +0200 2026', T0],
    ['date -R', 'Mon, 02 Nov 2026 10:00:00 +0000', T0],
    ['date in en_US (12-hour clock, EST = -5)', 'Mon 02 Nov 2026 01:00:00 PM EST', T0 + 8 * HOUR],
    ['date in en_US, 12 AM is midnight', 'Mon 02 Nov 2026 12:00:00 AM UTC', T0 - 10 * HOUR],
    ['date in en_GB (day first)', 'Mon  2 Nov 10:00:00 UTC 2026', T0],
    ['ISO 8601 with Z', '2026-11-02T10:00:00Z', T0],
    ['ISO 8601 with an offset (date -Is)', '2026-11-02T11:00:00+01:00', T0],
    ['ISO 8601 with a fraction', '2026-11-02T10:00:00.250Z', T0 + 250],
    ['ISO 8601 with a comma fraction and a short offset', '2026-11-02T10:00:00,5-00', T0 + 500],
    ['RFC 3339 with a space (date --rfc-3339=seconds)', '2026-11-02 10:00:00+00:00', T0],
    ['epoch seconds', '1793613600', T0],
    ['epoch seconds with a fraction and @', '@1793613600.75', T0 + 750],
    ['a separator around an ISO time', '=== 2026-11-02T10:00:00Z ===', T0],
    ['a separator around date output', '===== Mon Nov  2 10:00:00 UTC 2026 =====', T0],
    ['a separator with a host and epoch seconds', '=== host1 1793613600 ===', T0],
  ])('%s', (_, text, time) => {
    const s = parseStamp(text);
    expect(s?.time).toBe(time);
    expect(s?.assumedUtc).toBeUndefined();
  });

  it('reads a time without a zone, or with an unknown or ambiguous one, as UTC and says so', () => {
    expect(parseStamp('2026-11-02 10:00:00')).toEqual({ text: '2026-11-02 10:00:00', time: T0, assumedUtc: 'no time zone' });
    expect(parseStamp('Mon Nov  2 10:00:00 CST 2026')?.assumedUtc).toBe('time zone CST not known');
    expect(parseStamp('Mon Nov  2 10:00:00 CST 2026')?.time).toBe(T0);
  });

  it('takes a separator without a time as a stamp without a time', () => {
    expect(parseStamp('=== snapshot 5 ===')).toEqual({ text: '=== snapshot 5 ===' });
  });

  it.each([
    'Node 0, zone   Normal      1      2',
    '$ cat /proc/buddyinfo',
    'hello world',
    '12345',
    '   4381   1093    185',
    '',
    'Mon Nov 32 10:00:00 UTC 2026',
    '2026-13-02T10:00:00Z',
    'Mon Nov  2 25:00:00 UTC 2026',
  ])('is not fooled by %j', (text) => {
    expect(parseStamp(text)).toBeUndefined();
  });

  it('reads a run of stamps from memory exactly as parsing each afresh (property)', () => {
    const forms = [
      (t: Date) => t.toUTCString().replace(/GMT$/, '+0000'),
      (t: Date) => t.toISOString().replace(/\.\d+Z$/, 'Z'),
      (t: Date) => t.toISOString(),
      (t: Date) => `=== ${t.toISOString().slice(0, 19)}+00:00 ===`,
      (t: Date) => {
        const [wd, mon, day, year] = t.toUTCString().split(' ').map((x) => x.replace(',', ''));
        return `${wd} ${mon} ${day} ${t.toISOString().slice(11, 19)} UTC ${year}`;
      },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...forms),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        (form, start, steps) => {
          const reader = new StampReader();
          let t = start * 1000;
          for (const step of steps) {
            t += step * 1000;
            const line = form(new Date(t));
            expect(reader.read(line)).toEqual(parseStamp(line));
          }
        },
      ),
    );
  });
});
