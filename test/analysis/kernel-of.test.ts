// The release replayed when the inputs state none: a pagetypeinfo's Reserve list dates them before 4.4.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo } from '../helpers/io.js';

const real = (name: string): string => readFileSync(new URL(`../../fixtures/real/captures/${name}`, import.meta.url), 'utf8');
// A 4.1 ARM router (corpus 35-37): its pagetypeinfo has Reserve (and CMA) columns; no file states the release.
const FILES = {
  'b.txt': real('35-4.1-arm32-zte-router-buddyinfo-single-normal.txt'),
  'p.txt': real('36-4.1-arm32-zte-router-pagetypeinfo-reserve-cma.txt'),
  'z.txt': real('37-4.1-arm32-zte-router-zoneinfo-low-free.txt'),
};

async function json(argv: string[]) {
  const io = fakeIo({ files: FILES });
  const code = await main([...argv, '--json', 'b.txt', 'p.txt', 'z.txt'], io);
  return { code, v: JSON.parse(io.out()) };
}

describe('a pagetypeinfo with a Reserve list and no release stated', () => {
  it('is replayed by 4.3, the last release with MIGRATE_RESERVE, from its shape, and says so', async () => {
    const { code, v } = await json(['check', '--order', '5']);
    expect(code).toBe(0);
    expect([v.kernelRelease, v.kernelOrigin, v.algorithm]).toEqual(['4.3', 'shape', 'legacy']);
    expect(v.kernelFrom).toMatch(/Reserve list/);
    // Not ONLY_RESERVED_BLOCKS: under today's rules the Reserve blocks were taken for unusable ones.
    expect(v.ok).toBe(true);
    expect((await json(['check', '--order', '5', '--kernel', '4.3'])).v.zones).toEqual(v.zones);
  });

  it('show, check and watch agree on it', async () => {
    const show = (await json([])).v;
    const check = (await json(['check', '--order', '0'])).v;
    expect(show.watermarkCheck.kernelRelease).toBe('4.3');
    expect(show.zones[0].largestPassingOrder.min).toBe(check.zones[0].largestPassingOrder);
    const io = fakeIo({ files: { '/box/buddyinfo': FILES['b.txt'], '/box/pagetypeinfo': FILES['p.txt'], '/box/zoneinfo': FILES['z.txt'] } });
    expect(await main(['watch', '--order', '5', '--json', '--count', '1', '--proc', '/box'], io)).toBe(0);
    expect(JSON.parse(io.out()).verdict.kernelRelease).toBe('4.3');
  });
});
