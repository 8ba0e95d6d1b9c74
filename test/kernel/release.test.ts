// Tests for the release-to-generation mapping, against the boundaries of kernel.md 1a.

import { describe, expect, it } from 'vitest';
import {
  algorithmOf,
  describeGeneration,
  generationOf,
  parseRelease,
  reserveIndexRuleOf,
  reserveIndexRuleOfGeneration,
} from '../../src/analysis/kernel.js';
import { InputError } from '../../src/model.js';

describe('generationOf', () => {
  it.each([
    ['2.6.32-431.el6.x86_64', '2.6.32'],
    ['2.6.18', '2.6.32'],
    ['3.5.0', '2.6.32'],
    ['3.6.5', '2.6.32'],
    ['3.7', '3.7'],
    ['3.18.20', '3.7'],
    ['3.10.0-1160.el7.x86_64', '3.7'],
    ['v4.3', '3.7'],
    ['4.3.3-parrot', '3.7'],
    ['4.4.0-21-generic', '4.4'],
    ['4.14.336', '4.4'],
    ['4.15.0', '4.15'],
    ['5.4.0-42', '4.15'],
    ['6.2.1', '4.15'],
    ['6.3', '6.3'],
    ['6.6.119-09226-gd21866c9e0f4', '6.3'],
    ['6.11.11', '6.3'],
    ['6.12', '6.12'],
    ['6.17.9', '6.12'],
    ['6.18.44-fc-v769', '6.18'],
    ['7.1.0', '6.18'],
    ['  5.15.0-91-generic\n', '4.15'],
    ['Linux version 6.13.2 (builder@host) (gcc 14)', '6.12'],
  ])('%s -> %s', (version, generation) => {
    expect(generationOf(version)).toBe(generation);
  });

  it.each(['', 'latest', '6', 'x.y', 'kernel 5.4'])('refuses %j with an InputError naming it', (version) => {
    expect(() => generationOf(version)).toThrow(InputError);
    expect(() => generationOf(version)).toThrow(`"${version}"`);
  });

  it('refuses a 2.4 kernel, which had another allocator', () => {
    expect(() => generationOf('2.4.37')).toThrow(/predates 2\.6/);
  });
});

describe('parseRelease', () => {
  it('keeps the stable number', () => {
    expect(parseRelease('6.6.119-09226-gd21866c9e0f4')).toEqual({ major: 6, minor: 6, patch: 119 });
    expect(parseRelease('v4.3')).toEqual({ major: 4, minor: 3, patch: 0 });
  });
});

describe('algorithmOf', () => {
  it('is legacy up to 4.3 and modern from 4.4 (97a16fc82a7c)', () => {
    expect(algorithmOf('2.6.32')).toBe('legacy');
    expect(algorithmOf('3.7')).toBe('legacy');
    for (const g of ['4.4', '4.15', '6.3', '6.12', '6.18'] as const) expect(algorithmOf(g)).toBe('modern');
  });
});

describe('describeGeneration', () => {
  it('names the range and the rule', () => {
    expect(describeGeneration('2.6.32')).toBe('2.6.32-3.6: iterative per-order loop');
    expect(describeGeneration('6.18')).toMatch(/^6\.18 and later: /);
    expect(describeGeneration('3.7')).toMatch(/CMA/);
  });
});

describe('lowmem_reserve index rule', () => {
  it('switches at 5.8 (3334a45)', () => {
    expect(reserveIndexRuleOf('5.7.19')).toBe('preferred');
    expect(reserveIndexRuleOf('5.8.0')).toBe('highest');
    expect(reserveIndexRuleOf('4.4.0')).toBe('preferred');
    expect(reserveIndexRuleOf('6.18.2')).toBe('highest');
  });
  it('defaults by generation', () => {
    expect(reserveIndexRuleOfGeneration('4.4')).toBe('preferred');
    expect(reserveIndexRuleOfGeneration('4.15')).toBe('highest');
  });
});
