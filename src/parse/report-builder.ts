// The report being read: its header, zones and lines collected until it is finished.

import type { FailureReport } from './report-types.js';

/** What the tokens of a free-area line say. */
export interface FreeAreaRead {
  counts: number[];
  sizesKiB: number[];
  letters: (string | undefined)[];
  totalKiB?: number;
  /** The line ends in "=": every order is there, the total was cut off. */
  totalCut?: boolean;
  /** "Normal: empty" (older kernels, unpopulated zone). */
  empty: boolean;
  /** The first token that is not a free-area item, when there was one before the total. */
  stray?: string;
  /** Text after the "= N kB" total. */
  trailing?: string;
  /** The first number of the line too large to hold exactly (2^53 or more), as printed. */
  tooBig?: string;
}

/** One `key:value` field of a zone line. */
export interface ZoneField {
  value: number;
  /** The digits as printed, for saying which value was too large. */
  digits: string;
  unit?: string;
}

export interface RawZone {
  node: number;
  zone: string;
  line?: number;
  fields?: Map<string, ZoneField>;
  /** The zone line's "all_unreclaimable? yes|no" (up to 4.7; later kernels print it on the node line). */
  allUnreclaimable?: boolean;
  lowmem?: number[];
  freeLine?: number;
  free?: FreeAreaRead;
}

export interface Builder {
  report: FailureReport;
  header: boolean;
  /** The flag names the header printed in brackets after the mode (4.5+), as printed. */
  printedNames?: string;
  memInfoLine?: number;
  /** show_mem went past its zone part: more zone lines start another report. */
  closed: boolean;
  zones: Map<string, RawZone>;
  lastZone?: RawZone;
  memcg: boolean;
  /** The last release a log line stated before this report began. */
  versionBefore?: { version: string; line: number; upstream?: string };
}

export function zoneOf(b: Builder, node: number, zone: string): RawZone {
  const key = `${node}/${zone}`;
  let z = b.zones.get(key);
  if (z === undefined) {
    z = { node, zone };
    b.zones.set(key, z);
  }
  return z;
}
