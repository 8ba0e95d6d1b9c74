// For show's exposition: per order, whether the walk serves the default request, and each zone's next code.

import type { KernelChoice } from '../kernel/choice.js';
import { zoneKey } from '../kernel/zones.js';
import { InputError, type Machine } from '../model.js';
import type { NextCode } from './codes.js';
import { gfpProfile } from './gfp-request.js';
import { addNextStep } from './next-step.js';
import type { Threshold } from './next-types.js';
import type { Mark, VerdictsByZone } from './show-verdicts.js';
import { checkMachine } from './zonelist.js';

export interface ShowNext {
  /** Per mark, per order: some zone of the GFP_KERNEL walk passes, so the allocation succeeds now. */
  allocationOk: Record<string, boolean[]>;
  /** Per zone (zoneKey), per order at the min mark: the zone's next code; null where it can never serve the order. */
  zones: Map<string, (NextCode | null)[]>;
}

/**
 * The walk verdict follows from the zones' own (the first zone that passes serves it), so it needs no
 * replay; the next codes need one replay per order at the min mark, with the next-step analysis.
 */
export function showNext(machine: Machine, kernel: KernelChoice, verdicts: VerdictsByZone, marks: readonly Mark[], threshold: Threshold): ShowNext {
  const last = machine.snapshots[machine.snapshots.length - 1];
  const orders = Math.max(0, ...(last?.zones ?? []).map((z) => z.free.length));
  const allocationOk: Record<string, boolean[]> = {};
  for (const mark of marks) {
    const best = Math.max(-1, ...[...verdicts.values()].map((m) => m.get(mark)?.largestPassingOrder ?? -1));
    allocationOk[mark] = Array.from({ length: orders }, (_, o) => o <= best);
  }
  const zones = new Map<string, (NextCode | null)[]>();
  const gfp = gfpProfile('kernel');
  const input = { zones: last?.zones ?? [], watermarks: machine.watermarks, types: machine.types.length > 0 ? machine.types : undefined };
  for (let order = 0; order < orders; order++) {
    const req = { order, mark: 'min' as const, gfp, kernel };
    let r;
    try {
      r = checkMachine(input, req);
    } catch (err) {
      // A zone without watermarks stops the whole walk; the zones that have them keep their verdicts.
      if (err instanceof InputError) break;
      throw err;
    }
    addNextStep(r, input, req, { threshold });
    for (const z of r.zones) {
      const row = zones.get(zoneKey(z)) ?? Array.from({ length: orders }, () => null);
      row[order] = z.serves && z.next !== undefined ? z.next : null;
      zones.set(zoneKey(z), row);
    }
  }
  return { allocationOk, zones };
}
