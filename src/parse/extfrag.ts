// Rows of debugfs extfrag/unusable_index and extfrag/extfrag_index: the kernel's own fragmentation indices.

/** Which debugfs file a table is from, when the paste names it (a `cat .../unusable_index` prompt). */
export type IndexFile = 'unusable_index' | 'extfrag_index';

/** One row: `Node %d, zone %8s ` then one `%d.%03d ` (or, from ~5.16, `%2d.%03d `) per order (kernel.md 1d). */
export interface IndexRow {
  node: number;
  zone: string;
  /** Each order's value as printed ("0.226", "-1.000", "0.-500"). */
  printed: string[];
  /** Each order's value in thousandths, as the kernel computed it (-1000 for "-1.000", -500 for "0.-500"). */
  thousandths: number[];
  source: string;
  line: number;
}

/** The rows of one debugfs file as pasted. */
export interface IndexTable {
  /** Named by a prompt before the rows, else told by a value only extfrag_index prints (negative). */
  file?: IndexFile;
  rows: IndexRow[];
  source: string;
  line: number;
}

/** A value: index/1000, a dot, then index%1000 in three digits; C's remainder keeps the sign ("0.-500"). */
const VALUE = /^(-?\d+)\.(-?\d{3})$/;
const ROW = /^\s*Node\s+(\d+),\s*zone\s+(\S+)((?:\s+-?\d+\.-?\d{3})+)\s*$/;

/** True when a line is an index row: a zone header followed only by values with three decimals. */
export function isIndexRow(line: string): boolean {
  return ROW.test(line);
}

/** Reads one index row, or undefined when the line is not one. */
export function readIndexRow(line: string, source: string, lineNo: number): IndexRow | undefined {
  const m = ROW.exec(line);
  if (!m) return undefined;
  const printed = (m[3] as string).trim().split(/\s+/);
  const thousandths = printed.map((p) => {
    const v = VALUE.exec(p) as RegExpExecArray;
    // index / 1000 and index % 1000 are both truncated toward zero, so index = whole * 1000 + rest.
    return Number(v[1]) * 1000 + Number(v[2]);
  });
  return { node: Number(m[1]), zone: m[2] as string, printed, thousandths, source, line: lineNo };
}

/** The file a prompt line names ("cat /sys/kernel/debug/extfrag/unusable_index"), if any. */
export function indexFileNamed(line: string): IndexFile | undefined {
  const m = /\b(unusable_index|extfrag_index)\b/.exec(line);
  return m ? (m[1] as IndexFile) : undefined;
}

/** The file a table's values show: only extfrag_index prints negative values (-1.000 when a block is free). */
export function indexFileOf(rows: readonly IndexRow[]): IndexFile | undefined {
  return rows.some((r) => r.thousandths.some((v) => v < 0)) ? 'extfrag_index' : undefined;
}
