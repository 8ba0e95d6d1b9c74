// Recognises an input by its first lines, so files can be given in any order and under any name.

import { looksLikePagetypeinfo } from '../parse/pagetypeinfo.js';
import { looksLikeSysctlOutput } from '../parse/sysctl.js';
import { releaseFromUname } from '../parse/version.js';
import { looksLikeZoneinfo } from '../parse/zoneinfo.js';

export type InputKind = 'buddyinfo' | 'zoneinfo' | 'pagetypeinfo' | 'report' | 'version' | 'sysctl';

/**
 * Recognises an input by its first lines, so files can be given in any order and under any name. Text
 * with no zone line in its head is read as a kernel log: its reports may come after megabytes of other
 * messages.
 */
export function sniff(head: string): InputKind {
  if (looksLikePagetypeinfo(head)) return 'pagetypeinfo';
  if (looksLikeZoneinfo(head)) return 'zoneinfo';
  if (/(?:^|[\s\]:>])Node\s+\S+\s*zone\b/im.test(head)) return 'buddyinfo';
  if (looksLikeSysctlOutput(head)) return 'sysctl';
  // /proc/version, a `uname -a` line, or a file holding the release alone (osrelease, `uname -r`).
  if (/^Linux version \S+[^\n]*\n?$/.test(head)) return 'version';
  if (head.trim() !== '' && !head.trim().includes('\n') && releaseFromUname(head) !== undefined) return 'version';
  return 'report';
}

