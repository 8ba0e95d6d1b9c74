// Finds the kernel release wherever a log or a capture prints it: Linux version, dump_stack, uname, osrelease.

/** A release found in text, with the upstream release a distribution names beside its own (Debian does). */
export interface StatedRelease {
  release: string;
  /** "Debian 6.1.153-1" in a Linux version line: the upstream stable release the package is built from. */
  upstream?: string;
}

/** A release token: numbers first, then anything up to a space ("3.10.0-1160.45.1.el7.x86_64"). */
const TOKEN = String.raw`(\d+\.\d+[^\s#,;)]*)`;

/** `Linux version 5.4.0-150-generic (buildd@...) ... #167-Ubuntu SMP ...` (linux_banner, /proc/version, dmesg). */
const LINUX_VERSION = new RegExp(String.raw`(?:^|\s)Linux version ${TOKEN}`);
/**
 * Debian puts the upstream release of the package at the end of the banner: `Debian 6.1.153-1
 * (2025-09-20)`; the compiler's `(Debian 12.2.0-14)` comes earlier, so the last one counts.
 */
const DEBIAN_UPSTREAM = /\bDebian (\d+\.\d+\.\d+)-\S+/g;
/**
 * dump_stack's first line: `CPU: 3 PID: 12 Comm: kworker/3:1 Not tainted 5.10.0-8-amd64 #1`, with `UID: 0`
 * from 6.12, `Tainted: G        W  OE` flags, and RHEL's `Kdump: loaded` and `------------` marks before
 * the release. 2.6.3x prints `Pid: 12, comm: kswapd0 Not tainted 2.6.32-41-server #94-Ubuntu`.
 */
const STACK_HEAD = /(?:^|\s)(?:CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: |Pid: (\d+), comm: )/;
const TAINT = /\s(?:Not tainted|Tainted:)\s/;
/** `uname -a`: `Linux host 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 ... x86_64 GNU/Linux`. */
const UNAME_A = new RegExp(String.raw`^Linux \S+ ${TOKEN} #`);
/** A file holding the release alone: /proc/sys/kernel/osrelease, `uname -r`, a sosreport's uname. */
const BARE = new RegExp(String.raw`^\s*${TOKEN}\s*$`);

/** The release of a "Linux version" line, with Debian's upstream release when the banner names it. */
export function releaseFromBanner(line: string): StatedRelease | undefined {
  const m = LINUX_VERSION.exec(line);
  if (!m) return undefined;
  const out: StatedRelease = { release: m[1] as string };
  const debian = [...line.matchAll(DEBIAN_UPSTREAM)].pop();
  if (debian) out.upstream = debian[1] as string;
  return out;
}

/**
 * The PID and release of a dump_stack head line. `next` is the line after it: a console may wrap a long
 * `Tainted:` line, leaving the release at the start of the next one. Undefined when `line` is not one.
 */
export function releaseFromStackHead(line: string, next?: string): { pid?: number; release?: string } | undefined {
  const head = STACK_HEAD.exec(line);
  if (!head) return undefined;
  const pidText = head[1] ?? head[2];
  const out: { pid?: number; release?: string } = {};
  if (pidText !== undefined && Number.isSafeInteger(Number(pidText))) out.pid = Number(pidText);
  const rest = line.slice((head.index ?? 0) + head[0].length);
  const taint = TAINT.exec(` ${rest}`);
  if (!taint) return out;
  const after = ` ${rest}`.slice((taint.index ?? 0) + taint[0].length);
  out.release = firstRelease(after) ?? (next === undefined ? undefined : firstRelease(next));
  return out;
}

/** The first token that reads as a release, among taint flags, dashes and Kdump marks. */
function firstRelease(text: string): string | undefined {
  for (const token of text.trim().split(/\s+/)) {
    if (token.startsWith('#')) return undefined;
    const m = new RegExp(`^${TOKEN}$`).exec(token);
    if (m) return m[1];
  }
  return undefined;
}

/** The release of a `uname -a` line or of a file holding the release alone (`uname -r`, osrelease). */
export function releaseFromUname(text: string): string | undefined {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return UNAME_A.exec(first.trim())?.[1] ?? BARE.exec(first)?.[1];
}

/** The release any of these forms states in one line of text (banner, dump_stack, uname). */
export function releaseFromLine(line: string, next?: string): StatedRelease | undefined {
  const banner = releaseFromBanner(line);
  if (banner) return banner;
  const stack = releaseFromStackHead(line, next);
  if (stack?.release !== undefined) return { release: stack.release };
  const uname = UNAME_A.exec(line.trim())?.[1];
  return uname === undefined ? undefined : { release: uname };
}
