// Tests for release strings (what they say and their order) and for the releases-to-rules mapping that
// replaced the old "generation" table, against the boundaries of kernel.md 1a.

import { describe, expect, it } from 'vitest';
import { algorithmOf } from '../../src/analysis/watermark.js';
import {
  atLeast,
  compareReleases,
  inSeries,
  parseRelease,
  seriesOf,
  stableAtLeast,
  tryRelease,
} from '../../src/kernel/release.js';
import { rulesOf, type RuleName } from '../../src/kernel/rules.js';
import { InputError } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

/** The axes the old generation stood for: the watermark check's own arithmetic and lists. */
const CHECK_AXES: readonly RuleName[] = ['algorithm', 'flags', 'highatomic', 'highatomicFlag', 'cma'];
const checkAxes = (release: string) => Object.fromEntries(CHECK_AXES.map((a) => [a, rules(release)[a]]));

describe('which release a version string replays like (was generationOf)', () => {
  it.each([
    ['2.6.32-431.el6.x86_64', '2.6.32'],
    ['2.6.18', '2.6.32'],
    ['3.5.0', '2.6.32'],
    ['3.6.5', '2.6.32'],
    // kernel.md 1a axis 5: 3.7-3.9 keep the CMA pages out of every loop step; the old "3.7" generation
    // had the 3.10-4.3 rule, so 3.7 now has rules of its own.
    ['3.7', '3.7'],
    ['3.9.6', '3.7'],
    ['3.18.20', '3.10'],
    ['3.10.0-1160.el7.x86_64', '3.10'],
    ['v4.3', '3.10'],
    ['4.3.3-parrot', '3.10'],
    ['4.4.0-21-generic', '4.4'],
    // kernel.md 1a axis 1: 4.14.177 has the M4 fix (strict lists), so 4.14.336 replays like 4.15, not 4.4.
    ['4.14.336', '4.15'],
    ['4.14', '4.4'],
    ['4.15.0', '4.15'],
    ['5.4.0-42', '4.15'],
    ['6.2.1', '4.15'],
    ['6.3', '6.3'],
    ['6.6.119-09226-gd21866c9e0f4', '6.3'],
    ['6.11.11', '6.3'],
    ['6.12', '6.12'],
    // kernel.md 1a axis 4: 6.17.y took M14 in the 2025-10-17 stable batch (M24), so 6.17.9 has the 6.18 rule.
    ['6.17.9', '6.18'],
    ['6.17', '6.12'],
    ['6.18.44-fc-v769', '6.18'],
    ['7.1.0', '6.18'],
    ['  5.15.0-91-generic\n', '4.15'],
    ['Linux version 6.13.2 (builder@host) (gcc 14)', '6.12'],
  ])('%s -> the check rules of %s', (version, like) => {
    expect(checkAxes(version)).toEqual(checkAxes(like));
  });

  it.each(['', 'latest', '6', 'x.y', 'kernel 5.4'])('refuses %j with an InputError naming it', (version) => {
    expect(() => parseRelease(version)).toThrow(InputError);
    expect(() => parseRelease(version)).toThrow(`"${version}"`);
  });

  it('refuses a 2.4 kernel, which had another allocator', () => {
    expect(() => parseRelease('2.4.37')).toThrow(/predates 2\.6/);
  });
});

describe('parseRelease', () => {
  it('keeps the stable number and says whether the string is upstream', () => {
    expect(parseRelease('6.6.119-09226-gd21866c9e0f4')).toEqual({
      text: '6.6.119-09226-gd21866c9e0f4',
      major: 6,
      minor: 6,
      patch: 0,
      sublevel: 119,
      upstream: false,
    });
    expect(parseRelease('v4.3')).toEqual({ text: 'v4.3', major: 4, minor: 3, patch: 0, sublevel: 0, upstream: true });
    expect(parseRelease('6.1.157')).toEqual({ text: '6.1.157', major: 6, minor: 1, patch: 0, sublevel: 157, upstream: true });
  });

  it('2.6 has a third number of its own and the stable number fourth', () => {
    expect(parseRelease('2.6.32.69')).toEqual({ text: '2.6.32.69', major: 2, minor: 6, patch: 32, sublevel: 69, upstream: true });
    expect(parseRelease('2.6.32-431.el6.x86_64')).toMatchObject({ patch: 32, sublevel: 0, upstream: false });
  });

  it('takes the release out of a banner and trims it', () => {
    expect(parseRelease('Linux version 6.13.2 (builder@host) (gcc 14)')).toMatchObject({ text: '6.13.2', sublevel: 2, upstream: true });
    expect(parseRelease('  5.15.0-91-generic\n')).toMatchObject({ text: '5.15.0-91-generic', minor: 15, upstream: false });
  });

  it('-rcN and a trailing + are still upstream; a four-number 3.x string is not', () => {
    expect(parseRelease('5.4-rc1').upstream).toBe(true);
    expect(parseRelease('6.1.116+').upstream).toBe(true);
    expect(parseRelease('3.10.0.1').upstream).toBe(false);
  });

  it('refuses "5.4x" (not a release) but reads "5.4.0-42"', () => {
    expect(() => parseRelease('5.4x')).toThrow(InputError);
    expect(parseRelease('5.4.0-42')).toMatchObject({ major: 5, minor: 4, sublevel: 0, upstream: false });
  });

  it('tryRelease gives undefined instead of an error', () => {
    expect(tryRelease('banana')).toBeUndefined();
    expect(tryRelease('2.4.37')).toBeUndefined();
    expect(tryRelease('6.1.157')?.sublevel).toBe(157);
  });
});

describe('order and series', () => {
  const r = parseRelease;
  it('compareReleases orders by series, then sublevel', () => {
    expect(compareReleases(r('6.1.116'), r('6.1.115'))).toBeGreaterThan(0);
    expect(compareReleases(r('2.6.38'), r('2.6.32.69'))).toBeGreaterThan(0);
    expect(compareReleases(r('3.0'), r('2.6.39'))).toBeGreaterThan(0);
    expect(compareReleases(r('4.9'), r('4.14'))).toBeLessThan(0);
    expect(compareReleases(r('v4.3'), r('4.3'))).toBe(0);
  });

  it('atLeast ignores the sublevel', () => {
    expect(atLeast(r('4.4.302'), '4.4')).toBe(true);
    expect(atLeast(r('4.3.99'), '4.4')).toBe(false);
    expect(atLeast(r('3.2'), '2.6.38')).toBe(true);
    expect(atLeast(r('2.6.37.6'), '2.6.38')).toBe(false);
  });

  it('stableAtLeast needs the same branch, an upstream string and the sublevel', () => {
    expect(stableAtLeast(r('6.1.116'), '6.1', 116)).toBe(true);
    expect(stableAtLeast(r('6.1.115'), '6.1', 116)).toBe(false);
    expect(stableAtLeast(r('6.1.200-1-amd64'), '6.1', 116)).toBe(false);
    // a later series is decided by atLeast, not here
    expect(stableAtLeast(r('6.2'), '6.1', 116)).toBe(false);
  });

  it('seriesOf and inSeries', () => {
    expect(seriesOf(r('6.1.157'))).toBe('6.1');
    expect(seriesOf(r('2.6.32.69'))).toBe('2.6.32');
    expect(inSeries(r('6.6.80'), '6.6')).toBe(true);
    expect(inSeries(r('6.16'), '6.6')).toBe(false);
    expect(inSeries(r('2.6.32-431.el6'), '2.6.32')).toBe(true);
  });
});

describe('algorithmOf', () => {
  it('is legacy up to 4.3 and modern from 4.4 (97a16fc82a7c)', () => {
    expect(algorithmOf(rules('2.6.32'))).toBe('legacy');
    expect(algorithmOf(rules('3.10'))).toBe('legacy');
    expect(algorithmOf(rules('4.3.3'))).toBe('legacy');
    for (const v of ['4.4', '4.14', '4.15', '6.3', '6.12', '6.18']) expect(algorithmOf(rules(v))).toBe('modern');
  });
});

describe('the reasons (was describeGeneration)', () => {
  it('name the range and the rule', () => {
    expect(rulesOf(parseRelease('2.6.32')).from.algorithm).toBe('up to 4.3: the per-order loop');
    expect(rulesOf(parseRelease('3.10')).from.cma).toMatch(/^3\.10-4\.3/);
    expect(rulesOf(parseRelease('3.7')).from.cma).toMatch(/^3\.7-3\.9/);
    expect(rulesOf(parseRelease('6.18')).from.highatomicFlag).toMatch(/^6\.18\+/);
  });
});

describe('lowmem_reserve index rule', () => {
  it('switches at 5.8 (3334a45)', () => {
    expect(rules('5.7.19').reserveIndex).toBe('preferred');
    expect(rules('5.8.0').reserveIndex).toBe('highest');
    expect(rules('4.4.0').reserveIndex).toBe('preferred');
    expect(rules('6.18.2').reserveIndex).toBe('highest');
  });
  it('by release, not by generation: 4.15 itself is before 5.8', () => {
    expect(rules('4.4').reserveIndex).toBe('preferred');
    // the old "4.15" generation (4.15-6.2) defaulted to highest; the release 4.15 reads classzone_idx
    expect(rules('4.15').reserveIndex).toBe('preferred');
    expect(rules('5.10').reserveIndex).toBe('highest');
  });
});
