// The release a report's own shape implies, for a log that states none (kernel.md 1c: headers, fields, letters).

import { releasesPrinting } from '../kernel/gfp-decode.js';
import { NEWEST_RELEASE } from '../kernel/choice.js';
import { compareReleases, parseRelease } from '../kernel/release.js';
import type { FailureReport } from '../parse/report-types.js';

/** A span of releases [from, to] the shape fits, and why. */
interface Span {
  from: string;
  to: string;
  why: string;
}

/**
 * What the report's format says of its release: migratetype letters appear in 3.8 (M11) with R
 * (Reserve) up to 4.3 and H (HighAtomic) from 4.4; printed flag names arrive with 4.6 (M18), the
 * nodemask with 4.11, the cpuset glued to the header line with 5.0; free_highatomic with ~6.15 (M15);
 * the 2.6.32-2.6.37 header reads "failure." (warn_alloc_failed).
 */
function spanOf(report: FailureReport): Span | undefined {
  const letters = report.zones.flatMap((z) => z.types ?? []).join('');
  if (report.zones.some((z) => z.watermarks?.freeHighatomic !== undefined)) {
    // M15 (2025-04) added it: absent in 6.13.2, present in 6.18.2 (kernel.md 1c); the first release is not pinned.
    return { from: '6.14', to: NEWEST_RELEASE, why: 'its free_highatomic field (absent in 6.13, present in 6.18)' };
  }
  if (/R/.test(letters)) return { from: '3.8', to: '4.3', why: 'its R (Reserve) migratetype letters (3.8 to 4.3)' };
  const printed = report.flagsFrom === 'printed';
  if (/H/.test(letters) && !printed) return { from: '4.4', to: '4.5', why: 'its H (HighAtomic) letters without printed flag names (4.4 to 4.5)' };
  if (report.kind === 'oom') {
    // dump_header prints the nodemask between gfp_mask and order only in 4.9-4.20 (kernel.md 1c, 6).
    if (report.nodemask !== undefined) return { from: '4.9', to: '4.20', why: 'its OOM header with a nodemask (4.9 to 4.20)' };
    if (printed) return { from: '4.6', to: NEWEST_RELEASE, why: 'its OOM header with flag names and no nodemask (4.6 to 4.8, or 5.0 and later)' };
    return undefined;
  }
  if (printed && report.nodemask === undefined) {
    return { from: '4.6', to: '4.10', why: 'its printed GFP flag names without a nodemask (4.6 to 4.10)' };
  }
  if (printed || report.nodemask !== undefined) {
    // 4.11-4.20 print the cpuset on a line of its own; 5.0 glued it to the header (kernel.md 1c).
    const glued = report.cpusetOnHeader === true;
    return glued
      ? { from: '5.0', to: NEWEST_RELEASE, why: 'its flag names, nodemask and cpuset on the header line (5.0 and later)' }
      : { from: '4.11', to: '4.20', why: 'its flag names and nodemask with the cpuset on a line of its own (4.11 to 4.20)' };
  }
  if (report.headerDot) return { from: '2.6.32', to: '2.6.37', why: 'its "page allocation failure." header (2.6.32 to 2.6.37)' };
  return undefined;
}

/**
 * The release to replay a report by when its log states none: the newest release its shape allows,
 * narrowed by the GFP bit values that print its mode as its flag names. Undefined when the shape says
 * nothing; the reason says the span, so the user can choose another release with --kernel.
 */
export function releaseFromShape(report: FailureReport): { release: string; why: string; from: string } | undefined {
  const span = spanOf(report);
  if (span === undefined) return undefined;
  let to = span.to;
  let why = span.why;
  if (report.flagsFrom === 'printed' && report.modeValue !== undefined && report.flags !== undefined) {
    const from = parseRelease(span.from);
    const fits = releasesPrinting(report.modeValue, report.flags).filter(
      (r) => (r.before === undefined || compareReleases(parseRelease(r.before), from) > 0) && compareReleases(parseRelease(r.from), parseRelease(to)) <= 0,
    );
    const last = fits[fits.length - 1];
    if (last?.before !== undefined && compareReleases(parseRelease(last.before), parseRelease(to)) <= 0) {
      to = previousSeries(last.before);
      why += `, and its mode ${report.mode} printing as ${report.flags.join('|')}, which the GFP bit values of ${last.from} to ${to} do`;
    }
  }
  return { release: to, why: `${why}; --kernel VERSION names the release`, from: span.from };
}

const shapes = new WeakMap<FailureReport, ReturnType<typeof releaseFromShape> | null>();

function cachedShape(r: FailureReport): ReturnType<typeof releaseFromShape> {
  let s = shapes.get(r);
  if (s === undefined) {
    s = releaseFromShape(r) ?? null;
    shapes.set(r, s);
  }
  return s ?? undefined;
}

/**
 * The shape a report's log gives it: its own, else that of the nearest report of the same source that
 * has one. One log is one box, as a banner anywhere in the log stands for every report in it; a Mem-Info
 * dump printed without a header (nommu, sysrq) would otherwise be replayed by today's rules.
 */
export function releaseFromLog(report: FailureReport, reports: readonly FailureReport[]): ReturnType<typeof releaseFromShape> {
  const own = cachedShape(report);
  if (own !== undefined) return own;
  let best: { shape: NonNullable<ReturnType<typeof releaseFromShape>>; line: number } | undefined;
  for (const r of reports) {
    if (r === report || r.source !== report.source) continue;
    if (best !== undefined && Math.abs(r.line - report.line) >= Math.abs(best.line - report.line)) continue;
    const shape = cachedShape(r);
    if (shape !== undefined) best = { shape, line: r.line };
  }
  if (best === undefined) return undefined;
  return { ...best.shape, why: `the report on line ${best.line} of the same log: ${best.shape.why}` };
}

/** The series before a first release: "4.10" -> "4.9", "5.1" -> "5.0", "6.0" -> "5.19". */
function previousSeries(first: string): string {
  const [major, minor] = first.split('.').map(Number) as [number, number];
  if (minor > 0) return `${major}.${minor - 1}`;
  return major === 6 ? '5.19' : major === 5 ? '4.20' : major === 4 ? '3.19' : '2.6.39';
}
