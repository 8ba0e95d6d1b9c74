// The command a mistyped word was probably meant to be: `buddyinfo chek` is more likely a typo than a file.

/** Edit distance with adjacent transpositions (optimal string alignment): "chek" is 1 from "check". */
function distance(a: string, b: string): number {
  const w = b.length + 1;
  const d = new Array<number>((a.length + 1) * w).fill(0);
  const at = (i: number, j: number): number => d[i * w + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * w] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * w + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The command a word was probably meant to be: one or two edits away (one for words under five
 * letters), or the start of exactly one command name. An option or a path (a slash or a dot) is never one.
 */
export function closestCommand(word: string, names: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 2 || w.startsWith('-') || /[/.]/.test(w) || names.includes(w)) return undefined;
  const prefixed = names.filter((n) => w.length >= 3 && n.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  const limit = w.length < 5 ? 1 : 2;
  const ranked = names.map((n) => ({ n, d: distance(w, n) })).filter((x) => x.d <= limit).sort((x, y) => x.d - y.d);
  return ranked[0]?.n;
}
