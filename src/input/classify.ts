// Sorts history's FILEs by content: zoneinfo for the watermarks, a version file for the release, the rest logs.

import type { Io } from '../io.js';
import { InputError, type StatedKernel, type ZoneWatermarks } from '../model.js';
import { releaseFromBanner, releaseFromUname } from '../parse/version.js';
import { readPaste } from '../parse/paste.js';
import { textOf } from './decompress.js';
import { sniff } from './sniff.js';
import { openError } from './sources.js';

/**
 * Sorts the FILEs by content: zoneinfo gives the watermarks the check needs, a kernel's version file
 * its rules; everything else is a log. Standard input is always a log. A file is opened twice (a look
 * at its head, then the stream), so no log is held while the others are classified.
 */
export async function classify(
  io: Io,
  names: string[],
  notes: string[],
): Promise<{ logs: string[]; watermarks: ZoneWatermarks[]; kernel?: StatedKernel }> {
  const logs: string[] = [];
  const watermarks: ZoneWatermarks[] = [];
  let kernel: StatedKernel | undefined;
  for (const name of names) {
    // Standard input and pipes (`history <(ssh box cat log)`) can be read once only: they are logs.
    if (name === '-' || !io.regularFile(name)) {
      logs.push(name);
      continue;
    }
    let head = '';
    // A compressed file cut short within the head: said if the head is all this file is read for.
    let cut: string | undefined;
    try {
      for await (const chunk of textOf(name, io.readBytes(name), (text) => (cut = text))) {
        head += chunk;
        if (head.length >= 1 << 16) break;
      }
    } catch (err) {
      throw openError(name, err, false, 'history');
    }
    const kind = sniff(head);
    if (cut !== undefined && (kind === 'zoneinfo' || kind === 'version')) notes.push(cut);
    if (kind === 'zoneinfo') {
      let text = head;
      if (head.length >= 1 << 16) {
        text = '';
        try {
          for await (const chunk of textOf(name, io.readBytes(name), (note) => notes.push(note))) text += chunk;
        } catch (err) {
          throw openError(name, err, false, 'history');
        }
      }
      // A pasted zoneinfo may carry a prompt, quotes or grep's "--" lines: the paste reader takes them off.
      const paste = readPaste(text, name);
      const first = paste.problems[0];
      if (first !== undefined && paste.zoneinfo.length === 0) throw first;
      for (const z of paste.zoneinfo) watermarks.push(...z.zones);
      notes.push(...paste.notes, ...paste.problems.map((p) => p.message));
    } else if (kind === 'version') {
      const banner = releaseFromBanner(head);
      const version = banner?.release ?? releaseFromUname(head);
      if (version !== undefined) kernel = { version, origin: name, ...(banner?.upstream === undefined ? {} : { upstream: banner.upstream }) };
    } else if (kind === 'pagetypeinfo') {
      notes.push(`${name} is a pagetypeinfo: history leaves it out, since one capture of the free lists says nothing of the other snapshots.`);
    } else {
      logs.push(name);
    }
  }
  if (logs.length === 0) throw new InputError(`${names.join(', ')}: expected a log of buddyinfo snapshots among the inputs, found none.`);
  return kernel ? { logs, watermarks, kernel } : { logs, watermarks };
}

