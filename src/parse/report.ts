// Finds the kernel's page-allocation-failure and OOM-killer reports in a log and reads the zone state they print.

import { tryRelease } from '../kernel/release.js';
import { ZONE_NAME } from '../kernel/zones.js';
import { readFreeArea } from './free-area.js';
import { splitLogicalLines, type LogicalLine } from './logline.js';
import { zoneOf, type Builder } from './report-builder.js';
import { finalize } from './report-finalize.js';
import { Interrupted, StackWatch } from './report-threads.js';
import { decodeFlags, readAllocHeader, readOomHeader } from './report-header.js';
import { readOomLine } from './report-oom.js';
import type { FailureReport, ParsedLog, ReportProblem } from './report-types.js';
import { exact, note, tooLarge } from './report-values.js';
import { releaseFromBanner, releaseFromStackHead } from './version.js';
import { readAllUnreclaimable, readZoneFields } from './zone-fields.js';

// warn_alloc_failed / warn_alloc: "comm: page allocation failure. order:%d, mode:0x%x" (2.6.32, the "."),
// "...failure: order:%d, mode:0x%x" (2.6.39+), "mode:%#x(%pGg)" (4.5+), then ", nodemask=%*pbl" and
// the cpuset either on the same line (",cpuset=/,mems_allowed=0") or on the next ("comm cpuset=/ mems_allowed=0").
// 4.9 to 4.14 also warned while an allocation kept retrying: "comm: page allocation stalls for 10646ms,
// order:0, mode:0x24280ca(...)" (warn_alloc_show_mem under the stall warning); the same dump follows.
// A mode some publishers mask ("0x62****") keeps its stars.
const ALLOC_HEADER =
  /^(.*?): page allocation (?:failure([.:]) |stalls for (\d+)ms, )order:(\d+), mode:(0x[0-9a-fA-F]+\**|0)(?:(\()([^)]*)(\))?)?(.*)$/;
// dump_header: "comm invoked oom-killer: gfp_mask=0x%x, order=%d, oom_adj=%d, oom_score_adj=%d" (2.6.3x-3.x),
// "gfp_mask=%#x(%pGg), nodemask=%*pbl, order=%d, oom_score_adj=%hd" (4.x), without nodemask from 4.19.
// Up to 2.6.17 the header named no task: "oom-killer: gfp_mask=0xd0, order=1" (2.6.11 had no order either).
const OOM_HEADER = /^(?:(.*?) invoked )?oom-killer: (gfp_mask=.*)$/;
const CPUSET_LINE = /^(.+?) cpuset=(\S*) mems_allowed=([\d,-]*)$/;
// do_mmap_private on nommu kernels (mm/nommu.c): "nommu: Allocation of length %lu from process %d (%s) failed".
const NOMMU = /^nommu: Allocation of length \d+ from process \d+ \(.*\) failed$/;
// "Mem-info:" up to 2.6.2x, "Mem-Info:" after.
const MEM_INFO = /^Mem-Info:$/i;
const ZONE_LINE = new RegExp(`^(?:Node (\\d+) )?(${ZONE_NAME}) (free:.*)$`);
const FREE_AREA = new RegExp(`^(?:Node (\\d+) )?(${ZONE_NAME}):(?: (.*))?$`);
const LOWMEM = /^lowmem_reserve\[\]:((?:\s+\d+)*)\s*(.*)$/;
const GLUED_LOWMEM = /\s+(?:\[\s*\d+\.\d+\]\s*)?(lowmem_reserve\[\]:.*)$/;
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
const MEMCG = /Memory cgroup out of memory|^memory: usage \d+kB|^Task in \S+ killed as a result of limit/;

/** True when the replay can use the release: 2.6 or later (2.4 had another allocator). */
function usableRelease(version: string): boolean {
  return tryRelease(version) !== undefined;
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
  let kernel: { version: string; line: number; upstream?: string } | undefined;
  let bootVersion: { version: string; line: number; upstream?: string } | undefined;
  let cur: Builder | undefined;
  const stack = new StackWatch();
  const interrupted = new Interrupted();

  const start = (l: LogicalLine, kind: FailureReport['kind']): Builder => {
    const report: FailureReport = { source, line: l.line, endLine: l.endLine, kind, order: null, zones: [], problems: [] };
    if (l.time !== undefined) report.time = l.time;
    const b: Builder = { report, header: kind !== 'meminfo', closed: false, zones: new Map(), memcg: false };
    const before = bootVersion ?? kernel;
    if (before !== undefined) b.versionBefore = before;
    if (kind === 'meminfo') {
      // The header is not in the excerpt, but the stack before the dump may say what printed it.
      const shown = stack.take();
      if (shown !== undefined) {
        report.kind = shown;
        report.headerless = true;
      }
    } else {
      stack.reset();
    }
    return b;
  };
  const finish = (reason: { next: number } | 'end'): void => {
    if (cur !== undefined && (reason === 'end' || !interrupted.hold(cur, reason))) reports.push(finalize(cur, reason));
    cur = undefined;
  };
  const noteCut = (b: Builder, l: LogicalLine): void => {
    if (l.truncated) {
      const how =
        l.cutMark === '>'
          ? 'it ends in a ">" glued to a cut word, as pagers and log viewers mark a line wider than the screen'
          : 'it ends in "…", as journalctl prints lines wider than the terminal';
      b.report.problems.push({ line: l.endLine, message: `the line was cut short (${how}); only the part before the cut was read` });
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as LogicalLine;
    const t = l.text.trim();
    if (t === '') continue;
    const before = cur;
    handle(l, t, lines[i + 1]?.text);
    // A line that started a new report does not extend the one before it.
    if (cur !== undefined && cur === before) cur.report.endLine = Math.max(cur.report.endLine, l.endLine);
  }
  finish('end');
  reports.push(...interrupted.drain(finalize));
  reports.sort((a, c) => a.line - c.line);

  // A release the log states anywhere describes the reports that state none: a log is one box, and a
  // banner or dump_stack line may come after the report it belongs to (a console that joined late).
  const anywhere = kernel;
  for (const r of reports) {
    if (r.kernel === undefined && anywhere !== undefined) {
      r.kernel = anywhere.version;
      r.kernelLine = anywhere.line;
      if (anywhere.upstream !== undefined) r.kernelUpstream = anywhere.upstream;
    }
    if (r.flagsFrom === undefined) {
      decodeFlags(r);
      r.problems.sort((a, c) => a.line - c.line);
    }
  }
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

  /** A lowmem_reserve[] record (on its own line or glued to a zone line): true when `t` is one. */
  function lowmem(l: LogicalLine, t: string): boolean {
    const m = LOWMEM.exec(t);
    if (!m) return false;
    const printed = (m[1] as string).trim().split(/\s+/).filter((v) => v !== '');
    if (cur === undefined || cur.lastZone === undefined || cur.lastZone.lowmem !== undefined) {
      (cur?.report.problems ?? problems).push({
        line: l.line,
        message: 'a lowmem_reserve[] line with no zone line before it was skipped',
      });
      return true;
    }
    const huge = printed.find((v) => exact(v) === undefined);
    if (huge !== undefined) {
      // One entry per zone type: dropping one would shift the rest onto the wrong zones.
      note(cur.report, l.line, `the lowmem_reserve[] value ${tooLarge(huge)}; the line was not used`);
      noteCut(cur, l);
      return true;
    }
    cur.lastZone.lowmem = printed.map(Number);
    if (m[2] !== '') {
      cur.report.problems.push({ line: l.line, message: `lowmem_reserve[] ends in unexpected text "${m[2]}"` });
    }
    noteCut(cur, l);
    return true;
  }

  function handle(l: LogicalLine, t: string, next: string | undefined): void {
    const banner = t.startsWith('Linux version ') ? releaseFromBanner(t) : undefined;
    if (banner) {
      const version = banner.release;
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
      kernel = { version, line: l.line, ...(banner.upstream === undefined ? {} : { upstream: banner.upstream }) };
      bootVersion = kernel;
      return;
    }
    stack.line(t);
    const head = /^(?:CPU|Pid): /.test(t) ? releaseFromStackHead(t, next) : undefined;
    if (head) {
      const ours = cur !== undefined && cur.header && cur.zones.size === 0 ? cur : undefined;
      const where = ours?.report.problems ?? problems;
      const pidText = /PID: (\d+)|Pid: (\d+)/i.exec(t);
      const digits = pidText?.[1] ?? pidText?.[2];
      if (head.pid === undefined && digits !== undefined) where.push({ line: l.line, message: `the PID ${tooLarge(digits)}; it was not used` });
      else if (ours !== undefined && head.pid !== undefined) ours.report.pid ??= head.pid;
      const version = head.release;
      if (version === undefined) return;
      if (!usableRelease(version)) {
        where.push({
          line: l.line,
          message: `the kernel release "${version}" is older than 2.6, whose allocator the analyzer replays; it was not used`,
        });
        return;
      }
      kernel = { version, line: l.line };
      if (ours !== undefined && ours.report.kernel === undefined) {
        ours.report.kernel = version;
        ours.report.kernelLine = l.line;
      }
      return;
    }

    let m = ALLOC_HEADER.exec(t);
    if (m) {
      finish({ next: l.line });
      cur = start(l, m[3] === undefined ? 'allocation-failure' : 'stall');
      readAllocHeader(cur, m, l);
      noteCut(cur, l);
      return;
    }
    m = OOM_HEADER.exec(t);
    if (m) {
      finish({ next: l.line });
      cur = start(l, 'oom');
      readOomHeader(cur, m[1], m[2] as string, l);
      noteCut(cur, l);
      return;
    }

    if (NOMMU.test(t)) {
      // A nommu mapping failure prints its own show_mem with no Mem-Info: line: that dump is not the
      // report before it (whose warn_alloc dump may have been rate-limited).
      finish({ next: l.line });
      stack.reset();
      cur = start(l, 'meminfo');
      cur.memInfoLine = l.line;
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
      // The next record glued on: "free_cma:1352kB lowmem_reserve[]: 0 0 0", sometimes with its own time.
      const glued = GLUED_LOWMEM.exec(m[3] as string);
      const fields = glued ? (m[3] as string).slice(0, glued.index) : (m[3] as string);
      z.fields = readZoneFields(fields);
      const unreclaimable = readAllUnreclaimable(fields);
      if (unreclaimable !== undefined) z.allUnreclaimable = unreclaimable;
      cur.lastZone = z;
      if (glued) lowmem(l, glued[1] as string);
      else noteCut(cur, l);
      return;
    }

    if (lowmem(l, t)) return;

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

    m = CPUSET_LINE.exec(t);
    if (m && (cur === undefined || (cur.closed && cur.report.process !== m[1]))) {
      // The cpuset line of a header another report interrupted, once that report's dump is over: the
      // interrupted one's dump follows from here.
      const resumed = interrupted.resume(m[1] as string);
      if (resumed !== undefined) {
        finish({ next: l.line });
        cur = resumed;
      }
    }
    if (cur === undefined) return;
    readOomLine(cur, t, l);
    if (BLOCK_END.test(t) && [...cur.zones.values()].some((z) => z.freeLine !== undefined)) {
      cur.closed = true;
      return;
    }
    if (m && cur.header && cur.zones.size === 0 && cur.report.cpuset === undefined) {
      cur.report.cpuset = m[2] as string;
      cur.report.memsAllowed = m[3] as string;
      return;
    }
    if (MEMCG.test(t)) cur.memcg = true;
  }
}
