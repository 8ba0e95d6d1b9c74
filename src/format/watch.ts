// Renders watch samples: a frame redrawn in place on a terminal, logfmt lines or NDJSON otherwise.

import type { ZoneDiff } from '../analysis/diff.js';
import type { ChalkInstance } from './color.js';
import { bySign, columns, signed, signedBytes } from './diff.js';
import { duration } from './history.js';
import type { KernelFacts } from './kernel.js';
import { count, humanBytes } from './units.js';
import { visibleWidth, wrapLine } from './wrap.js';

/** The check verdict of one sample, when `--order` was given, with the release and rules it replays. */
export interface WatchVerdict extends KernelFacts {
  order: number;
  mark: string;
  gfp: string;
  ok: boolean;
  servedBy: { node: number; zone: string } | null;
  /** serves false: the zone can never serve this request (NEVER_SERVES), so the header leaves it out. */
  zones: Array<{ node: number; zone: string; ok: boolean; code: string; serves: boolean }>;
}

export interface WatchZone {
  node: number;
  zone: string;
  free: number[];
  freePages: number;
  largestOrder: number;
  /** Change per order since the previous sample / the first; null when the zone was not there then. */
  sinceLast: number[] | null;
  sinceStart: number[] | null;
  /** Change of free pages since the previous sample / the first. */
  freeSinceLast: number | null;
  freeSinceStart: number | null;
}

export interface WatchSample {
  /** 1 for the first sample. */
  sample: number;
  /** Milliseconds since the epoch. */
  time: number;
  started: number;
  intervalMs: number;
  source: string;
  pageSize: number;
  zones: WatchZone[];
  /** Zones the previous sample had and this one lacks. */
  gone: Array<{ node: number; zone: string }>;
  verdict?: WatchVerdict;
  notes: string[];
}

/** The zones of a sample from the current counts and the diffs against the previous and the first sample. */
export function watchZones(current: ZoneDiff[], sinceLast: ZoneDiff[] | undefined, sinceStart: ZoneDiff[] | undefined): WatchZone[] {
  const find = (list: ZoneDiff[] | undefined, z: ZoneDiff): ZoneDiff | undefined =>
    list?.find((d) => d.node === z.node && d.zone === z.zone);
  return current.flatMap((z) => {
    if (z.after === null) return [];
    const last = find(sinceLast, z);
    const start = find(sinceStart, z);
    return [
      {
        node: z.node,
        zone: z.zone,
        free: z.after,
        freePages: z.freePages.after ?? 0,
        largestOrder: z.largestOrder.after ?? -1,
        sinceLast: last?.delta ?? null,
        sinceStart: start?.delta ?? null,
        freeSinceLast: last?.freePages.delta ?? null,
        freeSinceStart: start?.freePages.delta ?? null,
      },
    ];
  });
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function verdictLine(v: WatchVerdict, pageSize: number, c: ChalkInstance): string {
  const word = v.ok ? c.green.bold('PASS') : c.red.bold('FAIL');
  const served = v.servedBy ? `served by node ${v.servedBy.node}, zone ${v.servedBy.zone}` : 'no zone can serve it';
  const failing = v.zones.filter((z) => !z.ok && z.code !== 'NEVER_SERVES').map((z) => `node ${z.node} ${z.zone} ${z.code}`);
  const why = failing.length > 0 ? `; ${failing.join(', ')}` : '';
  return `${word} order-${v.order} (${humanBytes(2 ** v.order * pageSize)}) ${v.gfp}, ${v.mark} mark: ${served}${why}`;
}

/** A zone's counts and changes per order, as rows of cells (the first the label). */
function zoneGrid(z: WatchZone, orders: readonly number[], c: ChalkInstance): string[][] {
  const delta = (d: number[] | null, o: number): string => {
    const n = d?.[o];
    if (n === undefined) return '';
    return n === 0 ? c.dim('·') : bySign(c, n, signed(n));
  };
  return [
    [c.dim('order'), ...orders.map((o) => c.dim(String(o)))],
    ['blocks', ...orders.map((o) => ((z.sinceLast?.[o] ?? 0) !== 0 ? c.bold(count(z.free[o] ?? 0)) : count(z.free[o] ?? 0)))],
    ['since last', ...orders.map((o) => delta(z.sinceLast, o))],
    ['since first', ...orders.map((o) => delta(z.sinceStart, o))],
  ];
}

/** The grid of a zone in as few blocks of consecutive orders as fit `width` (one block without a width). */
function gridLines(z: WatchZone, c: ChalkInstance, width: number | undefined): string[] {
  const orders = z.free.map((_, o) => o);
  for (let blocks = 1; ; blocks++) {
    const size = Math.ceil(orders.length / blocks);
    const lines: string[] = [];
    for (let from = 0; from < orders.length; from += size) lines.push(...columns(zoneGrid(z, orders.slice(from, from + size), c), 1));
    if (width === undefined || size <= 1 || lines.every((l) => visibleWidth(l) <= width)) return lines;
  }
}

/**
 * The terminal frame as lines: the verdict first with --order (the line a short terminal must keep),
 * then a header, and per zone the counts and their changes. With `width`, prose is wrapped to it and a
 * zone's orders are split into blocks that fit.
 */
export function renderWatchFrame(s: WatchSample, c: ChalkInstance, width?: number): string[] {
  const prose: string[] = [];
  if (s.verdict) prose.push(verdictLine(s.verdict, s.pageSize, c));
  prose.push(
    `${c.bold('buddyinfo watch')}: ${s.source} every ${duration(s.intervalMs / 1000)}; sample ${count(s.sample)} at ${clock(s.time)} UTC, ` +
      `${duration((s.time - s.started) / 1000)} since the first. Ctrl-C stops.`,
  );
  for (const note of s.notes) prose.push(c.yellow(note));
  for (const g of s.gone) prose.push(c.yellow(`Node ${g.node}, zone ${g.zone} is gone since the last sample.`));
  const wrap = (line: string): string[] => (width === undefined ? [line] : wrapLine(line, width));
  const out = prose.flatMap(wrap);
  for (const z of s.zones) {
    out.push('');
    const changes =
      z.freeSinceLast === null
        ? 'new since the last sample'
        : `${bySign(c, z.freeSinceLast, signedBytes(z.freeSinceLast * s.pageSize))} since last, ` +
          `${bySign(c, z.freeSinceStart ?? 0, signedBytes((z.freeSinceStart ?? 0) * s.pageSize))} since the first`;
    const largest = z.largestOrder < 0 ? 'no free block' : `largest free order ${z.largestOrder}`;
    out.push(...wrap(`${c.bold(`Node ${z.node}, zone ${z.zone}`)}: ${humanBytes(z.freePages * s.pageSize)} free (${changes}), ${largest}`));
    out.push(...gridLines(z, c, width));
  }
  return out;
}

/** Rows a line takes on a terminal `columns` wide: a line wider than the terminal wraps onto more. */
export function screenRows(line: string, columns: number): number {
  return Math.max(1, Math.ceil(visibleWidth(line) / columns));
}

/**
 * The lines of a frame that fit a terminal of `rows` rows, counted as the terminal wraps them. The top
 * is kept (the verdict and the header); what does not fit is cut and one line says how much.
 */
export function clipFrame(lines: readonly string[], columns: number, rows: number, c: ChalkInstance): string[] {
  const total = lines.reduce((n, l) => n + screenRows(l, columns), 0);
  if (total <= rows) return [...lines];
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const r = screenRows(line, columns);
    // One row stays free for the line that says what was cut.
    if (used + r > rows - 1) break;
    kept.push(line);
    used += r;
  }
  const cut = lines.length - kept.length;
  const more = c.dim(`(${cut} more line${cut === 1 ? '' : 's'}: a taller terminal shows them)`);
  return rows > 0 ? [...kept, visibleWidth(more) <= columns ? more : c.dim('...')] : [];
}

/** xterm's alternate screen (as watch(1) and top use) with the cursor hidden, and the way back. */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

/**
 * One frame drawn over the last: cursor home, each line then "erase to the end of the line" (skipped
 * for a line that fills its last row exactly, where the erase would take its last character), no
 * newline after the last line (on a full screen it would scroll the top away), then "erase below".
 * Synchronized output (mode 2026) lets a terminal that knows it show the frame at once.
 */
export function drawFrame(lines: readonly string[], columns: number): string {
  const body = lines.map((l) => (visibleWidth(l) % columns === 0 && l !== '' ? l : `${l}\x1b[K`)).join('\n');
  return `\x1b[?2026h\x1b[H${body}\x1b[J\x1b[?2026l`;
}

const list = (d: readonly number[]): string => d.join(',');
const signedList = (d: readonly number[]): string => d.map((n) => (n > 0 ? `+${n}` : String(n))).join(',');

/**
 * One logfmt line per zone, for logs and pipes: the time, the counts, their changes (from the second
 * sample on), and the verdict with --order.
 */
export function watchLines(s: WatchSample): string {
  const time = new Date(s.time).toISOString();
  const lines = s.zones.map((z) => {
    const fields = [
      `time=${time}`,
      `sample=${s.sample}`,
      `node=${z.node}`,
      `zone=${z.zone}`,
      `free_pages=${z.freePages}`,
      `largest_order=${z.largestOrder}`,
      `free=${list(z.free)}`,
    ];
    if (z.sinceLast && s.sample > 1) fields.push(`since_last=${signedList(z.sinceLast)}`);
    if (z.sinceStart && s.sample > 1) fields.push(`since_first=${signedList(z.sinceStart)}`);
    const v = s.verdict?.zones.find((x) => x.node === z.node && x.zone === z.zone);
    if (s.verdict) fields.push(`order=${s.verdict.order}`, `check=${v ? v.code : 'NOT_IN_WALK'}`);
    return fields.join(' ');
  });
  for (const g of s.gone) lines.push(`time=${time} sample=${s.sample} node=${g.node} zone=${g.zone} gone=true`);
  return lines.map((l) => `${l}\n`).join('');
}

/** One JSON object per sample, one line each (NDJSON). */
export function watchJson(s: WatchSample): string {
  const { time, started, ...rest } = s;
  return `${JSON.stringify({ time: new Date(time).toISOString(), started: new Date(started).toISOString(), ...rest })}\n`;
}
