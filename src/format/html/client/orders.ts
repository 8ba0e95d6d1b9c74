// Browser code: one zone's free memory per order as bars, the ">= order" line and the watermarks, with uPlot.

import uPlot from 'uplot';
import { humanBytes } from '../../units.js';
import { axisColours, BYTE_INCRS, cssVar, hatch, ticks } from './theme.js';

/** What one order chart shows; built from a page's JSON by the page's own code. */
export interface OrderChart {
  pageSize: number;
  /** Free blocks per order. */
  blocks: number[];
  /** Horizontal lines, in pages: the watermarks and min + lowmem reserve. */
  marks: Array<{ label: string; pages: number; colour: string; dash: number[] }>;
  /** Per order, whether it passes `passMark`: solid bars pass, hatched ones fail. Absent: every bar solid. */
  passes?: boolean[];
  passMark?: string;
}

const bytesValue = (_u: uPlot, v: number | null): string => (v === null || v === undefined ? '–' : humanBytes(v));

/** Draws the chart into `el` (emptied first); `log` puts the y axis on a logarithmic scale. */
export function drawOrders(el: HTMLElement, spec: OrderChart, log: boolean): uPlot {
  const n = spec.blocks.length;
  const x = spec.blocks.map((_, o) => o);
  const free = spec.blocks.map((b, o) => b * 2 ** o * spec.pageSize);
  const cumulative = free.map((_, o) => free.slice(o).reduce((a, b) => a + b, 0));
  // A log scale has no place for 0: those points are left out (the table still shows them).
  const shown = (v: number): number | null => (log && v <= 0 ? null : v);
  const pass = free.map((v, o) => (spec.passes === undefined || spec.passes[o] === true ? shown(v) : null));
  const fail = free.map((v, o) => (spec.passes !== undefined && spec.passes[o] !== true ? shown(v) : null));
  const bar = cssVar('--bar');
  const failColour = cssVar('--fail');
  const bars = uPlot.paths.bars?.({ size: [0.7, 90] });
  const fillTo = (u: uPlot): number => (log ? (u.scales.y?.min ?? 1) : 0);
  const which = spec.passMark === undefined ? '' : ` (${spec.passMark} mark)`;
  const series: uPlot.Series[] = [
    { label: 'order', value: (_u, v) => (v === null ? '–' : String(v)) },
    { label: spec.passes ? `free, order passes${which}` : 'free in blocks of the order', fill: bar, stroke: bar, paths: bars, points: { show: false }, value: bytesValue, fillTo },
  ];
  if (spec.passes) {
    series.push({
      label: `free, order fails${which}`,
      fill: (u: uPlot) => hatch(u.ctx, failColour),
      stroke: failColour,
      width: 2,
      paths: bars,
      points: { show: false },
      value: bytesValue,
      fillTo,
    });
  }
  series.push({ label: 'in blocks ≥ order', stroke: cssVar('--accent'), width: 2, points: { show: true, size: 6 }, value: bytesValue });
  const data: Array<Array<number | null>> = [x, pass, ...(spec.passes ? [fail] : []), cumulative.map(shown)];
  for (const m of spec.marks) {
    series.push({ label: m.label, stroke: m.colour, dash: m.dash, width: 1.5, points: { show: false }, value: bytesValue });
    data.push(x.map(() => shown(m.pages * spec.pageSize)));
  }
  const axis = axisColours();
  const opts: uPlot.Options = {
    width: Math.max(320, el.clientWidth || 800),
    height: 280,
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: [-0.6, n - 0.4] },
      y: log ? { distr: 3 } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      { ...axis, label: 'order', splits: () => x, values: ticks(String) },
      { ...axis, label: 'free memory', size: 80, values: ticks(humanBytes), incrs: BYTE_INCRS },
    ],
    series,
  };
  el.replaceChildren();
  return new uPlot(opts, data as uPlot.AlignedData, el);
}
