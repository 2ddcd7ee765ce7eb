import { describe, expect, it } from 'vitest';
import { resolveOptions, type RawOptions } from '../../src/cli/options.js';
import { followTimings, runSettings } from '../../src/cli/settings.js';

const settings = (raw: RawOptions, env: NodeJS.ProcessEnv = {}) => runSettings(resolveOptions('web', raw), env);

describe('runSettings: the slices of the options', () => {
  it.each<[string, RawOptions, boolean]>([
    ['the context namespace', {}, false],
    ['one namespace', { namespace: ['a'] }, false],
    ['several namespaces', { namespace: ['a,b'] }, true],
    ['-A', { allNamespaces: true }, true],
  ])('showNamespace: %s', (_name, raw, shown) => {
    expect(settings(raw).output.showNamespace).toBe(shown);
  });

  it.each<[string, RawOptions, boolean]>([
    ['following', {}, false],
    ['--only-log-lines', { onlyLogLines: true }, true],
    ['--no-follow', { follow: false }, true],
    ['--previous (implies --no-follow)', { previous: true }, true],
  ])('warningsOnly: %s', (_name, raw, quiet) => {
    expect(settings(raw).output.warningsOnly).toBe(quiet);
  });

  it.each<[string, RawOptions, object]>([
    ['the default: 48 hours', {}, { sinceSeconds: 48 * 3600 }],
    ['--since and --tail', { since: '5m', tail: '10' }, { sinceSeconds: 300, tailLines: 10 }],
    ['--tail 0', { tail: '0' }, { sinceSeconds: 48 * 3600, tailLines: 0 }],
    ['--since-time', { sinceTime: '2026-11-22T10:00:00Z' }, { sinceTime: '2026-11-22T10:00:00Z' }],
  ])('the start window: %s', (_name, raw, window) => {
    expect(settings(raw).follow.window).toEqual(window);
  });

  it('what to follow and where', () => {
    const s = settings({
      namespace: ['a'],
      selector: 'app=web',
      node: 'n1',
      container: '^app$',
      previous: true,
      context: ['x,y'],
      maxLogRequests: '7',
    });
    expect(s.connection).toMatchObject({ kubeconfig: undefined, contexts: ['x', 'y'] });
    expect(s.follow.selection).toEqual({
      queryText: 'web',
      workload: undefined,
      namespaces: { kind: 'list', names: ['a'] },
      labelSelector: 'app=web',
      fieldSelector: 'spec.nodeName=n1',
    });
    expect(s.follow).toMatchObject({ follow: false, previous: true, maxLogRequests: 7 });
    expect(s.follow.targets.previous).toBe(true);
    expect(s.follow.targets.container.source).toBe('^app$');
  });

  it('timings: the environment may shorten them; otherwise the defaults', () => {
    expect(
      followTimings({ KTAIL_STREAM_IDLE_MS: '500', KTAIL_WATCH_IDLE_MS: '700', KTAIL_WATCH_TIMEOUT_S: '1', KTAIL_EVENT_REPEAT_MS: '900' }),
    ).toEqual({
      streamIdleMs: 500,
      watchIdleMs: 700,
      watchTimeoutSeconds: 1,
      eventRepeatMs: 900,
    });
    const d = followTimings({ KTAIL_STREAM_IDLE_MS: 'soon' });
    expect([d.streamIdleMs, d.watchIdleMs, d.eventRepeatMs]).toEqual([300_000, 90_000, 30_000]);
    expect(d.watchTimeoutSeconds).toBeGreaterThanOrEqual(300);
    expect(d.watchTimeoutSeconds).toBeLessThan(360);
  });
});
