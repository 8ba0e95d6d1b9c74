// Tests for the kernel choice: which release's rules are replayed, where that came from, and --rules.

import { describe, expect, it } from 'vitest';
import { allocFlags } from '../../src/analysis/alloc-flags.js';
import { gfpProfile } from '../../src/analysis/gfp-request.js';
import { chooseKernel, NEWEST_RELEASE, type KernelEvidence } from '../../src/kernel/choice.js';
import { InputError } from '../../src/model.js';
import { rules } from '../helpers/kernel.js';

const STATED: KernelEvidence['stated'] = { version: '6.1.157', origin: 'saved.txt, line 4' };
const SHAPE: KernelEvidence['shape'] = { release: '4.20', why: 'its flag names and nodemask with the cpuset on a line of its own' };

describe('precedence: --kernel, then a stated release, then the report shape, then the newest', () => {
  it('--kernel wins over everything the input says', () => {
    const k = chooseKernel({ kernel: '5.10' }, { stated: STATED, shape: SHAPE });
    expect(k).toMatchObject({ release: '5.10', origin: 'option', from: '--kernel', distribution: false, overridden: [] });
    expect(k.rules).toEqual(rules('5.10'));
    expect(k.notes).toEqual([]);
  });

  it('a stated release wins over the shape', () => {
    const k = chooseKernel({}, { stated: STATED, shape: SHAPE });
    expect(k).toMatchObject({ release: '6.1.157', origin: 'input', from: 'saved.txt, line 4' });
    expect(k.rules).toEqual(rules('6.1.157'));
  });

  it('the running kernel is origin live', () => {
    const k = chooseKernel({}, { stated: { version: '6.18.2', origin: 'the running kernel', live: true } });
    expect(k).toMatchObject({ release: '6.18.2', origin: 'live', from: 'the running kernel' });
  });

  it('the shape is used when nothing states a release', () => {
    const k = chooseKernel({}, { shape: SHAPE });
    expect(k).toMatchObject({ release: '4.20', origin: 'shape', from: SHAPE?.why });
    expect(k.rules).toEqual(rules('4.20'));
  });

  it('with no evidence: today\'s rules, release null, and a note naming --kernel', () => {
    expect(NEWEST_RELEASE).toBe('6.18');
    const k = chooseKernel({});
    expect(k).toMatchObject({ release: null, origin: 'default', distribution: false });
    expect(k.rules).toEqual(rules('6.18'));
    expect(k.notes).toHaveLength(1);
    expect(k.notes[0]).toMatch(/\(6\.18\) rules are replayed; --kernel VERSION/);
  });

  it('an unusable --kernel is an InputError', () => {
    expect(() => chooseKernel({ kernel: 'banana' })).toThrow(InputError);
    expect(() => chooseKernel({ kernel: '2.4.37' })).toThrow(/predates 2\.6/);
  });

  it('a stated release the replay cannot use falls through to the shape, with a note naming it', () => {
    const k = chooseKernel({}, { stated: { version: '2.4.37', origin: 'old.log, line 1' }, shape: SHAPE });
    expect(k).toMatchObject({ release: '4.20', origin: 'shape' });
    expect(k.notes).toHaveLength(1);
    expect(k.notes[0]).toMatch(/^The kernel release "2\.4\.37" \(old\.log, line 1\) is not one the replay can use: .*predates 2\.6/);
  });

  it('and to the default when there is no shape either', () => {
    const k = chooseKernel({}, { stated: { version: 'unknown', origin: 'version' } });
    expect(k).toMatchObject({ release: null, origin: 'default' });
    expect(k.notes).toHaveLength(2);
    expect(k.notes[0]).toMatch(/"unknown"/);
  });
});

describe('--algorithm', () => {
  it('legacy with no release replays 4.3, the last release with the loop', () => {
    const k = chooseKernel({ algorithm: 'legacy' });
    expect(k).toMatchObject({ release: '4.3', origin: 'algorithm', from: '--algorithm legacy' });
    expect(k.rules).toEqual(rules('4.3'));
    expect(k.rules.algorithm).toBe('legacy-loop');
  });

  it('modern with no release keeps today\'s rules', () => {
    const k = chooseKernel({ algorithm: 'modern' });
    expect(k).toMatchObject({ release: null, origin: 'default' });
    expect(k.rules.algorithm).toBe('strict-lists');
  });

  it('a stated release of the asked algorithm is kept', () => {
    expect(chooseKernel({ algorithm: 'legacy' }, { stated: { version: '3.10.105', origin: 'log' } })).toMatchObject({
      release: '3.10.105',
      origin: 'input',
    });
    // 4.14.0 is modern (any-list)
    expect(chooseKernel({ algorithm: 'modern' }, { stated: { version: '4.14', origin: 'log' } })).toMatchObject({
      release: '4.14',
      origin: 'input',
    });
  });

  it('a stated release of the other algorithm is replaced, and a note says so', () => {
    const legacy = chooseKernel({ algorithm: 'legacy' }, { stated: { version: '5.10', origin: 'log, line 2' } });
    expect(legacy).toMatchObject({ release: '4.3', origin: 'algorithm' });
    expect(legacy.notes).toContain('--algorithm legacy replaces the rules of 5.10 (log, line 2).');
    const modern = chooseKernel({ algorithm: 'modern' }, { shape: { release: '4.3', why: 'its R letters' } });
    expect(modern).toMatchObject({ release: '6.18', origin: 'algorithm' });
    expect(modern.rules).toEqual(rules('6.18'));
    expect(modern.notes).toContain('--algorithm modern replaces the rules of 4.3 (its R letters).');
  });

  it('--kernel with the matching algorithm is fine', () => {
    expect(chooseKernel({ kernel: '4.3', algorithm: 'legacy' }).release).toBe('4.3');
    expect(chooseKernel({ kernel: '4.4', algorithm: 'modern' }).release).toBe('4.4');
  });

  it('--kernel with the other algorithm is an InputError', () => {
    expect(() => chooseKernel({ kernel: '4.4', algorithm: 'legacy' })).toThrow(InputError);
    expect(() => chooseKernel({ kernel: '4.4', algorithm: 'legacy' })).toThrow(/--kernel 4\.4 uses the modern check, not --algorithm legacy/);
    expect(() => chooseKernel({ kernel: '4.3', algorithm: 'modern' })).toThrow(/--kernel 4\.3 uses the legacy check, not --algorithm modern/);
  });
});

describe('--rules AXIS=VALUE', () => {
  it('an axis literal', () => {
    const k = chooseKernel({ kernel: '6.1.157', rules: ['highatomic=free'] });
    expect(k.rules).toEqual({ ...rules('6.1.157'), highatomic: 'free' });
    expect(k.overridden).toEqual(['highatomic']);
    expect(k.rulesFrom.highatomic).toBe('--rules highatomic=free');
    // the other axes keep their reasons
    expect(k.rulesFrom.flags).toMatch(/6\.1\.116/);
  });

  it('a release to take the axis from: flags=6.3 on 5.10 gives the 6.3 flag model', () => {
    const k = chooseKernel({ kernel: '5.10', rules: ['flags=6.3'] });
    expect(k.rules.flags).toBe('min-reserve');
    // the axes that follow the flag model come from 6.3 too
    expect(k.overridden).toEqual(['flags', 'harderFrom', 'highatomicFlag']);
    expect([k.rules.harderFrom, k.rules.highatomicFlag]).toEqual(['none', 'non-blocking']);
    // reserveIndex=5.7 takes 5.7's classzone index
    expect(chooseKernel({ kernel: '6.18', rules: ['reserveIndex=5.7'] }).rules.reserveIndex).toBe('preferred');
  });

  it('yes/no (and on/off, 1/0) for the switches', () => {
    const k = chooseKernel({ kernel: '4.15', rules: ['allocOom=no', 'boost=yes'] });
    expect([k.rules.allocOom, k.rules.boost]).toEqual([false, true]);
    expect(k.overridden).toEqual(['allocOom', 'boost']);
    expect(chooseKernel({ kernel: '4.15', rules: ['fair=on'] }).rules.fair).toBe(true);
    expect(chooseKernel({ kernel: '4.4', rules: ['fair=0'] }).rules.fair).toBe(false);
  });

  it('several in one argument, any case, dashes allowed in the axis name', () => {
    const k = chooseKernel({ kernel: '6.18', rules: ['highatomic=reserved, reserve-index=PREFERRED'] });
    expect([k.rules.highatomic, k.rules.reserveIndex]).toEqual(['reserved', 'preferred']);
    expect(k.overridden).toEqual(['highatomic', 'reserveIndex']);
  });

  it('an axis given twice is listed once, the last value wins', () => {
    const k = chooseKernel({ kernel: '6.18', rules: ['cma=none', 'cma=free-count'] });
    expect(k.rules.cma).toBe('free-count');
    expect(k.overridden).toEqual(['cma']);
  });

  it('applies on top of a stated or default release too', () => {
    expect(chooseKernel({ rules: ['algorithm=any-list'] }).rules.algorithm).toBe('any-list');
    // the legacy model on 6.1.157's strict-list algorithm: ALLOC_HARDER from __GFP_ATOMIC, no ALLOC_HIGHATOMIC
    expect(chooseKernel({ rules: ['flags=legacy'] }, { stated: STATED }).rules).toEqual({
      ...rules('6.1.157'),
      flags: 'legacy',
      harderFrom: 'gfp-atomic',
      highatomicFlag: 'none',
    });
  });

  it('an unknown axis is an InputError naming it', () => {
    expect(() => chooseKernel({ kernel: '6.18', rules: ['bogus=1'] })).toThrow(InputError);
    expect(() => chooseKernel({ kernel: '6.18', rules: ['bogus=1'] })).toThrow(/found "bogus=1"/);
    expect(() => chooseKernel({ kernel: '6.18', rules: ['flags'] })).toThrow(/expected AXIS=VALUE .*found "flags"/);
  });

  it('an unknown value is an InputError naming the axis and the value', () => {
    expect(() => chooseKernel({ kernel: '6.18', rules: ['flags=maybe'] })).toThrow(InputError);
    expect(() => chooseKernel({ kernel: '6.18', rules: ['flags=maybe'] })).toThrow(
      /^--rules flags: expected one of legacy, min-reserve, or a release .*found "maybe"\.$/,
    );
    expect(() => chooseKernel({ kernel: '6.18', rules: ['allocOom=perhaps'] })).toThrow(/--rules allocOom: .*"perhaps"/);
  });

  // flags=6.3 brings the 6.3 model's answers on the axes that only mean something with it: no ALLOC_HARDER,
  // and ALLOC_HIGHATOMIC for every non-blocking order > 0 request (kernel.md 1a axes 2 and 4), as 5.15.171.
  it('--rules flags=6.3 on 5.14.0-427.el9 gives GFP_NOWAIT order 3 NON_BLOCK|HIGHATOMIC, as 5.15.171 does', () => {
    const k = chooseKernel({ kernel: '5.14.0-427.el9', rules: ['flags=6.3'] });
    expect(k.rules).toMatchObject({ flags: 'min-reserve', harderFrom: 'none', highatomicFlag: 'non-blocking' });
    expect(k.rulesFrom.highatomicFlag).toBe('follows --rules flags=6.3');
    expect(k.overridden).toEqual(['flags', 'harderFrom', 'highatomicFlag']);
    const nowait = allocFlags(gfpProfile('nowait'), k.rules, 3);
    expect(nowait).toEqual(allocFlags(gfpProfile('nowait'), rules('5.15.171'), 3));
    expect(nowait).toEqual(['ALLOC_WMARK_MIN', 'ALLOC_NON_BLOCK', 'ALLOC_CPUSET', 'ALLOC_HIGHATOMIC']);
  });

  it('a literal flags=min-reserve does the same; an axis given too is kept', () => {
    const k = chooseKernel({ kernel: '5.14.0-427.el9', rules: ['flags=min-reserve,highatomicFlag=with-min-reserve'] });
    expect(k.rules).toMatchObject({ flags: 'min-reserve', harderFrom: 'none', highatomicFlag: 'with-min-reserve' });
    const back = chooseKernel({ kernel: '6.3', rules: ['flags=legacy'] });
    // the legacy model on a 4.4+ algorithm: __GFP_ATOMIC gives ALLOC_HARDER; no ALLOC_HIGHATOMIC
    expect(back.rules).toMatchObject({ flags: 'legacy', harderFrom: 'gfp-atomic', highatomicFlag: 'none' });
  });

  it('a release value that is not a usable release is an InputError', () => {
    expect(() => chooseKernel({ kernel: '6.18', rules: ['flags=2.4.37'] })).toThrow(InputError);
  });
});

describe('distribution kernels (kernel.md 1a, "Distribution kernels")', () => {
  it('are replayed by their base release, sublevel ignored, with a note', () => {
    const k = chooseKernel({ kernel: '4.18.0-513.el8' });
    expect(k).toMatchObject({ release: '4.18.0-513.el8', distribution: true, origin: 'option' });
    expect(k.rules).toEqual(rules('4.18'));
    expect(k.notes).toHaveLength(1);
    expect(k.notes[0]).toMatch(/^4\.18\.0-513\.el8 is a distribution or vendor kernel: it is replayed by the upstream rules of 4\.18, /);
    expect(k.notes[0]).toMatch(/--rules AXIS=VALUE/);
  });

  it('a plain upstream release is not one', () => {
    expect(chooseKernel({ kernel: '6.1.157' }).distribution).toBe(false);
    expect(chooseKernel({ kernel: 'v4.3' }).distribution).toBe(false);
  });

  it('Debian\'s upstream hint: 6.1.0-40-amd64 named as 6.1.153 gets 6.1.153\'s rules', () => {
    const k = chooseKernel({}, { stated: { version: '6.1.0-40-amd64', origin: 'syslog, line 9', upstream: '6.1.153' } });
    expect(k).toMatchObject({ release: '6.1.0-40-amd64', origin: 'input', distribution: false });
    expect(k.rules).toEqual(rules('6.1.153'));
    // 6.1.153: the 6.3 flag model (6.1.116+), not yet the HIGHATOMIC rule (6.1.157+)
    expect([k.rules.flags, k.rules.highatomicFlag]).toEqual(['min-reserve', 'non-blocking']);
    expect(k.rules).not.toEqual(rules('6.1.0-40-amd64'));
    expect(k.notes).toHaveLength(1);
    expect(k.notes[0]).toMatch(/^6\.1\.0-40-amd64 names its upstream release, 6\.1\.153, .*replayed by the upstream rules of 6\.1\.153/);
  });

  it('the hint is not used beside a plain upstream string, nor beside --kernel', () => {
    const plain = chooseKernel({}, { stated: { version: '6.1.157', origin: 'log', upstream: '6.1.153' } });
    expect(plain.rules).toEqual(rules('6.1.157'));
    expect(plain.notes).toEqual([]);
    const option = chooseKernel(
      { kernel: '6.1.0-40-amd64' },
      { stated: { version: '6.1.0-40-amd64', origin: 'log', upstream: '6.1.153' } },
    );
    expect(option.rules).toEqual(rules('6.1'));
    expect(option.distribution).toBe(true);
  });
});
