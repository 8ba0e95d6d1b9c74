// The watch frame on a terminal: rows counted as the terminal wraps them, cut to its height, drawn over the last.

import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/format/color.js';
import { clipFrame, drawFrame, renderWatchFrame, screenRows, type WatchSample } from '../../src/format/watch.js';

const c = await makeChalk(0);

describe('screenRows', () => {
  it.each([
    ['', 80, 1],
    ['x'.repeat(80), 80, 1],
    ['x'.repeat(81), 80, 2],
    ['x'.repeat(250), 80, 4],
    // colour takes no column; a CJK character takes two: 40 of them fill 80 columns
    [`\u001b[31m${'x'.repeat(80)}\u001b[39m`, 80, 1],
    ['古'.repeat(41), 80, 2],
  ])('%#: %s at %i columns takes %i rows', (line, columns, rows) => expect(screenRows(line, columns)).toBe(rows));
});

describe('clipFrame', () => {
  it('keeps a frame that fits as it is', () => {
    expect(clipFrame(['a', 'b', 'c'], 80, 3, c)).toEqual(['a', 'b', 'c']);
  });
  it('cuts by rows, not lines: a 200-column line is three rows at 80', () => {
    // rows: 1 + 3 + 1 + 1 = 6 > 5; keep while at most 4 rows are used, the fifth says what was cut
    const frame = ['verdict', 'h'.repeat(200), 'x', 'y'];
    expect(clipFrame(frame, 80, 5, c)).toEqual(['verdict', 'h'.repeat(200), '(2 more lines: a taller terminal shows them)']);
  });
  it('keeps the top: the verdict survives the shortest terminal', () => {
    expect(clipFrame(['PASS', 'a', 'b'], 80, 2, c)).toEqual(['PASS', '(2 more lines: a taller terminal shows them)']);
  });
});

describe('drawFrame', () => {
  it('homes the cursor, erases each line to its end and below the frame, with no newline after the last line', () => {
    expect(drawFrame(['ab', 'c'], 80)).toBe('\u001b[?2026h\u001b[Hab\u001b[K\nc\u001b[K\u001b[J\u001b[?2026l');
  });
  it('does not erase after a line that fills its last row exactly (the erase would take its last character)', () => {
    const full = 'x'.repeat(80);
    expect(drawFrame([full, ''], 80)).toBe(`\u001b[?2026h\u001b[H${full}\n\u001b[K\u001b[J\u001b[?2026l`);
  });
});

describe('renderWatchFrame', () => {
  // One zone of 11 orders with counts wide enough that the grid needs about 100 columns.
  const sample: WatchSample = {
    sample: 2,
    time: 1_700_000_002_000,
    started: 1_700_000_000_000,
    intervalMs: 2000,
    source: '/proc/buddyinfo',
    pageSize: 4096,
    zones: [
      {
        node: 0,
        zone: 'Normal',
        free: [123456, 23456, 3456, 456, 56, 6, 0, 0, 0, 0, 1],
        freePages: 123456 + 2 * 23456 + 4 * 3456 + 8 * 456 + 16 * 56 + 32 * 6 + 1024,
        largestOrder: 10,
        sinceLast: [-12345, 2345, -345, 45, -5, 0, 0, 0, 0, 0, 1],
        sinceStart: [-12345, 2345, -345, 45, -5, 0, 0, 0, 0, 0, 1],
        freeSinceLast: 1,
        freeSinceStart: 1,
      },
    ],
    gone: [],
    notes: [],
  };

  it('at 160 columns: one grid of all orders', () => {
    const lines = renderWatchFrame(sample, c, 160);
    expect(lines.filter((l) => /^\s+order\s/.test(l))).toHaveLength(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(160);
  });

  it('at 60 columns: the orders split into blocks that fit, every order still shown once', () => {
    const lines = renderWatchFrame(sample, c, 60);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    const orders = lines.filter((l) => /^\s+order\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
    expect(orders).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const blocks = lines.filter((l) => /^\s+blocks\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
    expect(blocks).toEqual(['123,456', '23,456', '3,456', '456', '56', '6', '0', '0', '0', '0', '1']);
  });
});
