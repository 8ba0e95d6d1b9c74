// Renders the show view as Prometheus text exposition, for node_exporter's textfile collector.

import { RULE_NAMES } from '../kernel/rules.js';
import type { ShowView } from './table.js';

/** One metric as the README documents it: name, labels and the HELP text, which never varies between runs. */
export interface MetricInfo {
  name: string;
  labels: readonly string[];
  help: string;
}

export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily extends MetricInfo {
  type: 'gauge';
  samples: Sample[];
}

/**
 * Every metric, in output order. Our own prefix, not node_exporter's `node_`, whose buddyinfo collector
 * exports `node_buddyinfo_blocks{node,zone,size}`; the order label is `order` here (style.md B10).
 * HELP texts are fixed: node_exporter logs an error when two scrapes disagree on one.
 */
export const METRICS = {
  pageSize: {
    name: 'buddyinfo_page_size_bytes',
    labels: [],
    help: 'Page size in bytes used to turn page counts into bytes.',
  },
  freeBlocks: {
    name: 'buddyinfo_free_blocks',
    labels: ['node', 'zone', 'order'],
    help: 'Free blocks of 2^order pages in the zone, from /proc/buddyinfo.',
  },
  freeBytes: {
    name: 'buddyinfo_free_bytes',
    labels: ['node', 'zone'],
    help: "Free memory in the zone's buddy lists, in bytes.",
  },
  largestFreeOrder: {
    name: 'buddyinfo_largest_free_order',
    labels: ['node', 'zone'],
    help: 'The largest order with a free block in the zone, -1 when it has none.',
  },
  unusable: {
    name: 'buddyinfo_unusable_free_ratio',
    labels: ['node', 'zone', 'order'],
    help: "Fraction (0-1) of the zone's free memory in blocks too small for this order: the kernel's unusable free index.",
  },
  fragmentation: {
    name: 'buddyinfo_fragmentation_index',
    labels: ['node', 'zone', 'order'],
    help: "The kernel's fragmentation index for this order: towards 1 a failure would be due to fragmentation, towards 0 to lack of memory; -1 when a block of this order is free.",
  },
  allocationOk: {
    name: 'buddyinfo_allocation_ok',
    labels: ['order', 'gfp', 'mark'],
    help: "1 if a request of this order and GFP mode would succeed now at this mark: some zone of its zonelist walk passes the kernel's replayed watermark check; else 0.",
  },
  watermarkOk: {
    name: 'buddyinfo_watermark_ok',
    labels: ['node', 'zone', 'order', 'mark'],
    help: "1 if a GFP_KERNEL request of this order passes the kernel's replayed zone watermark check at this mark in this zone, else 0; absent where the zone can never serve that order (NEVER_SERVES).",
  },
  largestPassing: {
    name: 'buddyinfo_largest_passing_order',
    labels: ['node', 'zone', 'mark'],
    help: 'The largest order a GFP_KERNEL request passes at this mark in this zone, -1 when none does; absent for a zone that can never serve it.',
  },
  nextStep: {
    name: 'buddyinfo_next_step',
    labels: ['node', 'zone', 'order', 'code'],
    help: "1 for what the kernel does next in this zone after a GFP_KERNEL request of this order at the min mark (CHECK_PASSES, COMPACTION_RUNS, COMPACTION_SKIPPED_INDEX, RECLAIM_FIRST, RECLAIM_CANNOT_HELP, ...; the README's code table); one sample per zone and order.",
  },
  replayInfo: {
    name: 'buddyinfo_replay_info',
    labels: ['release', 'origin', ...RULE_NAMES.map(snake)],
    help: 'Always 1: the kernel release whose allocator rules the verdicts replay (empty when none is known and today\'s are used), where it came from, and the value of every rule axis.',
  },
  proactiveScore: {
    name: 'buddyinfo_proactive_compaction_score_ratio',
    labels: ['node'],
    help: "The node's proactive compaction score (5.9+, the kernel's 0-100 as 0-1): kcompactd compacts the node when it is above the high threshold.",
  },
  proactiveThreshold: {
    name: 'buddyinfo_proactive_compaction_threshold_ratio',
    labels: ['bound'],
    help: 'The thresholds vm.compaction_proactiveness sets (0-1): kcompactd compacts a node scoring above high, down to low.',
  },
  listsKnown: {
    name: 'buddyinfo_watermark_lists_known',
    labels: ['node', 'zone'],
    help: '1 if the watermark check saw the per-migratetype free lists from /proc/pagetypeinfo, so its block search is exact; 0 if it assumed a free block of the order was usable.',
  },
  typeFreeBlocks: {
    name: 'buddyinfo_type_free_blocks',
    labels: ['node', 'zone', 'order', 'migratetype'],
    help: 'Free blocks of 2^order pages per migratetype, from /proc/pagetypeinfo; from 5.4 the kernel stops counting a list at 100000, so that value is a lower bound.',
  },
  pageblocks: {
    name: 'buddyinfo_pageblocks',
    labels: ['node', 'zone', 'migratetype'],
    help: 'Pageblocks of each migratetype in the zone, from /proc/pagetypeinfo.',
  },
} as const satisfies Record<string, MetricInfo>;

/** An axis name as a label: highatomicFlag -> highatomic_flag. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A Go float as the text format reads it: integers plainly, NaN and the infinities by name. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

/** Label values escape backslash, double quote and newline. */
export function escapeLabel(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and newline only. */
export function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** The text format: per family its HELP and TYPE lines then all its samples; families without samples are left out. */
export function exposition(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      out.push(`${f.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** The samples of every metric for one view; the per-migratetype ones only with --by-type. */
export function metricFamilies(v: ShowView, opts: { byType?: boolean } = {}): MetricFamily[] {
  const family = (info: MetricInfo): MetricFamily => ({ ...info, type: 'gauge', samples: [] });
  const f = {
    pageSize: family(METRICS.pageSize),
    freeBlocks: family(METRICS.freeBlocks),
    freeBytes: family(METRICS.freeBytes),
    largestFreeOrder: family(METRICS.largestFreeOrder),
    unusable: family(METRICS.unusable),
    fragmentation: family(METRICS.fragmentation),
    allocationOk: family(METRICS.allocationOk),
    watermarkOk: family(METRICS.watermarkOk),
    largestPassing: family(METRICS.largestPassing),
    nextStep: family(METRICS.nextStep),
    replayInfo: family(METRICS.replayInfo),
    proactiveScore: family(METRICS.proactiveScore),
    proactiveThreshold: family(METRICS.proactiveThreshold),
    listsKnown: family(METRICS.listsKnown),
    typeFreeBlocks: family(METRICS.typeFreeBlocks),
    pageblocks: family(METRICS.pageblocks),
  };
  f.pageSize.samples.push({ labels: {}, value: v.pageSize });
  const check = v.watermarkCheck;
  if (check !== undefined) {
    const labels: Record<string, string> = { release: check.kernelRelease ?? '', origin: check.kernelOrigin };
    for (const name of RULE_NAMES) labels[snake(name)] = String(check.rules[name]);
    f.replayInfo.samples.push({ labels, value: 1 });
    for (const [mark, oks] of Object.entries(v.allocationOk ?? {})) {
      oks.forEach((ok, order) => f.allocationOk.samples.push({ labels: { order: String(order), gfp: check.gfp, mark }, value: ok ? 1 : 0 }));
    }
  }
  if (v.proactive !== undefined) {
    for (const n of v.proactive.nodes) if (n.score !== null) f.proactiveScore.samples.push({ labels: { node: String(n.node) }, value: n.score / 100 });
    f.proactiveThreshold.samples.push({ labels: { bound: 'low' }, value: v.proactive.low / 100 }, { labels: { bound: 'high' }, value: v.proactive.high / 100 });
  }
  for (const z of v.zones) {
    const zone = { node: String(z.node), zone: z.zone };
    f.freeBytes.samples.push({ labels: zone, value: z.freeBytes });
    f.largestFreeOrder.samples.push({ labels: zone, value: z.largestOrder });
    for (const o of z.orders) {
      const at = { ...zone, order: String(o.order) };
      f.freeBlocks.samples.push({ labels: at, value: o.blocks });
      f.unusable.samples.push({ labels: at, value: o.unusableIndex });
      f.fragmentation.samples.push({ labels: at, value: o.fragmentationIndex });
    }
    // A zone that can never serve an order (DMA for GFP_KERNEL) is no alarm: its samples are left out.
    const servable = (mark: string): number => z.largestServableOrder?.[mark] ?? Number.POSITIVE_INFINITY;
    for (const [mark, verdicts] of Object.entries(z.watermarkOk ?? {})) {
      verdicts.forEach((ok, order) => {
        if (order <= servable(mark)) f.watermarkOk.samples.push({ labels: { ...zone, order: String(order), mark }, value: ok ? 1 : 0 });
      });
    }
    for (const [mark, order] of Object.entries(z.largestPassingOrder ?? {})) {
      if (servable(mark) >= 0) f.largestPassing.samples.push({ labels: { ...zone, mark }, value: order });
    }
    (z.next ?? []).forEach((code, order) => {
      if (code !== null) f.nextStep.samples.push({ labels: { ...zone, order: String(order), code }, value: 1 });
    });
    if (z.listsKnown !== undefined) f.listsKnown.samples.push({ labels: zone, value: z.listsKnown ? 1 : 0 });
    if (opts.byType !== true) continue;
    for (const [type, counts] of Object.entries(z.types?.free ?? {})) {
      counts.forEach((c, order) => {
        f.typeFreeBlocks.samples.push({ labels: { ...zone, order: String(order), migratetype: type }, value: c.count });
      });
    }
    for (const [type, n] of Object.entries(z.types?.blocks ?? {})) {
      f.pageblocks.samples.push({ labels: { ...zone, migratetype: type }, value: n });
    }
  }
  return Object.values(f);
}

export function renderPrometheus(v: ShowView, opts: { byType?: boolean } = {}): string {
  return exposition(metricFamilies(v, opts));
}
