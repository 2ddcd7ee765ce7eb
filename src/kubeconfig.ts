/**
 * The only module that loads @kubernetes/client-node at run time: we use it for what it does
 * well (parsing kubeconfig, contexts, auth providers and exec plugins, TLS material) and keep
 * the requests themselves on our own transport (transport.ts). See docs/architecture.md.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, firstLine } from './errors.js';

/** What one context needs to make requests; resolved once, shared by every stream. */
export interface ContextCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

export interface ContextInfo {
  readonly name: string;
  readonly server: string;
  readonly namespace: string;
  readonly user: string;
  readonly insecureSkipTlsVerify: boolean;
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

function inCluster(env: NodeJS.ProcessEnv): boolean {
  return (
    env.KUBERNETES_SERVICE_HOST !== undefined &&
    existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')
  );
}

/**
 * Loads the kubeconfig as kubectl does: several files merge, the first file's current-context
 * wins and the first definition of a name wins (client-node would take the last file's context
 * and throw on duplicates). Never falls back to localhost:8080 as client-node does.
 */
export async function loadKubeconfig(source: KubeconfigSource): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { paths, where } = kubeconfigPaths(source);
  const kc = new KubeConfig();
  if (paths.length === 0) {
    if (inCluster(source.env)) {
      kc.loadFromCluster();
      return kc;
    }
    throw new ClusterError(
      `no kubeconfig found (looked at ${where}) and not running in a cluster — set --kubeconfig or KUBECONFIG`,
    );
  }
  paths.forEach((path, i) => {
    const part = new KubeConfig();
    try {
      part.loadFromFile(path);
    } catch (err) {
      throw new ClusterError(`kubeconfig "${path}" is not valid: ${firstLine(err)}`, { cause: err });
    }
    if (i === 0) {
      kc.loadFromOptions({
        clusters: part.clusters, users: part.users, contexts: part.contexts, currentContext: part.currentContext,
      });
      return;
    }
    for (const c of part.clusters) if (!kc.getCluster(c.name)) kc.clusters.push(c);
    for (const u of part.users) if (!kc.getUser(u.name)) kc.users.push(u);
    for (const c of part.contexts) if (!kc.getContextObject(c.name)) kc.contexts.push(c);
    if (!kc.currentContext) kc.currentContext = part.currentContext;
  });
  return kc;
}

function contextNames(kc: KubeConfig): string {
  const names = kc.getContexts().map((c) => c.name);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** Validates the chosen contexts and describes each; credentials are resolved lazily, once. */
export function selectContexts(kc: KubeConfig, wanted: readonly string[]): ContextInfo[] {
  const names = wanted.length > 0 ? wanted : [kc.getCurrentContext()];
  return names.map((name) => {
    if (!name) {
      throw new ClusterError(`the kubeconfig has no current context (contexts: ${contextNames(kc)}) — pass --context`);
    }
    const ctx = kc.getContextObject(name);
    if (!ctx) throw new ClusterError(`context "${name}" not found in kubeconfig (contexts: ${contextNames(kc)})`);
    const cluster = kc.getCluster(ctx.cluster);
    if (!cluster) throw new ClusterError(`context "${name}" names cluster "${ctx.cluster}", which the kubeconfig does not define`);
    const user = ctx.user ? kc.getUser(ctx.user) : null;
    return {
      name,
      server: cluster.server,
      namespace: ctx.namespace || 'default',
      user: user?.name ?? ctx.user ?? '',
      insecureSkipTlsVerify: cluster.skipTLSVerify === true,
      resolveCredentials: (fresh?: boolean) => resolveCredentials(kc, name, fresh === true),
    };
  });
}

// applyToHTTPSOptions reads the *current* context, so resolutions of different contexts must
// not interleave; this chain runs them one at a time.
let credentialChain: Promise<unknown> = Promise.resolve();

/**
 * client-node's exec authenticator caches a credential until its expirationTimestamp, even one
 * the server just refused; after a 401 we drop the cached entry so the plugin runs again.
 */
function forgetCachedCredential(kc: KubeConfig, userName: string): void {
  const authenticators = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  for (const a of authenticators) {
    const cache = (a as { tokenCache?: Record<string, unknown> }).tokenCache;
    if (cache && typeof cache === 'object') delete cache[userName];
  }
}

async function resolveCredentials(kc: KubeConfig, context: string, fresh: boolean): Promise<ContextCredentials> {
  const run = async (): Promise<ContextCredentials> => {
    kc.setCurrentContext(context);
    const userName = kc.getContextObject(context)?.user;
    if (fresh && userName) forgetCachedCredential(kc, userName);
    const opts: { headers?: Record<string, string>; ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string; auth?: string } = {};
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // exec plugin or auth provider failure; its output may hold secrets, so only the first line
      throw new ClusterError(`cannot get credentials for context "${context}": ${firstLine(err)}`, { cause: err });
    }
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return {
      headers,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert ? { cert: opts.cert } : {}),
      ...(opts.key ? { key: opts.key } : {}),
      rejectUnauthorized: opts.rejectUnauthorized !== false,
      ...(opts.servername ? { servername: opts.servername } : {}),
    };
  };
  const result = credentialChain.then(run, run);
  credentialChain = result.catch(() => undefined);
  return result;
}
