// Reads started before the bundle loads: the kernel's slow /proc/pagetypeinfo, for the runs that will read it.

import { existsSync, readFile } from 'node:fs';

/** Where process-io.ts finds the reads started here, by path. */
export const EARLY_READS = Symbol.for('buddyinfo.early-reads');

/**
 * Whether a run with these arguments will read the live /proc/pagetypeinfo, guessed from argv alone as
 * the commands decide later: a check, a Prometheus or html page, or --by-type, with no --proc, no "-"
 * and no argument naming an existing file (the input would be that file). A wrong guess costs one read
 * on another thread, never a wrong answer.
 */
export function readsPagetypeinfo(argv: readonly string[], exists: (path: string) => boolean): boolean {
  const wants = argv[0] === 'check' || argv.some((a) => /^(?:--format=)?(?:prometheus|html)$/.test(a) || a === '--by-type');
  if (!wants) return false;
  if (argv.some((a) => a === '--proc' || a.startsWith('--proc=') || a === '-')) return false;
  // --output's file may well exist (the last run's); other options' values are numbers and names.
  const file = (a: string, i: number): boolean => !(i === 0 && a === 'check') && !a.startsWith('-') && argv[i - 1] !== '--output' && exists(a);
  return !argv.some(file);
}

/**
 * The kernel takes 4 to 10 ms here to print /proc/pagetypeinfo (it walks every pageblock; more with
 * more memory): most of a check's or a Prometheus run's time above bare node. Started now, on libuv's
 * thread pool, the kernel's walk overlaps loading and starting the bundle; process-io.ts takes the text
 * from here, once, for that path only. A refusal (EACCES without root) is reported when the command
 * reads it, as a read made then would be.
 */
export function startEarlyReads(argv: readonly string[]): void {
  if (!readsPagetypeinfo(argv, existsSync)) return;
  const path = '/proc/pagetypeinfo';
  const text = new Promise<string>((resolve, reject) => readFile(path, 'utf8', (err, t) => (err ? reject(err) : resolve(t))));
  text.catch(() => undefined);
  (globalThis as Record<symbol, unknown>)[EARLY_READS] = new Map([[path, text]]);
}
