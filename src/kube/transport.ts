/**
 * Our own thin HTTP transport for list, watch and log requests (client-node's Log and Watch
 * drop tailLines=0, lose the server's error message, have no idle timeout and hang on resets;
 * see docs/architecture.md). HTTP/2 when the server offers it (one connection for many streams),
 * else HTTP/1.1 keep-alive. Credentials resolved once per context, re-resolved once on 401.
 */
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { toQueryString, type ApiRequest } from './api.js';
import type { Connector } from './connector.js';
import { dialTls, hostOf, portOf } from './dial.js';
import { isApiError, notJson, statusError } from './errors.js';
import { Http1Connector } from './http1.js';
import { Http2Connector } from './http2.js';
import type { ContextCredentials, ContextInfo } from './kubeconfig.js';
import { chooseProxy, describeProxy, type ProxyConfig } from './proxy.js';
import { openTunnel } from './tunnel.js';
import { readBody } from './settled.js';
import { maybeSwallowEnds } from './test-faults.js';

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** destroy the request when no byte arrives for this long */
  readonly idleTimeoutMs?: number;
}

export interface TransportOptions {
  readonly protocol: 'auto' | 'http1';
  /** how long a request waits for its response headers (default 30 s; KTAIL_RESPONSE_TIMEOUT_MS) */
  readonly responseTimeoutMs?: number;
  /** where HTTPS_PROXY, NO_PROXY… are read (default process.env) */
  readonly env?: NodeJS.ProcessEnv;
  /** --verbose: what only it shows (a GOAWAY from the server) */
  readonly verbose?: (message: string) => void;
}

export class Transport {
  private credentials: Promise<ContextCredentials> | undefined;
  /** the last credentials resolved */
  private latest: ContextCredentials | undefined;
  private connecting: Promise<Connector> | undefined;
  private readonly url: URL;
  /** the proxy the cluster is reached through, if any (proxy.ts) */
  private readonly proxy: ProxyConfig | undefined;

  /**
   * `protocol: 'http1'` skips the ALPN probe: for tests whose HTTP mocks (nock) intercept
   * Node's http/https modules but not raw TLS sockets or HTTP/2.
   */
  constructor(
    readonly context: ContextInfo,
    private readonly options: TransportOptions = { protocol: 'auto' },
  ) {
    this.url = new URL(context.server);
    this.proxy = chooseProxy(this.url, context.proxyUrl, options.env ?? process.env);
  }

  get server(): string {
    return this.context.server;
  }

  /** How the server is reached, for --verbose: the proxy, credentials hidden. */
  get route(): string {
    return this.proxy ? `${this.context.server} through proxy ${describeProxy(this.proxy)}` : `${this.context.server} directly`;
  }

  /**
   * The credentials, resolved once and shared; again when they are about to expire (an exec
   * plugin's expirationTimestamp) or after a 401 (`fresh`). A failed resolution is not kept, so
   * a plugin that failed once is run again by the next request.
   */
  private creds(fresh = false): Promise<ContextCredentials> {
    if (this.latest?.expiresAt !== undefined && Date.now() >= this.latest.expiresAt) this.credentials = undefined;
    if (this.credentials === undefined) {
      const resolving = this.context.resolveCredentials(fresh).then(
        (c) => {
          this.latest = c;
          return c;
        },
        (err: unknown) => {
          if (this.credentials === resolving) this.credentials = undefined;
          throw err;
        },
      );
      this.credentials = resolving;
    }
    return this.credentials;
  }

  /** The newest credentials, for new connections (a client certificate a plugin renewed). */
  private readonly currentCreds = (): ContextCredentials => this.latest!;

  /**
   * HTTP/2 when the server offers it (ALPN), else HTTP/1.1. Decided once per context, on the
   * first request; a failed probe is not remembered, so a later request probes again.
   */
  private connector(creds: ContextCredentials): Promise<Connector> {
    this.connecting ??= (
      this.options.protocol === 'http1'
        ? Promise.resolve(new Http1Connector(this.url, creds))
        : chooseConnector(this.url, creds, this.currentCreds, this.proxy, this.options.verbose)
    ).catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    return this.connecting;
  }

  /**
   * Opens a GET (an `api` request) and resolves with a 2xx response whose body the caller reads;
   * rejects with an ApiError (the server's Status) or a TransportError (no answer).
   */
  async open(req: ApiRequest, options: RequestOptions = {}): Promise<Readable> {
    const used = this.creds();
    try {
      return await this.once(req, options, await used);
    } catch (err) {
      if (!isApiError(err, 401)) throw err;
      // The credential may have expired (exec plugins, rotated tokens): resolve it again, once
      // for all the requests that saw the same 401.
      if (this.credentials === used) this.credentials = undefined;
      return this.once(req, options, await this.creds(true));
    }
  }

  /** GET and parse JSON: the answer's type is the request's. */
  async json<T>(req: ApiRequest<T>, options: RequestOptions = {}): Promise<T> {
    const res = await this.open(req, options);
    const body = await readBody(res);
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch {
      throw notJson(this.context.server, body);
    }
  }

  private async once(req: ApiRequest, options: RequestOptions, creds: ContextCredentials): Promise<Readable> {
    const connector = await this.connector(creds);
    const base = this.url.pathname.replace(/\/$/, '');
    const res = await connector.request({
      path: `${base}${req.path}${toQueryString(req.query)}`,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'ktail',
        // as client-go: the API server compresses large answers (lists), never log streams
        ...(this.context.disableCompression ? {} : { 'Accept-Encoding': 'gzip' }),
        ...creds.headers,
      },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      responseTimeoutMs: this.options.responseTimeoutMs ?? this.context.responseTimeoutMs ?? envResponseTimeout(),
      lane: req.lane,
    });
    const body = res.contentEncoding === 'gzip' ? gunzipped(res.body) : res.body;
    if (res.status >= 200 && res.status < 300) {
      maybeSwallowEnds(body, req.query.follow === true);
      return body;
    }
    throw statusError(res.status, await readBody(body), res.retryAfter);
  }

  close(): void {
    void this.connecting?.then(
      (c) => c.close(),
      () => undefined,
    );
  }
}

/** A gzip body, inflated; a break in either stream breaks the result (its reader sees it). */
function gunzipped(body: Readable): Readable {
  const out = createGunzip();
  pipeline(body, out, () => undefined);
  return out;
}

function envResponseTimeout(): number | undefined {
  const v = process.env.KTAIL_RESPONSE_TIMEOUT_MS;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * Probes the server with ALPN [h2, http/1.1] and keeps the probe's socket for HTTP/2. Every
 * connection is dialled by dial.ts: the handshake deadline, and the proxy's tunnel if any.
 */
async function chooseConnector(
  url: URL,
  creds: ContextCredentials,
  current: () => ContextCredentials,
  proxy: ProxyConfig | undefined,
  verbose: ((message: string) => void) | undefined,
): Promise<Connector> {
  if (url.protocol !== 'https:')
    return new Http1Connector(url, creds, proxy ? () => openTunnel(proxy, hostOf(url), portOf(url)) : undefined);
  const socket = await dialTls({ url, creds, alpn: ['h2', 'http/1.1'], proxy });
  if (socket.alpnProtocol === 'h2')
    return new Http2Connector(url, () => dialTls({ url, creds: current(), alpn: ['h2'], proxy }), socket, undefined, verbose);
  socket.destroy();
  return new Http1Connector(url, creds, () => dialTls({ url, creds: current(), alpn: ['http/1.1'], proxy }));
}
