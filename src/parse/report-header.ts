// The header lines of a report: an allocation failure's or the OOM killer's, their GFP mode and placement.

import { explainGfp, type GfpContext, type GfpDecoding } from '../kernel/gfp-decode.js';
import type { LogicalLine } from './logline.js';
import type { Builder } from './report-builder.js';
import type { FailureReport } from './report-types.js';
import { exact, note, tooLarge } from './report-values.js';

const GFP_MASK = /gfp_mask=(0x[0-9a-fA-F]+\**|0)(?:(\()([^)]*)(\))?)?/;

/** m: ALLOC_HEADER's groups: process, "." or ":", stall ms, order, mode, "(", names, ")", rest. */
export function readAllocHeader(b: Builder, m: RegExpExecArray, l: LogicalLine): void {
  const r = b.report;
  r.process = m[1] as string;
  if (m[3] !== undefined) {
    const ms = exact(m[3]);
    if (ms !== undefined) r.stallMs = ms;
  }
  const order = exact(m[4] as string);
  if (order === undefined) note(r, l.line, `the order ${tooLarge(m[4] as string)}; it was not used`);
  else r.order = order;
  // 2.6.32's warn_alloc_failed wrote "failure." and later kernels "failure:": a hint at the version.
  r.headerDot = m[2] === '.';
  readMode(b, m[5] as string, m[6], m[7], m[8], l);
  readPlacement(r, m[9] ?? '');
}

export function readOomHeader(b: Builder, comm: string | undefined, rest: string, l: LogicalLine): void {
  const r = b.report;
  if (comm !== undefined) r.process = comm;
  const g = GFP_MASK.exec(rest);
  if (g) readMode(b, g[1] as string, g[2], g[3], g[4], l);
  const order = /(?:^|[\s,])order=(-?\d+)/.exec(rest);
  const orderValue = order ? exact(order[1] as string) : undefined;
  if (order && orderValue === undefined) note(r, l.line, `the order ${tooLarge(order[1] as string)}; it was not used`);
  // order=-1 is an OOM kill asked for without an allocation (SysRq f, the memory cgroup path).
  if (orderValue !== undefined) r.order = orderValue < 0 ? null : orderValue;
  if (orderValue !== undefined && orderValue < 0) r.orderMinusOne = true;
  const adj = /oom_score_adj=(-?\d+)/.exec(rest);
  const adjValue = adj ? exact(adj[1] as string) : undefined;
  if (adj && adjValue === undefined) note(r, l.line, `oom_score_adj ${tooLarge(adj[1] as string)}; it was not used`);
  if (adjValue !== undefined) r.oomScoreAdj = adjValue;
  readPlacement(r, rest);
  if (order === null) {
    note(r, l.line, 'the OOM header has no order=N field');
  }
}

export function readMode(
  b: Builder,
  hex: string,
  open: string | undefined,
  names: string | undefined,
  close: string | undefined,
  l: LogicalLine,
): void {
  const r = b.report;
  // A mode at the very end of a cut line may have lost digits.
  if (l.truncated && open === undefined && l.text.trim().endsWith(hex)) {
    note(r, l.line, `the GFP mode "${hex}" is where the line was cut, so it may be incomplete; it was not used`);
    return;
  }
  if (hex.includes('*')) {
    // Published with digits masked ("0x62****"): the value is unknown, the printed names still tell.
    r.mode = hex;
    note(r, l.line, `the GFP mode "${hex}" has masked digits, so only the flag names printed after it were used`);
    if (open !== undefined && close !== undefined) b.printedNames = names ?? '';
    return;
  }
  const value = Number(hex);
  // gfp_t is an unsigned int on every release: a wider value was damaged, and decoding it would mislead.
  const fits = value <= 0xffffffff;
  if (fits) {
    r.mode = hex;
    r.modeValue = value;
  } else {
    note(r, l.line, `the GFP mode "${hex}" is wider than 32 bits, which a gfp_t cannot be; it was not decoded`);
  }
  if (open !== undefined) {
    if (close === undefined) {
      const instead = fits ? 'the flags were decoded from the value instead' : 'no flags were taken';
      note(r, l.line, `the flag names after the GFP mode are cut short; ${instead}`);
    } else {
      b.printedNames = names ?? '';
    }
  }
}

export function readPlacement(r: FailureReport, rest: string): void {
  // "nodemask=0, order=0": the list's own commas join ranges ("0-1,3"), never the field separator.
  const nodemask = /nodemask=(\(null\)|\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)/.exec(rest);
  if (nodemask) r.nodemask = nodemask[1] as string;
  const cpuset = /cpuset=([^,\s]*)/.exec(rest);
  if (cpuset) {
    r.cpuset = cpuset[1] as string;
    r.cpusetOnHeader = true;
  }
  const mems = /mems_allowed=([\d,-]*)/.exec(rest);
  if (mems) r.memsAllowed = mems[1] as string;
}

/** Names for a mode the header printed without them, decoded with the bit values of the report's release. */
export function decodeFlags(r: FailureReport): void {
  if (r.modeValue === undefined) return;
  // Without a stated release, a header without names is from before 4.5, when %pGg names arrived.
  const fallback: GfpContext = { from: '2.6.32', before: '4.5' };
  let d = tryExplain(r.modeValue, r.kernel ?? fallback);
  if (d === undefined && r.kernel !== undefined) {
    d = tryExplain(r.modeValue, fallback);
    const what = `the kernel release "${r.kernel}" was not understood`;
    const how = d === undefined ? 'the GFP mode was not decoded' : 'the flags were decoded with the __GFP_* values of 2.6.32 to 4.4';
    note(r, r.line, `${what}, so ${how}`);
  } else if (d === undefined) {
    note(r, r.line, `the GFP mode "${r.mode}" could not be decoded`);
  }
  if (d === undefined) return;
  r.flags = d.names;
  r.flagsFrom = 'decoded';
  r.flagsLayout = d.layout;
}

/** explainGfp, with its refusal turned into undefined: parseReports reports problems, never throws. */
export function tryExplain(value: number, at: GfpContext): GfpDecoding | undefined {
  try {
    return explainGfp(value, at);
  } catch {
    return undefined;
  }
}
