// Numbers and names as every part of the report reader checks and words them.

import type { FailureReport } from './report-types.js';

/** A printed decimal as a number, or undefined when it is 2^53 or more and a double would round it. */
export function exact(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Why a number was dropped, for problem messages. */
export function tooLarge(digits: string): string {
  return `${digits} is too large to hold exactly (2^53 or more)`;
}

/** A page size the kernel can have: a power of two of at least 1 kB (4 kB, 16 kB, 64 kB, 256 kB...). */
export function isPageSizeKiB(kib: number): boolean {
  if (!Number.isSafeInteger(kib) || kib < 1) return false;
  let p = 1;
  while (p < kib) p *= 2;
  return p === kib;
}

export function note(r: FailureReport, line: number, message: string): void {
  r.problems.push({ line, message });
}

export function zoneLabel(z: { node: number; zone: string }): string {
  return `Node ${z.node} ${z.zone}`;
}
