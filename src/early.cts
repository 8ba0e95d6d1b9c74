// Reads started before the bundle loads: the kernel's slow /proc/pagetypeinfo, and buddyinfo with it, for the runs that read them.

import { closeSync, existsSync, openSync, read, readSync } from 'node:fs';

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
 * more memory): most of a check's or a Prometheus run's time above bare node. Started now, the kernel's
 * walk runs on libuv's thread pool while this thread loads and starts the bundle; process-io.ts takes
 * the text from here, once, for that path only. One read(2) into a buffer larger than the file (a
 * seq_file fills what it is given): fs.readFile would read in turns of the event loop, which the
 * loading holds up, and measured 2 ms slower than no early read at all. A refusal (EACCES without root)
 * is reported when the command reads it, as a read made then would be.
 */
export function startEarlyReads(argv: readonly string[]): void {
  if (!readsPagetypeinfo(argv, existsSync)) return;
  // buddyinfo is started with it, on another thread of the pool: the check compares the two files, and
  // counts read a moment apart agree where counts read a start-up apart (10 to 20 ms) may not.
  const reads = new Map(['/proc/pagetypeinfo', '/proc/buddyinfo'].map((path) => [path, readWhole(path)] as const));
  for (const text of reads.values()) text.catch(() => undefined);
  (globalThis as Record<symbol, unknown>)[EARLY_READS] = reads;
}

/**
 * A file's whole text, its first read(2) made on the thread pool. A seq_file hands out at most its
 * buffer per read (a page, or one record: pagetypeinfo prints a node per record), so a box with more
 * nodes gives more reads: the rest are made here, to the end of the file.
 */
export function readWhole(path: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const fd = openSync(path, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    read(fd, buffer, 0, buffer.length, null, (err, n) => {
      try {
        if (err) throw err;
        const parts = [Buffer.from(buffer.subarray(0, n))];
        for (let more = n; more > 0; ) {
          more = readSync(fd, buffer, 0, buffer.length, null);
          parts.push(Buffer.from(buffer.subarray(0, more)));
        }
        resolve(Buffer.concat(parts).toString('utf8'));
      } catch (e) {
        reject(e);
      } finally {
        closeSync(fd);
      }
    });
  });
}
