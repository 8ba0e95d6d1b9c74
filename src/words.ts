// Small helpers for sentences every floor writes: lists joined with "and", a zone's name in prose.

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "node 0 Normal". */
export function zoneName(z: { node: number; zone: string }): string {
  return `node ${z.node} ${z.zone}`;
}

/** "on the CMA list", "on the CMA/HighAtomic lists". */
export function blockedListsPhrase(lists: readonly string[]): string {
  return `on the ${lists.join('/')} list${lists.length === 1 ? '' : 's'}`;
}
