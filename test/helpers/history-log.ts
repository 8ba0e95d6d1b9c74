// A long generated history log, written to a file: a year of one snapshot a minute of a two-node box, with a gap.

import { createWriteStream } from 'node:fs';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` in the C locale, as `while sleep 60; do date; cat /proc/buddyinfo; done >> log` writes it. */
export function dateLine(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export interface HistoryLogShape {
  /** Minutes from the first snapshot to the last, inclusive of both ends. */
  minutes: number;
  /** Minutes (from the start) of the first and after the last missing snapshot: the log's gap. */
  gap: [number, number];
  /** Every `every` minutes, node 0 Normal has no free block of order 7 or larger for `lasting` minutes. */
  pressure: { every: number; lasting: number };
}

/** A year of minutes (2025 has 365 days), with four days missing in April and an hour of pressure every day. */
export const YEAR: HistoryLogShape = { minutes: 525_600, gap: [100 * 1440, 104 * 1440], pressure: { every: 1440, lasting: 60 } };

export const START = Date.UTC(2025, 0, 1);

/**
 * Writes the log; returns the snapshot count. Node 0 DMA and DMA32 never change; node 0 Normal and node 1 Normal
 * vary in their small orders only (a sawtooth, so every value is known), and node 0 Normal loses its
 * blocks of order 7 and up during each pressure hour.
 */
export async function writeHistoryLog(path: string, shape: HistoryLogShape = YEAR): Promise<number> {
  const out = createWriteStream(path);
  let block = '';
  let snapshots = 0;
  const line = (head: string, free: number[]): string => `${head}${free.map((n) => `${String(n).padStart(6)} `).join('')}\n`;
  for (let m = 0; m < shape.minutes; m++) {
    if (m >= shape.gap[0] && m < shape.gap[1]) continue;
    const saw = m % 100;
    const pressed = m % shape.pressure.every < shape.pressure.lasting;
    const high = pressed ? [0, 0, 0, 0] : [8, 2, 1, 1];
    block +=
      `${dateLine(START + m * 60_000)}\n` +
      line('Node 0, zone      DMA ', [1, 1, 1, 0, 2, 1, 1, 0, 1, 1, 3]) +
      line('Node 0, zone    DMA32 ', [976, 873, 541, 355, 210, 103, 44, 19, 8, 4, 578]) +
      line('Node 0, zone   Normal ', [20_000 + saw, 11_000 + saw, 4_000, 1_200, 400, 120, 33, ...high]) +
      line('Node 1, zone   Normal ', [18_000 + saw, 9_000, 3_000, 988, 301, 88, 20, 4, 1, 1, 0]);
    snapshots++;
    if (block.length > 1 << 22) {
      if (!out.write(block)) await new Promise((r) => out.once('drain', r));
      block = '';
    }
  }
  out.end(block);
  await new Promise((r) => out.on('finish', r));
  return snapshots;
}
