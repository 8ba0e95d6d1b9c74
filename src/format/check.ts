// Renders a watermark check: the verdict, then each zone of the walk in words a person can act on.

import type { ChalkInstance } from 'chalk';
import type { CheckResult, ZoneResult } from '../analysis/zonelist.js';
import { decidingWatermarkStep, type BlockStep, type OrderStep, type Step, type WatermarkStep } from '../analysis/watermark-steps.js';
import { blockedListsPhrase } from '../words.js';
import { rulesLine } from './kernel.js';
import { nextLines, proactiveLines, zoneNextLine } from './next-step.js';
import { count, humanBytes } from './units.js';

export interface RenderCheckOptions {
  color: ChalkInstance;
  pageSize: number;
  /** Show every step the kernel evaluates. */
  explain: boolean;
}

/** The text for `check`: one verdict line, a flags line, then a block per zone in walk order. */
export function renderCheck(result: CheckResult, opts: RenderCheckOptions): string {
  const c = opts.color;
  const size = humanBytes(2 ** result.order * opts.pageSize);
  const word = result.ok ? c.green.bold('PASS') : c.red.bold('FAIL');
  const what = `order-${result.order} allocation (${size}), ${result.gfp}, ${result.mark} mark`;
  const outcome = result.servedBy
    ? `served by node ${result.servedBy.node}, zone ${result.servedBy.zone}`
    : 'no zone in the walk can serve it';
  const lines = [
    `${word} ${what}: ${outcome}.`,
    `Rules: ${rulesLine(result.rules)}. Flags: ${result.flags.join(' ')}.`,
  ];
  if (result.next !== undefined && !result.ok) lines.push(...nextLines(result.next, c));
  lines.push(
    `Zonelist walk (zones up to ${result.highestZone}): ${result.zones.map((z) => `node ${z.node} ${z.zone}`).join(', ')}.`,
  );
  for (const z of result.zones) {
    lines.push('', ...renderZone(z, result, opts));
  }
  if (result.proactive !== undefined) lines.push('', ...proactiveLines(result.proactive));
  return lines.join('\n') + '\n';
}

function pages(n: number, pageSize: number): string {
  return `${count(n)} pages (${humanBytes(n * pageSize)})`;
}

/** Pages with their exact size in KiB, the unit the kernel's own reports use, so traces compare to dmesg. */
function exact(n: number, pageSize: number): string {
  return `${count(n)} pages (${count((n * pageSize) / 1024)} KiB)`;
}

function renderZone(z: ZoneResult, r: CheckResult, opts: RenderCheckOptions): string[] {
  const c = opts.color;
  const ps = opts.pageSize;
  const word = z.ok ? c.green('PASS') : c.red('FAIL');
  const reach =
    z.reached || !r.servedBy ? '' : ` (not reached: node ${r.servedBy.node}, zone ${r.servedBy.zone} serves it first)`;
  const code = z.ok ? '' : ` ${z.code}`;
  if (z.code === 'NEVER_SERVES') {
    // Not a failure worth a margin: no amount of reclaim or compaction makes this zone serve the request.
    return [`${c.bold(`Node ${z.node}, zone ${z.zone}`)}: ${c.dim('NEVER_SERVES')}${reach}`, `  ${neverText(z, r, ps)}`];
  }
  const out = [`${c.bold(`Node ${z.node}, zone ${z.zone}`)}: ${word}${code}${reach}`];
  const adjusted = markAdjusted(z);
  out.push(
    `  free ${pages(z.freePages, ps)}${z.freeSource === 'buddy' ? ' (buddy sum)' : ''}; ${r.mark} mark ${count(z.markPages)} pages${adjusted}; lowmem reserve ${count(z.reservePages)} pages`,
  );
  out.push(`  ${why(z, r, ps)}`);
  const next = zoneNextLine(z);
  if (next !== undefined) out.push(`  ${next}`);
  if (z.assumedUsableBlocks) {
    out.push(
      '  No migratetype data for this zone: the free block found was assumed to sit on a list this request may use (give pagetypeinfo to know).',
    );
  }
  out.push(`  ${marginText(z, ps)}`);
  out.push(
    z.largestPassingOrder < 0
      ? '  No order passes now.'
      : `  Largest order that passes now: ${z.largestPassingOrder} (${humanBytes(2 ** z.largestPassingOrder * ps)}).`,
  );
  for (const n of z.notes) out.push(`  Note: ${n}`);
  if (opts.explain && z.steps.length > 0) {
    out.push('  Trace:');
    out.push(...trace(z, r, ps).map((l) => `    ${l}`));
  }
  return out;
}

/** Why a zone can never serve the request: it is too small for it, or its reserve leaves no room. */
export function neverText(z: ZoneResult, r: CheckResult, ps: number): string {
  const size = z.sizePages === undefined ? 'The zone' : `The zone holds ${pages(z.sizePages, ps)}`;
  if (z.servesReason === 'size') {
    return `${size}, less than the request (${pages(2 ** r.order, ps)}): it can never serve it.`;
  }
  const need = z.minPages + z.reservePages;
  const most = z.ceilingPages === undefined ? '' : `: even with all of it free, the check would count ${count(z.ceilingPages)} pages`;
  return `${size}${most}, never more than min ${count(z.minPages)} + lowmem reserve ${count(z.reservePages)} = ${count(need)}. A ${r.gfp} request can never be served here; it belongs in a higher zone.`;
}

/** What the zone's mark became: without the boost when the kernel retried so (5.9+), then after the flags. */
export function markAdjusted(z: ZoneResult): string {
  const boost = decidingWatermarkStep(z.steps as Step[])?.withoutBoost;
  const without = boost === undefined ? '' : ` (${count(z.markPages - boost)} without the boost)`;
  return `${without}${z.minPages === z.markPages ? '' : `, ${count(z.minPages)} after the flags`}`;
}

/** The sentence that says what decided the zone's verdict and what would change it. */
export function why(z: ZoneResult, r: CheckResult, ps: number): string {
  const first = decidingWatermarkStep(z.steps as Step[]);
  const last = z.steps[z.steps.length - 1];
  const n = r.order;
  switch (z.code) {
    case 'PASS': {
      if (last?.check === 'block') {
        const where =
          last.anyList === true
            ? 'ALLOC_HARDER takes any non-empty free list (4.4-4.14)'
            : last.assumed === true
              ? undefined
              : `it is on the ${(last.lists ?? []).join('/')} list`;
        const found = `Enough free memory, and there is a free block of order ${last.order} (${count(last.blocks)} free)`;
        return where === undefined ? `${found}.` : `${found}: ${where}.`;
      }
      if (last?.check === 'order') {
        return `Enough free memory, and the per-order loop passed every order below ${n}.`;
      }
      if (first?.withoutBoost !== undefined) {
        return `Enough free memory once the kernel retries the order-0 test without the zone's watermark boost (${count(first.withoutBoost)} pages), as it does for an atomic order-0 request at min (5.9+).`;
      }
      return 'Enough free memory: the order-0 watermark test passes.';
    }
    case 'LOWMEM_RESERVE': {
      // Above min but within lowmem_reserve: the zone keeps that memory for requests that can only use it
      // (setup_per_zone_lowmem_reserve); reclaiming here would not make it serve this request.
      const need = first ? first.minPages + first.reservePages : z.minPages + z.reservePages;
      const usable = first ? first.freePages : z.freePages;
      return `The zone holds its lowmem reserve: ${count(usable)} usable free pages is above min ${count(z.minPages)} but not above min + reserve ${count(need)}. It keeps ${count(z.reservePages)} pages for requests that cannot use a higher zone; a ${r.gfp} request must be served from a higher zone.`;
    }
    case 'BELOW_WATERMARK': {
      const need = first ? first.minPages + first.reservePages : z.minPages + z.reservePages;
      const usable = first ? first.freePages : z.freePages;
      return `Free memory is below the watermark: ${count(usable)} usable free pages is not more than ${count(need)} (min ${count(z.minPages)} + reserve ${count(z.reservePages)}).`;
    }
    case 'ORDER_LOOP': {
      const k = z.failedOrder ?? 0;
      const step = z.steps.find((s): s is OrderStep => s.check === 'order' && s.order === k);
      const start = first ? loopStart(first, r) : undefined;
      const aside = start !== undefined && step ? start - step.freePages : undefined;
      const blocks = k === 0 ? 'blocks of order 0' : `blocks of orders 0 to ${k}`;
      const setAside = aside === undefined ? `the free ${blocks}` : `the ${count(aside)} free pages in ${blocks}`;
      const halved =
        r.orderShift === 1
          ? k === 0
            ? 'halved once'
            : `halved ${k + 1} times`
          : `shifted right ${k + 1} times by min_free_order_shift ${r.orderShift}`;
      const left = step
        ? `${exact(step.freePages, ps)} are left, not more than the minimum ${halved}, ${exact(step.minPages, ps)}`
        : 'too little is left';
      return `The kernel's per-order loop refused at order ${k}: once ${setAside} are set aside, ${left}. Too little of the free memory is in blocks of order ${k + 1} and up (${humanBytes(2 ** (k + 1) * ps)} and larger).`;
    }
    case 'NO_BLOCK':
      return `Enough free memory, but no free block of order ${n} or larger (${humanBytes(2 ** n * ps)}).`;
    case 'ONLY_RESERVED_BLOCKS':
      return `Enough free memory, but the only free blocks of order ${n} or larger are ${blockedListsPhrase(z.blockedLists ?? [])}, which ${r.gfp} may not use.`;
    case 'ORDER_TOO_LARGE':
      return `This kernel has no order ${n}: the allocator refuses it before any watermark check.`;
    case 'NEVER_SERVES':
      return neverText(z, r, ps);
  }
}

export function marginText(z: ZoneResult, ps: number): string {
  if (z.marginStep < 0) return 'No test ran.';
  const signed = `${z.margin < 0 ? '-' : ''}${count(Math.abs(z.margin))} pages (${humanBytes(z.margin * ps)})`;
  if (z.margin > 0) return `Margin: ${signed} above the tightest test.`;
  const short = 1 - z.margin;
  return `Margin: ${signed}; ${count(short)} more free page${short === 1 ? '' : 's'} (${humanBytes(short * ps)}) would pass that test.`;
}

function okText(ok: boolean): string {
  return ok ? 'ok' : 'FAIL';
}

/** One line per step, as the kernel evaluates them. */
/**
 * The free pages the legacy loop starts from: 3.10-4.3 leave free CMA pages out of the order-0 test only
 * (026b08147923), so they are back for the loop; 3.7-3.9 took them off free itself, for every step.
 */
function loopStart(first: WatermarkStep, r: CheckResult): number {
  return r.rules.cma === 'order0-test' ? first.freePages + (first.cmaPages ?? 0) : first.freePages;
}

function trace(z: ZoneResult, r: CheckResult, ps: number): string[] {
  const shifted = r.orderShift === 1 ? 'halved' : 'shifted';
  const lines: string[] = [];
  let before: number | undefined;
  for (const s of z.steps as Step[]) {
    if (s.check === 'watermark') {
      const parts = [`${count(z.freePages)} free`, `- ${count(2 ** r.order - 1)} for the request`];
      if (s.highatomicPages !== undefined) parts.push(`- ${count(s.highatomicPages)} highatomic`);
      if (s.cmaPages !== undefined) parts.push(`- ${count(s.cmaPages)} free CMA`);
      if (s.shortcut === true) parts.splice(1, 1);
      const rel = s.ok ? '>' : '<=';
      const name =
        s.shortcut === true
          ? "zone_watermark_fast's order-0 shortcut (no highatomic term)"
          : s.withoutBoost !== undefined
            ? `retried without the boost of ${count(s.withoutBoost)} (an atomic order-0 request at min, 5.9+)`
            : 'order-0 test';
      lines.push(`${name}: ${parts.join(' ')} = ${count(s.freePages)} ${rel} min ${count(s.minPages)} + reserve ${count(s.reservePages)}: ${okText(s.ok)}`);
      before = loopStart(s, r);
    } else if (s.check === 'order') {
      const aside = before === undefined ? undefined : before - s.freePages;
      const asideText = aside === undefined ? '' : `set aside ${pages(aside, ps)} in order-${s.order} blocks, `;
      lines.push(
        `loop, order ${s.order}: ${asideText}${exact(s.freePages, ps)} left ${s.ok ? '>' : '<='} min ${shifted} to ${exact(s.minPages, ps)}: ${okText(s.ok)}`,
      );
      before = s.freePages;
    } else {
      lines.push(blockLine(s));
    }
  }
  return lines;
}

function blockLine(s: BlockStep): string {
  if (s.blocks === 0) return `block search, order ${s.order}: no free block`;
  const lists = s.lists ? `on ${s.lists.join('/')}` : 'lists unknown';
  const plural = s.blocks === 1 ? '' : 's';
  const verdict =
    s.anyList === true
      ? 'ALLOC_HARDER takes any list: ok'
      : s.assumed === true
        ? 'assumed usable: ok'
        : s.usable
          ? 'usable: ok'
          : 'none usable by this request';
  return `block search, order ${s.order}: ${count(s.blocks)} free block${plural}, ${lists}: ${verdict}`;
}
