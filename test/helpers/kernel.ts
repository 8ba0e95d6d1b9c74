// Small helpers for tests that need a release's rules or a kernel choice, named by the release string.

import { chooseKernel, type KernelAsk, type KernelChoice } from '../../src/kernel/choice.js';
import { parseRelease } from '../../src/kernel/release.js';
import { rulesOf, type Rules } from '../../src/kernel/rules.js';

/** The rules of a release, as kernel/rules.ts maps it ("6.1.157", "4.18.0-513.el8"). */
export function rules(release: string): Rules {
  return rulesOf(parseRelease(release)).rules;
}

/** The kernel choice `--kernel release` gives, with any other part of the command line (--rules, --algorithm). */
export function kernel(release: string, ask: Omit<KernelAsk, 'kernel'> = {}): KernelChoice {
  return chooseKernel({ kernel: release, ...ask });
}
