/**
 * EventWatch against the simulated cluster, in process: the list, the watch from its
 * resourceVersion, and throttling (429) waited out like the pod watch's, without a re-list.
 */
import { describe, expect, it } from 'vitest';
import { Transport } from '../../src/kube/transport.js';
import { EventWatch } from '../../src/follow/event-watch.js';
import type { KubeEvent } from '../../src/follow/kube-event.js';
import { SimCluster } from '../../src/sim/index.js';
import { cleanup, simContext } from '../helpers/inprocess.js';
import { until } from '../helpers/wait.js';
import { nominalBackoff } from '../helpers/jitter.js';

interface Watched {
  readonly sim: SimCluster;
  readonly watch: EventWatch;
  /** 'listed REASON' | 'event REASON', in order */
  readonly seen: string[];
  readonly troubles: { message: string; inMs: number }[];
  start(): void;
}

async function watched(): Promise<Watched> {
  const sim = await SimCluster.start({});
  cleanup(() => sim.close());
  const transport = new Transport(simContext(sim));
  cleanup(() => transport.close());
  const seen: string[] = [];
  const troubles: { message: string; inMs: number }[] = [];
  const watch = new EventWatch(
    transport,
    'events.k8s.io',
    'default',
    undefined,
    {
      onListed: (events: readonly KubeEvent[]) => seen.push(...events.map((e) => `listed ${e.reason}`)),
      onEvent: (e) => seen.push(`event ${e.reason}`),
      onDeleted: () => undefined,
      onTrouble: (message, inMs) => troubles.push({ message, inMs }),
      onRecovered: () => undefined,
      verbose: () => undefined,
    },
    { idleTimeoutMs: 60_000, timeoutSeconds: 300, backoff: { initialMs: 50, maxMs: 100 } },
  );
  cleanup(() => watch.stop());
  return {
    sim,
    watch,
    seen,
    troubles,
    start: () => {
      const running = watch.run();
      cleanup(async () => {
        watch.stop();
        await running;
      });
    },
  };
}

const warning = (reason: string) =>
  ({ regarding: { kind: 'Pod', name: 'a' }, type: 'Warning', reason, message: `${reason} happened`, component: 'kubelet' }) as const;

describe('EventWatch', () => {
  nominalBackoff();

  it('lists the Events there are, then watches on from the list', async () => {
    const w = await watched();
    w.sim.emitEvent(warning('BackOff'));
    await w.watch.list();
    w.start();
    await until(() => w.sim.counters.watchesOpen === 1, 'the event watch open');
    w.sim.emitEvent(warning('Unhealthy'));
    await until(() => w.seen.includes('event Unhealthy'), 'the watched Event');
    expect(w.seen).toEqual(['listed BackOff', 'event Unhealthy']);
  });

  it.each([
    ['a short Retry-After: waited out quietly', 1, 0],
    ['a long Retry-After: waited out, with one notice', 5, 1],
  ])(
    '429 from API Priority and Fairness, %s, and no re-list',
    async (_name, seconds, notices) => {
      const w = await watched();
      w.sim.emitEvent(warning('BackOff'));
      await w.watch.list();
      w.sim.failRequests(/watch=/, 429, 'too many requests, please try again later', { count: 1, retryAfterSeconds: seconds });
      const started = Date.now();
      w.start();
      await until(() => w.sim.counters.watchesOpen === 1, 'the event watch open after the wait', 10_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(seconds * 1000 - 100);
      expect(w.troubles).toHaveLength(notices);
      if (notices > 0) expect(w.troubles[0]!.message).toMatch(/too many requests.*\(the API server is throttling\)$/);
      w.sim.emitEvent(warning('Unhealthy'));
      await until(() => w.seen.includes('event Unhealthy'), 'an Event after the wait');
      // nothing was missed, so the Events were not listed again
      expect(w.seen).toEqual(['listed BackOff', 'event Unhealthy']);
    },
    15_000,
  );
});
