// Splits a pasted text into the /proc and debugfs captures and the kernel log it holds, and reads each one.

import { InputError, type Snapshot, type ZoneFree } from '../model.js';
import { BuddyinfoLineParser, cutShortOf } from './buddyinfo.js';
import { indexFileNamed, indexFileOf, readIndexRow, type IndexTable } from './extfrag.js';
import { parsePagetypeinfo, type PagetypeinfoResult } from './pagetypeinfo.js';
import { looksLikeReport, parseReports } from './report.js';
import type { ParsedLog } from './report-types.js';
import { parseZoneinfo, type ZoneinfoResult } from './zoneinfo.js';

/** Everything a paste holds, each part read by its own parser; problems never stop the other parts. */
export interface PasteContents {
  /** buddyinfo captures, in input order: a zone seen again, or a different number of orders, starts the next. */
  snapshots: Snapshot[];
  /** debugfs extfrag rows, one table per pasted file, with the capture they follow (its index in snapshots). */
  indexTables: (IndexTable & { afterSnapshot?: number })[];
  pagetypeinfo: PagetypeinfoResult[];
  zoneinfo: ZoneinfoResult[];
  /** The kernel log's reports, when the text has any report line. */
  log?: ParsedLog;
  /** Parts that could not be read, each one sentence naming the source and line; the rest was read. */
  problems: InputError[];
  /** Things worth saying about the paste (captures of different boxes, sections skipped). */
  notes: string[];
}

type SectionKind = 'pagetypeinfo' | 'zoneinfo';

interface Section {
  kind: SectionKind;
  /** 0-based index of the first and last line that belong to it. */
  first: number;
  last: number;
  /** pagetypeinfo: past a "Number of blocks type" header, where rows have no type name. */
  blocks: boolean;
}

/** Mail quote markers before a line ("> ", ">> ", "> > "): never part of a /proc file. */
const QUOTE = /^(?:> ?)+/;
// The tables' headers: "Number of blocks type " and, with CONFIG_PAGE_OWNER, "Number of mixed blocks ".
const PTI_HEAD = /^(?:Page block order:|Pages per block:|Free pages count per migrate type at order\b|Number of (?:blocks type|mixed blocks)\b)/;
const PTI_TYPE_ROW = /^Node\s+\d+,\s*zone\s+\S+,\s*type\s+\S+/;
const PTI_BLOCK_ROW = /^Node\s+\d+,\s*zone\s+\S+\s+\d+(?:\s+\d+)*$/;
/** zoneinfo's `Node %d, zone %8s` header stands alone on its line; so does the proposed `Node %d, per-node stats`. */
const ZI_HEADER = /^Node\s+\d+,\s*(?:zone\s+\S+|per-node stats)$/;
/** What people leave inside a pasted zoneinfo: grep's "--", elisions "[...]" "<...>" "...", "^^^" markers. */
const ZI_JUNK = /^(?:--|\[\.\.\.\]|<\.\.\.>|\.\.\.|…|\^+)$/;
/** Anything that starts like a buddyinfo row, anywhere after a prompt. */
const ZONE_START = /(?:^|[\s\]:>])Node\s+\S*?\s*,?\s*zone\b/i;

/** A line with its mail quote taken off and its line end cleaned. */
function clean(raw: string): string {
  return raw.replace(/\r$/, '').replace(QUOTE, '').replace(/\s+$/, '');
}

/** Text of the lines [first, last] with every other line blank, so a parser's line numbers are the paste's. */
function sectionText(lines: readonly string[], first: number, last: number): string {
  return '\n'.repeat(first) + lines.slice(first, last + 1).join('\n');
}

/** Splits the lines into pagetypeinfo and zoneinfo sections; the remaining lines are rows or log text. */
function findSections(lines: readonly string[]): { sections: Section[]; inSection: boolean[] } {
  const sections: Section[] = [];
  const inSection = lines.map(() => false);
  let cur: Section | undefined;
  const extend = (i: number): void => {
    if (cur === undefined) return;
    cur.last = i;
    inSection[i] = true;
  };
  lines.forEach((c, i) => {
    const t = c.trim();
    if (cur !== undefined) {
      if (t === '') return;
      if (cur.kind === 'pagetypeinfo') {
        if (PTI_HEAD.test(t) || PTI_TYPE_ROW.test(t) || (cur.blocks && PTI_BLOCK_ROW.test(t))) {
          if (/^Number of (?:blocks type|mixed blocks)\b/.test(t)) cur.blocks = true;
          // The whole file repeats per node (pagetypeinfo_show runs per pgdat): a new preamble goes on.
          if (/^Page block order:/.test(t)) cur.blocks = false;
          extend(i);
          return;
        }
      } else if (ZI_HEADER.test(t) || /^\s/.test(c) || ZI_JUNK.test(t)) {
        extend(i);
        return;
      }
      cur = undefined;
    }
    if (PTI_HEAD.test(t)) {
      cur = { kind: 'pagetypeinfo', first: i, last: i, blocks: /^Number of (?:blocks type|mixed blocks)\b/.test(t) };
      sections.push(cur);
      inSection[i] = true;
    } else if (ZI_HEADER.test(t) && /^\s+\S/.test(lines.slice(i + 1).find((l) => l.trim() !== '') ?? '')) {
      cur = { kind: 'zoneinfo', first: i, last: i, blocks: false };
      sections.push(cur);
      inSection[i] = true;
    }
  });
  return { sections, inSection };
}

/**
 * Reads a pasted text: buddyinfo rows (behind prompts, quotes or log prefixes), debugfs index rows,
 * pagetypeinfo and zoneinfo blocks, and the allocation-failure and OOM reports of a kernel log, in any
 * mix. A part that cannot be read becomes a problem; the others are still read.
 */
export function readPaste(text: string, source: string): PasteContents {
  const raw = text.replace(/^\uFEFF/, '').split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const lines = raw.map(clean);
  const out: PasteContents = { snapshots: [], indexTables: [], pagetypeinfo: [], zoneinfo: [], problems: [], notes: [] };
  const { sections, inSection } = findSections(lines);
  const attempt = (f: () => void): void => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof InputError) || err instanceof DamagedRow) throw err;
      out.problems.push(err);
    }
  };
  for (const s of sections) {
    const body = sectionText(lines, s.first, s.last);
    attempt(() => {
      if (s.kind === 'pagetypeinfo') out.pagetypeinfo.push(parsePagetypeinfo(body, source));
      else {
        const z = parseZoneinfo(body, source);
        out.zoneinfo.push(z);
        for (const p of z.problems) out.notes.push(p.message);
      }
    });
  }
  // Zone lines and nothing else is a plain capture, whose damaged rows stop the run as in any buddyinfo.
  const plain = lines.every((l) => l.trim() === '' || /^\s*Node\s+\d+,\s*zone\b/.test(l));
  readRows(lines, inSection, source, out, attempt, plain);
  if (looksLikeReport(text)) out.log = parseReports(text, source);
  return out;
}

/** A zone row whose number of counts differs from the rows right above it, with zone lines after it. */
class DamagedRow extends InputError {}

/** Reads the buddyinfo and index rows outside the sections, grouping them into captures. */
function readRows(
  lines: readonly string[],
  inSection: readonly boolean[],
  source: string,
  out: PasteContents,
  attempt: (f: () => void) => void,
  plain: boolean,
): void {
  let parser = new BuddyinfoLineParser(source);
  let snapshot: ZoneFree[] = [];
  /** A row with another number of counts than the rows above it, held until we know whether it is the last. */
  let damaged: DamagedRow | undefined;
  let table: (IndexTable & { afterSnapshot?: number }) | undefined;
  /** The last line of other text: a prompt there may name the debugfs file the rows come from. */
  let lastOther = '';
  const endSnapshot = (): void => {
    if (snapshot.length > 0) out.snapshots.push({ zones: snapshot });
    snapshot = [];
  };
  const addZone = (z: ZoneFree | undefined): void => {
    if (z === undefined) return;
    // One kernel prints one number of orders. Rows right below others with another number were damaged;
    // a number that changes across a prompt or other text is another box (or kernel): another capture.
    // In a paste of several kinds the row is left out with a note. In a plain capture it is left out only
    // as the text's last zone line, cut while it was copied; with zone lines after it, it is damage inside
    // the capture, and the run stops on it, as for any malformed zone line of a buddyinfo (README).
    if (damaged !== undefined) throw damaged;
    const first = snapshot[0];
    if (first !== undefined && first.free.length !== z.free.length) {
      const what = `${source}, line ${z.line}: expected ${first.free.length} free counts like "Node ${first.node}, zone ${first.zone}" (line ${first.line}), found ${z.free.length}`;
      if (!plain) throw new InputError(`${what}; the line was left out.`, source, z.line);
      damaged = new DamagedRow(`${what}.`, source, z.line);
      return;
    }
    const before = out.snapshots[out.snapshots.length - 1]?.zones[0];
    if (snapshot.length === 0 && before !== undefined && before.free.length !== z.free.length) {
      out.notes.push(
        `${source}: the buddyinfo rows on line ${before.line} have ${before.free.length} orders and those on line ${z.line} have ${z.free.length}: they come from different boxes or kernels, so they were read as separate captures.`,
      );
    }
    if (snapshot.some((c) => c.node === z.node && c.zone === z.zone)) endSnapshot();
    snapshot.push(z);
  };
  const feed = (text: string, n: number): void => {
    let done: ZoneFree | undefined;
    attempt(() => {
      try {
        done = parser.line(text, n);
      } catch (err) {
        parser = new BuddyinfoLineParser(source);
        throw err;
      }
    });
    attempt(() => addZone(done));
  };
  const endTable = (): void => {
    if (table === undefined) return;
    table.file ??= indexFileOf(table.rows);
    out.indexTables.push(table);
    table = undefined;
  };

  lines.forEach((c, i) => {
    const n = i + 1;
    if (inSection[i] === true) {
      feed('', n);
      endSnapshot();
      endTable();
      return;
    }
    const t = c.trim();
    const row = readIndexRow(c, source, n);
    if (row !== undefined) {
      feed('', n);
      endSnapshot();
      if (table !== undefined && table.rows.some((r) => r.node === row.node && r.zone === row.zone)) endTable();
      if (table === undefined) {
        table = { rows: [], source, line: n };
        if (out.snapshots.length > 0) table.afterSnapshot = out.snapshots.length - 1;
        const named = indexFileNamed(lastOther);
        if (named !== undefined) table.file = named;
      }
      table.rows.push(row);
      return;
    }
    if (t === '') return;
    feed(c, n);
    if (!/^[\d\s]+$/.test(t) && !ZONE_START.test(c)) {
      endSnapshot();
      endTable();
      lastOther = t;
    }
  });
  attempt(() => addZone(parser.end()));
  if (damaged !== undefined) out.problems.push(new InputError(`${damaged.message.replace(/\.$/, '')}; it is the last zone line, as if cut while copied, so it was left out.`, source, damaged.line));
  endSnapshot();
  endTable();
  leaveOutCutShort(out, source);
}

/** A last snapshot that stops short of the one before it is left out, as show and history do for a log. */
function leaveOutCutShort(out: PasteContents, source: string): void {
  const i = out.snapshots.length - 1;
  const last = out.snapshots[i];
  const prev = out.snapshots[i - 1]?.zones;
  // Another number of orders is another box (readRows said so), not a cut.
  const sameBox = last !== undefined && prev?.[0]?.free.length === last.zones[0]?.free.length;
  const short = last === undefined || !sameBox ? undefined : cutShortOf(last.zones, prev);
  if (last === undefined || short === undefined || out.indexTables.some((t) => t.afterSnapshot === i)) return;
  out.snapshots.pop();
  out.notes.push(`${source}, line ${last.zones[0]?.line ?? 0}: the last snapshot was left out: ${short}.`);
}
