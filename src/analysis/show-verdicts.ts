// The table's watermark verdicts: per zone and mark, the largest order a GFP_KERNEL request passes now.

import type { KernelChoice } from '../kernel/choice.js';
import { zoneKey } from '../kernel/zones.js';
import { InputError, type Machine } from '../model.js';
import { joinAnd, zoneName } from '../words.js';
import { gfpProfile } from './gfp-request.js';
import { checkMachine, type CheckResult, type ZoneResult } from './zonelist.js';

export type Mark = 'min' | 'low' | 'high';

/** A zone's verdict per mark, keyed by zoneKey (node/zone in lower case). */
export type VerdictsByZone = Map<string, Map<Mark, ZoneResult>>;

export interface ShowVerdicts {
  gfp: string;
  algorithm: CheckResult['algorithm'];
  verdicts: VerdictsByZone;
  notes: string[];
}

/**
 * The watermark verdicts of a default request (GFP_KERNEL) per zone and mark, with the per-type counts
 * when pagetypeinfo was read so the modern block search (4.4+) looks at the real free lists. Undefined
 * when no watermarks are known; `error` when no zone could be checked. Zones the request may not use
 * (HighMem, Movable for GFP_KERNEL) are not in its zonelist and get no verdict.
 *
 * A zoneinfo that covers only some of the buddyinfo's zones (from another box, or cut short) leaves the
 * others without watermarks, and checkMachine refuses a walk through such a zone. A zone's verdict does
 * not depend on the other zones' watermarks, only on the zonelist's shape (the layout and the zone whose
 * lowmem_reserve index is read), so the covered zones are checked in calls narrowed with `zone` (which
 * filters the walk after it is built: layout and reserve index as for the whole machine), and with
 * `node` too where a zone of the same name on another node is the uncovered one (then, up to 5.7, the
 * reserve index is that node's first zone's, which is the local node's on any box whose nodes hold the
 * same zone types). The uncovered zones get no verdict, and one note names them.
 */
export function showVerdicts(
  machine: Machine,
  marks: readonly Mark[],
  kernel: KernelChoice,
): ShowVerdicts | { error: string } | undefined {
  const last = machine.snapshots[machine.snapshots.length - 1];
  if (last === undefined || machine.watermarks.length === 0) return undefined;
  const gfp = gfpProfile('kernel');
  const input = { zones: last.zones, watermarks: machine.watermarks, types: machine.types.length > 0 ? machine.types : undefined };
  const covered = new Set(machine.watermarks.map(zoneKey));
  const uncovered = last.zones.filter((z) => !covered.has(zoneKey(z)));
  // The narrowed calls: none when every zone is covered (one walk of the whole zonelist per mark).
  const narrowings: { node?: number; zone?: string }[] = [];
  if (uncovered.length === 0) narrowings.push({});
  else {
    const uncoveredNames = new Set(uncovered.map((z) => z.zone.toLowerCase()));
    const seen = new Set<string>();
    for (const z of last.zones) {
      if (!covered.has(zoneKey(z))) continue;
      const name = z.zone.toLowerCase();
      if (uncoveredNames.has(name)) narrowings.push({ node: z.node, zone: z.zone });
      else if (!seen.has(name)) narrowings.push({ zone: z.zone });
      seen.add(name);
    }
  }
  // One replay per mark: each zone's result carries the largest order that passes, and passing at order k
  // implies passing at k-1 under every release's rules (the property tests of test/analysis/watermark.test.ts),
  // so the per-order verdicts follow from it without replaying every order.
  const verdicts: VerdictsByZone = new Map();
  let algorithm: CheckResult['algorithm'] | undefined;
  let firstError: string | undefined;
  for (const narrow of narrowings) {
    for (const mark of marks) {
      let r: CheckResult;
      try {
        r = checkMachine(input, { order: 0, mark, gfp, kernel, ...narrow });
      } catch (err) {
        // A narrowing to a zone the request may not use (HighMem for GFP_KERNEL) finds no zone to walk.
        if (!(err instanceof InputError)) throw err;
        firstError ??= err.message;
        continue;
      }
      algorithm ??= r.algorithm;
      for (const zr of r.zones) {
        const byMark = verdicts.get(zoneKey(zr)) ?? new Map<Mark, ZoneResult>();
        byMark.set(mark, zr);
        verdicts.set(zoneKey(zr), byMark);
      }
    }
  }
  if (algorithm === undefined) return { error: firstError ?? 'no zone could be checked.' };
  const notes: string[] = [];
  if (uncovered.length > 0) {
    notes.push(
      `No watermarks are known for ${joinAnd(uncovered.map(zoneName))}, so ${uncovered.length === 1 ? 'it has' : 'they have'} no watermark verdict: ` +
        'give a zoneinfo from the same box as the buddyinfo, which covers every zone.',
    );
  }
  return { gfp: gfp.name, algorithm, verdicts, notes };
}
