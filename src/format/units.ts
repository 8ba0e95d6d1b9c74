// Sizes for people: bytes to KiB/MiB/GiB, and the page-size option's text to bytes.

import { InputError } from '../model.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/** 4096 -> "4 KiB", 12861440 -> "12.3 MiB": whole numbers stay whole, others keep one decimal. */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${UNITS[unit]}`;
}

/**
 * Whole numbers with comma thousands separators, the same on every machine. Written out rather than
 * toLocaleString('en-US'), whose first call loads ICU data: about 15 ms of every run's start-up.
 */
export function count(n: number): string {
  const sign = n < 0 ? '-' : '';
  const [whole = '0', frac] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** The bytes of a size such as 4096, 4K, 16k, 64KiB, 64kB, 1M; undefined when the text is none. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * scale;
}

/**
 * --page-size: a power of two, as every architecture's page size is. The message is the reason only: the
 * option and the value go before it (commands/options.ts).
 */
export function parsePageSize(text: string): number {
  const bytes = parseSize(text);
  if (bytes === undefined || bytes < 512 || (bytes & (bytes - 1)) !== 0) {
    throw new InputError('expected a page size that is a power of two (512 bytes or more), e.g. --page-size 16K.');
  }
  return bytes;
}
