/** What transport.ts needs from a protocol: send a GET, get a status and a body stream. */
import type { Readable } from 'node:stream';

export interface RequestSpec {
  /** path with query string, including the server URL's own path prefix */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** destroy the request when no byte arrives for this long */
  readonly idleTimeoutMs?: number;
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
