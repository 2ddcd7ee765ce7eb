/** The simulated cluster's Events: what its components record, and both APIs that serve them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { events, get, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

beforeEach(async () => {
  sim = await SimCluster.start({ historySize: 30 });
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

async function watch(path: string): Promise<Reader> {
  const r = await open(sim, path);
  readers.push(r);
  return r;
}

const reasons = (items: { reason: string }[]): string[] => items.map((e) => e.reason);
const CORE = '/api/v1/namespaces/default/events';
const NEW = '/apis/events.k8s.io/v1/namespaces/default/events';

describe('Events recorded by the components', () => {
  it("a pod's life: Scheduled, then Pulled, Created, Started per container; Killing on delete", async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    await sim.deletePod('default', 'a');
    const list = (await get(sim, `${CORE}?fieldSelector=involvedObject.name=a`)).json;
    expect(list).toMatchObject({ kind: 'EventList', apiVersion: 'v1' });
    expect(reasons(list.items).sort()).toEqual(['Created', 'Killing', 'Pulled', 'Scheduled', 'Started']);
    const started = list.items.find((e: { reason: string }) => e.reason === 'Started');
    expect(started).toMatchObject({
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'a', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
      source: { component: 'kubelet', host: 'sim-node-1' },
      type: 'Normal',
      count: 1,
      eventTime: null,
      reportingComponent: 'kubelet',
    });
  });

  it('warnings: FailedScheduling (a series), image pull failures, BackOff, Unhealthy; a repeat counts on the same Event', async () => {
    sim.createPod({ name: 'pending', nodeName: null, containers: [{ name: 'app', state: 'waiting' }] });
    sim.emitFailedScheduling('default', 'pending');
    sim.createPod({ name: 'img', containers: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull' } } }] });
    sim.setContainerState({ pod: 'img', container: 'app' }, { waiting: { reason: 'ImagePullBackOff' } });
    sim.createPod({ name: 'crash', containers: [{ name: 'app' }] });
    sim.setContainerState({ pod: 'crash', container: 'app' }, { waiting: { reason: 'CrashLoopBackOff' } });
    sim.failProbe({ pod: 'crash', container: 'app' }, 'Liveness');
    sim.failProbe({ pod: 'crash', container: 'app' }, 'Liveness');
    const warnings = (await get(sim, `${CORE}?fieldSelector=type=Warning`)).json.items as Record<string, any>[];
    const byKey = Object.fromEntries(warnings.map((e) => [`${e.involvedObject.name} ${e.reason} ${e.message}`, e]));
    expect(Object.keys(byKey).sort()).toEqual(
      [
        `crash BackOff ${String(warnings.find((e) => e.reason === 'BackOff')!.message)}`,
        'crash Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 503',
        'img Failed Error: ErrImagePull',
        'img Failed Error: ImagePullBackOff',
        'img Failed Failed to pull image "registry.local/app:1.0": rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/app:1.0": not found',
        `pending FailedScheduling ${String(warnings.find((e) => e.reason === 'FailedScheduling')!.message)}`,
      ].sort(),
    );
    expect(byKey['crash Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 503']).toMatchObject({ count: 2 });
    const scheduling = warnings.find((e) => e.reason === 'FailedScheduling')!;
    expect(scheduling).toMatchObject({
      series: { count: 2 },
      firstTimestamp: null,
      reportingComponent: 'default-scheduler',
      action: 'Scheduling',
    });
    expect(scheduling.count).toBeUndefined();
    expect(scheduling.message).toMatch(/^0\/2 nodes are available: /);
  });

  it('controllers: ScalingReplicaSet on the Deployment, SuccessfulCreate on the ReplicaSet, StatefulSet and Job', async () => {
    const dep = sim.createDeployment({ name: 'web', replicas: 2 });
    sim.createStatefulSet({ name: 'db', replicas: 1 });
    sim.createJob({ name: 'migrate' });
    const all = (await get(sim, CORE)).json.items as Record<string, any>[];
    const on = (kind: string) => all.filter((e) => e.involvedObject.kind === kind).map((e) => `${e.reason}: ${e.message}`);
    expect(on('Deployment')).toEqual([`ScalingReplicaSet: Scaled up replica set ${dep.child!.name} from 0 to 2`]);
    expect(on('ReplicaSet').sort()).toEqual(dep.pods.map((p) => `SuccessfulCreate: Created pod: ${p.name}`).sort());
    expect(on('StatefulSet')).toEqual(['SuccessfulCreate: create Pod db-0 in StatefulSet db successful']);
    expect(on('Job')).toEqual([expect.stringMatching(/^SuccessfulCreate: Created pod: migrate-/)]);
  });
});

describe('served by core/v1 and events.k8s.io/v1', () => {
  it('events.k8s.io/v1 serves the same Events renamed, with its own field names', async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    sim.failProbe({ pod: 'a', container: 'app' });
    sim.failProbe({ pod: 'a', container: 'app' });
    const core = (await get(sim, `${CORE}?fieldSelector=involvedObject.name=a,type=Warning`)).json.items;
    const v1 = (await get(sim, `${NEW}?fieldSelector=regarding.name=a,type=Warning`)).json;
    expect(v1).toMatchObject({ kind: 'EventList', apiVersion: 'events.k8s.io/v1' });
    expect(v1.items).toHaveLength(1);
    expect(v1.items[0]).toEqual({
      metadata: core[0].metadata,
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: 'sim-node-1',
      reason: 'Unhealthy',
      regarding: core[0].involvedObject,
      note: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      type: 'Warning',
      deprecatedSource: { component: 'kubelet', host: 'sim-node-1' },
      deprecatedFirstTimestamp: core[0].firstTimestamp,
      deprecatedLastTimestamp: core[0].lastTimestamp,
      deprecatedCount: 2,
    });
    // each API refuses the other's field names, as the real server does
    expect((await get(sim, `${NEW}?fieldSelector=involvedObject.name=a`)).status).toBe(400);
    expect((await get(sim, `${CORE}?fieldSelector=regarding.name=a`)).status).toBe(400);
  });

  it.each([
    ['core/v1', CORE, 'involvedObject.name'],
    ['events.k8s.io/v1', NEW, 'regarding.name'],
  ])('%s: a watch from a resourceVersion gets the later Events, and a count update as MODIFIED', async (_name, path, nameField) => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const rv = sim.resourceVersion;
    const r = await watch(`${path}?watch=1&resourceVersion=${rv}&fieldSelector=${nameField}=a,type=Warning`);
    sim.failProbe({ pod: 'a', container: 'app' });
    sim.failProbe({ pod: 'a', container: 'app' });
    sim.emitEvent({ regarding: { kind: 'Pod', name: 'b' }, type: 'Warning', reason: 'Other', message: 'not a', component: 'kubelet' });
    await r.waitForLines(2);
    const seen = events(r);
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    const count = (o: any) => o.count ?? o.deprecatedCount;
    expect(seen.map((e) => count(e.object))).toEqual([1, 2]);
  });

  it("Events keep a watch history of their own: a kubelet's chatter does not expire a pod watch", async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    const podRv = sim.resourceVersion;
    for (let i = 0; i < 40; i++)
      sim.emitEvent({ regarding: { kind: 'Pod', name: 'a' }, type: 'Normal', reason: `R${i}`, message: 'm', component: 'kubelet' });
    const pods = await watch(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${podRv}`);
    sim.labelPod('default', 'a', { x: '1' });
    await pods.waitForLines(1);
    expect(events(pods)[0]).toMatchObject({ type: 'MODIFIED' });
    const ev = await watch(`${CORE}?watch=1&resourceVersion=${podRv}`);
    expect(await ev.ended).toBe('end');
    expect(events(ev)[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('a cluster without events.k8s.io: absent from discovery, its paths 404, core/v1 serves', async () => {
    const old = await SimCluster.start({ eventsApi: false });
    try {
      expect((await get(old, '/apis')).json.groups.map((g: { name: string }) => g.name)).toEqual(['apps', 'batch', 'networking.k8s.io']);
      expect((await get(old, '/apis/events.k8s.io/v1')).status).toBe(404);
      expect((await get(old, NEW)).status).toBe(404);
      expect((await get(old, CORE)).status).toBe(200);
    } finally {
      await old.close();
    }
  });

  it('kubectl get events: its table columns', async () => {
    sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
    sim.failProbe({ pod: 'a', container: 'app' });
    const t = (
      await get(sim, `${CORE}?fieldSelector=type=Warning`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })
    ).json;
    expect(t.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject',
      'Source',
      'Message',
      'First Seen',
      'Count',
      'Name',
    ]);
    expect(t.rows[0].cells.slice(1, 9)).toEqual([
      'Warning',
      'Unhealthy',
      'pod/a',
      'spec.containers{app}',
      'kubelet, sim-node-1',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
      expect.stringMatching(/^\d+s$/),
      '1',
    ]);
  });
});
