// Log line cleaning: every prefix form, escaped newlines, and rejoining lines cut by mail or syslog.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { cleanLogLine, splitLogicalLines, joinWrapped, type LogicalLine } from '../../src/parse/logline.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/reports/${name}`, import.meta.url), 'utf8');

const MSG = 'Node 0 DMA32: 2360*4kB 80*8kB 21*16kB 7*32kB 4*64kB 1*128kB 2*256kB 0*512kB 1*1024kB 0*2048kB 0*4096kB = 12560kB';

describe('cleanLogLine prefixes', () => {
  const cases: [string, string, { time?: string; uptime?: string; prefix: string }][] = [
    ['printk time', `[ 1234.567890] ${MSG}`, { time: '1234.567890', uptime: '1234.567890', prefix: '[ 1234.567890] ' }],
    ['dmesg -T', `[Mon Nov 16 10:12:01 2026] ${MSG}`, { time: 'Mon Nov 16 10:12:01 2026', prefix: '[Mon Nov 16 10:12:01 2026] ' }],
    [
      'syslog with printk time',
      `Nov 22 03:38:01 web01 kernel: [ 12.345678] ${MSG}`,
      { time: 'Nov 22 03:38:01', uptime: '12.345678', prefix: 'Nov 22 03:38:01 web01 kernel: [ 12.345678] ' },
    ],
    ['syslog, one-digit day', `Nov  2 03:38:01 web01 kernel: ${MSG}`, { time: 'Nov  2 03:38:01', prefix: 'Nov  2 03:38:01 web01 kernel: ' }],
    ['journalctl short', `Nov 22 03:38:01 host kernel: ${MSG}`, { time: 'Nov 22 03:38:01', prefix: 'Nov 22 03:38:01 host kernel: ' }],
    [
      'journalctl short-precise',
      `Nov 22 03:38:01.123456 host kernel: ${MSG}`,
      { time: 'Nov 22 03:38:01.123456', prefix: 'Nov 22 03:38:01.123456 host kernel: ' },
    ],
    [
      'journalctl short-iso',
      `2026-11-22T03:38:01+0000 host kernel: ${MSG}`,
      { time: '2026-11-22T03:38:01+0000', prefix: '2026-11-22T03:38:01+0000 host kernel: ' },
    ],
    [
      'journalctl short-iso-precise',
      `2026-11-22T03:38:01.123456+00:00 host kernel: ${MSG}`,
      { time: '2026-11-22T03:38:01.123456+00:00', prefix: '2026-11-22T03:38:01.123456+00:00 host kernel: ' },
    ],
    [
      'journalctl short-full',
      `Sun 2026-11-22 03:38:01 UTC host kernel: ${MSG}`,
      { time: 'Sun 2026-11-22 03:38:01 UTC', prefix: 'Sun 2026-11-22 03:38:01 UTC host kernel: ' },
    ],
    ['journalctl short-monotonic', `[ 1234.567890] host kernel: ${MSG}`, { time: '1234.567890', prefix: '[ 1234.567890] host kernel: ' }],
    ['level and time (Android kmsg)', `<6>[  123.456789] ${MSG}`, { time: '123.456789', uptime: '123.456789', prefix: '<6>[  123.456789] ' }],
    ['task caller id', `[  123.456789][ T1234] ${MSG}`, { time: '123.456789', uptime: '123.456789', prefix: '[  123.456789][ T1234] ' }],
    ['cpu caller id', `[  123.456789][    C3] ${MSG}`, { time: '123.456789', uptime: '123.456789', prefix: '[  123.456789][    C3] ' }],
    // 123456789 microseconds since boot = 123.456789 s.
    ['raw /dev/kmsg', `4,1234,123456789,-;${MSG}`, { time: '123.456789', uptime: '123.456789', prefix: '4,1234,123456789,-;' }],
    ['dmesg -x', `kern  :warn  : [   12.000001] ${MSG}`, { time: '12.000001', uptime: '12.000001', prefix: 'kern  :warn  : [   12.000001] ' }],
    [
      'logcat kernel buffer, empty tag',
      `11-22 03:38:01.123     0     0 I         : ${MSG}`,
      { time: '11-22 03:38:01.123', prefix: '11-22 03:38:01.123     0     0 I         : ' },
    ],
    [
      'logcat, tag "kernel"',
      `11-22 03:38:01.123     0     0 I kernel  : ${MSG}`,
      { time: '11-22 03:38:01.123', prefix: '11-22 03:38:01.123     0     0 I kernel  : ' },
    ],
    ['mail quote', `> [ 12.345678] ${MSG}`, { time: '12.345678', uptime: '12.345678', prefix: '> [ 12.345678] ' }],
    ['two quote levels', `>> ${MSG}`, { prefix: '>> ' }],
    ['mail quote and indent', `>   [93334.020194] ${MSG}`, { time: '93334.020194', uptime: '93334.020194', prefix: '>   [93334.020194] ' }],
    ['tab-indented dmesg', `\t[ 5157.469012] ${MSG}`, { time: '5157.469012', uptime: '5157.469012', prefix: ' [ 5157.469012] ' }],
    [
      'OpenWrt logread',
      `Wed Jan 14 16:50:34 2026 kern.warn kernel: [19564.135666] ${MSG}`,
      { time: 'Wed Jan 14 16:50:34 2026', uptime: '19564.135666', prefix: 'Wed Jan 14 16:50:34 2026 kern.warn kernel: [19564.135666] ' },
    ],
    [
      'serial console logger clock, then printk time',
      `Sep 15 14:44:55.598538 [ 1613.419061] ${MSG}`,
      { time: 'Sep 15 14:44:55.598538', uptime: '1613.419061', prefix: 'Sep 15 14:44:55.598538 [ 1613.419061] ' },
    ],
    [
      'HiSilicon Android kernel log',
      `07-13 08:41:51.341 <4>[309805.658142s][pid:1361,cpu5,sManagerService]${MSG}`,
      { time: '07-13 08:41:51.341', uptime: '309805.658142', prefix: '07-13 08:41:51.341 <4>[309805.658142s][pid:1361,cpu5,sManagerService]' },
    ],
    [
      'Android Binder task prefix',
      `<4>[ 6207.637280]  [3:  Binder:9343_3:22875] ${MSG}`,
      { time: '6207.637280', uptime: '6207.637280', prefix: '<4>[ 6207.637280]  [3:  Binder:9343_3:22875] ' },
    ],
    [
      'the tail of a syslog header a re-flow cut from its start',
      `06:45:01 coyote kernel: [78748.106988] ${MSG}`,
      { time: '78748.106988', uptime: '78748.106988', prefix: '06:45:01 coyote kernel: [78748.106988] ' },
    ],
    [
      'line numbers before dmesg -T',
      `565 [Sat Sep 11 12:24:42 2021] ${MSG}`,
      { time: 'Sat Sep 11 12:24:42 2021', prefix: '565 [Sat Sep 11 12:24:42 2021] ' },
    ],
  ];
  it.each(cases)('%s', (_name, raw, want) => {
    const c = cleanLogLine(raw);
    expect(c.text).toBe(MSG);
    expect(c.prefix).toBe(want.prefix);
    expect(c.time).toBe(want.time);
    expect(c.uptime).toBe(want.uptime);
  });

  it('puts back the tag logd cut off a kernel line (LogKlog: "binder: msg" became tag "binder")', () => {
    const c = cleanLogLine('11-22 03:38:01.123     0     0 W binder  : page allocation failure: order:3, mode:0xd0');
    expect(c.text).toBe('binder: page allocation failure: order:3, mode:0xd0');
    expect(c.time).toBe('11-22 03:38:01.123');
    expect(c.prefix).toBe('11-22 03:38:01.123     0     0 W ');
  });
  it('leaves other programs\' syslog lines whole, so they cannot pass for kernel lines', () => {
    const raw = 'Nov 22 03:38:01 host systemd[1]: Node 0 DMA32 free:1kB';
    expect(cleanLogLine(raw)).toEqual({ text: raw });
  });
  it('keeps a message that starts with a bracket that is not a time', () => {
    expect(cleanLogLine('[    1.000000] [drm] Initialized').text).toBe('[drm] Initialized');
    expect(cleanLogLine('[T123] no time before it').text).toBe('[T123] no time before it');
  });
  it('flags a line a pager cut with ">" glued to the cut word, and leaves <IRQ> and register flags alone', () => {
    const cut = cleanLogLine('Nov 15 17:08:06 host kernel: Normal free:896kB boost:0kB min:2688kB low:3328kB high:3968kB inactiv>');
    expect(cut).toMatchObject({ text: 'Normal free:896kB boost:0kB min:2688kB low:3328kB high:3968kB inactiv', truncated: true, cutMark: '>' });
    for (const whole of ['Call Trace: <IRQ>', 'MSR:  9000000000009032 <SF,HV,EE,ME,IR,DR,RI>', 'a > b >']) {
      expect(cleanLogLine(whole).truncated).toBeUndefined();
    }
  });

  it('drops the start of the next syslog record that a re-flow glued to the end of a line', () => {
    expect(cleanLogLine('lowmem_reserve[]: 0 0 25406 25406 Jul  6 06:45:01 coyote').text).toBe('lowmem_reserve[]: 0 0 25406 25406');
    expect(cleanLogLine('pages_scanned:0 all_unreclaimable? yes Jul  6 06:45:01 coyote kernel:').text).toBe('pages_scanned:0 all_unreclaimable? yes');
    // A whole header with nothing after it is an empty record, not text.
    expect(cleanLogLine('Jul  6 06:45:01 coyote kernel:').text).toBe('');
  });

  it('keeps indentation, drops a trailing CR and trailing blanks', () => {
    expect(cleanLogLine('[   1.000000]  active_file:75 inactive_file:100\r').text).toBe(' active_file:75 inactive_file:100');
    expect(cleanLogLine('[ 4321.000107]  <EOI> ').text).toBe(' <EOI>');
  });
  it('turns no-break spaces and tabs into spaces', () => {
    expect(cleanLogLine('Node\u00a00 DMA32\tfree:12560kB\u202fmin:7076kB').text).toBe('Node 0 DMA32 free:12560kB min:7076kB');
  });
  it('flags a line journalctl cut at the terminal width and removes the ellipsis', () => {
    const c = cleanLogLine('Nov 22 03:38:01 host kernel: Node 0 DMA32 free:12560kB min:7076kB low:88…');
    expect(c.truncated).toBe(true);
    expect(c.text).toBe('Node 0 DMA32 free:12560kB min:7076kB low:88');
    expect(cleanLogLine(MSG).truncated).toBeUndefined();
  });
});

describe('splitLogicalLines', () => {
  it('splits rsyslog #012 and literal \\x0a, keeping the physical line number and time', () => {
    const raw = [
      'Nov 22 03:38:01 h kernel: Mem-Info:',
      'Nov 22 03:38:02 h kernel: active_anon:25 inactive_anon:50#012 active_file:75#012 free:2000',
      'Nov 22 03:38:03 h kernel: a\\x0ab',
    ].join('\n');
    const lines = splitLogicalLines(raw);
    expect(lines.map((l) => [l.line, l.text])).toEqual([
      [1, 'Mem-Info:'],
      [2, 'active_anon:25 inactive_anon:50'],
      [2, ' active_file:75'],
      [2, ' free:2000'],
      [3, 'a'],
      [3, 'b'],
    ]);
    expect(lines[2]?.time).toBe('Nov 22 03:38:02');
    expect(lines[2]?.prefix).toBeUndefined();
  });
  it('reads CRLF text without a final newline, and a final newline adds no line', () => {
    expect(splitLogicalLines('a\r\nb').map((l) => [l.line, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(splitLogicalLines('a\nb\n').length).toBe(2);
    expect(splitLogicalLines('\uFEFFa\n').map((l) => l.text)).toEqual(['a']);
    expect(splitLogicalLines('')).toEqual([]);
  });
  it('counts blank lines in the physical numbering', () => {
    const lines = splitLogicalLines('x\n\n\ny');
    expect(lines.filter((l) => l.text !== '').map((l) => l.line)).toEqual([1, 4]);
  });
});

function logical(texts: string[]): LogicalLine[] {
  return texts.map((text, i) => ({ text, line: i + 1, endLine: i + 1 }));
}
const joined = (texts: string[]): string[] => joinWrapped(logical(texts)).map((l) => l.text);

describe('joinWrapped', () => {
  it('rejoins a free-area line wrapped at a space, with or without a prefix on the continuation', () => {
    const cut = MSG.indexOf(' 1*128kB');
    expect(joined([MSG.slice(0, cut), MSG.slice(cut + 1)])).toEqual([MSG]);
    const lines = splitLogicalLines(`[ 1.000001] ${MSG.slice(0, cut)}\n[ 1.000002] ${MSG.slice(cut + 1)}`);
    expect(lines.map((l) => [l.text, l.line, l.endLine])).toEqual([[MSG, 1, 2]]);
  });
  it('rejoins a free-area line cut inside a token without adding a space', () => {
    for (const at of [MSG.indexOf('*32kB'), MSG.indexOf('1024kB') + 2, MSG.indexOf('8kB') + 1, MSG.indexOf('= 12560kB') + 2]) {
      expect(joined([MSG.slice(0, at), MSG.slice(at)])).toEqual([MSG]);
    }
  });
  it('rejoins migratetype letters and a total left alone on the next line', () => {
    expect(joined(['Node 0 Normal: 3*4kB (UME) 1*8kB', '(M) = 20kB'])).toEqual(['Node 0 Normal: 3*4kB (UME) 1*8kB (M) = 20kB']);
    expect(joined(['Node 0 Normal: 3*4kB (UME) 1*8kB (M) =', '20kB'])).toEqual(['Node 0 Normal: 3*4kB (UME) 1*8kB (M) = 20kB']);
  });
  const ZONE =
    'Node 0 Normal free:25712kB min:11908kB low:14884kB high:17860kB active_anon:5120kB inactive_file:30720kB free_pcp:640kB free_cma:0kB';
  it('rejoins a zone line wrapped between fields', () => {
    const cut = ZONE.indexOf(' active_anon');
    expect(joined([ZONE.slice(0, cut), ZONE.slice(cut + 1)])).toEqual([ZONE]);
  });
  it('rejoins a zone line cut inside a key or a value', () => {
    for (const at of [ZONE.indexOf('7860kB'), ZONE.indexOf('ive_file'), ZONE.indexOf(':640kB'), ZONE.indexOf('in:11908'), ZONE.indexOf('kB low')]) {
      expect(joined([ZONE.slice(0, at), ZONE.slice(at)])).toEqual([ZONE]);
    }
  });
  it('rejoins "Node 0 " printed alone and lowmem_reserve[] values one per line (syslog KERN_CONT)', () => {
    expect(joined(['Node 0', 'DMA32 free:1kB min:1kB', 'lowmem_reserve[]:', '0', '0', '62446'])).toEqual([
      'Node 0 DMA32 free:1kB min:1kB',
      'lowmem_reserve[]: 0 0 62446',
    ]);
    expect(joined(['Node 0', 'DMA32:', '100*4kB', '(UME)', '= 400kB'])).toEqual(['Node 0 DMA32: 100*4kB (UME) = 400kB']);
  });
  it('rejoins a wrapped failure header and a dump_stack line cut before the release', () => {
    expect(joined(['kworker/0:1: page allocation failure: order:4,', 'mode:0x2080020'])).toEqual([
      'kworker/0:1: page allocation failure: order:4, mode:0x2080020',
    ]);
    expect(joined(['x: page allocation failure: order:4, mode:0x40dc0(GFP_KERNEL), nodemask=(null),', 'cpuset=/,mems_allowed=0'])).toEqual([
      'x: page allocation failure: order:4, mode:0x40dc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0',
    ]);
    expect(joined(['CPU: 0 PID: 8 Comm: kworker/0:1 Not tainted', '4.4.0-21-generic #37-Ubuntu'])).toEqual([
      'CPU: 0 PID: 8 Comm: kworker/0:1 Not tainted 4.4.0-21-generic #37-Ubuntu',
    ]);
  });
  it('leaves whole lines alone', () => {
    const zoneDone = 'Node 0 DMA free:1kB min:1kB low:1kB high:1kB free_cma:0kB';
    const oldDone = 'Node 0 DMA free:1kB min:1kB low:1kB high:1kB pages_scanned:0 all_unreclaimable? no';
    const cases = [
      [zoneDone, 'lowmem_reserve[]: 0 1 2'],
      [zoneDone, 'audit: type=1400 audit(1.2:3): apparmor="DENIED"'],
      [oldDone, 'active_file:1'],
      [MSG, 'Node 0 Normal: 1*4kB = 4kB'],
      [MSG, '12345 total pagecache pages'],
      ['Node 0 Normal: 512*4kB (UME) 3', '12345 total pagecache pages'],
      ['lowmem_reserve[]: 0 0', 'Node 0 Normal: 1*4kB = 4kB'],
      ['Call Trace:', '0'],
    ];
    for (const pair of cases) expect(joined(pair)).toEqual(pair);
  });
  it('never continues a line journalctl cut', () => {
    const lines: LogicalLine[] = [
      { text: 'Node 0 Normal: 3*4kB (UME) 1*8', line: 1, endLine: 1, truncated: true },
      { text: '0*16kB = 20kB', line: 2, endLine: 2 },
    ];
    expect(joinWrapped(lines).length).toBe(2);
  });
  it('undoes the 72-column wrapping of the mail fixture', () => {
    const lines = splitLogicalLines(fixture('mail-wrapped-4.4.txt'));
    const dma32 = lines.find((l) => l.text.startsWith('Node 0 DMA32: '));
    // The kernel's line: letters only on non-zero counts, total 12560kB as in the 2012 example.
    expect(dma32?.text).toBe(
      'Node 0 DMA32: 2360*4kB (UME) 80*8kB (UME) 21*16kB (UME) 7*32kB (UM) 4*64kB (M) 1*128kB (M) 2*256kB (M) 0*512kB 1*1024kB (M) 0*2048kB 0*4096kB = 12560kB',
    );
    const normal = lines.find((l) => l.text.startsWith('Node 0 Normal free:'));
    expect(normal?.text).toContain(' high:17860kB active_anon:5120kB inactive_anon:1024kB active_file:20480kB inactive_file:30720kB ');
    expect(normal?.text.endsWith('free_pcp:640kB local_pcp:128kB free_cma:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? no')).toBe(true);
    expect(lines.some((l) => l.text === 'CPU: 0 PID: 8 Comm: kworker/0:1 Not tainted 4.4.0-21-generic #37-Ubuntu')).toBe(true);
  });
});
