// Quoted-printable mail bodies: soft breaks joined, escapes decoded, line numbers kept, plain logs untouched.

import { describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, looksQuotedPrintable, physicalLines } from '../../src/parse/mail.js';
import { parseReports } from '../../src/parse/report.js';

const QP = [
  '[38617.277232] Xorg invoked oom-killer: gfp_mask=3D0x0(), order=3D0, oom_sc=',
  'ore_adj=3D0',
  'Sep=C2=A0=C2=A05 12:00:52 host kernel: Node 0 DMA: 4*4kB 19*8kB =3D 168kB',
].join('\n');

describe('quoted-printable mail bodies', () => {
  it('is recognised by an escape, a soft break and no bare "="', () => {
    expect(looksQuotedPrintable(QP)).toBe(true);
    // A plain log: "=" everywhere, and a free-area line cut after its "=".
    expect(looksQuotedPrintable('a invoked oom-killer: gfp_mask=0x0(), order=0\nNode 0 DMA: 1*4kB =\nlimit=204800\n')).toBe(false);
  });

  it('joins soft breaks, decodes escapes as UTF-8 and keeps the lines a logical line spans', () => {
    expect(physicalLines(QP)).toEqual([
      { text: '[38617.277232] Xorg invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0', line: 1, endLine: 2 },
      // =C2=A0 is U+00A0, the no-break space.
      { text: 'Sep\u00a0\u00a05 12:00:52 host kernel: Node 0 DMA: 4*4kB 19*8kB = 168kB', line: 3, endLine: 3 },
    ]);
    expect(decodeQuotedPrintable('a=3Db =E2=80=A6')).toBe('a=b \u2026');
  });

  it('gives the report reader the decoded header, with the header on the first physical line', () => {
    const [r] = parseReports(QP, 'mail').reports;
    expect(r?.line).toBe(1);
    expect(r?.mode).toBe('0x0');
    expect(r?.order).toBe(0);
    expect(r?.zones[0]?.free?.free).toEqual([4, 19]);
  });
});
