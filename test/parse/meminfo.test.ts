// /proc/meminfo's swap lines.

import { describe, expect, it } from 'vitest';
import { meminfoSwap } from '../../src/parse/meminfo.js';

describe('meminfoSwap', () => {
  it('reads SwapFree and SwapTotal in kB, wherever they stand', () => {
    const text = 'MemTotal:       24562312 kB\nMemFree:        20120000 kB\nSwapCached:            0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\nZswap:                 0 kB\n';
    expect(meminfoSwap(text)).toEqual({ freeKiB: 0, totalKiB: 0 });
    expect(meminfoSwap('SwapFree:   512 kB\n')).toEqual({ freeKiB: 512 });
  });

  it('gives nothing for a text without SwapFree (SwapCached is another line)', () => {
    expect(meminfoSwap('MemTotal: 1 kB\nSwapCached: 10 kB\n')).toBeUndefined();
  });
});
