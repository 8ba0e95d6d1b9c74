// Decides once whether output is coloured, from the flag, the environment and the terminal.

import type { ChalkInstance } from 'chalk';

/**
 * chalk 5 ignores NO_COLOR and cli-table3 colours even when piped (reference/style.md B2), so the
 * decision is ours: an explicit --color/--no-color wins, then NO_COLOR (present and non-empty, per
 * no-color.org), then FORCE_COLOR, then TERM=dumb, then whether the stream is a terminal.
 */
export function colorLevel(
  flag: boolean | undefined,
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): 0 | 1 {
  if (flag !== undefined) return flag ? 1 : 0;
  if (env.NO_COLOR) return 0;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return 1;
  if (env.TERM === 'dumb') return 0;
  return isTTY ? 1 : 0;
}

/**
 * chalk at this level, loaded on the first call: loading it runs chalk's own colour detection, which
 * loads node:tty and net (2 ms), and the paths that print no text (JSON, Prometheus, check --quiet) never
 * call this.
 */
export async function makeChalk(level: 0 | 1): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

export type { ChalkInstance };
