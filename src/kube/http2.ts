/**
 * HTTP/2 requests: streams to one cluster share a connection, as client-go does, so hundreds of
 * streams open without hundreds of TLS handshakes. The server's SETTINGS cap the streams on one
 * connection (kube-apiserver: --http2-max-streams-per-connection); past it, another connection.
 * Flow control is per stream: a paused stream stops being read and its window stops refilling,
 * so a slow reader slows the server down stream by stream.
 *
 * Log streams and everything else go on separate connections (lanes). On one connection, the
 * pod watch's next event and the pod GET that precedes a new stream's reading would each wait
 * behind every byte of log data in flight on it (megabytes, when thousands of streams pour), so a
 * new pod's first line waited three times over; on their own connection they wait for nothing.
 */
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import { lateError } from './dial.js';
import type { Connector, Lane, RawResponse, RequestSpec } from './connector.js';
import { RESPONSE_HEADERS_TIMEOUT_MS, TLS_HANDSHAKE_TIMEOUT_MS, type Dialer } from './connector.js';
import { handshakeTimeout, IdleTimeoutError, networkError, noResponse, TransportError } from './errors.js';
import { FLOW_BUDGET, MAX_STREAM_WINDOW, streamWindowFor } from './flow-window.js';
import { ConnectionHealth, type HealthTimings } from './health.js';

interface Session {
  readonly lane: Lane;
  readonly session: http2.ClientHttp2Session;
  readonly health: ConnectionHealth;
  active: number;
  usable: boolean;
  /** the per-stream window last asked of the server (SETTINGS_INITIAL_WINDOW_SIZE) */
  streamWindow: number;
}

/** Per connection: the whole budget, so that the per-stream windows, not this, bound what is in flight. */
export const SESSION_WINDOW = FLOW_BUDGET;
/** Until the server's SETTINGS say otherwise (RFC 9113 recommends at least 100). */
const DEFAULT_STREAM_CAP = 100;
/**
 * A request the server refused unprocessed (REFUSED_STREAM: sent after its GOAWAY's last stream)
 * is sent again on another connection, as Go's transport does; this many times at most.
 */
const REFUSED_RETRIES = 3;

/** The stream was refused unprocessed: safe to send again elsewhere. */
class RefusedStream extends Error {}

export class Http2Connector implements Connector {
  private readonly sessions: Session[] = [];
  private readonly connecting = new Map<Lane, Promise<Session>>();

  constructor(
    private readonly url: URL,
    /** a new TLS connection that offers only h2 (direct or through the proxy) */
    private readonly dial: Dialer,
    /** the socket of the ALPN probe, already speaking h2: the first connection */
    private firstSocket: Socket | undefined,
    private readonly healthTimings?: HealthTimings,
    /** --verbose: a GOAWAY is said only there */
    private readonly verbose: (message: string) => void = () => undefined,
  ) {}

  private cap(s: Session): number {
    return s.session.remoteSettings.maxConcurrentStreams ?? DEFAULT_STREAM_CAP;
  }

  /** A session of the lane with room for one more stream; counts the stream in before anything awaits. */
  private async reserve(lane: Lane): Promise<Session> {
    for (;;) {
      // a session destroyed a moment ago (a failed health check) says so before its 'close'
      const room = this.sessions.find(
        (s) => s.lane === lane && s.usable && !s.session.destroyed && !s.session.closed && s.active < this.cap(s),
      );
      if (room) {
        room.active++;
        this.retune();
        return room;
      }
      let connecting = this.connecting.get(lane);
      if (connecting === undefined) {
        connecting = this.connect(lane).finally(() => this.connecting.delete(lane));
        this.connecting.set(lane, connecting);
      }
      await connecting;
    }
  }

  private async connect(lane: Lane): Promise<Session> {
    const socket = this.firstSocket ?? (await this.dial());
    this.firstSocket = undefined;
    // a server that refused our client certificate under TLS 1.3 says so after the handshake
    if (socket.destroyed) throw lateError(socket) ?? new TransportError('ECONNRESET', this.url.origin, 'connection reset');
    // the control lane's answers are small but a list of thousands of pods is megabytes: the top window
    const streamWindow = lane === 'logs' ? streamWindowFor(this.openStreams() + 1) : MAX_STREAM_WINDOW;
    const session = http2.connect(this.url.origin, {
      createConnection: () => socket,
      maxSessionMemory: 128,
      settings: { initialWindowSize: streamWindow, enablePush: false },
    });
    const entry: Session = {
      lane,
      session,
      health: new ConnectionHealth(session, this.url.origin, socket, this.healthTimings),
      active: 0,
      usable: true,
      streamWindow,
    };
    const retire = (): void => {
      entry.usable = false;
      const i = this.sessions.indexOf(entry);
      if (i !== -1) this.sessions.splice(i, 1);
    };
    return new Promise<Session>((resolve, reject) => {
      // Before the server's SETTINGS, every way out ends both the session and the socket (after
      // them, the promise is settled and this is a no-op).
      const fail = (err: Error): void => {
        clearTimeout(timer);
        socket.off('error', onSocketError);
        retire();
        reject(err);
        session.destroy();
        socket.destroy();
      };
      // A TLS alert read once the session owns the socket (a client certificate refused under
      // TLS 1.3) destroys the session without 'error' or 'close': only the socket says it.
      const onSocketError = (err: NodeJS.ErrnoException): void =>
        fail(lateError(socket, err.code === 'ECONNRESET' || err.code === 'EPIPE') ?? networkError(err, this.url.origin));
      socket.once('error', onSocketError);
      // the handshake and the server's first SETTINGS are bounded, as client-go bounds them
      const timer = setTimeout(() => fail(handshakeTimeout(this.url.origin)), TLS_HANDSHAKE_TIMEOUT_MS);
      session.once('remoteSettings', () => {
        clearTimeout(timer);
        socket.off('error', onSocketError);
        session.setLocalWindowSize(SESSION_WINDOW);
        this.sessions.push(entry);
        resolve(entry);
      });
      // a server that refuses our certificate may reset the connection rather than close it
      const hungUp = (err: NodeJS.ErrnoException): boolean => err.code === 'ECONNRESET' || err.code === 'EPIPE';
      session.on('error', (err: NodeJS.ErrnoException) => fail(lateError(socket, hungUp(err)) ?? networkError(err, this.url.origin)));
      // GOAWAY (kube-apiserver's --goaway-chance, a server shutting down): the streams it took
      // go on to their end, new requests go on a new connection
      session.on('goaway', (code: number) => {
        retire();
        this.verbose(`${this.url.origin} sent GOAWAY (code ${code}); new requests go on a new connection`);
      });
      session.on('close', () => fail(lateError(socket) ?? new TransportError('ECONNRESET', this.url.origin, 'connection reset')));
    });
  }

  async request(spec: RequestSpec): Promise<RawResponse> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.requestOnce(spec);
      } catch (err) {
        if (!(err instanceof RefusedStream) || tries > REFUSED_RETRIES) throw err instanceof RefusedStream ? err.cause : err;
        this.verbose(`${this.url.origin} refused a stream after GOAWAY; sending it again on another connection`);
      }
    }
  }

  private async requestOnce(spec: RequestSpec): Promise<RawResponse> {
    const lane = spec.lane ?? 'control';
    const s = await this.reserve(lane);
    const headers: http2.OutgoingHttpHeaders = { ':method': 'GET', ':path': spec.path };
    for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = typeof v === 'string' ? v : [...v];
    let stream: http2.ClientHttp2Stream;
    try {
      stream = s.session.request(headers, { endStream: true, ...(spec.signal ? { signal: spec.signal } : {}) });
    } catch (err) {
      s.active--;
      throw networkError(err as NodeJS.ErrnoException, this.url.origin);
    }
    let released = false;
    stream.on('close', () => {
      if (!released) {
        released = true;
        s.active--;
        this.retune();
      }
    });
    // The reader attaches its own error listener; this one keeps an error that comes before
    // it does from being unhandled (the reader still sees the 'close' without 'end').
    stream.on('error', () => undefined);
    if (spec.idleTimeoutMs !== undefined) {
      const ms = spec.idleTimeoutMs;
      stream.setTimeout(ms, () => stream.destroy(new IdleTimeoutError(this.url.origin, ms)));
    }
    return new Promise((resolve, reject) => {
      const answerMs = spec.responseTimeoutMs ?? RESPONSE_HEADERS_TIMEOUT_MS;
      const noAnswer = answerMs > 0 ? setTimeout(() => stream.destroy(noResponse(this.url.origin, answerMs)), answerMs) : undefined;
      // before the response: a stream the server refused unprocessed may be sent again
      const failed = (err: Error): Error =>
        stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? new RefusedStream('refused', { cause: err }) : err;
      const onError = (err: NodeJS.ErrnoException): void => {
        clearTimeout(noAnswer);
        reject(failed(networkError(err, this.url.origin)));
      };
      stream.once('error', onError);
      stream.once('close', () => {
        clearTimeout(noAnswer);
        reject(failed(new TransportError('ECONNRESET', this.url.origin, 'connection reset')));
      });
      stream.once('response', (h) => {
        clearTimeout(noAnswer);
        s.health.read();
        stream.off('error', onError);
        resolve({
          status: h[':status'] ?? 0,
          body: stream,
          retryAfter: typeof h['retry-after'] === 'string' ? h['retry-after'] : undefined,
          contentEncoding: typeof h['content-encoding'] === 'string' ? h['content-encoding'] : undefined,
        });
      });
    });
  }

  /** log streams open: what the flow budget is split across */
  private openStreams(): number {
    let n = 0;
    for (const s of this.sessions) if (s.lane === 'logs') n += s.active;
    return n;
  }

  /**
   * Splits the flow budget across the open log streams again (flow-window.ts); the control lane
   * keeps its window. A new initial window applies to the streams already open as well (RFC 9113
   * §6.9.2), so one SETTINGS frame per connection retunes them all; windows move in powers of
   * two, so this is rare.
   */
  private retune(): void {
    const want = streamWindowFor(this.openStreams());
    for (const s of this.sessions) {
      if (s.lane !== 'logs' || s.streamWindow === want || s.session.destroyed || s.session.closed) continue;
      try {
        s.session.settings({ initialWindowSize: want });
        s.streamWindow = want;
      } catch {
        // too many SETTINGS not yet acknowledged: the next stream that opens or closes tries again
      }
    }
  }

  close(): void {
    for (const s of this.sessions) s.session.destroy();
    this.sessions.length = 0;
    this.firstSocket?.destroy();
  }
}
