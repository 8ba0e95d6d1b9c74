// Tests for stamps read from memory: the next HH:MM:SS of a remembered stamp, from its bytes, as parsing it gives.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StampReader } from '../../src/parse/stamp-reader.js';

/** 2026-11-02T10:00:00Z in seconds: `date -u -d '2026-11-02 10:00:00' +%s` = 1793613600 (a Monday). */
const T0 = 1_793_613_600_000;
const MIN = 60_000;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('stamps recalled from bytes', () => {
  it('reads the next minute of a remembered date from its bytes', () => {
    const r = new StampReader();
    expect(r.read('Mon Nov  2 10:00:00 UTC 2026')?.time).toBe(T0);
    const line = utf8('Mon Nov  2 10:01:00 UTC 2026\n');
    expect(r.recall(line, 0, line.length - 1)).toEqual({ text: 'Mon Nov  2 10:01:00 UTC 2026', time: T0 + MIN });
    // Another day, another length, or not a time: left to read().
    for (const other of ['Tue Nov  3 10:01:00 UTC 2026', 'Mon Nov  2 10:01:00 UTC 20266', 'Mon Nov  2 10:61:00 UTC 2026']) {
      const b = utf8(other);
      expect(r.recall(b, 0, b.length)).toBeUndefined();
    }
  });

  it('never recalls a stamp with non-ASCII text, whose bytes and characters differ', () => {
    const r = new StampReader();
    expect(r.read('=== hôte 2026-11-02T10:00:00Z ===')?.time).toBe(T0);
    const b = utf8('=== hôte 2026-11-02T10:01:00Z ===');
    expect(r.recall(b, 0, b.length)).toBeUndefined();
    // The same length in bytes as in characters: ô alone as the byte 0xF4, which is no UTF-8 (it decodes to U+FFFD).
    const latin1 = Uint8Array.from('=== hôte 2026-11-02T10:01:00Z ===', (ch) => ch.charCodeAt(0));
    expect(r.recall(latin1, 0, latin1.length)).toBeUndefined();
  });

  it('recalls what read() gives, or nothing (property)', () => {
    const forms = [
      (t: Date) => t.toUTCString().replace(/GMT$/, '+0000'),
      (t: Date) => t.toISOString().replace(/\.\d+Z$/, 'Z'),
      (t: Date) => `=== ${t.toISOString().slice(0, 19)}+00:00 ===`,
      (t: Date) => `=== hôte ${t.toISOString().slice(0, 19)}Z ===`,
      (t: Date) => `${t.toISOString().slice(0, 10)} ${t.toISOString().slice(11, 19)}`,
      (t: Date) => {
        const [wd, mon, day, year] = t.toUTCString().split(' ').map((x) => x.replace(',', ''));
        return `${wd} ${mon} ${day} ${t.toISOString().slice(11, 19)} UTC ${year}`;
      },
    ];
    let recalled = 0;
    fc.assert(
      fc.property(
        // Runs of lines in one form, a step of seconds apart (a day has 86,400).
        fc.array(fc.tuple(fc.constantFrom(...forms), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        (runs, start) => {
          const bytes = new StampReader();
          const text = new StampReader();
          let t = start * 1000;
          for (const [form, lines, step] of runs) {
            for (let k = 0; k < lines; k++) {
              t += step * 1000;
              const line = form(new Date(t));
              const b = utf8(line);
              const got = bytes.recall(b, 0, b.length);
              if (got !== undefined) recalled++;
              expect(got ?? bytes.read(line)).toEqual(text.read(line));
            }
          }
        },
      ),
    );
    expect(recalled).toBeGreaterThan(100);
  });
});
