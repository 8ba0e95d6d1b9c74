// Tests for node lists as the kernel prints them with %*pbl (mems_allowed=, nodemask=).

import { describe, expect, it } from 'vitest';
import { parseNodeList } from '../../src/parse/nodelist.js';

describe('parseNodeList', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0,2-3', [0, 2, 3]],
    ['1, 3', [1, 3]],
    ['0-3,8-9', [0, 1, 2, 3, 8, 9]],
    ['5-5', [5]],
  ] as const)('"%s"', (text, nodes) => {
    expect([...(parseNodeList(text) ?? [])].sort((a, b) => a - b)).toEqual(nodes);
  });

  it.each([['(null)'], [''], ['x'], ['0-']])('"%s" allows every node', (text) => {
    expect(parseNodeList(text)).toBeUndefined();
  });

  it('no list at all allows every node', () => {
    expect(parseNodeList(undefined)).toBeUndefined();
  });

  it('a list that is malformed anywhere allows every node rather than some of them', () => {
    expect(parseNodeList('0,x')).toBeUndefined();
    expect(parseNodeList('0-1,')).toBeUndefined();
  });
});
