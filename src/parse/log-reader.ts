// Reads logs of many buddyinfo snapshots, each optionally behind a timestamp line, chunk by chunk.

import { InputError, where, type Snapshot, type ZoneFree } from '../model.js';
import { BuddyinfoLineParser, checkColumns, cutShortOf } from './buddyinfo.js';
import { StampReader } from './stamp-reader.js';
import type { Stamp } from './timestamp.js';
import { scanZoneLine, ZoneByteScanner } from './zone-line-scanner.js';

/** No line of a buddyinfo log comes near this; a file without newlines must not be held whole. */
const MAX_LINE = 1 << 20;

/**
 * Decodes the lines of a byte stream the fast scanner leaves to the string path. Invalid bytes become
 * U+FFFD as in the stream decoder of the string path, and a byte order mark is kept as it keeps it. A
 * newline byte never sits inside a UTF-8 sequence, so decoding line by line reads what decoding the
 * whole stream would.
 */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const NO_BYTES = new Uint8Array(0);

/** What a LogReader hands on. */
export interface LogSink {
  /** A complete snapshot, with the time of the stamp line before it when it had one. */
  snapshot(s: Snapshot, time: number | undefined): void;
  /** Something worth telling the user that is not an error (a snapshot cut short, a time zone assumed). */
  note(text: string): void;
}

/**
 * Reads a log of snapshots pushed in chunks of any size, in constant memory: it holds one partial line,
 * the snapshot being read and the one before (to tell whether the last is cut short).
 *
 * A stamp line (`date`, ISO 8601, epoch seconds, `=== x ===`) is classified before the buddyinfo
 * parser sees it, since epoch seconds alone on a line would read as the tail of a wrapped zone line. It
 * ends the snapshot before it and dates the next. Without stamps, a (node, zone) pair seen again starts a
 * new snapshot, as SnapshotAssembler does. The last snapshot of a source that stops short of the one
 * before it (fewer zones, or fewer counts on its last line, or a last line that does not parse) is what a
 * log being written looks like when copied: it is left out with a note instead of failing the run.
 */
export class LogReader {
  private source = '';
  private parser = new BuddyinfoLineParser('');
  private rest = '';
  /** The bytes of a partial line, when the source is read as bytes. */
  private restBytes: Uint8Array = NO_BYTES;
  private lineNo = 0;
  private current: ZoneFree[] = [];
  private stamp: Stamp | undefined;
  /** The zones of the last complete snapshot, to tell a cut one. */
  private prev: ZoneFree[] | undefined;
  /** A parse error on a line that may turn out to be the last of the source. */
  private deferred: InputError | undefined;
  private readonly assumed = new Set<string>();
  private readonly names: string[] = [];
  private readonly bytes = new ZoneByteScanner(this.names);
  private readonly stamps = new StampReader();
  /** Complete snapshots handed on, over every source. */
  count = 0;
  /** Snapshots left out because they were cut short. */
  cut = 0;

  constructor(private readonly sink: LogSink) {}

  /**
   * What the reader holds between chunks: zone lines (the snapshot being read and the one before) and
   * characters (bytes, for a source read as bytes) of a partial line.
   */
  held(): { zones: number; chars: number } {
    return { zones: this.current.length + (this.prev?.length ?? 0), chars: this.rest.length + this.restBytes.length };
  }

  /** Starts reading a source; a snapshot never spans two sources. */
  begin(source: string): void {
    this.source = source;
    this.parser = new BuddyinfoLineParser(source);
    this.rest = '';
    this.restBytes = NO_BYTES;
    this.lineNo = 0;
    this.current = [];
    this.stamp = undefined;
    this.deferred = undefined;
  }

  push(chunk: string): void {
    let start = 0;
    if (this.rest !== '') {
      // The line cut at the previous chunk's end, read on its own so the chunk itself is scanned as
      // the flat string it arrived as (a concatenation would be scanned through an indirection).
      const nl = chunk.indexOf('\n');
      if (nl === -1) {
        this.rest += chunk;
        start = chunk.length;
      } else {
        const line = this.rest + chunk.slice(0, nl + 1);
        this.rest = '';
        this.lineNo++;
        this.handle(line, 0, line.length - 1);
        start = nl + 1;
      }
    }
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.lineNo++;
      this.handle(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.rest += start === 0 ? chunk : chunk.slice(start);
    if (this.rest.length > MAX_LINE) {
      throw new InputError(
        `${where(this.source, this.lineNo + 1)}: expected lines of text, found one longer than ${MAX_LINE} characters; is this a buddyinfo log?`,
        this.source,
        this.lineNo + 1,
      );
    }
  }

  /**
   * push() for a source read as UTF-8 bytes (one source is read one way or the other): zone lines in
   * the kernel's layout are scanned in place, any other line is decoded and read as push() reads it.
   * The reader keeps no reference to the chunk, so the caller may reuse it once this returns.
   */
  pushBytes(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      this.holdBytes(chunk, 0);
      return;
    }
    let start = 0;
    if (this.restBytes.length > 0) {
      const nl = chunk.indexOf(10);
      const line = new Uint8Array(this.restBytes.length + nl + 1);
      line.set(this.restBytes);
      line.set(chunk.subarray(0, nl + 1), this.restBytes.length);
      this.restBytes = NO_BYTES;
      this.lineBytes(line, 0);
      start = nl + 1;
    }
    while (start <= last) start = this.lineBytes(chunk, start);
    if (start < chunk.length) this.holdBytes(chunk, start);
  }

  /** Reads the line at b[s], which a newline ends; returns the index past that newline. */
  private lineBytes(b: Uint8Array, s: number): number {
    this.lineNo++;
    if (this.deferred === undefined) {
      const z = this.bytes.scan(b, s, this.source, this.lineNo);
      if (z !== undefined) {
        this.zone(this.parser.accept(z));
        return this.bytes.next;
      }
    }
    let nl = s;
    while (b[nl] !== 10) nl++;
    // A line not starting with N is no zone line to scanZoneLine either, so handle() would go straight to the stamps.
    if (this.deferred === undefined && b[s] !== 78) {
      const stamp = this.stamps.recall(b, s, nl > s && b[nl - 1] === 13 ? nl - 1 : nl);
      if (stamp) {
        this.stampLine(stamp);
        return nl + 1;
      }
    }
    const text = UTF8.decode(b.subarray(s, nl + 1));
    this.handle(text, 0, text.length - 1);
    return nl + 1;
  }

  /** Keeps b[from..] as the start of a line the next chunk goes on with (a copy: the chunk may be reused). */
  private holdBytes(b: Uint8Array, from: number): void {
    const held = this.restBytes;
    const rest = new Uint8Array(held.length + b.length - from);
    rest.set(held);
    rest.set(b.subarray(from), held.length);
    this.restBytes = rest;
    // Measured in characters as push() measures it: decoded, an incomplete sequence at the end held back.
    if (rest.length > MAX_LINE && new TextDecoder('utf-8', { ignoreBOM: true }).decode(rest, { stream: true }).length > MAX_LINE) {
      throw new InputError(
        `${where(this.source, this.lineNo + 1)}: expected lines of text, found one longer than ${MAX_LINE} characters; is this a buddyinfo log?`,
        this.source,
        this.lineNo + 1,
      );
    }
  }

  /** Ends the current source: its last line, its last snapshot (complete or cut short). */
  end(): void {
    if (this.restBytes.length > 0) {
      this.rest = UTF8.decode(this.restBytes);
      this.restBytes = NO_BYTES;
    }
    if (this.rest !== '') {
      this.lineNo++;
      // The newline the file lacks, so the scanner finds its stop character.
      const line = `${this.rest}\n`;
      this.handle(line, 0, line.length - 1);
      this.rest = '';
    }
    try {
      this.zone(this.parser.end());
    } catch (err) {
      this.defer(err);
    }
    const zones = this.current;
    this.current = [];
    const first = zones[0];
    if (this.deferred) {
      const err = this.deferred;
      this.deferred = undefined;
      const why = err.message.replace(/^.*?, line \d+: /, '').replace(/\.$/, '');
      if (this.prev === undefined) {
        // The only snapshot: keep the zone lines read whole and leave out the cut line; with none, it is
        // just bad input.
        if (!first) throw err;
        this.sink.note(`${where(this.source, err.line ?? this.lineNo)}: the last line was left out: it stops short (${why}).`);
        this.emit(zones);
        return;
      }
      this.leaveOut(first?.line ?? err.line ?? this.lineNo, `it stops short at line ${err.line ?? this.lineNo} (${why})`);
      return;
    }
    if (!first) return;
    const short = this.shortOf(zones);
    if (short !== undefined) {
      this.leaveOut(first.line, short);
      return;
    }
    this.emit(zones);
  }

  /** Holds a parse error until the next non-blank line: only a source's last line may be cut short. */
  private defer(err: unknown): void {
    if (!(err instanceof InputError) || this.deferred) throw err;
    this.deferred = err;
  }

  private leaveOut(line: number, why: string): void {
    this.cut++;
    this.stamp = undefined;
    this.sink.note(`${where(this.source, line)}: the last snapshot was left out: ${why}.`);
  }

  /** Why the source's last snapshot looks cut short, or undefined when it looks whole. */
  private shortOf(zones: ZoneFree[]): string | undefined {
    return cutShortOf(zones, this.prev);
  }

  private handle(t: string, s: number, nl: number): void {
    let e = nl;
    if (e > s && t.charCodeAt(e - 1) === 13) e--;
    const fast = scanZoneLine(t, s, e, this.source, this.lineNo, this.names);
    if (this.deferred) {
      if (fast === undefined && t.slice(s, e).trim() === '') return;
      throw this.deferred;
    }
    if (fast) {
      this.zone(this.parser.accept(fast));
      return;
    }
    const text = t.slice(s, e);
    const stamp = this.stamps.read(text);
    if (stamp) {
      this.stampLine(stamp);
      return;
    }
    try {
      this.zone(this.parser.line(text, this.lineNo));
    } catch (err) {
      this.defer(err);
    }
  }

  /** A stamp line ends the snapshot before it and dates the next. */
  private stampLine(stamp: Stamp): void {
    this.zone(this.parser.end());
    this.finish();
    if (stamp.assumedUtc !== undefined && !this.assumed.has(stamp.assumedUtc)) {
      this.assumed.add(stamp.assumedUtc);
      this.sink.note(`${where(this.source, this.lineNo)}: ${stamp.assumedUtc} in "${stamp.text}": times are read as UTC.`);
    }
    this.stamp = stamp;
  }

  private zone(z: ZoneFree | undefined): void {
    if (!z) return;
    const cur = this.current;
    for (let i = 0; i < cur.length; i++) {
      const c = cur[i];
      if (c !== undefined && c.node === z.node && c.zone === z.zone) {
        this.finish();
        break;
      }
    }
    this.current.push(z);
  }

  /** Ends the snapshot being read, because a new one starts. */
  private finish(): void {
    const zones = this.current;
    if (zones.length === 0) return;
    this.current = [];
    this.emit(zones);
  }

  private emit(zones: ZoneFree[]): void {
    const snap: Snapshot = { zones };
    checkColumns(snap);
    const stamp = this.stamp;
    this.stamp = undefined;
    if (stamp) snap.stamp = stamp.text;
    this.prev = zones;
    this.count++;
    this.sink.snapshot(snap, stamp?.time);
  }
}
