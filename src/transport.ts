/**
 * Our own thin HTTP transport for list, watch and log requests (client-node's Log and Watch
 * drop tailLines=0, lose the server's error message, have no idle timeout and hang on resets;
 * see docs/architecture.md). One keep-alive agent per context; credentials resolved once and
 * shared by every request, re-resolved once on 401.
 */
import http from 'node:http';
import https from 'node:https';
import type { ContextCredentials, ContextInfo } from './kubeconfig.js';

/** The API server answered with an error Status. `message` is the server's own text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer: refused, reset, TLS, DNS, idle timeout. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    readonly server: string,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${what}`, options);
    this.name = 'TransportError';
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** destroy the request when no byte arrives for this long */
  readonly idleTimeoutMs?: number;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);

function describeNetworkError(err: NodeJS.ErrnoException): string {
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

export function toQueryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

export class Transport {
  private credentials: Promise<ContextCredentials> | undefined;
  private agent: http.Agent | undefined;
  private readonly url: URL;

  constructor(readonly context: ContextInfo) {
    this.url = new URL(context.server);
  }

  get server(): string {
    return this.context.server;
  }

  private creds(fresh = false): Promise<ContextCredentials> {
    this.credentials ??= this.context.resolveCredentials(fresh);
    return this.credentials;
  }

  private async agentFor(creds: ContextCredentials): Promise<http.Agent> {
    if (this.agent) return this.agent;
    const common = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 16, scheduling: 'lifo' as const };
    this.agent = this.url.protocol === 'http:'
      ? new http.Agent(common)
      : new https.Agent({
          ...common,
          ...(creds.ca ? { ca: creds.ca } : {}),
          ...(creds.cert ? { cert: creds.cert } : {}),
          ...(creds.key ? { key: creds.key } : {}),
          ...(creds.servername ? { servername: creds.servername } : {}),
          rejectUnauthorized: creds.rejectUnauthorized,
        });
    return this.agent;
  }

  /** Opens a GET and resolves with a 2xx response whose body the caller reads. */
  async open(path: string, query: Query, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    const used = this.creds();
    try {
      return await this.once(path, query, options, await used);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      // The credential may have expired (exec plugins, rotated tokens): resolve it again, once
      // for all the requests that saw the same 401.
      if (this.credentials === used) this.credentials = undefined;
      return this.once(path, query, options, await this.creds(true));
    }
  }

  /** GET and parse JSON. */
  async json<T>(path: string, query: Query = {}, options: RequestOptions = {}): Promise<T> {
    const res = await this.open(path, query, options);
    const body = await readBody(res);
    return JSON.parse(body.toString('utf8')) as T;
  }

  private async once(path: string, query: Query, options: RequestOptions, creds: ContextCredentials): Promise<http.IncomingMessage> {
    const agent = await this.agentFor(creds);
    const lib = this.url.protocol === 'http:' ? http : https;
    const base = this.url.pathname.replace(/\/$/, '');
    return new Promise((resolve, reject) => {
      const req = lib.request({
        protocol: this.url.protocol,
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port,
        path: `${base}${path}${toQueryString(query)}`,
        method: 'GET',
        headers: { Accept: 'application/json', 'User-Agent': 'ktail', ...creds.headers },
        agent,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (options.idleTimeoutMs !== undefined) {
        req.setTimeout(options.idleTimeoutMs, () => {
          req.destroy(new TransportError('IDLE', this.server, `no data for ${Math.round(options.idleTimeoutMs! / 1000)}s`));
        });
      }
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof TransportError || err.name === 'AbortError') reject(err);
        else reject(new TransportError(err.code ?? 'EUNKNOWN', this.server, describeNetworkError(err), { cause: err }));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolve(res);
          return;
        }
        readBody(res).then(
          (body) => reject(statusError(status, body)),
          (err: unknown) => reject(err),
        );
      });
      req.end();
    });
  }

  close(): void {
    this.agent?.destroy();
  }
}

function readBody(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => resolve(Buffer.concat(parts)));
    res.on('error', reject);
  });
}

/** Keeps the server's own message: a Status body when there is one, else the status line. */
export function statusError(status: number, body: Buffer): ApiError {
  try {
    const s = JSON.parse(body.toString('utf8')) as { kind?: string; message?: string; reason?: string };
    if (s && typeof s.message === 'string') return new ApiError(status, s.reason ?? '', s.message);
  } catch {
    // not JSON: fall through
  }
  const text = body.toString('utf8').trim().split('\n')[0] ?? '';
  return new ApiError(status, '', text !== '' ? text : http.STATUS_CODES[status] ?? `HTTP ${status}`);
}
