// `sysctl -a` output and the sysctl files of a procfs, read into the machine's sysctls.

import { describe, expect, it } from 'vitest';
import { loadMachine } from '../../src/input/machine.js';
import { looksLikeSysctlOutput, parseSysctlOutput, sysctlPath } from '../../src/parse/sysctl.js';
import { fakeIo, fixture } from '../helpers/io.js';

const SYSCTL_A = [
  'kernel.osrelease = 5.14.0-427.13.1.el9_4.x86_64',
  'vm.compaction_proactiveness = 20',
  'vm.extfrag_threshold = 500',
  'vm.lowmem_reserve_ratio = 256\t256\t32\t0\t0',
  'vm.min_free_kbytes = 67584',
  'vm.watermark_boost_factor = 15000',
  'vm.watermark_scale_factor = 10',
  'sysctl: permission denied on key "fs.protected_regular"',
].join('\n');

describe('parseSysctlOutput', () => {
  it('reads name = value lines, arrays kept as printed, other lines left out', () => {
    const m = parseSysctlOutput(SYSCTL_A);
    expect(m.get('vm.extfrag_threshold')).toEqual({ value: '500', line: 3 });
    expect(m.get('vm.lowmem_reserve_ratio')?.value).toBe('256\t256\t32\t0\t0');
    expect(m.has('sysctl: permission denied on key "fs.protected_regular"')).toBe(false);
    expect(m.size).toBe(7);
  });
  it('recognises sysctl -a output and nothing else', () => {
    expect(looksLikeSysctlOutput(SYSCTL_A)).toBe(true);
    expect(looksLikeSysctlOutput(fixture('buddyinfo-procfs-x86_64.txt'))).toBe(false);
  });
  it('maps a name to its file under /proc', () => {
    expect(sysctlPath('vm.min_free_kbytes')).toBe('sys/vm/min_free_kbytes');
  });
});

describe('the machine\'s sysctls', () => {
  const buddy = fixture('proc-x86_64-6.18/buddyinfo');

  it('from a procfs: DIR/sys/vm/NAME, when asked for; a missing one is left out without a note', async () => {
    const io = fakeIo({ files: { 'p/buddyinfo': buddy, 'p/sys/vm/extfrag_threshold': '500\n', 'p/sys/vm/min_free_kbytes': '67584\n' } });
    const m = await loadMachine(io, { files: [], proc: 'p', want: { sysctls: true } });
    expect(m.sysctls).toEqual({
      'vm.extfrag_threshold': { value: '500', origin: 'p/sys/vm/extfrag_threshold' },
      'vm.min_free_kbytes': { value: '67584', origin: 'p/sys/vm/min_free_kbytes' },
    });
    expect(m.notes).toEqual([]);
    expect(m.sources).toEqual(['p/buddyinfo']);
  });

  it('from sysctl -a output given beside the buddyinfo, recognised by content', async () => {
    const io = fakeIo({ files: { b: buddy, s: SYSCTL_A } });
    const m = await loadMachine(io, { files: ['b', 's'] });
    expect(m.sysctls?.['vm.min_free_kbytes']).toEqual({ value: '67584', origin: 's, line 5' });
    expect(Object.keys(m.sysctls ?? {}).sort()).toEqual([
      'vm.compaction_proactiveness',
      'vm.extfrag_threshold',
      'vm.lowmem_reserve_ratio',
      'vm.min_free_kbytes',
      'vm.watermark_boost_factor',
      'vm.watermark_scale_factor',
    ]);
  });

  it('not read when not asked for', async () => {
    const io = fakeIo({ files: { 'p/buddyinfo': buddy, 'p/sys/vm/extfrag_threshold': '500\n' } });
    expect((await loadMachine(io, { files: [], proc: 'p' })).sysctls).toBeUndefined();
  });
});
