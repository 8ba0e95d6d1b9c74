// Parses /proc/buddyinfo text, as the kernel prints it or as people paste it, line by line.

import { InputError, where, type Snapshot, type ZoneFree } from '../model.js';

/**
 * A zone line: `Node %d, zone %8s ` then one `%6lu ` per order (frag_show_print, mm/vmstat.c, the same
 * from 2.6.32 to 6.18). It may sit behind a log prefix or a shell prompt, so it is found anywhere in the
 * line after the start, white space, `]` or `:`.
 */
const ZONE_LINE = /(?:^|[\s\]:>])Node\s+(\S+?)\s*,?\s*zone\s+(\S+)(.*)$/i;
/** Anything that starts like a zone line, for telling a malformed one from an unrelated line. */
const ZONE_START = /(?:^|[\s\]:>])Node\s+\S*?\s*,?\s*zone\b/i;
/** A line holding only counts: the tail of a zone line a mail client wrapped. */
const NUMBERS_ONLY = /^[\d\s]+$/;
/** `date +%s` between snapshots: one number of 9 to 11 digits is a timestamp, never a count. */
const EPOCH = /^\s*\d{9,11}\s*$/;

/** The most order columns any configuration prints (ia64 with hugetlb, 2.6.32: 17; kernel.md 1c). */
export const MAX_ORDERS = 17;

/**
 * Reads zone lines one text line at a time, so a file of any size streams through it. A zone line is
 * only complete when the next line is known not to continue it, so `line()` hands back the zone line
 * before the current one, and `end()` the last.
 */
export class BuddyinfoLineParser {
  private pending: ZoneFree | undefined;

  /** The column count of the first complete zone line: a wrapped line may not grow past it. */
  private columns: number | undefined;

  constructor(readonly source: string) {}

  /** Feeds one line (without its newline); returns a zone line this one completed, if any. */
  line(raw: string, lineNo: number): ZoneFree | undefined {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = ZONE_LINE.exec(text);
    if (m) {
      const done = this.flush();
      this.pending = this.zoneLine(m, lineNo);
      return done;
    }
    if (ZONE_START.test(text)) {
      throw new InputError(
        `${where(this.source, lineNo)}: expected a zone line like "Node 0, zone Normal" followed by free counts, found "${text.trim()}".`,
        this.source,
        lineNo,
      );
    }
    if (this.pending && NUMBERS_ONLY.test(text) && text.trim() !== '' && !EPOCH.test(text)) {
      // Right after a zone line, a line of numbers is either its wrapped tail or broken data: never skipped.
      if (!this.continues(text)) {
        throw new InputError(
          `${where(this.source, lineNo)}: expected a zone line like "Node 0, zone Normal 12 5 3 ...", found a line of numbers that does not continue the zone line before it (line ${this.pending.line}).`,
          this.source,
          lineNo,
        );
      }
      this.pending.free.push(...this.counts(text.trim().split(/\s+/), lineNo));
      return undefined;
    }
    return this.flush();
  }

  /**
   * Feeds a zone line a caller already parsed (a fast scanner for long logs): the same as `line()` with
   * its text, so a wrapped tail on the next line still joins it.
   */
  accept(z: ZoneFree): ZoneFree | undefined {
    const done = this.flush();
    this.pending = z;
    return done;
  }

  /** Ends the input; returns the last zone line, if one is pending. */
  end(): ZoneFree | undefined {
    return this.flush();
  }

  private continues(text: string): boolean {
    const pending = this.pending;
    if (!pending) return false;
    const total = pending.free.length + text.trim().split(/\s+/).length;
    return total <= (this.columns ?? MAX_ORDERS);
  }

  private flush(): ZoneFree | undefined {
    const z = this.pending;
    this.pending = undefined;
    if (!z) return undefined;
    if (z.free.length === 0) {
      throw new InputError(
        `${where(z.source, z.line)}: expected free block counts after "Node ${z.node}, zone ${z.zone}", found none.`,
        z.source,
        z.line,
      );
    }
    // Every total the analysis makes (pages, bytes) must stay exact: no real zone comes near 2^53 pages.
    // A plain loop: it runs on every line of a history log, where a reduce with 2 ** o took history from
    // 283 to 160 MB/s.
    let pages = 0;
    for (let o = 0, size = 1; o < z.free.length; o++, size *= 2) pages += (z.free[o] as number) * size;
    if (!Number.isSafeInteger(pages)) {
      throw new InputError(
        `${where(z.source, z.line)}: expected free counts a zone can hold, found counts that add up to more than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} pages (2^53 - 1), which cannot be counted exactly.`,
        z.source,
        z.line,
      );
    }
    this.columns ??= z.free.length;
    return z;
  }

  private zoneLine(m: RegExpExecArray, lineNo: number): ZoneFree {
    const [, nodeText = '', zone = '', rest = ''] = m;
    if (!/^\d+$/.test(nodeText)) {
      throw new InputError(
        `${where(this.source, lineNo)}: expected a node number after "Node", found "${nodeText}".`,
        this.source,
        lineNo,
      );
    }
    const fields = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    if (fields.length > MAX_ORDERS) {
      throw new InputError(
        `${where(this.source, lineNo)}: expected at most ${MAX_ORDERS} free counts (one per order; no kernel has more), found ${fields.length}.`,
        this.source,
        lineNo,
      );
    }
    return {
      node: Number(nodeText),
      zone: zone.replace(/,$/, ''),
      free: this.counts(fields, lineNo),
      source: this.source,
      line: lineNo,
    };
  }

  private counts(fields: string[], lineNo: number): number[] {
    return fields.map((f, i) => {
      if (!/^\d+$/.test(f)) {
        const what = /^-\d+$/.test(f) ? 'a negative number' : `"${f}"`;
        throw new InputError(
          `${where(this.source, lineNo)}: expected a free block count (a whole number of 0 or more) in column ${i + 1}, found ${what}.`,
          this.source,
          lineNo,
        );
      }
      const n = Number(f);
      if (!Number.isSafeInteger(n)) {
        throw new InputError(
          `${where(this.source, lineNo)}: the count ${f} is above 2^53 and cannot be held exactly; is this really a buddyinfo count?`,
          this.source,
          lineNo,
        );
      }
      return n;
    });
  }
}

/**
 * Groups zone lines into snapshots: a (node, zone) pair seen again starts a new one, as when a log
 * appends `cat /proc/buddyinfo` every minute.
 */
export class SnapshotAssembler {
  private current: ZoneFree[] = [];
  private seen = new Set<string>();

  /** Adds a zone; returns the finished previous snapshot when this zone starts a new one. */
  add(z: ZoneFree): Snapshot | undefined {
    const key = `${z.node}\u0000${z.zone}`;
    let done: Snapshot | undefined;
    if (this.seen.has(key)) {
      done = this.take();
    }
    this.seen.add(key);
    this.current.push(z);
    return done;
  }

  /** Ends the input; returns the last snapshot, if it has zones. */
  end(): Snapshot | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  private take(): Snapshot {
    const snap = { zones: this.current };
    this.current = [];
    this.seen = new Set();
    return snap;
  }
}

/**
 * Every snapshot of a buddyinfo text. Throws when no zone line is found at all, or when zones of one
 * snapshot disagree on the number of orders (the kernel prints the same count for every zone).
 */
export function parseBuddyinfo(text: string, source: string): Snapshot[] {
  const parser = new BuddyinfoLineParser(source);
  const asm = new SnapshotAssembler();
  const snapshots: Snapshot[] = [];
  const take = (z: ZoneFree | undefined): void => {
    if (!z) return;
    const s = asm.add(z);
    if (s) snapshots.push(s);
  };
  const lines = text.split('\n');
  lines.forEach((l, i) => take(parser.line(l, i + 1)));
  take(parser.end());
  const last = asm.end();
  if (last) snapshots.push(last);
  if (snapshots.length === 0) {
    throw new InputError(
      `${source}: expected /proc/buddyinfo lines like "Node 0, zone Normal 12 5 3 ...", found no zone line.`,
      source,
    );
  }
  snapshots.forEach(checkColumns);
  return snapshots;
}

/**
 * Why the last snapshot of a source looks cut short against the one before it (fewer of the same zones,
 * or a last zone line with fewer counts), or undefined when it looks whole. Shared by every reader, so
 * show and history leave out the same snapshot.
 */
export function cutShortOf(zones: readonly ZoneFree[], prev: readonly ZoneFree[] | undefined): string | undefined {
  const last = zones[zones.length - 1];
  if (!prev || !last) return undefined;
  const prefix = zones.every((z, i) => prev[i]?.node === z.node && prev[i]?.zone === z.zone);
  if (prefix && zones.length < prev.length) {
    return `it has ${zones.length} of the ${prev.length} zones of the snapshot before`;
  }
  const columns = (zones.length > 1 ? zones[0] : prev[0])?.free.length ?? 0;
  if (last.free.length < columns) {
    return `its last zone line has ${last.free.length} of ${columns} counts`;
  }
  return undefined;
}

/** All zones of one snapshot must have as many orders as the first. */
export function checkColumns(s: Snapshot): void {
  const first = s.zones[0];
  if (!first) return;
  for (const z of s.zones) {
    if (z.free.length !== first.free.length) {
      throw new InputError(
        `${where(z.source, z.line)}: expected ${first.free.length} free counts like "Node ${first.node}, zone ${first.zone}" (line ${first.line}), found ${z.free.length}.`,
        z.source,
        z.line,
      );
    }
  }
}

/** Prints a snapshot exactly as the kernel's frag_show_print would, trailing spaces included. */
export function formatBuddyinfo(s: Snapshot): string {
  return s.zones
    .map((z) => `Node ${z.node}, zone ${z.zone.padStart(8)} ${z.free.map((n) => `${String(n).padStart(6)} `).join('')}\n`)
    .join('');
}
