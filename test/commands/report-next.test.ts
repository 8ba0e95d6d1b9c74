// report's next step: vm.extfrag_threshold from a sysctl -a file among the logs, or --extfrag-threshold.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fakeIo, fixture } from '../helpers/io.js';

const LOG = 'fixtures/reports/5.10-dmesg-T-cpuset-on-header.txt';
const SYSCTL = 'kernel.panic = 0\nvm.extfrag_threshold = 700\nvm.swappiness = 60\nvm.min_free_kbytes = 67584\n';

async function run(args: string[]) {
  const io = fakeIo({ files: { [LOG]: fixture('reports/5.10-dmesg-T-cpuset-on-header.txt'), 'sysctl.txt': SYSCTL } });
  const code = await main(['report', '--json', ...args], io);
  return { code, reports: JSON.parse(io.out()) as { check: { zones: { zone: string; compaction: Record<string, unknown> }[] } }[] };
}

describe('report: vm.extfrag_threshold', () => {
  it('is 500 by default, read from a sysctl -a file given beside the log, or --extfrag-threshold', async () => {
    const byDefault = await run([LOG]);
    expect(byDefault.reports[0]?.check.zones[0]?.compaction).toMatchObject({ extfragThreshold: 500, thresholdSource: 'the default, 500 in every release' });
    const file = await run([LOG, 'sysctl.txt']);
    expect(file.reports).toHaveLength(1);
    expect(file.reports[0]?.check.zones[0]?.compaction).toMatchObject({ extfragThreshold: 700, thresholdSource: 'sysctl.txt, line 2' });
    const opt = await run(['--extfrag-threshold', '100', LOG, 'sysctl.txt']);
    expect(opt.reports[0]?.check.zones[0]?.compaction).toMatchObject({ extfragThreshold: 100, thresholdSource: '--extfrag-threshold' });
  });
});
