import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common/errors.js';
import { parseRequestTimeout, resolveConnectionOptions } from '../../src/cli/connection-options.js';

describe("--request-timeout, in kubectl's syntax", () => {
  it.each([
    ['0', 0],
    ['30', 30_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseRequestTimeout(text)).toBe(ms);
  });

  it.each(['', 's', '5x', '1d', '-1s', '10 s'])('%j is a usage error', (text) => {
    expect(() => parseRequestTimeout(text)).toThrow(UsageError);
  });
});

describe('resolveConnectionOptions', () => {
  it('empty values are no values, as in kubectl', () => {
    expect(resolveConnectionOptions({ token: '', server: '', as: '' })).toMatchObject({
      token: undefined,
      server: undefined,
      as: undefined,
    });
  });

  it('--as-group keeps commas inside a group, as kubectl does', () => {
    expect(resolveConnectionOptions({ as: 'bob', asGroup: ['a,b', 'c'] }).asGroups).toEqual(['a,b', 'c']);
  });

  it('a file that is not there is a usage error naming the flag', () => {
    expect(() => resolveConnectionOptions({ clientKey: '/nonexistent/k.pem' })).toThrow(
      'cannot read --client-key "/nonexistent/k.pem": no such file',
    );
  });
});
