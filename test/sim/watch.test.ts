import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { until } from '../helpers/wait.js';
import { events, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

async function watch(path: string, h2 = false): Promise<Reader> {
  const r = await open(sim, path, { h2 });
  readers.push(r);
  return r;
}

beforeEach(async () => {
  sim = await SimCluster.start({ historySize: 50, bookmarkIntervalMs: 50 });
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

const ref = (pod: string) => ({ pod, container: 'app' });
const summary = (r: Reader) => events(r).map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`.trim());

describe('watch', () => {
  it.each([false, true])('streams synthetic ADDED, then ADDED/MODIFIED/DELETED with increasing resourceVersions (h2=%s)', async (h2) => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const r = await watch('/api/v1/namespaces/default/pods?watch=true', h2);
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toBe('application/json');
    await r.waitForLines(1);
    sim.createPod({ name: 'b', containers: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] });
    sim.startContainer(ref('b'));
    await sim.deletePod('default', 'a');
    await r.waitForLines(4);
    expect(summary(r)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED a']);
    const evs = events(r);
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs.slice(1)).toEqual([...rvs.slice(1)].sort((x, y) => x - y));
    expect(evs[0]!.object.kind).toBe('Pod');
    expect(evs[2]!.object.status.containerStatuses[0].state.running).toBeDefined();
  });

  it.each(['', '&timeoutSeconds=0'])(
    "a watch that asks no timeout (%s) ends after kube-apiserver's --min-request-timeout, randomised between it and twice it",
    async (q) => {
      const short = await SimCluster.start({ minRequestTimeoutSeconds: 0.3 });
      try {
        const t0 = Date.now();
        const r = await open(short, `/api/v1/namespaces/default/pods?watch=true${q}`);
        expect(await r.ended).toBe('end');
        const took = Date.now() - t0;
        expect(took).toBeGreaterThanOrEqual(290);
        expect(took).toBeLessThan(1000);
        r.close();
      } finally {
        await short.close();
      }
    },
  );

  it("the client's own timeoutSeconds wins over --min-request-timeout", async () => {
    const short = await SimCluster.start({ minRequestTimeoutSeconds: 30 });
    try {
      const t0 = Date.now();
      const r = await open(short, '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1');
      expect(await r.ended).toBe('end');
      expect(Date.now() - t0).toBeLessThan(2000);
      r.close();
    } finally {
      await short.close();
    }
  });

  it('watch=1 and "0" resourceVersion start with the current objects', async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const r = await watch('/api/v1/pods?watch=1&resourceVersion=0');
    await r.waitForLines(1);
    expect(summary(r)).toEqual(['ADDED a']);
  });

  it('resumes from a resourceVersion with only the later events', async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const rv = sim.resourceVersion;
    sim.createPod({ name: 'b', containers: [{ name: 'app' }] });
    sim.labelPod('default', 'a', { x: '1' });
    const r = await watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`);
    await r.waitForLines(2);
    expect(summary(r)).toEqual(['ADDED b', 'MODIFIED a']);
    expect(Number(events(r)[0]!.object.metadata.resourceVersion)).toBe(Number(rv) + 1);
  });

  it('410 Expired ERROR event for a resourceVersion older than the history, then ends', async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const old = sim.resourceVersion;
    for (let i = 0; i < 60; i++) sim.labelPod('default', 'a', { i: String(i) });
    const r = await watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${old}`);
    expect(await r.ended).toBe('end');
    const [e] = events(r);
    expect(e!.type).toBe('ERROR');
    expect(e!.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(e!.object.message).toMatch(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  it('expireNextWatch: the next watch gets 410 whatever its resourceVersion', async () => {
    sim.expireNextWatch();
    const r = await watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${sim.resourceVersion}`);
    expect(await r.ended).toBe('end');
    expect(events(r)[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    const next = await watch('/api/v1/namespaces/default/pods?watch=true');
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    await next.waitForLines(1);
    expect(summary(next)).toEqual(['ADDED a']);
  });

  it('filters events by label selector: a pod that stops matching is DELETED, one that starts is ADDED', async () => {
    sim.createPod({ name: 'a', labels: { app: 'web' }, containers: [{ name: 'app' }] });
    sim.createPod({ name: 'b', labels: { app: 'db' }, containers: [{ name: 'app' }] });
    const r = await watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb');
    await r.waitForLines(1);
    sim.labelPod('default', 'a', { app: 'other' });
    sim.labelPod('default', 'b', { app: 'web' });
    sim.restartContainer({ pod: 'b', container: 'app' });
    await r.waitForLines(4);
    expect(summary(r)).toEqual(['ADDED a', 'DELETED a', 'ADDED b', 'MODIFIED b']);
  });

  it('filters by field selector (spec.nodeName)', async () => {
    const r = await watch('/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsim-node-2');
    sim.createPod({ name: 'a', nodeName: 'sim-node-1', containers: [{ name: 'app' }] });
    sim.createPod({ name: 'b', nodeName: 'sim-node-2', containers: [{ name: 'app' }] });
    await r.waitForLines(1);
    expect(summary(r)).toEqual(['ADDED b']);
  });

  it('sends BOOKMARK events with the current resourceVersion when allowed', async () => {
    const r = await watch('/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=true');
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    await r.waitFor(() => events(r).some((e) => e.type === 'BOOKMARK'));
    const bm = events(r).find((e) => e.type === 'BOOKMARK')!;
    expect(bm.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: sim.resourceVersion } });
    const plain = await watch('/api/v1/namespaces/default/pods?watch=true');
    await r.waitFor(() => events(r).filter((e) => e.type === 'BOOKMARK').length >= 3);
    expect(events(plain).some((e) => e.type === 'BOOKMARK')).toBe(false);
  });

  it('ends cleanly after timeoutSeconds', async () => {
    const start = Date.now();
    const r = await watch('/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1');
    expect(await r.ended).toBe('end');
    expect(Date.now() - start).toBeGreaterThanOrEqual(900);
  });

  it('watches other resources too (deployments)', async () => {
    const r = await watch('/apis/apps/v1/namespaces/default/deployments?watch=true');
    sim.createDeployment({ name: 'web', replicas: 1 });
    await r.waitForLines(1);
    expect(events(r)[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Deployment', metadata: { name: 'web' } } });
  });

  it('counts watches', async () => {
    const r = await watch('/api/v1/pods?watch=true');
    await until(() => sim.counters.watchesOpen === 1, 'one watch open');
    expect(sim.counters.watchesOpened).toBe(1);
    r.close();
    await until(() => sim.counters.watchesOpen === 0, 'no watch open');
  });
});
