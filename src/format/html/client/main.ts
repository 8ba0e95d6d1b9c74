// Browser code, the pages' one script: reads the embedded JSON and draws each chart slot the page's text left.

import type uPlot from 'uplot';
import type { ReportView } from '../../report.js';
import type { ShowView } from '../../table.js';
import type { HistoryPageView } from '../history.js';
import { drawCheck, drawFree, drawOrder } from './history.js';
import { drawOrders } from './orders.js';
import { reportZoneChart, showZoneChart } from './specs.js';

/** The page's data: the view `--json` prints, embedded by the page (format/html/page.ts, DATA_ID). */
function pageData(): unknown {
  const el = document.getElementById('buddyinfo-data');
  return el === null ? null : JSON.parse(el.textContent ?? 'null');
}

const charts: uPlot[] = [];

function logScale(): boolean {
  const box = document.getElementById('log-scale');
  return box instanceof HTMLInputElement && box.checked;
}

/** Draws (or draws again, for a new scale, theme or width) every chart slot of the page. */
function drawAll(data: unknown): void {
  for (const c of charts.splice(0)) c.destroy();
  const page = document.body.dataset.page;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.chart[data-chart]'))) {
    const kind = el.dataset.chart;
    const n = (name: string): number => Number(el.dataset[name]);
    if (page === 'show' && kind === 'show-zone') {
      const spec = showZoneChart(data as ShowView, n('zone'));
      if (spec) charts.push(drawOrders(el, spec, logScale()));
    } else if (page === 'report' && kind === 'report-zone') {
      const spec = reportZoneChart(data as ReportView[], n('report'), n('zone'));
      if (spec) charts.push(drawOrders(el, spec, logScale()));
    } else if (page === 'history') {
      const v = data as HistoryPageView;
      const chart = kind === 'history-free' ? drawFree(el, v, n('zone')) : kind === 'history-order' ? drawOrder(el, v, n('zone')) : kind === 'history-check' ? drawCheck(el, v) : undefined;
      if (chart) charts.push(chart);
    }
  }
  if (page === 'history') linkZoom(charts);
}

/** Zooming one time chart zooms them all, so a stretch of log can be followed from zone to zone. */
function linkZoom(list: uPlot[]): void {
  let busy = false;
  for (const c of list) {
    c.hooks.setScale = [
      ...(c.hooks.setScale ?? []),
      (u: uPlot, key: string) => {
        if (key !== 'x' || busy) return;
        busy = true;
        const { min, max } = u.scales.x ?? {};
        for (const other of list) if (other !== u && min !== undefined && max !== undefined) other.setScale('x', { min, max });
        busy = false;
      },
    ];
  }
}

function start(): void {
  document.documentElement.classList.add('js');
  const data = pageData();
  drawAll(data);
  document.getElementById('log-scale')?.addEventListener('change', () => drawAll(data));
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => drawAll(data));
  let pending: number | undefined;
  let width = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    window.clearTimeout(pending);
    pending = window.setTimeout(() => drawAll(data), 150);
  });
  window.addEventListener('beforeprint', () => drawAll(data));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
