import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterError } from '../../src/common/errors.js';
import { kubeconfigPaths, loadKubeconfig, selectContexts } from '../../src/kube/kubeconfig.js';

const root = mkdtempSync(join(tmpdir(), 'ktail-kubeconfig-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function tempDir(): string {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
}

interface Ctx {
  name: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig in YAML, as kubectl writes it. */
function kubeconfigYaml(o: { contexts: Ctx[]; current?: string; server?: string; clusterName?: string; skipTls?: boolean }): string {
  const clusterName = o.clusterName ?? 'c1';
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${clusterName}`,
    '  cluster:',
    `    server: ${o.server ?? 'https://127.0.0.1:6443'}`,
    ...(o.skipTls ? ['    insecure-skip-tls-verify: true'] : []),
    'users:',
    '- name: u1',
    '  user:',
    '    token: secret-token-abc',
    'contexts:',
    ...o.contexts.flatMap((c) => [
      `- name: ${c.name}`,
      '  context:',
      `    cluster: ${c.cluster ?? clusterName}`,
      `    user: ${c.user ?? 'u1'}`,
      ...(c.namespace ? [`    namespace: ${c.namespace}`] : []),
    ]),
    ...(o.current ? [`current-context: ${o.current}`] : []),
    '',
  ].join('\n');
}

/** A kubeconfig with one cluster, c, at https://127.0.0.1:6443, and the lines given after it (users, contexts…). */
function clusterCYaml(lines: string[]): string {
  return ['apiVersion: v1', 'kind: Config', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]', ...lines].join('\n');
}

function file(content: string, name = 'config'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

async function clusterError(p: Promise<unknown>): Promise<ClusterError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClusterError);
  expect((err as ClusterError).exitCode).toBe(1);
  expect((err as ClusterError).message).not.toContain('\n');
  return err as ClusterError;
}

const devStaging = kubeconfigYaml({ contexts: [{ name: 'dev', namespace: 'payments' }, { name: 'staging' }], current: 'dev' });

describe('loadKubeconfig: finding the file', () => {
  it('--kubeconfig pointing nowhere is a ClusterError naming the path', async () => {
    const missing = join(tempDir(), 'nope.yaml');
    const err = await clusterError(loadKubeconfig({ explicitPath: missing, env: {} }));
    expect(err.message).toBe(`kubeconfig "${missing}" does not exist — check --kubeconfig`);
  });

  it('malformed YAML is a ClusterError naming the file', async () => {
    const path = file('apiVersion: v1\nclusters: [\n  - this is: not: yaml\n', 'broken.yaml');
    const err = await clusterError(loadKubeconfig({ explicitPath: path, env: {} }));
    expect(err.message).toMatch(new RegExp(`^kubeconfig "${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not valid: `));
  });

  it('no kubeconfig and not in a cluster: says where it looked and how to fix it, never localhost:8080', async () => {
    const home = tempDir();
    const err = await clusterError(loadKubeconfig({ explicitPath: undefined, env: { HOME: home } }));
    expect(err.message).toContain(join(home, '.kube', 'config'));
    expect(err.message).toContain('--kubeconfig');
    expect(err.message).toContain('KUBECONFIG');
    expect(err.message).not.toMatch(/localhost|8080/);
  });

  it('KUBECONFIG listing only missing files is the same error', async () => {
    const dir = tempDir();
    const err = await clusterError(loadKubeconfig({ explicitPath: undefined, env: { HOME: dir, KUBECONFIG: join(dir, 'a') } }));
    expect(err.message).toContain(`KUBECONFIG=${join(dir, 'a')}`);
    expect(err.message).not.toMatch(/localhost|8080/);
  });

  it('reads ~/.kube/config when nothing else is given', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), devStaging);
    const kc = await loadKubeconfig({ explicitPath: undefined, env: { HOME: home } });
    expect(kc.getCurrentContext()).toBe('dev');
  });

  it.each<[string, (dir: string) => { explicitPath: string | undefined; env: NodeJS.ProcessEnv }, (dir: string) => string[]]>([
    [
      '--kubeconfig wins over KUBECONFIG',
      (d) => ({ explicitPath: join(d, 'x'), env: { KUBECONFIG: join(d, 'y'), HOME: d } }),
      (d) => [join(d, 'x')],
    ],
    [
      'KUBECONFIG wins over ~/.kube/config; missing entries are ignored',
      (d) => ({ explicitPath: undefined, env: { KUBECONFIG: `${join(d, 'y')}::${join(d, 'missing')}:${join(d, 'x')}`, HOME: d } }),
      (d) => [join(d, 'y'), join(d, 'x')],
    ],
    ['an empty KUBECONFIG is unset', (d) => ({ explicitPath: undefined, env: { KUBECONFIG: '', HOME: d } }), () => []],
  ])('kubeconfigPaths: %s', (_name, source, expected) => {
    const d = tempDir();
    writeFileSync(join(d, 'x'), devStaging);
    writeFileSync(join(d, 'y'), devStaging);
    expect(kubeconfigPaths(source(d)).paths).toEqual(expected(d));
  });
});

describe('loadKubeconfig: merging KUBECONFIG=a:b', () => {
  const a = file(
    kubeconfigYaml({
      contexts: [{ name: 'dev', namespace: 'from-a' }],
      current: 'dev',
      clusterName: 'ca',
      server: 'https://a.example:6443',
    }),
    'a',
  );
  const b = file(
    kubeconfigYaml({
      contexts: [
        { name: 'staging', namespace: 'from-b' },
        { name: 'dev', namespace: 'dev-from-b' },
      ],
      current: 'staging',
      clusterName: 'cb',
      server: 'https://b.example:6443',
    }),
    'b',
  );

  it("the first file's current-context wins and both files' contexts are known", async () => {
    const kc = await loadKubeconfig({ explicitPath: undefined, env: { KUBECONFIG: `${a}:${b}` } });
    expect(kc.getCurrentContext()).toBe('dev');
    expect(
      kc
        .getContexts()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['dev', 'staging']);
    const [dev, staging] = selectContexts(kc, ['dev', 'staging']);
    expect(dev).toMatchObject({ name: 'dev', server: 'https://a.example:6443', namespace: 'from-a' });
    expect(staging).toMatchObject({ name: 'staging', server: 'https://b.example:6443', namespace: 'from-b' });
  });

  it('the first definition of a name wins', async () => {
    const kc = await loadKubeconfig({ explicitPath: undefined, env: { KUBECONFIG: `${a}:${b}` } });
    expect(selectContexts(kc, ['dev'])[0]!.namespace).toBe('from-a');
  });

  it("in the other order, the other file's current-context wins", async () => {
    const kc = await loadKubeconfig({ explicitPath: undefined, env: { KUBECONFIG: `${b}:${a}` } });
    expect(kc.getCurrentContext()).toBe('staging');
    expect(selectContexts(kc, ['dev'])[0]!.namespace).toBe('dev-from-b');
  });

  it("a later file's current-context is used when the first has none", async () => {
    const none = file(kubeconfigYaml({ contexts: [{ name: 'other', namespace: 'o' }] }), 'none');
    const kc = await loadKubeconfig({ explicitPath: undefined, env: { KUBECONFIG: `${none}:${b}` } });
    expect(kc.getCurrentContext()).toBe('staging');
  });
});

describe('selectContexts', () => {
  const loaded = loadKubeconfig({ explicitPath: file(devStaging), env: {} });

  it('the current context by default, with its namespace, server and user', async () => {
    const contexts = selectContexts(await loaded, []);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      name: 'dev',
      server: 'https://127.0.0.1:6443',
      namespace: 'payments',
      user: 'u1',
      insecureSkipTlsVerify: false,
    });
  });

  it('a context without a namespace uses "default"', async () => {
    expect(selectContexts(await loaded, ['staging'])[0]!.namespace).toBe('default');
  });

  it('several contexts, in the order asked', async () => {
    expect(selectContexts(await loaded, ['staging', 'dev']).map((c) => c.name)).toEqual(['staging', 'dev']);
  });

  it('an unknown context lists the known ones', async () => {
    const kc = await loaded;
    let caught: unknown;
    try {
      selectContexts(kc, ['dev', 'prod']);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ClusterError);
    expect((caught as ClusterError).exitCode).toBe(1);
    expect((caught as ClusterError).message).toBe('context "prod" not found in kubeconfig (contexts: dev, staging)');
  });

  it('no current context and none asked for', async () => {
    const kc = await loadKubeconfig({ explicitPath: file(kubeconfigYaml({ contexts: [{ name: 'dev' }] })), env: {} });
    expect(() => selectContexts(kc, [])).toThrow(ClusterError);
    expect(() => selectContexts(kc, [])).toThrow(/no current context \(contexts: dev\) — pass --context/);
  });

  it('a context naming a cluster that does not exist', async () => {
    const kc = await loadKubeconfig({
      explicitPath: file(kubeconfigYaml({ contexts: [{ name: 'dev', cluster: 'ghost' }], current: 'dev' })),
      env: {},
    });
    expect(() => selectContexts(kc, [])).toThrow('context "dev" names cluster "ghost", which the kubeconfig does not define');
  });

  it('reports insecure-skip-tls-verify', async () => {
    const kc = await loadKubeconfig({
      explicitPath: file(kubeconfigYaml({ contexts: [{ name: 'dev' }], current: 'dev', skipTls: true })),
      env: {},
    });
    expect(selectContexts(kc, [])[0]!.insecureSkipTlsVerify).toBe(true);
  });

  it('resolves a token user to a bearer header, verifying TLS', async () => {
    const [dev] = selectContexts(await loaded, ['dev']);
    const creds = await dev!.resolveCredentials();
    expect(creds.headers.Authorization).toBe('Bearer secret-token-abc');
    expect(creds.rejectUnauthorized).toBe(true);
  });
});

describe("a user's tokenFile", () => {
  it('is read (trimmed) when credentials are resolved, and read again after a 401 asks for fresh ones', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ktail-tokenfile-'));
    try {
      writeFileSync(join(d, 'token'), 'first-token\n');
      writeFileSync(
        join(d, 'config'),
        clusterCYaml([
          'users: [{name: u, user: {tokenFile: token}}]',
          'contexts: [{name: x, context: {cluster: c, user: u}}]',
          'current-context: x',
        ]),
      );
      const [ctx] = selectContexts(await loadKubeconfig({ explicitPath: join(d, 'config'), env: {} }), []);
      expect((await ctx!.resolveCredentials()).headers.Authorization).toBe('Bearer first-token');
      writeFileSync(join(d, 'token'), 'rotated-token\n');
      expect((await ctx!.resolveCredentials(true)).headers.Authorization).toBe('Bearer rotated-token');
      // and at most a minute later anyway, as client-go re-reads it (bound tokens rotate)
      const { expiresAt } = await ctx!.resolveCredentials();
      expect(expiresAt! - Date.now()).toBeGreaterThan(55_000);
      expect(expiresAt! - Date.now()).toBeLessThanOrEqual(60_000);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('connection flags over the kubeconfig', () => {
  it("the user's as, as-groups and as-uid become Impersonate-* headers; --as-group replaces the groups", async () => {
    const yaml = clusterCYaml([
      'users: [{name: u, user: {token: t, as: bob, as-groups: [ops, audit], as-uid: u-1}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ]);
    const kc = await loadKubeconfig({ explicitPath: file(yaml), env: {} });
    const [ctx] = selectContexts(kc, []);
    expect((await ctx!.resolveCredentials()).headers).toEqual({
      Authorization: 'Bearer t',
      'Impersonate-User': 'bob',
      'Impersonate-Group': ['ops', 'audit'],
      'Impersonate-Uid': 'u-1',
    });
    const [flagged] = selectContexts(kc, [], { asGroups: ['sre'] });
    expect((await flagged!.resolveCredentials()).headers['Impersonate-Group']).toEqual(['sre']);
  });

  it('--server with no kubeconfig at all: one context named by the server, the in-cluster config not used', async () => {
    const env = { HOME: tempDir(), KUBERNETES_SERVICE_HOST: '10.0.0.1', KTAIL_TEST_SERVICEACCOUNT_DIR: tempDir() };
    const overrides = { server: 'https://203.0.113.7:6443', token: 'tok' };
    const [ctx, ...rest] = selectContexts(await loadKubeconfig({ explicitPath: undefined, env }, overrides), [], overrides);
    expect(rest).toEqual([]);
    expect(ctx).toMatchObject({ name: 'https://203.0.113.7:6443', server: 'https://203.0.113.7:6443', namespace: 'default', user: '' });
    expect((await ctx!.resolveCredentials()).headers).toEqual({ Authorization: 'Bearer tok' });
  });

  it('no current context: --cluster and --user name the entries to use, as in kubectl', async () => {
    const yaml = clusterCYaml(['users: [{name: u, user: {token: t}}]', 'contexts: []']);
    const kc = await loadKubeconfig({ explicitPath: file(yaml), env: {} });
    const [ctx] = selectContexts(kc, [], { cluster: 'c', user: 'u' });
    expect(ctx).toMatchObject({ name: 'c', server: 'https://127.0.0.1:6443', user: 'u' });
    expect((await ctx!.resolveCredentials()).headers).toEqual({ Authorization: 'Bearer t' });
    expect(() => selectContexts(kc, [], {})).toThrow('the kubeconfig has no current context');
  });

  it('--request-timeout and --disable-compression reach every context', async () => {
    const kc = await loadKubeconfig({ explicitPath: file(devStaging), env: {} });
    for (const ctx of selectContexts(kc, ['dev', 'staging'], { requestTimeoutMs: 0, disableCompression: true })) {
      expect(ctx).toMatchObject({ responseTimeoutMs: 0, disableCompression: true });
    }
  });
});
