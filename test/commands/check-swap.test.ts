// check after a FAIL: a procfs's meminfo says whether swap is free, so whether anonymous pages are reclaimable.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

// The 6.18 capture with its Normal zone brought down to 3,000 free order-0 pages (min 3,413), holding
// 200 file pages (100 inactive, 100 active) and 1,000 anonymous ones.
const ZONEINFO = fixture('proc-x86_64-6.18/zoneinfo').replace(/(zone {3}Normal\n {2}pages free {5})108155/, '$13000')
  .replace(/(zone {3}Normal[\s\S]*?nr_free_pages )108155/, '$13000')
  .replace(/(zone {3}Normal[\s\S]*?nr_zone_inactive_anon )1635/, '$11000')
  .replace(/(zone {3}Normal[\s\S]*?nr_zone_active_anon )384/, '$10')
  .replace(/(zone {3}Normal[\s\S]*?nr_zone_inactive_file )26276/, '$1100')
  .replace(/(zone {3}Normal[\s\S]*?nr_zone_active_file )29738/, '$1100');
const BUDDYINFO = fixture('proc-x86_64-6.18/buddyinfo').replace(/(zone {3}Normal).*/, `$1 ${['3000', ...Array(10).fill('0')].map((n) => n.padStart(6)).join(' ')} `);
const meminfo = (freeKiB: number) => `MemTotal:       24562312 kB\nMemFree:        23000000 kB\nSwapTotal:       4194300 kB\nSwapFree:        ${String(freeKiB).padStart(7)} kB\n`;

async function check(files: Record<string, string>, json: boolean) {
  const io = fakeIo({ files: { '/box/buddyinfo': BUDDYINFO, '/box/zoneinfo': ZONEINFO, '/box/version': fixture('proc-x86_64-6.18/version'), ...files } });
  const code = await main(['check', '--order', '0', '--zone', 'Normal', '--proc', '/box', ...(json ? ['--json'] : [])], io);
  return { code, out: io.out(), err: io.err() };
}

describe('check reads DIR/meminfo for free swap', () => {
  it('the fixture is what the test says: Normal fails at order 0 (3,000 <= min 3,413)', async () => {
    const r = await check({}, true);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).zones[0].steps[0]).toMatchObject({ freePages: 3000, minPages: 3413, ok: false });
  });

  it('no swap free: the 200 file pages are all reclaim can free (3,200 <= 3,413), so reclaim cannot help', async () => {
    const r = await check({ '/box/meminfo': meminfo(0) }, true);
    const v = JSON.parse(r.out);
    expect(v.swap).toEqual({ freeKiB: 0, totalKiB: 4194300, origin: '/box/meminfo' });
    expect(v.next.code).toBe('RECLAIM_CANNOT_HELP');
    expect(v.zones[0].reclaim).toEqual({ reclaimablePages: 200, anonCounted: false, ok: false, swapKnown: true });
    const text = await check({ '/box/meminfo': meminfo(0) }, false);
    expect(text.out).toContain('Even its 200 reclaimable pages (file pages only: no swap is free) would not be enough.');
  });

  it('swap free: the 1,000 anonymous pages count too (4,200 > 3,413), so reclaim comes first', async () => {
    const v = JSON.parse((await check({ '/box/meminfo': meminfo(1048576) }, true)).out);
    expect(v.next.code).toBe('RECLAIM_FIRST');
    expect(v.zones[0].reclaim).toEqual({ reclaimablePages: 1200, anonCounted: true, ok: true, swapKnown: true });
  });

  it('no meminfo: swap unknown, the anonymous pages are counted and the outcome says they need free swap', async () => {
    const v = JSON.parse((await check({}, true)).out);
    expect(v.swap).toBeUndefined();
    expect(v.next.code).toBe('RECLAIM_FIRST');
    expect(v.zones[0].reclaim).toEqual({ reclaimablePages: 1200, anonCounted: true, ok: true, needsSwap: true });
  });
});
