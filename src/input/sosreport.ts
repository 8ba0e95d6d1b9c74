// A sosreport, as a folder or a (compressed) tar archive read as a stream: the files buddyinfo reads in it.

import type { Io } from '../io.js';
import { InputError, isSystemError } from '../model.js';
import { decompressed, looksLikeTar, textOf } from './decompress.js';
import { openError, type Source } from './sources.js';

/** The parts of a sosreport buddyinfo reads, by path from its root. */
const PROC = ['proc/buddyinfo', 'proc/zoneinfo', 'proc/pagetypeinfo'];
/** Where sos keeps the release: `uname -a` (a link at the root too), else the kernel banner. */
const RELEASE = ['sos_commands/kernel/uname_-a', 'uname', 'proc/version'];
const SYSCTL = 'sos_commands/kernel/sysctl_-a';
/** Its swap lines tell the next-step replay whether anonymous pages are reclaimable. */
const MEMINFO = 'proc/meminfo';
/** debugfs: the kernel's own fragmentation indices, compared with those of proc/buddyinfo. */
const EXTFRAG = ['sys/kernel/debug/extfrag/unusable_index', 'sys/kernel/debug/extfrag/extfrag_index'];

/** Kernel logs, in the order read: persisted syslogs (oldest rotation first), the ring buffer, the journal. */
function isLog(path: string): boolean {
  return /^var\/log\/(?:messages|kern\.log)(?:[-.][^/]*)?$/.test(path) || /^sos_commands\/kernel\/dmesg[^/]*$/.test(path) || isJournal(path);
}

function isJournal(path: string): boolean {
  return /^sos_commands\/logs\/journalctl_--no-pager(?:_--catalog)?(?:_--boot(?:_-?\d+)?)?$/.test(path);
}

function isWanted(path: string, logs: boolean): boolean {
  if (logs) return isLog(path);
  return PROC.includes(path) || RELEASE.includes(path) || path === SYSCTL || path === MEMINFO || EXTFRAG.includes(path);
}

/** The log a rotated file belongs to: var/log/messages for messages-20240101 and messages.2.gz. */
function base(p: string): string {
  return p.replace(/^(.*\/(?:messages|kern\.log|dmesg[^/.-]*))[-.][^/]*$/, '$1');
}

/** How old a rotation is, larger being older: the live file 0, "messages.2" 2, "messages-20240101" by its date. */
function age(p: string): number {
  const suffix = p.slice(base(p).length);
  const numbered = /^\.(\d+)/.exec(suffix);
  if (numbered) return Number(numbered[1]);
  const dated = /^-(\d{8})/.exec(suffix);
  return dated ? 1e8 - Number(dated[1]) : 0;
}

/** Persisted syslogs first (oldest rotation first), then the ring buffer (dmesg), then the journal. */
function logOrder(paths: string[]): string[] {
  const rank = (p: string): number => (isJournal(p) ? 3 : p.startsWith('sos_commands/kernel/') ? 2 : 1);
  return [...paths].sort((a, b) => rank(a) - rank(b) || (base(a) < base(b) ? -1 : base(a) > base(b) ? 1 : 0) || age(b) - age(a) || (a < b ? -1 : 1));
}

/** The sources a sosreport gives a command: its /proc files and the rest, or its kernel logs (report). */
function sourcesOf(paths: string[], named: (path: string) => Source, logs: boolean): { list: Source[]; notes: string[] } {
  const have = new Set(paths);
  if (logs) {
    const all = paths.filter(isLog);
    const persisted = all.filter((p) => !isJournal(p));
    // The journal holds what the syslog files hold: read it only when they are missing.
    const chosen = logOrder(persisted.some((p) => p.startsWith('var/log/')) ? persisted : all);
    return { list: chosen.map(named), notes: [] };
  }
  const list: Source[] = [];
  const notes: string[] = [];
  for (const p of PROC) {
    if (have.has(p)) list.push({ ...named(p), optional: p !== 'proc/buddyinfo' });
  }
  const release = RELEASE.find((p) => have.has(p));
  if (release !== undefined) list.push(named(release));
  if (have.has(SYSCTL)) list.push(named(SYSCTL));
  if (have.has(MEMINFO)) list.push({ ...named(MEMINFO), optional: true, meminfo: true });
  for (const p of EXTFRAG) if (have.has(p)) list.push(named(p));
  const missing = PROC.filter((p) => !have.has(p));
  if (missing.length > 0) notes.push(`The sosreport has no ${missing.join(', ')}.`);
  return { list, notes };
}

/** True when a folder's names are a sosreport's root (or a saved procfs inside one). */
export function isSosreportRoot(names: readonly string[]): boolean {
  return names.includes('sos_commands') || (names.includes('proc') && (names.includes('sos_reports') || names.includes('var')));
}

/**
 * The paths of a sosreport folder buddyinfo may read: the fixed files where they exist, and the files of
 * the three folders logs rotate in (one level each: sos never nests them).
 */
function folderPaths(io: Io, root: string): string[] {
  const fixed = [...PROC, ...RELEASE, SYSCTL, MEMINFO, ...EXTFRAG].filter((p) => io.readable(`${root}/${p}`) && io.listDir(`${root}/${p}`) === undefined);
  const listed = ['var/log', 'sos_commands/kernel', 'sos_commands/logs'].flatMap((dir) => (io.listDir(`${root}/${dir}`) ?? []).map((n) => `${dir}/${n}`));
  return [...new Set([...fixed, ...listed])];
}

/** A sosreport folder's sources, read from disk when opened. */
export function folderSources(io: Io, root: string, logs: boolean): { list: Source[]; notes: string[] } {
  const paths = folderPaths(io, root);
  const named = (p: string): Source => ({ name: `${root}/${p}`, open: (note) => textOf(`${root}/${p}`, io.readBytes(`${root}/${p}`), note) });
  return sourcesOf(paths, named, logs);
}

/** Whether a regular file is a tar archive (compressed or not): its first decompressed bytes tell. */
export async function isTarFile(io: Io, path: string): Promise<boolean> {
  let head = new Uint8Array(0);
  try {
    for await (const chunk of decompressed(path, io.readBytes(path))) {
      const more = new Uint8Array(head.length + chunk.length);
      more.set(head);
      more.set(chunk, head.length);
      head = more;
      if (head.length >= 512) break;
    }
  } catch (err) {
    // The first read of a FILE given: a file that cannot be read (EIO) is said here, in the usual words.
    throw openError(path, err, false);
  }
  return looksLikeTar(head);
}

/**
 * A sosreport archive's sources. The archive is read once, as a stream (never unpacked to disk): the
 * wanted entries are kept in memory, every other entry is skipped as it passes. sos puts everything under
 * one top folder (sosreport-host-date-id/), which is taken off; links at the root (uname, dmesg) are
 * followed within the archive.
 */
export async function archiveSources(io: Io, path: string, logs: boolean, bytes?: AsyncIterable<Uint8Array>): Promise<{ list: Source[]; notes: string[] }> {
  const { extract } = await import('tar-stream');
  // Loaded here, not when the module loads: node:stream costs 1 ms, and only an archive needs it.
  const { Readable, pipeline } = process.getBuiltinModule('node:stream');
  const ex = extract();
  const files = new Map<string, Uint8Array[]>();
  const links = new Map<string, string>();
  const failed: unknown[] = [];
  pipeline(Readable.from(bytes ?? decompressed(path, io.readBytes(path))), ex, (err) => {
    if (err) failed.push(err);
  });
  const strip = (name: string): string => name.replace(/^\.\//, '').replace(/^[^/]+\//, '');
  try {
    for await (const entry of ex) {
      const rel = strip(entry.header.name);
      if (entry.header.type === 'symlink' && rel !== '') {
        const target = entry.header.linkname;
        links.set(rel, target.startsWith('/') ? target : joinPath(rel, target));
      }
      if (entry.header.type !== 'file' || !isWanted(rel, logs)) {
        entry.resume();
        continue;
      }
      const parts: Uint8Array[] = [];
      for await (const c of entry) parts.push(c as Uint8Array);
      files.set(rel, parts);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (isSystemError(err)) throw openError(path, err, false);
    throw new InputError(`${path}: the sosreport archive could not be read to its end (${(err as Error).message}).`, path);
  }
  if (failed.length > 0 && failed[0] instanceof InputError) throw failed[0];
  for (const [link, target] of links) {
    const parts = files.get(target);
    if (parts !== undefined && isWanted(link, logs) && !files.has(link)) files.set(link, parts);
  }
  const named = (p: string): Source => ({
    name: `${path}:${p}`,
    open: (note) =>
      textOf(
        `${path}:${p}`,
        {
          async *[Symbol.asyncIterator]() {
            yield* files.get(p) ?? [];
          },
        },
        note,
      ),
  });
  return sourcesOf([...files.keys()], named, logs);
}

/** A link's target relative to the link's own folder, as a path from the archive's root. */
function joinPath(link: string, target: string): string {
  const parts = link.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

/** What a sosreport gave, in words; refused in one sentence when it holds nothing to read. */
export function sosreportNotes(path: string, found: { list: Source[]; notes: string[] }, logs: boolean): string[] {
  if (found.list.length === 0) {
    const wanted = logs
      ? 'no kernel log (sos_commands/kernel/dmesg, var/log/messages*, var/log/kern.log*, sos_commands/logs/journalctl_--no-pager*)'
      : 'no proc/buddyinfo, proc/zoneinfo or proc/pagetypeinfo';
    throw new InputError(`${path}: a sosreport with ${wanted} to read.`, path);
  }
  return [`${path} is a sosreport: read ${found.list.map((s) => s.name.slice(path.length + 1)).join(', ')}.`, ...found.notes];
}

/** What the FILEs and --proc hold once every sosreport among them is opened up. */
export interface Expanded {
  list: Source[];
  notes: string[];
  /** For each source from a sosreport, the sosreport: one box, whose files are never cross-checked. */
  boxOf: Map<string, string>;
}

/**
 * Replaces each sosreport among the inputs (a FILE or --proc that is a sosreport folder, or a FILE that is
 * a tar archive, compressed or not) with the files buddyinfo reads in it; other inputs stay as they are.
 */
export async function expandSosreports(io: Io, inputs: { files: string[]; proc?: string; logs?: boolean }, list: Source[]): Promise<Expanded> {
  const out: Expanded = { list: [], notes: [], boxOf: new Map() };
  const logs = inputs.logs === true;
  const open = async (path: string): Promise<{ list: Source[]; notes: string[] } | undefined> => {
    const names = io.listDir(path);
    if (names !== undefined) return isSosreportRoot(names) ? folderSources(io, path, logs) : undefined;
    if (io.regularFile(path) && (await isTarFile(io, path))) return archiveSources(io, path, logs);
    return undefined;
  };
  const add = (path: string, found: { list: Source[]; notes: string[] }): void => {
    out.notes.push(...sosreportNotes(path, found, logs));
    for (const s of found.list) out.boxOf.set(s.name, path);
    out.list.push(...found.list);
  };
  const root = inputs.proc?.replace(/\/+$/, '');
  if (root !== undefined && root !== '') {
    const found = await open(root);
    if (found !== undefined) {
      add(root, found);
      return out;
    }
  }
  for (const src of list) {
    const found = inputs.files.includes(src.name) ? await open(src.name) : undefined;
    if (found === undefined) out.list.push(src);
    else add(src.name, found);
  }
  return out;
}
