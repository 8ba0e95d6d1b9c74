// The nodes a report's request could take memory from: its nodemask, narrowed by its cpuset under ALLOC_CPUSET.

import { parseNodeList } from '../parse/nodelist.js';
import type { FailureReport } from '../parse/report-types.js';
import { hasFlag, type AllocFlags } from './alloc-flags.js';

export interface AllowedNodes {
  nodes: Set<number>;
  /** The nodes as the kernel would list them ("0", "0,2"), and what limited them. */
  text: string;
  by: 'nodemask' | 'cpuset' | 'nodemask and cpuset';
}

/**
 * get_page_from_freelist walks only the zones of ac->nodemask (printed as nodemask=, "(null)" for all), and
 * with ALLOC_CPUSET skips those cpuset_zone_allowed() refuses (kernel.md 1b): the printed
 * mems_allowed. A caller that cannot sleep loses ALLOC_CPUSET in the slow path, so its cpuset does not
 * limit it there. Undefined when nothing limits the walk.
 */
export function allowedNodesOf(report: Pick<FailureReport, 'nodemask' | 'memsAllowed'>, flags: AllocFlags): AllowedNodes | undefined {
  const mask = parseNodeList(report.nodemask);
  const cpuset = hasFlag(flags, 'ALLOC_CPUSET') ? parseNodeList(report.memsAllowed) : undefined;
  if (mask === undefined && cpuset === undefined) return undefined;
  const nodes = mask !== undefined && cpuset !== undefined ? new Set([...mask].filter((n) => cpuset.has(n))) : ((mask ?? cpuset) as Set<number>);
  const by = mask !== undefined && cpuset !== undefined ? 'nodemask and cpuset' : mask !== undefined ? 'nodemask' : 'cpuset';
  return { nodes, text: [...nodes].sort((a, b) => a - b).join(','), by };
}
