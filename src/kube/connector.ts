/** What transport.ts needs from a protocol: send a GET, get a status and a body stream. */
import type { Readable } from 'node:stream';

export interface RequestSpec {
  /** path with query string, including the server URL's own path prefix */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** destroy the request when no byte arrives for this long */
  readonly idleTimeoutMs?: number;
  /** the response headers must come within this (default RESPONSE_HEADERS_TIMEOUT_MS) */
  readonly responseTimeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  /** ends with 'end' when the server finished the response; anything else is a break */
  readonly body: Readable;
}

export interface Connector {
  request(spec: RequestSpec): Promise<RawResponse>;
  close(): void;
}

/** A TLS handshake (and an HTTP/2 connection's SETTINGS) must be done by then: client-go's figure. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** A request's response headers must have come by then; a log stream's body may then be quiet. */
export const RESPONSE_HEADERS_TIMEOUT_MS = 30_000;

/** The request never got an answer: refused, reset, TLS, DNS, idle timeout. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    readonly server: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(what, options);
    this.name = 'TransportError';
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);

export function describeNetworkError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'ETIMEDOUT': return 'timed out';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    default:
      if (err.code !== undefined && TLS_CODES.has(err.code)) {
        return err.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'TLS: the server certificate does not match the host'
          : err.code === 'CERT_HAS_EXPIRED'
            ? 'TLS: the server certificate has expired'
            : 'TLS: certificate signed by unknown authority';
      }
      return err.code ?? err.message;
  }
}

/** Errors from sockets and sessions, named; our own and aborts pass as they are. */
export function networkError(err: NodeJS.ErrnoException, server: string): Error {
  if (err instanceof TransportError || err.name === 'AbortError') return err;
  return new TransportError(err.code ?? 'EUNKNOWN', server, describeNetworkError(err), { cause: err });
}

export function handshakeTimeout(server: string): TransportError {
  return new TransportError('TLS_HANDSHAKE_TIMEOUT', server, 'TLS handshake timeout');
}

export function noResponse(server: string, ms: number): TransportError {
  return new TransportError('NO_RESPONSE', server, `no response within ${Math.round(ms / 1000)} s`);
}
