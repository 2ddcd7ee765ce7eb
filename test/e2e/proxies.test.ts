/**
 * Clusters reached through proxies, as client-go reaches them: the kubeconfig's proxy-url
 * (HTTP CONNECT with Basic credentials, SOCKS5) and HTTPS_PROXY/NO_PROXY. The API server is
 * named kube.sim.test, which nothing resolves: a line can only arrive through the proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpProxy, startSocksProxy, type TestProxy } from '../../src/sim/index.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { runKtail } from '../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'ktail-proxies-'));
let fx: SimFixture;
const proxies: TestProxy[] = [];
beforeAll(async () => {
  fx = await fileSim();
  fx.sim.createPod({ name: 'via', containers: [{ name: 'app' }] });
  fx.sim.writeLines({ pod: 'via', container: 'app' }, ['through the tunnel']);
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  rmSync(dir, { recursive: true, force: true });
});

async function proxy(kind: 'http' | 'socks5', auth?: { user: string; password: string }): Promise<TestProxy> {
  const p = kind === 'http' ? await startHttpProxy(auth) : await startSocksProxy(auth);
  proxies.push(p);
  return p;
}

/** A kubeconfig whose server is kube.sim.test (the sim's port), TLS checked against the sim's name. */
function kubeconfig(name: string, proxyUrl?: string): Promise<string> {
  return fx.sim.writeKubeconfig(join(dir, name), {
    currentContext: name,
    contexts: [{ name, server: `https://kube.sim.test:${fx.sim.port}`, tlsServerName: 'localhost', ...(proxyUrl ? { proxyUrl } : {}) }],
  });
}

describe("the kubeconfig's proxy-url", () => {
  it.each([
    ['HTTP CONNECT with Basic credentials', 'http' as const, { user: 'me', password: 's3cret-pw' }],
    ['SOCKS5 with user and password', 'socks5' as const, { user: 'me', password: 's3cret-pw' }],
    ['SOCKS5 without credentials', 'socks5' as const, undefined],
  ])('%s: every line arrives through the tunnel, and the password is never shown', async (_name, kind, auth) => {
    const p = await proxy(kind, auth);
    const creds = auth ? `${auth.user}:${auth.password}@` : '';
    const kc = await kubeconfig(`pu-${kind}-${auth ? 'auth' : 'open'}`, `${kind}://${creds}127.0.0.1:${p.port}`);
    const r = await runKtail(['--kubeconfig', kc, '^via$', '--no-follow', '--verbose']);
    expect(r.stdout).toBe('via app through the tunnel\n');
    expect(r.code).toBe(0);
    expect(p.tunnels.length).toBeGreaterThanOrEqual(1);
    expect(p.tunnels.every((t) => t.host === 'kube.sim.test' && t.port === fx.sim.port)).toBe(true);
    expect(r.stderr).toContain(`through proxy ${kind}://${auth ? 'me:***@' : ''}127.0.0.1:${p.port} (from the kubeconfig's proxy-url)`);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pw');
  });

  it("wrong proxy credentials: exit 1 with the proxy's answer, and no password", async () => {
    const p = await proxy('http', { user: 'me', password: 'right' });
    const kc = await kubeconfig('pu-wrong', `http://me:wrong-pw@127.0.0.1:${p.port}`);
    const r = await runKtail(['--kubeconfig', kc, '^via$', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ktail: cannot reach https:\/\/kube\.sim\.test:\d+ \(proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel to kube\.sim\.test:\d+: 407 Proxy Authentication Required\)/,
    );
    expect(r.stderr).not.toContain('wrong-pw');
    expect(p.refused).toBeGreaterThanOrEqual(1);
  });
});

describe('HTTPS_PROXY and NO_PROXY', () => {
  it('HTTPS_PROXY carries the requests when the kubeconfig names no proxy', async () => {
    const p = await proxy('http');
    const kc = await kubeconfig('env-proxy');
    const r = await runKtail(['--kubeconfig', kc, '^via$', '--no-follow'], { HTTPS_PROXY: `http://127.0.0.1:${p.port}` });
    expect(r.stdout).toBe('via app through the tunnel\n');
    expect(r.code).toBe(0);
    expect(p.tunnels.length).toBeGreaterThanOrEqual(1);
  });

  it('a server on loopback is reached directly, as Go does, whatever HTTPS_PROXY says', async () => {
    const p = await proxy('http');
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^via$', '--no-follow'], { HTTPS_PROXY: `http://127.0.0.1:${p.port}` });
    expect(r.stdout).toBe('via app through the tunnel\n');
    expect(p.tunnels).toEqual([]);
  });
});
