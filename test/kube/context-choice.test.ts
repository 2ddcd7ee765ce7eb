/** --context by pattern: words, globs, the choice among the kubeconfig's contexts. */
import { describe, expect, it } from 'vitest';
import { contextChoices } from '../../src/cli/parse.js';
import { ClusterError, UsageError } from '../../src/common/errors.js';
import { chooseContexts, globToRegex, splitContextWords } from '../../src/kube/context-choice.js';
import { Pattern } from '../../src/common/regex.js';

const KUBECONFIG = ['dev', 'prod-eu', 'prod-us', 'prod-us-2', 'staging', 'arn:aws:eks:eu-west-1:1:cluster/prod', 'x.y'];
const choose = (...values: string[]): string[] => chooseContexts(contextChoices(values), KUBECONFIG);

describe('splitContextWords', () => {
  it.each<[string[], string[]]>([
    [
      ['a,b', 'c'],
      ['a', 'b', 'c'],
    ],
    [[' a , ,b '], ['a', 'b']],
    [['/x{1,3}/'], ['/x{1,3}/']],
    [['prod-[a,b]*,dev'], ['prod-[a,b]*', 'dev']],
  ])('%j → %j', (values, words) => {
    expect(splitContextWords(values)).toEqual(words);
  });
});

describe('globToRegex', () => {
  it.each<[string, string[], string[]]>([
    ['prod-*', ['prod-', 'prod-eu', 'prod-us-2'], ['prod', 'xprod-eu', 'dev']],
    ['prod-??', ['prod-eu', 'prod-us'], ['prod-us-2', 'prod-e']],
    ['prod-[eu]*', ['prod-eu', 'prod-us'], ['prod-ab']],
    ['prod-[!e]*', ['prod-us'], ['prod-eu']],
    ['prod-[^e]*', ['prod-us'], ['prod-eu']],
    ['[a-c]*', ['a', 'beta', 'c1'], ['dev']],
    ['x.y*', ['x.y', 'x.yz'], ['xzy']],
    ['a+b(c)|*', ['a+b(c)|', 'a+b(c)|d'], ['aab(c)|', 'abc']],
    ['*/prod', ['arn:aws:eks:eu-west-1:1:cluster/prod'], ['prod']],
    ['[]]*', [']x'], ['x']],
  ])('%s matches the whole name', (glob, yes, no) => {
    const p = new Pattern(globToRegex(glob));
    for (const name of yes) expect(p.test(name), name).toBe(true);
    for (const name of no) expect(p.test(name), name).toBe(false);
  });

  it('an unclosed class is a usage error', () => {
    expect(() => globToRegex('prod-[ab')).toThrow(new UsageError('invalid --context glob "prod-[ab": missing ] after ['));
  });
});

describe('chooseContexts', () => {
  it.each<[string[], string[]]>([
    [['prod-*'], ['prod-eu', 'prod-us', 'prod-us-2']],
    [['/^prod-us/'], ['prod-us', 'prod-us-2']],
    [['/prod$/'], ['arn:aws:eks:eu-west-1:1:cluster/prod']],
    [['dev,prod-e?'], ['dev', 'prod-eu']],
    [
      ['staging', 'prod-u*', '/^prod-us$/'],
      ['staging', 'prod-us', 'prod-us-2'],
    ],
    // a plain name stays exact, known or not (the kubeconfig says when it is unknown)
    [['x.y'], ['x.y']],
    [['prod'], ['prod']],
  ])('%j → %j', (values, names) => {
    expect(choose(...values)).toEqual(names);
  });

  it("a pattern that is a context's own name selects that one", () => {
    expect(chooseContexts(contextChoices(['team-[a]']), ['team-[a]', 'team-a'])).toEqual(['team-[a]']);
  });

  it('a pattern that matches nothing is an error of the environment (exit 1), listing the contexts', () => {
    const err = (() => {
      try {
        choose('dev', 'qa-*');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).exitCode).toBe(1);
    expect((err as Error).message).toBe(`no context matches "qa-*" in kubeconfig (contexts: ${KUBECONFIG.join(', ')})`);
  });

  it('a bad regex is a usage error (exit 2)', () => {
    expect(() => contextChoices(['/prod-(/'])).toThrow(new UsageError('invalid --context regex "prod-(": missing closing )'));
  });
});
