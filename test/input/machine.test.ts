// Tests for the input layer: line splitting, recognising inputs by content, and reading logs whole.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { sniff } from '../../src/input/sniff.js';
import { lines } from '../../src/input/text.js';
import { fakeIo, fixture } from '../helpers/io.js';

async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > at && c < text.length) {
      yield text.slice(at, c);
      at = c;
    }
  }
  yield text.slice(at);
}

async function collect(text: string, cuts: number[]): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const l of lines(chunked(text, cuts))) out.push(l);
  return out;
}

describe('lines', () => {
  it('ends lines at LF, CRLF and a lone CR, however the text is cut (property)', async () => {
    const piece = fc.constantFrom('a', 'Node 0', ' ', '7', '\n', '\r\n', '\r');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(200), { maxLength: 6 }), async (parts, cuts) => {
        const text = parts.join('');
        // the reference: split the whole text at once; a final line break adds no empty line
        const expected = text.split(/\r\n|\r|\n/);
        if (expected[expected.length - 1] === '') expected.pop();
        const got = await collect(text, cuts);
        expect(got.map(([l]) => l)).toEqual(expected);
        expect(got.map(([, n]) => n)).toEqual(expected.map((_, i) => i + 1));
      }),
    );
  });

  it('refuses a line longer than 1 MiB instead of holding it', async () => {
    await expect(collect('x'.repeat((1 << 20) + 10), [65536, 1 << 20])).rejects.toThrow(/input, line 1: a line longer than 1 MiB/);
  });
});

describe('recognising inputs', () => {
  it.each([
    ['Node 0, zone DMA 1 2 3\n', 'buddyinfo'],
    ['node 0,zone DMA 1 2 3\n', 'buddyinfo'],
    ['Linux version 6.18.2 (gcc) #1 SMP\n', 'version'],
    ['Linux version 6.18.2 (gcc) #1 SMP\nNode 0, zone DMA 1 2 3\n', 'buddyinfo'],
    ['[ 1.0] usb 1-1: new device\n', 'report'],
    ['Page block order: 10\nPages per block:  1024\n', 'pagetypeinfo'],
  ])('%j is %s', (head, kind) => expect(sniff(head)).toBe(kind));
});

describe('kernel logs', () => {
  // 3,000 unrelated lines (about 200 KB, past the 64 KiB the recogniser looks at), then an OOM report
  const preamble = Array.from({ length: 3000 }, (_, i) => `[ ${i}.000000] usb 1-1: new high-speed USB device number ${i}\n`).join('');
  const log = `${preamble}${fixture('reports/oom-4.19.txt')}`;

  it('report finds a report deep in a piped log', async () => {
    const io = fakeIo({ stdin: log });
    expect(await main(['report', '--json'], io)).toBe(0);
    const [r] = JSON.parse(io.out());
    expect(r.line).toBe(3001);
    expect(r.kind).toBe('oom');
  });

  it('check reads the same log as a file', async () => {
    const io = fakeIo({ files: { 'kern.log': log } });
    await main(['check', '--json', 'kern.log'], io);
    expect(JSON.parse(io.out()).replayedReport.line).toBe(3001);
  });

  it('report reads a file that also holds buddyinfo snapshots', async () => {
    const io = fakeIo({ files: { 'mix.log': `${fixture('buddyinfo-two-node.txt')}${fixture('reports/oom-4.19.txt')}` } });
    expect(await main(['report', '--json', 'mix.log'], io)).toBe(0);
    expect(JSON.parse(io.out())).toHaveLength(1);
  });

  it('report with no FILE, no pipe and no kernel log to read says what it needs', async () => {
    const io = fakeIo({ files: { '/proc/buddyinfo': fixture('buddyinfo-two-node.txt') } });
    expect(await main(['report'], io)).toBe(2);
    expect(io.err()).toBe(
      'buddyinfo: report with no FILE reads the running kernel\'s log, but this is not a Linux system with /dev/kmsg, and the dmesg command did not run: give a log file, or pipe one in, e.g. "journalctl -k | buddyinfo report".\n',
    );
  });

  it('report has no --proc or --page-size to mislead', async () => {
    const io = fakeIo();
    expect(await main(['report', '--page-size', '64K', 'x.log'], io)).toBe(2);
    expect(io.err()).toMatch(/unknown option '--page-size'/);
  });
});

describe('standard input', () => {
  it('"-" may be given once', async () => {
    const io = fakeIo({ stdin: fixture('buddyinfo-two-node.txt') });
    expect(await main(['-', '-'], io)).toBe(2);
    expect(io.err()).toMatch(/"-" \(standard input\) is given twice/);
  });
});

describe('a capture with a damaged zone line in its middle', () => {
  it('stops with one sentence naming the line, exit 2, in show and check alike (a zone is never dropped unsaid)', async () => {
    // Line 2 has 12 counts where lines 1 and 3 have 11: DMA32 would vanish from the table and the zonelist.
    const text = 'Node 0, zone DMA 1 0 1 0 2 1 1 0 1 1 3\nNode 0, zone DMA32 759 5 791 475 194 45 12 0 0 0 0 7\nNode 0, zone Normal 4381 1093 185 1530 567 102 4 0 0 0 0\n';
    for (const argv of [['m.txt'], ['check', '--order', '3', '--min', '100', '--low', '120', '--high', '140', 'm.txt']]) {
      const io = fakeIo({ files: { 'm.txt': text } });
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toBe('buddyinfo: m.txt, line 2: expected 11 free counts like "Node 0, zone DMA" (line 1), found 12.\n');
    }
  });
});

describe('a zoneinfo alone', () => {
  it('shows each populated zone\'s free pages against its marks, saying there are no per-order counts', async () => {
    const io = fakeIo({ files: { 'z.txt': fixture('proc-x86_64-6.18/zoneinfo') } });
    expect(await main(['--json', 'z.txt'], io)).toBe(0);
    const v = JSON.parse(io.out());
    expect(v.kind).toBe('zoneinfo-only');
    // Read off the fixture: DMA pages free 3840 > high 98; DMA32 772808 > high 20124; Normal 108155 > high 5119.
    // Movable and Device (present 0) are left out.
    expect(v.zones.map((z: Record<string, unknown>) => [z.zone, z.freePages, z.min, z.low, z.high, z.standing])).toEqual([
      ['DMA', 3840, 66, 82, 98, 'above high'],
      ['DMA32', 772808, 13416, 16770, 20124, 'above high'],
      ['Normal', 108155, 3413, 4266, 5119, 'above high'],
    ]);
    // 3840 pages of 4 KiB = 15728640 bytes.
    expect(v.zones[0].freeBytes).toBe(15728640);
    expect(await main(['z.txt'], io)).toBe(0);
    expect(io.out()).toContain('Only a zoneinfo was given');
  });

  it('draws its table in pages within 80 columns, with a boost column only when some zone is boosted', async () => {
    const text = fixture('proc-x86_64-6.18/zoneinfo');
    const io = fakeIo({ files: { 'z.txt': text } });
    expect(await main(['z.txt'], io)).toBe(0);
    const rows = io.out().split('\n').filter((l) => l.startsWith('│'));
    expect(rows[0]).toMatch(/zone \(pages\) +│ +free │ +min │ +low │ +high │ free stands/);
    expect(rows[1]).toMatch(/Node 0 DMA +│ +3,840 │ +66 │ +82 │ +98 │ above high/);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    const boosted = fakeIo({ files: { 'b.txt': text.replace('boost    0', 'boost    250') } });
    expect(await main(['b.txt'], boosted)).toBe(0);
    // The first zone (DMA) now carries boost 250; the others print 0.
    expect(boosted.out()).toMatch(/│ +high │ +boost │ free stands/);
    expect(boosted.out()).toMatch(/Node 0 DMA +│ +3,840 │ +66 │ +82 │ +98 │ +250 │/);
  });

  it('wraps its prose to an 80-column terminal, and ignores a terminal that reports 0 columns', async () => {
    const text = fixture('proc-x86_64-6.18/zoneinfo');
    const narrow = fakeIo({ files: { 'z.txt': text }, stdoutTTY: true, columns: 80 });
    expect(await main(['z.txt'], narrow)).toBe(0);
    const lines = narrow.out().split('\n');
    for (const l of lines) expect(l.replace(/\x1b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(80);
    expect(narrow.out().replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ')).toContain('Only a zoneinfo was given: it has each zone\'s free pages and watermarks');
    // An unsized console says 0 columns: the text stays as it would be in a file, not a word a line.
    const unsized = fakeIo({ files: { 'z.txt': text }, stdoutTTY: true, columns: 0 });
    expect(await main(['z.txt', '--no-color'], unsized)).toBe(0);
    const file = fakeIo({ files: { 'z.txt': text } });
    expect(await main(['z.txt'], file)).toBe(0);
    expect(unsized.out()).toBe(file.out());
  });

  it('still asks for a buddyinfo where the view needs per-order counts (Prometheus)', async () => {
    const io = fakeIo({ files: { 'z.txt': fixture('proc-x86_64-6.18/zoneinfo') } });
    expect(await main(['--format', 'prometheus', 'z.txt'], io)).toBe(2);
    expect(io.err()).toBe('buddyinfo: z.txt: found a zoneinfo but no buddyinfo: give the buddyinfo from the same box beside it.\n');
  });
});

describe('a pagetypeinfo alone against a zoneinfo from another box', () => {
  it('names the pagetypeinfo, not a buddyinfo that was never given, in the refusal', async () => {
    const io = fakeIo({ files: { 'p.txt': fixture('pagetypeinfo-x86_64-4.4-two-node.txt'), 'z.txt': fixture('zoneinfo-x86_64-4.4-two-node.txt') } });
    expect(await main(['check', '--order', '9', 'p.txt', 'z.txt'], io)).toBe(2);
    // Node 0 DMA: the pagetypeinfo's rows sum to 4344 free pages; the zoneinfo says present 3998.
    expect(io.err()).toBe(
      'buddyinfo: p.txt and z.txt do not describe the same box: Node 0 DMA has 4344 free pages in the pagetypeinfo, more than the 3998 pages the zoneinfo says the zone has. Give captures of one box, or --force to read them together anyway.\n',
    );
  });
});
