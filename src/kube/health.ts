/**
 * HTTP/2 connection health, as client-go checks it: after READ_IDLE_MS with nothing read on a
 * connection, send a PING; no answer within PING_TIMEOUT_MS means the connection is frozen (a
 * stuck load balancer, a half-open NAT), and it is destroyed so that every stream and the watch
 * on it move to a new one. A quiet stream on a healthy connection is left alone.
 *
 * "Read" is what this module can see without touching the streams' flow (a 'data' listener
 * would switch a paused stream to flowing): responses and PING answers. So a busy connection is
 * pinged every READ_IDLE_MS too: one 8-byte frame, nothing more.
 */
import type http2 from 'node:http2';
import { IdleTimeoutError } from './errors.js';

const READ_IDLE_MS = 30_000;
const PING_TIMEOUT_MS = 15_000;

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
  private pinging = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly session: http2.ClientHttp2Session,
    private readonly server: string,
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
