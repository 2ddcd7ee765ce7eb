import { describe, expect, it } from 'vitest';
import { ClusterError, UsageError } from '../../src/common/errors.js';
import { jwtExpiry } from '../../src/kube/oidc.js';
import { impersonation, impersonationHeaders, overrideCluster, overrideUser } from '../../src/kube/overrides.js';

const cluster = {
  name: 'prod',
  server: 'https://prod:6443',
  caData: 'Q0E=',
  skipTLSVerify: false,
  tlsServerName: 'api.prod',
  proxyUrl: 'http://proxy:3128',
};

describe("overrideCluster: the flags over the context's cluster", () => {
  it('without flags, the cluster as it is', () => {
    expect(overrideCluster(cluster, {}, 'ctx')).toEqual(cluster);
  });

  it('--server, --certificate-authority (replacing the CA data) and --tls-server-name', () => {
    expect(overrideCluster(cluster, { server: 'https://other:443', certificateAuthority: '/ca.pem', tlsServerName: 'x' }, 'ctx')).toEqual({
      name: 'prod',
      server: 'https://other:443',
      caFile: '/ca.pem',
      skipTLSVerify: false,
      tlsServerName: 'x',
      proxyUrl: 'http://proxy:3128',
    });
  });

  it('--insecure-skip-tls-verify drops the CA, as client-go does', () => {
    const c = overrideCluster(cluster, { insecureSkipTlsVerify: true }, 'ctx');
    expect(c.skipTLSVerify).toBe(true);
    expect(c.caData).toBeUndefined();
    expect(c.caFile).toBeUndefined();
  });

  it('no cluster: --server makes one; without it, a one-line error', () => {
    expect(overrideCluster(undefined, { server: 'https://s' }, 'ctx')).toEqual({ name: '', server: 'https://s', skipTLSVerify: false });
    expect(() => overrideCluster(undefined, {}, 'ctx')).toThrow(ClusterError);
  });
});

describe("overrideUser: the flags over the context's user", () => {
  const execUser = { name: 'dev', exec: { command: 'plugin' }, certData: 'Yw==', keyData: 'aw==', impersonateUser: 'bob' };

  it('--token replaces the exec plugin (and any other way to get a token), keeps the client certificate', () => {
    expect(overrideUser(execUser, { token: 't' })).toEqual({
      name: 'dev',
      token: 't',
      certFile: undefined,
      certData: 'Yw==',
      keyFile: undefined,
      keyData: 'aw==',
      impersonateUser: 'bob',
    });
  });

  it('--client-certificate and --client-key replace the data', () => {
    const u = overrideUser(execUser, { clientCertificate: '/c.pem', clientKey: '/k.pem' })!;
    expect([u.certFile, u.certData, u.keyFile, u.keyData]).toEqual(['/c.pem', undefined, '/k.pem', undefined]);
    expect(u.exec).toEqual({ command: 'plugin' });
  });

  it('a certificate without a key (or the reverse) is refused', () => {
    expect(() => overrideUser(undefined, { clientCertificate: '/c.pem' })).toThrow(
      'a client certificate needs its key, and the command line gives none — pass --client-key',
    );
    expect(() => overrideUser({ name: 'u' }, { clientKey: '/k.pem' })).toThrow(
      'a client key needs its certificate, and user "u" gives none — pass --client-certificate',
    );
  });

  it('no flags: the same user', () => {
    expect(overrideUser(execUser, {})).toBe(execUser);
  });
});

describe('impersonation', () => {
  it("field by field over the kubeconfig user's as, as-groups, as-uid", () => {
    const fromUser = { user: 'bob', groups: ['ops'], uid: 'u1' };
    expect(impersonation(fromUser, {})).toEqual(fromUser);
    expect(impersonation(fromUser, { as: 'eve' })).toEqual({ user: 'eve', groups: ['ops'], uid: 'u1' });
    expect(impersonation(fromUser, { asGroups: ['a', 'b'] })).toEqual({ user: 'bob', groups: ['a', 'b'], uid: 'u1' });
  });

  it('groups or a uid without a user: a usage error', () => {
    expect(() => impersonation({ groups: [] }, { asGroups: ['ops'] })).toThrow(UsageError);
    expect(() => impersonation({ groups: [] }, { asUid: 'u' })).toThrow(UsageError);
  });

  it('headers: one Impersonate-Group per group, none without a user', () => {
    expect(impersonationHeaders({ user: 'bob', groups: ['a', 'b'], uid: 'u' })).toEqual({
      'Impersonate-User': 'bob',
      'Impersonate-Group': ['a', 'b'],
      'Impersonate-Uid': 'u',
    });
    expect(impersonationHeaders({ groups: [] })).toEqual({});
  });
});

describe('jwtExpiry', () => {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  it.each([
    [`${part({ alg: 'RS256' })}.${part({ exp: 1700000000 })}.sig`, 1700000000000],
    [`${part({ alg: 'RS256' })}.${part({ sub: 'x' })}.sig`, undefined],
    ['not-a-jwt', undefined],
    ['a.!!!.c', undefined],
  ])('%s → %s', (token, ms) => {
    expect(jwtExpiry(token)).toBe(ms);
  });
});
