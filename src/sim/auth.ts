// Authentication as kube-apiserver does it: a client certificate (asked for in the handshake,
// checked against --client-ca-file by the x509 authenticator: CN is the user, O the groups) or
// a bearer token; either one is enough. Then impersonation (Impersonate-User, -Group, -Uid),
// allowed for everyone here: the sim has no RBAC for it. Every request is recorded, so that a
// test can assert who the server saw.
import type { TLSSocket } from 'node:tls';
import type { Req } from './http.js';
import { StatusError, statusBody, unauthorized } from './status.js';

/** Who a request was made as, after authentication and impersonation. */
export interface RequestIdentity {
  /** the path and query */
  readonly path: string;
  /** the authenticated user (before impersonation) */
  readonly user: string;
  readonly groups: readonly string[];
  readonly authenticatedBy: 'token' | 'client-certificate';
  /** the Impersonate-* headers, when any was sent */
  readonly impersonate?: { readonly user?: string; readonly groups: readonly string[]; readonly uid?: string };
  /** the Accept-Encoding header, when one was sent */
  readonly acceptEncoding?: string;
}

export interface AuthConfig {
  tokens: ReadonlySet<string>;
  /** the user a token authenticates as */
  readonly tokenUser: string;
}

/** The peer certificate of a request's connection, if the client presented one. */
function peerCertificate(req: Req): { authorized: boolean; cn: string; o: string[] } | undefined {
  // HTTP/2 requests' socket is a proxy of the session's TLS socket
  const socket = req.socket as TLSSocket;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { authorized: socket.authorized, cn: list(cert.subject.CN)[0] ?? '', o: list(cert.subject.O) };
}

/** The identity of a request, or a 401 (no valid credential) or 500 (impersonation without a user) StatusError. */
export function authenticate(req: Req, auth: AuthConfig): RequestIdentity {
  let who: Pick<RequestIdentity, 'user' | 'groups' | 'authenticatedBy'> | undefined;
  const cert = peerCertificate(req);
  // an invalid certificate fails its authenticator; a valid token may still authenticate (the
  // union of authenticators), else 401
  if (cert?.authorized) who = { user: cert.cn, groups: [...cert.o, 'system:authenticated'], authenticatedBy: 'client-certificate' };
  if (!who) {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token !== undefined && auth.tokens.has(token)) {
      who = { user: auth.tokenUser, groups: ['system:authenticated'], authenticatedBy: 'token' };
    }
  }
  if (!who) throw unauthorized();
  // every header as sent (Node joins repeated ones with ", "): one Impersonate-Group per group
  const all = (name: string): string[] => req.rawHeaders.filter((_, i) => i % 2 === 1 && req.rawHeaders[i - 1]!.toLowerCase() === name);
  const one = (name: string): string | undefined => all(name)[0];
  const groups = all('impersonate-group');
  const user = one('impersonate-user');
  const uid = one('impersonate-uid');
  if (user === undefined && (groups.length > 0 || uid !== undefined)) {
    // kube-apiserver refuses it too (kubectl does not even send it)
    throw new StatusError(statusBody(500, 'InternalError', 'requested impersonation of groups or uid without impersonating a user'));
  }
  const acceptEncoding = one('accept-encoding');
  return {
    path: req.url ?? '/',
    ...who,
    ...(user !== undefined ? { impersonate: { user, groups, ...(uid !== undefined ? { uid } : {}) } } : {}),
    ...(acceptEncoding !== undefined ? { acceptEncoding } : {}),
  };
}
