// The kernel choice for what the inputs hold: the release they state, else the shape of their last report's log.

import { chooseKernel, type KernelAsk, type KernelChoice, type KernelEvidence } from '../kernel/choice.js';
import type { StatedKernel } from '../model.js';
import type { FailureReport } from '../parse/report-types.js';
import { releaseFromLog } from './report-shape.js';

/**
 * Every command that replays the check asks this, so show, check, history and watch cannot disagree on
 * the same input; report asks kernelOfReport per report, which uses the same evidence in the same order.
 */
export function kernelOfMachine(m: { kernel?: StatedKernel; reports?: readonly FailureReport[] }, ask: KernelAsk): KernelChoice {
  const evidence: KernelEvidence = {};
  if (m.kernel !== undefined) evidence.stated = m.kernel;
  const last = [...(m.reports ?? [])].reverse().find((r) => r.zones.some((z) => z.free));
  const shape = last === undefined ? undefined : releaseFromLog(last, m.reports ?? []);
  if (shape !== undefined) evidence.shape = shape;
  return chooseKernel(ask, evidence);
}
