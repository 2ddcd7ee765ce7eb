import { describe, expect, it } from 'vitest';
import { resolveOptions, type RawOptions } from '../../src/cli/options.js';
import { compileRegex, splitList } from '../../src/cli/parse.js';
import { RE2JSSyntaxException } from 're2js';
import { usageError } from '../helpers/errors.js';

describe('resolveOptions defaults', () => {
  const o = resolveOptions('web', {});

  it('reads the last 48h of every container, all lines, following', () => {
    expect(o.since).toEqual({ kind: 'duration', seconds: 172_800 });
    expect(o.tail).toBe(-1);
    expect(o.follow).toBe(true);
    expect(o.maxLogRequests).toBe(50);
  });

  it('uses the context namespace, the current context, auto colour, default output', () => {
    expect(o.namespaces).toEqual({ kind: 'context-default' });
    expect(o.contexts).toEqual([]);
    expect(o.color).toBe('auto');
    expect(o.output).toBe('default');
    expect(o.timestamps).toBe(false);
    expect(o.onlyLogLines).toBe(false);
    expect(o.kubeconfig).toBeUndefined();
    expect(o.labelSelector).toBeUndefined();
    expect(o.fieldSelector).toBeUndefined();
  });

  it('compiles the query and follows every container, excluding nothing', () => {
    expect(o.queryText).toBe('web');
    expect(o.podQuery.test('web-7d9')).toBe(true);
    expect(o.podQuery.test('api-1')).toBe(false);
    expect(o.container.test('anything')).toBe(true);
    expect(o.excludeContainer).toEqual([]);
    expect(o.excludePod).toEqual([]);
  });

  it('opens at most 5 streams at once with --no-follow', () => {
    expect(resolveOptions('web', { follow: false }).maxLogRequests).toBe(5);
  });

  it('an explicit --max-log-requests wins in either mode', () => {
    expect(resolveOptions('web', { maxLogRequests: '7' }).maxLogRequests).toBe(7);
    expect(resolveOptions('web', { follow: false, maxLogRequests: '80' }).maxLogRequests).toBe(80);
  });
});

describe('resolveOptions values', () => {
  it.each<[string, RawOptions, Record<string, unknown>]>([
    ['-n a,b -n c', { namespace: ['a,b', 'c'] }, { namespaces: { kind: 'list', names: ['a', 'b', 'c'] } }],
    ['-n a -n a,b', { namespace: ['a', 'a,b'] }, { namespaces: { kind: 'list', names: ['a', 'b'] } }],
    ['-n " a , ,b"', { namespace: [' a , ,b'] }, { namespaces: { kind: 'list', names: ['a', 'b'] } }],
    ['-A', { allNamespaces: true }, { namespaces: { kind: 'all' } }],
    ['-A -n a', { allNamespaces: true, namespace: ['a'] }, { namespaces: { kind: 'all' } }],
    ['--context a,b --context a', { context: ['a,b', 'a'] }, { contexts: ['a', 'b'] }],
    ['--since 15m', { since: '15m' }, { since: { kind: 'duration', seconds: 900 } }],
    ['--since 500ms rounds up to a second', { since: '500ms' }, { since: { kind: 'duration', seconds: 1 } }],
    ['--since-time', { sinceTime: '2026-11-22T10:00:00Z' }, { since: { kind: 'time', time: '2026-11-22T10:00:00Z' } }],
    [
      '--since-time with offset and fraction',
      { sinceTime: '2026-11-22T10:00:00.123+02:00' },
      { since: { kind: 'time', time: '2026-11-22T10:00:00.123+02:00' } },
    ],
    ['--tail 0', { tail: '0' }, { tail: 0 }],
    ['--tail 100', { tail: '100' }, { tail: 100 }],
    ['--tail -1', { tail: '-1' }, { tail: -1 }],
    ['-t', { timestamps: true }, { timestamps: 'default' }],
    ['-t default', { timestamps: 'default' }, { timestamps: 'default' }],
    ['-t short', { timestamps: 'short' }, { timestamps: 'short' }],
    ['--color never', { color: 'never' }, { color: 'never' }],
    ['--color always', { color: 'always' }, { color: 'always' }],
    ['-o raw', { output: 'raw' }, { output: 'raw' }],
    ['--only-log-lines', { onlyLogLines: true }, { onlyLogLines: true }],
    ['no --events', {}, { events: undefined }],
    ['--events (config file: events: true)', { events: true }, { events: 'warning' }],
    ['--events=warning', { events: 'warning' }, { events: 'warning' }],
    ['--events=all', { events: 'all' }, { events: 'all' }],
    ['--no-follow', { follow: false }, { follow: false }],
    ['--kubeconfig', { kubeconfig: '/tmp/kc' }, { kubeconfig: '/tmp/kc' }],
    ['-l', { selector: 'app=web' }, { labelSelector: 'app=web' }],
    ['--field-selector', { fieldSelector: 'spec.nodeName=n1' }, { fieldSelector: 'spec.nodeName=n1' }],
    ['--verbose', { verbose: true }, { verbose: true }],
    ['--demo', { demo: true }, { demo: true }],
  ])('%s', (_name, raw, expected) => {
    expect(resolveOptions('web', raw)).toMatchObject(expected);
  });

  it('compiles -c, -E and --exclude-pod', () => {
    const o = resolveOptions('web', { container: '^app$', excludeContainer: ['side', 'istio'], excludePod: ['canary'] });
    expect(o.container.test('app')).toBe(true);
    expect(o.container.test('app2')).toBe(false);
    expect(o.excludeContainer.map((r) => r.source)).toEqual(['side', 'istio']);
    expect(o.excludePod.map((r) => r.source)).toEqual(['canary']);
  });
});

describe('the query', () => {
  it('is required without -l or --field-selector', () => {
    expect(usageError(() => resolveOptions(undefined, {})).message).toMatch(/pod query is required/);
  });

  it.each<[string, RawOptions]>([
    ['-l', { selector: 'app=web' }],
    ['--field-selector', { fieldSelector: 'spec.nodeName=n1' }],
  ])('defaults to .* with %s', (_flag, raw) => {
    const o = resolveOptions(undefined, raw);
    expect(o.queryText).toBe('.*');
    expect(o.podQuery.test('anything-at-all')).toBe(true);
  });

  it('an explicit query still applies with -l', () => {
    const o = resolveOptions('^api', { selector: 'app=web' });
    expect(o.podQuery.test('web-1')).toBe(false);
    expect(o.podQuery.test('api-1')).toBe(true);
  });
});

describe('resolveOptions rejects bad values with a one-line UsageError', () => {
  it.each<[string, string | undefined, RawOptions, string | RegExp]>([
    [
      '--since with --since-time',
      'web',
      { since: '1h', sinceTime: '2026-01-01T00:00:00Z' },
      '--since and --since-time cannot be used together: pick one',
    ],
    ['--since-time not a time', 'web', { sinceTime: 'yesterday' }, /^invalid time "yesterday" for --since-time/],
    ['--since-time without zone', 'web', { sinceTime: '2026-01-01T00:00:00' }, /for --since-time/],
    ['--since-time month 13', 'web', { sinceTime: '2026-13-01T00:00:00Z' }, /for --since-time/],
    ['--since-time date only', 'web', { sinceTime: '2026-01-01' }, /for --since-time/],
    ['--since bad duration', 'web', { since: '5x' }, /^invalid duration "5x" for --since/],
    ['--tail abc', 'web', { tail: 'abc' }, /^invalid value "abc" for --tail: expected a whole number/],
    ['--tail -2', 'web', { tail: '-2' }, /^invalid value "-2" for --tail: must be -1 or more/],
    ['--tail 1.5', 'web', { tail: '1.5' }, /for --tail/],
    ['--max-log-requests 0', 'web', { maxLogRequests: '0' }, /^invalid value "0" for --max-log-requests: must be 1 or more/],
    ['--max-log-requests x', 'web', { maxLogRequests: 'x' }, /for --max-log-requests/],
    ['--color sometimes', 'web', { color: 'sometimes' }, 'invalid value "sometimes" for --color: expected one of auto, always, never'],
    ['--output yaml', 'web', { output: 'yaml' }, /^invalid value "yaml" for --output: expected one of default, raw/],
    ['--timestamps long', 'web', { timestamps: 'long' }, 'invalid value "long" for --timestamps: expected one of default, short'],
    ['--events=normal', 'web', { events: 'normal' }, 'invalid value "normal" for --events: expected one of warning, all'],
    ['query web(', 'web(', {}, 'invalid pod query "web(": missing closing )'],
    ['-c [a', 'web', { container: '[a' }, 'invalid --container regex "[a": missing closing ]'],
    ['-E *x', 'web', { excludeContainer: ['ok', '*x'] }, 'invalid --exclude-container regex "*x": missing argument to repetition operator'],
    ['--exclude-pod a)', 'web', { excludePod: ['a)'] }, 'invalid --exclude-pod regex "a)": unexpected )'],
  ])('%s', (_name, query, raw, message) => {
    const err = usageError(() => resolveOptions(query, raw));
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });
});

describe('compileRegex', () => {
  it('compiles a valid expression', () => {
    const r = compileRegex('^web-[0-9a-f]+$', 'pod query');
    expect(r.test('web-7d9')).toBe(true);
    expect(r.test('web-xyz')).toBe(false);
  });

  it.each([
    ['web(', 'missing closing )'],
    ['a)', 'unexpected )'],
    ['[a', 'missing closing ]'],
    ['*', 'missing argument to repetition operator'],
    ['\\', 'trailing backslash at end of expression'],
    ['a{2,1}', 'invalid repeat count'],
    ['x{1001}', 'invalid repeat count'],
    ['a**', 'invalid nested repetition operator'],
    // Go has no lookaround nor backreferences
    ['(?=a)', 'invalid or unsupported Perl syntax'],
    ['(a)\\1', 'invalid escape sequence'],
  ])('%j → %s', (source, reason) => {
    const err = usageError(() => compileRegex(source, 'pod query'));
    expect(err.message).toBe(`invalid pod query "${source}": ${reason}`);
    expect(err.cause).toBeInstanceOf(RE2JSSyntaxException);
  });

  // stern compiles with Go's regexp (RE2): linear time, Go's syntax
  it("(a+)+$ on 40 a's returns promptly (a backtracking engine takes minutes)", () => {
    const r = compileRegex('(a+)+$', 'pod query');
    const start = performance.now();
    expect(r.test(`${'a'.repeat(40)}!`)).toBe(false);
    expect(r.test('a'.repeat(40))).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it.each<[string, string, boolean]>([
    ['(?i)WEB', 'web-1', true],
    ['[[:digit:]]+', 'web-7', true],
    ['[[:digit:]]+', 'web-x', false],
    ['\\pL', 'é', true],
    ['^\\pL+$', 'web1', false],
    ['\\p{Greek}', 'λ', true],
    ['(?P<name>web)-\\d', 'web-1', true],
    ['web\\z', 'api-web', true],
  ])('Go syntax: %j on %j → %s', (source, text, matched) => {
    expect(compileRegex(source, 'pod query').test(text)).toBe(matched);
  });
});

describe('splitList', () => {
  it.each<[readonly string[] | undefined, string[]]>([
    [undefined, []],
    [[], []],
    [['a'], ['a']],
    [
      ['a,b', 'c'],
      ['a', 'b', 'c'],
    ],
    [
      [' a , b ', ',,', ''],
      ['a', 'b'],
    ],
    [
      ['a', 'a'],
      ['a', 'a'],
    ],
  ])('%j → %j', (input, out) => {
    expect(splitList(input)).toEqual(out);
  });
});

describe('issue 5: selection and time-window options', () => {
  it('defaults: every container state, init and ephemeral containers, not --previous, no workload', () => {
    const o = resolveOptions('web', {});
    expect(o.containerStates).toBeUndefined();
    expect([o.initContainers, o.ephemeralContainers, o.previous, o.node, o.workload]).toEqual([true, true, false, undefined, undefined]);
  });

  it.each<[string, RawOptions, Record<string, unknown>]>([
    ['--node', { node: 'n1' }, { node: 'n1', fieldSelector: 'spec.nodeName=n1' }],
    [
      '--node and --field-selector',
      { node: 'n1', fieldSelector: 'status.phase=Running' },
      { fieldSelector: 'status.phase=Running,spec.nodeName=n1' },
    ],
    ['--no-init-containers', { initContainers: false }, { initContainers: false }],
    ['--no-ephemeral-containers', { ephemeralContainers: false }, { ephemeralContainers: false }],
    ['-p implies --no-follow and its stream cap', { previous: true }, { previous: true, follow: false, maxLogRequests: 5 }],
  ])('%s', (_name, raw, expected) => {
    expect(resolveOptions('web', raw)).toMatchObject(expected);
  });

  it.each<[string[], string[] | undefined]>([
    [['running'], ['running']],
    [['running,waiting'], ['running', 'waiting']],
    [
      ['terminated', 'waiting'],
      ['terminated', 'waiting'],
    ],
    [['all'], undefined],
    [['running', 'all'], undefined],
  ])('--container-state %j', (values, expected) => {
    const states = resolveOptions('web', { containerState: values }).containerStates;
    expect(states === undefined ? undefined : [...states]).toEqual(expected);
  });

  it('--container-state rejects what it does not know', () => {
    expect(usageError(() => resolveOptions('web', { containerState: ['running,asleep'] })).message).toBe(
      'invalid value "asleep" for --container-state: expected one of running, waiting, terminated, all',
    );
  });

  it('--node alone is enough to leave the query out', () => {
    expect(resolveOptions(undefined, { node: 'n1' }).queryText).toBe('.*');
  });

  it('KIND/NAME: the workload, and a pod query that matches every name', () => {
    const o = resolveOptions('deploy/checkout', {});
    expect(o.workload).toEqual({ kind: 'deployment', name: 'checkout' });
    expect(o.queryText).toBe('deploy/checkout');
    expect(o.podQuery.test('checkout-7d9-x2k4q')).toBe(true);
  });

  it('an unknown kind is a command-line error listing the kinds', () => {
    expect(usageError(() => resolveOptions('deploymnet/checkout', {})).message).toMatch(
      /^unknown kind "deploymnet" in "deploymnet\/checkout": expected KIND\/NAME with KIND one of pod \(po\), deployment \(deploy\),/,
    );
  });
});
