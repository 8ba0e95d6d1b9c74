// The what-if in words: the three sysctls used and where each came from, and every zone's marks before and after.

import type { WhatIf } from '../analysis/what-if.js';
import { count } from './units.js';

/** A change as "a -> b", or the value alone when it did not change. */
function change(a: number, b: number): string {
  return a === b ? count(a) : `${count(a)} -> ${count(b)}`;
}

/** The head lines of a check that ran on recomputed marks. */
export function whatIfLines(w: WhatIf): string[] {
  const lines = [
    `What-if: the marks and reserves recomputed as the kernel does (__setup_per_zone_wmarks, setup_per_zone_lowmem_reserve) from vm.min_free_kbytes ${w.minFreeKbytes.value} (${w.minFreeKbytes.source}), vm.watermark_scale_factor ${w.watermarkScaleFactor.value} (${w.watermarkScaleFactor.source}), vm.lowmem_reserve_ratio ${w.lowmemReserveRatio.value.join(' ')} (${w.lowmemReserveRatio.source}); boost ${w.boost === 'input' ? 'as the input shows it' : 'assumed 0'}.`,
  ];
  for (const z of w.zones) {
    const b = z.before;
    const a = z.after;
    const prot = a.protection === null ? '' : `; protection ${a.protection.join(' ')}${b.protection !== null && b.protection.join(' ') !== a.protection.join(' ') ? ` (was ${b.protection.join(' ')})` : ''}`;
    lines.push(`  node ${z.node} ${z.zone}: min ${change(b.min, a.min)}, low ${change(b.low, a.low)}, high ${change(b.high, a.high)}${prot}`);
  }
  const d = w.minFreeDefaults;
  if (d !== undefined) {
    lines.push(`  The kernel's own vm.min_free_kbytes for this box: ${count(d.kernelDefault)} (int_sqrt of 16 times the kB up to Normal above the high marks); ${count(d.thpRecommended)} once THP's khugepaged runs.`);
  }
  for (const n of w.notes) lines.push(`  Note: ${n}`);
  return lines;
}
