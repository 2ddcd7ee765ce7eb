/**
 * HTTP/2 connection health, as client-go checks it: after READ_IDLE_MS with no byte read on a
 * connection, send a PING; no answer within PING_TIMEOUT_MS means the connection is frozen (a
 * stuck load balancer, a half-open NAT), and it is destroyed so that every stream and the watch
 * on it move to a new one. A quiet stream on a healthy connection is left alone.
 *
 * "Read" is the socket's byte count, looked at on each check: it costs nothing on the line path
 * and does not touch the streams' flow. The timings are tighter than client-go's 30 s + 15 s,
 * because Node's HTTP/2 client can wedge when the server drops a connection while ktail is slow
 * to read (no error, no close; measured by the stress scene, see docs/reliability.md), and every
 * tail on it would wait: a quiet connection costs an 8-byte PING every few seconds.
 */
import type http2 from 'node:http2';
import { IdleTimeoutError } from './errors.js';

const READ_IDLE_MS = 3000;
const PING_TIMEOUT_MS = 3000;

export interface HealthTimings {
  readonly readIdleMs: number;
  readonly pingTimeoutMs: number;
}

/** The timings; the environment may shorten them so that tests of frozen connections run quickly. */
function healthTimings(env: NodeJS.ProcessEnv): HealthTimings {
  const num = (v: string | undefined, d: number): number => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  return { readIdleMs: num(env.KTAIL_H2_READ_IDLE_MS, READ_IDLE_MS), pingTimeoutMs: num(env.KTAIL_H2_PING_TIMEOUT_MS, PING_TIMEOUT_MS) };
}

export class ConnectionHealth {
  private lastRead = Date.now();
  private lastBytes = -1;
  private pinging = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly session: http2.ClientHttp2Session,
    private readonly server: string,
    /** the connection's socket: its byte count says whether anything was read */
    private readonly socket: { readonly bytesRead: number } | undefined,
    private readonly timings: HealthTimings = healthTimings(process.env),
  ) {
    this.timer = setInterval(() => this.check(), Math.max(50, Math.floor(timings.readIdleMs / 3)));
    this.timer.unref();
    session.once('close', () => clearInterval(this.timer));
  }

  /** A frame arrived (a stream's data or headers). */
  read(): void {
    this.lastRead = Date.now();
  }

  private check(): void {
    const bytes = this.socket?.bytesRead;
    if (bytes !== undefined && bytes !== this.lastBytes) {
      this.lastBytes = bytes;
      this.read();
    }
    if (this.pinging || this.session.destroyed || Date.now() - this.lastRead < this.timings.readIdleMs) return;
    this.pinging = true;
    const silentFor = Date.now() - this.lastRead;
    const deadline = setTimeout(() => {
      this.session.destroy(new IdleTimeoutError(this.server, silentFor + this.timings.pingTimeoutMs));
    }, this.timings.pingTimeoutMs);
    deadline.unref();
    const sent = this.session.ping((err) => {
      clearTimeout(deadline);
      this.pinging = false;
      if (!err) this.read();
    });
    if (!sent) {
      clearTimeout(deadline);
      this.pinging = false;
    }
  }
}
