/** What transport.ts needs from a protocol: send a GET, get a status and a body stream. */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** A TLS handshake (and an HTTP/2 connection's SETTINGS) must be done by then: client-go's figure. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** A request's response headers must have come by then; a log stream's body may then be quiet. */
export const RESPONSE_HEADERS_TIMEOUT_MS = 30_000;

export interface RequestSpec {
  /** path with query string, including the server URL's own path prefix */
  readonly path: string;
  /** a list is sent as one header line per item (Impersonate-Group) */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly signal?: AbortSignal;
  /** destroy the request when no byte arrives for this long */
  readonly idleTimeoutMs?: number;
  /** the response headers must come within this (default RESPONSE_HEADERS_TIMEOUT_MS); 0: no limit */
  readonly responseTimeoutMs?: number;
  /**
   * 'logs' for a log stream, which may pour megabytes; 'control' (the default) for lists, watches
   * and GETs. Over HTTP/2 the two go on separate connections (http2.ts).
   */
  readonly lane?: Lane;
}

/** What a request carries: log data, or the small answers that decide what to follow. */
export type Lane = 'logs' | 'control';

export interface RawResponse {
  readonly status: number;
  /** ends with 'end' when the server finished the response; anything else is a break */
  readonly body: Readable;
  /** the Retry-After header, when the server sent one */
  readonly retryAfter?: string | undefined;
  /** the Content-Encoding header (gzip), when the server sent one */
  readonly contentEncoding?: string | undefined;
}

/** Makes a new connection to the API server (TLS for https, through a proxy's tunnel if any). */
export type Dialer = () => Promise<Socket>;

export interface Connector {
  request(spec: RequestSpec): Promise<RawResponse>;
  close(): void;
}
