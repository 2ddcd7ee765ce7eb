/**
 * A context's credentials, as client-go builds them from its user and cluster: a token (the
 * user's, a token file's, an exec plugin's, an OIDC id-token), basic auth, a client certificate
 * (files or data, or a plugin's), the CA and TLS server name, and the Impersonate-* headers.
 * Resolved once and shared by every stream; again when they expire, or after a 401.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Cluster, User } from '@kubernetes/client-node/dist/config_types.js';
import { ClusterError } from '../common/errors.js';
import { errorText } from './errors.js';
import { runExecPlugin, type ExecConfig, type ExecCredential } from './exec-credential.js';
import { oidcToken, type OidcState } from './oidc.js';
import { impersonationHeaders, type Impersonation } from './overrides.js';

/** What one context needs to make requests; resolved once, shared by every stream. */
export interface ContextCredentials {
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  /** when they stop being valid (an exec plugin's expirationTimestamp), ms since the epoch */
  readonly expiresAt?: number;
}

/** client-go re-reads a token file at most once a minute: bound service-account tokens rotate. */
const TOKEN_FILE_TTL_MS = 60_000;

/** The auth providers kubectl dropped, and what replaced them. */
const REMOVED_PROVIDERS: Readonly<Record<string, string>> = {
  gcp: 'the exec plugin gke-gcloud-auth-plugin (install it, then run "gcloud container clusters get-credentials" again)',
  azure: 'the exec plugin kubelogin (install it, then run "kubelogin convert-kubeconfig")',
};

interface AuthOptions {
  headers: Record<string, string>;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** when the credential expires */
  expiresAt?: number | undefined;
}

interface AuthProvider {
  readonly name?: string;
  readonly config?: Record<string, string>;
}

/** One per context's user: an exec plugin's or OIDC credential lives here, so it is fetched once per lifetime. */
export class Authenticator {
  private credential: Promise<ExecCredential> | undefined;
  private expiresAt: number | undefined;
  private readonly oidc: OidcState = {};

  constructor(
    private readonly user: User | undefined,
    private readonly cluster: Cluster,
    /** where the user is defined, for an OIDC refresh to write its new tokens back (as kubectl does) */
    private readonly kubeconfigFile: string | undefined,
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

  async apply(opts: AuthOptions, fresh: boolean): Promise<void> {
    const user = this.user;
    if (!user) return;
    if (user.exec) {
      const c = await this.execCredential(user.exec as ExecConfig, user.name, fresh);
      if (c.token !== undefined) opts.headers.Authorization = `Bearer ${c.token}`;
      if (c.clientCertificateData !== undefined && c.clientKeyData !== undefined) {
        opts.cert = c.clientCertificateData;
        opts.key = c.clientKeyData;
      }
      opts.expiresAt = c.expiresAt;
      return;
    }
    const provider = user.authProvider as AuthProvider | undefined;
    if (provider === undefined) return;
    const name = provider.name ?? '';
    if (name === 'tokenFile' && provider.config?.tokenFile) {
      opts.headers.Authorization = `Bearer ${readFileSync(provider.config.tokenFile, 'utf8').trim()}`;
      opts.expiresAt = Date.now() + TOKEN_FILE_TTL_MS;
      return;
    }
    if (name === 'oidc') {
      const t = await oidcToken(provider.config ?? {}, this.oidc, { user: user.name, kubeconfigFile: this.kubeconfigFile, fresh });
      opts.headers.Authorization = `Bearer ${t.idToken}`;
      opts.expiresAt = t.expiresAt;
      return;
    }
    const replacement = REMOVED_PROVIDERS[name];
    if (replacement !== undefined) {
      throw new ClusterError(`user "${user.name}" uses the "${name}" auth provider, which kubectl no longer has: use ${replacement}`);
    }
    throw new ClusterError(
      `user "${user.name}" uses the auth provider "${name}", which ktail does not know (it knows oidc): no credentials would be sent`,
    );
  }
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

/** The credentials of one context's cluster and user (both with the command line's flags over them). */
export async function resolveCredentials(
  cluster: Cluster,
  user: User | undefined,
  impersonate: Impersonation,
  auth: Authenticator,
  fresh: boolean,
): Promise<ContextCredentials> {
  const opts: AuthOptions = { headers: {} };
  try {
    await auth.apply(opts, fresh);
  } catch (err) {
    // exec plugins say what failed themselves; an auth provider's failure may hold secrets in
    // its later lines, so only the first
    if (err instanceof ClusterError) throw err;
    throw new ClusterError(`cannot get credentials for user "${user?.name ?? ''}": ${errorText(err)}`, { cause: err });
  }
  const headers: Record<string, string | readonly string[]> = { ...opts.headers, ...impersonationHeaders(impersonate) };
  if (user?.token) headers.Authorization = `Bearer ${user.token}`;
  if (user?.username && user.password !== undefined && !headers.Authorization) {
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  }
  const toBuf = (v: Buffer | string | undefined): Buffer | undefined =>
    v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
  let ca: Buffer | undefined;
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  try {
    ca = fileOrData(cluster.caFile, cluster.caData);
    cert = toBuf(opts.cert) ?? fileOrData(user?.certFile, user?.certData);
    key = toBuf(opts.key) ?? fileOrData(user?.keyFile, user?.keyData);
    // a file that is not PEM, or a key that is not the certificate's, said now and in words
    // rather than by the first TLS connection
    createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
  } catch (err) {
    const who = user?.name ? `user "${user.name}"` : 'the command line';
    throw new ClusterError(`cannot use the TLS certificates for ${who}: ${tlsMaterialError(err)}`, { cause: err });
  }
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

/** Node's words for unreadable or mismatched TLS material, shortened to what the user can act on. */
function tlsMaterialError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'EACCES')
    return `cannot read ${e.path ?? 'a file'} (${e.code === 'ENOENT' ? 'no such file' : 'permission denied'})`;
  if (e.code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/.test(e.message))
    return "the client key is not the certificate's";
  if (/PEM|no start line|bad base64|ASN1|DECODER/i.test(e.message)) return 'a certificate or key that is not valid PEM';
  return errorText(err);
}
