/**
 * `auth-provider: oidc`, as client-go's plugin does it: the id-token is the bearer token until
 * it expires (its JWT `exp`); then the refresh-token buys a new one from the issuer's token
 * endpoint, found at `<idp-issuer-url>/.well-known/openid-configuration`. The new tokens are
 * written back to the kubeconfig file that defines the user, as kubectl does: an issuer that
 * rotates refresh tokens accepts each only once, so keeping the new one in memory alone would
 * leave kubectl, and the next run, with a spent one. Ours because client-node 1.4's refresh
 * fails (`"server" must be an instance of URL`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ClusterError } from '../common/errors.js';

/** What one user's tokens are now, across refreshes. */
export interface OidcState {
  idToken?: string;
  refreshToken?: string;
  refreshing?: Promise<void> | undefined;
}

interface OidcRun {
  readonly user: string;
  readonly kubeconfigFile: string | undefined;
  /** the server refused the token: refresh even if it has not expired */
  readonly fresh: boolean;
}

/** Refresh this long before the token's expiry, so that no request carries a token about to expire. */
const EXPIRY_MARGIN_MS = 10_000;
const ISSUER_TIMEOUT_MS = 30_000;

/** A JWT's `exp` in ms since the epoch, or undefined when the token is not a JWT with one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function oidcToken(
  config: Readonly<Record<string, string>>,
  state: OidcState,
  run: OidcRun,
): Promise<{ idToken: string; expiresAt: number | undefined }> {
  state.idToken ??= config['id-token'];
  state.refreshToken ??= config['refresh-token'];
  const usable = (): boolean => {
    const exp = state.idToken ? jwtExpiry(state.idToken) : undefined;
    return exp !== undefined && Date.now() < exp - EXPIRY_MARGIN_MS;
  };
  if (!usable() || run.fresh) {
    state.refreshing ??= refresh(config, state, run).finally(() => (state.refreshing = undefined));
    await state.refreshing;
  }
  const exp = jwtExpiry(state.idToken!);
  return { idToken: state.idToken!, expiresAt: exp === undefined ? undefined : exp - EXPIRY_MARGIN_MS };
}

async function refresh(config: Readonly<Record<string, string>>, state: OidcState, run: OidcRun): Promise<void> {
  const issuer = config['idp-issuer-url'];
  const clientId = config['client-id'];
  const who = `user "${run.user}"`;
  if (!state.refreshToken || !issuer || !clientId) {
    const missing = !state.refreshToken ? 'refresh-token' : !issuer ? 'idp-issuer-url' : 'client-id';
    throw new ClusterError(`the OIDC id-token of ${who} has expired and its auth-provider has no ${missing} to renew it: log in again`);
  }
  const ca = config['idp-certificate-authority-data']
    ? Buffer.from(config['idp-certificate-authority-data'], 'base64')
    : config['idp-certificate-authority']
      ? readFileSync(config['idp-certificate-authority'])
      : undefined;
  const discovery = await call(new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`), ca, undefined);
  if (discovery.status !== 200 || typeof discovery.json?.token_endpoint !== 'string') {
    throw new ClusterError(`the OIDC issuer ${issuer} of ${who} has no token endpoint (discovery answered ${discovery.status})`);
  }
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: state.refreshToken, client_id: clientId });
  if (config['client-secret']) form.set('client_secret', config['client-secret']);
  const answer = await call(new URL(discovery.json.token_endpoint), ca, form.toString());
  // the OAuth error code only: its description may quote what was sent
  if (answer.status !== 200) {
    const code = typeof answer.json?.error === 'string' ? `: ${answer.json.error.replace(/[^\w.-]/g, '')}` : '';
    throw new ClusterError(`the OIDC issuer ${issuer} refused to renew the token of ${who} (${answer.status}${code}): log in again`);
  }
  if (typeof answer.json?.id_token !== 'string' || answer.json.id_token === '') {
    throw new ClusterError(`the OIDC issuer ${issuer} answered the refresh of ${who} without an id_token`);
  }
  state.idToken = answer.json.id_token;
  if (typeof answer.json.refresh_token === 'string' && answer.json.refresh_token !== '') state.refreshToken = answer.json.refresh_token;
  if (run.kubeconfigFile !== undefined) await persist(run.kubeconfigFile, run.user, state);
}

interface Answer {
  readonly status: number;
  readonly json:
    (Record<string, unknown> & { token_endpoint?: unknown; id_token?: unknown; refresh_token?: unknown; error?: unknown }) | undefined;
}

/** GET (or POST a form) and parse the JSON answer; a network failure is one line naming the issuer. */
function call(url: URL, ca: Buffer | undefined, form: string | undefined): Promise<Answer> {
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: form === undefined ? 'GET' : 'POST',
        headers: {
          Accept: 'application/json',
          ...(form !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) } : {}),
        },
        ...(ca ? { ca } : {}),
        timeout: ISSUER_TIMEOUT_MS,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', (err) => reject(issuerError(url, err)));
        res.on('end', () => {
          let json: Answer['json'];
          try {
            json = JSON.parse(Buffer.concat(parts).toString('utf8')) as Answer['json'];
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ISSUER_TIMEOUT_MS / 1000}s`)));
    req.on('error', (err) => reject(issuerError(url, err)));
    req.end(form);
  });
}

function issuerError(url: URL, err: NodeJS.ErrnoException): ClusterError {
  return new ClusterError(`cannot reach the OIDC issuer ${url.origin} (${err.code ?? err.message.split('\n')[0]})`, { cause: err });
}

/**
 * Writes the new tokens into the user's auth-provider config, as kubectl does (and, like
 * kubectl, rewrites the file: comments are not kept). A file that cannot be written keeps the
 * run going with the tokens in memory.
 */
async function persist(file: string, user: string, state: OidcState): Promise<void> {
  const { load, dump } = await import('js-yaml');
  {
    try {
      const doc = load(readFileSync(file, 'utf8')) as {
        users?: { name?: string; user?: { 'auth-provider'?: { config?: Record<string, string> } } }[];
      };
      const config = doc.users?.find((u) => u.name === user)?.user?.['auth-provider']?.config;
      if (!config) return;
      config['id-token'] = state.idToken!;
      if (state.refreshToken !== undefined) config['refresh-token'] = state.refreshToken;
      // in place, as kubectl writes it: a symlinked kubeconfig stays one, its mode stays
      writeFileSync(file, dump(doc));
    } catch {
      // not fatal: this run has the tokens; the next one refreshes again
    }
  }
}
