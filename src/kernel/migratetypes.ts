// Migratetypes: their names as pagetypeinfo prints them and the letters show_migration_types prints (3.8+).

/** Every migratetype name pagetypeinfo has printed upstream; vendor trees reorder them (kernel.md 1c). */
export const MIGRATETYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate', 'Reserve'] as const;

export type Migratetype = (typeof MIGRATETYPES)[number];

/** The free lists every request may take a block from (MIGRATE_PCPTYPES). */
export const PCP_TYPES: readonly Migratetype[] = ['Unmovable', 'Movable', 'Reclaimable'];

/**
 * show_migration_types' letters. The two upstream enum orders (U E M R C I up to 4.3, U M E H C I from
 * 4.4) give each letter one meaning, so no release is needed to read them.
 */
export const TYPE_OF_LETTER: Readonly<Record<string, Migratetype>> = {
  U: 'Unmovable',
  M: 'Movable',
  E: 'Reclaimable',
  R: 'Reserve',
  H: 'HighAtomic',
  C: 'CMA',
  I: 'Isolate',
};

/** The letter of a migratetype name ("CMA" -> "C"); the name itself when it has none. */
export function letterOf(name: string): string {
  const found = Object.entries(TYPE_OF_LETTER).find(([, n]) => n.toLowerCase() === name.toLowerCase());
  return found ? found[0] : name;
}

/** The canonical spelling of a migratetype name as pagetypeinfo prints it, or undefined. */
export function canonicalType(name: string): Migratetype | undefined {
  const lower = name.toLowerCase();
  return MIGRATETYPES.find((t) => t.toLowerCase() === lower);
}
