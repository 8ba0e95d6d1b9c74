// Tests for reading logs of snapshots: chunks of text or of bytes, stamp lines dating snapshots, cut-short endings.

import { StringDecoder } from 'node:string_decoder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type Snapshot } from '../../src/model.js';
import { formatBuddyinfo, parseBuddyinfo } from '../../src/parse/buddyinfo.js';
import { LogReader } from '../../src/parse/log-reader.js';
import { fixture } from '../helpers/io.js';

/** 2026-11-02T10:00:00Z in seconds: `date -u -d '2026-11-02 10:00:00' +%s` = 1793613600 (a Monday). */
const T0 = 1_793_613_600_000;
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Read {
  snapshots: Array<{ snapshot: Snapshot; time: number | undefined }>;
  notes: string[];
  reader: LogReader;
}

/** Reads texts as sources, each cut into chunks of `chunk` characters. */
function read(texts: Array<[string, string]>, chunk = 1 << 16): Read {
  const out: Read['snapshots'] = [];
  const notes: string[] = [];
  const reader = new LogReader({ snapshot: (snapshot, time) => out.push({ snapshot, time }), note: (n) => notes.push(n) });
  for (const [name, text] of texts) {
    reader.begin(name);
    for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
    reader.end();
  }
  return { snapshots: out, notes, reader };
}

const counts = (r: Read): number[][][] => r.snapshots.map((s) => s.snapshot.zones.map((z) => z.free));

describe('a log read in chunks', () => {
  it('gives the snapshots parseBuddyinfo gives, however the text is cut (property)', () => {
    const zone = fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable');
    const layout = fc.uniqueArray(fc.tuple(fc.nat(2), zone), { minLength: 1, maxLength: 4, selector: ([n, z]) => `${n}${z}` });
    const style = fc.constantFrom<'kernel' | 'tabs' | 'crlf' | 'wrapped' | 'prompt'>('kernel', 'tabs', 'crlf', 'wrapped', 'prompt');
    fc.assert(
      fc.property(
        layout,
        fc.array(fc.array(fc.nat(3_000_000), { minLength: 11 * 4, maxLength: 11 * 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(style, { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 1, max: 200 }),
        (ids, pools, styles, chunk) => {
          let text = '';
          let k = 0;
          for (const pool of pools) {
            const zones = ids.map(([node, name], i) => ({ node, zone: name, free: pool.slice(i * 11, i * 11 + 11), source: 'p', line: 0 }));
            const kernel = formatBuddyinfo({ zones }).split('\n').filter((l) => l !== '');
            for (const l of kernel) {
              const s = styles[k++ % styles.length];
              if (s === 'tabs') text += `${l.replace(/ +/g, '\t')}\n`;
              else if (s === 'crlf') text += `${l}\r\n`;
              else if (s === 'wrapped') {
                // A mail client wraps at a space, never inside a number.
                const cut = l.indexOf(' ', 40);
                text += `${l.slice(0, cut)}\n${l.slice(cut)}\n`;
              }
              else if (s === 'prompt') text += `$ cat /proc/buddyinfo\n${l}\n`;
              else text += `${l}\n`;
            }
          }
          const expected = parseBuddyinfo(text, 'p').map((s) => s.zones.map((z) => ({ ...z })));
          const got = read([['p', text]], chunk).snapshots.map((s) => s.snapshot.zones);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('dates each snapshot by the stamp line before it, in every form', () => {
    const r = read([['stamps.txt', fixture('history-stamps.txt')]]);
    // history-stamps.txt: 10:00 date, 10:01 ISO, 10:02 epoch, 10:03 date -R in a separator,
    // a separator without a time, 10:05 en_US date; a seventh snapshot cut short.
    expect(r.snapshots.map((s) => s.time)).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, undefined, T0 + 5 * MIN]);
    expect(r.snapshots.map((s) => s.snapshot.stamp)).toEqual([
      'Mon Nov  2 10:00:00 UTC 2026',
      '2026-11-02T10:01:00Z',
      '1793613720',
      '=== Mon, 02 Nov 2026 10:03:00 +0000 ===',
      '=== sample 5 ===',
      'Mon 02 Nov 2026 10:05:00 AM UTC',
    ]);
    expect(r.snapshots.map((s) => s.snapshot.zones.map((z) => z.zone))).toEqual([
      ['DMA32', 'Normal'],
      ['DMA32', 'Normal'],
      ['DMA32', 'Normal'],
      ['DMA32', 'Normal', 'Movable'],
      ['DMA32', 'Normal'],
      ['DMA32', 'Normal'],
    ]);
    expect(r.reader.count).toBe(6);
    expect(r.reader.cut).toBe(1);
    expect(r.notes).toEqual(['stamps.txt, line 21: the last snapshot was left out: its last zone line has 2 of 11 counts.']);
  });

  it('takes epoch seconds alone on a line as a stamp, not as the tail of a wrapped zone line', () => {
    const r = read([['e', 'Node 0, zone Normal 1 2 3\n1793613600\nNode 0, zone Normal 4 5 6\n']]);
    expect(counts(r)).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(r.snapshots.map((s) => s.time)).toEqual([undefined, T0]);
  });

  it('splits snapshots at a stamp even when a zone appears and another disappears', () => {
    const text = '1793613600\nNode 0, zone DMA32 1 1\n1793613660\nNode 0, zone Normal 2 2\n';
    expect(counts(read([['a', text]]))).toEqual([[[1, 1]], [[2, 2]]]);
    // Without stamps the two lines are one snapshot, as parseBuddyinfo reads them.
    expect(counts(read([['a', 'Node 0, zone DMA32 1 1\nNode 0, zone Normal 2 2\n']]))).toEqual([[[1, 1], [2, 2]]]);
  });

  it('drops a stamp that no zone line follows', () => {
    const r = read([['a', '1793613600\n1793613660\nNode 0, zone DMA32 1 1\n']]);
    expect(r.snapshots.map((s) => s.time)).toEqual([T0 + MIN]);
  });

  describe('a last snapshot cut short is left out with a note', () => {
    const two = 'Node 0, zone DMA32 1 1 1\nNode 0, zone Normal 2 2 2\n';
    it.each([
      ['fewer zones than the snapshot before', `${two}Node 0, zone DMA32 3 3 3\n`, 'line 3: the last snapshot was left out: it has 1 of the 2 zones of the snapshot before.'],
      ['a last zone line with fewer counts', `${two}Node 0, zone DMA32 3 3 3\nNode 0, zone Normal 4`, 'line 3: the last snapshot was left out: its last zone line has 1 of 3 counts.'],
      ['fewer zones, the last of them short', `${two}Node 0, zone DMA32 3\n`, 'line 3: the last snapshot was left out: it has 1 of the 2 zones of the snapshot before.'],
      ['a zone line cut in its name', `${two}Node 0, zone DMA32 3 3 3\nNode 0, zone`, 'line 3: the last snapshot was left out: it stops short at line 4 (expected a zone line like "Node 0, zone Normal" followed by free counts, found "Node 0, zone").'],
      ['a zone line cut before its counts, then blank lines', `${two}Node 0, zone DMA32 3 3 3\nNode 0, zone Normal\n\n\n`, 'line 3: the last snapshot was left out: it stops short at line 4 (expected free block counts after "Node 0, zone Normal", found none).'],
    ])('%s', (_, text, note) => {
      const r = read([['log', text]]);
      expect(counts(r)).toEqual([[[1, 1, 1], [2, 2, 2]]]);
      expect(r.notes).toEqual([`log, ${note}`]);
    });

    it('the only zone line with fewer counts than the snapshot before', () => {
      const r = read([['log', 'Node 0, zone DMA32 1 1 1\nNode 0, zone DMA32 3\n']]);
      expect(counts(r)).toEqual([[[1, 1, 1]]]);
      expect(r.notes).toEqual(['log, line 2: the last snapshot was left out: its last zone line has 1 of 3 counts.']);
    });

    it('per source: the end of each file may be cut', () => {
      const r = read([
        ['a', `${two}Node 0, zone DMA32 3 3 3\n`],
        ['b', `${two}${two}`],
      ]);
      expect(r.snapshots).toHaveLength(3);
      expect(r.notes).toHaveLength(1);
    });

    it('but a malformed line with more lines after it is an error, as in the general parser', () => {
      expect(() => read([['log', `${two}Node 0, zone\nNode 0, zone DMA32 1 1 1\n`]])).toThrow(
        'log, line 3: expected a zone line like "Node 0, zone Normal" followed by free counts, found "Node 0, zone".',
      );
    });

    it('and a first snapshot that does not parse is an error too: there is nothing before it to be cut from', () => {
      expect(() => read([['log', 'Node 0, zone Normal 1 x']])).toThrow(InputError);
    });

    it('a last zone line with more counts than the rest is an error', () => {
      expect(() => read([['log', `${two}Node 0, zone DMA32 3 3 3\nNode 0, zone Normal 4 4 4 4\n`]])).toThrow(/expected 3 free counts/);
    });
  });

  it('refuses a line longer than a megabyte rather than holding it', () => {
    const reader = new LogReader({ snapshot: () => undefined, note: () => undefined });
    reader.begin('bin');
    expect(() => {
      for (let i = 0; i < 3; i++) reader.push('x'.repeat(1 << 19));
    }).toThrow(/bin, line 1: expected lines of text, found one longer than 1048576 characters/);
  });
});

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

interface Outcome {
  snapshots: Array<{ snapshot: Snapshot; time: number | undefined }>;
  notes: string[];
  count: number;
  cut: number;
  error?: string;
}

/** Everything a LogReader hands on for one way of feeding it, including the error it stops with. */
function outcome(feed: (reader: LogReader) => void): Outcome {
  const snapshots: Outcome['snapshots'] = [];
  const notes: string[] = [];
  const reader = new LogReader({ snapshot: (snapshot, time) => snapshots.push({ snapshot, time }), note: (n) => notes.push(n) });
  try {
    feed(reader);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { snapshots, notes, count: reader.count, cut: reader.cut, error: err.message };
  }
  return { snapshots, notes, count: reader.count, cut: reader.cut };
}

/** The bytes of each source cut at the given offsets. */
function cutAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.slice(from, c));
    from = c;
  }
  return out;
}

/** The string path as history read files before: the same chunks through Node's stream decoder, then push(). */
function asText(sources: Array<[string, Uint8Array[]]>): Outcome {
  return outcome((reader) => {
    for (const [name, chunks] of sources) {
      reader.begin(name);
      const decoder = new StringDecoder('utf8');
      for (const c of chunks) reader.push(decoder.write(c));
      reader.push(decoder.end());
      reader.end();
    }
  });
}

/** The byte path; each chunk is overwritten once pushed, as a reader that reuses its buffer does. */
function asBytes(sources: Array<[string, Uint8Array[]]>): Outcome {
  return outcome((reader) => {
    for (const [name, chunks] of sources) {
      reader.begin(name);
      for (const c of chunks) {
        const copy = c.slice();
        reader.pushBytes(copy);
        copy.fill(0x41);
      }
      reader.end();
    }
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('a log read as bytes', () => {
  it('reads the stamps fixture as the string path does, cut in two at every byte', () => {
    const bytes = utf8(fixture('history-stamps.txt'));
    const expected = asText([['stamps.txt', [bytes]]]);
    // The fixture's 6 snapshots and its note (see 'dates each snapshot by the stamp line before it').
    expect(expected.count).toBe(6);
    expect(expected.notes).toHaveLength(1);
    for (let i = 0; i <= bytes.length; i++) {
      expect(asBytes([['stamps.txt', [bytes.subarray(0, i), bytes.subarray(i)]]])).toEqual(expected);
    }
    expect(asBytes([['stamps.txt', cutAt(bytes, Array.from(bytes, (_, i) => i))]])).toEqual(expected);
  });

  it('reads as the string path does, whatever the lines and wherever the chunks end (property)', () => {
    const zone = fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable');
    const kernel = fc
      .tuple(fc.nat(1), zone, fc.array(fc.nat(3_000_000), { minLength: 3, maxLength: 4 }))
      .map(([node, name, free]) => `Node ${node}, zone ${name.padStart(8)} ${free.map((n) => `${String(n).padStart(6)} `).join('')}`);
    const day = T0 - 10 * HOUR;
    const stamp = fc.tuple(fc.integer({ min: 0, max: 2 * 24 * 60 }), fc.nat(7)).map(([minute, form]) => {
      const t = new Date(day + minute * MIN);
      const iso = t.toISOString().slice(0, 19);
      const [wd, mon, d, year] = t.toUTCString().split(' ').map((x) => x.replace(',', ''));
      return [
        `${wd} ${mon} ${d} ${iso.slice(11)} UTC ${year}`,
        `${wd} ${mon} ${d} ${iso.slice(11)} CST ${year}`,
        `${iso}Z`,
        `=== hôte ${iso}Z ===`,
        `${mon} ${d} ${iso.slice(11)} UTC ${year}`,
        String(t.getTime() / 1000),
        `${iso.slice(0, 10)} ${iso.slice(11)}`,
        '=== sample ===',
      ][form] as string;
    });
    const line = fc.oneof(
      { weight: 6, arbitrary: kernel },
      { weight: 2, arbitrary: stamp },
      kernel.map((l) => `${l}\r`),
      kernel.map((l) => l.replace(/ +/g, '\t')),
      kernel.map((l) => `  ${l}`),
      kernel.map((l) => `$ ${l}`),
      kernel.map((l) => {
        const cut = l.indexOf(' ', 30);
        return cut === -1 ? l : `${l.slice(0, cut)}\n${l.slice(cut)}`;
      }),
      kernel.map((l) => l.replace(/zone +(\S+)/, 'zone $1é')),
      fc.constantFrom('', ' ', '\r', '\t', '$ cat /proc/buddyinfo', 'héllo wörld', '🙂 Node 0, zone Normal 1 2 3 4', '\ufeff', 'Node 0, zone', 'Node 0, zone Normal 1 x 3', '12 34 56'),
      fc.string({ maxLength: 12 }),
    );
    const noise = fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x99], [0xed, 0xa0, 0x80], [0x80, 0x80]).map((b) => new Uint8Array(b));
    const source = fc.tuple(
      fc.array(fc.oneof({ weight: 12, arbitrary: line.map(utf8) }, noise), { maxLength: 40 }),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
      fc.array(fc.nat(4000), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(source, { minLength: 1, maxLength: 2 }), (sources) => {
        const cut = sources.map(([pieces, eol, lastNewline, cuts], k): [string, Uint8Array[]] => {
          const parts = pieces.flatMap((p, i) => (i === pieces.length - 1 && !lastNewline ? [p] : [p, utf8(eol)]));
          return [`log${k}`, cutAt(concat(parts), cuts)];
        });
        expect(asBytes(cut)).toEqual(asText(cut));
      }),
      { numRuns: 2000 },
    );
  });

  it('stops at a malformed line followed by more, even when the next is a stamp it would recall', () => {
    const text = 'Mon Nov  2 10:00:00 UTC 2026\nNode 0, zone DMA32 1 1 1\nNode 0, zone\nMon Nov  2 10:01:00 UTC 2026\nNode 0, zone DMA32 2 2 2\n';
    const r = asBytes([['log', [utf8(text)]]]);
    expect(r.error).toBe('log, line 3: expected a zone line like "Node 0, zone Normal" followed by free counts, found "Node 0, zone".');
    expect(r).toEqual(asText([['log', [utf8(text)]]]));
  });

  it('refuses a line longer than a megabyte of characters, not of bytes', () => {
    const twoByte = utf8('é'.repeat(600_000));
    // 1.2 MB of bytes but 600,000 characters: as the string path, read on.
    expect(asBytes([['wide', [twoByte.subarray(0, 700_000), twoByte.subarray(700_000), utf8('\nNode 0, zone Normal 1 2\n')]]])).toEqual(
      asText([['wide', [twoByte, utf8('\nNode 0, zone Normal 1 2\n')]]]),
    );
    const r = outcome((reader) => {
      reader.begin('bin');
      for (let i = 0; i < 3; i++) reader.pushBytes(new Uint8Array(1 << 19).fill(0x78));
    });
    expect(r.error).toBe('bin, line 1: expected lines of text, found one longer than 1048576 characters; is this a buddyinfo log?');
  });
});
