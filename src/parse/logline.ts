// Turns a log as people paste it (syslog, journalctl, dmesg -T, Android kmsg, mail) into clean kernel message lines.

import { ZONE_NAME } from '../kernel/zones.js';
import { physicalLines } from './mail.js';

/** One physical line with its prefixes taken off. */
export interface CleanLine {
  /** The kernel's message text, prefixes and line-end damage removed (leading indentation kept). */
  text: string;
  /** The outermost time the prefixes gave: a wall-clock stamp as printed, else the printk seconds. */
  time?: string;
  /** Seconds since boot from a printk stamp ("1234.567890"), when one was present. */
  uptime?: string;
  /** Everything that was taken off the front, as it stood. */
  prefix?: string;
  /** The line ended in "…" (journalctl) or in a ">" glued to a cut word (a pager): the rest is missing. */
  truncated?: boolean;
  /** The mark the cut left: "…" or ">". */
  cutMark?: '…' | '>';
}

/** One logical line: a piece of a physical line split at an escaped newline, or wrapped pieces joined. */
export interface LogicalLine extends CleanLine {
  /** 1-based physical line (of the input) where the logical line starts. */
  line: number;
  /** 1-based physical line where it ends (after joining wrapped continuations). */
  endLine: number;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

/** /dev/kmsg read raw: "6,1234,5678901234,-;message" (level, sequence, microseconds since boot, flags). */
const KMSG = /^\d+,\d+,(\d+),[^;]*;/;
/**
 * Prefixes added by the tool that stored the line, tried at the start of the line. Each captures the time
 * it carries. Only records whose program is "kernel" are unwrapped: other programs' lines keep their
 * prefix, so they can never pass for a report line.
 */
const OUTER: readonly RegExp[] = [
  KMSG,
  // syslog (RFC 3164) and journalctl -o short / short-precise: "Nov 22 03:38:01 host kernel: ".
  new RegExp(`^(${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?) \\S+ kernel: ?`),
  // journalctl -o short-iso / short-iso-precise, rsyslog RFC 3339: "2026-11-22T03:38:01+0000 host kernel: ".
  /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?) \S+ kernel: ?/,
  // journalctl -o short-full: "Sun 2026-11-22 03:38:01 UTC host kernel: ".
  new RegExp(`^(${DAY} \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)? \\S+) \\S+ kernel: ?`),
  // journalctl -o short-monotonic: "[ 1234.567890] host kernel: ".
  /^\[\s*(\d+\.\d+)\] \S+ kernel: ?/,
  // journalctl -o short-unix: "1763782681.123456 host kernel: ".
  /^(\d{9,}\.\d+) \S+ kernel: ?/,
  // dmesg -x: "kern  :warn  : ".
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news)\s*:(?:emerg|alert|crit|err|warn|notice|info|debug)\s*: ?/,
  // OpenWrt logread: "Wed Jan 14 16:50:34 2026 kern.warn kernel: ".
  new RegExp(`^(${DAY} ${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}) [a-z]+\\.[a-z]+ kernel: ?`),
  // A serial console logger's clock before the printk time: "Sep 15 14:44:55.598538 [ 1613.419061] ".
  new RegExp(`^(${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?) +(?=\\[\\s*\\d+\\.\\d+\\])`),
  // An Android kernel log saved with the device clock before the level: "07-13 08:41:51.341 <4>[...]".
  /^(\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+) +(?=<\d{1,3}>|\[)/,
  // The tail of a syslog header a mail client's re-flow cut from its start: "06:45:01 coyote kernel: [".
  /^(?:\d{1,2} )?(?:\d{2}:\d{2}:\d{2} )?(?:\S+ )?kernel: (?=\[\s*\d+\.\d+\])/,
  // Line numbers a document put before each dmesg line: "565 [Sat Sep 11 12:24:42 2021] ".
  new RegExp(`^\\d{1,7} +(?=\\[(?:${DAY} |\\s*\\d+\\.\\d+\\]))`),
];

/**
 * Android logcat -b kernel, threadtime format: "11-22 03:38:01.123     0     0 W binder  : message".
 * logd (LogKlog.cpp) takes the first one or two words before a ':' of each kernel line as the tag and
 * drops them from the message ("binder: page allocation failure: ..." becomes tag "binder"), skips "CPU",
 * and leaves the tag empty when there is none ("Node 0 DMA32: ..." keeps its text). The tag is put back
 * with ": ", which restores the kernel line except for a space where the colon had none
 * ("kworker/u8:2:" comes back as "kworker/u8: 2:").
 */
const LOGCAT = /^((\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\s+\d+\s+\d+ [VDIWEFS] )(.*?) *:(?: (.*))?$/;

/** printk's own prefixes, which follow the outer ones: level, time, caller id. */
const LEVEL = /^<\d{1,3}>/;
const DMESG_T = new RegExp(`^\\[(${DAY} ${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4})\\] ?`);
// HiSilicon's Android kernels print the seconds with an "s": "[309805.658142s]".
const PRINTK_TIME = /^\[\s*(\d+\.\d+)s?\] ?/;
const STAMP_AFTER_BLANKS = new RegExp(`^\\s+(?=\\[(?:${DAY} ${MONTH} |\\s*\\d+\\.\\d+s?\\]))`);
// CONFIG_PRINTK_CALLER: "[ T1234]" for a task, "[  C3]" for a CPU in interrupt context.
const CALLER = /^\[\s*[TC]\d+\] ?/;
/**
 * Vendor task prefixes after the time: Samsung/Android "[3:  Binder:9343_3:22875] " (cpu, comm, pid) and
 * HiSilicon "[pid:1361,cpu5,sManagerService]" (glued to the message).
 */
const TASK = /^\s*(?:\[\s*\d+:\s*[^\]<]*?:\s*\d+\] ?|\[pid:\d+,cpu\d+,[^\]]*\])/;
/** Mail quote markers: "> ", ">> ", "> > ", each level with at most one space. */
const QUOTE = /^(?:>[ \t]?)+/;

/**
 * The start of the next syslog record that a re-flow glued to the end of a line ("... yes Jul  6 06:45:01
 * coyote kernel:"): it is that record's prefix, never part of this one.
 */
const GLUED_SYSLOG_START = new RegExp(`\\s+${MONTH} [ \\d]\\d(?: \\d{2}:\\d{2}:\\d{2}(?: \\S+(?: kernel:)?)?)?$`);

/**
 * A ">" glued to the end of a word that has no "<" ("inactiv>", "GPR16: 0000>"): where less -S and log
 * viewers cut a line wider than the screen. "<IRQ>", "<SF,HV,EE>" and a lone ">" are text.
 */
const CUT_GT = /(?:^|\s)[^\s<>]+>\s*$/;

/** No-break and other fixed-width spaces that web pages and mail clients put in pasted logs. */
const ODD_SPACES = /[\u00a0\u2007\u202f\t]/g;

/**
 * Takes the prefixes people's logs carry off one physical line: syslog and journalctl headers (short,
 * short-precise, short-iso, short-full, short-monotonic, short-unix), raw /dev/kmsg records, Android
 * logcat kernel lines, dmesg -x facility/level, `<4>` levels, `[ 1234.567890]` printk times, dmesg -T
 * dates and `[T123]`/`[C1]` caller ids. Normalises no-break spaces and tabs to spaces, drops a trailing
 * CR and a byte-order mark, and flags (and removes) journalctl's "…" at a cut line end.
 */
export function cleanLogLine(raw: string): CleanLine {
  let s = raw.replace(/^\uFEFF/, '').replace(/\r+$/, '').replace(ODD_SPACES, ' ');
  let prefix = '';
  let time: string | undefined;
  let uptime: string | undefined;
  const take = (m: RegExpExecArray): void => {
    prefix += m[0];
    s = s.slice(m[0].length);
  };
  const quote = QUOTE.exec(s);
  if (quote) take(quote);

  const logcat = LOGCAT.exec(s);
  if (logcat) {
    time = logcat[2];
    // logd cut "<tag>: " off the kernel message (LogKlog::log); put it back unless it is empty or "kernel".
    const tag = logcat[3] as string;
    const message = logcat[4] ?? '';
    if (tag === '' || tag === 'kernel') {
      prefix = s.slice(0, s.length - message.length);
      s = message;
    } else {
      prefix = logcat[1] as string;
      s = `${tag}: ${message}`;
    }
  } else {
    for (const re of OUTER) {
      const m = re.exec(s);
      if (m) {
        if (re === KMSG) uptime = microsToSeconds(m[1] as string);
        else if (m[1] !== undefined) time = m[1];
        take(m);
        break;
      }
    }
  }
  // printk's prefixes can follow in any of these combinations: "<4>[ 12.3] ", "[Mon ...] ", "[ 12.3][ T1] ".
  let m = LEVEL.exec(s);
  if (m) take(m);
  // A mail quote or a tab indent may leave blanks before the time; before anything else they are indentation.
  const lead = STAMP_AFTER_BLANKS.exec(s);
  if (lead) take(lead);
  const wall = DMESG_T.exec(s);
  const since = wall ? null : PRINTK_TIME.exec(s);
  if (wall) time ??= wall[1];
  if (since) uptime ??= since[1];
  const stamp = wall ?? since;
  if (stamp) {
    take(stamp);
    const c = CALLER.exec(s);
    if (c) take(c);
    const task = TASK.exec(s);
    if (task) take(task);
  }
  m = LEVEL.exec(s);
  if (m) take(m);

  const out: CleanLine = { text: s };
  if (prefix !== '') out.prefix = prefix;
  time ??= uptime;
  if (time !== undefined) out.time = time;
  if (uptime !== undefined) out.uptime = uptime;
  if (/…\s*$/.test(out.text)) {
    out.truncated = true;
    out.cutMark = '…';
    out.text = out.text.replace(/\s*…\s*$/, '');
  } else if (CUT_GT.test(out.text)) {
    out.truncated = true;
    out.cutMark = '>';
    out.text = out.text.replace(/>\s*$/, '');
  }
  out.text = out.text.replace(/\s+$/, '');
  if (out.text.trim() !== '') out.text = out.text.replace(GLUED_SYSLOG_START, '');
  return out;
}

function microsToSeconds(us: string): string {
  const padded = us.padStart(7, '0');
  return `${padded.slice(0, -6)}.${padded.slice(-6)}`;
}

/**
 * rsyslog writes a newline inside a message as "#012" (its control-character escape, octal) and some
 * exporters write it as a literal "\x0a"; both split one stored line into several kernel lines. "#011"
 * is rsyslog's tab.
 */
const ESCAPED_NEWLINE = /#012|\\x0a/i;

/**
 * Splits raw text into clean logical lines: physical lines (LF or CRLF, a missing final newline is
 * fine; a quoted-printable mail body decoded), each cleaned, then cut at escaped newlines (the pieces
 * keep the physical line's number and time), then lines that a mail client or syslog cut apart joined
 * again (see joinWrapped).
 */
export function splitLogicalLines(raw: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  for (const { text, line, endLine } of physicalLines(raw)) {
    const c = cleanLogLine(text.replace(/#011/g, ' '));
    const pieces = c.text.split(ESCAPED_NEWLINE);
    pieces.forEach((piece, k) => {
      // Pieces after the first are bare continuations of the same record; a prefix seen there is noise.
      const sub = k === 0 ? { ...c, text: piece } : cleanLogLine(piece);
      const l: LogicalLine = { ...sub, text: sub.text.replace(/\s+$/, ''), line, endLine };
      if (k > 0) {
        delete l.prefix;
        if (c.time !== undefined) l.time = c.time;
        if (c.uptime !== undefined) l.uptime = c.uptime;
      }
      if (k < pieces.length - 1) {
        delete l.truncated;
        delete l.cutMark;
      } else if (c.truncated) {
        l.truncated = true;
        if (c.cutMark !== undefined) l.cutMark = c.cutMark;
      }
      out.push(l);
    });
  }
  return joinWrapped(out);
}

/** The zone names the kernel has (zone_names[] in mm/page_alloc.c): anything else is not a zone line. */
const ZONE_LINE_START = new RegExp(`^(?:Node \\d+ )?${ZONE_NAME} free: ?\\d`);
/** How zone lines end from 2.6.32 to 6.18: "all_unreclaimable? no" up to 4.7, "free_cma:0kB" later. */
const ZONE_LINE_DONE = /(?:all_unreclaimable\? (?:yes|no)|free_cma:\d+kB)$/;
const FREE_AREA_START = new RegExp(`^(?:Node \\d+ )?${ZONE_NAME}:(?: \\d+\\*|$)`);
const FREE_AREA_DONE = /=\s?\d+kB$/;
const ZONE_NAME_ALONE = new RegExp(`^(?:Node \\d+(?: ${ZONE_NAME})?|${ZONE_NAME})$`);
const ZONE_AFTER_NODE = new RegExp(`^${ZONE_NAME}(?: free:|:)`);
const LOWMEM_START = /^lowmem_reserve\[\]:(?: \d+)*$/;
const HEADER = /(?:: page allocation failure|invoked oom-killer:)/;
const HEADER_MORE = /^(?:order[:=]|mode:|gfp_mask=|oom_adj=|oom_score_adj=|nodemask=|cpuset=|mems_allowed=)/;
/**
 * A run of zone-line fields ("min:7076kB low:8844kB", "all_unreclaimable? no") or the rest of a field cut
 * in two ("ive_file:30720kB", ":640kB", "7860kB", "? no").
 */
const ZONE_MORE = /^(?:[a-z_0-9()]*[:?]|\d+k?B?(?:\s|$)|k?B(?:\s|$)|(?:yes|no)$)/;
/** A whole free-area token, and the pieces a cut can leave at either end of a continuation. */
const FREE_AREA_TOKEN = /^(?:\d+\*\d+kB|\([A-Z]*\)|=|=?\d+kB)$/;
const FREE_AREA_HEAD_PIECE = /^(?:\d*\*?\d*k?B|\d*\*\d*|[A-Z]*\))$/;
const FREE_AREA_TAIL_PIECE = /^(?:\d+\*?\d*k?|\([A-Z]*|=)$/;

function lastToken(text: string): string {
  const parts = text.trim().split(/\s+/);
  return parts[parts.length - 1] ?? '';
}

/** Whether a line is nothing but free-area items, allowing a cut piece at its start or end. */
function continuesFreeArea(next: string): boolean {
  const tokens = next.split(/\s+/);
  if (!tokens.some((t) => /[*=(]|kB$/.test(t))) return false;
  return tokens.every(
    (t, i) =>
      FREE_AREA_TOKEN.test(t) ||
      (i === 0 && FREE_AREA_HEAD_PIECE.test(t)) ||
      (i === tokens.length - 1 && FREE_AREA_TAIL_PIECE.test(t)),
  );
}

/** How to glue a continuation onto a zone line: "" inside a cut token, " " between whole fields. */
function zoneGlue(prev: string, next: string): string {
  if (/^\d|^k?B\b/.test(next)) return '';
  const last = lastToken(prev);
  if (!last.includes(':') && !last.endsWith('?') && !/^(?:yes|no)$/.test(last)) return '';
  return ' ';
}

function freeAreaGlue(prev: string, next: string): string {
  if (prev.endsWith(':')) return ' ';
  const first = next.split(/\s+/)[0] ?? '';
  return FREE_AREA_TOKEN.test(lastToken(prev)) && !/^(?:\*|k?B$|[A-Z]*\)$)/.test(first) ? ' ' : '';
}

function merge(into: LogicalLine, next: LogicalLine, glue: string): void {
  into.text = `${into.text.replace(/\s+$/, '')}${glue}${next.text.trim()}`;
  into.endLine = next.endLine;
  if (next.truncated) {
    into.truncated = true;
    if (next.cutMark !== undefined) into.cutMark = next.cutMark;
  } else {
    delete into.truncated;
    delete into.cutMark;
  }
}

/** The glue for joining `next` onto `prev`, or undefined when `next` starts a line of its own. */
function continuation(p: string, next: string): string | undefined {
  if (ZONE_NAME_ALONE.test(p)) {
    // show_node() printed "Node 0 " as its own record, or a wrap fell right after the zone name.
    if (/^Node \d+$/.test(p) && ZONE_AFTER_NODE.test(next)) return ' ';
    if (/^free: ?\d/.test(next)) return ' ';
    return undefined;
  }
  if (FREE_AREA_START.test(p) && !FREE_AREA_DONE.test(p) && continuesFreeArea(next)) return freeAreaGlue(p, next);
  if (
    ZONE_LINE_START.test(p) &&
    !ZONE_LINE_DONE.test(p) &&
    ZONE_MORE.test(next) &&
    !next.startsWith('lowmem_reserve') &&
    !ZONE_LINE_START.test(next) &&
    !FREE_AREA_START.test(next)
  ) {
    return zoneGlue(p, next);
  }
  if (LOWMEM_START.test(p) && /^\d+(?: \d+)*$/.test(next)) return ' ';
  // A dump_stack line wrapped just before the release ("... Not tainted" + "4.4.0-21-generic #37").
  if (/^(?:CPU: \d+ |Pid: \d+, comm: ).*(?:Not tainted|Tainted:[A-Z ]*)$/.test(p) && /^\d+\.\d+/.test(next)) return ' ';
  // ... or inside "Not tainted" ("... Comm: irqbalance Not" + "tainted 5.3.0-rc7 #5").
  if (/^(?:CPU: \d+ |Pid: \d+, comm: ).* Not$/.test(p) && /^tainted \d+\.\d+/.test(next)) return ' ';
  // The 5.x header glues ",cpuset=/,mems_allowed=0" on without spaces; its other fields follow ", ".
  if (HEADER.test(p) && HEADER_MORE.test(next)) return p.endsWith(',') && /^(?:cpuset|mems_allowed)=/.test(next) ? '' : ' ';
  return undefined;
}

/**
 * Joins report lines that arrived in pieces. Mail clients hard-wrap long zone and free-area lines; syslog
 * stores each KERN_CONT printk of show_free_areas as its own record, so "Node 0 " stands alone before its
 * zone line and lowmem_reserve[] values come one per line. A piece is joined only when it obviously
 * continues the line before: free-area items after a free-area line that has no "= N kB" total yet,
 * `key:value` fields after a zone line that has not reached its last field, bare numbers after
 * lowmem_reserve[]:, the rest of a failure header. A cut inside a token ("low:88" + "44kB") is joined
 * without a space. A line journalctl cut ("…") is never continued: the next line is a new record.
 */
export function joinWrapped(lines: readonly LogicalLine[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    const next = l.text.trim();
    if (prev !== undefined && !prev.truncated && next !== '') {
      const glue = continuation(prev.text.trim(), next);
      if (glue !== undefined) {
        merge(prev, l, glue);
        continue;
      }
    }
    out.push({ ...l });
  }
  return out;
}
