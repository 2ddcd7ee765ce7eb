/**
 * PodWatch's states against the simulated cluster, in process: list → watch → watch again after
 * a clean end → list again after 410 Gone → back off on errors → recovered.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/kube/errors.js';
import { Transport } from '../../src/kube/transport.js';
import { PodWatch, type PodEvent, type WatchTimings } from '../../src/follow/watch.js';
import { SimCluster } from '../../src/sim/index.js';
import { cleanup, simContext } from '../helpers/inprocess.js';
import { nominalBackoff } from '../helpers/jitter.js';

async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const describeEvent = (e: PodEvent): string =>
  `${e.kind} ${e.pod.metadata?.name ?? ''}${e.kind === 'upsert' && e.initial ? ' initial' : ''}`;

interface Watched {
  readonly sim: SimCluster;
  readonly watch: PodWatch;
  /** 'upsert NAME [initial]' | 'delete NAME', in order */
  readonly events: string[];
  readonly troubles: { message: string; inMs: number }[];
  readonly verbose: string[];
  recovered: number;
  /** run() (the watch loop) */
  start(): void;
}

async function watched(
  opts: { namespace?: string; timings?: Partial<WatchTimings>; sim?: Parameters<typeof SimCluster.start>[0] } = {},
): Promise<Watched> {
  const sim = await SimCluster.start(opts.sim ?? {});
  cleanup(() => sim.close());
  const transport = new Transport(simContext(sim));
  cleanup(() => transport.close());
  const w: Watched = {
    sim,
    events: [],
    troubles: [],
    verbose: [],
    recovered: 0,
    watch: undefined as unknown as PodWatch,
    start: () => {
      const running = w.watch.run();
      cleanup(async () => {
        w.watch.stop();
        await running;
      });
    },
  };
  (w as { watch: PodWatch }).watch = new PodWatch(
    transport,
    { namespace: opts.namespace ?? 'default', labelSelector: undefined, fieldSelector: undefined },
    {
      onEvent: (e) => w.events.push(describeEvent(e)),
      onTrouble: (message, inMs) => w.troubles.push({ message, inMs }),
      onRecovered: () => w.recovered++,
      verbose: (m) => w.verbose.push(m),
    },
    { idleTimeoutMs: 60_000, timeoutSeconds: 300, ...opts.timings },
  );
  cleanup(() => w.watch.stop());
  return w;
}

const app = [{ name: 'app' }];

describe('PodWatch', () => {
  nominalBackoff();

  it('list: the pods that exist, as initial upserts', async () => {
    const w = await watched();
    w.sim.createPod({ name: 'a', containers: app });
    w.sim.createPod({ name: 'b', containers: app });
    w.sim.createPod({ name: 'elsewhere', namespace: 'shop', containers: app });
    await w.watch.list();
    expect(w.events).toEqual(['upsert a initial', 'upsert b initial']);
  });

  it("list: in pages of 500 (client-go's pager), every pod once, in order", async () => {
    const w = await watched();
    for (let i = 0; i < 1200; i++) w.sim.createPod({ name: `p-${String(i).padStart(4, '0')}`, containers: app });
    const lists = w.sim.counters.requestsByKind.list ?? 0;
    await w.watch.list();
    expect(w.events).toEqual(Array.from({ length: 1200 }, (_, i) => `upsert p-${String(i).padStart(4, '0')} initial`));
    expect((w.sim.counters.requestsByKind.list ?? 0) - lists).toBe(3);
    // and the watch goes on from the list's resourceVersion: a pod created now is seen
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    w.sim.createPod({ name: 'late', containers: app });
    await until(() => w.events.includes('upsert late'), 'a pod created after');
  }, 20_000);

  it('list: a continue token expired between pages (410): listed again whole, as client-go falls back to', async () => {
    const w = await watched();
    for (let i = 0; i < 700; i++) w.sim.createPod({ name: `p-${String(i).padStart(4, '0')}`, containers: app });
    // etcd compacts while the second page is asked for
    w.sim.delayRequests(/continue=/, 0, { onArrive: () => w.sim.expireContinueTokens() });
    const lists = w.sim.counters.requestsByKind.list ?? 0;
    await w.watch.list();
    // two lists served (the first page, then the whole list) and the 410 between them
    expect((w.sim.counters.requestsByKind.list ?? 0) - lists).toBe(2);
    expect(w.sim.counters.requestsByKind.error ?? 0).toBe(1);
    expect(w.verbose.filter((m) => /continue token expired \(410\), listing again whole/.test(m))).toHaveLength(1);
    // every pod seen; those of the first page twice (an upsert is idempotent downstream)
    expect(new Set(w.events)).toEqual(new Set(Array.from({ length: 700 }, (_, i) => `upsert p-${String(i).padStart(4, '0')} initial`)));
    expect(w.events).toHaveLength(500 + 700);
  }, 20_000);

  it('list: a storm of 429s (API Priority and Fairness) at start is waited out as Retry-After says', async () => {
    const w = await watched();
    w.sim.createPod({ name: 'a', containers: app });
    w.sim.failRequests(/\/pods\?limit=/, 429, 'too many requests, please try again later', { count: 3, retryAfterSeconds: 1 });
    const started = Date.now();
    await w.watch.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(w.events).toEqual(['upsert a initial']);
    // a short wait is said only with --verbose
    expect(w.troubles).toEqual([]);
    expect(w.verbose.filter((m) => /\(the API server is throttling\); waiting 1000ms$/.test(m))).toHaveLength(3);
  }, 15_000);

  it("list: its errors are the caller's (fatal at start)", async () => {
    const w = await watched({ namespace: 'secret', sim: { forbiddenNamespaces: ['secret'] } });
    const err = await w.watch.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect(w.events).toEqual([]);
  });

  it('watch: pods created and deleted after the list arrive in order, not initial', async () => {
    const w = await watched();
    w.sim.createPod({ name: 'a', containers: app });
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    w.sim.createPod({ name: 'b', containers: app });
    await w.sim.deletePod('default', 'a', { graceMs: 0 });
    await until(() => w.events.includes('delete a'), 'the delete');
    expect(w.events[0]).toBe('upsert a initial');
    expect(w.events.filter((e) => e.endsWith(' b'))[0]).toBe('upsert b');
    expect(w.events.at(-1)).toBe('delete a');
    expect(w.troubles).toEqual([]);
  });

  it('a clean end (a timeout, a load balancer): watched again from where it was, without a notice or a list', async () => {
    const w = await watched();
    w.sim.createPod({ name: 'a', containers: app });
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    const lists = w.sim.counters.requestsByKind.list ?? 0;
    expect(w.sim.endWatches()).toBe(1);
    await until(() => w.sim.counters.watchesOpened === 2 && w.sim.counters.watchesOpen === 1, 'the watch again');
    w.sim.createPod({ name: 'b', containers: app });
    await until(() => w.events.includes('upsert b'), 'the pod created after');
    expect(w.events.filter((e) => e === 'upsert b')).toHaveLength(1);
    expect(w.events.filter((e) => e.startsWith('upsert a'))).toEqual(['upsert a initial']);
    expect(w.sim.counters.requestsByKind.list ?? 0).toBe(lists);
    expect([w.troubles, w.recovered]).toEqual([[], 0]);
  });

  it('410 Gone: listed again (not initial), a pod deleted meanwhile is a delete, without a notice', async () => {
    const w = await watched();
    w.sim.createPod({ name: 'a', containers: app });
    w.sim.createPod({ name: 'b', containers: app });
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    w.sim.expireNextWatch();
    w.sim.endWatches();
    await w.sim.deletePod('default', 'a', { graceMs: 0 });
    await until(() => w.verbose.some((m) => /expired \(410\), listing again/.test(m)), 'the re-list');
    await until(() => w.events.includes('delete a'), 'the delete');
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch again');
    expect(w.events.filter((e) => e === 'delete a')).toHaveLength(1);
    // after the 410 the list is not the first one: its pods are not initial
    expect(w.events.filter((e) => e.startsWith('upsert b'))).toEqual(['upsert b initial', 'upsert b']);
    w.sim.createPod({ name: 'c', containers: app });
    await until(() => w.events.includes('upsert c'), 'a pod created after');
    expect([w.troubles, w.recovered]).toEqual([[], 0]);
  });

  it('errors: a notice per failure with the backoff doubling, a list again, then recovered once', async () => {
    const w = await watched({ timings: { backoff: { initialMs: 50, maxMs: 100 } } });
    w.sim.createPod({ name: 'a', containers: app });
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    const down = w.sim.refuseConnections(1500);
    await until(() => w.troubles.length >= 3, 'three failures');
    await down;
    await until(() => w.recovered === 1, 'recovered', 10_000);
    expect(w.troubles.slice(0, 3).map((t) => t.inMs)).toEqual([50, 100, 100]);
    expect(w.troubles.every((t) => t.inMs <= 100)).toBe(true);
    expect(w.troubles[0]!.message).toMatch(/^watching pods in namespace "default" failed: /);
    // a failure means events may have been missed: the pods are listed again
    expect(w.events.filter((e) => e.startsWith('upsert a'))).toEqual(['upsert a initial', 'upsert a']);
    w.sim.createPod({ name: 'b', containers: app });
    await until(() => w.events.includes('upsert b'), 'a pod created after');
    expect(w.recovered).toBe(1);
  });

  it.each([
    ['a short Retry-After: waited out quietly, no re-list', 1, 0],
    ['a long Retry-After: waited out, with one notice', 5, 1],
  ])(
    '429 from API Priority and Fairness, %s',
    async (_name, seconds, notices) => {
      const w = await watched({ timings: { backoff: { initialMs: 50, maxMs: 100 } } });
      w.sim.createPod({ name: 'a', containers: app });
      await w.watch.list();
      w.sim.failRequests(/watch=/, 429, 'too many requests, please try again later', { count: 1, retryAfterSeconds: seconds });
      const started = Date.now();
      w.start();
      await until(() => w.sim.counters.watchesOpen === 1, 'the watch open after the wait', 10_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(seconds * 1000 - 100);
      expect(w.troubles).toHaveLength(notices);
      if (notices > 0)
        expect(w.troubles[0]).toEqual({
          message: expect.stringMatching(/too many requests.*\(the API server is throttling\)$/) as unknown,
          inMs: seconds * 1000,
        });
      w.sim.createPod({ name: 'b', containers: app });
      await until(() => w.events.includes('upsert b'), 'a pod created after');
      // nothing was missed, so no second list: 'a' was seen once
      expect(w.events.filter((e) => e.startsWith('upsert a'))).toEqual(['upsert a initial']);
    },
    15_000,
  );

  it('a cut watch: one notice, then recovered; the backoff starts again from the first step', async () => {
    const w = await watched({ timings: { backoff: { initialMs: 50, maxMs: 1000 } } });
    await w.watch.list();
    w.start();
    for (let round = 1; round <= 2; round++) {
      await until(() => w.sim.counters.watchesOpen === 1 && w.recovered === round - 1, `the watch open (${round})`);
      expect(w.sim.cutWatches()).toBe(1);
      await until(() => w.recovered === round, `recovered (${round})`);
    }
    expect(w.troubles.map((t) => t.inMs)).toEqual([50, 50]);
  });

  it('a stalled watch (no byte, not even a bookmark) is given up after the idle timeout and replaced', async () => {
    const w = await watched({ timings: { idleTimeoutMs: 300, backoff: { initialMs: 50, maxMs: 1000 } } });
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    w.sim.stallWatches(60_000, 'hang');
    await until(() => w.recovered === 1, 'recovered');
    expect(w.troubles).toHaveLength(1);
    w.sim.createPod({ name: 'late', containers: app });
    await until(() => w.events.includes('upsert late'), 'a pod created after');
  });

  it('stop(): the loop ends, even while backing off', async () => {
    const w = await watched({ timings: { backoff: { initialMs: 60_000, maxMs: 60_000 } } });
    await w.watch.list();
    const running = w.watch.run();
    await until(() => w.sim.counters.watchesOpen === 1, 'the watch open');
    w.sim.cutWatches();
    await until(() => w.troubles.length === 1, 'the failure');
    w.watch.stop();
    await running;
    expect(w.recovered).toBe(0);
  });
});
