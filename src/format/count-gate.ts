// The count gate in words: per node the free blocks of the order against the count asked, and which verdict failed.

import type { CountGate } from '../analysis/count-gate.js';
import type { ChalkInstance } from './color.js';
import { count, humanBytes } from './units.js';

/** The gate's lines, before the check's own: the overall verdict, then one line per node. */
export function gateLines(out: { ok: boolean; watermarkOk?: boolean; gate?: CountGate; pageSize: number }, c: ChalkInstance): string[] {
  const g = out.gate;
  if (g === undefined) return [];
  const size = humanBytes(2 ** g.order * out.pageSize);
  const failed = [out.watermarkOk === false ? 'the watermark check' : undefined, g.ok ? undefined : 'the count gate'].filter((x) => x !== undefined);
  const word = out.ok ? c.green.bold('PASS') : c.red.bold('FAIL');
  const lines = [
    `${word} ${out.ok ? 'both the watermark check and the count gate hold' : `${failed.join(' and ')} failed`}: at least ${count(g.count)} free blocks of order ${g.order} (${size}) on some node, a larger block counting as 2^j.`,
  ];
  for (const n of g.nodes) {
    const zones = n.zones.map((z) => `${z.zone} ${count(z.units)}`).join(', ');
    lines.push(`  Node ${n.node}: ${count(n.units)} (${zones === '' ? 'no zone that can serve it' : zones}): ${n.ok ? c.green('enough') : c.red('too few')}.`);
  }
  if (!g.ok) lines.push(`  ${g.code}: no node has ${count(g.count)}.`);
  return lines;
}
