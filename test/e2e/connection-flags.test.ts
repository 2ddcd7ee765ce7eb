/**
 * kubectl's connection flags, each proved by what the simulated cluster saw: who the request
 * was authenticated as (token or client certificate), the Impersonate-* headers on every kind
 * of request, Accept-Encoding; and each bad value as one line with its exit code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caCert, clientCert, clientKey, otherCaCert } from '../../src/sim/index.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { Ktail, runKtail } from '../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'ktail-connflags-'));
const emptyHome = join(dir, 'home');
mkdirSync(emptyHome);
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CA = file('ca.crt', caCert);
const CERT = file('jane.crt', clientCert);
const KEY = file('jane.key', clientKey);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ userName: 'token-user' });
  fx.sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
  fx.sim.writeLines({ pod: 'web', container: 'app' }, ['hello']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ktail with no kubeconfig anywhere: no --kubeconfig, no KUBECONFIG, an empty HOME. */
function bare(args: readonly string[]): ReturnType<typeof runKtail> {
  return runKtail(args, { HOME: emptyHome });
}

describe('--server and --token with no kubeconfig at all', () => {
  it('reach the cluster, authenticated by the token', async () => {
    fx.sim.clearRequestLog();
    const r = await bare(['--server', fx.sim.url, '--token', fx.sim.token, '--certificate-authority', CA, '^web$', '--no-follow']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('web app hello\n');
    expect(r.code).toBe(0);
    expect(fx.sim.requestLog().length).toBeGreaterThan(0);
    expect(fx.sim.requestLog().every((q) => q.user === 'token-user' && q.authenticatedBy === 'token')).toBe(true);
  });

  it('a server without a scheme is https, as kubectl takes it', async () => {
    const r = await bare([
      '--server',
      `127.0.0.1:${fx.sim.port}`,
      '--token',
      fx.sim.token,
      '--certificate-authority',
      CA,
      '^web$',
      '--no-follow',
    ]);
    expect(r.stdout).toBe('web app hello\n');
  });

  it('--client-certificate and --client-key authenticate as the certificate says (CN, O)', async () => {
    fx.sim.clearRequestLog();
    const r = await bare([
      '--server',
      fx.sim.url,
      '--certificate-authority',
      CA,
      '--client-certificate',
      CERT,
      '--client-key',
      KEY,
      '^web$',
      '--no-follow',
    ]);
    expect(r.stdout).toBe('web app hello\n');
    const seen = fx.sim.requestLog();
    expect(seen.length).toBeGreaterThan(0);
    for (const q of seen)
      expect(q).toMatchObject({ user: 'jane', groups: ['dev-team', 'qa', 'system:authenticated'], authenticatedBy: 'client-certificate' });
  });

  it('--token never reaches the output, not even with --verbose or a refusal', async () => {
    const secret = 'not-the-token-s3cret';
    const r = await bare(['--server', fx.sim.url, '--token', secret, '--certificate-authority', CA, '--verbose', '^web$', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unauthorized/);
    expect(r.stderr + r.stdout).not.toContain(secret);
  });

  it('without a CA, the server is not trusted: exit 1, and --insecure-skip-tls-verify then gets through with a warning', async () => {
    const refused = await bare(['--server', fx.sim.url, '--token', fx.sim.token, '^web$', '--no-follow']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ktail: cannot reach https:\/\/127\.0\.0\.1:\d+ \(TLS: certificate signed by unknown authority\)/);
    const r = await bare(['--server', fx.sim.url, '--token', fx.sim.token, '--insecure-skip-tls-verify', '^web$', '--no-follow']);
    expect(r.stdout).toBe('web app hello\n');
    expect(r.stderr).toMatch(/^ktail: context "https:\/\/127\.0\.0\.1:\d+" skips TLS verification \(--insecure-skip-tls-verify\)\n$/);
  });
});

describe('over the kubeconfig', () => {
  it("--token replaces the kubeconfig user's token", async () => {
    const kc = await fx.sim.writeKubeconfig(join(dir, 'wrong-token'), {
      contexts: [{ name: 'sim', namespace: 'default', token: 'wrong' }],
    });
    const refused = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ktail: unauthorized:/);
    const r = await runKtail(['--kubeconfig', kc, '--token', fx.sim.token, '^web$', '--no-follow']);
    expect(r.stdout).toBe('web app hello\n');
  });

  it("--server replaces the cluster's server; --certificate-authority its CA", async () => {
    const kc = await fx.sim.writeKubeconfig(join(dir, 'elsewhere'), {
      contexts: [{ name: 'sim', namespace: 'default', server: 'https://127.0.0.1:9', caData: otherCaCert }],
    });
    const r = await runKtail(['--kubeconfig', kc, '--server', fx.sim.url, '--certificate-authority', CA, '^web$', '--no-follow']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('web app hello\n');
  });

  it("--user and --cluster pick the kubeconfig's entries for the context", async () => {
    const kc = await fx.sim.writeKubeconfig(join(dir, 'users'), {
      contexts: [
        {
          name: 'cert',
          user: { 'client-certificate-data': b64(clientCert), 'client-key-data': b64(clientKey) },
          insecureSkipTlsVerify: true,
        },
      ],
    });
    fx.sim.clearRequestLog();
    const r = await runKtail(['--kubeconfig', kc, '--user', 'cert-context-user', '^web$', '--no-follow']);
    expect(r.stdout).toBe('web app hello\n');
    expect(fx.sim.requestLog().every((q) => q.user === 'jane')).toBe(true);
    // the cluster of the context "cert" skips verification: --cluster takes it, with its warning
    const viaCluster = await runKtail(['--kubeconfig', kc, '--cluster', 'cert-cluster', '^web$', '--no-follow']);
    expect(viaCluster.stdout).toBe('web app hello\n');
    expect(viaCluster.stderr).toContain('skips TLS verification (insecure-skip-tls-verify in the kubeconfig)');
    const missing = await runKtail(['--kubeconfig', kc, '--user', 'nobody', '^web$', '--no-follow']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('ktail: --user names user "nobody", which the kubeconfig does not define\n');
  });

  it('client certificates in the kubeconfig, as data', async () => {
    const kc = await fx.sim.writeKubeconfig(join(dir, 'cert-data'), {
      contexts: [
        { name: 'sim', namespace: 'default', user: { 'client-certificate-data': b64(clientCert), 'client-key-data': b64(clientKey) } },
      ],
    });
    fx.sim.clearRequestLog();
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.stdout).toBe('web app hello\n');
    expect(fx.sim.requestLog().every((q) => q.user === 'jane' && q.authenticatedBy === 'client-certificate')).toBe(true);
  });

  it('--tls-server-name checks the certificate against that name', async () => {
    const wrong = await runKtail(['--kubeconfig', fx.kubeconfig, '--tls-server-name', 'api.example.test', '^web$', '--no-follow']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/\(TLS: the server certificate does not match the host\)/);
    const right = await runKtail(['--kubeconfig', fx.kubeconfig, '--tls-server-name', 'localhost', '^web$', '--no-follow']);
    expect(right.stdout).toBe('web app hello\n');
  });
});

describe('impersonation', () => {
  it('--as, each --as-group and --as-uid go on every request: list, watch and log', async () => {
    fx.sim.clearRequestLog();
    const k = new Ktail([
      '--kubeconfig',
      fx.kubeconfig,
      '--as',
      'bob',
      '--as-group',
      'ops',
      '--as-group',
      'audit, ltd',
      '--as-uid',
      'u-42',
      '^web$',
    ]);
    await k.waitFor((x) => x.lines.includes('web app hello'), 'the line');
    const seen = fx.sim.requestLog();
    await k.stop();
    const kinds = new Set(seen.map((q) => (q.path.includes('/log') ? 'log' : q.path.includes('watch=') ? 'watch' : 'list')));
    expect([...kinds].sort()).toEqual(['list', 'log', 'watch']);
    // a comma is part of a group's name, as in kubectl: one header per --as-group
    for (const q of seen) expect(q.impersonate).toEqual({ user: 'bob', groups: ['ops', 'audit, ltd'], uid: 'u-42' });
  });

  it('--as-group without --as: exit 2, as kubectl refuses it', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '--as-group', 'ops', '^web$', '--no-follow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktail: --as-group and --as-uid need a user to impersonate: pass --as\n');
  });
});

describe('--request-timeout and --disable-compression', () => {
  it('--request-timeout bounds the wait for an answer: a log request unanswered after it is retried', async () => {
    fx.sim.createPod({ name: 'mute', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'mute', container: 'app' }, ['first']);
    fx.sim.delayRequests(/\/pods\/mute\/log/, Infinity);
    const k = new Ktail(['--kubeconfig', fx.kubeconfig, '--request-timeout', '1', '^mute$']);
    try {
      await k.waitFor((x) => /mute › app: no response within 1s; retrying in/.test(x.stderr), 'the retry notice');
      await k.waitFor((x) => x.lines.includes('mute app first'), 'the line, after the retry');
    } finally {
      await k.stop();
    }
  });

  it('--request-timeout never ends a log stream that is quiet for longer', async () => {
    fx.sim.createPod({ name: 'quiet', containers: [{ name: 'app' }] });
    const k = new Ktail(['--kubeconfig', fx.kubeconfig, '--request-timeout', '500ms', '^quiet$', '--tail', '0']);
    await k.waitFor((x) => x.stderr.includes('+ quiet') || x.lines.some((l) => l.startsWith('+ quiet')), 'the container to be followed');
    await new Promise((r) => setTimeout(r, 1500));
    fx.sim.writeLines({ pod: 'quiet', container: 'app' }, ['after the timeout']);
    await k.waitFor((x) => x.lines.includes('quiet app after the timeout'), 'the late line');
    expect(k.stderr).not.toMatch(/no response|retrying/);
    await k.stop();
  });

  it('answers are asked for gzipped, as client-go does, and a large list arrives whole; --disable-compression asks for none', async () => {
    fx.sim.createNamespace('many');
    for (let i = 0; i < 120; i++) fx.sim.createPod({ namespace: 'many', name: `p-${i}`, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'many', pod: 'p-119', container: 'app' }, ['last of many']);
    // large enough that the server compresses it (kube-apiserver: 128 KiB and more)
    expect(JSON.stringify(fx.sim.listPods('many')).length).toBeGreaterThan(128 * 1024);
    fx.sim.clearRequestLog();
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '-n', 'many', '^p-119$', '--no-follow']);
    expect(r.stdout).toBe('p-119 app last of many\n');
    expect(fx.sim.requestLog().every((q) => q.acceptEncoding === 'gzip')).toBe(true);
    fx.sim.clearRequestLog();
    const plain = await runKtail(['--kubeconfig', fx.kubeconfig, '-n', 'many', '--disable-compression', '^p-119$', '--no-follow']);
    expect(plain.stdout).toBe('p-119 app last of many\n');
    expect(fx.sim.requestLog().length).toBeGreaterThan(0);
    expect(fx.sim.requestLog().every((q) => q.acceptEncoding === undefined)).toBe(true);
  });
});

describe('bad values: one line, and the exit code of SPEC §5', () => {
  it.each([
    [
      ['--request-timeout', '5x'],
      2,
      'ktail: invalid value "5x" for --request-timeout: expected whole seconds, or a number and a unit, like 30s, 2m or 1h (0: no limit)',
    ],
    [
      ['--request-timeout', '1d'],
      2,
      'ktail: invalid value "1d" for --request-timeout: expected whole seconds, or a number and a unit, like 30s, 2m or 1h (0: no limit)',
    ],
    [
      ['--client-certificate', '/nonexistent/jane.crt', '--client-key', KEY],
      2,
      'ktail: cannot read --client-certificate "/nonexistent/jane.crt": no such file',
    ],
    [['--certificate-authority', dir], 2, `ktail: cannot read --certificate-authority "${dir}": a directory`],
    [['--client-certificate', CERT], 1, 'ktail: a client certificate needs its key, and user "sim-user" gives none — pass --client-key'],
    [
      ['--client-certificate', CA, '--client-key', KEY],
      1,
      'ktail: cannot use the TLS certificates for user "sim-user": the client key is not the certificate\'s',
    ],
    [
      ['--server', 'https://[::1'],
      2,
      'ktail: invalid value "https://[::1" for --server: expected an address like https://203.0.113.7:6443',
    ],
  ])('%j: exit %i', async (flags, code, message) => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, ...flags, '^web$', '--no-follow']);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.code).toBe(code);
  });

  it('a kubeconfig client certificate that is not PEM: exit 1, one line', async () => {
    const kc = await fx.sim.writeKubeconfig(join(dir, 'bad-pem'), {
      contexts: [
        {
          name: 'sim',
          namespace: 'default',
          user: { 'client-certificate-data': b64('not a certificate'), 'client-key-data': b64(clientKey) },
        },
      ],
    });
    const r = await runKtail(['--kubeconfig', kc, '^web$', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'ktail: cannot use the TLS certificates for user "sim-context-user": a certificate or key that is not valid PEM\n',
    );
  });
});
