// Sysctl values as `sysctl -a` prints them, and the vm.* names the analyses read.

/**
 * The settings the next-step analysis and the what-if need (kernel.md 4 and 5): the fragmentation-index
 * threshold and proactive compaction, and the inputs of the watermarks and lowmem reserves.
 */
export const VM_SYSCTLS = [
  'vm.extfrag_threshold',
  'vm.compaction_proactiveness',
  'vm.min_free_kbytes',
  'vm.watermark_scale_factor',
  'vm.watermark_boost_factor',
  'vm.lowmem_reserve_ratio',
] as const;

export type VmSysctl = (typeof VM_SYSCTLS)[number];

/** `vm.min_free_kbytes = 67584` (sysctl -a, a sosreport's sos_commands/kernel/sysctl_-a). */
const LINE = /^\s*([a-z][\w.-]*[\w])\s*=\s*(.*?)\s*$/;

/** The values of `sysctl -a` output, by name, with the line each was read from; other lines are ignored. */
export function parseSysctlOutput(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((l, i) => {
    const m = LINE.exec(l);
    if (m) out.set(m[1] as string, { value: m[2] as string, line: i + 1 });
  });
  return out;
}

/** True when text looks like `sysctl -a` output: several `vm.x = y` style lines near its start. */
export function looksLikeSysctlOutput(head: string): boolean {
  const lines = head.split('\n').slice(0, 200);
  return lines.filter((l) => /^(?:abi|debug|dev|fs|kernel|net|user|vm)\.[\w.-]+ = /.test(l)).length >= 3;
}

/** A sysctl's file under /proc/sys: vm.min_free_kbytes -> sys/vm/min_free_kbytes. */
export function sysctlPath(name: string): string {
  return `sys/${name.replace(/\./g, '/')}`;
}
