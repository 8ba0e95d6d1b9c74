// The kernel release wherever an input prints it: banners, dump_stack heads in every form, uname, osrelease.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { parseReports } from '../../src/parse/report.js';
import { releaseFromBanner, releaseFromLine, releaseFromStackHead, releaseFromUname } from '../../src/parse/version.js';
import { fakeIo, fixture } from '../helpers/io.js';

describe('banners (/proc/version, dmesg)', () => {
  it.each([
    ['Linux version 5.4.0-150-generic (buildd@lcy02-amd64-001) (gcc version 9.4.0) #167-Ubuntu SMP Mon May 15 17:35:05 UTC 2023', '5.4.0-150-generic'],
    ['[    0.000000] Linux version 6.1.0-40-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.153-1 (2025-09-20)', '6.1.0-40-amd64'],
    ['Linux version 3.10.0-1160.45.1.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP Wed Oct 13 17:20:51 UTC 2021', '3.10.0-1160.45.1.el7.x86_64'],
    ['Linux version 2.6.32-431.el6.x86_64 (mockbuild@x86-023.build.eng.bos.redhat.com) #1 SMP Sun Nov 10 22:19:54 EST 2013', '2.6.32-431.el6.x86_64'],
  ])('%s', (line, release) => {
    expect(releaseFromBanner(line)?.release).toBe(release);
  });

  it("keeps the upstream release Debian names beside its own", () => {
    const r = releaseFromBanner(
      'Linux version 6.1.0-40-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.153-1 (2025-09-20)',
    );
    expect(r).toEqual({ release: '6.1.0-40-amd64', upstream: '6.1.153' });
  });

  it('is not fooled by other lines', () => {
    expect(releaseFromBanner('usb 1-1: Linux version strings are nice')).toBeUndefined();
    expect(releaseFromBanner('Node 0, zone DMA 1 2 3')).toBeUndefined();
  });
});

describe('dump_stack heads', () => {
  it.each([
    ['CPU: 3 PID: 12 Comm: kworker/3:1 Not tainted 5.10.0-8-amd64 #1 Debian 5.10.46-4', 12, '5.10.0-8-amd64'],
    // 6.12 adds the UID
    ['CPU: 2 UID: 0 PID: 1500 Comm: camera_hal Not tainted 6.12.0 #1', 1500, '6.12.0'],
    // taint flags between "Tainted:" and the release
    ['CPU: 0 PID: 1 Comm: init Tainted: G        W  O      4.19.0-27-amd64 #1 Debian 4.19.316-1', 1, '4.19.0-27-amd64'],
    // RHEL 7: Kdump's mark before the taint, and the dashes of a tech-preview taint before the release
    ['CPU: 11 PID: 23717 Comm: java Kdump: loaded Tainted: G           OE  ------------   3.10.0-1160.45.1.el7.x86_64 #1', 23717, '3.10.0-1160.45.1.el7.x86_64'],
    // 2.6.3x
    ['Pid: 12, comm: kswapd0 Not tainted 2.6.32-41-server #94-Ubuntu', 12, '2.6.32-41-server'],
    ['Pid: 4321, comm: java Tainted: G        W  ---------------    2.6.32-431.el6.x86_64 #1 Dell Inc. PowerEdge R720', 4321, '2.6.32-431.el6.x86_64'],
  ])('%s', (line, pid, release) => {
    expect(releaseFromStackHead(line)).toEqual({ pid, release });
    expect(releaseFromLine(line)?.release).toBe(release);
  });

  it('a Tainted: line wrapped onto the next line leaves the release at its start', () => {
    const head = 'CPU: 1 PID: 6061 Comm: stress-ng Tainted: G        W  OE';
    expect(releaseFromStackHead(head)).toEqual({ pid: 6061 });
    expect(releaseFromStackHead(head, '     5.15.0-91-generic #101-Ubuntu')).toEqual({ pid: 6061, release: '5.15.0-91-generic' });
    // the next line is a hardware name, not a release
    expect(releaseFromStackHead(head, 'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)')).toEqual({ pid: 6061 });
  });

  it('a head without a taint field states no release', () => {
    expect(releaseFromStackHead('CPU: 1 PID: 2 Comm: kthreadd')).toEqual({ pid: 2 });
  });
});

describe('uname and osrelease', () => {
  it.each([
    ['Linux db01 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64 x86_64 x86_64 GNU/Linux\n', '5.15.0-91-generic'],
    ['Linux node7 4.18.0-513.5.1.el8_9.x86_64 #1 SMP Fri Sep 29 05:21:10 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux', '4.18.0-513.5.1.el8_9.x86_64'],
    ['5.14.0-427.13.1.el9_4.x86_64\n', '5.14.0-427.13.1.el9_4.x86_64'],
    ['\n6.6.119-09226-gd21866c9e0f4\n', '6.6.119-09226-gd21866c9e0f4'],
  ])('%j', (text, release) => {
    expect(releaseFromUname(text)).toBe(release);
  });

  it('reads nothing else as one', () => {
    expect(releaseFromUname('hello world')).toBeUndefined();
    expect(releaseFromUname('Node 0, zone DMA 1 1 1')).toBeUndefined();
  });
});

describe('a log states its release for every report in it', () => {
  const report = fixture('reports/nbsp-pasted.txt');

  it('a banner after the report (a console that joined late) still names it', () => {
    const text = `${report}[ 9000.000001] Linux version 4.9.0-8-amd64 (debian-kernel@lists.debian.org) #1 SMP Debian 4.9.130-2\n`;
    const [r] = parseReports(text, 'log').reports;
    expect(r?.kernel).toBe('4.9.0-8-amd64');
    expect(r?.kernelUpstream).toBe('4.9.130');
  });

  it('the RHEL 7 head with Kdump and dashes decides check without --kernel', async () => {
    const text = report.replace(/^(.*page allocation failure.*\n)/m, '$1CPU: 11 PID: 23717 Comm: java Kdump: loaded Tainted: G           OE  ------------   3.10.0-1160.45.1.el7.x86_64 #1\n');
    const io = fakeIo({ files: { 'r.txt': text } });
    await main(['check', '--json', 'r.txt'], io);
    const j = JSON.parse(io.out());
    expect(j.kernelRelease).toBe('3.10.0-1160.45.1.el7.x86_64');
    expect(j.kernelOrigin).toBe('input');
    // RHEL 7 is replayed by upstream 3.10: the loop, CMA off the order-0 test only
    expect(j.rules).toMatchObject({ algorithm: 'legacy-loop', cma: 'order0-test' });
  });

  it('a saved procfs version file or a uname -a among the inputs names the release', async () => {
    const buddy = fixture('proc-x86_64-6.18/buddyinfo');
    const zoneinfo = fixture('proc-x86_64-6.18/zoneinfo');
    for (const version of ['5.15.0-91-generic\n', 'Linux db01 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64 GNU/Linux\n']) {
      const io = fakeIo({ files: { b: buddy, z: zoneinfo, v: version } });
      await main(['check', '--order', '0', '--json', 'b', 'z', 'v'], io);
      const j = JSON.parse(io.out());
      expect(j.kernelRelease).toBe('5.15.0-91-generic');
      expect(j.kernelFrom).toBe('v');
    }
  });
});
