// Zone types in the kernel's index order (enum zone_type), and their names as the kernel prints them.

/** Zone types in enum zone_type order (include/linux/mmzone.h); a kernel is built with a subsequence of these. */
export const ZONE_TYPES = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device'] as const;

export type ZoneTypeName = (typeof ZONE_TYPES)[number];

/** Zone types a request can name as its highest zone (gfp_zone). */
export type RequestZone = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable';

/** A regular-expression source matching a zone name as the kernel prints it (DMA32 before DMA). */
export const ZONE_NAME = '(?:DMA32|DMA|Normal|HighMem|Movable|Device)';

/** The canonical spelling of a zone name ("highmem" -> "HighMem"), or undefined for a name the kernel does not use. */
export function canonicalZone(name: string): ZoneTypeName | undefined {
  const lower = name.toLowerCase();
  return ZONE_TYPES.find((z) => z.toLowerCase() === lower);
}

/** Whether two zone records describe the same zone: same node, same name in any case. */
export function sameZone(a: { node: number; zone: string }, b: { node: number; zone: string }): boolean {
  return a.node === b.node && a.zone.toLowerCase() === b.zone.toLowerCase();
}

/** A key for maps of zones: `node/zone`, the zone name in lower case. */
export function zoneKey(z: { node: number; zone: string }): string {
  return `${z.node}/${z.zone.toLowerCase()}`;
}
