import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContextCredentials, ContextInfo } from '../../src/kube/kubeconfig.js';
import { api } from '../../src/kube/api.js';
import { ApiError } from '../../src/kube/errors.js';
import { Transport } from '../../src/kube/transport.js';

const SERVER = 'https://api.example.test';
const PODS = api.pods(undefined);

const forbiddenStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "payments"',
  reason: 'Forbidden',
  details: { kind: 'pods' },
  code: 403,
};

const unauthorizedStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

/** A context whose credentials are a numbered token: call n gives `Bearer t<n>`. */
function fakeContext(): { ctx: ContextInfo; calls: () => number } {
  let calls = 0;
  const ctx: ContextInfo = {
    name: 'dev',
    server: SERVER,
    namespace: 'payments',
    user: 'dev-user',
    insecureSkipTlsVerify: false,
    resolveCredentials: (): Promise<ContextCredentials> => {
      calls++;
      return Promise.resolve({ headers: { Authorization: `Bearer t${calls}` }, rejectUnauthorized: true });
    },
  };
  return { ctx, calls: () => calls };
}

describe('Transport against a mocked API server', () => {
  let transport: Transport | undefined;

  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    transport?.close();
    transport = undefined;
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('json() returns the parsed body of a 200, with credentials, query and Accept header', async () => {
    const { ctx } = fakeContext();
    nock(SERVER, { reqheaders: { authorization: 'Bearer t1', accept: 'application/json' } })
      .get('/api/v1/namespaces/payments/pods')
      .query({ labelSelector: 'app=web' })
      .reply(200, { kind: 'PodList', items: [{ metadata: { name: 'web-1' } }] });
    transport = new Transport(ctx, { protocol: 'http1' });
    const list = await transport.json(api.pods('payments', { labelSelector: 'app=web' }));
    expect(list.kind).toBe('PodList');
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web-1']);
  });

  it("json() rejects a 403 with the server's Status message", async () => {
    const { ctx } = fakeContext();
    nock(SERVER).get('/api/v1/namespaces/payments/pods').reply(403, forbiddenStatus);
    transport = new Transport(ctx, { protocol: 'http1' });
    const err = await transport.json(api.pods('payments')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, reason: 'Forbidden', message: forbiddenStatus.message });
  });

  it('resolves credentials once for several requests', async () => {
    const { ctx, calls } = fakeContext();
    nock(SERVER, { reqheaders: { authorization: 'Bearer t1' } })
      .get('/api/v1/pods')
      .times(4)
      .reply(200, { kind: 'PodList', items: [] });
    transport = new Transport(ctx, { protocol: 'http1' });
    const t = transport;
    await Promise.all([t.json(PODS), t.json(PODS)]);
    await t.json(PODS);
    await t.json(PODS);
    expect(calls()).toBe(1);
  });

  it('resolves credentials once more after a 401 and retries with them', async () => {
    const { ctx, calls } = fakeContext();
    nock(SERVER, { reqheaders: { authorization: 'Bearer t1' } })
      .get('/api/v1/pods')
      .reply(200, { n: 1 });
    nock(SERVER, { reqheaders: { authorization: 'Bearer t1' } })
      .get('/api/v1/pods')
      .reply(401, unauthorizedStatus);
    nock(SERVER, { reqheaders: { authorization: 'Bearer t2' } })
      .get('/api/v1/pods')
      .times(3)
      .reply(200, { n: 2 });
    transport = new Transport(ctx, { protocol: 'http1' });
    expect(await transport.json(PODS)).toEqual({ n: 1 });
    expect(calls()).toBe(1);
    expect(await transport.json(PODS)).toEqual({ n: 2 });
    expect(calls()).toBe(2);
    await transport.json(PODS);
    await transport.json(PODS);
    expect(calls()).toBe(2);
  });

  it('requests that see the same 401 together resolve credentials once between them', async () => {
    const { ctx, calls } = fakeContext();
    transport = new Transport(ctx, { protocol: 'http1' });
    // the first resolution happens before any request is answered
    nock(SERVER, { reqheaders: { authorization: 'Bearer t1' } })
      .get('/api/v1/pods')
      .times(3)
      .reply(401, unauthorizedStatus);
    nock(SERVER, { reqheaders: { authorization: 'Bearer t2' } })
      .get('/api/v1/pods')
      .times(3)
      .reply(200, { ok: true });
    const t = transport;
    const results = await Promise.all([t.json(PODS), t.json(PODS), t.json(PODS)]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(calls()).toBe(2);
  });

  it("a 401 after re-resolving is the caller's error", async () => {
    const { ctx, calls } = fakeContext();
    nock(SERVER).get('/api/v1/pods').times(2).reply(401, unauthorizedStatus);
    transport = new Transport(ctx, { protocol: 'http1' });
    const err = await transport.json(PODS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, message: 'Unauthorized' });
    expect(calls()).toBe(2);
  });

  it('a 403 is not retried and does not re-resolve credentials', async () => {
    const { ctx, calls } = fakeContext();
    nock(SERVER).get('/api/v1/pods').once().reply(403, forbiddenStatus);
    transport = new Transport(ctx, { protocol: 'http1' });
    await expect(transport.json(PODS)).rejects.toMatchObject({ status: 403 });
    expect(calls()).toBe(1);
  });

  it("keeps the server URL's path prefix (a proxy in front of the API server)", async () => {
    const { ctx } = fakeContext();
    nock(SERVER).get('/k8s/clusters/c-1/api/v1/pods').reply(200, { ok: 1 });
    transport = new Transport({ ...ctx, server: `${SERVER}/k8s/clusters/c-1/` }, { protocol: 'http1' });
    expect(await transport.json(PODS)).toEqual({ ok: 1 });
  });
});
