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

/**
 * Parses a size such as 4096, 4K, 16k, 64KiB, 64kB, 1M. `what` names the option for the message.
 * Page sizes must be a power of two, as every architecture's are.
 */
export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) {
    throw new InputError(`${what}: expected a size such as 4096, 4K or 64K, found "${text}".`);
  }
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * scale;
}

export function parsePageSize(text: string): number {
  const bytes = parseSize(text, '--page-size');
  if (bytes < 512 || (bytes & (bytes - 1)) !== 0) {
    throw new InputError(`--page-size: expected a power of two such as 4K, 16K or 64K, found "${text}".`);
  }
  return bytes;
}
