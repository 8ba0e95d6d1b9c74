// The kernel choice in words: which release's rules were replayed, where it came from, each rule axis.

import type { KernelChoice } from '../kernel/choice.js';
import { NEWEST_RELEASE } from '../kernel/choice.js';
import type { RuleName, Rules } from '../kernel/rules.js';

/** What output needs of a kernel choice (a check result carries the same fields). */
export interface KernelFacts {
  kernelRelease: string | null;
  kernelOrigin: KernelChoice['origin'];
  kernelFrom: string;
  rules: Rules;
  rulesFrom: Record<RuleName, string>;
}

/** The facts of a choice, as results and views carry them. */
export function kernelFacts(k: KernelChoice): KernelFacts {
  return { kernelRelease: k.release, kernelOrigin: k.origin, kernelFrom: k.from, rules: { ...k.rules }, rulesFrom: { ...k.rulesFrom } };
}

/** "the rules of 6.1.157 (from --kernel)", "today's (6.18) rules (no kernel release in the input)". */
export function kernelPhrase(k: KernelFacts): string {
  if (k.kernelRelease === null) return `today's (${NEWEST_RELEASE}) rules (${k.kernelFrom})`;
  return `the rules of ${k.kernelRelease} (from ${k.kernelFrom})`;
}

/** The axes of the watermark check itself, the ones a verdict turns on. */
const CHECK_AXES: readonly RuleName[] = ['algorithm', 'flags', 'highatomic', 'highatomicFlag', 'cma', 'reserveIndex'];

/** One line naming the check's axes and their values: "algorithm strict-lists, flags min-reserve, ...". */
export function rulesLine(rules: Rules): string {
  return CHECK_AXES.map((a) => `${a} ${String(rules[a])}`).join(', ');
}

/** Every axis with its value and why it has it, one per line (for --explain). */
export function rulesLines(k: KernelFacts): string[] {
  return (Object.keys(k.rules) as RuleName[]).map((a) => `  ${a}: ${String(k.rules[a])} (${k.rulesFrom[a]})`);
}
