// The nodes a report's request may use: nodemask, and mems_allowed only under ALLOC_CPUSET (kernel.md 1b).

import { describe, expect, it } from 'vitest';
import { allowedNodesOf } from '../../src/analysis/allowed-nodes.js';

const CPUSET = ['ALLOC_WMARK_MIN', 'ALLOC_CPUSET'] as const;
const ATOMIC = ['ALLOC_WMARK_MIN', 'ALLOC_HARDER', 'ALLOC_HIGH'] as const;

describe('allowedNodesOf', () => {
  it('nothing limits a request with nodemask=(null) and no cpuset line', () => {
    expect(allowedNodesOf({ nodemask: '(null)' }, CPUSET)).toBeUndefined();
  });

  it('the cpuset limits a request that keeps ALLOC_CPUSET', () => {
    const a = allowedNodesOf({ nodemask: '(null)', memsAllowed: '0' }, CPUSET);
    expect(a).toMatchObject({ text: '0', by: 'cpuset' });
    expect([...(a?.nodes ?? [])]).toEqual([0]);
  });

  it('a request that cannot sleep has no ALLOC_CPUSET in the slow path: only its nodemask limits it', () => {
    expect(allowedNodesOf({ nodemask: '(null)', memsAllowed: '0' }, ATOMIC)).toBeUndefined();
    expect(allowedNodesOf({ nodemask: '1', memsAllowed: '0' }, ATOMIC)).toMatchObject({ text: '1', by: 'nodemask' });
  });

  it('both: the nodes in the nodemask and in the cpuset', () => {
    // nodemask 0-2, mems_allowed 1,3: only node 1 is in both.
    expect(allowedNodesOf({ nodemask: '0-2', memsAllowed: '1,3' }, CPUSET)).toMatchObject({ text: '1', by: 'nodemask and cpuset' });
  });
});
