// The kernel choice for what the inputs hold: the release they state, else the shape of their last report's log.

import { chooseKernel, type KernelAsk, type KernelChoice, type KernelEvidence } from '../kernel/choice.js';
import type { StatedKernel, ZoneTypes } from '../model.js';
import type { FailureReport } from '../parse/report-types.js';
import { releaseFromLog } from './report-shape.js';

/**
 * Every command that replays the check asks this, so show, check, history and watch cannot disagree on
 * the same input; report asks kernelOfReport per report, which uses the same evidence in the same order.
 */
export function kernelOfMachine(
  m: { kernel?: StatedKernel; reports?: readonly FailureReport[]; types?: readonly ZoneTypes[] },
  ask: KernelAsk,
): KernelChoice {
  const evidence: KernelEvidence = {};
  if (m.kernel !== undefined) evidence.stated = m.kernel;
  const last = [...(m.reports ?? [])].reverse().find((r) => r.zones.some((z) => z.free));
  const shape = last === undefined ? undefined : releaseFromLog(last, m.reports ?? []);
  if (shape !== undefined) evidence.shape = shape;
  else if (m.types?.some((t) => 'Reserve' in t.free)) {
    // MIGRATE_RESERVE, a list any request may fall back to, was removed in 4.4 (974a786, "remove
    // MIGRATE_RESERVE", kernel.md M3): today's rules have no such list, and would take its blocks for unusable ones.
    evidence.shape = { release: '4.3', why: "its pagetypeinfo's Reserve list: only kernels before 4.4 have one, and 4.3 is the last of them" };
  }
  return chooseKernel(ask, evidence);
}
