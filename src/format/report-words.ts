// Words shared by the text and HTML renderings of a failure report, so both call things the same.

import type { FailureReport } from '../parse/report-types.js';
import { count } from './units.js';

/** What each kind of report is called, in the text and on the HTML page alike. */
export const REPORT_KIND: Record<FailureReport['kind'], string> = {
  'allocation-failure': 'page allocation failure',
  stall: 'page allocation stall (still retrying)',
  oom: 'OOM killer invoked',
  meminfo: 'memory dump (Mem-Info) with no failure header',
};

/** A kernel kB count as printed, or '?' when the report did not print it. */
export function kb(v: number | null): string {
  return v === null ? '?' : `${count(v)} KiB`;
}
