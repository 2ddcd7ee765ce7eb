// The HTTPS listener: HTTP/2 (ALPN h2) and HTTP/1.1 on one port, authentication (auth.ts: a
// bearer token or a client certificate), and the connection bookkeeping that lets a test refuse
// connections for a while.
import http2 from 'node:http2';
import https from 'node:https';
import type { Socket } from 'node:net';
import { authenticate, type RequestIdentity } from './auth.js';
import { clientCaCert, serverCert, serverKey } from './certs.js';
import { cutResponse, type Req, type Res, sendStatus } from './http.js';
import { type RequestKind, route, type RouteContext } from './routes.js';
import { StatusError, statusBody } from './status.js';

export interface ServerOptions {
  host: string;
  port: number;
  http2: boolean;
  maxConcurrentStreams: number;
  /**
   * 'request' (kube-apiserver's way): a client certificate is asked for, and an invalid one is
   * refused by authentication (401). 'require': refused in the TLS handshake, as a front proxy
   * that checks client certificates does (under TLS 1.3 the client learns it after its handshake).
   */
  clientCerts: 'request' | 'require';
}

/** Requests recorded (the newest); older ones are dropped beyond this. */
const REQUEST_LOG_SIZE = 1000;

/** What happens to a matching request instead of (or before) being served. */
type RequestAction =
  /** served `ms` late (never, with Infinity: headers never come) */
  | { readonly kind: 'delay'; readonly ms: number }
  /** answered with this error Status */
  | {
      readonly kind: 'status';
      readonly code: number;
      readonly reason: string;
      readonly message: string;
      readonly retryAfterSeconds?: number | undefined;
    };

/** A fault on requests (see SimCluster.delayRequests and failRequests). */
export interface RequestFault {
  /** matched against the request's path and query, e.g. /pods\/web$/ */
  readonly path: RegExp;
  readonly action: RequestAction;
  /** how many more requests it applies to */
  remaining: number;
  /** called when a matching request arrives, before the fault */
  readonly onArrive: (() => void) | undefined;
}

export class ApiServer {
  readonly faults: RequestFault[] = [];
  private readonly server: http2.Http2SecureServer | https.Server;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  /** TCP connections accepted, and how many of them spoke HTTP/2: what a client costs the server */
  connectionsAccepted = 0;
  http2SessionsOpened = 0;
  /** GOAWAY frames sent (goaway() and goawayChance) */
  goawaysSent = 0;
  /** kube-apiserver's --goaway-chance: the fraction of HTTP/2 requests after which the connection gets GOAWAY */
  goawayChance = 0;
  private boundPort = 0;
  private listening = false;
  tokens: Set<string>;
  /** who each authenticated request was made as, oldest first (the newest REQUEST_LOG_SIZE) */
  readonly requestLog: RequestIdentity[] = [];

  constructor(
    private readonly opts: ServerOptions,
    private readonly ctx: RouteContext,
    tokens: string[],
  ) {
    this.tokens = new Set(tokens);
    const handler = (req: Req, res: Res) => this.handle(req, res);
    const tls = {
      key: serverKey,
      cert: serverCert,
      requestCert: true,
      ca: clientCaCert,
      rejectUnauthorized: opts.clientCerts === 'require',
    };
    if (opts.http2) {
      this.server = http2.createSecureServer(
        {
          allowHTTP1: true,
          ...tls,
          settings: { maxConcurrentStreams: opts.maxConcurrentStreams },
          // many concurrent streams each hold up to a flow-control window of data
          maxSessionMemory: 256,
        },
        handler,
      );
      this.server.on('session', (s: http2.ServerHttp2Session) => {
        this.http2SessionsOpened++;
        this.sessions.add(s);
        s.on('close', () => this.sessions.delete(s));
        s.on('error', () => {});
      });
    } else {
      this.server = https.createServer(tls, handler);
    }
    this.server.on('connection', (sock: Socket) => {
      this.connectionsAccepted++;
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', () => {});
    });
    this.server.on('tlsClientError', () => {});
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.boundPort || this.opts.port, this.opts.host, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        if (addr && typeof addr === 'object') this.boundPort = addr.port;
        this.listening = true;
        resolve();
      });
    });
  }

  /** Stop listening and drop every connection (connect attempts are refused); listen again after ms. */
  async refuse(ms: number): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, ms));
    await this.listen();
  }

  /** Stop listening and destroy every connection. */
  async stop(): Promise<void> {
    const closed = this.listening ? new Promise<void>((resolve) => this.server.close(() => resolve())) : Promise.resolve();
    this.listening = false;
    for (const s of this.sessions) s.destroy();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /**
   * GOAWAY on every HTTP/2 connection, as a server shutting down or rebalancing does: streams
   * the server has taken go on to their end, newer ones are refused, and the connection closes
   * once its last stream has. `closeAfterMs`: the connection is destroyed after that long even
   * with streams still open (a server that stops). Returns how many connections got one.
   */
  goaway(opts: { closeAfterMs?: number } = {}): number {
    const open = [...this.sessions].filter((s) => !s.closed && !s.destroyed);
    for (const s of open) this.sendGoaway(s, opts.closeAfterMs);
    return open.length;
  }

  private sendGoaway(s: http2.ServerHttp2Session, closeAfterMs: number | undefined): void {
    if (s.closed || s.destroyed) return;
    this.goawaysSent++;
    // close(): GOAWAY (NO_ERROR, the last stream taken), then the end once no stream is left
    s.close();
    if (closeAfterMs !== undefined) setTimeout(() => s.destroy(), closeAfterMs).unref();
  }

  private handle(req: Req, res: Res): void {
    // kube-apiserver's --goaway-chance: answered as usual, but the connection is told to go away
    // (Go's server sends GOAWAY when a response carries "Connection: close")
    if (this.goawayChance > 0 && 'stream' in req && Math.random() < this.goawayChance) {
      const session = req.stream.session as http2.ServerHttp2Session | undefined;
      if (session) this.sendGoaway(session, undefined);
    }
    const fault = this.faults.find((f) => f.remaining > 0 && f.path.test(req.url ?? ''));
    if (!fault) return this.serve(req, res);
    fault.remaining--;
    fault.onArrive?.();
    const { action } = fault;
    if (action.kind === 'status') {
      this.ctx.state.counters.requests++;
      // API Priority and Fairness answers 429 with Retry-After
      if (action.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(action.retryAfterSeconds));
      sendStatus(res, new StatusError(statusBody(action.code, action.reason, action.message)));
    } else if (Number.isFinite(action.ms)) {
      setTimeout(() => this.serve(req, res), action.ms);
    }
    // an infinite delay: the request stays open until the client or stop() ends it
  }

  private serve(req: Req, res: Res): void {
    const counters = this.ctx.state.counters;
    counters.requests++;
    let kind: RequestKind | 'unauthorized' | 'error' = 'other';
    try {
      kind = 'unauthorized';
      this.record(authenticate(req, { tokens: this.tokens, tokenUser: this.ctx.userName }));
      kind = 'other';
      const url = new URL(req.url ?? '/', 'https://sim.invalid');
      kind = route(this.ctx, req, res, url);
    } catch (err) {
      if (kind !== 'unauthorized' || !(err instanceof StatusError && err.code === 401)) kind = 'error';
      if (res.headersSent) {
        cutResponse(res);
      } else if (err instanceof StatusError) {
        sendStatus(res, err);
      } else {
        sendStatus(res, new StatusError(statusBody(500, 'InternalError', `sim: ${String(err)}`)));
      }
    }
    counters.requestsByKind[kind] = (counters.requestsByKind[kind] ?? 0) + 1;
  }

  private record(identity: RequestIdentity): void {
    this.requestLog.push(identity);
    if (this.requestLog.length >= 2 * REQUEST_LOG_SIZE) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_SIZE);
  }
}
