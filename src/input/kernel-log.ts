// The running kernel's log as the report command's input when no FILE is given: /dev/kmsg, else dmesg.

import type { Io } from '../io.js';
import { InputError } from '../model.js';
import { readReports, type LogState } from './reports.js';

/** /dev/kmsg follows each record with its dictionary (" SUBSYSTEM=pci", " DEVICE=+pci:0000:00:1f.3"). */
const DICTIONARY = /^ [A-Z_][A-Z0-9_]*=.*$/gm;

/** The live kernel log's reports, with one note saying where the log was read from. */
export function liveKernelLog(io: Io): LogState & { source: string } {
  let log: { text: string; via: '/dev/kmsg' | 'dmesg' };
  try {
    log = io.kernelLog();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === 'EPERM' || code === 'EACCES'
        ? 'reading it needs root here (kernel.dmesg_restrict), and so did the dmesg command'
        : code === 'ENOENT'
          ? 'this is not a Linux system with /dev/kmsg, and the dmesg command did not run'
          : `/dev/kmsg could not be read (${(err as Error | undefined)?.message ?? String(err)}) and the dmesg command did not run`;
    throw new InputError(
      `report with no FILE reads the running kernel's log, but ${why}: give a log file, or pipe one in, e.g. "journalctl -k | buddyinfo report".`,
    );
  }
  const source = log.via === '/dev/kmsg' ? '/dev/kmsg' : 'dmesg';
  const text = log.via === '/dev/kmsg' ? log.text.replace(DICTIONARY, '') : log.text;
  const state = readReports(source, text, true);
  const how =
    log.via === '/dev/kmsg'
      ? 'No FILE given: read the running kernel\'s log from /dev/kmsg (without waiting for new messages).'
      : 'No FILE given: read the running kernel\'s log with the dmesg command (/dev/kmsg could not be opened).';
  return { ...state, source, notes: [how, ...state.notes] };
}
