/**
 * Kubeconfig loading and the choice of contexts, with kubectl's connection flags over them
 * (overrides.ts); credentials are credentials.ts's. client-node's own shapes and validation
 * (`config_types.js`) are used directly: importing the package's index (its `KubeConfig`) loads
 * the whole generated API — about half a second and 75 MB — just to read a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { ClusterError } from '../common/errors.js';
import { Authenticator, resolveCredentials, type ContextCredentials } from './credentials.js';
import { errorText } from './errors.js';
import {
  contextFromFlags,
  impersonation,
  overrideCluster,
  overrideUser,
  type ConnectionOverrides,
  type Impersonation,
} from './overrides.js';

export type { ContextCredentials } from './credentials.js';

export interface ContextInfo {
  readonly name: string;
  readonly server: string;
  readonly namespace: string;
  readonly user: string;
  readonly insecureSkipTlsVerify: boolean;
  /** what said to skip TLS verification, for the warning */
  readonly insecureBy?: 'kubeconfig' | 'flag';
  /** --request-timeout: how long a request waits for its response headers; 0: no limit */
  readonly responseTimeoutMs?: number | undefined;
  /** --disable-compression: no Accept-Encoding: gzip */
  readonly disableCompression?: boolean;
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

/** Where a user's impersonation and token-file fields are, which client-node's shapes drop. */
interface UserExtras {
  readonly impersonation: Impersonation;
  /** the file that defines the user (an OIDC refresh writes its new tokens there) */
  readonly file: string | undefined;
}

/** The merged kubeconfig: kubectl's view of one or more files. */
export class Kubeconfig {
  constructor(
    readonly clusters: Cluster[],
    readonly users: User[],
    readonly contexts: Context[],
    public currentContext: string,
    /** by user name */
    readonly userExtras = new Map<string, UserExtras>(),
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

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * A pod's own service account, as client-go's in-cluster config: KUBERNETES_SERVICE_HOST/PORT,
 * and the token (re-read as it rotates, credentials.ts) and CA the kubelet mounts.
 * KTAIL_TEST_SERVICEACCOUNT_DIR moves the mount for tests; it is not an option for users.
 */
function inClusterConfig(env: NodeJS.ProcessEnv): Kubeconfig | undefined {
  const SA = env.KTAIL_TEST_SERVICEACCOUNT_DIR ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  if (host === undefined || host === '' || !existsSync(`${SA}/token`)) return undefined;
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
      if (typeof tokenFile === 'string' && !u.token && !u.exec && !u.authProvider) {
        (u as { authProvider?: unknown }).authProvider = { name: 'tokenFile', config: { tokenFile: abs(tokenFile)! } };
      }
      const groups = rawUserField(obj.users, u.name, 'as-groups');
      const uid = rawUserField(obj.users, u.name, 'as-uid');
      kc.userExtras.set(u.name, {
        impersonation: {
          user: u.impersonateUser || undefined,
          groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
          uid: typeof uid === 'string' ? uid : undefined,
        },
        file: path,
      });
    }
    return kc;
  } catch (err) {
    throw new ClusterError(`kubeconfig "${path}" is not valid: ${errorText(err)}`, { cause: err });
  }
}

/** A field of a user as the file has it (before client-node's shaping drops it); '' is none. */
function rawUserField(users: unknown, name: string, field: string): unknown {
  if (!Array.isArray(users)) return undefined;
  const entry = (users as { name?: unknown; user?: Record<string, unknown> }[]).find((u) => u.name === name);
  const value = entry?.user?.[field];
  return value === '' ? undefined : value;
}

/**
 * Loads the kubeconfig as kubectl does: several files merge, the first file's current-context
 * wins and the first definition of a name wins (client-node would take the last file's context
 * and throw on duplicates). Never falls back to localhost:8080 as client-node does.
 */
export async function loadKubeconfig(source: KubeconfigSource, overrides: ConnectionOverrides = {}): Promise<Kubeconfig> {
  const { paths, where } = kubeconfigPaths(source);
  if (paths.length === 0) {
    // kubectl: --server says where, and the in-cluster config is not used then
    if (overrides.server !== undefined) return new Kubeconfig([], [], [], '');
    const inCluster = inClusterConfig(source.env);
    if (inCluster) return inCluster;
    throw new ClusterError(`no kubeconfig found (looked at ${where}) and not running in a cluster — set --kubeconfig or KUBECONFIG`);
  }
  const parts = await Promise.all(paths.map(parseFile));
  const kc = parts[0]!;
  for (const part of parts.slice(1)) {
    for (const c of part.clusters) if (!kc.getCluster(c.name)) kc.clusters.push(c);
    for (const u of part.users) {
      if (kc.getUser(u.name)) continue;
      kc.users.push(u);
      const extras = part.userExtras.get(u.name);
      if (extras) kc.userExtras.set(u.name, extras);
    }
    for (const c of part.contexts) if (!kc.getContextObject(c.name)) kc.contexts.push(c);
    if (!kc.currentContext) kc.currentContext = part.currentContext;
  }
  return kc;
}

function contextNames(kc: Kubeconfig): string {
  const names = kc.getContexts().map((c) => c.name);
  return names.length > 0 ? names.join(', ') : 'none';
}

/**
 * Validates the chosen contexts and describes each, with the connection flags over their
 * cluster and user; credentials are resolved lazily, once.
 */
export function selectContexts(kc: Kubeconfig, wanted: readonly string[], overrides: ConnectionOverrides = {}): ContextInfo[] {
  const current = kc.getCurrentContext();
  // no context at all: the flags may say enough (--server, or --cluster), as for kubectl
  const fromFlags = wanted.length === 0 && !current ? contextFromFlags(overrides) : undefined;
  const names = fromFlags ? [fromFlags.name] : wanted.length > 0 ? wanted : [current];
  return names.map((name) => {
    if (!name) {
      throw new ClusterError(`the kubeconfig has no current context (contexts: ${contextNames(kc)}) — pass --context`);
    }
    const ctx = fromFlags ?? kc.getContextObject(name);
    if (!ctx) throw new ClusterError(`context "${name}" not found in kubeconfig (contexts: ${contextNames(kc)})`);
    const clusterName = overrides.cluster ?? ctx.cluster;
    const base = clusterName ? kc.getCluster(clusterName) : undefined;
    if (clusterName && !base) {
      const by = overrides.cluster !== undefined ? '--cluster' : `context "${name}"`;
      throw new ClusterError(`${by} names cluster "${clusterName}", which the kubeconfig does not define`);
    }
    const cluster = overrideCluster(base, overrides, name);
    const userName = overrides.user ?? ctx.user;
    const baseUser = userName ? kc.getUser(userName) : undefined;
    if (userName && !baseUser) {
      const by = overrides.user !== undefined ? '--user' : `context "${name}"`;
      throw new ClusterError(`${by} names user "${userName}", which the kubeconfig does not define`);
    }
    const user = overrideUser(baseUser, overrides);
    const extras = userName ? kc.userExtras.get(userName) : undefined;
    const impersonate = impersonation(extras?.impersonation ?? { user: baseUser?.impersonateUser || undefined, groups: [] }, overrides);
    const authenticator = new Authenticator(user, cluster, extras?.file);
    return {
      name,
      // kubectl takes a server without a scheme as https
      server: /^[a-z][a-z0-9+.-]*:\/\//i.test(cluster.server) ? cluster.server : `https://${cluster.server}`,
      proxyUrl: cluster.proxyUrl,
      namespace: ctx.namespace || 'default',
      user: user?.name ?? '',
      insecureSkipTlsVerify: cluster.skipTLSVerify,
      ...(cluster.skipTLSVerify ? { insecureBy: overrides.insecureSkipTlsVerify ? ('flag' as const) : ('kubeconfig' as const) } : {}),
      ...(overrides.requestTimeoutMs !== undefined ? { responseTimeoutMs: overrides.requestTimeoutMs } : {}),
      ...(overrides.disableCompression ? { disableCompression: true } : {}),
      resolveCredentials: (fresh?: boolean) => resolveCredentials(cluster, user, impersonate, authenticator, fresh === true),
    };
  });
}
