// The byte axes' tick steps: whole binary units, where uPlot's decimal steps gave 4.8 MiB and 9.5 MiB.

import { describe, expect, it } from 'vitest';
import { BYTE_INCRS } from '../../../src/format/html/client/theme.js';
import { humanBytes } from '../../../src/format/units.js';

describe('BYTE_INCRS', () => {
  it('are powers of two, each a whole number of its unit', () => {
    expect(BYTE_INCRS.slice(0, 4)).toEqual([1, 2, 4, 8]);
    for (const step of BYTE_INCRS) {
      expect(Math.log2(step) % 1).toBe(0);
      // 4 KiB, 8 MiB, 1 GiB: never a decimal point; ticks are multiples of the step, so they are whole too.
      if (step < 2 ** 60) expect(humanBytes(step), String(step)).toMatch(/^\d+ (B|KiB|MiB|GiB|TiB|PiB)$/);
    }
  });
});
