// Recognises an input by its first lines, so files can be given in any order and under any name.

import { isIndexRow } from '../parse/extfrag.js';
import { looksLikePagetypeinfo } from '../parse/pagetypeinfo.js';
import { looksLikeSysctlOutput } from '../parse/sysctl.js';
import { releaseFromUname } from '../parse/version.js';
import { looksLikeZoneinfo } from '../parse/zoneinfo.js';

export type InputKind = 'buddyinfo' | 'zoneinfo' | 'pagetypeinfo' | 'paste' | 'report' | 'version' | 'sysctl';

/**
 * Recognises an input by its first lines, so files can be given in any order and under any name. Text
 * with no zone line in its head is read as a kernel log: its reports may come after megabytes of other
 * messages.
 */
export function sniff(head: string): InputKind {
  if (looksLikePagetypeinfo(head)) return 'pagetypeinfo';
  if (looksLikeZoneinfo(head)) return 'zoneinfo';
  // Quoted in a mail ("> " before every line): the paste reader takes the quotes off and reads the file.
  const unquoted = head.replace(/^(?:> ?)+/gm, '');
  if (unquoted !== head && (looksLikePagetypeinfo(unquoted) || looksLikeZoneinfo(unquoted))) return 'paste';
  // debugfs extfrag rows (after a buddyinfo, or alone) go to the paste reader, which reads both.
  const lines = head.split('\n', 2000);
  if (lines.some((l) => isIndexRow(l.replace(/^(?:> ?)+/, '')))) return 'paste';
  // Rows with two numbers of orders: captures of two boxes pasted together, which the paste reader tells apart.
  const orders = new Set(lines.flatMap((l) => /(?:^|[\s\]:>])Node\s+\d+,\s*zone\s+\S+((?:\s+\d+)+)\s*$/.exec(l)?.[1]?.trim().split(/\s+/).length ?? []));
  if (orders.size > 1) return 'paste';
  if (/(?:^|[\s\]:>])Node\s+\S+\s*zone\b/im.test(head)) return 'buddyinfo';
  if (looksLikeSysctlOutput(head)) return 'sysctl';
  // /proc/version, a `uname -a` line, or a file holding the release alone (osrelease, `uname -r`).
  if (/^Linux version \S+[^\n]*\n?$/.test(head)) return 'version';
  if (head.trim() !== '' && !head.trim().includes('\n') && releaseFromUname(head) !== undefined) return 'version';
  return 'report';
}

