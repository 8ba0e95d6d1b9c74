// Tests for the fast zone-line scanners over text and bytes: each line they read, the general parser reads alike.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuddyinfoLineParser } from '../../src/parse/buddyinfo.js';
import { scanZoneLine, ZoneByteScanner } from '../../src/parse/zone-line-scanner.js';

/** Zone lines the fast scanners leave to the general parser (odd spacing, bad counts, non-ASCII names). */
const UNUSUAL_LINES = [
    'Node 0, zone\tNormal 1 2',
    ' Node 0, zone Normal 1 2',
    'Node 0 zone Normal 1 2',
    'Node 0, zone Normal, 1 2',
    'Node 0, zone Normal 1 x',
    'Node 0, zone Normal 1 -2',
    'Node 0, zone Normal',
    'Node 0, zone Normal 1 9007199254740993',
    'Node 0, zone Nörmal 1 2',
];

/** The general parser's reading of one line, as a zone line, or undefined. */
function general(line: string): unknown {
  const p = new BuddyinfoLineParser('s');
  try {
    const first = p.line(line, 7);
    return first ?? p.end();
  } catch {
    return 'error';
  }
}

describe('the fast zone-line scanner', () => {
  it('reads a kernel line', () => {
    const line = 'Node 0, zone   Normal   4381   1093    185 \n';
    expect(scanZoneLine(line, 0, line.length - 1, 's', 3)).toEqual({
      node: 0,
      zone: 'Normal',
      free: [4381, 1093, 185],
      source: 's',
      line: 3,
    });
  });

  it.each(UNUSUAL_LINES)('leaves %j to the general parser', (text) => {
    const line = `${text}\n`;
    expect(scanZoneLine(line, 0, text.length, 's', 1)).toBeUndefined();
  });

  it('reads every line it accepts to what the general parser reads (property)', () => {
    const space = fc.constantFrom(' ', '  ', '      ', '\t', ' \t');
    const token = fc.oneof(
      fc.nat(2_000_000).map(String),
      fc.constantFrom('007', '0', '9007199254740991', '1234567890123456', 'x1', '-3', 'Normal', ',', 'zone', 'Node', '1,'),
    );
    const line = fc.oneof(
      fc
        .tuple(fc.nat(12), fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable', 'X,', 'é'), fc.array(fc.nat(9_999_999), { maxLength: 17 }), fc.boolean())
        .map(([node, zone, free, trailing]) => `Node ${node}, zone ${zone.padStart(8)} ${free.map((n) => `${String(n).padStart(6)} `).join('')}${trailing ? '' : 'x'}`.replace(/x$/, '')),
      fc.tuple(fc.array(fc.tuple(space, token), { maxLength: 14 }), fc.constantFrom('', '\r', ' ')).map(
        ([parts, end]) => `Node 0, zone Normal${parts.map(([s, t]) => s + t).join('')}${end}`,
      ),
      fc.tuple(fc.array(fc.tuple(space, token), { maxLength: 14 })).map(([parts]) => parts.map(([s, t]) => s + t).join('')),
    );
    fc.assert(
      fc.property(line, (text) => {
        const stripped = text.endsWith('\r') ? text.slice(0, -1) : text;
        const fast = scanZoneLine(`${stripped}\n`, 0, stripped.length, 's', 7);
        if (fast !== undefined) expect(fast).toEqual(general(text));
      }),
      { numRuns: 3000 },
    );
  });
});

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('the byte scanner', () => {
  it('reads a kernel line in the middle of a chunk and says where the next line starts', () => {
    const head = 'Mon Nov  2 10:00:00 UTC 2026\n';
    const line = 'Node 1, zone   Normal   4381   1093    185 \n';
    const b = utf8(`${head}${line}Node 1`);
    const scanner = new ZoneByteScanner();
    expect(scanner.scan(b, head.length, 's', 2)).toEqual({ node: 1, zone: 'Normal', free: [4381, 1093, 185], source: 's', line: 2 });
    expect(scanner.next).toBe(head.length + line.length);
  });

  it('takes a CRLF line end, as the string path strips the CR', () => {
    const b = utf8('Node 0, zone DMA 1 0 3\r\n');
    const scanner = new ZoneByteScanner();
    expect(scanner.scan(b, 0, 's', 1)?.free).toEqual([1, 0, 3]);
    expect(scanner.next).toBe(b.length);
  });

  it('hands every zone line of a name the same string, shared with the names it was given', () => {
    const names = ['Normal'];
    const scanner = new ZoneByteScanner(names);
    const a = scanner.scan(utf8('Node 0, zone DMA32 1\n'), 0, 's', 1);
    const b = scanner.scan(utf8('Node 1, zone Normal 2\n'), 0, 's', 2);
    expect(a?.zone).toBe('DMA32');
    expect(b?.zone).toBe(names[0]);
    expect(names).toEqual(['Normal', 'DMA32']);
  });

  it.each([
    ...UNUSUAL_LINES,
    'Node 0, zone Normal ',
    'Node 0, zone Normal 1\r 2',
    'Node 0, zone Normal 1 2\r\r',
    'Node 1234567890, zone Normal 1 2',
  ])('leaves %j to the string path', (text) => {
    expect(new ZoneByteScanner().scan(utf8(`${text}\n`), 0, 's', 1)).toBeUndefined();
  });

  it('reads every line it accepts as scanZoneLine and the general parser read its text (property)', () => {
    const space = fc.constantFrom(' ', '  ', '      ', '\t', ' \t', '\r');
    const token = fc.oneof(
      fc.nat(2_000_000).map(String),
      fc.constantFrom('007', '0', '9007199254740991', '1234567890123456', 'x1', '-3', 'Normal', ',', 'zone', 'Node', '1,', 'é', '½', '🙂', '\u00a0'),
    );
    const line = fc.oneof(
      fc
        .tuple(fc.nat(12), fc.constantFrom('DMA', 'DMA32', 'Normal', 'Movable', 'X,', 'é', 'Nor~mal'), fc.array(fc.nat(9_999_999), { maxLength: 17 }))
        .map(([node, zone, free]) => `Node ${node}, zone ${zone.padStart(8)} ${free.map((n) => `${String(n).padStart(6)} `).join('')}`),
      fc.tuple(fc.array(fc.tuple(space, token), { maxLength: 14 }), fc.constantFrom('', '\r', ' ', ' \r')).map(
        ([parts, end]) => `Node 0, zone Normal${parts.map(([sp, t]) => sp + t).join('')}${end}`,
      ),
      fc.tuple(fc.array(fc.tuple(space, token), { maxLength: 14 })).map(([parts]) => parts.map(([sp, t]) => sp + t).join('')),
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }), line, (before, text) => {
        // The line starts after another one, at an offset that is not 0.
        const head = utf8(`${before}\n`);
        const body = utf8(`${text}\n`);
        const b = new Uint8Array(head.length + body.length);
        b.set(head);
        b.set(body, head.length);
        const scanner = new ZoneByteScanner();
        const fast = scanner.scan(b, head.length, 's', 7);
        if (fast === undefined) return;
        accepted++;
        expect(scanner.next).toBe(b.length);
        const stripped = text.endsWith('\r') ? text.slice(0, -1) : text;
        expect(fast).toEqual(scanZoneLine(`${stripped}\n`, 0, stripped.length, 's', 7));
        expect(fast).toEqual(general(text));
      }),
      { numRuns: 3000 },
    );
    // Not a property that holds by never accepting anything.
    expect(accepted).toBeGreaterThan(300);
  });
});
