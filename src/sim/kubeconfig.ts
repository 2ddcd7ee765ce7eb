// A kubeconfig pointing at the simulated cluster (JSON, which is valid YAML).

interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
}

/** An extra context (or an override of `sim` / `sim-shop`); unset fields use the sim's own. */
interface ContextSpec {
  name: string;
  namespace?: string;
  /** e.g. a closed port, to test an unreachable cluster */
  server?: string;
  /** a bearer token for this context's user (e.g. a wrong one) */
  token?: string;
  /** an exec credential plugin instead of a token */
  exec?: ExecConfig;
  /**
   * the user entry as the kubeconfig holds it, instead of a token: client-certificate-data,
   * auth-provider, as… (`{}`: no credentials at all)
   */
  user?: Record<string, unknown>;
  insecureSkipTlsVerify?: boolean;
  /** PEM of the CA to trust (e.g. otherCaCert for an unknown authority) */
  caData?: string;
  /** the cluster's proxy-url */
  proxyUrl?: string;
  /** the cluster's tls-server-name (the sim's certificate names localhost) */
  tlsServerName?: string;
}

export interface KubeconfigOptions {
  contexts?: ContextSpec[];
  currentContext?: string;
}

export interface KubeconfigTarget {
  server: string;
  token: string;
  caPem: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function buildKubeconfig(t: KubeconfigTarget, opts: KubeconfigOptions = {}): Record<string, unknown> {
  const specs = new Map<string, ContextSpec>([
    ['sim', { name: 'sim', namespace: 'default' }],
    ['sim-shop', { name: 'sim-shop', namespace: 'shop' }],
  ]);
  for (const c of opts.contexts ?? []) specs.set(c.name, c);

  const clusters: Record<string, unknown>[] = [{ name: 'sim', cluster: { server: t.server, 'certificate-authority-data': b64(t.caPem) } }];
  const users: Record<string, unknown>[] = [{ name: 'sim-user', user: { token: t.token } }];
  const contexts: Record<string, unknown>[] = [];
  for (const c of specs.values()) {
    let cluster = 'sim';
    if (
      c.server !== undefined ||
      c.caData !== undefined ||
      c.insecureSkipTlsVerify ||
      c.proxyUrl !== undefined ||
      c.tlsServerName !== undefined
    ) {
      cluster = `${c.name}-cluster`;
      const entry: Record<string, unknown> = { server: c.server ?? t.server };
      if (c.proxyUrl !== undefined) entry['proxy-url'] = c.proxyUrl;
      if (c.tlsServerName !== undefined) entry['tls-server-name'] = c.tlsServerName;
      if (c.insecureSkipTlsVerify) entry['insecure-skip-tls-verify'] = true;
      else entry['certificate-authority-data'] = b64(c.caData ?? t.caPem);
      clusters.push({ name: cluster, cluster: entry });
    }
    let user = 'sim-user';
    if (c.token !== undefined || c.exec !== undefined || c.user !== undefined) {
      // not "${name}-user": the context "sim" would then redefine the shared "sim-user"
      user = `${c.name}-context-user`;
      const exec = c.exec ? { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...c.exec } : undefined;
      users.push({ name: user, user: exec ? { exec } : (c.user ?? { token: c.token }) });
    }
    const ctx: Record<string, unknown> = { cluster, user };
    if (c.namespace !== undefined) ctx.namespace = c.namespace;
    contexts.push({ name: c.name, context: ctx });
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters,
    users,
    contexts,
    'current-context': opts.currentContext ?? 'sim',
  };
}
