// Tests for the history renderers' pieces: the sparkline's levels and durations.

import { describe, expect, it } from 'vitest';
import { duration, sparkline } from '../../src/format/history.js';

describe('sparkline', () => {
  it('spreads -1 (no free block) to the max order over the eight blocks', () => {
    // max order 10: 12 values on 8 levels, level = round((o + 1) * 7 / 11)
    // -1 0 1 2 3 4 5 6 7 8 9 10 -> 0 1 1 2 3 3 4 4 5 6 6 7
    expect(sparkline([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)).toBe('▁▂▂▃▄▄▅▅▆▇▇█');
  });

  it('a space where the zone was absent', () => {
    expect(sparkline([null, 7, null], 7)).toBe(' █ ');
  });

  it('a zone with a single order still has a top and a bottom', () => {
    // max order 0: -1 -> 0, 0 -> round(1 * 7 / 1) = 7
    expect(sparkline([-1, 0], 0)).toBe('▁█');
  });
});

describe('duration', () => {
  it.each([
    [0.25, '250ms'],
    [2.5, '2.5s'],
    [42, '42s'],
    [725, '12m 5s'],
    [12000, '3h 20m'],
    // 190000 s = 2 d (172800) + 4 h (14400) + 46 m (2760) + 40 s
    [190000, '2d 4h 46m'],
  ])('%d s is %s', (s, text) => {
    expect(duration(s)).toBe(text);
  });
});
