/**
 * The errors of the cluster's side, under ClusterError (exit 1, src/common/errors.ts):
 *
 *   KtailError (abstract: exitCode, cause)
 *   ├─ UsageError             2  the command line or a file given
 *   └─ ClusterError           1  the cluster or the environment
 *      ├─ ApiError            1  the server answered with an error Status (status, reason, its message)
 *      │  └─ GoneError        1  410: a watch's resourceVersion expired (list again)
 *      └─ TransportError      1  no answer: refused, reset, TLS, DNS (code, server)
 *         └─ IdleTimeoutError 1  an open request stopped sending data (both protocols, the tail's timer)
 *
 * And the one place where an error becomes words: `errorText` for notices and messages,
 * `startError` for the fatal message of a failure at start (with the hint that fixes it).
 */
import http from 'node:http';
import { ClusterError, KtailError } from '../common/errors.js';

/** The API server answered with an error Status. `message` is the server's own text. */
export class ApiError extends ClusterError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  /** the server's Retry-After (a 429 from API Priority and Fairness, a 503), when it gave one */
  readonly retryAfterMs: number | undefined;
}

/** 410 Gone: the resourceVersion a watch asked for is no longer kept; a new list is needed. */
export class GoneError extends ApiError {
  constructor(message: string, reason = 'Expired', options?: { cause?: unknown }) {
    super(410, reason, message, options);
  }
}

/** The request never got an answer, or the answer broke off: refused, reset, TLS, DNS, silence. */
export class TransportError extends ClusterError {
  constructor(
    /** a Node error code (ECONNREFUSED, CERT_HAS_EXPIRED…), or IDLE */
    readonly code: string,
    /** the server's origin, https://host:port ('' when unknown) */
    readonly server: string,
    /** what failed, in words */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request or stream that sent no byte for `idleMs`: the same error for HTTP/1.1, HTTP/2 and the tail's timer. */
export class IdleTimeoutError extends TransportError {
  constructor(
    server: string,
    readonly idleMs: number,
  ) {
    super('IDLE', server, `connection to ${server} stopped answering (no data for ${span(idleMs)})`);
  }
}

/** The TLS handshake did not finish in time (an endpoint that accepts TCP and says nothing). */
export function handshakeTimeout(server: string): TransportError {
  return new TransportError('TLS_HANDSHAKE_TIMEOUT', server, 'TLS handshake timeout');
}

/** The response headers did not come in time. */
export function noResponse(server: string, ms: number): TransportError {
  return new TransportError('NO_RESPONSE', server, `no response within ${span(ms)}`);
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

export function isGone(err: unknown): err is GoneError {
  return err instanceof GoneError;
}

export function isIdleTimeout(err: unknown): err is IdleTimeoutError {
  return err instanceof IdleTimeoutError;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/**
 * The server refused our client certificate: under TLS 1.3 its alert comes after our side of
 * the handshake is done, on the first read.
 */
const CLIENT_CERT_ALERTS: Readonly<Record<string, string>> = {
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'TLS: the server refused the client certificate: it has expired',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'TLS: the server refused the client certificate: signed by an authority it does not trust',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'TLS: the server refused the client certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'TLS: the server refused the client certificate',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'TLS: the server refused the client certificate (unsupported)',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'TLS: the server refused the client certificate: it was revoked',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'TLS: the server requires a client certificate',
  // a server that hung up right after the handshake, with a client certificate presented (dial.ts)
  ECLOSED_AFTER_HANDSHAKE: 'TLS: the server closed the connection after the handshake: did it refuse the client certificate?',
};

/**
 * The words for a refusal of our client certificate, if the code is one. OpenSSL 3.5 (Node 26)
 * names the alerts `SSL/TLS_ALERT_…` where earlier versions said `SSLV3_ALERT_…`: both are read.
 */
export function clientCertAlert(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  return CLIENT_CERT_ALERTS[code.replace('ERR_SSL_SSL/TLS_ALERT_', 'ERR_SSL_SSLV3_ALERT_')];
}

/** Our client certificate was refused, or probably was (the fix is the kubeconfig's user). */
function isClientCertError(err: unknown): err is TransportError {
  return err instanceof TransportError && clientCertAlert(err.code) !== undefined;
}

/** The server's certificate was refused (the fix is in the kubeconfig, not the network). */
export function isTlsError(err: unknown): err is TransportError {
  return err instanceof TransportError && TLS_CODES.has(err.code);
}

/** A socket's or session's error in words; a code only when Node has nothing better to say. */
export function describeNetworkError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPIPE':
      return 'connection broken';
    case 'ECONNABORTED':
      return 'connection aborted';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'TLS: the server certificate does not match the host';
    case 'CERT_HAS_EXPIRED':
      return 'TLS: the server certificate has expired';
    default:
      if (clientCertAlert(err.code) !== undefined) return clientCertAlert(err.code)!;
      if (err.code !== undefined && TLS_CODES.has(err.code)) return 'TLS: certificate signed by unknown authority';
      return firstLine(err.message) || err.code || 'network error';
  }
}

/** Errors from sockets and sessions, named; our own and aborts pass as they are. */
export function networkError(err: NodeJS.ErrnoException, server: string): Error {
  if (err instanceof TransportError || err.name === 'AbortError') return err;
  return new TransportError(err.code ?? 'EUNKNOWN', server, describeNetworkError(err), { cause: err });
}

/**
 * Keeps the server's own message: a Status body when there is one, else the status line. The
 * text is the server's, so it is made safe for a terminal (no control bytes) before it is kept;
 * an HTML page is described rather than quoted.
 */
export function statusError(status: number, body: Buffer, retryAfter?: string): ApiError {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const make = (reason: string, message: string): ApiError =>
    status === 410 ? new GoneError(safeText(message), reason || 'Gone') : new ApiError(status, reason, safeText(message), { retryAfterMs });
  try {
    const s = JSON.parse(body.toString('utf8')) as { kind?: string; message?: string; reason?: string } | null;
    if (s && typeof s.message === 'string') return make(s.reason ?? '', s.message);
  } catch {
    // not JSON: fall through
  }
  const text = body.toString('utf8').trim();
  if (looksLikeHtml(text)) return make('', `${http.STATUS_CODES[status] ?? `HTTP ${status}`} ${HTML_ANSWER}`);
  const line = text.split('\n')[0] ?? '';
  return make('', line !== '' ? line : (http.STATUS_CODES[status] ?? `HTTP ${status}`));
}

const HTML_ANSWER =
  "(the server answered with an HTML page, not a Kubernetes Status: is the kubeconfig's server pointing at a proxy's login page?)";

/** A 2xx answer that should be JSON and is not. */
export function notJson(server: string, body: Buffer): TransportError {
  const text = body.toString('utf8').trim();
  const what = looksLikeHtml(text) ? 'an HTML page' : text === '' ? 'nothing' : 'something that is not JSON';
  return new TransportError(
    'ENOTJSON',
    server,
    `the server answered with ${what}, not Kubernetes JSON: is the kubeconfig's server pointing at a proxy's login page?`,
  );
}

function looksLikeHtml(text: string): boolean {
  return /^<(!doctype|html|head|body)\b/i.test(text);
}

/** Seconds (or an HTTP date) → ms; client-go waits at most this long for one Retry-After. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 600) * 1000 : undefined;
}

/** Control bytes (C0 but tab, DEL, C1) shown as \xNN: server text never drives the terminal. */
function safeText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Where a list or watch looks, in messages (undefined: every namespace). */
export function namespaceText(namespace: string | undefined): string {
  return namespace === undefined ? 'in all namespaces' : `in namespace "${namespace}"`;
}

/**
 * Any error in words, one line: the words of a notice (`! pod › app: <text>; retrying in 2s`), a
 * warning, or the part of a fatal message that says what failed. With `doing`, what was being
 * done comes first: `watching pods in namespace "x" failed: connection refused`.
 */
export function errorText(err: unknown, doing?: string): string {
  const text = wordsOf(err);
  return doing === undefined ? text : `${doing} failed: ${text}`;
}

function wordsOf(err: unknown): string {
  if (err instanceof KtailError) return firstLine(err.message);
  if (err instanceof Error) {
    // a socket's error that reached us unwrapped (a response body's 'aborted')
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return describeNetworkError(err);
    return firstLine(err.message) || err.name;
  }
  return firstLine(String(err));
}

/** What a fatal message names of the context (a ContextInfo is one). */
interface StartContext {
  readonly name: string;
  readonly server: string;
  readonly user: string;
}

/**
 * The fatal message (exit 1, SPEC §5) of a failure at start, from `errorText` plus the hint that
 * fixes it. `namespace` is the one being listed (undefined: all namespaces). A KtailError that is
 * not the cluster's answer (a usage error, a finished ClusterError) is passed on as it is.
 */
export function startError(err: unknown, ctx: StartContext, namespace: string | undefined): KtailError {
  if (err instanceof IdleTimeoutError) return new ClusterError(`${errorText(err)} — check --context`, { cause: err });
  if (err instanceof TransportError) {
    const hint = isTlsError(err)
      ? "check the kubeconfig's certificate-authority"
      : isClientCertError(err)
        ? ctx.user
          ? `check the client certificate of user "${ctx.user}"`
          : 'check the client certificate'
        : 'check --context';
    return new ClusterError(`cannot reach ${ctx.server} (${errorText(err)}) — ${hint}`, { cause: err });
  }
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return new ClusterError(
        `unauthorized: ${ctx.server} refused the credentials of context "${ctx.name}" — log in again or check the kubeconfig's user`,
        { cause: err },
      );
    }
    if (err.status === 403) {
      const user = /User "([^"]*)"/.exec(err.message)?.[1] ?? ctx.user;
      return new ClusterError(`forbidden: cannot list pods ${namespaceText(namespace)} as user "${user}"`, { cause: err });
    }
    return new ClusterError(`${ctx.server}: ${errorText(err)}`, { cause: err });
  }
  if (err instanceof KtailError) return err;
  return new ClusterError(`${ctx.server}: ${errorText(err)}`, { cause: err });
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** 45000 → 45s, 400 → 400ms */
function span(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`;
}
