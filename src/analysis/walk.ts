// The zones an allocation visits, in the order get_page_from_freelist tries them (the zonelist walk).

import { ZONE_TYPES, canonicalZone } from '../kernel/zones.js';
import { InputError, type GfpRequest } from '../model.js';
import { effectiveHighestZone, zoneLayout, zoneTypeIndex, type ZoneLayout } from './zone-layout.js';

export interface WalkOptions {
  /** The node the allocating CPU is on; default the lowest node id present. */
  localNode?: number;
  /** Only this node (like a nodemask or __GFP_THISNODE). */
  node?: number;
  /** Only zones of this name (an analysis filter: applied after the walk is built). */
  zone?: string;
  layout?: ZoneLayout;
}

export interface WalkEntry<Z> {
  zone: Z;
  /** Zone type index (the zoneref's zone_idx). */
  index: number;
}

/**
 * The zones an allocation visits, in order: the local node first, then the other nodes in ascending id
 * (the kernel orders them by distance, which the inputs do not give); within a node the populated zones
 * from the request's highest zone down to index 0 (build_zonerefs_node, S12; build_zonelists_node,
 * 2.6.32). Zones above the request's highest zone are skipped, as for_each_zone_zonelist_nodemask does.
 */
export function walkOrder<Z extends { node: number; zone: string }>(
  zones: readonly Z[],
  req: GfpRequest,
  opts: WalkOptions = {},
): WalkEntry<Z>[] {
  return buildWalk(zones, req, opts).walk;
}

export function buildWalk<Z extends { node: number; zone: string }>(
  zones: readonly Z[],
  req: GfpRequest,
  opts: WalkOptions,
): { walk: WalkEntry<Z>[]; preferred: WalkEntry<Z> | undefined; layout: ZoneLayout; highest: string } {
  const layout = opts.layout ?? zoneLayout(zones.map((z) => z.zone));
  const highest = effectiveHighestZone(req.highestZone, layout);
  const top = zoneTypeIndex(highest, layout) ?? layout.types.indexOf('Normal');
  const nodes = [...new Set(zones.map((z) => z.node))].sort((a, b) => a - b);
  const local = opts.localNode ?? nodes[0];
  const order = local === undefined ? nodes : [local, ...nodes.filter((n) => n !== local)];
  const walk: WalkEntry<Z>[] = [];
  for (const n of order) {
    if (opts.node !== undefined && n !== opts.node) continue;
    const entries: WalkEntry<Z>[] = [];
    for (const z of zones) {
      if (z.node !== n) continue;
      const index = zoneTypeIndex(z.zone, layout);
      if (index === undefined) {
        throw new InputError(
          `Zone "${z.zone}" of node ${z.node} is not a zone type the kernel has: expected one of ${ZONE_TYPES.join(', ')}.`,
        );
      }
      if (index <= top) entries.push({ zone: z, index });
    }
    entries.sort((a, b) => b.index - a.index);
    walk.push(...entries);
  }
  const preferred = walk[0];
  const wanted = opts.zone === undefined ? undefined : canonicalZone(opts.zone) ?? opts.zone;
  const filtered = wanted === undefined ? walk : walk.filter((e) => e.zone.zone.toLowerCase() === wanted.toLowerCase());
  return { walk: filtered, preferred, layout, highest };
}

