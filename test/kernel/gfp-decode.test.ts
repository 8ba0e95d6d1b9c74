// GFP mode decoding per kernel release: expectations are sums of the documented __GFP_* bit values.

import { describe, it, expect } from 'vitest';
import { requestFromGfp, requestFromUser } from '../../src/analysis/gfp-request.js';
import { decodeGfp, explainGfp, gfpBits, hasAtomicBit, releasesPrinting } from '../../src/kernel/gfp-decode.js';
import { InputError } from '../../src/model.js';

// Bit values as include/linux/gfp.h defines them (restated in kernel/gfp-layouts.ts with sources).
const V2632 = { DMA: 0x01, HIGHMEM: 0x02, MOVABLE: 0x08, WAIT: 0x10, HIGH: 0x20, IO: 0x40, FS: 0x80, COLD: 0x100, NORETRY: 0x1000, COMP: 0x4000, HARDWALL: 0x20000, NOTRACK: 0x200000 };
const V44 = { RECLAIMABLE: 0x10, HIGH: 0x20, IO: 0x40, FS: 0x80, COLD: 0x100, COMP: 0x4000, ZERO: 0x8000, HARDWALL: 0x20000, ATOMIC: 0x80000, DIRECT: 0x400000, KSWAPD: 0x2000000 };
const V410 = { ...V44, ACCOUNT: 0x100000, WRITE: 0x800000, KSWAPD: 0x1000000 };
const V418 = { HIGH: 0x20, IO: 0x40, FS: 0x80, COMP: 0x4000, ZERO: 0x8000, HARDWALL: 0x20000, ATOMIC: 0x80000, DIRECT: 0x200000, KSWAPD: 0x400000 };
const V51 = { HIGH: 0x20, IO: 0x40, FS: 0x80, ZERO: 0x100, ATOMIC: 0x200, DIRECT: 0x400, KSWAPD: 0x800, COMP: 0x40000, HARDWALL: 0x100000 };

describe('decodeGfp, 2.6.32 (__GFP_WAIT 0x10, __GFP_HIGH 0x20, __GFP_COMP 0x4000)', () => {
  it('reads 0x4020 as GFP_ATOMIC (= __GFP_HIGH alone) plus __GFP_COMP', () => {
    expect(0x4020).toBe(V2632.HIGH | V2632.COMP);
    expect(gfpBits(0x4020, '2.6.32')).toEqual(['__GFP_HIGH', '__GFP_COMP']);
    expect(decodeGfp(0x4020, '2.6.32')).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    expect(decodeGfp(0x4020, '2.6.32-431.el6.x86_64')).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
  });
  it('reads GFP_KERNEL (0xd0) and GFP_HIGHUSER_MOVABLE (0x200da)', () => {
    expect(V2632.WAIT | V2632.IO | V2632.FS).toBe(0xd0);
    expect(decodeGfp(0xd0, '2.6.32')).toEqual(['GFP_KERNEL']);
    const highuserMovable = V2632.WAIT | V2632.IO | V2632.FS | V2632.HARDWALL | V2632.HIGHMEM | V2632.MOVABLE;
    expect(highuserMovable).toBe(0x200da);
    expect(decodeGfp(0x200da, '2.6.32')).toEqual(['GFP_HIGHUSER_MOVABLE']);
  });
  it('prints bits no table of the release defines as hex', () => {
    expect(decodeGfp(0x4000000 | V2632.HIGH, '2.6.32')).toEqual(['GFP_ATOMIC', '0x4000000']);
    expect(explainGfp(0x4000000 | V2632.HIGH, '2.6.32').unknown).toBe(0x4000000);
  });
  it('uses the 2.6.32 table for a 2.6.32 release', () => {
    expect(explainGfp(0x20, '2.6.32-41-server').layout).toBe('2.6.32');
  });
});

describe('decodeGfp, 3.x (same low bits, later additions)', () => {
  it('3.2: 0x201da is GFP_HIGHUSER_MOVABLE|__GFP_COLD', () => {
    expect(0x201da).toBe(0x200da | V2632.COLD);
    expect(decodeGfp(0x201da, '3.2.0-4-amd64')).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  });
  it('3.8: 0x10d0 is GFP_KERNEL|__GFP_NORETRY (openzfs/spl#217, splat on 3.8.0)', () => {
    expect(0x10d0).toBe(0xd0 | V2632.NORETRY);
    expect(decodeGfp(0x10d0, '3.8.0-1-mainline')).toEqual(['GFP_KERNEL', '__GFP_NORETRY']);
  });
  it('3.18: 0x204010 has __GFP_WAIT, __GFP_COMP and __GFP_NOTRACK (kmemcheck)', () => {
    expect(0x204010).toBe(V2632.WAIT | V2632.COMP | V2632.NOTRACK);
    expect(gfpBits(0x204010, '3.18.18')).toEqual(['__GFP_WAIT', '__GFP_COMP', '__GFP_NOTRACK']);
  });
});

describe('decodeGfp, 4.4-4.14 (__GFP_ATOMIC 0x80000, reclaim bits split)', () => {
  it('4.4: GFP_ATOMIC is 0x2080020 and GFP_KERNEL 0x24000c0', () => {
    expect(V44.HIGH | V44.ATOMIC | V44.KSWAPD).toBe(0x2080020);
    expect(decodeGfp(0x2080020, '4.4.0-21-generic')).toEqual(['GFP_ATOMIC']);
    expect(V44.DIRECT | V44.KSWAPD | V44.IO | V44.FS).toBe(0x24000c0);
    expect(decodeGfp(0x24000c0, '4.4.0-21-generic')).toEqual(['GFP_KERNEL']);
  });
  it('4.9: names match what the kernel itself printed (coreos/bugs#1106, QubesOS/qubes-issues#3079)', () => {
    expect(0x2084120).toBe(0x2080020 | V44.COLD | V44.COMP);
    expect(decodeGfp(0x2084120, '4.9.24-coreos')).toEqual(['GFP_ATOMIC', '__GFP_COLD', '__GFP_COMP']);
    expect(0x240c0d0).toBe(V44.DIRECT | V44.KSWAPD | V44.IO | V44.FS | V44.RECLAIMABLE | V44.COMP | V44.ZERO);
    expect(decodeGfp(0x240c0d0, '4.9.56-21.pvops.qubes.x86_64')).toEqual(['GFP_TEMPORARY', '__GFP_COMP', '__GFP_ZERO']);
  });
  it('4.10-4.14 moved kswapd to 0x1000000: GFP_ATOMIC is 0x1080020', () => {
    expect(V410.HIGH | V410.ATOMIC | V410.KSWAPD).toBe(0x1080020);
    expect(decodeGfp(0x1080020, '4.12.0')).toEqual(['GFP_ATOMIC']);
    // Under the 4.4 table 0x1000000 is __GFP_WRITE.
    expect(decodeGfp(0x1080020, '4.4.0')).toEqual(['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_WRITE']);
  });
  // The old "4.4" generation meant any layout of 4.4-4.14: now the range [4.4, 4.15).
  it('with only a range of releases, picks the table that explains the value', () => {
    const range = { from: '4.4', before: '4.15' };
    expect(decodeGfp(0x2080020, range)).toEqual(['GFP_ATOMIC']);
    expect(decodeGfp(0x1080020, range)).toEqual(['GFP_ATOMIC']);
    expect(Number(explainGfp(0x1080020, range).layout.split('.')[1])).toBeGreaterThanOrEqual(10);
    expect(Number(explainGfp(0x2080020, range).layout.split('.')[1])).toBeLessThan(10);
  });
  it('a range that ends before 4.10 only has the 4.4 values; an open range starts where it says', () => {
    expect(decodeGfp(0x1080020, { from: '4.4', before: '4.10' })).toEqual(['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_WRITE']);
    expect(decodeGfp(0x1080020, { from: '4.10' })).toEqual(['GFP_ATOMIC']);
    // a range before 4.4 has no __GFP_ATOMIC at all
    expect(hasAtomicBit({ from: '2.6.32', before: '4.4' })).toBe(false);
    expect(hasAtomicBit({ from: '4.4', before: '4.15' })).toBe(true);
    expect(hasAtomicBit('6.3')).toBe(false);
  });
});

describe('decodeGfp, 4.15-6.2', () => {
  it('4.15-4.17 keep the 4.10 values: GFP_KERNEL_ACCOUNT is 0x15000c0 (shakenfist#177, 4.15.0-108)', () => {
    expect(V410.DIRECT | V410.KSWAPD | V410.IO | V410.FS | V410.ACCOUNT).toBe(0x15000c0);
    expect(decodeGfp(0x15000c0, '4.15.0-108-generic')).toEqual(['GFP_KERNEL_ACCOUNT']);
    expect(decodeGfp(0x1084020, '4.15.0-108-generic')).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
  });
  it('4.18-5.0: reclaim at 0x200000/0x400000, GFP_HIGHUSER_MOVABLE 0x6200ca, GFP_ATOMIC 0x480020', () => {
    expect(V418.DIRECT | V418.KSWAPD | V418.IO | V418.FS | V418.HARDWALL | 0x02 | 0x08).toBe(0x6200ca);
    expect(decodeGfp(0x6200ca, '4.19.0-6-amd64')).toEqual(['GFP_HIGHUSER_MOVABLE']);
    expect(V418.HIGH | V418.ATOMIC | V418.KSWAPD).toBe(0x480020);
    expect(decodeGfp(0x480020, '4.19')).toEqual(['GFP_ATOMIC']);
    expect(decodeGfp(0x484020, '4.19')).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
    expect(decodeGfp(0x6280ca, '5.0.0-rc6')).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
  });
  it('5.1+: the shuffled values (db1000n#555 on 5.4.17, spdk#1252 on 5.4.19)', () => {
    expect(V51.DIRECT | V51.KSWAPD | V51.IO | V51.FS | V51.HARDWALL | 0x02 | 0x08).toBe(0x100cca);
    expect(decodeGfp(0x100cca, '5.4.17-2136.307.3.4.el8uek.x86_64')).toEqual(['GFP_HIGHUSER_MOVABLE']);
    expect(0x40dc0).toBe(V51.DIRECT | V51.KSWAPD | V51.IO | V51.FS | V51.COMP | V51.ZERO);
    // The leftover bits come lowest first; the kernel's own order differs between releases.
    expect(new Set(decodeGfp(0x40dc0, '5.4.19-100.fc30.x86_64'))).toEqual(new Set(['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO']));
    expect(V51.HIGH | V51.ATOMIC | V51.KSWAPD).toBe(0xa20);
    expect(decodeGfp(0xa20, '5.10.0-21-amd64')).toEqual(['GFP_ATOMIC']);
  });
  // The old "4.15" generation meant 4.15-6.2: now the range [4.15, 6.3).
  it('the range 4.15-6.2 covers all three tables', () => {
    const range = { from: '4.15', before: '6.3' };
    expect(decodeGfp(0x6200ca, range)).toEqual(['GFP_HIGHUSER_MOVABLE']);
    expect(decodeGfp(0x15000c0, range)).toEqual(['GFP_KERNEL_ACCOUNT']);
    expect(decodeGfp(0x100cca, range)).toEqual(['GFP_HIGHUSER_MOVABLE']);
  });
  it('the release 4.15 itself reads only its own table', () => {
    expect(decodeGfp(0x15000c0, '4.15')).toEqual(['GFP_KERNEL_ACCOUNT']);
    expect(explainGfp(0x100cca, '4.15').layout).toBe('4.15');
    expect(decodeGfp(0x100cca, '4.15')).not.toEqual(['GFP_HIGHUSER_MOVABLE']);
  });
});

describe('decodeGfp, 6.3+ (no __GFP_ATOMIC)', () => {
  it('GFP_ATOMIC is __GFP_HIGH|__GFP_KSWAPD_RECLAIM = 0x820; 0x200 is unused', () => {
    expect(V51.HIGH | V51.KSWAPD).toBe(0x820);
    expect(decodeGfp(0x820, '6.3')).toEqual(['GFP_ATOMIC']);
    expect(decodeGfp(0xa20, '6.3')).toEqual(['GFP_ATOMIC', '0x200']);
    expect(decodeGfp(0x40820, '6.18.2')).toEqual(['GFP_ATOMIC', '__GFP_COMP']);
  });
  it('matches the names 6.16 and 6.17 printed (inducer/relate#1383, systemd#40208)', () => {
    expect(new Set(decodeGfp(0x140dca, '6.16.9+deb14-amd64'))).toEqual(new Set(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO', '__GFP_COMP']));
    expect(decodeGfp(0xcc0, '6.17.3-arch2-1')).toEqual(['GFP_KERNEL']);
  });
});

describe('decodeGfp, bad arguments', () => {
  it('refuses a value that is not a 32-bit unsigned integer', () => {
    expect(() => decodeGfp(-1, '4.4')).toThrow(InputError);
    expect(() => decodeGfp(1.5, '4.4')).toThrow(InputError);
  });
  it('refuses a kernel that is not a release', () => {
    expect(() => decodeGfp(0x20, 'banana')).toThrow(InputError);
  });
});

describe('requestFromGfp', () => {
  it('2.6.32 0x4020: __GFP_HIGH, cannot sleep (no __GFP_WAIT), no __GFP_ATOMIC bit before 4.4', () => {
    expect(requestFromGfp(0x4020, '2.6.32')).toEqual({
      name: '0x4020',
      highestZone: 'Normal',
      high: true,
      canSleep: false,
      atomic: false,
      noMemalloc: false,
      movable: false,
      io: false,
      fs: false,
      noKswapd: false,
    });
  });
  it('GFP_ATOMIC as printed: atomic only while __GFP_ATOMIC exists (4.4 to 6.2)', () => {
    const g44 = requestFromGfp('GFP_ATOMIC|__GFP_COMP', '4.4');
    expect([g44.high, g44.canSleep, g44.atomic, g44.name]).toEqual([true, false, true, 'GFP_ATOMIC|__GFP_COMP']);
    const g415 = requestFromGfp(['GFP_ATOMIC', '__GFP_COMP'], '4.15');
    expect([g415.high, g415.canSleep, g415.atomic]).toEqual([true, false, true]);
    const g63 = requestFromGfp('GFP_ATOMIC', '6.3');
    expect([g63.high, g63.canSleep, g63.atomic]).toEqual([true, false, false]);
    const g37 = requestFromGfp('GFP_ATOMIC', '3.10');
    expect([g37.high, g37.canSleep, g37.atomic]).toEqual([true, false, false]);
    // 6.1.116 took the 6.3 flag model but keeps the 5.1-6.2 bit values: __GFP_ATOMIC (0x200) is still there
    expect(requestFromGfp(0xa20, '6.1.116').atomic).toBe(true);
  });
  it('sleeping: __GFP_WAIT up to 4.3, __GFP_DIRECT_RECLAIM from 4.4', () => {
    expect(requestFromGfp('GFP_KERNEL', '2.6.32').canSleep).toBe(true);
    expect(requestFromGfp('GFP_KERNEL', '6.18').canSleep).toBe(true);
    expect(requestFromGfp(0xd0, '3.10.0').canSleep).toBe(true);
    expect(requestFromGfp(0x24000c0, '4.4.0').canSleep).toBe(true);
    expect(requestFromGfp('GFP_NOWAIT', '2.6.32').canSleep).toBe(false);
    expect(requestFromGfp('GFP_NOWAIT', '4.15').canSleep).toBe(false);
    expect(requestFromGfp('GFP_NOIO', '4.4').canSleep).toBe(true);
    expect(requestFromGfp('GFP_NOFS', '3.10').canSleep).toBe(true);
  });
  it('gfp_zone: the zone modifiers, and __GFP_MOVABLE reaches Movable only with __GFP_HIGHMEM', () => {
    expect(requestFromGfp('GFP_HIGHUSER_MOVABLE', '4.15').highestZone).toBe('Movable');
    expect(requestFromGfp(0x6200ca, '4.19.0').highestZone).toBe('Movable');
    expect(requestFromGfp('GFP_HIGHUSER', '3.10').highestZone).toBe('HighMem');
    expect(requestFromGfp('GFP_USER', '3.10').highestZone).toBe('Normal');
    expect(requestFromGfp('GFP_DMA', '2.6.32').highestZone).toBe('DMA');
    expect(requestFromGfp('GFP_DMA32', '6.12').highestZone).toBe('DMA32');
    const movableOnly = requestFromGfp('GFP_KERNEL|__GFP_MOVABLE', '4.4');
    expect([movableOnly.highestZone, movableOnly.movable]).toEqual(['Normal', true]);
    expect(requestFromGfp('__GFP_MOVABLE|__GFP_DMA32', '4.4').highestZone).toBe('DMA32');
  });
  it('transparent huge pages: GFP_TRANSHUGE may reclaim, _LIGHT may not; both skip the reserves', () => {
    const th = requestFromGfp('GFP_TRANSHUGE', '4.15');
    expect([th.canSleep, th.noMemalloc, th.movable, th.highestZone]).toEqual([true, true, true, 'Movable']);
    const light = requestFromGfp('GFP_TRANSHUGE_LIGHT', '6.12');
    expect([light.canSleep, light.noMemalloc]).toEqual([false, true]);
  });
  it('reads bare words and hex strings', () => {
    expect(requestFromGfp('atomic', '4.4').atomic).toBe(true);
    expect(requestFromGfp('kernel|comp', '2.6.32').canSleep).toBe(true);
    expect(requestFromGfp('0x4020', '2.6.32').high).toBe(true);
  });
  it('refuses unknown names and two zone modifiers', () => {
    expect(() => requestFromGfp('GFP_BOGUS', '4.4')).toThrow(InputError);
    expect(() => requestFromGfp('__GFP_NOPE', '4.4')).toThrow(InputError);
    expect(() => requestFromGfp('__GFP_DMA|__GFP_HIGHMEM', '4.4')).toThrow(InputError);
    expect(() => requestFromGfp('', '4.4')).toThrow(InputError);
  });
});

describe('requestFromGfp, the fields direct compaction and the __GFP_NO_KSWAPD rule read', () => {
  it('__GFP_IO and __GFP_FS: GFP_KERNEL both, GFP_NOFS only I/O, GFP_NOIO neither', () => {
    const k = requestFromGfp('GFP_KERNEL', '6.18');
    expect([k.io, k.fs]).toEqual([true, true]);
    const nofs = requestFromGfp('GFP_NOFS', '6.18');
    expect([nofs.io, nofs.fs]).toEqual([true, false]);
    const noio = requestFromGfp('GFP_NOIO', '4.4');
    expect([noio.io, noio.fs]).toEqual([false, false]);
    // 2.6.32 0xd0 = __GFP_WAIT|__GFP_IO|__GFP_FS
    expect(requestFromGfp(0xd0, '2.6.32')).toMatchObject({ io: true, fs: true, canSleep: true });
  });
  it('__GFP_NO_KSWAPD (0x400000, 2.6.38-4.3) is in GFP_TRANSHUGE; from 4.4 that bit is __GFP_DIRECT_RECLAIM', () => {
    expect(requestFromGfp('GFP_TRANSHUGE', '3.10')).toMatchObject({ noKswapd: true, canSleep: true, noMemalloc: true, movable: true });
    expect(requestFromGfp(0x400020, '3.10')).toMatchObject({ noKswapd: true, canSleep: false, high: true });
    expect(requestFromGfp(0x400020, '4.4')).toMatchObject({ noKswapd: false, canSleep: true, high: true });
    // 2.6.32 has no such bit: 0x400000 is unknown there and sets nothing
    expect(requestFromGfp(0x400020, '2.6.32').noKswapd).toBe(false);
  });
});

describe('requestFromUser (--gfp)', () => {
  it('a profile that names a composite is that composite as the replayed release defines it', () => {
    // 4.6-4.7: GFP_TRANSHUGE = (GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN)
    // & ~__GFP_RECLAIM = 0x352ca: no reclaim bit, so it cannot sleep; 4.8 adds __GFP_DIRECT_RECLAIM back.
    expect(requestFromUser('transhuge', '4.6')).toMatchObject({ name: 'GFP_TRANSHUGE', canSleep: false, noMemalloc: true });
    expect(requestFromUser('transhuge', '4.8')).toMatchObject({ canSleep: true });
    // 2.6.38-4.3: GFP_TRANSHUGE carries __GFP_NO_KSWAPD.
    expect(requestFromUser('transhuge', '3.10')).toMatchObject({ noKswapd: true, canSleep: true });
    // GFP_TRANSHUGE_LIGHT exists from 4.8 only.
    expect(() => requestFromUser('transhuge-light', '4.7')).toThrow(/the replayed release \(4\.7\) has no GFP_TRANSHUGE_LIGHT/);
    // GFP_DMA32 is a zone bit alone; the profile stays GFP_KERNEL in that zone.
    expect(requestFromUser('dma32', '6.18')).toMatchObject({ name: 'GFP_DMA32', canSleep: true, io: true, highestZone: 'DMA32' });
  });

  it('a profile name, a mode or flag names', () => {
    expect(requestFromUser('transhuge-light', '6.18')).toMatchObject({ name: 'GFP_TRANSHUGE_LIGHT', canSleep: false });
    expect(requestFromUser('0x820', '6.18')).toMatchObject({ name: '0x820', high: true, canSleep: false, atomic: false });
    expect(requestFromUser('GFP_KERNEL|__GFP_COMP', '6.18')).toMatchObject({ name: 'GFP_KERNEL|__GFP_COMP', canSleep: true });
  });
  it('an unknown flag is an InputError that says --gfp', () => {
    expect(() => requestFromUser('GFP_BOGUS', '6.18')).toThrow(InputError);
    expect(() => requestFromUser('GFP_BOGUS', '6.18')).toThrow(/^--gfp: GFP flag "GFP_BOGUS" is not known/);
  });
});

describe('releasesPrinting: which bit values print a mode as the given names', () => {
  it('0x480020 prints as GFP_ATOMIC only with the 4.18-5.0 values', () => {
    expect(releasesPrinting(0x480020, ['GFP_ATOMIC'])).toEqual([{ from: '4.18', before: '5.1' }]);
  });
  it('0x820 prints as GFP_ATOMIC from 6.3 on, an open range at the end', () => {
    const r = releasesPrinting(0x820, ['GFP_ATOMIC']);
    // 6.3 only deleted __GFP_ATOMIC; 6.4 merged the KASAN skip bits, a layout of its own
    expect(r[0]).toEqual({ from: '6.3', before: '6.4' });
    expect(r[r.length - 1]?.before).toBeUndefined();
  });
  it('names in another order still match', () => {
    expect(releasesPrinting(0x484020, ['__GFP_COMP', 'GFP_ATOMIC'])).toEqual([{ from: '4.18', before: '5.1' }]);
  });
});

describe('the layouts read off release trees (the values moved at 4.6, 5.14, 5.18, 6.3, 6.4, 6.9, 6.10)', () => {
  it('5.14-5.17: __GFP_SKIP_KASAN_POISON (0x1000000) is always defined and part of GFP_HIGHUSER_MOVABLE', () => {
    // 0x1100dca = SKIP_KASAN_POISON 0x1000000 | HARDWALL 0x100000 | KSWAPD 0x800 | DIRECT 0x400 | ZERO 0x100 |
    // FS 0x80 | IO 0x40 | MOVABLE 0x8 | HIGHMEM 0x2: a user page fault's mode on RHEL 9 and Ubuntu 22.04
    expect(decodeGfp(0x1100dca, '5.15.0-91-generic')).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
    expect(decodeGfp(0x1100dca, '5.14.0-427.el9')).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
    // 0x800000 is __GFP_ZEROTAGS there, not NOLOCKDEP (0x2000000)
    expect(gfpBits(0x800000, '5.15')).toEqual(['__GFP_ZEROTAGS']);
    expect(gfpBits(0x2000000, '5.15')).toEqual(['__GFP_NOLOCKDEP']);
  });
  it('5.18: the KASAN bits are config-only, so GFP_HIGHUSER_MOVABLE is 0x100cca again', () => {
    expect(decodeGfp(0x100cca, '5.19')).toEqual(['GFP_HIGHUSER_MOVABLE']);
    expect(gfpBits(0x8000000, '5.18')).toEqual(['__GFP_NOLOCKDEP']);
  });
  it('4.6-4.7: GFP_TRANSHUGE clears both reclaim bits (0x352ca); from 4.8 that is GFP_TRANSHUGE_LIGHT plus __GFP_NORETRY', () => {
    // 0x352ca = NOMEMALLOC 0x10000 | HARDWALL 0x20000 | COMP 0x4000 | NORETRY 0x1000 | NOWARN 0x200 | FS | IO | MOVABLE | HIGHMEM
    expect(decodeGfp(0x352ca, '4.6')).toEqual(['GFP_TRANSHUGE']);
    expect(decodeGfp(0x352ca, '4.9')).toEqual(['GFP_TRANSHUGE_LIGHT', '__GFP_NORETRY']);
    // 4.4-4.5 cleared only KSWAPD_RECLAIM: 0x4352ca
    expect(decodeGfp(0x4352ca, '4.4')).toEqual(['GFP_TRANSHUGE']);
    // so a 4.6 GFP_TRANSHUGE request cannot direct-reclaim, and a 4.4 or 4.8 one can
    expect(requestFromGfp('GFP_TRANSHUGE', '4.6').canSleep).toBe(false);
    expect(requestFromGfp('GFP_TRANSHUGE', '4.4').canSleep).toBe(true);
    expect(requestFromGfp('GFP_TRANSHUGE', '4.8').canSleep).toBe(true);
  });
  it('3.7-4.14: __GFP_NOTRACK (0x200000) is a plain bit, so a 4.9 page-table mode fits 4.8-4.9 best', () => {
    // 0x27080c0 = GFP_KERNEL_ACCOUNT 0x25000c0 (4.5-4.9) | ZERO 0x8000 | NOTRACK 0x200000
    const d = explainGfp(0x27080c0, { from: '4.4', before: '4.15' });
    expect(d.names).toEqual(['GFP_KERNEL_ACCOUNT', '__GFP_ZERO', '__GFP_NOTRACK']);
    expect(d.layout).toBe('4.8');
  });
  it('4.6-6.14 print leftover bits in the name table\'s order, 6.15+ in bit order', () => {
    // 0x40dc0 = GFP_KERNEL 0xcc0 | COMP 0x40000 | ZERO 0x100 (5.1+ values)
    expect(decodeGfp(0x40dc0, '5.10')).toEqual(['GFP_KERNEL', '__GFP_COMP', '__GFP_ZERO']);
    expect(decodeGfp(0x40dc0, '6.18')).toEqual(['GFP_KERNEL', '__GFP_ZERO', '__GFP_COMP']);
  });
  it('4.12-6.14 print __GFP_NOLOCKDEP as hex (their table has no name for it); 6.3 keeps it at 0x8000000', () => {
    expect(decodeGfp(0x8000cc0, '6.3')).toEqual(['GFP_KERNEL', '0x8000000']);
    expect(gfpBits(0x8000cc0, '6.3')).toEqual(['__GFP_IO', '__GFP_FS', '__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_NOLOCKDEP']);
  });
  it('6.4 merges the skip bits (SKIP_KASAN 0x2000000, NOLOCKDEP 0x4000000); 6.9 numbers them: NOLOCKDEP 0x1000000 without KASAN_HW_TAGS; 6.10 puts NO_OBJ_EXT there', () => {
    expect(gfpBits(0x2000000, '6.4')).toEqual(['__GFP_SKIP_KASAN']);
    expect(gfpBits(0x4000000, '6.6')).toEqual(['__GFP_NOLOCKDEP']);
    expect(gfpBits(0x1000000, '6.9')).toEqual(['__GFP_NOLOCKDEP']);
    expect(gfpBits(0x1000000, '6.12')).toEqual(['__GFP_NO_OBJ_EXT']);
  });
});
