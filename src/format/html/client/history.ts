// Browser code: a history page's charts, per zone the free memory by order, the largest order and the verdicts.

import uPlot from 'uplot';
import type { Timeline, TimelineZone } from '../../../analysis/timeline.js';
import type { HistoryPageView } from '../history.js';
import { count, humanBytes } from '../../units.js';
import { axisColours, BYTE_INCRS, cssVar, hatch, orderColour, ticks } from './theme.js';

type Column = Array<number | null>;

/**
 * The chart's rows: one per listed bucket at its middle (seconds since the epoch, uPlot's unit, or the
 * snapshot number), and before each gap in the log a row of nulls, so the lines break there.
 */
interface Rows {
  x: number[];
  /** The listed bucket of each row, -1 for a gap. */
  k: number[];
}

function rowsOf(t: Timeline): Rows {
  const unit = (v: number): number => (t.axis === 'time' ? v / 1000 : v + 1);
  const rows: Rows = { x: [], k: [] };
  t.bucket.forEach((b, k) => {
    if (t.gapBefore[k] === true && k > 0) {
      rows.x.push(unit(t.start + ((t.last[k - 1] ?? 0) + (t.first[k] ?? 0)) / 2));
      rows.k.push(-1);
    }
    rows.x.push(unit(t.start + (b + 0.5) * t.width));
    rows.k.push(k);
  });
  return rows;
}

/** A column of per-bucket values laid on the rows. */
function col<T>(rows: Rows, values: ReadonlyArray<T | null>): Array<T | null> {
  return rows.k.map((k) => (k < 0 ? null : (values[k] ?? null)));
}

function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2025-01-01 00:00:00 UTC to 2025-01-02 04:00:00 UTC, 1,560 snapshots" for bucket i. */
function bucketText(t: Timeline, i: number): string {
  const first = t.first[i];
  const last = t.last[i];
  const n = t.snapshots[i] ?? 0;
  if (first === undefined || last === undefined) return 'no snapshot here: a gap in the log';
  const where = (off: number): string => (t.axis === 'time' ? stamp(t.start + off) : `snapshot ${count(t.start + off + 1)}`);
  return `${first === last ? where(first) : `${where(first)} to ${where(last)}`}, ${count(n)} snapshot${n === 1 ? '' : 's'}`;
}

/** The tooltip of a chart: the stretch of log under the cursor and its counts. */
function tooltip(t: Timeline, rows: Rows, z: TimelineZone, pageSize: number, el: HTMLElement): uPlot.Plugin {
  const tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'status');
  el.style.position = 'relative';
  el.appendChild(tip);
  return {
    hooks: {
      setCursor: (u: uPlot) => {
        const row = u.cursor.idx;
        if (row === null || row === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
          tip.style.display = 'none';
          return;
        }
        const i = rows.k[row] ?? -1;
        const lines = [bucketText(t, i)];
        const lo = z.largestOrder.min[i];
        if (lo !== null && lo !== undefined) {
          const hi = z.largestOrder.max[i] ?? lo;
          lines.push(`largest free order: ${lo === hi ? lo : `${lo} to ${hi}`}`);
          const ul = (z.unusable.min[i] ?? 0) / 1000;
          const uh = (z.unusable.max[i] ?? 0) / 1000;
          lines.push(`unusable index (order ${t.order}): ${ul === uh ? ul.toFixed(3) : `${ul.toFixed(3)} to ${uh.toFixed(3)}`}`);
          const total = z.free.reduce((s, col, o) => s + (col[i] ?? 0) * 2 ** o * pageSize, 0);
          lines.push(`free memory: ${humanBytes(total)} (mean)`);
          lines.push(`free blocks per order (mean): ${z.free.map((col) => count(col[i] ?? 0)).join(' ')}`);
          const failed = z.checkFailed?.[i];
          if (failed !== null && failed !== undefined) lines.push(failed === 0 ? 'check: PASS in every snapshot' : `check: FAIL in ${count(failed)} of ${count(z.snapshots[i] ?? 0)}`);
        }
        tip.textContent = '';
        for (const l of lines) tip.appendChild(Object.assign(document.createElement('div'), { textContent: l }));
        tip.style.display = 'block';
        const left = u.cursor.left + u.over.offsetLeft + 16;
        tip.style.left = `${Math.min(left, Math.max(0, el.clientWidth - tip.offsetWidth))}px`;
        tip.style.top = `${(u.cursor.top ?? 0) + u.over.offsetTop + 16}px`;
      },
    },
  };
}

/** Draws a pass/fail strip for `failed` (snapshots failing per bucket) along the bottom of the plot. */
function verdictStrip(t: Timeline, failed: Column, height: number): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        const pass = cssVar('--pass');
        const fail = hatch(ctx, cssVar('--fail'));
        const px = window.devicePixelRatio || 1;
        const bottom = u.bbox.top + u.bbox.height;
        const h = height * px;
        ctx.save();
        failed.forEach((f, k) => {
          const i = t.bucket[k] ?? 0;
          if (f === null) return;
          const from = t.axis === 'time' ? (t.start + i * t.width) / 1000 : t.start + i * t.width + 0.5;
          const to = from + (t.axis === 'time' ? t.width / 1000 : t.width);
          const x0 = Math.max(u.bbox.left, u.valToPos(from, 'x', true));
          const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(to, 'x', true));
          if (x1 <= x0) return;
          ctx.fillStyle = f > 0 ? fail : pass;
          ctx.fillRect(x0, bottom - (f > 0 ? h : h / 3), Math.max(1, x1 - x0), f > 0 ? h : h / 3);
        });
        ctx.restore();
      },
    },
  };
}

function baseOptions(t: Timeline, el: HTMLElement, height: number): Omit<uPlot.Options, 'series'> {
  const axis = axisColours();
  return {
    width: Math.max(320, el.clientWidth || 800),
    height,
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: t.axis === 'time' } },
    cursor: { sync: { key: 'history' }, drag: { x: true, y: false } },
    axes: [{ ...axis }, { ...axis, size: 80 }],
  };
}

/** Free memory stacked by order: the top of layer k is the memory in blocks of order k or larger. */
export function drawFree(el: HTMLElement, v: HistoryPageView, zi: number): uPlot | undefined {
  const t = v.timeline;
  const z = t.zones.find((x) => x.node === v.zones[zi]?.node && x.zone === v.zones[zi]?.zone);
  if (z === undefined) return undefined;
  // Emptied first: the tooltip plugin adds its element to the slot.
  el.replaceChildren();
  const orders = z.free.length;
  const bytes = z.free.map((col, o) => col.map((b) => (b === null ? null : b * 2 ** o * v.pageSize)));
  // atLeast[k][i]: sum over o >= k, null where the zone has no snapshot in the bucket.
  const atLeast: Column[] = [];
  for (let k = orders - 1; k >= 0; k--) {
    const above = atLeast[0];
    atLeast.unshift((bytes[k] ?? []).map((b, i) => (b === null ? null : b + (above?.[i] ?? 0))));
  }
  const series: uPlot.Series[] = [{ label: t.axis === 'time' ? 'time (UTC)' : 'snapshot' }];
  atLeast.forEach((_, k) => {
    series.push({
      label: `order ${k}`,
      stroke: orderColour(k, orders),
      fill: orderColour(k, orders, 0.85),
      width: 1,
      points: { show: false },
      // The legend gives the order's own share: its layer's top minus the next one's.
      value: (u, val, _s, row) => (val === null || row === null ? '–' : humanBytes(val - ((u.data[k + 2]?.[row] as number | null | undefined) ?? 0))),
    });
  });
  const base = baseOptions(t, el, 260);
  // Stacked areas read from zero: a constant zone must not fill the chart with one band.
  const scales = { ...base.scales, y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.05 : 1] } };
  const rows = rowsOf(t);
  const opts: uPlot.Options = { ...base, scales, series, plugins: [tooltip(t, rows, z, v.pageSize, el)] };
  opts.axes = [opts.axes?.[0] ?? {}, { ...opts.axes?.[1], label: 'free memory', values: ticks(humanBytes), incrs: BYTE_INCRS }];
  return new uPlot(opts, [rows.x, ...atLeast.map((c) => col(rows, c))] as uPlot.AlignedData, el);
}

/** The largest free order (lowest, with a band to the highest), the unusable index, and the verdict strip. */
export function drawOrder(el: HTMLElement, v: HistoryPageView, zi: number): uPlot | undefined {
  const t = v.timeline;
  const z = t.zones.find((x) => x.node === v.zones[zi]?.node && x.zone === v.zones[zi]?.zone);
  if (z === undefined) return undefined;
  el.replaceChildren();
  const accent = cssVar('--accent');
  const warn = cssVar('--warn');
  const maxOrder = Math.max(0, z.free.length - 1);
  const series: uPlot.Series[] = [
    { label: t.axis === 'time' ? 'time (UTC)' : 'snapshot' },
    { label: 'largest free order, lowest', stroke: accent, width: 2, points: { show: false }, scale: 'order' },
    { label: 'largest free order, highest', stroke: accent, width: 1, points: { show: false }, scale: 'order' },
    { label: `unusable index (order ${t.order}), highest`, stroke: warn, dash: [6, 4], width: 1.5, points: { show: false }, scale: 'u', value: (_u, x) => (x === null ? '–' : x.toFixed(3)) },
  ];
  const rows = rowsOf(t);
  const plugins = [tooltip(t, rows, z, v.pageSize, el)];
  if (z.checkFailed) plugins.push(verdictStrip(t, z.checkFailed, 10));
  const base = baseOptions(t, el, 220);
  const axis = axisColours();
  const opts: uPlot.Options = {
    ...base,
    series,
    plugins,
    bands: [{ series: [2, 1], fill: `${accent}33` }],
    scales: { ...base.scales, order: { range: [-1.5, maxOrder + 0.5] }, u: { range: [0, 1.05] } },
    axes: [
      base.axes?.[0] ?? {},
      { ...axis, scale: 'order', label: 'largest free order', size: 60, splits: () => Array.from({ length: maxOrder + 2 }, (_, k) => k - 1), values: ticks((k) => (k < 0 ? 'none' : String(k))) },
      { ...axis, scale: 'u', side: 1, label: 'unusable index', size: 60, grid: { show: false }, values: ticks((x) => x.toFixed(1)) },
    ],
  };
  const data = [rows.x, col(rows, z.largestOrder.min), col(rows, z.largestOrder.max), col(rows, z.unusable.max.map((x) => (x === null ? null : x / 1000)))];
  return new uPlot(opts, data as uPlot.AlignedData, el);
}

/** The machine's verdict along time: hatched where no zone passed in some snapshot. */
export function drawCheck(el: HTMLElement, v: HistoryPageView): uPlot | undefined {
  const t = v.timeline;
  if (t.checkFailed === undefined) return undefined;
  el.replaceChildren();
  const failed = t.checkFailed;
  const rows = rowsOf(t);
  const base = baseOptions(t, el, 90);
  const opts: uPlot.Options = {
    ...base,
    series: [{ label: t.axis === 'time' ? 'time (UTC)' : 'snapshot' }, { label: 'snapshots failing', stroke: 'transparent', points: { show: false }, value: (_u, x) => (x === null ? '–' : count(x)) }],
    plugins: [verdictStrip(t, failed, 40)],
    scales: { ...base.scales, y: { range: [0, 1] } },
    axes: [base.axes?.[0] ?? {}, { show: false }],
  };
  return new uPlot(opts, [rows.x, col(rows, failed)] as uPlot.AlignedData, el);
}
