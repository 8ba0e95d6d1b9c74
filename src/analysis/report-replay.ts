// Replays the request of one allocation-failure or OOM report over the zones it printed, and explains it.

import { chooseKernel, gfpRelease, type KernelAsk, type KernelChoice } from '../kernel/choice.js';
import { compareReleases, parseRelease, seriesOf } from '../kernel/release.js';
import { InputError, type GfpRequest, type ZoneFree, type ZoneTypes, type ZoneWatermarks } from '../model.js';
import { parseNodeList } from '../parse/nodelist.js';
import type { FailureReport, ReportProblem } from '../parse/report-types.js';
import { explain, type Reason } from './explain.js';
import { gfpProfile, requestFromGfp } from './gfp-request.js';
import { releaseFromShape } from './report-shape.js';
import { checkMachine, type CheckResult, type ZoneResult } from './zonelist.js';

/** What a report says of its zones, in the model the check takes. */
export interface ReportState {
  zones: ZoneFree[];
  watermarks: ZoneWatermarks[];
  types: ZoneTypes[];
}

/**
 * The kernel choice for one report: --kernel, else the release its log states (its own dump_stack
 * line, the last banner before it, else one anywhere in the log), else its shape, else the newest. When
 * the log states a release and the shape points elsewhere, a note says so.
 */
export function kernelOfReport(report: FailureReport, ask: KernelAsk): KernelChoice {
  const shape = releaseFromShape(report);
  const stated =
    report.kernel === undefined
      ? undefined
      : {
          version: report.kernel,
          origin: `${report.source}, line ${report.kernelLine ?? report.line}`,
          ...(report.kernelUpstream === undefined ? {} : { upstream: report.kernelUpstream }),
        };
  const choice = chooseKernel(ask, { ...(stated ? { stated } : {}), ...(shape ? { shape } : {}) });
  if (stated !== undefined && shape !== undefined && choice.origin === 'input') {
    // The shape fits a span of releases; a stated release outside it means a backport or a mislabelled log.
    const r = parseRelease(stated.version);
    const series = parseRelease(seriesOf(r));
    const outside = compareReleases(series, parseRelease(shape.from)) < 0 || compareReleases(series, parseRelease(shape.release)) > 0;
    if (outside) {
      choice.notes.push(
        `The log states ${stated.version}, but the report's shape fits ${shape.from} to ${shape.release} (${shape.why.replace(/; --kernel.*$/, '')}): the stated release is replayed.`,
      );
    }
  }
  return choice;
}

/** The request of a report, in the terms the check takes; `check` replays the same. */
export function requestOfReport(report: FailureReport, at: string): GfpRequest {
  if (report.flags && report.flagsFrom === 'printed') return requestFromGfp(report.flags, at);
  if (report.modeValue !== undefined) {
    // The names shown were decoded with the bit values of the kernel that logged the report (2.6.32-4.5's
    // when it states none: a header without names predates 4.6). Replay those names: decoding the value
    // again with the replayed kernel's bits could misread it (0xd0 is GFP_KERNEL up to 4.3, but has no
    // __GFP_DIRECT_RECLAIM in 6.x's layout).
    if (report.flags && report.flags.length > 0) {
      return { ...requestFromGfp(report.flags, at), name: `${report.mode} (${report.flags.join('|')})` };
    }
    return requestFromGfp(report.modeValue, at);
  }
  return gfpProfile('kernel');
}

export interface ReportReplay {
  kernel: KernelChoice;
  /** The replay over the zones the request was allowed to use; null when it could not be replayed. */
  check: CheckResult | null;
  why: Reason[];
  problems: ReportProblem[];
}

/**
 * Replays a report: its order and mode over the nodes its mems_allowed/nodemask allow, the same state
 * under 4.4's rules for a legacy kernel (would the modern check have passed?), and the zones outside the
 * allowed nodes that would have served it; then the reasons.
 */
export function replayReport(
  report: FailureReport,
  state: ReportState,
  opts: { ask: KernelAsk; mark: 'min' | 'low' | 'high'; pageSize: number },
): ReportReplay {
  const kernel = kernelOfReport(report, opts.ask);
  const problems = [...report.problems];
  let check: CheckResult | null = null;
  let modern: CheckResult | null = null;
  let excludedPassing: ZoneResult[] = [];
  if (report.order !== null && state.zones.length > 0) {
    const allowed = parseNodeList(report.memsAllowed) ?? parseNodeList(report.nodemask);
    const inside = allowed ? state.zones.filter((z) => allowed.has(z.node)) : state.zones;
    const outside = allowed ? state.zones.filter((z) => !allowed.has(z.node)) : [];
    const order = report.order;
    const run = (zones: ZoneFree[], k: KernelChoice): CheckResult | null => {
      if (zones.length === 0) return null;
      const gfp = requestOfReport(report, gfpRelease(k));
      return checkMachine({ zones, watermarks: state.watermarks, types: state.types }, { order, mark: opts.mark, gfp, kernel: k });
    };
    try {
      check = run(inside, kernel);
      if (check && check.algorithm === 'legacy') modern = run(inside, chooseKernel({ kernel: '4.4' }));
      excludedPassing = run(outside, kernel)?.zones.filter((z) => z.ok) ?? [];
    } catch (err) {
      // A zone without watermarks (a cut zone line) leaves the replay impossible, not the report unreadable.
      if (!(err instanceof InputError)) throw err;
      problems.push({ line: report.line, message: `the check cannot be replayed: ${err.message}` });
    }
  }
  const why = report.order === null ? [] : explain({ report, check, modern, excludedPassing, pageSize: opts.pageSize });
  return { kernel, check, why, problems };
}
