// The kernel's own debugfs indices (extfrag_index, unusable_index) compared with those the buddyinfo gives.

import type { Snapshot } from '../model.js';
import type { IndexFile, IndexTable } from '../parse/extfrag.js';
import { fragmentationIndex, unusableIndex } from './fragmentation.js';

const COMPUTE: Record<IndexFile, (free: readonly number[], order: number) => number> = {
  unusable_index: unusableIndex,
  extfrag_index: fragmentationIndex,
};

/**
 * "0.226", "-1.000", "0.-500": thousandths as the kernel prints them, "%d.%03d" of index / 1000 and
 * index % 1000 (C truncates both toward zero; %03d counts the sign in its width).
 */
export function printedIndex(v: number): string {
  const rest = v % 1000;
  const frac = rest < 0 ? `-${String(-rest).padStart(2, '0')}` : String(rest).padStart(3, '0');
  return `${String(Math.trunc(v / 1000)).replace(/^-0$/, '0')}.${frac}`;
}

/** The cells of a table that differ from what the capture gives under one file's formula. */
function differences(table: IndexTable, snap: Snapshot, file: IndexFile): { cells: number; diff: string[]; missing: string[] } {
  const diff: string[] = [];
  const missing: string[] = [];
  let cells = 0;
  for (const row of table.rows) {
    const z = snap.zones.find((x) => x.node === row.node && x.zone === row.zone);
    if (z === undefined) {
      missing.push(`Node ${row.node} ${row.zone}`);
      continue;
    }
    row.thousandths.forEach((kernel, order) => {
      if (order >= z.free.length) return;
      cells++;
      const ours = COMPUTE[file](z.free, order);
      if (ours !== kernel) {
        diff.push(`Node ${row.node} ${row.zone}, order ${order}: the kernel printed ${row.printed[order] ?? printedIndex(kernel)}, the buddyinfo gives ${printedIndex(ours)}`);
      }
    });
  }
  return { cells, diff, missing };
}

/**
 * One sentence per pasted debugfs table: whether the kernel's values are those the buddyinfo capture
 * before it gives (kernel.md 1d: both divisions truncate, so equal counts give equal values). A table
 * whose file the paste does not name is tried as both. Differences are said, never fatal: the two files
 * are read at different moments.
 */
export function compareIndexTables(tables: readonly { table: IndexTable; snapshot?: Snapshot }[]): string[] {
  return tables.map(({ table, snapshot }) => {
    const where = `${table.source}, line ${table.line}`;
    const name = table.file ?? 'an extfrag index';
    if (snapshot === undefined) {
      return `${where}: debugfs ${name} rows with no buddyinfo before them to compare with; they were read, not used.`;
    }
    const from = `the buddyinfo at line ${snapshot.zones[0]?.line ?? '?'}`;
    const files: IndexFile[] = table.file === undefined ? ['unusable_index', 'extfrag_index'] : [table.file];
    const tried = files.map((f) => ({ f, ...differences(table, snapshot, f) }));
    const best = tried.reduce((a, b) => (b.diff.length < a.diff.length ? b : a));
    const extra = best.missing.length > 0 ? ` (${best.missing.join(', ')} ha${best.missing.length > 1 ? 've' : 's'} no buddyinfo row)` : '';
    if (best.diff.length === 0) {
      return `${where}: the kernel's ${best.f} agrees with ${from} in all ${best.cells} cells${extra}.`;
    }
    const kind = table.file === undefined ? `${name} (neither unusable_index nor extfrag_index fits)` : `${best.f}`;
    return `${where}: the kernel's ${kind} differs from ${from} in ${best.diff.length} of ${best.cells} cells (first: ${best.diff[0]}): they were read at different moments${extra}.`;
  });
}
