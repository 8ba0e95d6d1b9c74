// What the kernel does next, in words: the walk's next step and each failing zone's compaction decision.

import type { NextStep, ZoneCompaction } from '../analysis/next-types.js';
import type { ProactiveScore } from '../analysis/proactive.js';
import type { ZoneResult } from '../analysis/zonelist.js';
import type { ChalkInstance } from './color.js';
import { count } from './units.js';

/** "Next: COMPACTION_SKIPPED_INDEX. Direct compaction is skipped ...", then what to do, one line each. */
export function nextLines(n: NextStep, c: ChalkInstance): string[] {
  const bg = n.background === undefined ? '' : ` In the background: ${n.background}.`;
  const lines = [`${c.bold('Next:')} ${n.code}. ${n.text}${bg}`];
  for (const a of n.actions ?? []) lines.push(`${c.bold('Do:')} ${a.text}${a.command === undefined ? '' : `\n    ${a.command}`}`);
  return lines;
}

/** The index against the threshold, as the kernel compares them (thousandths). */
function indexText(k: ZoneCompaction): string {
  return `fragmentation index ${k.fragmentationIndex} (thousandths) against vm.extfrag_threshold ${k.extfragThreshold} (${k.thresholdSource})`;
}

/** One line for a failing zone: compaction's decision there, with the numbers of the test that decided it. */
export function zoneNextLine(z: ZoneResult): string | undefined {
  const k = z.compaction;
  if (k === undefined || z.ok || !z.serves) return undefined;
  const o0 = k.order0;
  const test = o0
    ? `${count(o0.freePages - o0.unusablePages)} usable free pages against mark ${count(o0.markPages)} (compact_gap ${count(o0.gapPages)} included) + reserve ${count(o0.reservePages)}`
    : '';
  const reclaim = z.reclaim;
  const after =
    reclaim === undefined || reclaim.ok === null
      ? ''
      : reclaim.gaveUp
        ? ' The kernel had marked it all_unreclaimable: reclaim frees nothing there.'
        : reclaim.ok
          ? ` With its ${count(reclaim.reclaimablePages ?? 0)} reclaimable pages${reclaim.needsSwap ? ' (anonymous ones too, if swap is free)' : ''} it would have enough.`
          : reclaim.reclaimablePages === 0
            ? ' It has nothing to reclaim.'
            : ` Even its ${count(reclaim.reclaimablePages ?? 0)} reclaimable pages${reclaim.anonCounted ? '' : reclaim.swapKnown ? ' (file pages only: no swap is free)' : ' (file pages; anonymous ones need free swap)'} would not be enough.`;
  if (z.next === 'NO_DIRECT_RECLAIM') {
    return `Next: the request cannot sleep, so neither reclaim nor compaction runs for it; kswapd reclaims in the background.${after}`;
  }
  switch (k.decision) {
    case 'not-needed':
      return "Next: the slow path's min attempt passes here.";
    case 'runs': {
      const idx = k.indexConsulted ? `; ${indexText(k)}` : '; the index is not consulted below order 4';
      const async = k.asyncSkips ? ' The first, asynchronous pass skips it (free CMA pages do not count for this request); the synchronous retry compacts it.' : '';
      return `Next: compaction runs here (era ${k.era}): ${test}${idx}.${async}`;
    }
    case 'skipped-index':
      return `Next: compaction skips this zone (era ${k.era}): ${indexText(k)}, so the failure reads as lack of memory.${after}`;
    case 'skipped-order0':
      return `Next: compaction skips this zone for lack of order-0 memory (era ${k.era}): ${test}; reclaim first.${after}`;
    case 'not-attempted':
    case 'unavailable':
      return `Next: no direct compaction: ${k.why ?? 'not available'}.${after}`;
  }
}

/** One line per node: the proactive compaction score against the thresholds kcompactd uses (5.9+). */
export function proactiveLines(p: ProactiveScore): string[] {
  const head = `Proactive compaction (vm.compaction_proactiveness ${p.proactiveness}, ${p.proactivenessSource}; order ${p.order}): kcompactd compacts a node scoring above ${p.high}, down to ${p.low}.`;
  const nodes = p.nodes.map((n) => {
    const zones = n.zones.map((z) => `${z.zone} ${z.score}`).join(', ');
    if (n.score === null) return `  Node ${n.node}: zone scores ${zones}; the node score needs each zone's present pages (zoneinfo).`;
    const verdict = n.wouldCompact ? `above ${p.high}: kcompactd compacts it (unless kswapd is running there)` : p.proactiveness === 0 ? 'proactive compaction is off (0)' : `not above ${p.high}: kcompactd leaves it`;
    return `  Node ${n.node}: score ${n.score} (zones: ${zones}), ${verdict}.`;
  });
  return [head, ...nodes];
}
