/**
 * The kinds of credentials a kubeconfig holds, against the simulated cluster: client
 * certificates the server refuses (in the handshake, or by authentication), the auth providers
 * kubectl dropped or never had, OIDC with its refresh (a small issuer here), and the in-cluster
 * config with a token that rotates.
 */
import { createServer, type Server } from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caCert, clientCert, clientKey, expiredClientCert } from '../../src/sim/index.js';
import { serverCert, serverKey } from '../../src/sim/certs.js';
import { fileSim, sim, type SimFixture } from '../helpers/sim.js';
import { Ktail, runKtail } from '../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'ktail-credentials-'));
const emptyHome = join(dir, 'home');
mkdirSync(emptyHome);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const certUser = (cert: string): Record<string, unknown> => ({ 'client-certificate-data': b64(cert), 'client-key-data': b64(clientKey) });

describe('a client certificate the server refuses', () => {
  it.each([true, false])(
    'refused in the TLS handshake (an mTLS front; HTTP/2: %s): one line naming the certificate, exit 1',
    async (http2) => {
      const fx = await sim({ clientCerts: 'require', http2 });
      fx.sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
      const kc = await fx.sim.writeKubeconfig(join(dir, 'require-one'), { contexts: [{ name: 'sim', user: certUser(expiredClientCert) }] });
      const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^ktail: cannot reach https:\/\/127\.0\.0\.1:\d+ \(TLS: the server closed the connection after the handshake: did it refuse the client certificate\?\) — check the client certificate of user "sim-context-user"\n$/,
      );
    },
  );

  it('with two contexts, the refused one is reported and the other one streams', async () => {
    const fx = await sim({ clientCerts: 'require' });
    fx.sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'web', container: 'app' }, ['from the good one']);
    const kc = await fx.sim.writeKubeconfig(join(dir, 'require-two'), {
      contexts: [
        { name: 'bad', user: certUser(expiredClientCert) },
        { name: 'good', user: certUser(clientCert) },
      ],
    });
    const k = new Ktail(['--kubeconfig', kc, '--context', 'bad,good', '^web$']);
    await k.waitFor((x) => x.lines.includes('good web app from the good one'), "the good context's line");
    await k.waitFor((x) => /context "bad": cannot reach .*did it refuse the client certificate/.test(x.stderr), 'the bad context reported');
    await k.stop();
  });

  it('refused by authentication, as kube-apiserver does (an expired certificate): unauthorized, exit 1', async () => {
    const fx = await fileSim();
    fx.sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
    const kc = await fx.sim.writeKubeconfig(join(dir, 'expired'), { contexts: [{ name: 'sim', user: certUser(expiredClientCert) }] });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ktail: unauthorized: https:\/\/127\.0\.0\.1:\d+ refused the credentials of context "sim"/);
  });
});

describe('auth providers', () => {
  let fx: SimFixture;
  beforeAll(async () => {
    fx = await fileSim();
  });

  it.each([
    [
      'gcp',
      'ktail: user "sim-context-user" uses the "gcp" auth provider, which kubectl no longer has: use the exec plugin gke-gcloud-auth-plugin (install it, then run "gcloud container clusters get-credentials" again)',
    ],
    [
      'azure',
      'ktail: user "sim-context-user" uses the "azure" auth provider, which kubectl no longer has: use the exec plugin kubelogin (install it, then run "kubelogin convert-kubeconfig")',
    ],
    [
      'keystone',
      'ktail: user "sim-context-user" uses the auth provider "keystone", which ktail does not know (it knows oidc): no credentials would be sent',
    ],
  ])('%s: one line, exit 1', async (name, message) => {
    const kc = await fx.sim.writeKubeconfig(join(dir, `provider-${name}`), {
      contexts: [{ name: 'sim', user: { 'auth-provider': { name, config: { 'access-token': 'secret-access-token' } } } }],
    });
    const r = await runKtail(['--kubeconfig', kc, 'web', '--no-follow']);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.code).toBe(1);
  });
});

/** A JWT as an issuer signs it; the signature is the API server's business, not the client's. */
function jwt(expSeconds: number, tag: string): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ iss: 'test', sub: tag, exp: expSeconds })}.c2ln`;
}

describe('auth-provider: oidc', () => {
  let fx: SimFixture;
  let issuer: Server;
  let issuerUrl = '';
  const seen: string[] = [];
  const now = (): number => Math.floor(Date.now() / 1000);
  const expired = jwt(now() - 600, 'old');
  const valid = jwt(now() + 3600, 'valid');
  const renewed = jwt(now() + 3600, 'renewed');
  let refreshAccepted = 'refresh-1';

  beforeAll(async () => {
    fx = await fileSim({ tokens: [valid, renewed] });
    fx.sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'web', container: 'app' }, ['hello']);
    issuer = createServer({ key: serverKey, cert: serverCert }, (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/realm/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer: issuerUrl, token_endpoint: `${issuerUrl}/token` }));
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        res.setHeader('content-type', 'application/json');
        if (req.url !== '/realm/token' || form.get('grant_type') !== 'refresh_token' || form.get('client_id') !== 'ktail') {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_request' }));
        } else if (form.get('refresh_token') !== refreshAccepted) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_grant', error_description: `token ${form.get('refresh_token')} is spent` }));
        } else {
          // a rotating issuer: each refresh token works once
          refreshAccepted = 'refresh-2';
          res.end(JSON.stringify({ id_token: renewed, refresh_token: 'refresh-2', token_type: 'Bearer' }));
        }
      });
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    issuerUrl = `https://127.0.0.1:${(issuer.address() as { port: number }).port}/realm`;
  });
  afterAll(() => new Promise<void>((resolve) => issuer.close(() => resolve())));
  afterEach(() => {
    seen.length = 0;
  });

  function oidcKubeconfig(name: string, config: Record<string, string>): Promise<string> {
    return fx.sim.writeKubeconfig(join(dir, name), {
      contexts: [
        {
          name: 'sim',
          namespace: 'default',
          user: {
            'auth-provider': {
              name: 'oidc',
              config: { 'client-id': 'ktail', 'idp-issuer-url': issuerUrl, 'idp-certificate-authority-data': b64(caCert), ...config },
            },
          },
        },
      ],
    });
  }

  it('an id-token that has not expired is sent as it is; the issuer is not asked', async () => {
    const kc = await oidcKubeconfig('oidc-valid', { 'id-token': valid, 'refresh-token': 'refresh-1' });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('web app hello\n');
    expect(seen).toEqual([]);
  });

  it('an expired one is renewed with the refresh-token at the discovered endpoint, and both new tokens are written back', async () => {
    const kc = await oidcKubeconfig('oidc-expired', { 'id-token': expired, 'refresh-token': 'refresh-1' });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('web app hello\n');
    expect(seen).toEqual(['GET /realm/.well-known/openid-configuration', 'POST /realm/token']);
    const written = readFileSync(kc, 'utf8');
    expect(written).toContain(renewed);
    expect(written).toContain('refresh-2');
    // the next run has the renewed token, and asks nobody
    seen.length = 0;
    const again = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(again.stdout).toBe('web app hello\n');
    expect(seen).toEqual([]);
  });

  it('an issuer that refuses the refresh: one line with its OAuth error code, no token in it, exit 1', async () => {
    const kc = await oidcKubeconfig('oidc-refused', { 'id-token': expired, 'refresh-token': 'spent-refresh-token' });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.stderr).toBe(
      `ktail: the OIDC issuer ${issuerUrl} refused to renew the token of user "sim-context-user" (400: invalid_grant): log in again\n`,
    );
    expect(r.code).toBe(1);
  });

  it('expired with no refresh-token: log in again, exit 1', async () => {
    const kc = await oidcKubeconfig('oidc-no-refresh', { 'id-token': expired });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.stderr).toBe(
      'ktail: the OIDC id-token of user "sim-context-user" has expired and its auth-provider has no refresh-token to renew it: log in again\n',
    );
    expect(r.code).toBe(1);
  });
});

describe('in-cluster config (no kubeconfig, in a pod)', () => {
  function serviceAccount(name: string, token: string): string {
    const sa = join(dir, name);
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), `${token}\n`);
    writeFileSync(join(sa, 'ca.crt'), caCert);
    writeFileSync(join(sa, 'namespace'), 'shop');
    return sa;
  }

  it('reads the service account the kubelet mounts, and its namespace', async () => {
    const fx = await sim();
    fx.sim.createPod({ namespace: 'shop', name: 'cart', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'cart', container: 'app' }, ['in the pod']);
    const sa = serviceAccount('sa-read', fx.sim.token);
    const env = {
      HOME: emptyHome,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(fx.sim.port),
      KTAIL_TEST_SERVICEACCOUNT_DIR: sa,
    };
    const r = await runKtail(['^cart$', '--no-follow'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('cart app in the pod\n');
  });

  it('a rotated token is read again: the old one refused, the new one used, no line lost', async () => {
    const fx = await sim();
    fx.sim.createPod({ namespace: 'shop', name: 'one', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'one', container: 'app' }, ['before']);
    const sa = serviceAccount('sa-rotate', fx.sim.token);
    const env = {
      HOME: emptyHome,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(fx.sim.port),
      KTAIL_TEST_SERVICEACCOUNT_DIR: sa,
    };
    const k = new Ktail(['.'], env);
    await k.waitFor((x) => x.lines.includes('one app before'), 'the first line');
    // the kubelet writes the new token; the old one stops working
    writeFileSync(join(sa, 'token'), 'rotated-token\n');
    fx.sim.setTokens(['rotated-token']);
    fx.sim.createPod({ namespace: 'shop', name: 'two', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'two', container: 'app' }, ['after']);
    await k.waitFor((x) => x.lines.includes('two app after'), 'the line of a pod that came after the rotation');
    expect(k.stderr).not.toMatch(/unauthorized/);
    await k.stop();
  });
});
