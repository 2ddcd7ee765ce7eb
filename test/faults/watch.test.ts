/**
 * Issue 4, pod watch faults: cut, ended, expired (410 Gone) and stalled. Pods created while the
 * watch is down are found and shown from their first line; pods deleted meanwhile get their
 * `-` notice; every line exactly once.
 */
import { describe, expect, it } from 'vitest';
import { expectSameSequence, expectSameSequences, numbered } from '../helpers/count.js';
import { sim, type SimFixture } from '../helpers/sim.js';
import { ktail, type Ktail } from '../helpers/spawn.js';
import { sleep } from '../helpers/wait.js';

interface Scenario {
  fx: SimFixture;
  k: Ktail;
  /** the pods: `${p}-old` exists at start and is deleted during the fault; `${p}-new` is created during it */
  p: string;
}

/** ktail follows `${p}-old` (50 lines seen); returns once they are shown. */
async function begin(
  p: string,
  simOptions: Parameters<typeof sim>[0],
  env: NodeJS.ProcessEnv = {},
  args: string[] = [],
): Promise<Scenario> {
  const fx = await sim(simOptions);
  fx.sim.createPod({ name: `${p}-old`, containers: [{ name: 'app' }] });
  fx.sim.writeLines({ pod: `${p}-old`, container: 'app' }, numbered('old', 50));
  const k = ktail(fx, [`^${p}-`, ...args], env);
  await k.waitFor((x) => x.source(`${p}-old`, 'app').length >= 50, 'the old pod');
  await k.waitFor(() => fx.sim.counters.watchesOpen === 1, 'the watch open');
  return { fx, k, p };
}

/**
 * Right after the fault, before ktail can have reacted (same tick): a new pod writes its first
 * 50 lines, the old pod is deleted. Then: found, shown from the first line, ended with a notice.
 */
async function meanwhile({ fx, k, p }: Scenario, extra: () => void = () => {}): Promise<void> {
  const fresh = { pod: `${p}-new`, container: 'app' };
  fx.sim.createPod({ name: fresh.pod, containers: [{ name: 'app' }] });
  fx.sim.writeLines(fresh, numbered('new', 50));
  void fx.sim.deletePod('default', `${p}-old`);
  extra();
  await k.waitFor((x) => x.source(fresh.pod, 'app').length >= 50, 'the new pod from its first line', 20_000);
  await k.waitFor((x) => x.notices(new RegExp(`^- ${p}-old › app \\(pod deleted\\)$`)).length === 1, 'the old pod ended', 20_000);
  // and the watch works again: a pod created now is found at once
  fx.sim.writeLines(fresh, numbered('new', 50, 50));
  const later = { pod: `${p}-later`, container: 'app' };
  fx.sim.createPod({ name: later.pod, containers: [{ name: 'app' }] });
  fx.sim.writeLines(later, numbered('later', 20));
  await k.waitFor((x) => x.source(fresh.pod, 'app').length >= 100 && x.source(later.pod, 'app').length >= 20, 'every line', 20_000);
  await sleep(300);
  const exit = await k.stop();
  expect(exit.code).toBe(130);
  expectSameSequence(k.source(`${p}-old`, 'app'), numbered('old', 50), 'old pod');
  expectSameSequence(k.source(fresh.pod, 'app'), numbered('new', 100), 'new pod');
  expectSameSequence(k.source(later.pod, 'app'), numbered('later', 20), 'later pod');
  expect(k.notices(new RegExp(`^\\+ ${p}-new › app$`))).toHaveLength(1);
}

describe('the pod watch', () => {
  it('cut: a notice, a re-list after the backoff, pods created and deleted meanwhile are handled', async () => {
    const s = await begin('wcut', {});
    expect(s.fx.sim.cutWatches()).toBe(1);
    await meanwhile(s);
    expect(s.k.notices(/^ktail: watching pods in namespace "default" failed: .*; retrying in 1s$/)).toHaveLength(1);
    expect(s.k.notices(/^ktail: watching pods in namespace "default" again$/)).toHaveLength(1);
  });

  it('ended cleanly (a timeout, a load balancer): watched again from where it was, without a notice', async () => {
    const s = await begin('wend', {});
    expect(s.fx.sim.endWatches()).toBe(1);
    await meanwhile(s);
    expect(s.k.notices(/^ktail: watching/)).toEqual([]);
    expect(s.fx.sim.counters.watchesOpened).toBeGreaterThanOrEqual(2);
  });

  it('renewed by the server every second (KTAIL_WATCH_TIMEOUT_S=1) while pods come and go', async () => {
    const s = await begin('wrenew', {}, { KTAIL_WATCH_TIMEOUT_S: '1' });
    await sleep(2500);
    expect(s.fx.sim.counters.watchesOpened).toBeGreaterThanOrEqual(3); // renewed at least twice
    await meanwhile(s);
    expect(s.k.notices(/^ktail: watching/)).toEqual([]);
  });

  it("ended by the server's --min-request-timeout (no timeoutSeconds asked, KTAIL_WATCH_TIMEOUT_S=0): watched again from the last resourceVersion", async () => {
    const s = await begin('wmin', { minRequestTimeoutSeconds: 0.4 }, { KTAIL_WATCH_TIMEOUT_S: '0' }, ['--verbose']);
    await s.k.waitFor(() => s.fx.sim.counters.watchesOpened >= 3, 'two renewals', 10_000);
    const lists = s.fx.sim.counters.requestsByKind.list ?? 0;
    await meanwhile(s);
    expect(s.k.notices(/^ktail: watching/)).toEqual([]);
    // each renewal went on from where the last one was: a resourceVersion, no re-list
    const from = s.k.notices(/^ktail: watch in namespace "default" open from resourceVersion/);
    expect(from.length).toBeGreaterThanOrEqual(3);
    expect(from.slice(1).every((l) => /resourceVersion \d+$/.test(l))).toBe(true);
    expect(s.fx.sim.counters.requestsByKind.list ?? 0).toBe(lists);
  });

  it('expired with 410 Gone after a cut (expireNextWatch + cutWatches): listed again', async () => {
    const s = await begin('wgone', {}, {}, ['--verbose']);
    const lists = s.fx.sim.counters.requestsByKind.list ?? 0;
    s.fx.sim.expireNextWatch(1);
    expect(s.fx.sim.cutWatches()).toBe(1);
    await meanwhile(s);
    expect(s.k.notices(/expired \(410\), listing again/)).toHaveLength(1);
    // one list after the cut, one after the 410
    expect(s.fx.sim.counters.requestsByKind.list ?? 0).toBeGreaterThanOrEqual(lists + 2);
  });

  it('expired with 410 Gone after a clean end (expireNextWatch + endWatches): listed again', async () => {
    const s = await begin('wgone2', {}, {}, ['--verbose']);
    const lists = s.fx.sim.counters.requestsByKind.list ?? 0;
    s.fx.sim.expireNextWatch(1);
    expect(s.fx.sim.endWatches()).toBe(1);
    await meanwhile(s);
    expect(s.k.notices(/expired \(410\), listing again/)).toHaveLength(1);
    expect(s.fx.sim.counters.requestsByKind.list ?? 0).toBeGreaterThanOrEqual(lists + 1);
  });

  it('a real 410: more changes while the watch was away than the server keeps (history of 20 events)', async () => {
    const s = await begin('whist', { historySize: 20 }, {}, ['--verbose']);
    s.fx.sim.createPod({ name: 'churn', containers: [{ name: 'app' }] }); // not followed: same namespace, other name
    expect(s.fx.sim.endWatches()).toBe(1);
    await meanwhile(s, () => {
      for (let i = 0; i < 40; i++) s.fx.sim.labelPod('default', 'churn', { n: String(i) });
    });
    expect(s.k.notices(/expired \(410\), listing again/).length).toBeGreaterThanOrEqual(1);
  });

  it('stalled (open, silent): the idle timeout (KTAIL_WATCH_IDLE_MS=1000) notices it, lists again', async () => {
    // bookmarks every 300 ms keep a healthy watch from looking idle
    const s = await begin('wstall', { bookmarkIntervalMs: 300 }, { KTAIL_WATCH_IDLE_MS: '1000' });
    await sleep(1500); // a healthy watch with bookmarks is not taken for a stalled one
    expect(s.k.notices(/^ktail: watching/)).toEqual([]);
    expect(s.fx.sim.stallWatches(0, 'hang')).toBe(1);
    await meanwhile(s);
    expect(s.k.notices(/^ktail: watching pods in namespace "default" failed: .*; retrying in 1s$/).length).toBeGreaterThanOrEqual(1);
    expect(s.k.notices(/^ktail: watching pods in namespace "default" again$/).length).toBeGreaterThanOrEqual(1);
  });

  it('a pod created and restarted while the watch was down: both instances shown, each from its first line', async () => {
    const s = await begin('wbounce', {});
    const { fx, k } = s;
    expect(fx.sim.cutWatches()).toBe(1);
    const ref = { pod: 'wbounce-b', container: 'app' };
    fx.sim.createPod({ name: ref.pod, containers: [{ name: 'app' }] });
    fx.sim.writeLines(ref, numbered('first', 30));
    fx.sim.restartContainer(ref, { reason: 'Error', exitCode: 3 });
    fx.sim.writeLines(ref, numbered('second', 30));
    await k.waitFor((x) => x.source(ref.pod, 'app').filter((l) => l.startsWith('second ')).length >= 30, 'the second instance', 20_000);
    await k
      .waitFor((x) => x.source(ref.pod, 'app').filter((l) => l.startsWith('first ')).length >= 30, 'the first instance', 15_000)
      .catch(() => undefined);
    await sleep(300);
    await k.stop();
    const printed = k.source(ref.pod, 'app');
    expectSameSequences({
      'first instance': { printed: printed.filter((l) => l.startsWith('first ')), written: numbered('first', 30) },
      'second instance': { printed: printed.filter((l) => l.startsWith('second ')), written: numbered('second', 30) },
    });
  });
});
