// Replays the request of one allocation-failure or OOM report over the zones it printed, and explains it.

import { chooseKernel, gfpRelease, type KernelAsk, type KernelChoice } from '../kernel/choice.js';
import { compareReleases, parseRelease, seriesOf } from '../kernel/release.js';
import { InputError, type GfpRequest, type ZoneFree, type ZoneTypes, type ZoneWatermarks } from '../model.js';
import type { FailureReport, ReportProblem } from '../parse/report-types.js';
import { allocFlags, pathForMark } from './alloc-flags.js';
import { allowedNodesOf } from './allowed-nodes.js';
import { explain, type Reason } from './explain.js';
import { gfpProfile, requestFromGfp } from './gfp-request.js';
import { releaseFromLog } from './report-shape.js';
import { DEFAULT_EXTFRAG_THRESHOLD } from './compaction.js';
import { addNextStep } from './next-step.js';
import { diagnoseOom, type OomDiagnosis } from './oom.js';
import { DEFAULT_PROACTIVENESS, proactiveScore } from './proactive.js';
import type { Threshold } from './next-types.js';
import { actionsFor, pageblockOf } from './actions.js';
import { checkMachine, layoutOf, type CheckRequest, type CheckResult, type ZoneResult } from './zonelist.js';

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
export function kernelOfReport(report: FailureReport, ask: KernelAsk, log: readonly FailureReport[] = [report]): KernelChoice {
  const shape = releaseFromLog(report, log);
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
  // "gfp_mask=0x0()" (the page-fault OOM path, pagefault_out_of_memory) prints no names: the value says it all.
  if (report.flags && report.flagsFrom === 'printed' && (report.flags.length > 0 || report.modeValue === undefined)) {
    return requestFromGfp(report.flags, at);
  }
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
  /** For an OOM report: which kind of OOM it was (kernel.md 6), with the facts it rests on. */
  oom?: OomDiagnosis;
}

/**
 * Replays a report: its order and mode over the nodes its mems_allowed/nodemask allow, the same state
 * under 4.4's rules for a legacy kernel (would the modern check have passed?), and the zones outside the
 * allowed nodes that would have served it; then the reasons.
 */
export function replayReport(
  report: FailureReport,
  state: ReportState,
  opts: { ask: KernelAsk; mark: 'min' | 'low' | 'high'; pageSize: number; threshold?: Threshold; log?: readonly FailureReport[] },
): ReportReplay {
  const kernel = kernelOfReport(report, opts.ask, opts.log);
  const problems = [...report.problems];
  // A memory cgroup OOM is a limit event: no zone-watermark replay (kernel.md 6).
  const first = diagnoseOom(report, null, opts.pageSize);
  if (first?.code === 'OOM_MEMCG_LIMIT') {
    // That such a report prints no zone lines is expected, not something that could not be read.
    const kept = problems.filter((p) => !p.message.includes('a memory cgroup OOM prints no zone state'));
    return { kernel, check: null, why: [{ code: first.code, text: first.text }], problems: kept, oom: first };
  }
  let check: CheckResult | null = null;
  let modern: CheckResult | null = null;
  let excludedPassing: ZoneResult[] = [];
  if (report.order !== null && state.zones.length > 0) {
    const order = report.order;
    const requestOf = (k: KernelChoice): CheckRequest => ({ order, mark: opts.mark, gfp: requestOfReport(report, gfpRelease(k)), kernel: k });
    const allowed = allowedNodesOf(report, allocFlags(requestOf(kernel).gfp, kernel.rules, order, { path: pathForMark(opts.mark) }))?.nodes;
    const inside = allowed ? state.zones.filter((z) => allowed.has(z.node)) : state.zones;
    const outside = allowed ? state.zones.filter((z) => !allowed.has(z.node)) : [];
    const run = (zones: ZoneFree[], k: KernelChoice): CheckResult | null => {
      if (zones.length === 0) return null;
      return checkMachine({ zones, watermarks: state.watermarks, types: state.types }, requestOf(k));
    };
    try {
      check = run(inside, kernel);
      if (check) {
        // What the kernel did next, over the allowed zones; a zone the report lost keeps the walk from
        // being called one that can never serve the request.
        const threshold = opts.threshold ?? { value: DEFAULT_EXTFRAG_THRESHOLD, source: 'the default, 500 in every release' };
        const incomplete = report.zones.some((z) => !z.free);
        const swap = report.memInfo?.freeSwapKiB;
        const nextOpts = { threshold, incomplete, ...(swap === undefined ? {} : { freeSwapKiB: swap }) };
        addNextStep(check, { zones: inside, watermarks: state.watermarks, types: state.types }, requestOf(kernel), nextOpts);
        const proactiveness = { value: DEFAULT_PROACTIVENESS, source: 'the default: a report does not state it' };
        const proactive = proactiveScore(state.zones, state.watermarks, { era: kernel.rules.proactive, pageSize: opts.pageSize, proactiveness });
        if (proactive !== undefined) check.proactive = proactive;
        if (check.next !== undefined) {
          const input = { zones: inside, watermarks: state.watermarks, types: state.types };
          const ctx = { input, req: requestOf(kernel), layout: layoutOf(input), pageSize: opts.pageSize, proactive, pageblockPages: pageblockOf(input, opts.pageSize) };
          check.next.actions = actionsFor(check, ctx);
        }
      }
      if (check && check.algorithm === 'legacy') modern = run(inside, chooseKernel({ kernel: '4.4' }));
      excludedPassing = run(outside, kernel)?.zones.filter((z) => z.ok) ?? [];
    } catch (err) {
      // A zone without watermarks (a cut zone line) leaves the replay impossible, not the report unreadable.
      if (!(err instanceof InputError)) throw err;
      problems.push({ line: report.line, message: `the check cannot be replayed: ${err.message}` });
    }
  }
  const why = report.order === null ? [] : explain({ report, check, modern, excludedPassing, pageSize: opts.pageSize });
  const oom = diagnoseOom(report, check, opts.pageSize);
  if (oom === undefined) return { kernel, check, why, problems };
  // The kind of OOM comes first; without zone lines it replaces "no zone data" when the report says enough.
  const rest = oom.code === 'OOM_FORCED' || (check === null && oom.use !== null) ? why.filter((w) => w.code !== 'NO_ZONE_DATA') : why;
  return { kernel, check, why: [{ code: oom.code, text: oom.text }, ...rest], problems, oom };
}
