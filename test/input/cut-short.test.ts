// Only an input's last line may be cut short: it is left out with a note, the same way in show and history.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

async function run(argv: string[], files: Record<string, string>) {
  const io = fakeIo({ files });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const DMA = 'Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3 ';
const DMA32 = 'Node 0, zone    DMA32    759    572    791    475    194     45     12      0      0      0      0 ';
const NORMAL = 'Node 0, zone   Normal   1000    500    250      0      0      0      0      0      0      0      0 ';

describe('one snapshot whose last line stops mid-word', () => {
  it.each([
    ['the zone name cut, no newline', `${DMA}\n${DMA32}\nNode 0, zone   Norm`],
    ['the zone name whole, no counts', `${DMA}\n${DMA32}\nNode 0, zone   Normal\n`],
  ])('%s: the two whole zones are shown, the cut line named', async (_name, text) => {
    const r = await run(['--json', 'b.txt'], { 'b.txt': text });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA', 'DMA32']);
    expect(v.notes.join(' ')).toMatch(/b\.txt, line 3: the last line was left out: it stops short/);
    const h = await run(['history', '--json', 'b.txt'], { 'b.txt': text });
    expect(h.code).toBe(0);
    expect(JSON.parse(h.out).snapshots).toBe(1);
  });

  it('the same line in the middle of the input stops the run: it is not a cut', async () => {
    const r = await run(['b.txt'], { 'b.txt': `${DMA}\nNode 0, zone   Normal\n${DMA32}\n` });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^buddyinfo: b\.txt, line 2: expected free block counts after "Node 0, zone Normal", found none\.\n$/);
  });
});

describe('a last snapshot that stops short of the one before', () => {
  it('show leaves it out and shows the one before, as history does', async () => {
    // Two whole snapshots of three zones, then one cut after DMA32.
    const whole = `${DMA}\n${DMA32}\n${NORMAL}\n`;
    const text = `${whole}${whole}${DMA}\n${DMA32}\nNode 0, zone   Norm`;
    const r = await run(['--json', 'b.txt'], { 'b.txt': text });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.snapshots).toBe(2);
    expect(v.zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(v.notes.join(' ')).toMatch(/b\.txt, line 7: the last snapshot was left out: it stops short at line 9/);
    expect(JSON.parse((await run(['history', '--json', 'b.txt'], { 'b.txt': text })).out).snapshots).toBe(2);
  });

  it('a stamped log whose last line has 2 of 11 counts: show and history both read 6 snapshots', async () => {
    const files = { 'h.txt': fixture('history-stamps.txt') };
    const show = JSON.parse((await run(['--json', 'h.txt'], files)).out);
    const history = JSON.parse((await run(['history', '--json', 'h.txt'], files)).out);
    expect(show.snapshots).toBe(6);
    expect(history.snapshots).toBe(6);
    expect(show.zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA32', 'Normal']);
  });
});

describe('a FILE that gives nothing is named, not passed over', () => {
  const good = `${DMA}\n${DMA32}\n${NORMAL}\n`;
  it('show: an empty file and a binary one beside a capture', async () => {
    const r = await run(['--json', 'b.txt', 'empty.txt', 'bin.dat'], { 'b.txt': good, 'empty.txt': '', 'bin.dat': '\u0000\u0001\u0002ELF' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).notes).toEqual(['empty.txt: nothing was read from it: it is empty.', 'bin.dat: nothing was read from it: it is not text.']);
  });

  it('history: a log with no snapshot among others', async () => {
    const r = await run(['history', '--json', 'b.txt', 'empty.txt'], { 'b.txt': good, 'empty.txt': '' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).notes).toContain('empty.txt: no snapshot was read from it.');
  });
});

describe('a last line cut before its counts', () => {
  it('is said in a note, whether the parser sees a zone line in it or not', async () => {
    const text = fixture('buddyinfo-procfs-x86_64.txt');
    // The capture's first 200 bytes end two lines and the "No" of the third's "Node 0, zone Normal".
    const io = fakeIo({ stdin: text.slice(0, 200), stdinKind: 'file' });
    expect(await main(['--json'], io)).toBe(0);
    const v = JSON.parse(io.out());
    expect(v.zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA', 'DMA32']);
    expect(v.notes).toEqual(['standard input, line 3: the last line was left out: it stops short ("No").']);
  });
});
