// `buddyinfo report` with no FILE on a live box: the kernel's log from /dev/kmsg, else the dmesg command, said which.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

/** A report as /dev/kmsg hands it over: "level,seq,usec,flags;text" records, each with its dictionary lines. */
function asKmsg(text: string): string {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => `4,${1000 + i},${123456789 + i},-;${l.replace(/^\[\s*\d+\.\d+\] /, '')}\n SUBSYSTEM=test\n`)
    .join('');
}

describe('report with no FILE on a live box', () => {
  const oom = fixture('reports/oom-4.19.txt');

  it('reads /dev/kmsg, without its dictionary lines, and says so', async () => {
    const io = fakeIo({ kernelLog: { text: asKmsg(oom), via: '/dev/kmsg' } });
    expect(await main(['report', '--json'], io)).toBe(0);
    const fromKmsg = JSON.parse(io.out());
    const file = fakeIo({ files: { 'oom.log': oom } });
    await main(['report', '--json', 'oom.log'], file);
    const fromFile = JSON.parse(file.out());
    expect(fromKmsg).toHaveLength(fromFile.length);
    expect(fromKmsg[0].source).toBe('/dev/kmsg');
    expect(fromKmsg[0].zones).toEqual(fromFile[0].zones);
    expect(fromKmsg[0].order).toBe(fromFile[0].order);
    const text = fakeIo({ kernelLog: { text: asKmsg(oom), via: '/dev/kmsg' } });
    await main(['report'], text);
    expect(text.out()).toContain('No FILE given: read the running kernel\'s log from /dev/kmsg (without waiting for new messages).');
  });

  it('says when the dmesg command was read instead', async () => {
    const io = fakeIo({ kernelLog: { text: oom, via: 'dmesg' } });
    expect(await main(['report'], io)).toBe(0);
    expect(io.out()).toContain('No FILE given: read the running kernel\'s log with the dmesg command (/dev/kmsg could not be opened).');
  });

  it('says where else to look when the log holds no report', async () => {
    const io = fakeIo({ kernelLog: { text: '6,1,1,-;usb 1-1: new device\n', via: '/dev/kmsg' } });
    expect(await main(['report'], io)).toBe(2);
    expect(io.err()).toMatch(/^buddyinfo: \/dev\/kmsg: the running kernel's log holds no allocation-failure report.*journalctl -k -b -1/);
  });

  it('says it needs root when dmesg_restrict keeps both out', async () => {
    const io = fakeIo({ kernelLog: { code: 'EPERM' } });
    expect(await main(['report'], io)).toBe(2);
    expect(io.err()).toMatch(/needs root here \(kernel\.dmesg_restrict\), and so did the dmesg command/);
  });

  it('still reads piped input first', async () => {
    const io = fakeIo({ stdin: oom, kernelLog: { code: 'EPERM' } });
    expect(await main(['report', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())[0].source).toBe('standard input');
  });
});
