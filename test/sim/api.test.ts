import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster, caCert } from '../../src/sim/index.js';
import { get, open } from './helpers.js';

let sim: SimCluster;

beforeAll(async () => {
  sim = await SimCluster.start({ forbiddenNamespaces: ['payments'], tokens: ['extra-token'] });
  sim.createPod({
    name: 'web-1',
    labels: { app: 'web', tier: 'front', env: 'prod' },
    nodeName: 'sim-node-1',
    containers: [{ name: 'app' }],
  });
  sim.createPod({
    name: 'web-2',
    labels: { app: 'web', tier: 'front', env: 'staging' },
    nodeName: 'sim-node-2',
    containers: [{ name: 'app' }],
  });
  sim.createPod({ name: 'api-1', labels: { app: 'api', env: 'prod' }, nodeName: 'sim-node-1', containers: [{ name: 'app' }] });
  sim.createPod({
    name: 'db-0',
    labels: { app: 'db' },
    nodeName: 'sim-node-2',
    containers: [{ name: 'pg', state: { waiting: { reason: 'ContainerCreating' } } }],
  });
  sim.createPod({ namespace: 'shop', name: 'cart-1', labels: { app: 'cart' }, containers: [{ name: 'app' }] });
  sim.createPod({ namespace: 'payments', name: 'pay-1', labels: { app: 'pay' }, containers: [{ name: 'app' }] });
});
afterAll(async () => {
  await sim.close();
});

const names = (list: any) => (list.items as any[]).map((i) => i.metadata.name);

describe('authentication', () => {
  it('401 Status without a token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const r = await get(sim, '/api/v1/namespaces/default/pods', { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('accepts extra tokens and setTokens rotates them', async () => {
    expect((await get(sim, '/version', { token: 'extra-token' })).status).toBe(200);
    sim.setTokens(['rotated']);
    try {
      expect((await get(sim, '/version')).status).toBe(401);
      expect((await get(sim, '/version', { token: 'rotated' })).status).toBe(200);
    } finally {
      sim.setTokens([sim.token, 'extra-token']);
    }
  });
});

describe('discovery', () => {
  it('serves /version, /api, /api/v1, /apis and the apps, batch, events.k8s.io and networking.k8s.io groups', async () => {
    expect((await get(sim, '/version')).json.gitVersion).toMatch(/^v1\.32\./);
    expect((await get(sim, '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = (await get(sim, '/api/v1')).json;
    expect(v1.kind).toBe('APIResourceList');
    expect(v1.resources.map((r: any) => r.name)).toEqual(
      expect.arrayContaining(['pods', 'pods/log', 'namespaces', 'nodes', 'services', 'replicationcontrollers', 'events']),
    );
    const apis = (await get(sim, '/apis')).json;
    expect(apis.groups.map((g: any) => g.name)).toEqual(['apps', 'batch', 'events.k8s.io', 'networking.k8s.io']);
    const events = (await get(sim, '/apis/events.k8s.io/v1')).json;
    expect(events.resources.map((r: any) => r.name)).toEqual(['events']);
    const apps = (await get(sim, '/apis/apps/v1')).json;
    expect(apps.resources.map((r: any) => r.name)).toEqual(['deployments', 'replicasets', 'statefulsets', 'daemonsets']);
    const batch = (await get(sim, '/apis/batch/v1')).json;
    expect(batch.resources.map((r: any) => r.name)).toEqual(['jobs', 'cronjobs']);
    const networking = (await get(sim, '/apis/networking.k8s.io/v1')).json;
    expect(networking.resources.map((r: any) => r.name)).toEqual(['ingresses']);
  });

  it('404 for openapi and unknown paths', async () => {
    expect((await get(sim, '/openapi/v2')).status).toBe(404);
    expect((await get(sim, '/apis/nope/v1')).status).toBe(404);
    expect((await get(sim, '/api/v1/namespaces/default/widgets')).status).toBe(404);
  });
});

describe('list and get', () => {
  it('lists pods in a namespace and across namespaces, with list metadata', async () => {
    const r = (await get(sim, '/api/v1/namespaces/default/pods')).json;
    expect(r.kind).toBe('PodList');
    expect(r.apiVersion).toBe('v1');
    expect(Number(r.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(names(r)).toEqual(['api-1', 'db-0', 'web-1', 'web-2']);
    expect(r.items[0].kind).toBeUndefined(); // list items carry no kind, as in the real server
  });

  it('gets one pod, 404 Status for a missing one', async () => {
    const pod = (await get(sim, '/api/v1/namespaces/default/pods/web-1')).json;
    expect(pod).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
      spec: { nodeName: 'sim-node-1' },
    });
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses[0].containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    const missing = await get(sim, '/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "nope" not found',
      code: 404,
      details: { name: 'nope', kind: 'pods' },
    });
  });

  it('lists and gets namespaces and nodes', async () => {
    expect(names((await get(sim, '/api/v1/namespaces')).json)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'shop', 'payments']),
    );
    expect(names((await get(sim, '/api/v1/nodes')).json)).toEqual(['sim-node-1', 'sim-node-2']);
    expect((await get(sim, '/api/v1/nodes/sim-node-1')).json.kind).toBe('Node');
    expect((await get(sim, '/api/v1/namespaces/shop')).json.status.phase).toBe('Active');
  });

  it.each([
    ['app=web', ['web-1', 'web-2']],
    ['app==web', ['web-1', 'web-2']],
    ['app!=web', ['api-1', 'db-0']],
    ['app in (web,api)', ['api-1', 'web-1', 'web-2']],
    ['app notin (web,api)', ['db-0']],
    ['env', ['api-1', 'web-1', 'web-2']],
    ['!env', ['db-0']],
    ['app=web,env=prod', ['web-1']],
    ['tier=front,env notin (prod)', ['web-2']],
  ])('label selector %s', async (sel, expected) => {
    const r = (await get(sim, `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(sel)}`)).json;
    expect(names(r)).toEqual(expected);
  });

  it('400 for a malformed label selector', async () => {
    const r = await get(sim, `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent('app in (web')}`);
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/unable to parse requirement/);
  });

  it.each([
    ['metadata.name=web-1', ['web-1']],
    ['metadata.name==web-1', ['web-1']],
    ['metadata.name!=web-1', ['api-1', 'db-0', 'web-2']],
    ['spec.nodeName=sim-node-2', ['db-0', 'web-2']],
    ['status.phase=Pending', ['db-0']],
    ['status.phase!=Pending,spec.nodeName=sim-node-1', ['api-1', 'web-1']],
    ['metadata.namespace=default,metadata.name=api-1', ['api-1']],
  ])('field selector %s', async (sel, expected) => {
    const r = (await get(sim, `/api/v1/namespaces/default/pods?fieldSelector=${encodeURIComponent(sel)}`)).json;
    expect(names(r)).toEqual(expected);
  });

  it('400 Status for an unsupported field', async () => {
    const r = await get(sim, `/api/v1/namespaces/default/pods?fieldSelector=${encodeURIComponent('spec.foo=bar')}`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.foo', code: 400 });
  });

  it('serves a Table to kubectl-style Accept headers', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const t = (await get(sim, '/api/v1/namespaces/default/pods', { headers: { accept } })).json;
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c: any) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(t.rows.find((r: any) => r.cells[0] === 'db-0').cells.slice(1, 4)).toEqual(['0/1', 'ContainerCreating', '0']);
  });
});

describe('authorization', () => {
  it('403 with the real message for a forbidden namespace (list, watch, get, log)', async () => {
    const list = await get(sim, '/api/v1/namespaces/payments/pods');
    expect(list.status).toBe(403);
    expect(list.json).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "payments"',
    });
    const w = await get(sim, '/api/v1/namespaces/payments/pods?watch=true');
    expect(w.json.message).toBe('pods is forbidden: User "dev" cannot watch resource "pods" in API group "" in the namespace "payments"');
    const one = await get(sim, '/api/v1/namespaces/payments/pods/pay-1');
    expect(one.json.message).toBe(
      'pods "pay-1" is forbidden: User "dev" cannot get resource "pods" in API group "" in the namespace "payments"',
    );
    const log = await get(sim, '/api/v1/namespaces/payments/pods/pay-1/log');
    expect(log.status).toBe(403);
    expect(log.json.message).toBe(
      'pods "pay-1" is forbidden: User "dev" cannot get resource "pods/log" in API group "" in the namespace "payments"',
    );
    const deploys = await get(sim, '/apis/apps/v1/namespaces/payments/deployments');
    expect(deploys.json.message).toBe(
      'deployments.apps is forbidden: User "dev" cannot list resource "deployments" in API group "apps" in the namespace "payments"',
    );
  });

  it('403 at the cluster scope for a cluster-wide list when some namespaces are forbidden', async () => {
    const r = await get(sim, '/api/v1/pods');
    expect(r.status).toBe(403);
    expect(r.json.message).toBe('pods is forbidden: User "dev" cannot list resource "pods" in API group "" at the cluster scope');
  });

  it('cluster-wide lists work without forbidden namespaces', async () => {
    const open = await SimCluster.start();
    try {
      open.createPod({ namespace: 'shop', name: 'x', containers: [{ name: 'c' }] });
      open.createPod({ name: 'y', containers: [{ name: 'c' }] });
      const r = (await get(open, '/api/v1/pods')).json;
      expect(r.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/y', 'shop/x']);
    } finally {
      await open.close();
    }
  });
});

describe('transport', () => {
  it('speaks HTTP/2 (ALPN h2) as well as HTTP/1.1', async () => {
    const r = await open(sim, '/api/v1/namespaces/default/pods/web-1', { h2: true });
    await r.ended;
    expect(r.status).toBe(200);
    expect(r.json().metadata.name).toBe('web-1');
  });

  it("advertises kube-apiserver's concurrent stream limit (250, Go's default) in its SETTINGS", async () => {
    const session = http2.connect(sim.url, { ca: caCert });
    try {
      await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
      expect(session.remoteSettings.maxConcurrentStreams).toBe(250);
    } finally {
      session.close();
    }
  });

  it('http2: false serves HTTP/1.1 only', async () => {
    const h1 = await SimCluster.start({ http2: false });
    try {
      expect((await get(h1, '/version')).status).toBe(200);
      await expect(open(h1, '/version', { h2: true })).rejects.toThrow();
    } finally {
      await h1.close();
    }
  });
});

describe('kubeconfig', () => {
  it('has the sim and sim-shop contexts, CA data and token, plus extra contexts', () => {
    const kc = JSON.parse(
      sim.kubeconfig({
        contexts: [
          { name: 'down', server: 'https://127.0.0.1:1' },
          { name: 'badtoken', token: 'nope', namespace: 'shop' },
          { name: 'exec', exec: { command: 'my-plugin', args: ['token'] } },
          { name: 'insecure', insecureSkipTlsVerify: true },
        ],
      }),
    );
    expect(kc['current-context']).toBe('sim');
    const ctx = Object.fromEntries(kc.contexts.map((c: any) => [c.name, c.context]));
    expect(ctx.sim).toEqual({ cluster: 'sim', user: 'sim-user', namespace: 'default' });
    expect(ctx['sim-shop']).toEqual({ cluster: 'sim', user: 'sim-user', namespace: 'shop' });
    const clusters = Object.fromEntries(kc.clusters.map((c: any) => [c.name, c.cluster]));
    expect(clusters.sim.server).toBe(sim.url);
    expect(Buffer.from(clusters.sim['certificate-authority-data'], 'base64').toString()).toBe(caCert);
    expect(clusters[ctx.down.cluster].server).toBe('https://127.0.0.1:1');
    expect(clusters[ctx.insecure.cluster]['insecure-skip-tls-verify']).toBe(true);
    const users = Object.fromEntries(kc.users.map((u: any) => [u.name, u.user]));
    expect(users['sim-user']).toEqual({ token: sim.token });
    expect(users[ctx.badtoken.user]).toEqual({ token: 'nope' });
    expect(users[ctx.exec.user].exec).toMatchObject({ command: 'my-plugin', apiVersion: 'client.authentication.k8s.io/v1' });
  });
});
