// Tests for the one reader of the "next step" fields: each spelling drawn when present, nothing made up when absent.

import { describe, expect, it } from 'vitest';
import { nextStepHtml } from '../../../src/format/html/check-zone.js';
import { nextStepOf } from '../../../src/format/html/next-step.js';

describe('the next-step lines', () => {
  it('are empty for a zone of today\'s check result', () => {
    expect(nextStepOf({ node: 0, zone: 'Normal', ok: false, code: 'NO_BLOCK' })).toEqual({});
    expect(nextStepHtml({ ok: true })).toBe('');
  });

  it('read a compaction decision, as a code or with its sentence', () => {
    expect(nextStepOf({ compaction: { decision: 'COMPACT_SKIPPED' } })).toEqual({ nextStep: 'Compaction: COMPACT_SKIPPED' });
    expect(nextStepOf({ compaction: { decision: 'COMPACT_CONTINUE', text: 'kcompactd runs: fragmentation index 0.9 > 0.5' } })).toEqual({
      nextStep: 'Compaction: kcompactd runs: fragmentation index 0.9 > 0.5',
    });
  });

  it('prefer an explicit next step, and read an action and serves: false', () => {
    const lines = nextStepOf({ nextStep: { code: 'RECLAIM', text: 'Direct reclaim runs first.' }, compaction: { decision: 'x' }, action: 'Raise vm.min_free_kbytes.', serves: false });
    expect(lines).toEqual({ nextStep: 'Direct reclaim runs first.', action: 'Raise vm.min_free_kbytes.', doesNotServe: true });
    const html = nextStepHtml({ nextStep: 'a < b', action: 'c & d', serves: false });
    expect(html).toContain('<strong>Next step:</strong> a &lt; b');
    expect(html).toContain('<strong>Action:</strong> c &amp; d');
    expect(html).toContain('This zone does not serve this request.');
  });

  it('leave out empty and non-text values', () => {
    expect(nextStepOf({ nextStep: '', action: 42, serves: true, compaction: null })).toEqual({});
  });
});
