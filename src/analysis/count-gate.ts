// The count gate of check --count K: does a node hold at least K free blocks of order N, larger ones split?

import { sameZone } from '../kernel/zones.js';
import type { CheckResult, MachineInput } from './check-types.js';

export interface GateNode {
  node: number;
  /** Free blocks of the order, a block of order N + j counting as 2^j: what the node could hand out now. */
  units: number;
  ok: boolean;
  /** Per zone that can serve the request (the walk's zones, NEVER_SERVES ones left out). */
  zones: { zone: string; units: number }[];
}

export interface CountGate {
  order: number;
  count: number;
  /** Some node holds at least `count` units. */
  ok: boolean;
  /** TOO_FEW_BLOCKS when no node does. */
  code?: 'TOO_FEW_BLOCKS';
  nodes: GateNode[];
}

/** Σ over orders j >= N of nr_free[j] × 2^(j - N): the order-N blocks obtainable by splitting (the kernel's "suitable" count). */
export function unitsOf(free: readonly number[], order: number): number {
  let units = 0;
  for (let o = order; o < free.length; o++) units += (free[o] ?? 0) * 2 ** (o - order);
  return units;
}

/**
 * Per node of the check's walk (its --node and --zone narrowing included), the free blocks of the
 * order in the zones that can serve this request class, whatever their migratetype. The gate passes when
 * some node has at least `count`; a job pinned to a node narrows it with --node.
 */
export function countGate(result: CheckResult, input: MachineInput, order: number, count: number): CountGate {
  const nodes = [...new Set(result.zones.map((z) => z.node))].sort((a, b) => a - b).map((node): GateNode => {
    const zones = result.zones
      .filter((z) => z.node === node && z.serves)
      .map((z) => ({ zone: z.zone, units: unitsOf(input.zones.find((x) => sameZone(x, z))?.free ?? [], order) }));
    const units = zones.reduce((s, z) => s + z.units, 0);
    return { node, units, ok: units >= count, zones };
  });
  const ok = nodes.some((n) => n.ok);
  return { order, count, ok, ...(ok ? {} : { code: 'TOO_FEW_BLOCKS' as const }), nodes };
}
