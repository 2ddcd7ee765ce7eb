import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCert, clientKey, expiredClientCert, SimCluster, untrustedClientCert, untrustedClientKey } from '../../src/sim/index.js';
import { get } from './helpers.js';

describe('authentication and impersonation, recorded per request', () => {
  let sim: SimCluster;
  beforeAll(async () => {
    sim = await SimCluster.start({ userName: 'token-user' });
  });
  afterAll(() => sim.close());

  it.each([false, true])('a client certificate authenticates as its CN, with its O as groups (h2: %s)', async (h2) => {
    sim.clearRequestLog();
    const r = await get(sim, '/api/v1/namespaces/default/pods', { h2, token: null, clientCert: { cert: clientCert, key: clientKey } });
    expect(r.status).toBe(200);
    expect(sim.requestLog()).toEqual([
      {
        path: '/api/v1/namespaces/default/pods',
        user: 'jane',
        groups: ['dev-team', 'qa', 'system:authenticated'],
        authenticatedBy: 'client-certificate',
      },
    ]);
  });

  it.each([
    ['expired', expiredClientCert, clientKey],
    ['signed by an unknown authority', untrustedClientCert, untrustedClientKey],
  ])('a certificate that is %s gets 401, as from kube-apiserver, unless a token is valid', async (_what, cert, key) => {
    sim.clearRequestLog();
    const refused = await get(sim, '/api/v1/pods', { token: null, clientCert: { cert, key } });
    expect(refused.status).toBe(401);
    expect(sim.requestLog()).toEqual([]);
    const withToken = await get(sim, '/api/v1/pods', { clientCert: { cert, key } });
    expect(withToken.status).toBe(200);
    expect(sim.requestLog().map((r) => [r.user, r.authenticatedBy])).toEqual([['token-user', 'token']]);
  });

  it.each([false, true])('records Impersonate-User, each Impersonate-Group and Impersonate-Uid (h2: %s)', async (h2) => {
    sim.clearRequestLog();
    // one header per group, as client-go sends them: both protocols must keep them apart
    const r = await get(sim, '/api/v1/pods', {
      h2,
      headers: { 'impersonate-user': 'bob', 'impersonate-group': ['ops', 'audit'] as unknown as string, 'impersonate-uid': 'u-1' },
    });
    expect(r.status).toBe(200);
    expect(sim.requestLog()[0]).toMatchObject({ user: 'token-user', impersonate: { user: 'bob', groups: ['ops', 'audit'], uid: 'u-1' } });
  });

  it('impersonating a group without a user is refused', async () => {
    const r = await get(sim, '/api/v1/pods', { headers: { 'impersonate-group': 'ops' } });
    expect(r.status).toBe(500);
    expect(r.json.message).toContain('without impersonating a user');
  });
});
