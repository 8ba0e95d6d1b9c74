// The command line run in-process: input selection, exit statuses, JSON, colour and errors.

import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { fakeIo, fixture } from './helpers/io.js';

const PROCFS = fixture('buddyinfo-procfs-x86_64.txt');
const CHROMEOS = fixture('buddyinfo-chromeos-6.6.txt');

async function run(argv: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const io = fakeIo(opts);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('where the input comes from', () => {
  it('reads FILE arguments', async () => {
    const r = await run(['--json', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
  });

  it('reads piped stdin when no FILE is given', async () => {
    const r = await run(['--json'], { stdin: CHROMEOS });
    expect(JSON.parse(r.out).sources).toEqual(['standard input']);
  });

  it('reads stdin for "-"', async () => {
    const r = await run(['--json', '-'], { stdin: CHROMEOS });
    expect(JSON.parse(r.out).zones[2].free[10]).toBe(382);
  });

  it('reads the live /proc/buddyinfo with the live page size when there is no input', async () => {
    const r = await run(['--json'], { files: { '/proc/buddyinfo': PROCFS }, pageSize: 16384 });
    const j = JSON.parse(r.out);
    expect(j.sources).toEqual(['/proc/buddyinfo']);
    expect(j.pageSize).toBe(16384);
    expect(j.pageSizeOrigin).toBe('live');
  });

  it('reads DIR/buddyinfo with --proc', async () => {
    const r = await run(['--json', '--proc', 'sos/proc/'], { files: { 'sos/proc/buddyinfo': PROCFS } });
    expect(JSON.parse(r.out).sources).toEqual(['sos/proc/buddyinfo']);
  });

  it('says when it is not Linux', async () => {
    const r = await run([], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\/proc\/buddyinfo does not exist.*Pass a saved buddyinfo file/);
  });

  it('names an unreadable file', async () => {
    const r = await run(['missing.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('buddyinfo: cannot read missing.txt: no such file.\n');
  });

  it('reads lines cut across chunks', async () => {
    const r = await run(['--json', 'a.txt'], { files: { 'a.txt': CHROMEOS }, chunk: 7 });
    expect(JSON.parse(r.out).zones[2].free).toEqual([11464, 8694, 2694, 1152, 664, 341, 124, 44, 12, 7, 382]);
  });

  it('analyses the last snapshot and says how many it read', async () => {
    const two = `${PROCFS}${CHROMEOS}`;
    const r = await run(['a.txt'], { files: { 'a.txt': two } });
    expect(r.out).toMatch(/Read 2 snapshots; showing the last/);
    const j = JSON.parse((await run(['--json', 'a.txt'], { files: { 'a.txt': two } })).out);
    expect(j.snapshots).toBe(2);
    expect(j.zones[2].free[0]).toBe(11464);
  });
});

describe('page size', () => {
  it('assumes 4K for saved input and says so', async () => {
    const r = await run(['a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.out.split('\n')[0]).toMatch(/Page size 4 KiB \(assumed/);
  });

  it('takes --page-size in any common spelling', async () => {
    for (const [text, bytes] of [['65536', 65536], ['64K', 65536], ['16k', 16384], ['64KiB', 65536]] as const) {
      const j = JSON.parse((await run(['--json', '--page-size', text, 'a.txt'], { files: { 'a.txt': PROCFS } })).out);
      expect(j.pageSize).toBe(bytes);
      // DMA order 10: 3 blocks of 1024 pages
      expect(j.zones[0].orders[10].freeBytes).toBe(3 * 1024 * bytes);
    }
  });

  it('rejects a page size that is not a power of two', async () => {
    const r = await run(['--page-size', '3000', 'a.txt'], { files: { 'a.txt': PROCFS } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/power of two/);
  });
});

describe('JSON', () => {
  it('has the documented names and the kernel\'s indices divided by 1000', async () => {
    const j = JSON.parse((await run(['--json', 'a.txt'], { files: { 'a.txt': PROCFS } })).out);
    const dma32 = j.zones[1];
    expect(dma32).toMatchObject({ node: 0, zone: 'DMA32', free: [759, 572, 791, 475, 194, 45, 12, 0, 0, 0, 0], freePages: 14179 });
    // worked in test/analysis/fragmentation.test.ts: unusable(3) = 357, extfrag(7) = 961
    expect(dma32.orders[3]).toMatchObject({ order: 3, blocks: 475, unusableIndex: 0.357, fragmentationIndex: -1 });
    expect(dma32.orders[7].fragmentationIndex).toBe(0.961);
  });
});

describe('colour', () => {
  const ESC = '\u001b[';
  it('none when not a terminal', async () => {
    expect((await run(['a.txt'], { files: { 'a.txt': PROCFS } })).out).not.toContain(ESC);
  });
  it('on a terminal', async () => {
    expect((await run(['a.txt'], { files: { 'a.txt': PROCFS }, stdoutTTY: true })).out).toContain(ESC);
  });
  it('NO_COLOR and --no-color turn it off on a terminal', async () => {
    expect((await run(['a.txt'], { files: { 'a.txt': PROCFS }, stdoutTTY: true, env: { NO_COLOR: '1' } })).out).not.toContain(ESC);
    expect((await run(['--no-color', 'a.txt'], { files: { 'a.txt': PROCFS }, stdoutTTY: true })).out).not.toContain(ESC);
  });
  it('FORCE_COLOR turns it on when piped', async () => {
    expect((await run(['a.txt'], { files: { 'a.txt': PROCFS }, env: { FORCE_COLOR: '1' } })).out).toContain(ESC);
  });
});

describe('usage', () => {
  it('--help ends with examples and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').slice(-3).join('\n')).toMatch(/\$ buddyinfo/);
  });
  it('an unknown option exits 2', async () => {
    const r = await run(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option/);
  });
});

describe('a bug', () => {
  it('prints its stack with a request to report it and exits 70', async () => {
    const io = fakeIo({ files: { 'a.txt': PROCFS } });
    io.stdout.write = () => {
      throw new TypeError('boom');
    };
    const code = await main(['a.txt'], io);
    expect(code).toBe(70);
    expect(io.err()).toMatch(/TypeError: boom\n\s+at /);
    expect(io.err()).toMatch(/This is a bug in buddyinfo. Please report it/);
  });
});

describe('odd files', () => {
  it('reads a file whose lines end in a lone CR', async () => {
    const text = 'Node 0, zone DMA 1 2\rNode 0, zone Normal 3 4\rNode 0, zone DMA 5 6\rNode 0, zone Normal 7 8\r';
    const j = JSON.parse((await run(['--json', 'a.txt'], { files: { 'a.txt': text } })).out);
    expect(j.snapshots).toBe(2);
    expect(j.zones[1].free).toEqual([7, 8]);
  });

  it('reads `cat /proc/version /proc/buddyinfo` as a capture, with its kernel release', async () => {
    const text = `Linux version 4.3.3 (builder@host) (gcc 5.2) #1 SMP\n${fixture('check/seed-000-dma32-buddyinfo.txt')}`;
    const io = fakeIo({ files: { 'a.txt': text } });
    // 4.3 is the last release with the legacy loop: the seed's refusal (765 <= 884)
    expect(await main(['check', '--json', '--order', '4', '--min', '1769', 'a.txt'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ kernelRelease: '4.3.3', algorithm: 'legacy' });
  });
});
