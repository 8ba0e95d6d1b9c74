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
 * replay; the next codes need one replay per order at the min mark, with the next-step analysis, except
 * at an order every zone of the walk passes or can never serve: each zone's code is then CHECK_PASSES or
 * none, as zoneNext gives them, and passing follows from each zone's largest passing order at the min
 * mark (passing at k implies passing at k-1, show-verdicts.ts). On a healthy box that is every order:
 * eleven replays of cold code at start-up, about 3 ms of a Prometheus run. `replayAll` turns the
 * shortcut off (the test that it changes nothing).
 */
export function showNext(
  machine: Machine,
  kernel: KernelChoice,
  verdicts: VerdictsByZone,
  marks: readonly Mark[],
  threshold: Threshold,
  { replayAll = false } = {},
): ShowNext {
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
  // The shortcut needs every zone's verdict: a zone without watermarks stops the replay instead.
  const atMin = [...verdicts].map(([key, byMark]) => ({ key, zr: byMark.get('min') }));
  const complete = (last?.zones ?? []).every((z) => machine.watermarks.some((w) => zoneKey(w) === zoneKey(z))) && atMin.every((v) => v.zr !== undefined);
  for (let order = 0; order < orders; order++) {
    if (!replayAll && complete && atMin.every(({ zr }) => zr !== undefined && (!zr.serves || order <= zr.largestPassingOrder))) {
      for (const { key, zr } of atMin) {
        const row = zones.get(key) ?? Array.from({ length: orders }, () => null);
        row[order] = zr?.serves ? 'CHECK_PASSES' : null;
        zones.set(key, row);
      }
      continue;
    }
    const req = { order, mark: 'min' as const, gfp, kernel };
    let r;
    try {
      r = checkMachine(input, req);
    } catch (err) {
      // A zone without watermarks stops the whole walk; the zones that have them keep their verdicts.
      if (err instanceof InputError) break;
      throw err;
    }
    addNextStep(r, input, req, { threshold, ...(machine.swap === undefined ? {} : { freeSwapKiB: machine.swap.freeKiB }) });
    for (const z of r.zones) {
      const row = zones.get(zoneKey(z)) ?? Array.from({ length: orders }, () => null);
      row[order] = z.serves && z.next !== undefined ? z.next : null;
      zones.set(zoneKey(z), row);
    }
  }
  return { allocationOk, zones };
}
