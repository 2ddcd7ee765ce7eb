/**
 * Kubeconfig loading and credentials. client-node's own shapes and validation
 * (`config_types.js`) are used directly, exec plugins run by exec-credential.ts: importing
 * the package's index (its `KubeConfig`) loads the whole generated API — about half a second
 * and 75 MB — just to read a file. The full client is loaded only for users with an
 * `auth-provider` (OIDC, Azure, GCP), which need its authenticators.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { ClusterError } from '../common/errors.js';
import { errorText } from './errors.js';
import { runExecPlugin, type ExecConfig, type ExecCredential } from './exec-credential.js';

/** What one context needs to make requests; resolved once, shared by every stream. */
export interface ContextCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  /** when they stop being valid (an exec plugin's expirationTimestamp), ms since the epoch */
  readonly expiresAt?: number;
}

export interface ContextInfo {
  readonly name: string;
  readonly server: string;
  readonly namespace: string;
  readonly user: string;
  readonly insecureSkipTlsVerify: boolean;
  /** the cluster's proxy-url (else HTTPS_PROXY… as client-go: proxy.ts) */
  readonly proxyUrl?: string | undefined;
  /**
   * Resolves the context's credentials: once at start, shared by every stream; `fresh` after a
   * 401, when a cached exec-plugin credential must not be reused.
   */
  resolveCredentials(fresh?: boolean): Promise<ContextCredentials>;
}

export interface KubeconfigSource {
  /** --kubeconfig */
  readonly explicitPath: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** The merged kubeconfig: kubectl's view of one or more files. */
export class Kubeconfig {
  constructor(
    readonly clusters: Cluster[],
    readonly users: User[],
    readonly contexts: Context[],
    public currentContext: string,
  ) {}
  getCurrentContext(): string {
    return this.currentContext;
  }
  getContexts(): Context[] {
    return this.contexts;
  }
  getContextObject(name: string): Context | undefined {
    return this.contexts.find((c) => c.name === name);
  }
  getCluster(name: string): Cluster | undefined {
    return this.clusters.find((c) => c.name === name);
  }
  getUser(name: string): User | undefined {
    return this.users.find((u) => u.name === name);
  }
}

/** The files kubectl would read, in kubectl's order: --kubeconfig, else $KUBECONFIG's, else ~/.kube/config. */
export function kubeconfigPaths(source: KubeconfigSource): { paths: string[]; where: string } {
  if (source.explicitPath !== undefined) {
    if (!existsSync(source.explicitPath)) {
      throw new ClusterError(`kubeconfig "${source.explicitPath}" does not exist — check --kubeconfig`);
    }
    return { paths: [source.explicitPath], where: `--kubeconfig ${source.explicitPath}` };
  }
  const fromEnv = source.env.KUBECONFIG;
  if (fromEnv !== undefined && fromEnv !== '') {
    // kubectl ignores listed files that do not exist
    return { paths: fromEnv.split(delimiter).filter((p) => p !== '' && existsSync(p)), where: `KUBECONFIG=${fromEnv}` };
  }
  const home = source.env.HOME ?? homedir();
  const def = join(home, '.kube', 'config');
  return { paths: existsSync(def) ? [def] : [], where: def };
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

function inClusterConfig(env: NodeJS.ProcessEnv): Kubeconfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (host === undefined || !existsSync(`${SA}/token`)) return undefined;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const namespace = existsSync(`${SA}/namespace`) ? readFileSync(`${SA}/namespace`, 'utf8').trim() : 'default';
  return new Kubeconfig(
    [{ name: 'in-cluster', server, caFile: `${SA}/ca.crt`, skipTLSVerify: false }],
    [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: `${SA}/token` } } }],
    [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace }],
    'in-cluster',
  );
}

async function parseFile(path: string): Promise<Kubeconfig> {
  const [{ load }, types] = await Promise.all([import('js-yaml'), import('@kubernetes/client-node/dist/config_types.js')]);
  try {
    const obj = (load(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
    if (typeof obj !== 'object') throw new Error('not a YAML mapping');
    const kc = new Kubeconfig(
      types.newClusters(obj.clusters),
      types.newUsers(obj.users),
      types.newContexts(obj.contexts),
      typeof obj['current-context'] === 'string' ? obj['current-context'] : '',
    );
    // relative certificate paths are relative to the file, as kubectl reads them
    const root = dirname(path);
    const abs = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : join(root, p));
    for (const c of kc.clusters) c.caFile = abs(c.caFile);
    for (const u of kc.users) {
      u.certFile = abs(u.certFile);
      u.keyFile = abs(u.keyFile);
      // kubectl's `tokenFile:` (client-node reads only `token-file`, once, untrimmed): read at
      // each credential resolution, so a rotated token is picked up after a 401
      const tokenFile = rawUserField(obj.users, u.name, 'tokenFile');
      if (tokenFile !== undefined && !u.token && !u.exec && !u.authProvider) {
        (u as { authProvider?: unknown }).authProvider = { name: 'tokenFile', config: { tokenFile: abs(tokenFile)! } };
      }
    }
    return kc;
  } catch (err) {
    throw new ClusterError(`kubeconfig "${path}" is not valid: ${errorText(err)}`, { cause: err });
  }
}

/** A string field of a user as the file has it (before client-node's shaping drops it). */
function rawUserField(users: unknown, name: string, field: string): string | undefined {
  if (!Array.isArray(users)) return undefined;
  const entry = (users as { name?: unknown; user?: Record<string, unknown> }[]).find((u) => u.name === name);
  const value = entry?.user?.[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Loads the kubeconfig as kubectl does: several files merge, the first file's current-context
 * wins and the first definition of a name wins (client-node would take the last file's context
 * and throw on duplicates). Never falls back to localhost:8080 as client-node does.
 */
export async function loadKubeconfig(source: KubeconfigSource): Promise<Kubeconfig> {
  const { paths, where } = kubeconfigPaths(source);
  if (paths.length === 0) {
    const inCluster = inClusterConfig(source.env);
    if (inCluster) return inCluster;
    throw new ClusterError(`no kubeconfig found (looked at ${where}) and not running in a cluster — set --kubeconfig or KUBECONFIG`);
  }
  const parts = await Promise.all(paths.map(parseFile));
  const kc = parts[0]!;
  for (const part of parts.slice(1)) {
    for (const c of part.clusters) if (!kc.getCluster(c.name)) kc.clusters.push(c);
    for (const u of part.users) if (!kc.getUser(u.name)) kc.users.push(u);
    for (const c of part.contexts) if (!kc.getContextObject(c.name)) kc.contexts.push(c);
    if (!kc.currentContext) kc.currentContext = part.currentContext;
  }
  return kc;
}

function contextNames(kc: Kubeconfig): string {
  const names = kc.getContexts().map((c) => c.name);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** Validates the chosen contexts and describes each; credentials are resolved lazily, once. */
export function selectContexts(kc: Kubeconfig, wanted: readonly string[]): ContextInfo[] {
  const names = wanted.length > 0 ? wanted : [kc.getCurrentContext()];
  return names.map((name) => {
    if (!name) {
      throw new ClusterError(`the kubeconfig has no current context (contexts: ${contextNames(kc)}) — pass --context`);
    }
    const ctx = kc.getContextObject(name);
    if (!ctx) throw new ClusterError(`context "${name}" not found in kubeconfig (contexts: ${contextNames(kc)})`);
    const cluster = kc.getCluster(ctx.cluster);
    if (!cluster) throw new ClusterError(`context "${name}" names cluster "${ctx.cluster}", which the kubeconfig does not define`);
    const user = ctx.user ? kc.getUser(ctx.user) : undefined;
    if (ctx.user && !user) throw new ClusterError(`context "${name}" names user "${ctx.user}", which the kubeconfig does not define`);
    const authenticator = new Authenticator(user, cluster);
    return {
      name,
      // kubectl takes a server without a scheme as https
      server: /^[a-z][a-z0-9+.-]*:\/\//i.test(cluster.server) ? cluster.server : `https://${cluster.server}`,
      proxyUrl: cluster.proxyUrl,
      namespace: ctx.namespace || 'default',
      user: user?.name ?? '',
      insecureSkipTlsVerify: cluster.skipTLSVerify,
      resolveCredentials: (fresh?: boolean) => resolveCredentials(cluster, user, authenticator, fresh === true),
    };
  });
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

interface HttpsAuthOptions {
  headers?: Record<string, string>;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** an exec plugin's credential expiry */
  expiresAt?: number | undefined;
}

/** One per context's user: the exec plugin's credential lives here, so it runs once per credential. */
class Authenticator {
  private credential: Promise<ExecCredential> | undefined;
  private expiresAt: number | undefined;

  constructor(
    private readonly user: User | undefined,
    private readonly cluster: Cluster,
  ) {}

  /** The plugin's credential: shared by concurrent callers, run again once expired or refused. */
  private execCredential(exec: ExecConfig, name: string, fresh: boolean): Promise<ExecCredential> {
    // as client-go: run again once expired (a request that races the expiry gets a 401, and then
    // a fresh one)
    if (fresh || (this.expiresAt !== undefined && Date.now() >= this.expiresAt)) this.credential = undefined;
    this.credential ??= runExecPlugin(exec, name, {
      stdinIsTTY: process.stdin.isTTY,
      cluster: { server: this.cluster.server, ...(this.cluster.caData ? { 'certificate-authority-data': this.cluster.caData } : {}) },
    }).then(
      (c) => {
        this.expiresAt = c.expiresAt;
        return c;
      },
      (err: unknown) => {
        this.credential = undefined;
        throw err;
      },
    );
    return this.credential;
  }

  async apply(opts: HttpsAuthOptions, fresh: boolean): Promise<void> {
    const user = this.user;
    if (!user) return;
    if (user.exec) {
      const c = await this.execCredential(user.exec as ExecConfig, user.name, fresh);
      if (c.token !== undefined) opts.headers = { ...opts.headers, Authorization: `Bearer ${c.token}` };
      if (c.clientCertificateData !== undefined && c.clientKeyData !== undefined) {
        opts.cert = c.clientCertificateData;
        opts.key = c.clientKeyData;
      }
      opts.expiresAt = c.expiresAt;
      return;
    }
    const provider = user.authProvider as { name?: string; config?: Record<string, string> } | undefined;
    if (provider?.name === 'tokenFile' && provider.config?.tokenFile) {
      opts.headers = { ...opts.headers, Authorization: `Bearer ${readFileSync(provider.config.tokenFile, 'utf8').trim()}` };
      return;
    }
    if (provider) {
      // OIDC, Azure, GCP: client-node's full authenticators
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: [], users: [user], contexts: [{ name: 'x', cluster: '', user: user.name }], currentContext: 'x' });
      const o: HttpsAuthOptions & { headers: Record<string, string> } = { headers: {} };
      await (kc as unknown as { applyAuthorizationHeader(o: unknown): Promise<void> }).applyAuthorizationHeader(o);
      opts.headers = { ...opts.headers, ...o.headers };
    }
  }
}

async function resolveCredentials(
  cluster: Cluster,
  user: User | undefined,
  auth: Authenticator,
  fresh: boolean,
): Promise<ContextCredentials> {
  const opts: HttpsAuthOptions = { headers: {} };
  try {
    await auth.apply(opts, fresh);
  } catch (err) {
    // exec plugins say what failed themselves; an auth provider's failure may hold secrets in
    // its later lines, so only the first
    if (err instanceof ClusterError) throw err;
    throw new ClusterError(`cannot get credentials for user "${user?.name ?? ''}": ${errorText(err)}`, { cause: err });
  }
  const headers: Record<string, string> = { ...opts.headers };
  if (user?.token) headers.Authorization = `Bearer ${user.token}`;
  if (user?.username && user.password !== undefined && !headers.Authorization) {
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  }
  if (user?.impersonateUser) headers['Impersonate-User'] = user.impersonateUser;
  const toBuf = (v: Buffer | string | undefined): Buffer | undefined =>
    v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
  const ca = fileOrData(cluster.caFile, cluster.caData);
  const cert = toBuf(opts.cert) ?? fileOrData(user?.certFile, user?.certData);
  const key = toBuf(opts.key) ?? fileOrData(user?.keyFile, user?.keyData);
  return {
    headers,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: !cluster.skipTLSVerify,
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
  };
}
