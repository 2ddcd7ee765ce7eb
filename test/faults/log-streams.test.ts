/**
 * Issue 4, log stream faults: cut mid-line, ended cleanly, stalled, and a restart or deletion
 * during a cut. Every line a container writes is counted: 0 lost, 0 repeated, in order.
 */
import { describe, expect, it } from 'vitest';
import { expectRange, expectSameSequence, expectSameSequences, seqs } from '../helpers/count.js';
import { sim, type SimFixture } from '../helpers/sim.js';
import { ktail, type Ktail } from '../helpers/spawn.js';
import { every, sleep } from '../helpers/wait.js';
import { burstWriter, numberedWriter } from './writers.js';

describe.each([
  ['second', 'whole seconds (as the real API server forwards sinceTime)', 8],
  ['nano', 'nanoseconds', 5],
] as const)('sinceTime in %s', (precision, how, seconds) => {
  it(`a stream cut mid-line every 200 ms for ${seconds} s, 3 containers writing fast, identical lines and timestamps (sinceTime honoured in ${how})`, async () => {
    const fx = await sim({ sinceTimePrecision: precision });
    const pod = 'cutty';
    fx.sim.createPod({ name: pod, containers: [{ name: 'gen' }, { name: 'burst' }, { name: 'plain' }] });
    const k = ktail(fx, [`^${pod}$`]);
    await k.waitFor((x) => x.notices(/^\+ cutty › /).length === 3, 'the three sources');

    const rate = 3000;
    const gen = fx.sim.generate({ pod, container: 'gen' }, { count: rate * seconds, size: 120, ratePerSec: rate });
    // 24 lines per burst every 20 ms (1,200 lines/s), one timestamp per 3 bursts, half of them identical text
    const burst = burstWriter(fx.sim, { pod, container: 'burst' }, 'b', 20);
    // 2 lines every 5 ms with the sim's clock: hundreds of lines within each second
    const plain = numberedWriter(fx.sim, { pod, container: 'plain' }, 'p', 5, 2);

    let cuts = 0;
    let round = 0;
    const containers = [undefined, 'gen', 'burst', 'plain'] as const;
    const stopCutting = every(200, () => {
      const container = containers[round++ % containers.length];
      cuts += fx.sim.cutLogStreams(container === undefined ? { pod } : { pod, container }, { midLine: true });
    });
    await gen.done;
    stopCutting();
    burst.stop();
    plain.stop();

    await k.waitFor(
      (x) =>
        x.source(pod, 'gen').length >= rate * seconds &&
        x.source(pod, 'burst').length >= burst.written.length &&
        x.source(pod, 'plain').length >= plain.written.length,
      'every line written',
      30_000,
    );
    await sleep(500); // a repeated line would show up now
    const exit = await k.stop();
    expect(exit.code).toBe(130);

    expectRange(seqs(k.source(pod, 'gen')), 0, rate * seconds, 'gen');
    expectSameSequence(k.source(pod, 'burst'), burst.written, 'burst');
    expectSameSequence(k.source(pod, 'plain'), plain.written, 'plain');
    expect(k.partial).toBe('');
    // the faults happened: many cuts, each followed by a reconnect (ktail waits 1 s after a break)
    expect(cuts).toBeGreaterThanOrEqual(seconds * 2);
    expect(fx.sim.counters.logStreamsOpened).toBeGreaterThanOrEqual(3 + seconds * 2);
    // nothing ended for good, and no cut is taken for a rotation
    expect(k.notices(/^- /)).toEqual([]);
    expect(k.notices(/rotated/)).toEqual([]);
  }, 60_000);
});

it('a clean end of the follow stream every 250 ms while the containers run: resumed at once, no gap, no repeat', async () => {
  const fx = await sim({ sinceTimePrecision: 'second' });
  const pod = 'ender';
  fx.sim.createPod({ name: pod, containers: [{ name: 'gen' }, { name: 'burst' }] });
  const k = ktail(fx, [`^${pod}$`]);
  await k.waitFor((x) => x.notices(/^\+ ender › /).length === 2, 'both sources');
  const rate = 2000;
  const seconds = 4;
  const gen = fx.sim.generate({ pod, container: 'gen' }, { count: rate * seconds, size: 80, ratePerSec: rate });
  const burst = burstWriter(fx.sim, { pod, container: 'burst' }, 'e', 15, 2);
  let ends = 0;
  const stopEnding = every(250, () => (ends += fx.sim.endLogStreams({ pod })));
  await gen.done;
  stopEnding();
  burst.stop();
  await k.waitFor(
    (x) => x.source(pod, 'gen').length >= rate * seconds && x.source(pod, 'burst').length >= burst.written.length,
    'every line written',
  );
  await sleep(500);
  const exit = await k.stop();
  expect(exit.code).toBe(130);
  expectRange(seqs(k.source(pod, 'gen')), 0, rate * seconds, 'gen');
  expectSameSequence(k.source(pod, 'burst'), burst.written, 'burst');
  expect(ends).toBeGreaterThanOrEqual(10);
  // a clean end is not trouble: no retry notice, no end notice
  expect(k.notices(/^[!-] /)).toEqual([]);
});

it('a stalled stream (open, silent, container writing) is detected by the idle timeout and reconnected; lines written during the stall arrive once', async () => {
  const fx = await sim({ sinceTimePrecision: 'second' });
  fx.sim.createPod({ name: 'stally', containers: [{ name: 'app' }] });
  fx.sim.createPod({ name: 'calm', containers: [{ name: 'app' }] });
  const k = ktail(fx, ['^(stally|calm)$', '--verbose'], { KTAIL_STREAM_IDLE_MS: '1000' });
  await k.waitFor((x) => x.notices(/^\+ (stally|calm) › app$/).length === 2, 'both sources');
  // both write every 20 ms: a healthy stream is never idle for a second
  const stally = numberedWriter(fx.sim, { pod: 'stally', container: 'app' }, 's', 20, 3);
  const calm = numberedWriter(fx.sim, { pod: 'calm', container: 'app' }, 'c', 20, 3);
  await k.waitFor((x) => x.source('stally', 'app').length > 100, 'stally flowing');
  expect(fx.sim.stallLogStreams({ pod: 'stally' }, 0, 'hang')).toBe(1);
  const stalledAt = stally.written.length;
  // a silent stream is re-opened quietly (a quiet container looks the same); --verbose says so
  await k.waitFor(
    (x) => x.notices(/^ktail: .*\/stally\/app\/.*: connection to \S+ stopped answering \(no data for (\d+ms|1s)\); resuming$/).length >= 1,
    'the stall noticed',
    10_000,
  );
  await k.waitFor((x) => x.source('stally', 'app').length > stalledAt + 150, 'stally flowing again', 10_000);
  await sleep(300);
  stally.stop();
  calm.stop();
  await k.waitFor(
    (x) => x.source('stally', 'app').length >= stally.written.length && x.source('calm', 'app').length >= calm.written.length,
    'every line written',
  );
  await sleep(300);
  await k.stop();
  expectSameSequence(k.source('stally', 'app'), stally.written, 'stally');
  expectSameSequence(k.source('calm', 'app'), calm.written, 'calm');
  expect(k.notices(/^! calm/)).toEqual([]);
  expect(k.notices(/^ktail: .*\/calm\/app\/.*resuming$/)).toEqual([]);
  expect(fx.sim.counters.logStreamsOpened).toBeGreaterThanOrEqual(3);
});

/**
 * What keeps ktail off the old instance while it restarts. Resolves once the old instance may
 * stop and restart, with `back`: resolved once ktail may connect again.
 */
type HoldOff = (fx: SimFixture, k: Ktail, pod: string) => Promise<{ back: Promise<void> }>;

const stallThenCut: HoldOff = async (fx, _k, pod) => {
  // ktail's stream goes silent; the old instance writes on, restarts, the new one writes
  expect(fx.sim.stallLogStreams({ pod }, 1500, 'cut')).toBe(1);
  await sleep(300);
  return { back: Promise.resolve() };
};

const cutDuringRetryDelay: HoldOff = async (fx, k, pod) => {
  const gets = fx.sim.counters.requestsByKind.get ?? 0;
  expect(fx.sim.cutLogStreams({ pod })).toBe(1);
  // ktail asks for the pod (still running), then waits a second before it reconnects
  await k.waitFor(() => (fx.sim.counters.requestsByKind.get ?? 0) > gets, 'ktail checking the instance', 10_000);
  await sleep(50);
  return { back: Promise.resolve() };
};

const refuseConnections: HoldOff = async (fx) => {
  const back = fx.sim.refuseConnections(2500);
  await sleep(300);
  return { back };
};

describe('a container restarting during a cut', () => {
  it.each<[string, string, HoldOff, number]>([
    // [what holds ktail off, pod, how, ms the new instance writes once ktail may connect again]
    ['a stall, then a cut', 'rs-stall', stallThenCut, 2000],
    ['a cut right after ktail checked the instance (during its retry delay)', 'rs-delay', cutDuringRetryDelay, 2500],
    ['refused connections', 'rs-refuse', refuseConnections, 1500],
  ])(
    'held off by %s: the rest of the old instance (read with previous) and the new one from its first line, each exactly once',
    async (_, pod, holdOff, freshMs) => {
      const fx = await sim({ sinceTimePrecision: 'second' });
      const ref = { pod, container: 'app' };
      fx.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
      const k = ktail(fx, [`^${pod}$`]);
      await k.waitFor((x) => x.notices(new RegExp(`^\\+ ${pod} › app$`)).length === 1, 'the source');
      const old = numberedWriter(fx.sim, ref, 'old', 10, 2);
      await k.waitFor((x) => x.source(pod, 'app').length >= 100, 'the old instance flowing');

      const { back } = await holdOff(fx, k, pod);
      old.stop();
      fx.sim.restartContainer(ref, { reason: 'Error', exitCode: 2 });
      const fresh = numberedWriter(fx.sim, ref, 'new', 10, 2);
      await back;
      await sleep(freshMs);
      fresh.stop();

      const endNotice = new RegExp(`^- ${pod} › app \\(terminated: Error, exit 2\\)$`);
      // the counts below say what went wrong better than a timeout would: wait, then count
      await k
        .waitFor(
          (x) => x.source(pod, 'app').length >= old.written.length + fresh.written.length && x.notices(endNotice).length === 1,
          'both instances and the end of the old one',
          15_000,
        )
        .catch(() => undefined);
      await sleep(500);
      await k.stop();
      const printed = k.source(pod, 'app');
      expectSameSequences({
        'old instance': { printed: printed.filter((l) => l.startsWith('old ')), written: old.written },
        'new instance': { printed: printed.filter((l) => l.startsWith('new ')), written: fresh.written },
      });
      expect(k.notices(endNotice)).toHaveLength(1);
      expect(k.notices(new RegExp(`^\\+ ${pod} › app \\(restart 1\\)$`))).toHaveLength(1);
    },
    40_000,
  );
});

describe('a pod deleted during a cut', () => {
  it.each([
    ['a stall, then a cut', 'stall'],
    ['refused connections', 'refuse'],
  ] as const)(
    'held off by %s: a `-` notice with the reason, no hang, no line repeated',
    async (_, how) => {
      const fx = await sim({ sinceTimePrecision: 'second' });
      const ref = { pod: 'doomed', container: 'app' };
      fx.sim.createPod({ name: 'doomed', containers: [{ name: 'app' }] });
      fx.sim.createPod({ name: 'bystander', containers: [{ name: 'app' }] });
      const k = ktail(fx, ['^(doomed|bystander)$']);
      await k.waitFor((x) => x.notices(/^\+ (doomed|bystander) › app$/).length === 2, 'both sources');
      const doomed = numberedWriter(fx.sim, ref, 'd', 10, 2);
      await k.waitFor((x) => x.source('doomed', 'app').length >= 100, 'doomed flowing');
      const beforeCut = doomed.written.length;
      let back: Promise<void> = Promise.resolve();
      if (how === 'stall') expect(fx.sim.stallLogStreams({ pod: 'doomed' }, 1500, 'cut')).toBe(1);
      else back = fx.sim.refuseConnections(2000);
      await sleep(200);
      doomed.stop();
      await fx.sim.deletePod('default', 'doomed');
      await back;
      await k.waitFor((x) => x.notices(/^- doomed › app \(pod deleted\)$/).length === 1, 'the end notice', 20_000);
      // not hung: the other pod is still followed, at once
      fx.sim.writeLines({ pod: 'bystander', container: 'app' }, ['still here']);
      await k.waitFor((x) => x.source('bystander', 'app').includes('still here'), 'the bystander', 15_000);
      const exit = await k.stop();
      expect(exit.code).toBe(130);
      // what was printed is what was written, in order, once; lines written after the cut may be
      // gone with the pod, lines received before it may not
      const printed = k.source('doomed', 'app');
      expect(printed.length).toBeGreaterThanOrEqual(Math.min(beforeCut, 100));
      expectSameSequence(printed, doomed.written.slice(0, printed.length), 'doomed');
    },
    40_000,
  );
});
