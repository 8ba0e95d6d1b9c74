// Tests for the buddyinfo parser: real captures, every tolerance, every error, and a round trip.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model.js';
import { formatBuddyinfo, parseBuddyinfo } from '../../src/parse/buddyinfo.js';
import { fixture } from '../helpers/io.js';

/** The error a parse throws, for asserting its message names the line. */
function parseError(text: string): InputError {
  try {
    parseBuddyinfo(text, 'paste.txt');
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('real captures', () => {
  it('reads the prometheus procfs fixture (no trailing spaces)', () => {
    const [snap, ...more] = parseBuddyinfo(fixture('buddyinfo-procfs-x86_64.txt'), 'f');
    expect(more).toHaveLength(0);
    expect(snap?.zones.map((z) => [z.node, z.zone, z.line])).toEqual([
      [0, 'DMA', 1],
      [0, 'DMA32', 2],
      [0, 'Normal', 3],
    ]);
    expect(snap?.zones[2]?.free).toEqual([4381, 1093, 185, 1530, 567, 102, 4, 0, 0, 0, 0]);
  });

  it('reads a raw ChromeOS 6.6 capture with the kernel\'s trailing spaces', () => {
    const [snap] = parseBuddyinfo(fixture('buddyinfo-chromeos-6.6.txt'), 'f');
    expect(snap?.zones[1]?.free).toEqual([2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 437]);
    expect(snap?.zones[2]?.free).toEqual([11464, 8694, 2694, 1152, 664, 341, 124, 44, 12, 7, 382]);
  });

  it('reads two nodes', () => {
    const [snap] = parseBuddyinfo(fixture('buddyinfo-two-node.txt'), 'f');
    expect(snap?.zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA', '0/DMA32', '0/Normal', '1/Normal']);
  });
});

describe('the kernel format in all its variety', () => {
  it('takes any number of orders, any zone name, any node id, counts wider than the field', () => {
    const text = [
      'Node 10, zone   Device      1      2      3      4      5 ',
      'Node 11, zone  HighMem 12345678      0      1      0      0 ',
    ].join('\n');
    const [snap] = parseBuddyinfo(text, 'f');
    expect(snap?.zones[0]).toMatchObject({ node: 10, zone: 'Device', free: [1, 2, 3, 4, 5] });
    expect(snap?.zones[1]).toMatchObject({ node: 11, zone: 'HighMem', free: [12345678, 0, 1, 0, 0] });
  });

  it('takes 17 orders (ia64 with hugetlb)', () => {
    const counts = Array.from({ length: 17 }, (_, i) => i);
    const [snap] = parseBuddyinfo(`Node 0, zone Normal ${counts.join(' ')}\n`, 'f');
    expect(snap?.zones[0]?.free).toEqual(counts);
  });

  it('tolerates tabs, CRLF, blank lines, prompts, other lines and no final newline', () => {
    const text = [
      '$ cat /proc/buddyinfo\r',
      '',
      'Node 0, zone\tDMA\t1\t2\t3 \r',
      'some unrelated line',
      'root@box:~# ',
      'Node 0, zone   Normal      4      5      6',
    ].join('\n');
    const [snap] = parseBuddyinfo(text, 'f');
    expect(snap?.zones.map((z) => z.free)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(snap?.zones[1]?.line).toBe(6);
  });

  it('rejoins a zone line a mail client wrapped', () => {
    const text = [
      'Node 0, zone   Normal   4381   1093    185   1530',
      '   567    102      4      0      0      0      0 ',
      'Node 0, zone   Movable      1      2      3      4      5      6      7      8      9     10     11 ',
    ].join('\n');
    const [snap] = parseBuddyinfo(text, 'f');
    expect(snap?.zones[0]?.free).toEqual([4381, 1093, 185, 1530, 567, 102, 4, 0, 0, 0, 0]);
    expect(snap?.zones[1]?.free).toHaveLength(11);
  });

  it('does not let a line of numbers grow a zone past the column count of the first zone', () => {
    const text = ['Node 0, zone DMA 1 2 3', 'Node 0, zone Normal 4 5 6', '7 8 9'].join('\n');
    const err = parseError(text);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/a line of numbers that does not continue the zone line before it \(line 2\)/);
  });

  it('takes an epoch-seconds line between snapshots for a timestamp, not a count', () => {
    // a one-zone box logged with `date +%s; cat /proc/buddyinfo`: 11 orders, then 1700000000
    const text = 'Node 0, zone Normal 1 1 1 1 1 1 1 1 1 1 1\n1700000000\nNode 0, zone Normal 2 2 2 2 2 2 2 2 2 2 2\n';
    const snaps = parseBuddyinfo(text, 'f');
    expect(snaps.map((s) => s.zones[0]?.free.length)).toEqual([11, 11]);
  });

  it('a line of numbers away from any zone line is not data: skipped', () => {
    const [snap] = parseBuddyinfo('$ cat /proc/sys/vm/min_free_kbytes\n67584\nNode 0, zone Normal 1 2\n', 'f');
    expect(snap?.zones[0]?.free).toEqual([1, 2]);
  });

  it('starts a new snapshot when a node and zone repeat', () => {
    const one = 'Node 0, zone DMA 1 1\nNode 0, zone Normal 2 2\n';
    const two = 'Node 0, zone DMA 3 3\nNode 0, zone Normal 4 4\n';
    const snaps = parseBuddyinfo(`Mon Nov 2 10:00:00 UTC 2026\n${one}Mon Nov 2 10:01:00 UTC 2026\n${two}`, 'f');
    expect(snaps).toHaveLength(2);
    expect(snaps[1]?.zones[1]?.free).toEqual([4, 4]);
  });
});

describe('bad input names the source and the line', () => {
  it.each([
    ['a node that is not a number', 'Node 0, zone DMA 1 2\nNode x, zone Normal 1 2\n', 2, /node number/],
    ['a non-numeric count', 'Node 0, zone DMA 1 2\nNode 0, zone Normal 1 two\n', 2, /column 2.*"two"/],
    ['a negative count', 'Node 0, zone Normal 1 -2 3\n', 1, /negative/],
    ['a count above 2^53', 'Node 0, zone Normal 1 9007199254740993\n', 1, /above 2\^53/],
    ['a zone line with no counts', 'Node 0, zone Normal\nfoo\n', 1, /found none/],
    // 2^52 - 1 blocks of order 10 are (2^52 - 1) * 1024 pages, past 2^53 - 1: no total would be exact.
    ['counts whose pages pass 2^53', 'Node 0, zone Normal 1 0 0 0 0 0 0 0 0 0 4503599627370495\n', 1, /add up to more than 9,007,199,254,740,991 pages/],
    ['a zone line cut before its name', 'Node 0, zone\n', 1, /expected a zone line/],
    ['zones with different numbers of orders', 'Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2\n', 2, /expected 3 free counts/],
  ])('%s', (_, text, line, message) => {
    const err = parseError(text);
    expect(err.line).toBe(line);
    expect(err.message).toContain(`paste.txt, line ${line}`);
    expect(err.message).toMatch(message);
  });

  it('a text with no zone line at all', () => {
    const err = parseError('hello\nworld\n');
    expect(err.message).toMatch(/paste\.txt: expected \/proc\/buddyinfo lines.*found no zone line/);
  });

  it('accepts exactly 2^53 - 1, the largest exact count', () => {
    const [snap] = parseBuddyinfo('Node 0, zone Normal 9007199254740991 0\n', 'f');
    expect(snap?.zones[0]?.free[0]).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('printing in the kernel format', () => {
  it('matches a raw capture byte for byte', () => {
    const text = fixture('buddyinfo-chromeos-6.6.txt');
    const [snap] = parseBuddyinfo(text, 'f');
    expect(snap && formatBuddyinfo(snap)).toBe(text);
  });

  it('parses back to the same snapshot (property)', () => {
    const zoneName = fc.constantFrom('DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device');
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 17 }),
        fc.uniqueArray(fc.tuple(fc.nat(12), zoneName), { minLength: 1, maxLength: 6, selector: ([n, z]) => `${n}${z}` }),
        fc.array(fc.oneof(fc.nat(50), fc.nat(), fc.maxSafeNat()), { minLength: 6 * 17, maxLength: 6 * 17 }),
        (orders, ids, pool) => {
          const zones = ids.map(([node, zone], i) => ({
            node,
            zone,
            // As large as a zone can hold: its pages (count * 2^order, summed) stay below 2^53.
            free: pool.slice(i * orders, (i + 1) * orders).map((v, o) => Math.min(v, Math.floor(Number.MAX_SAFE_INTEGER / (orders * 2 ** o)))),
            source: 'p',
            line: i + 1,
          }));
          const [back, ...rest] = parseBuddyinfo(formatBuddyinfo({ zones }), 'p');
          expect(rest).toHaveLength(0);
          expect(back?.zones).toEqual(zones);
        },
      ),
    );
  });
});

describe('zone lines typed by hand', () => {
  it('reads "node 0, zone" in any case and "Node 0,zone" without the space', () => {
    const [snap] = parseBuddyinfo('node 0, zone DMA 1 2\nNode 0,zone Normal 3 4\nNODE 1 , ZONE Normal 5 6\n', 'f');
    expect(snap?.zones.map((z) => [z.node, z.zone, ...z.free])).toEqual([
      [0, 'DMA', 1, 2],
      [0, 'Normal', 3, 4],
      [1, 'Normal', 5, 6],
    ]);
  });

  it('refuses more orders than any kernel has (17)', () => {
    const err = parseError(`Node 0, zone Normal ${Array.from({ length: 18 }, () => 1).join(' ')}\n`);
    expect(err.message).toMatch(/line 1: expected at most 17 free counts/);
  });
});
