/**
 * When the log endpoint answers with an error (kubectl is the reference): without follow, a
 * server in trouble is tried a few times, then said in a warning with the server's words and
 * the run exits 1 once the other sources are printed; a refusal (403) is said once and its source
 * ends, following or not; a 400 "waiting to start" is retried while the container waits.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, sim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim();
});
afterEach(() => {
  fx.sim.clearRequestFaults();
});

/** the log requests of one pod's container, whatever the order of the query */
const logOf = (pod: string, container: string): RegExp => new RegExp(`/pods/${pod}/log\\?(.*&)?container=${container}(&|$)`);
const served = (): number => fx.sim.counters.requestsByKind.log ?? 0;
const forbidden = (pod: string): string =>
  `pods "${pod}" is forbidden: User "dev" cannot get resource "pods/log" in API group "" in the namespace "default"`;

describe('--no-follow: a log endpoint in trouble', () => {
  it("500: a few tries, then a warning with the server's words and exit 1; the other pods are printed", async () => {
    for (const name of ['nf-web', 'nf-api']) {
      fx.sim.createPod({ name, containers: [{ name: 'app' }] });
      fx.sim.writeLines({ pod: name, container: 'app' }, [`${name} one`, `${name} two`]);
    }
    fx.sim.failRequests(/pods\/nf-web\/log/, 500, 'etcd timeout');
    const t0 = Date.now();
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^nf-', '--no-follow']);
    expect(r.code).toBe(1);
    // three tries: the backoff waits about 1 s, then 2 s (±20%)
    expect(r.at - t0).toBeLessThan(10_000);
    expect(r.stdout).toBe('nf-api app nf-api one\nnf-api app nf-api two\n');
    expect(r.stderr).toBe('ktail: nf-web/app: etcd timeout (gave up after 3 tries)\n');
  });

  it('403: said at once, exit 1; the other containers are printed', async () => {
    fx.sim.createPod({ name: 'nf-forbid', containers: [{ name: 'app' }, { name: 'side' }] });
    fx.sim.writeLines({ pod: 'nf-forbid', container: 'app' }, ['app line']);
    fx.sim.writeLines({ pod: 'nf-forbid', container: 'side' }, ['side line']);
    fx.sim.failRequests(logOf('nf-forbid', 'app'), 403, forbidden('nf-forbid'), { reason: 'Forbidden' });
    const before = served();
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^nf-forbid$', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('nf-forbid side side line\n');
    expect(r.stderr).toBe(`ktail: nf-forbid/app: ${forbidden('nf-forbid')}\n`);
    expect(served() - before).toBe(1); // side's; app's was refused once and not asked again
  });
});

describe('following: errors of one source', () => {
  it("403 on one container's log: said once, that source ends, the others go on, no retry", async () => {
    const app = { pod: 'fb-web', container: 'app' };
    const side = { pod: 'fb-web', container: 'side' };
    fx.sim.createPod({ name: 'fb-web', containers: [{ name: 'app' }, { name: 'side' }] });
    // refused once only: a retry would be served, and its lines printed
    fx.sim.failRequests(logOf('fb-web', 'app'), 403, forbidden('fb-web'), { count: 1, reason: 'Forbidden' });
    fx.sim.writeLines(app, ['a0']);
    fx.sim.writeLines(side, ['s0']);
    const k = ktail(fx, ['^fb-web$']);
    await k.waitFor((x) => x.stderr.includes('- fb-web › app (not retried)'), 'the source ended');
    await k.waitFor((x) => x.source('fb-web', 'side').includes('s0'), 'the other container');
    const opened = served();
    // longer than the first two backoffs (1 s, then 2 s): a retry would have happened by now
    await sleep(4000);
    fx.sim.writeLines(app, ['a1']);
    fx.sim.writeLines(side, ['s1']);
    await k.waitFor((x) => x.source('fb-web', 'side').includes('s1'), 'the other container, still followed');
    await sleep(300);
    expect(served()).toBe(opened);
    expect(k.source('fb-web', 'app')).toEqual([]);
    expect(k.notices(/forbidden/)).toEqual([`ktail: fb-web/app: ${forbidden('fb-web')}`]);
    expect(k.notices(/^! /)).toEqual([]);
    expect((await k.stop()).code).toBe(130);
  });

  it('400 "waiting to start" while the container waits (a new instance being created): retried, then the container starts and its lines arrive', async () => {
    const ref = { pod: 'wt-back', container: 'app' };
    fx.sim.createPod({ name: 'wt-back', containers: [{ name: 'app' }] });
    fx.sim.writeLines(ref, ['first run']);
    const k = ktail(fx, ['^wt-back$']);
    await k.waitFor((x) => x.source('wt-back', 'app').includes('first run'), 'the first run');
    const waiting = 'container "app" in pod "wt-back" is waiting to start: ContainerCreating';
    fx.sim.failRequests(/pods\/wt-back\/log/, 400, waiting);
    fx.sim.setContainerState(ref, { waiting: { reason: 'ContainerCreating' } });
    // as many failed reads as a running container is given (1 s, then 2 s of backoff): still retried
    await k.waitFor((x) => x.notices(/^! wt-back › app: .*waiting to start/).length >= 3, 'retries while it waits');
    expect(k.stderr).not.toContain('ktail: wt-back/app');
    expect(k.stderr).not.toContain('not retried');
    fx.sim.clearRequestFaults();
    fx.sim.startContainer(ref);
    fx.sim.writeLines(ref, ['second run']);
    await k.waitFor((x) => x.source('wt-back', 'app').includes('second run'), "the new instance's lines");
    expect(k.source('wt-back', 'app')).toEqual(['first run', 'second run']);
  });

  it('400 "waiting to start" just after the API says the container runs (the kubelet a moment behind): quiet retries, then its lines', async () => {
    const ref = { pod: 'wt-late', container: 'app' };
    fx.sim.createPod({ name: 'wt-late', containers: [{ name: 'app', state: 'waiting' }] });
    const k = ktail(fx, ['^wt-late$', '--verbose']);
    await k.waitFor((x) => x.stderr.includes('ktail: nothing matches'), 'ktail watching');
    fx.sim.failRequests(/pods\/wt-late\/log/, 400, 'container "app" in pod "wt-late" is waiting to start: ContainerCreating', { count: 2 });
    fx.sim.startContainer(ref);
    fx.sim.writeLines(ref, ['hello']);
    await k.waitFor((x) => x.source('wt-late', 'app').includes('hello'), 'its lines');
    expect(k.notices(/wt-late.*waiting to start.*; resuming$/)).toHaveLength(2); // said with --verbose only
    expect(k.notices(/^! |^- |not retried/)).toEqual([]);
  });

  it('a 400 that persists on a running container: given up after 3 tries, said once', async () => {
    const ref = { pod: 'bad-req', container: 'app' };
    fx.sim.createPod({ name: 'bad-req', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'bad-ok', containers: [{ name: 'app' }] });
    fx.sim.failRequests(/pods\/bad-req\/log/, 400, 'container app is not valid for pod bad-req');
    fx.sim.writeLines(ref, ['never shown']);
    const k = ktail(fx, ['^bad-']);
    await k.waitFor((x) => x.stderr.includes('- bad-req › app (not retried)'), 'the source given up', 10_000);
    expect(k.notices(/not valid/)).toEqual(['ktail: bad-req/app: container app is not valid for pod bad-req']);
    expect(k.notices(/^! /)).toEqual([]);
    fx.sim.writeLines({ pod: 'bad-ok', container: 'app' }, ['still here']);
    await k.waitFor((x) => x.source('bad-ok', 'app').includes('still here'), 'the other pod');
    expect(k.source('bad-req', 'app')).toEqual([]);
  });
});

describe('a throttling API server (429 with Retry-After)', () => {
  it('a storm of 429s on the log requests is waited out as Retry-After says: every line, no notice, no failure', async () => {
    fx.sim.createPod({ name: 'thr', containers: [{ name: 'a' }, { name: 'b' }] });
    for (const c of ['a', 'b']) fx.sim.writeLines({ pod: 'thr', container: c }, [`${c}-1`, `${c}-2`]);
    fx.sim.failRequests(/pods\/thr\/log/, 429, 'Too many requests, please try again later.', { count: 6, retryAfterSeconds: 1 });
    const k = ktail(fx, ['^thr$']);
    await k.waitFor((x) => x.lines.filter((l) => l.startsWith('thr ')).length === 4, 'the lines after the storm', 15_000);
    fx.sim.writeLines({ pod: 'thr', container: 'a' }, ['a-3']);
    await k.waitFor((x) => x.lines.includes('thr a a-3'), 'a line after');
    expect(k.lines.filter((l) => l.startsWith('thr ')).sort()).toEqual(['thr a a-1', 'thr a a-2', 'thr a a-3', 'thr b b-1', 'thr b b-2']);
    expect(k.stderr).not.toMatch(/^! thr/m);
    await k.stop();
  }, 20_000);
});

describe('a 429 storm on every list, watch and log request (API Priority and Fairness)', () => {
  it('is waited out per Retry-After, at start and while following: every line once, no failure', async () => {
    const own = await sim();
    const pods = ['storm-a', 'storm-b'];
    for (const pod of pods) {
      own.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
      own.sim.writeLines({ pod, container: 'app' }, [`${pod} 0`, `${pod} 1`]);
    }
    // every API request for 3 s: the first list, the watch, every log request
    own.sim.failRequests(/^\/api\/v1\//, 429, 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    const k = ktail(own, ['^storm-']);
    await sleep(1500);
    for (const pod of pods) own.sim.writeLines({ pod, container: 'app' }, [`${pod} 2`]);
    await sleep(1500);
    // every request so far was answered 429: the first list, asked again each second
    const throttled = own.sim.counters.requests;
    expect(own.sim.counters.requestsByKind.list ?? 0).toBe(0);
    own.sim.clearRequestFaults();
    await k.waitFor((x) => pods.every((p) => x.source(p, 'app').length >= 3), 'the lines after the storm', 15_000);
    // and while following: another storm, on the log streams cut meanwhile
    own.sim.failRequests(/^\/api\/v1\//, 429, 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    own.sim.cutLogStreams();
    for (const pod of pods) own.sim.writeLines({ pod, container: 'app' }, [`${pod} 3`]);
    await sleep(2500);
    own.sim.clearRequestFaults();
    for (const pod of pods) own.sim.writeLines({ pod, container: 'app' }, [`${pod} 4`]);
    await k.waitFor((x) => pods.every((p) => x.source(p, 'app').length >= 5), 'every line', 15_000);
    await sleep(300);
    const exit = await k.stop();
    expect(exit.code).toBe(130);
    for (const pod of pods) expect(k.source(pod, 'app')).toEqual([0, 1, 2, 3, 4].map((i) => `${pod} ${i}`));
    expect(throttled).toBeGreaterThanOrEqual(2); // asked again after the wait
    // a 1 s wait is no trouble worth a word; nothing ended
    expect(k.notices(/^[!-] /)).toEqual([]);
    expect(k.notices(/failed|error/i)).toEqual([]);
  }, 40_000);
});
