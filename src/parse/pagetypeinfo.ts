// Parses /proc/pagetypeinfo text (2.6.32 to 6.18): free blocks per migratetype and order, and pageblocks per type.

import { InputError, where, type TypeCount, type ZoneTypes } from '../model.js';

/** The optional "Number of mixed blocks" row of one zone (printed only with CONFIG_PAGE_OWNER enabled). */
export interface MixedBlocks {
  node: number;
  zone: string;
  /** Per migratetype, how many of its pageblocks also hold pages of another type. */
  blocks: Record<string, number>;
  source: string;
  line: number;
}

export interface PagetypeinfoResult {
  /** pageblock_order: a pageblock is 2^pageblockOrder pages. */
  pageblockOrder: number;
  pagesPerBlock: number;
  zones: ZoneTypes[];
  /** Migratetype names in the order the file lists them (the kernel's enum order). */
  typeNames: string[];
  mixedBlocks?: MixedBlocks[];
}

/** `Node %4d, zone %8s, type %12s ` then `%6lu ` per order (pagetypeinfo_showfree_print). */
const FREE_ROW = /^Node\s+(\d+),\s*zone\s+(\S+),\s*type\s+(\S+)(?:\s+(.*))?$/;
/** `Node %d, zone %8s ` then `%12lu ` per type (the blocks and mixed-blocks tables). */
const TYPE_TABLE_ROW = /^Node\s+(\d+),\s*zone\s+(\S+?),?(?:\s+(.*))?$/;
const FREE_HEADER = /^Free pages count per migrate type at order\b(.*)$/;
const BLOCKS_HEADER = /^Number of blocks type\b(.*)$/;
const MIXED_HEADER = /^Number of mixed blocks\b(.*)$/;
const BLOCK_ORDER = /^Page block order:(.*)$/;
const PER_BLOCK = /^Pages per block:(.*)$/;
/**
 * A free count: `%6lu`, or from 5.4 (93b3a674485f, Waiman Long) `>%6lu` when the kernel stopped counting
 * a list at 100000 entries; then the number is only a lower bound.
 */
const CELL = /^(>)?(\d+)$/;

type Section = 'none' | 'free' | 'blocks' | 'mixed';

/**
 * Reads a /proc/pagetypeinfo text. On a NUMA machine the kernel prints the whole file once per node with
 * memory (pagetypeinfo_show runs per pgdat), so the preamble and both tables may repeat.
 * Throws InputError on a row whose cell count differs from its table header, a cell that is not a count,
 * or text that is not pagetypeinfo at all.
 */
export function parsePagetypeinfo(text: string, source: string): PagetypeinfoResult {
  const lines = text.split(/\r\n|\r|\n/);
  const fail = (lineNo: number, what: string): never => {
    throw new InputError(`${where(source, lineNo)}: ${what}`, source, lineNo);
  };
  const whole = (lineNo: number, what: string, token: string): number => {
    const n = Number(token);
    if (!/^\d+$/.test(token) || !Number.isSafeInteger(n)) {
      return fail(lineNo, `expected ${what} (a whole number), found "${token}".`);
    }
    return n;
  };

  let pageblockOrder: { value: number; line: number } | undefined;
  let pagesPerBlock: { value: number; line: number } | undefined;
  let section: Section = 'none';
  /** Order count from the current free table's header, and the line it was read on. */
  let orders: { count: number; line: number } | undefined;
  /** Type names of the current blocks or mixed table's header. */
  let columns: { names: string[]; line: number } | undefined;

  const typeNames: string[] = [];
  const zones: ZoneTypes[] = [];
  const byKey = new Map<string, ZoneTypes>();
  /** Where each (zone, type) free row and each blocks row was read, to report repeats. */
  const rowSeen = new Map<string, number>();
  const mixed: MixedBlocks[] = [];

  const addTypeName = (name: string): void => {
    if (!typeNames.includes(name)) typeNames.push(name);
  };

  const setOnce = (
    prev: { value: number; line: number } | undefined,
    value: number,
    lineNo: number,
    label: string,
  ): { value: number; line: number } => {
    if (prev !== undefined && prev.value !== value) {
      fail(lineNo, `expected "${label}" to be ${prev.value} as on line ${prev.line}, found ${value}.`);
    }
    return prev ?? { value, line: lineNo };
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const t = raw.trim();
    if (t === '') return;

    let m = BLOCK_ORDER.exec(t);
    if (m) {
      const value = whole(lineNo, 'the page block order', (m[1] ?? '').trim());
      pageblockOrder = setOnce(pageblockOrder, value, lineNo, 'Page block order');
      section = 'none';
      return;
    }
    m = PER_BLOCK.exec(t);
    if (m) {
      const value = whole(lineNo, 'the pages per block', (m[1] ?? '').trim());
      pagesPerBlock = setOnce(pagesPerBlock, value, lineNo, 'Pages per block');
      section = 'none';
      return;
    }
    m = FREE_HEADER.exec(t);
    if (m) {
      if (pageblockOrder === undefined || pagesPerBlock === undefined) {
        fail(lineNo, 'expected "Page block order:" and "Pages per block:" lines before the free pages table.');
      }
      const cells = split(m[1] ?? '');
      cells.forEach((c, k) => {
        if (c !== String(k)) {
          fail(lineNo, `expected the order numbers 0, 1, 2, ... in the table header, found "${c}" in position ${k + 1}.`);
        }
      });
      if (cells.length === 0) fail(lineNo, 'expected the order numbers 0, 1, 2, ... after "at order", found none.');
      orders = { count: cells.length, line: lineNo };
      section = 'free';
      return;
    }
    m = BLOCKS_HEADER.exec(t) ?? MIXED_HEADER.exec(t);
    if (m) {
      const names = split(m[1] ?? '');
      if (names.length === 0) fail(lineNo, 'expected migratetype names in the table header, found none.');
      names.forEach(addTypeName);
      columns = { names, line: lineNo };
      section = BLOCKS_HEADER.test(t) ? 'blocks' : 'mixed';
      return;
    }

    if (section === 'free' && orders !== undefined) {
      const row = FREE_ROW.exec(t);
      if (!row) {
        return fail(lineNo, `expected a row like "Node 0, zone Normal, type Movable" followed by ${orders.count} counts, found "${t}".`);
      }
      const node = Number(row[1]);
      const zone = row[2] ?? '';
      const type = row[3] ?? '';
      const cells = split(row[4] ?? '');
      if (cells.length !== orders.count) {
        fail(
          lineNo,
          `expected ${orders.count} counts (orders 0 to ${orders.count - 1}, as in the header on line ${orders.line}), found ${cells.length}.`,
        );
      }
      const counts = cells.map((c, order): TypeCount => {
        const cell = CELL.exec(c);
        const n = Number(cell?.[2]);
        if (!cell || !Number.isSafeInteger(n)) {
          return fail(lineNo, `expected a count or ">count" for order ${order}, found "${c}".`);
        }
        return { count: n, atLeast: cell[1] === '>' };
      });
      const z = zoneFor(node, zone, lineNo);
      const seenKey = `free\u0000${node}\u0000${zone}\u0000${type}`;
      const first = rowSeen.get(seenKey);
      if (first !== undefined) {
        fail(lineNo, `expected one "${type}" row for "Node ${node}, zone ${zone}", found a second (first on line ${first}).`);
      }
      rowSeen.set(seenKey, lineNo);
      addTypeName(type);
      z.free[type] = counts;
      return;
    }

    if ((section === 'blocks' || section === 'mixed') && columns !== undefined) {
      const row = TYPE_TABLE_ROW.exec(t);
      if (!row) {
        return fail(lineNo, `expected a row like "Node 0, zone Normal" followed by ${columns.names.length} pageblock counts, found "${t}".`);
      }
      const node = Number(row[1]);
      const zone = row[2] ?? '';
      const cells = split(row[3] ?? '');
      if (cells.length !== columns.names.length) {
        fail(
          lineNo,
          `expected ${columns.names.length} pageblock counts (one per type in the header on line ${columns.line}), found ${cells.length}.`,
        );
      }
      const blocks: Record<string, number> = {};
      cells.forEach((c, k) => {
        const name = columns?.names[k] ?? '';
        blocks[name] = whole(lineNo, `a pageblock count for ${name}`, c);
      });
      const seenKey = `${section}\u0000${node}\u0000${zone}`;
      const first = rowSeen.get(seenKey);
      if (first !== undefined) {
        fail(lineNo, `expected one row for "Node ${node}, zone ${zone}" in this table, found a second (first on line ${first}).`);
      }
      rowSeen.set(seenKey, lineNo);
      if (section === 'mixed') {
        mixed.push({ node, zone, blocks, source, line: lineNo });
        return;
      }
      const z = byKey.get(`${node}\u0000${zone}`);
      if (z === undefined) {
        return fail(lineNo, `expected "Node ${node}, zone ${zone}" to have rows in the free pages table above, found none.`);
      }
      z.blocks = blocks;
      return;
    }

    return fail(
      lineNo,
      pageblockOrder === undefined
        ? `expected /proc/pagetypeinfo text starting with "Page block order:", found "${t}".`
        : `expected a table header ("Free pages count per migrate type at order", "Number of blocks type") before "${t}".`,
    );
  });

  if (pageblockOrder === undefined || pagesPerBlock === undefined || zones.length === 0) {
    const found = zones.length === 0 ? 'no zone rows' : 'no page block size';
    throw new InputError(
      `${where(source, 1)}: expected /proc/pagetypeinfo text with "Page block order:", "Pages per block:" and a free pages table, found ${found}.`,
      source,
      1,
    );
  }
  // pageblock_nr_pages is defined as 1 << pageblock_order, so a mismatch means a damaged text.
  const order = pageblockOrder.value;
  if (pagesPerBlock.value !== 2 ** order) {
    fail(
      pagesPerBlock.line,
      `expected "Pages per block" to be 2^${order} = ${2 ** order} for page block order ${order}, found ${pagesPerBlock.value}.`,
    );
  }

  for (const z of zones) z.pagesPerBlock = pagesPerBlock.value;
  const result: PagetypeinfoResult = {
    pageblockOrder: pageblockOrder.value,
    pagesPerBlock: pagesPerBlock.value,
    zones,
    typeNames,
  };
  if (mixed.length > 0) result.mixedBlocks = mixed;
  return result;

  function zoneFor(node: number, zone: string, lineNo: number): ZoneTypes {
    const key = `${node}\u0000${zone}`;
    let z = byKey.get(key);
    if (z === undefined) {
      z = { node, zone, free: {}, source, line: lineNo };
      byKey.set(key, z);
      zones.push(z);
    }
    return z;
  }
}

function split(s: string): string[] {
  const t = s.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Content sniffing: the free pages table header, or the preamble, that only pagetypeinfo prints. */
export function looksLikePagetypeinfo(text: string): boolean {
  return /^Free pages count per migrate type at order\b/m.test(text) || /^Page block order:\s*\d+/m.test(text);
}
