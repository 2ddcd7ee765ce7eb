import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clusters } from '../../src/follow/clusters.js';
import { ClusterError } from '../../src/common/errors.js';
import type { ContextInfo } from '../../src/kube/kubeconfig.js';
import type { PodWatch } from '../../src/follow/watch.js';
import { nominalBackoff } from '../helpers/jitter.js';

const ctx = (name: string): ContextInfo => ({
  name,
  server: `https://${name}:6443`,
  namespace: 'default',
  user: 'u',
  insecureSkipTlsVerify: false,
  resolveCredentials: () => Promise.reject(new Error('unused')),
});

/** A watch that records run() and stop(). */
function fakeWatch(log: string[], name: string): PodWatch {
  return {
    run: () => {
      log.push(`run ${name}`);
      return Promise.resolve();
    },
    stop: () => log.push(`stop ${name}`),
  } as unknown as PodWatch;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Clusters', () => {
  nominalBackoff();

  it('one context: its failure at start is the error, as it is', async () => {
    const err = new ClusterError('cannot reach https://a:6443 (connection refused) — check --context');
    const c = new Clusters([ctx('a')], { start: () => Promise.reject(err), warn: () => {} }, true);
    await expect(c.start()).rejects.toBe(err);
  });

  it('several contexts, all failing: one error naming each', async () => {
    const c = new Clusters(
      [ctx('a'), ctx('b')],
      { start: (x) => Promise.reject(new ClusterError(`${x.name} is down`)), warn: () => {} },
      true,
    );
    await expect(c.start()).rejects.toThrow(
      new ClusterError('no context could be followed: context "a": a is down; context "b": b is down'),
    );
  });

  it('several contexts, one failing: a warning; following, it is started again with backoff until it answers', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const warnings: string[] = [];
    let attempts = 0;
    const c = new Clusters(
      [ctx('a'), ctx('b')],
      {
        start: (x) => {
          if (x.name === 'a') return Promise.resolve([fakeWatch(log, 'a')]);
          attempts++;
          return attempts < 3 ? Promise.reject(new ClusterError('b is down')) : Promise.resolve([fakeWatch(log, 'b')]);
        },
        warn: (t) => warnings.push(t),
      },
      true,
    );
    await c.start();
    c.run();
    expect(log).toEqual(['run a']);
    expect(warnings).toEqual(['context "b": b is down; following the other contexts, retrying it in 1s']);
    expect([...c.failedAtStart]).toEqual(['b']);
    await vi.advanceTimersByTimeAsync(1000); // attempt 2 fails
    expect(warnings.at(-1)).toBe('context "b": b is down; retrying in 2s');
    await vi.advanceTimersByTimeAsync(2000); // attempt 3 succeeds
    expect(log).toEqual(['run a', 'run b']);
    expect(warnings.at(-1)).toBe('context "b": reached, following it too');
    c.stop();
    expect(log).toEqual(['run a', 'run b', 'stop a', 'stop b']);
  });

  it('--no-follow: a failed context is given up with a warning', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    let attempts = 0;
    const c = new Clusters(
      [ctx('a'), ctx('b')],
      {
        start: (x) => (x.name === 'a' ? Promise.resolve([]) : (attempts++, Promise.reject(new ClusterError('b is down')))),
        warn: (t) => warnings.push(t),
      },
      false,
    );
    await c.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempts).toBe(1);
    expect(warnings).toEqual(['context "b": b is down; following the other contexts without it']);
    expect(c.failedAtStart.has('b')).toBe(true);
  });

  it('stop() ends the retries', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const c = new Clusters(
      [ctx('a'), ctx('b')],
      { start: (x) => (x.name === 'a' ? Promise.resolve([]) : (attempts++, Promise.reject(new ClusterError('down')))), warn: () => {} },
      true,
    );
    await c.start();
    c.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempts).toBe(1);
  });
});
