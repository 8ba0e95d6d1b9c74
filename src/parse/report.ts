// Finds the kernel's page-allocation-failure and OOM-killer reports in a log and reads the zone state they print.

import type { ZoneFree, ZoneWatermarks } from '../model.js';
import { generationOf } from '../analysis/kernel.js';
import { explainGfp, type GfpContext, type GfpDecoding } from './gfp-names.js';
import { splitLogicalLines, ZONE_NAME, type LogicalLine } from './logline.js';

/** Something in the input that could not be read as a report expects; the rest of the report still is. */
export interface ReportProblem {
  /** 1-based physical line of the input. */
  line: number;
  message: string;
}

/** One zone as a report shows it: the zone line, its lowmem_reserve[] line and its free-area line. */
export interface ReportZone {
  /** NUMA node; 0 when the kernel printed no "Node N " (non-NUMA builds print none). */
  node: number;
  zone: string;
  /** Physical line of the zone line ("Node 0 DMA32 free:12560kB min:..."), when there was one. */
  line?: number;
  /** Physical line of the free-area line ("Node 0 DMA32: 2360*4kB ..."), when there was one. */
  freeLine?: number;
  /** The zone line's counters converted from kB to pages with the report's page size. */
  watermarks?: ZoneWatermarks;
  /** lowmem_reserve[] as printed: already in pages, one entry per zone type. */
  lowmemReserve?: number[];
  /** Free blocks per order, from a complete free-area line. */
  free?: ZoneFree;
  /** Counts of the orders read from a free-area line that was cut short (orders 0..k); `free` is then absent. */
  freePartial?: number[];
  /** Per order, the migratetype letters printed after the count (3.8+, e.g. "UME"), '' where none. */
  types?: string[];
  /** The free-area line's "= N kB" total. */
  freeKiB?: number;
}

/** One report: a failure or OOM header with the Mem-Info block after it, or a Mem-Info block alone. */
export interface FailureReport {
  /** Where the text came from, for messages. */
  source: string;
  /** 1-based physical line of the header (for a bare Mem-Info block, of its first line). */
  line: number;
  /** Last physical line that belonged to the report. */
  endLine: number;
  /** meminfo: a Mem-Info block or zone lines with no header before them (SysRq-m, an excerpt). */
  kind: 'allocation-failure' | 'oom' | 'meminfo';
  /** Time from the header's prefix: the wall clock when the log had one, else printk seconds. */
  time?: string;
  /** The task's comm as the header names it. */
  process?: string;
  /** From the dump_stack line after the header ("CPU: 3 PID: 12 Comm: ..." or "Pid: 12, comm: ..."). */
  pid?: number;
  /** The request's order; null for meminfo and for an OOM kill not caused by an allocation (order=-1). */
  order: number | null;
  /** The GFP mode as printed ("0x4020", "0x480020"). */
  mode?: string;
  modeValue?: number;
  /** Flag names: those the kernel printed in brackets (4.5+), else decoded from modeValue. */
  flags?: string[];
  flagsFrom?: 'printed' | 'decoded';
  /** For decoded flags: the first release whose __GFP_* values were used (see gfp-names.ts). */
  flagsLayout?: string;
  nodemask?: string;
  cpuset?: string;
  memsAllowed?: string;
  /** OOM reports only. */
  oomScoreAdj?: number;
  /** The header read "page allocation failure." (2.6.32) rather than "failure:". */
  headerDot?: boolean;
  /** Kernel release stated nearby: the dump_stack line, else the last "Linux version" line before. */
  kernel?: string;
  /** Bytes, from the first column of a free-area line: 4kB -> 4096, 64kB -> 65536. */
  pageSize?: number;
  zones: ReportZone[];
  problems: ReportProblem[];
}

export interface ParsedLog {
  reports: FailureReport[];
  /** The last kernel release the log states (a "Linux version" or dump_stack line). */
  kernel?: { version: string; line: number };
  /** Problems outside any report. */
  problems: ReportProblem[];
}

// warn_alloc_failed / warn_alloc: "comm: page allocation failure. order:%d, mode:0x%x" (2.6.32, the "."),
// "...failure: order:%d, mode:0x%x" (2.6.39+), "mode:%#x(%pGg)" (4.5+), then ", nodemask=%*pbl" and
// the cpuset either on the same line (",cpuset=/,mems_allowed=0") or on the next ("comm cpuset=/ mems_allowed=0").
const ALLOC_HEADER =
  /^(.*?): page allocation failure([.:]) order:(\d+), mode:(0x[0-9a-fA-F]+|0)(?:(\()([^)]*)(\))?)?(.*)$/;
// dump_header: "comm invoked oom-killer: gfp_mask=0x%x, order=%d, oom_adj=%d, oom_score_adj=%d" (2.6.3x-3.x),
// "gfp_mask=%#x(%pGg), nodemask=%*pbl, order=%d, oom_score_adj=%hd" (4.x), without nodemask from 4.19.
const OOM_HEADER = /^(.*?) invoked oom-killer: (.*)$/;
const GFP_MASK = /gfp_mask=(0x[0-9a-fA-F]+|0)(?:(\()([^)]*)(\))?)?/;
const CPUSET_LINE = /^(.+?) cpuset=(\S*) mems_allowed=([\d,-]*)$/;
const MEM_INFO = /^Mem-Info:$/;
const ZONE_LINE = new RegExp(`^(?:Node (\\d+) )?(${ZONE_NAME}) (free:.*)$`);
const FREE_AREA = new RegExp(`^(?:Node (\\d+) )?(${ZONE_NAME}):(?: (.*))?$`);
const LOWMEM = /^lowmem_reserve\[\]:((?:\s+\d+)*)\s*(.*)$/;
/** Lines show_mem prints after the free-area lines: the zone part of the block is over. */
const BLOCK_END = new RegExp(
  [
    '^(?:\\d+ total pagecache pages',
    '\\d+ pages RAM',
    '\\d+ pages in swap cache',
    'Swap cache stats',
    'Free swap\\s*=',
    'Total swap\\s*=',
    '(?:Node \\d+ )?hugepages_total=)',
  ].join('|'),
);
const LINUX_VERSION = /^Linux version (\d+\.\d+\S*)/;
const CPU_LINE =
  /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: .*? (?:Not tainted|Tainted: [A-Z ]*?)\s*(\d+\.\d+\S*)/;
const PID_LINE = /^Pid: (\d+), comm: .*? (?:Not tainted|Tainted: [A-Z ]*?)\s*(\d+\.\d+\S*)/;
const MEMCG = /Memory cgroup out of memory|^memory: usage \d+kB|^Task in \S+ killed as a result of limit/;

/** Per-zone fields of the zone line that become watermark counters, with the ZoneWatermarks key. */
const ZONE_FIELDS = [
  ['free', 'freePages'],
  ['boost', 'boost'],
  ['min', 'min'],
  ['low', 'low'],
  ['high', 'high'],
  ['present', 'present'],
  ['managed', 'managed'],
  ['free_cma', 'freeCma'],
  ['reserved_highatomic', 'reservedHighatomic'],
  ['free_highatomic', 'freeHighatomic'],
] as const;

/** What the tokens of a free-area line say. */
interface FreeAreaRead {
  counts: number[];
  sizesKiB: number[];
  letters: (string | undefined)[];
  totalKiB?: number;
  /** "Normal: empty" (older kernels, unpopulated zone). */
  empty: boolean;
  /** The first token that is not a free-area item, when there was one before the total. */
  stray?: string;
  /** Text after the "= N kB" total. */
  trailing?: string;
  /** The first number of the line too large to hold exactly (2^53 or more), as printed. */
  tooBig?: string;
}

/** A printed decimal as a number, or undefined when it is 2^53 or more and a double would round it. */
function exact(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Why a number was dropped, for problem messages. */
function tooLarge(digits: string): string {
  return `${digits} is too large to hold exactly (2^53 or more)`;
}

/** A page size the kernel can have: a power of two of at least 1 kB (4 kB, 16 kB, 64 kB, 256 kB...). */
function isPageSizeKiB(kib: number): boolean {
  if (!Number.isSafeInteger(kib) || kib < 1) return false;
  let p = 1;
  while (p < kib) p *= 2;
  return p === kib;
}

/**
 * True when the replay can use the release. generationOf refuses 2.4 and older (a different allocator);
 * the report command calls it on the release a report states, so a refused one must not be handed on.
 */
function usableRelease(version: string): boolean {
  try {
    generationOf(version);
    return true;
  } catch {
    return false;
  }
}

function readFreeArea(body: string): FreeAreaRead {
  const r: FreeAreaRead = { counts: [], sizesKiB: [], letters: [], empty: false };
  const tokens = body.trim().split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 1 && tokens[0] === 'empty') return { ...r, empty: true };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    let m = /^(\d+)\*(\d+)kB$/.exec(t);
    if (m) {
      for (const digits of [m[1] as string, m[2] as string]) {
        if (exact(digits) === undefined) r.tooBig ??= digits;
      }
      r.counts.push(Number(m[1]));
      r.sizesKiB.push(Number(m[2]));
      r.letters.push(undefined);
      continue;
    }
    m = /^\(([A-Za-z]+)\)$/.exec(t);
    if (m && r.counts.length > 0 && r.letters[r.letters.length - 1] === undefined) {
      r.letters[r.letters.length - 1] = m[1];
      continue;
    }
    m = /^=(\d+)kB$/.exec(t);
    const total = m ? m[1] : t === '=' ? /^(\d+)kB$/.exec(tokens[i + 1] ?? '')?.[1] : undefined;
    if (total !== undefined) {
      if (exact(total) === undefined) r.tooBig ??= total;
      r.totalKiB = Number(total);
      const after = tokens.slice(m ? i + 1 : i + 2);
      if (after.length > 0) r.trailing = after.join(' ');
      return r;
    }
    // A piece of an item as the last token is where the line was cut, not stray text.
    if (i < tokens.length - 1 || !/^(?:\d+\*?\d*k?|\([A-Za-z]*)$/.test(t)) r.stray = t;
    return r;
  }
  return r;
}

interface RawZone {
  node: number;
  zone: string;
  line?: number;
  fields?: Map<string, ZoneField>;
  lowmem?: number[];
  freeLine?: number;
  free?: FreeAreaRead;
}

interface Builder {
  report: FailureReport;
  header: boolean;
  /** The flag names the header printed in brackets after the mode (4.5+), as printed. */
  printedNames?: string;
  memInfoLine?: number;
  /** show_mem went past its zone part: more zone lines start another report. */
  closed: boolean;
  zones: Map<string, RawZone>;
  lastZone?: RawZone;
  memcg: boolean;
  /** The last release a log line stated before this report began. */
  versionBefore?: string;
}

/** True when the text carries something this parser reads: a failure header, a Mem-Info block, zone lines. */
export function looksLikeReport(text: string): boolean {
  return new RegExp(
    `page allocation failure|invoked oom-killer:|Mem-Info:|${ZONE_NAME}: \\d+\\*\\d+kB|${ZONE_NAME} free:\\d+kB`,
  ).test(text);
}

/**
 * Reads every allocation-failure report, OOM-killer report and bare Mem-Info block of a log. Never
 * throws on bad input: a part that cannot be read becomes a problem with its line, and the rest is kept.
 */
export function parseReports(text: string, source: string): ParsedLog {
  const lines = splitLogicalLines(text);
  const reports: FailureReport[] = [];
  const problems: ReportProblem[] = [];
  let kernel: { version: string; line: number } | undefined;
  let bootVersion: string | undefined;
  let cur: Builder | undefined;

  const start = (l: LogicalLine, kind: FailureReport['kind']): Builder => {
    const report: FailureReport = { source, line: l.line, endLine: l.endLine, kind, order: null, zones: [], problems: [] };
    if (l.time !== undefined) report.time = l.time;
    const b: Builder = { report, header: kind !== 'meminfo', closed: false, zones: new Map(), memcg: false };
    const before = bootVersion ?? kernel?.version;
    if (before !== undefined) b.versionBefore = before;
    return b;
  };
  const finish = (reason: { next: number } | 'end'): void => {
    if (cur !== undefined) reports.push(finalize(cur, reason));
    cur = undefined;
  };
  const noteCut = (b: Builder, l: LogicalLine): void => {
    if (l.truncated) {
      b.report.problems.push({
        line: l.endLine,
        message:
          'the line was cut short (it ends in "…", as journalctl prints lines wider than the terminal); ' +
          'only the part before the cut was read',
      });
    }
  };

  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    const before = cur;
    handle(l, t);
    // A line that started a new report does not extend the one before it.
    if (cur !== undefined && cur === before) cur.report.endLine = Math.max(cur.report.endLine, l.endLine);
  }
  finish('end');

  const out: ParsedLog = { reports, problems };
  if (kernel !== undefined) out.kernel = kernel;
  return out;

  /** A zone line or free-area line whose node number cannot be held exactly: it is skipped whole. */
  /** The "Node N " prefix's number (0 when absent: non-NUMA kernels print none); undefined after a problem. */
  function nodeOf(l: LogicalLine, digits: string | undefined): number | undefined {
    if (digits === undefined) return 0;
    const node = exact(digits);
    if (node === undefined) skipNode(l, digits);
    return node;
  }

  function skipNode(l: LogicalLine, digits: string): void {
    if (cur !== undefined) cur.lastZone = undefined;
    (cur?.report.problems ?? problems).push({
      line: l.line,
      message: `the node number ${tooLarge(digits)}, so the zone this line describes is unknown; the line was skipped`,
    });
  }

  function handle(l: LogicalLine, t: string): void {
    let m = LINUX_VERSION.exec(t);
    if (m) {
      const version = m[1] as string;
      if (!usableRelease(version)) {
        // A new boot: the release of an earlier boot does not describe the reports after this line.
        kernel = undefined;
        bootVersion = undefined;
        problems.push({
          line: l.line,
          message: `the kernel release "${version}" is older than 2.6, whose allocator the analyzer replays; it was not used`,
        });
        return;
      }
      kernel = { version, line: l.line };
      bootVersion = version;
      return;
    }
    m = CPU_LINE.exec(t) ?? PID_LINE.exec(t);
    if (m) {
      const version = m[2] as string;
      const pid = exact(m[1] as string);
      const ours = cur !== undefined && cur.header && cur.zones.size === 0 ? cur : undefined;
      const where = ours?.report.problems ?? problems;
      if (pid === undefined) where.push({ line: l.line, message: `the PID ${tooLarge(m[1] as string)}; it was not used` });
      else if (ours !== undefined) ours.report.pid ??= pid;
      if (!usableRelease(version)) {
        where.push({
          line: l.line,
          message: `the kernel release "${version}" is older than 2.6, whose allocator the analyzer replays; it was not used`,
        });
        return;
      }
      kernel = { version, line: l.line };
      if (ours !== undefined) ours.report.kernel ??= version;
      return;
    }

    m = ALLOC_HEADER.exec(t);
    if (m) {
      finish({ next: l.line });
      cur = start(l, 'allocation-failure');
      readAllocHeader(cur, m, l);
      noteCut(cur, l);
      return;
    }
    m = OOM_HEADER.exec(t);
    if (m) {
      finish({ next: l.line });
      cur = start(l, 'oom');
      readOomHeader(cur, m[1] as string, m[2] as string, l);
      noteCut(cur, l);
      return;
    }

    if (MEM_INFO.test(t)) {
      if (cur !== undefined && cur.header && cur.memInfoLine === undefined && cur.zones.size === 0) {
        cur.memInfoLine = l.line;
      } else {
        finish({ next: l.line });
        cur = start(l, 'meminfo');
        cur.memInfoLine = l.line;
      }
      return;
    }

    m = ZONE_LINE.exec(t);
    if (m) {
      const node = nodeOf(l, m[1]);
      if (node === undefined) return;
      const zone = m[2] as string;
      const existing = cur?.zones.get(`${node}/${zone}`);
      // show_free_areas prints every zone line before the first free-area line: a zone line after one
      // (or a zone seen twice) is the next dump.
      const pastZoneLines = cur !== undefined && [...cur.zones.values()].some((z) => z.freeLine !== undefined);
      if (cur === undefined || cur.closed || pastZoneLines || existing?.line !== undefined) {
        finish({ next: l.line });
        cur = start(l, 'meminfo');
      }
      const z = zoneOf(cur, node, zone);
      z.line = l.line;
      z.fields = readZoneFields(m[3] as string);
      cur.lastZone = z;
      noteCut(cur, l);
      return;
    }

    m = LOWMEM.exec(t);
    if (m) {
      const printed = (m[1] as string).trim().split(/\s+/).filter((v) => v !== '');
      if (cur === undefined || cur.lastZone === undefined || cur.lastZone.lowmem !== undefined) {
        (cur?.report.problems ?? problems).push({
          line: l.line,
          message: 'a lowmem_reserve[] line with no zone line before it was skipped',
        });
        return;
      }
      const huge = printed.find((v) => exact(v) === undefined);
      if (huge !== undefined) {
        // One entry per zone type: dropping one would shift the rest onto the wrong zones.
        note(cur.report, l.line, `the lowmem_reserve[] value ${tooLarge(huge)}; the line was not used`);
        noteCut(cur, l);
        return;
      }
      cur.lastZone.lowmem = printed.map(Number);
      if (m[2] !== '') {
        cur.report.problems.push({ line: l.line, message: `lowmem_reserve[] ends in unexpected text "${m[2]}"` });
      }
      noteCut(cur, l);
      return;
    }

    m = FREE_AREA.exec(t);
    if (m && (m[3] === undefined || /^(?:\d|empty$)/.test(m[3]))) {
      const node = nodeOf(l, m[1]);
      if (node === undefined) return;
      const zone = m[2] as string;
      const existing = cur?.zones.get(`${node}/${zone}`);
      if (cur === undefined || cur.closed || existing?.freeLine !== undefined) {
        finish({ next: l.line });
        cur = start(l, 'meminfo');
      }
      const z = zoneOf(cur, node, zone);
      z.freeLine = l.line;
      z.free = readFreeArea(m[3] ?? '');
      cur.lastZone = undefined;
      noteCut(cur, l);
      return;
    }

    if (cur === undefined) return;
    if (BLOCK_END.test(t) && [...cur.zones.values()].some((z) => z.freeLine !== undefined)) {
      cur.closed = true;
      return;
    }
    m = CPUSET_LINE.exec(t);
    if (m && cur.header && cur.zones.size === 0 && cur.report.cpuset === undefined) {
      cur.report.cpuset = m[2] as string;
      cur.report.memsAllowed = m[3] as string;
      return;
    }
    if (MEMCG.test(t)) cur.memcg = true;
  }
}

function zoneOf(b: Builder, node: number, zone: string): RawZone {
  const key = `${node}/${zone}`;
  let z = b.zones.get(key);
  if (z === undefined) {
    z = { node, zone };
    b.zones.set(key, z);
  }
  return z;
}

/** One `key:value` field of a zone line. */
interface ZoneField {
  value: number;
  /** The digits as printed, for saying which value was too large. */
  digits: string;
  unit?: string;
}

/** The `key:value` fields of a zone line; a value with no unit after it (a cut line) keeps unit undefined. */
function readZoneFields(rest: string): Map<string, ZoneField> {
  const fields = new Map<string, ZoneField>();
  for (const m of rest.matchAll(/(?:^|\s)([a-z_][a-z_0-9()]*):\s?(\d+)(kB|KB)?(?=\s|$)/g)) {
    const key = m[1] as string;
    if (fields.has(key)) continue;
    const f: ZoneField = { value: Number(m[2]), digits: m[2] as string };
    if (m[3] !== undefined) f.unit = m[3];
    fields.set(key, f);
  }
  return fields;
}

function readAllocHeader(b: Builder, m: RegExpExecArray, l: LogicalLine): void {
  const r = b.report;
  r.process = m[1] as string;
  const order = exact(m[3] as string);
  if (order === undefined) note(r, l.line, `the order ${tooLarge(m[3] as string)}; it was not used`);
  else r.order = order;
  // 2.6.32's warn_alloc_failed wrote "failure." and later kernels "failure:": a hint at the version.
  r.headerDot = m[2] === '.';
  readMode(b, m[4] as string, m[5], m[6], m[7], l);
  readPlacement(r, m[8] ?? '');
}

function readOomHeader(b: Builder, comm: string, rest: string, l: LogicalLine): void {
  const r = b.report;
  r.process = comm;
  const g = GFP_MASK.exec(rest);
  if (g) readMode(b, g[1] as string, g[2], g[3], g[4], l);
  const order = /(?:^|[\s,])order=(-?\d+)/.exec(rest);
  const orderValue = order ? exact(order[1] as string) : undefined;
  if (order && orderValue === undefined) note(r, l.line, `the order ${tooLarge(order[1] as string)}; it was not used`);
  // order=-1 is an OOM kill asked for without an allocation (SysRq f, the memory cgroup path).
  if (orderValue !== undefined) r.order = orderValue < 0 ? null : orderValue;
  const adj = /oom_score_adj=(-?\d+)/.exec(rest);
  const adjValue = adj ? exact(adj[1] as string) : undefined;
  if (adj && adjValue === undefined) note(r, l.line, `oom_score_adj ${tooLarge(adj[1] as string)}; it was not used`);
  if (adjValue !== undefined) r.oomScoreAdj = adjValue;
  readPlacement(r, rest);
  if (order === null) {
    note(r, l.line, 'the OOM header has no order=N field');
  }
}

function readMode(
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

function readPlacement(r: FailureReport, rest: string): void {
  const nodemask = /nodemask=(\(null\)|[\d,-]+)/.exec(rest);
  if (nodemask) r.nodemask = nodemask[1] as string;
  const cpuset = /cpuset=([^,\s]*)/.exec(rest);
  if (cpuset) r.cpuset = cpuset[1] as string;
  const mems = /mems_allowed=([\d,-]*)/.exec(rest);
  if (mems) r.memsAllowed = mems[1] as string;
}

function note(r: FailureReport, line: number, message: string): void {
  r.problems.push({ line, message });
}

function zoneLabel(z: { node: number; zone: string }): string {
  return `Node ${z.node} ${z.zone}`;
}

/** Turns the collected lines of one report into its final form, with the checks that need all of it. */
function finalize(b: Builder, reason: { next: number } | 'end'): FailureReport {
  const r = b.report;
  const raw = [...b.zones.values()];
  r.kernel ??= b.versionBefore;
  decodeFlags(b);

  if (b.header && raw.length === 0) {
    const what = r.kind === 'oom' ? 'OOM-killer header' : 'allocation-failure header';
    const until = reason === 'end' ? 'before the end of the input' : `before the next report on line ${reason.next}`;
    const memcg = b.memcg ? ' (a memory cgroup OOM prints no zone state)' : '';
    const block =
      b.memInfoLine === undefined ? 'has no Mem-Info zone lines' : `has a Mem-Info line (${b.memInfoLine}) but no zone lines`;
    note(r, r.line, `the ${what} ${block} ${until}${memcg}`);
  }

  const { pageKiB, faults } = judgeFreeAreas(raw);
  if (pageKiB !== undefined) r.pageSize = pageKiB * 1024;
  const withZoneLine = raw.filter((z) => z.line !== undefined);
  const withFreeLine = raw.filter((z) => z.freeLine !== undefined);
  if (pageKiB === undefined && withZoneLine.length > 0) {
    const usable = faults.size > 0 ? 'usable ' : '';
    r.problems.push({
      line: withZoneLine[0]?.line ?? r.line,
      message: `no ${usable}free-area line gives the page size, so the zone line counters were converted assuming 4 kB pages`,
    });
  }

  for (const z of raw) {
    const zone: ReportZone = { node: z.node, zone: z.zone };
    if (z.line !== undefined) zone.line = z.line;
    if (z.freeLine !== undefined) zone.freeLine = z.freeLine;
    if (z.lowmem !== undefined) zone.lowmemReserve = z.lowmem;
    if (z.fields !== undefined && z.line !== undefined) {
      const w = watermarksOf(z, z.line, pageKiB ?? 4, r);
      if (w !== undefined) zone.watermarks = w;
    }
    if (z.free !== undefined && z.freeLine !== undefined) readFree(zone, z.free, z.freeLine, r, faults.get(z));
    if (z.line === undefined && withZoneLine.length > 0) {
      note(r, z.freeLine ?? r.line, `${zoneLabel(z)} has a free-area line but no zone line, so its watermarks are unknown`);
    }
    if (z.freeLine === undefined && withFreeLine.length > 0) {
      note(r, z.line ?? r.line, `${zoneLabel(z)} has a zone line but no free-area line, so its free blocks are unknown`);
    }
    r.zones.push(zone);
  }
  if (raw.length > 0 && withFreeLine.length === 0) {
    note(r, r.line, 'the report has no free-area lines ("Node 0 Normal: 12*4kB ..."), so its free blocks per order are unknown');
  }
  r.problems.sort((a, c) => a.line - c.line);
  return r;
}

function decodeFlags(b: Builder): void {
  const r = b.report;
  if (b.printedNames !== undefined) {
    r.flags = b.printedNames.split('|').map((n) => n.trim()).filter((n) => n !== '' && n !== 'none');
    r.flagsFrom = 'printed';
    return;
  }
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
function tryExplain(value: number, at: GfpContext): GfpDecoding | undefined {
  try {
    return explainGfp(value, at);
  } catch {
    return undefined;
  }
}

/** kB (or KB) counters of a zone line to pages; min, low and high are required. */
function watermarksOf(z: RawZone, line: number, pageKiB: number, r: FailureReport): ZoneWatermarks | undefined {
  const fields = z.fields ?? new Map<string, ZoneField>();
  const pages: Partial<Record<(typeof ZONE_FIELDS)[number][1], number>> = {};
  const unreadable: string[] = [];
  const huge = new Set<string>();
  for (const [key, target] of ZONE_FIELDS) {
    const f = fields.get(key);
    if (f === undefined) continue;
    if (f.unit === undefined) {
      unreadable.push(`${key}:${f.digits}`);
      continue;
    }
    if (!Number.isSafeInteger(f.value)) {
      huge.add(key);
      const mark = key === 'min' || key === 'low' || key === 'high' ? ', so the zone\'s watermarks are unknown' : '';
      note(r, line, `${key}: of ${zoneLabel(z)} is ${tooLarge(f.digits)}; it was not used${mark}`);
      continue;
    }
    if (f.value % pageKiB !== 0) {
      note(r, line, `${key}:${f.value}${f.unit} of ${zoneLabel(z)} is not a whole number of ${pageKiB} kB pages; rounded down`);
    }
    pages[target] = Math.floor(f.value / pageKiB);
  }
  if (unreadable.length > 0) {
    const list = unreadable.join(', ');
    note(r, line, `the zone line of ${zoneLabel(z)} has ${list} without a kB unit (cut short?); those fields were not used`);
  }
  const { min, low, high } = pages;
  if (min === undefined || low === undefined || high === undefined) {
    const missing = (['min', 'low', 'high'] as const).filter((k) => pages[k] === undefined && !huge.has(k));
    const list = missing.map((k) => `${k}:`).join(', ');
    if (missing.length > 0) {
      note(r, line, `the zone line of ${zoneLabel(z)} lacks ${list} (cut short?), so its watermarks are unknown`);
    }
    return undefined;
  }
  const w: ZoneWatermarks = { node: z.node, zone: z.zone, min, low, high, source: r.source, line };
  if (pages.freePages !== undefined) w.freePages = pages.freePages;
  if (pages.boost !== undefined) w.boost = pages.boost;
  if (pages.present !== undefined) w.present = pages.present;
  if (pages.managed !== undefined) w.managed = pages.managed;
  if (pages.freeCma !== undefined) w.freeCma = pages.freeCma;
  if (pages.reservedHighatomic !== undefined) w.reservedHighatomic = pages.reservedHighatomic;
  if (pages.freeHighatomic !== undefined) w.freeHighatomic = pages.freeHighatomic;
  if (z.lowmem !== undefined) w.lowmemReserve = z.lowmem;
  return w;
}

/** Why a free-area line's own numbers cannot be used, or undefined when they look as the kernel prints them. */
function freeAreaFault(f: FreeAreaRead): string | undefined {
  if (f.tooBig !== undefined) return `has the number ${tooLarge(f.tooBig)}`;
  const sizes = f.sizesKiB;
  const first = sizes[0];
  if (first === undefined) return undefined;
  if (!isPageSizeKiB(first)) {
    return `starts at ${first}kB, which is no page size: expected a power of two of at least 1 kB (4kB, 16kB, 64kB, 256kB...)`;
  }
  // show_free_areas prints K(1UL << order) for each order: every block size doubles the one before.
  const wrong = sizes.findIndex((size, o) => o > 0 && size !== 2 * (sizes[o - 1] ?? 0));
  if (wrong < 0) return undefined;
  const expected = 2 * (sizes[wrong - 1] ?? 0);
  return `has ${sizes[wrong]}kB at order ${wrong}, expected ${expected}kB (block sizes double per order)`;
}

/** Cut short or with stray text: the counts stop before the last order. */
function isPartial(f: FreeAreaRead): boolean {
  return f.stray !== undefined || f.totalKiB === undefined;
}

/**
 * The report's page size and the free-area lines whose counts cannot be used, with why. The kernel prints
 * every zone with the same page size and the same number of orders (show_free_areas walks MAX_ORDER, later
 * NR_PAGE_ORDERS, columns for each zone), so a line that disagrees was damaged. Which line is right cannot
 * be known; the number of orders most complete lines have wins, the larger on a tie, so that a line that
 * lost columns does not make the analysis believe the kernel has fewer orders.
 */
function judgeFreeAreas(raw: readonly RawZone[]): { pageKiB?: number; faults: Map<RawZone, string> } {
  const faults = new Map<RawZone, string>();
  const lines = raw.filter((z) => z.free !== undefined && !z.free.empty && z.freeLine !== undefined);
  for (const z of lines) {
    const why = freeAreaFault(z.free as FreeAreaRead);
    if (why !== undefined) faults.set(z, why);
  }
  // The page size is the first column of a sound free-area line: K(1) << 0.
  const sized = lines.find((z) => !faults.has(z) && (z.free?.sizesKiB.length ?? 0) > 0);
  const pageKiB = sized?.free?.sizesKiB[0];
  if (sized === undefined || pageKiB === undefined) return { faults };
  for (const z of lines) {
    const first = z.free?.sizesKiB[0];
    if (faults.has(z) || first === undefined || first === pageKiB) continue;
    const other = `${zoneLabel(sized)} (line ${sized.freeLine})`;
    faults.set(z, `starts at ${first}kB, but ${other} starts at ${pageKiB}kB: the kernel prints one page size for every zone`);
  }

  const complete = lines.filter((z) => !faults.has(z) && !isPartial(z.free as FreeAreaRead));
  const tally = new Map<number, number>();
  for (const z of complete) {
    const n = z.free?.counts.length ?? 0;
    tally.set(n, (tally.get(n) ?? 0) + 1);
  }
  let orders: number | undefined;
  for (const [n, seen] of tally) {
    const best = orders === undefined ? 0 : (tally.get(orders) ?? 0);
    if (orders === undefined || seen > best || (seen === best && n > orders)) orders = n;
  }
  if (orders === undefined) return { pageKiB, faults };
  const model = complete.find((z) => z.free?.counts.length === orders) as RawZone;
  for (const z of lines) {
    if (faults.has(z)) continue;
    const f = z.free as FreeAreaRead;
    // A cut line may hold fewer orders, never more.
    if (isPartial(f) ? f.counts.length <= orders : f.counts.length === orders) continue;
    const like = `${zoneLabel(model)} (line ${model.freeLine})`;
    faults.set(z, `has ${f.counts.length} orders, but ${like} has ${orders}: the kernel prints as many for every zone`);
  }
  return { pageKiB, faults };
}

/** Checks a free-area line and puts its counts on the zone: whole, or as freePartial when cut short. */
function readFree(zone: ReportZone, f: FreeAreaRead, line: number, r: FailureReport, fault: string | undefined): void {
  const label = zoneLabel(zone);
  if (f.empty) return;
  if (fault !== undefined) {
    note(r, line, `the free-area line of ${label} ${fault}; its counts were not used`);
    return;
  }
  if (f.letters.some((x) => x !== undefined)) zone.types = f.letters.map((x) => x ?? '');
  const bad = f.letters.find((x) => x !== undefined && /[^UMERHCI]/.test(x));
  if (bad !== undefined) {
    note(r, line, `the free-area line of ${label} has migratetype letters "${bad}" outside U, M, E, R, H, C, I`);
  }
  if (f.stray !== undefined || f.totalKiB === undefined) {
    zone.freePartial = f.counts;
    const why =
      f.stray !== undefined
        ? `has unexpected text "${f.stray}" after order ${f.counts.length - 1}`
        : 'is cut short: it has no "= N kB" total';
    note(r, line, `the free-area line of ${label} ${why}; ${f.counts.length} order(s) were read, kept apart as partial counts`);
    return;
  }
  zone.freeKiB = f.totalKiB;
  if (f.trailing !== undefined) note(r, line, `the free-area line of ${label} goes on after its total with "${f.trailing}"`);
  const sum = f.counts.reduce((s, c, o) => s + c * (f.sizesKiB[o] ?? 0), 0);
  if (sum !== f.totalKiB) {
    note(r, line, `the free-area line of ${label} adds up to ${sum}kB, but the kernel printed = ${f.totalKiB}kB`);
  }
  zone.free = { node: zone.node, zone: zone.zone, free: f.counts, source: r.source, line };
}
