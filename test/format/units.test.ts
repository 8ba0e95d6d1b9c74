// Tests for the size and count helpers every view uses.

import { describe, expect, it } from 'vitest';
import { count, humanBytes, parsePageSize, parseSize } from '../../src/format/units.js';
import { InputError } from '../../src/model.js';

describe('count', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-1234, '-1,234'],
    [12345.25, '12,345.25'],
  ])('%d -> %s', (n, text) => expect(count(n)).toBe(text));
});

describe('humanBytes', () => {
  it.each([
    [0, '0 B'],
    [4096, '4 KiB'],
    [65536, '64 KiB'],
    [4 * 1024 * 1024, '4 MiB'],
    // 12560 KiB = 12.265625 MiB
    [12560 * 1024, '12.3 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
    [-476 * 1024, '-476 KiB'],
    // order 63 of 4 KiB pages: 2^63 * 2^12 = 2^75 bytes = 2^5 ZiB
    [2 ** 75, '32 ZiB'],
  ])('%d -> %s', (n, text) => expect(humanBytes(n)).toBe(text));
});

describe('sizes and page sizes', () => {
  it.each([
    ['4096', 4096],
    ['4K', 4096],
    ['16k', 16384],
    ['64KiB', 65536],
    ['64kB', 65536],
    ['2M', 2 * 1024 * 1024],
  ])('%s -> %d', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it('refuses what is not a size, or a page size that is not a power of two', () => {
    expect(parseSize('big')).toBeUndefined();
    expect(() => parsePageSize('big')).toThrow(InputError);
    expect(() => parsePageSize('3000')).toThrow(/power of two/);
    expect(() => parsePageSize('256')).toThrow(/power of two/);
  });
});
