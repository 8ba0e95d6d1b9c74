// Kernel release strings: what they say (mainline series, stable sublevel, distribution suffix) and their order.

import { InputError } from '../model.js';

/**
 * A release as a user or a log writes it: "6.1.157", "v4.3", "2.6.32-431.el6.x86_64",
 * "3.10.0-1160.45.1.el7.x86_64", "6.6.119-09226-gd21866c9e0f4".
 */
export interface Release {
  /** As written, trimmed. */
  text: string;
  major: number;
  minor: number;
  /** 2.6's third number (2.6.32); 0 from 3.0, where the third number is the stable sublevel. */
  patch: number;
  /** The stable sublevel: 6.1.157 -> 157, 2.6.32.69 -> 69; 0 when the string gives none. */
  sublevel: number;
  /**
   * A plain upstream string (X.Y, X.Y.Z, with at most -rcN or a trailing "+"): its sublevel is a
   * kernel.org stable update. Anything else (RHEL's -1160.el7, Ubuntu's -91-generic, Android's -g<hash>)
   * is a distribution or vendor kernel, which backports on its own schedule (kernel.md 1a).
   */
  upstream: boolean;
}

/** The numbers, then whatever follows them; an optional "Linux version " or "v" before. */
const RELEASE = /^(?:linux\s+version\s+)?v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/is;
const PLAIN_SUFFIX = /^(?:-rc\d+)?\+?$/;

/** Reads a release string; throws InputError when it does not start like one. */
export function parseRelease(text: string): Release {
  const trimmed = text.trim();
  const m = RELEASE.exec(trimmed);
  const rest = m?.[5] ?? '';
  // "5.4x" is not a release; "5.4-rc1", "5.4.0-42" and "5.4 (builder@...)" are.
  if (!m || (rest !== '' && !/^[\s\-+_.~(#]/.test(rest))) {
    throw new InputError(
      `Kernel version "${text}" is not a kernel release: expected one like "5.4.0-42-generic", "6.1.157" or "v4.3" (major.minor first).`,
    );
  }
  const nums = [m[1], m[2], m[3], m[4]].map((d) => (d === undefined ? undefined : Number(d)));
  // No kernel has had a version number of six digits; a longer one is damage, not a release.
  if (nums.some((n) => n !== undefined && n > 99999) || [m[1], m[2], m[3], m[4]].some((d) => d !== undefined && d.length > 6)) {
    throw new InputError(`Kernel version "${text}" is not a kernel release: its numbers are too large for one.`);
  }
  const [major, minor, third, fourth] = nums as [number, number, number | undefined, number | undefined];
  const twoSix = major === 2;
  const release: Release = {
    text: trimmed.replace(/^linux\s+version\s+/i, '').split(/\s/)[0] ?? trimmed,
    major,
    minor,
    patch: twoSix ? (third ?? 0) : 0,
    sublevel: (twoSix ? fourth : third) ?? 0,
    upstream: PLAIN_SUFFIX.test(rest.split(/\s/)[0] ?? '') && (twoSix || fourth === undefined),
  };
  if (major < 2 || (major === 2 && minor < 6)) {
    throw new InputError(
      `Kernel version "${text}" predates 2.6: expected a 2.6 or later release, whose zone_watermark_ok the analyzer replays.`,
    );
  }
  return release;
}

/** Like parseRelease, but undefined instead of an error: for releases found in logs, which may be anything. */
export function tryRelease(text: string): Release | undefined {
  try {
    return parseRelease(text);
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
}

/** The mainline series: "6.1", "2.6.32". */
export function seriesOf(r: Release): string {
  return r.major === 2 ? `2.${r.minor}.${r.patch}` : `${r.major}.${r.minor}`;
}

/** A version as numbers, for comparing: [major, minor, patch, sublevel]. */
type Key = readonly [number, number, number, number];

function keyOf(r: Release): Key {
  return [r.major, r.minor, r.patch, r.sublevel];
}

/** "6.1", "2.6.38", "6.1.116" (series.sublevel), "2.6.32.60" as numbers. */
function keyOfText(v: string): Key {
  const p = v.split('.').map(Number);
  if (p[0] === 2) return [2, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0];
  return [p[0] ?? 0, p[1] ?? 0, 0, p[2] ?? 0];
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < 4; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Negative, zero or positive as release a is older than, the same as, or newer than b. */
export function compareReleases(a: Release, b: Release): number {
  return compareKeys(keyOf(a), keyOf(b));
}

/**
 * Whether the release is `version` ("4.4", "2.6.38") or a later series. Sublevels do not count: 4.4.0
 * and 4.4.302 are both "at least 4.4"; stableAtLeast asks about sublevels.
 */
export function atLeast(r: Release, version: string): boolean {
  const [a, b, c] = keyOfText(version);
  return compareKeys([r.major, r.minor, r.patch, 0], [a, b, c, 0]) >= 0;
}

/**
 * Whether a change that reached one stable branch at a sublevel is in the release: true for a later
 * series than the branch, for the branch from that sublevel on when the string is upstream, and false
 * otherwise (a distribution's sublevel says nothing about kernel.org stable updates).
 */
export function stableAtLeast(r: Release, branch: string, sublevel: number): boolean {
  const [a, b, c] = keyOfText(branch);
  const series = compareKeys([r.major, r.minor, r.patch, 0], [a, b, c, 0]);
  return series === 0 && r.upstream && r.sublevel >= sublevel;
}

/** Whether the release belongs to the branch ("6.1", "2.6.32"). */
export function inSeries(r: Release, branch: string): boolean {
  const [a, b, c] = keyOfText(branch);
  return r.major === a && r.minor === b && r.patch === c;
}
