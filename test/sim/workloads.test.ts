import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { events, get, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

beforeEach(async () => {
  sim = await SimCluster.start();
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

const owner = (o: any) => o.metadata.ownerReferences?.[0];

describe('workloads', () => {
  it('a deployment owns a replicaset that owns pods named like real ones', async () => {
    const d = sim.createDeployment({
      namespace: 'shop',
      name: 'web',
      replicas: 3,
      labels: { app: 'web' },
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    });
    expect(d.pods).toHaveLength(3);
    const rsName = d.child!.name;
    expect(rsName).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{9,10}$/);
    for (const p of d.pods) expect(p.name).toMatch(new RegExp(`^${rsName}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    const dep = (await get(sim, '/apis/apps/v1/namespaces/shop/deployments/web')).json;
    expect(dep.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    const rs = (await get(sim, `/apis/apps/v1/namespaces/shop/replicasets/${rsName}`)).json;
    expect(owner(rs)).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: dep.metadata.uid, controller: true });
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    const pod = sim.getPod('shop', d.pods[0]!.name)!;
    expect(owner(pod)).toMatchObject({ kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid });
    expect(pod.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(pod.spec.containers[0].image).toBe('nginx:1.27');
    // the deployment's selector finds its pods over the API
    const list = (await get(sim, '/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb')).json;
    expect(list.items).toHaveLength(3);
  });

  it('rolloutDeployment: a new replicaset and pods, the old pods deleted', async () => {
    const d = sim.createDeployment({ name: 'web', replicas: 2 });
    const w = await open(sim, '/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb');
    readers.push(w);
    await w.waitForLines(2);
    const r = await sim.rolloutDeployment('default', 'web', { containers: [{ name: 'web', image: 'registry.local/web:2.0' }] });
    expect(r.child!.name).not.toBe(d.child!.name);
    const names = sim
      .listPods('default')
      .map((p) => p.metadata.name)
      .sort();
    expect(names).toEqual(r.pods.map((p) => p.name).sort());
    await w.waitForLines(6);
    const types = events(w)
      .slice(2)
      .map((e) => `${e.type} ${r.pods.some((p) => p.name === e.object.metadata.name) ? 'new' : 'old'}`);
    expect(types).toEqual(['ADDED new', 'ADDED new', 'DELETED old', 'DELETED old']);
    const oldRs = sim.getObject('replicasets', 'default', d.child!.name)!;
    expect((oldRs.spec as any).replicas).toBe(0);
    const dep = sim.getObject('deployments', 'default', 'web')!;
    expect(dep.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('statefulset pods are name-0..n-1; daemonset has one pod per node', () => {
    const s = sim.createStatefulSet({ name: 'db', replicas: 2 });
    expect(s.pods.map((p) => p.name)).toEqual(['db-0', 'db-1']);
    expect(owner(sim.getPod('default', 'db-1'))).toMatchObject({ kind: 'StatefulSet', name: 'db' });
    sim.createNode('sim-node-3');
    const ds = sim.createDaemonSet({ namespace: 'kube-system', name: 'agent' });
    expect(ds.pods).toHaveLength(3);
    const nodes = ds.pods.map((p) => sim.getPod('kube-system', p.name)!.spec.nodeName).sort();
    expect(nodes).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    expect(owner(sim.getPod('kube-system', ds.pods[0]!.name))).toMatchObject({ kind: 'DaemonSet', name: 'agent' });
  });

  it('a job selects its pods by controller-uid; a cronjob owns the jobs it spawns', async () => {
    const j = sim.createJob({ name: 'migrate' });
    const job = (await get(sim, '/apis/batch/v1/namespaces/default/jobs/migrate')).json;
    expect(job.spec.selector.matchLabels).toEqual({ 'batch.kubernetes.io/controller-uid': job.metadata.uid });
    const pod = sim.getPod('default', j.pods[0]!.name)!;
    expect(pod.metadata.labels!['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(owner(pod)).toMatchObject({ kind: 'Job', name: 'migrate' });

    sim.createCronJob({ name: 'report', schedule: '0 * * * *' });
    const t = sim.triggerCronJob('default', 'report');
    const spawned = sim.getObject('jobs', 'default', t.child!.name)!;
    expect(t.child!.name).toMatch(/^report-\d+$/);
    expect(owner(spawned)).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report' });
    expect(owner(sim.getPod('default', t.pods[0]!.name))).toMatchObject({ kind: 'Job', name: t.child!.name });
    const cj = (await get(sim, '/apis/batch/v1/namespaces/default/cronjobs/report')).json;
    expect(cj.status.active[0].name).toBe(t.child!.name);
  });

  it('services carry a plain selector map; replication controllers own their pods', async () => {
    sim.createService({ name: 'web', selector: { app: 'web' } });
    const svc = (await get(sim, '/api/v1/namespaces/default/services/web')).json;
    expect(svc.spec.selector).toEqual({ app: 'web' });
    const rc = sim.createReplicationController({ name: 'old', replicas: 2, labels: { app: 'old' } });
    expect(rc.pods).toHaveLength(2);
    const obj = (await get(sim, '/api/v1/namespaces/default/replicationcontrollers/old')).json;
    expect(obj.spec.selector).toEqual({ app: 'old' });
    expect(owner(sim.getPod('default', rc.pods[0]!.name))).toMatchObject({ apiVersion: 'v1', kind: 'ReplicationController', name: 'old' });
  });

  it('lists every kind with its List kind', async () => {
    sim.createDeployment({ name: 'web' });
    for (const [path, kind] of [
      ['/apis/apps/v1/deployments', 'DeploymentList'],
      ['/apis/apps/v1/namespaces/default/replicasets', 'ReplicaSetList'],
      ['/apis/apps/v1/statefulsets', 'StatefulSetList'],
      ['/apis/apps/v1/daemonsets', 'DaemonSetList'],
      ['/apis/batch/v1/jobs', 'JobList'],
      ['/apis/batch/v1/cronjobs', 'CronJobList'],
      ['/api/v1/services', 'ServiceList'],
      ['/api/v1/replicationcontrollers', 'ReplicationControllerList'],
    ] as const) {
      const r = (await get(sim, path)).json;
      expect(r.kind).toBe(kind);
    }
    expect((await get(sim, '/apis/apps/v1/namespaces/default/deployments/nope')).json.message).toBe('deployments.apps "nope" not found');
  });

  it('a Job is completed or failed as the controller does: its pods end first, then its conditions', async () => {
    const ok = sim.createJob({ name: 'ok', containers: [{ name: 'task' }] });
    const bad = sim.createJob({ name: 'bad', parallelism: 2, containers: [{ name: 'task' }] });
    sim.completeJob('default', 'ok');
    sim.failJob('default', 'bad', { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', exitCode: 137 });
    const okJob = (await get(sim, '/apis/batch/v1/namespaces/default/jobs/ok')).json;
    expect(okJob.status).toMatchObject({ active: 0, succeeded: 1 });
    expect(okJob.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ['SuccessCriteriaMet', 'True'],
      ['Complete', 'True'],
    ]);
    expect(sim.getPod('default', ok.pods[0]!.name)!.status.containerStatuses![0]!.state).toMatchObject({ terminated: { exitCode: 0 } });
    const badJob = (await get(sim, '/apis/batch/v1/namespaces/default/jobs/bad')).json;
    expect(badJob.status).toMatchObject({ active: 0, failed: 2 });
    expect(badJob.status.conditions.map((c: any) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ]);
    for (const p of bad.pods)
      expect(sim.getPod('default', p.name)!.status.containerStatuses![0]!.state).toMatchObject({ terminated: { exitCode: 137 } });
  });
});
