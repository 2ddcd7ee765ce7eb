/**
 * kubectl's connection flags (--server, --token, --user, --cluster, --as…) over the kubeconfig,
 * as client-go's clientcmd overrides apply them: each replaces the matching field of the
 * cluster or user of every selected context, and --server with --token needs no kubeconfig at all.
 */
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { ClusterError, UsageError } from '../common/errors.js';

export interface ConnectionOverrides {
  readonly server?: string | undefined;
  readonly token?: string | undefined;
  /** the kubeconfig user to use */
  readonly user?: string | undefined;
  /** the kubeconfig cluster to use */
  readonly cluster?: string | undefined;
  readonly as?: string | undefined;
  readonly asGroups?: readonly string[] | undefined;
  readonly asUid?: string | undefined;
  /** file paths */
  readonly certificateAuthority?: string | undefined;
  readonly clientCertificate?: string | undefined;
  readonly clientKey?: string | undefined;
  readonly tlsServerName?: string | undefined;
  readonly insecureSkipTlsVerify?: boolean | undefined;
  /** how long a request waits for its response headers; 0: no limit */
  readonly requestTimeoutMs?: number | undefined;
  readonly disableCompression?: boolean | undefined;
}

/** Impersonation, from the kubeconfig's user (as, as-groups, as-uid) or the flags, which win. */
export interface Impersonation {
  readonly user?: string | undefined;
  readonly groups: readonly string[];
  readonly uid?: string | undefined;
}

/**
 * A context for a run without one (no kubeconfig, or one without a current context) when the
 * flags say enough: --server, or --cluster naming a kubeconfig cluster.
 */
export function contextFromFlags(overrides: ConnectionOverrides): Context | undefined {
  // kubectl's has no name; ours is named by the server (or the cluster), for messages
  const name = overrides.server ?? overrides.cluster;
  if (name === undefined) return undefined;
  return { name, cluster: overrides.cluster ?? '', user: overrides.user ?? '' };
}

/** The context's cluster with --server, --certificate-authority, --tls-server-name and --insecure-skip-tls-verify over it. */
export function overrideCluster(cluster: Cluster | undefined, o: ConnectionOverrides, context: string): Cluster {
  const server = o.server ?? cluster?.server;
  if (server === undefined || server === '') {
    throw new ClusterError(`context "${context}" has no server — pass --server or fix the kubeconfig`);
  }
  const base: Cluster = cluster ?? { name: '', server, skipTLSVerify: false };
  const insecure = o.insecureSkipTlsVerify === true || (o.certificateAuthority === undefined && base.skipTLSVerify);
  // client-go: the flag's CA replaces the kubeconfig's (file and data); --insecure-skip-tls-verify drops both
  const ca = insecure
    ? {}
    : o.certificateAuthority !== undefined
      ? { caFile: o.certificateAuthority }
      : { ...(base.caFile !== undefined ? { caFile: base.caFile } : {}), ...(base.caData !== undefined ? { caData: base.caData } : {}) };
  const tlsServerName = o.tlsServerName ?? base.tlsServerName;
  return {
    name: base.name,
    server,
    skipTLSVerify: insecure,
    ...ca,
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    ...(base.proxyUrl !== undefined ? { proxyUrl: base.proxyUrl } : {}),
  };
}

/**
 * The context's user with --token, --client-certificate and --client-key over it. A token from
 * the command line replaces the user's other ways of getting one (exec plugin, auth provider,
 * token file, basic auth), as it does in kubectl; a client certificate is TLS and stays.
 */
export function overrideUser(user: User | undefined, o: ConnectionOverrides): User | undefined {
  if (o.token === undefined && o.clientCertificate === undefined && o.clientKey === undefined) return user;
  const base: User = user ?? { name: '' };
  const merged: { -readonly [K in keyof User]: User[K] } =
    o.token !== undefined
      ? { name: base.name, token: o.token, certFile: base.certFile, certData: base.certData, keyFile: base.keyFile, keyData: base.keyData }
      : { ...base };
  if (base.impersonateUser !== undefined) merged.impersonateUser = base.impersonateUser;
  if (o.clientCertificate !== undefined) {
    merged.certFile = o.clientCertificate;
    delete merged.certData;
  }
  if (o.clientKey !== undefined) {
    merged.keyFile = o.clientKey;
    delete merged.keyData;
  }
  const hasCert = merged.certFile !== undefined || merged.certData !== undefined;
  const hasKey = merged.keyFile !== undefined || merged.keyData !== undefined;
  if (hasCert !== hasKey) {
    const who = base.name ? `user "${base.name}"` : 'the command line';
    throw new ClusterError(
      hasCert
        ? `a client certificate needs its key, and ${who} gives none — pass --client-key`
        : `a client key needs its certificate, and ${who} gives none — pass --client-certificate`,
    );
  }
  return merged;
}

/**
 * --as, --as-group, --as-uid over the user's own (as, as-groups, as-uid), field by field as
 * client-go merges them; groups or a uid without a user to impersonate are refused, as kubectl
 * refuses them.
 */
export function impersonation(fromUser: Impersonation, o: ConnectionOverrides): Impersonation {
  const user = o.as ?? fromUser.user;
  const groups = o.asGroups !== undefined && o.asGroups.length > 0 ? o.asGroups : fromUser.groups;
  const uid = o.asUid ?? fromUser.uid;
  if (user === undefined && (groups.length > 0 || uid !== undefined)) {
    throw new UsageError('--as-group and --as-uid need a user to impersonate: pass --as');
  }
  return { user, groups, uid };
}

/** The Impersonate-* headers: one Impersonate-Group per group, as client-go sends them. */
export function impersonationHeaders(i: Impersonation): Record<string, string | string[]> {
  if (i.user === undefined) return {};
  return {
    'Impersonate-User': i.user,
    ...(i.groups.length > 0 ? { 'Impersonate-Group': [...i.groups] } : {}),
    ...(i.uid !== undefined ? { 'Impersonate-Uid': i.uid } : {}),
  };
}
