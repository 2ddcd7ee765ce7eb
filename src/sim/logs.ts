// GET /api/v1/namespaces/{ns}/pods/{name}/log: the API server's checks, then the kubelet's
// choice of container instance and its streaming of that instance's log.
import { nowNs, parseRFC3339 } from './clock.js';
import { OpenStream, type StreamRegistry } from './faults.js';
import { parseBool, type Res, write, writeThenCut } from './http.js';
import type { LogBuffer } from './logbuffer.js';
import type { ContainerModel, PodModel } from './pods.js';
import type { Counters } from './state.js';
import { badRequest, invalid, notFound } from './status.js';
import type { LogThrottle } from './throttle.js';
import type { CutOptions } from './types.js';

const BATCH = 64 * 1024;

interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceNs: bigint | undefined;
  tailLines: number | undefined;
  limitBytes: number | undefined;
}

function int(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

function bool(q: URLSearchParams, key: string): boolean {
  const v = parseBool(q.get(key));
  if (v instanceof Error) throw badRequest(v.message);
  return v ?? false;
}

/** Parse and validate the query as the API server does (PodLogOptions). */
function parseLogOptions(pod: PodModel, q: URLSearchParams, truncateSinceTime: boolean): LogOptions {
  const follow = bool(q, 'follow');
  const previous = bool(q, 'previous');
  const timestamps = bool(q, 'timestamps');
  const sinceSeconds = int(q, 'sinceSeconds');
  const tailLines = int(q, 'tailLines');
  const limitBytes = int(q, 'limitBytes');
  const sinceTimeText = q.get('sinceTime');
  let sinceTime: bigint | undefined;
  if (sinceTimeText !== null && sinceTimeText !== '') {
    sinceTime = parseRFC3339(sinceTimeText);
    if (sinceTime === undefined) {
      throw badRequest(`parsing time "${sinceTimeText}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeText}" as "2006"`);
    }
    // the real API server forwards sinceTime to the kubelet formatted in whole seconds
    if (truncateSinceTime) sinceTime -= ((sinceTime % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  }
  const causes: string[] = [];
  if (tailLines !== undefined && tailLines < 0) causes.push(`tailLines: Invalid value: ${tailLines}: must be greater than or equal to 0`);
  if (limitBytes !== undefined && limitBytes < 1) causes.push(`limitBytes: Invalid value: ${limitBytes}: must be greater than 0`);
  if (sinceSeconds !== undefined && sinceTime !== undefined)
    causes.push('sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  else if (sinceSeconds !== undefined && sinceSeconds < 1)
    causes.push(`sinceSeconds: Invalid value: ${sinceSeconds}: must be greater than 0`);
  if (causes.length) throw invalid('PodLogOptions', pod.name, causes);

  let container = q.get('container') ?? '';
  if (container === '') {
    const regular = pod.of('regular');
    if (regular.length === 1) container = regular[0]!.name;
    else if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${pod.name}`);
    else throw badRequest(`a container name must be specified for pod ${pod.name}, choose one of: [${pod.allNames().join(' ')}]`);
  } else if (!pod.find(container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.name}`);
  }
  const sinceNs = sinceSeconds !== undefined ? nowNs() - BigInt(sinceSeconds) * 1_000_000_000n : sinceTime;
  return { container, follow, previous, timestamps, sinceNs, tailLines, limitBytes };
}

/** The kubelet's validateContainerLogStatus: which instance's log to serve, or why none. */
function pickInstanceLog(pod: PodModel, c: ContainerModel, previous: boolean): LogBuffer {
  const q = (s: string) => JSON.stringify(s);
  if (previous) {
    if (!c.previous) throw badRequest(`previous terminated container ${q(c.name)} in pod ${q(pod.name)} not found`);
    return c.previous.log;
  }
  const s = c.state;
  if (s.kind === 'running' || s.kind === 'terminated') {
    if (c.current) return c.current.log;
    if (c.previous) return c.previous.log;
    throw badRequest(`container ${q(c.name)} in pod ${q(pod.name)} is terminated`);
  }
  if (c.previous) return c.previous.log;
  if (s.reason === 'ErrImagePull')
    throw badRequest(`container ${q(c.name)} in pod ${q(pod.name)} is waiting to start: image can't be pulled`);
  if (s.reason === 'ImagePullBackOff')
    throw badRequest(`container ${q(c.name)} in pod ${q(pod.name)} is waiting to start: trying and failing to pull image`);
  throw badRequest(`container ${q(c.name)} in pod ${q(pod.name)} is waiting to start: ${s.reason}`);
}

export interface LogContext {
  registry: StreamRegistry;
  counters: Counters;
  truncateSinceTime: boolean;
  /** free render buffers of BATCH bytes, shared by all streams */
  pool: Buffer[];
}

const POOL_MAX = 512;
const SMALL = 8 * 1024;

/** Serve a pod's log; throws StatusError for the API's refusals. */
export function serveLog(ctx: LogContext, res: Res, pod: PodModel | undefined, name: string, q: URLSearchParams): void {
  if (!pod) throw notFound('pods', name);
  const o = parseLogOptions(pod, q, ctx.truncateSinceTime);
  const c = pod.find(o.container)!;
  if (!pod.meta.nodeName) {
    // the API server has no kubelet to ask: an empty 200
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end();
    return;
  }
  const log = pickInstanceLog(pod, c, o.previous);
  const stream = new LogStream(ctx, res, log, o, pod.namespace, pod.name, c.name);
  stream.start();
}

function recycle(pool: Buffer[], b: Buffer): void {
  if (pool.length < POOL_MAX) pool.push(b);
}

class LogStream extends OpenStream {
  readonly kind = 'log';
  private cursor: number;
  private lineStart = true;
  private readonly endAt: number | undefined;
  private remaining: number | undefined;
  private scheduled = false;
  private draining = false;
  private armedCut: CutOptions | undefined;
  private unlisten: (() => void) | undefined;
  /** throttled: bytes rendered but not sent yet (always from the front) */
  private unsent: Buffer | undefined;
  /** throttled: limitBytes is reached once `unsent` is sent */
  private lastBatch = false;
  /** throttled: when the next piece may go (performance.now()), and the timer waiting for it */
  private nextPieceAt = 0;
  private paceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: LogContext,
    res: Res,
    private readonly log: LogBuffer,
    private readonly o: LogOptions,
    readonly namespace: string,
    readonly pod: string,
    readonly container: string,
  ) {
    super(res, ctx.registry);
    log.catchUp();
    this.cursor = o.tailLines !== undefined ? log.tailStart(o.tailLines) : log.currentFileStart;
    this.endAt = o.follow ? undefined : log.length;
    this.remaining = o.limitBytes;
  }

  start(): void {
    const { counters } = this.ctx;
    counters.logStreamsOpened++;
    counters.logStreamsOpen++;
    this.open('text/plain');
    if (this.o.follow) this.unlisten = this.log.listen(() => this.schedule());
    this.pump();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed || this.stalled || this.draining) return;
    const throttle = this.ctx.registry.logThrottle;
    if (throttle) return this.pumpThrottled(throttle);
    if (this.unsent && !this.flushUnsent()) return;
    const limit = this.endAt ?? this.log.length;
    if (this.armedCut) {
      if (this.cursor < limit) this.cutMidLine(this.armedCut);
      return;
    }
    const pool = this.ctx.pool;
    while (this.cursor < limit) {
      const scratch = pool.pop() ?? Buffer.allocUnsafe(BATCH);
      const r = this.log.render(
        this.cursor,
        {
          timestamps: this.o.timestamps,
          sinceNs: this.o.sinceNs,
          maxBytes: Math.min(BATCH, this.remaining ?? BATCH),
          maxLines: limit - this.cursor,
          lineStart: this.lineStart,
        },
        scratch,
      );
      this.cursor = r.next;
      this.lineStart = r.lineStart;
      let buf = r.buf;
      let lent = r.usedScratch; // the scratch buffer travels with the write
      if (lent && buf.length <= SMALL) {
        // a small batch (a slow writer's few lines): copy it out and keep the big buffer
        buf = Buffer.from(buf);
        lent = false;
      }
      if (!lent) recycle(pool, scratch);
      if (buf.length === 0) continue;
      let last = false;
      if (this.remaining !== undefined) {
        if (buf.length >= this.remaining) {
          buf = buf.subarray(0, this.remaining);
          last = true;
        }
        this.remaining -= buf.length;
      }
      this.ctx.counters.linesServed += r.lines;
      this.ctx.counters.bytesServed += buf.length;
      // the scratch buffer goes back to the pool once the transport is done with it
      const ok = write(this.res, buf, lent ? () => recycle(pool, scratch) : undefined);
      if (last) return this.end();
      if (!ok) return this.waitForDrain();
    }
    if (this.endAt !== undefined || this.log.ended) this.end();
  }

  /**
   * Throttled: render a batch, then send it in pieces of random size, each piece only once the
   * previous one's time at the rate has passed (no catching up in bursts after a late timer).
   */
  private pumpThrottled(throttle: LogThrottle): void {
    const limit = this.endAt ?? this.log.length;
    if (this.armedCut) {
      // a cut lands at a random byte of what is pending, or in the next line
      if (this.unsent) this.cutUnsent(this.unsent, throttle, this.armedCut);
      else if (this.cursor < limit) this.cutMidLine(this.armedCut);
      return;
    }
    if (this.paceTimer) return;
    for (;;) {
      if (!this.unsent) {
        if (this.lastBatch) return this.end();
        if (this.cursor >= limit) {
          if (this.endAt !== undefined || this.log.ended) this.end();
          return;
        }
        this.unsent = this.renderBatch(limit);
        continue;
      }
      const now = performance.now();
      if (now < this.nextPieceAt) {
        this.paceTimer = setTimeout(
          () => {
            this.paceTimer = undefined;
            this.pump();
          },
          Math.ceil(this.nextPieceAt - now),
        );
        return;
      }
      const n = throttle.pieceSize(this.unsent.length);
      const piece = this.unsent.subarray(0, n);
      this.unsent = n < this.unsent.length ? this.unsent.subarray(n) : undefined;
      this.nextPieceAt = now + n / throttle.bytesPerMs;
      this.ctx.counters.bytesServed += n;
      if (!write(this.res, piece)) {
        this.waitForDrain();
        return;
      }
    }
  }

  /** Throttled: the next batch of lines, in a buffer of its own (undefined: all skipped by sinceTime). */
  private renderBatch(limit: number): Buffer | undefined {
    const r = this.log.render(this.cursor, {
      timestamps: this.o.timestamps,
      sinceNs: this.o.sinceNs,
      maxBytes: Math.min(BATCH, this.remaining ?? BATCH),
      maxLines: limit - this.cursor,
      lineStart: this.lineStart,
    });
    this.cursor = r.next;
    this.lineStart = r.lineStart;
    let buf = r.buf;
    if (buf.length === 0) return undefined;
    if (this.remaining !== undefined) {
      if (buf.length >= this.remaining) {
        buf = buf.subarray(0, this.remaining);
        this.lastBatch = true;
      }
      this.remaining -= buf.length;
    }
    this.ctx.counters.linesServed += r.lines;
    return buf;
  }

  /** The throttle was lifted with bytes pending: send them at once. Returns whether to go on. */
  private flushUnsent(): boolean {
    const buf = this.unsent!;
    this.unsent = undefined;
    this.ctx.counters.bytesServed += buf.length;
    const ok = write(this.res, buf);
    if (this.lastBatch) {
      this.end();
      return false;
    }
    if (!ok) this.waitForDrain();
    return ok;
  }

  private waitForDrain(): void {
    this.draining = true;
    this.res.once('drain', () => {
      this.draining = false;
      this.pump();
    });
  }

  /** Throttled: a cut after a random number (at least one) of the pending bytes. */
  private cutUnsent(unsent: Buffer, throttle: LogThrottle, opts: CutOptions): void {
    const part = unsent.subarray(0, throttle.cutPoint(unsent.length));
    this.unsent = undefined;
    this.close();
    this.ctx.counters.bytesServed += part.length;
    writeThenCut(this.res, part, opts.connection);
  }

  private cutMidLine(opts: CutOptions): void {
    const r = this.log.render(this.cursor, {
      timestamps: this.o.timestamps,
      sinceNs: this.o.sinceNs,
      maxBytes: BATCH,
      maxLines: 1,
      lineStart: this.lineStart,
    });
    this.cursor = r.next;
    if (r.buf.length === 0) return this.schedule(); // skipped by sinceTime; wait for the next one
    const half = r.buf.subarray(0, Math.floor(r.buf.length / 2));
    this.close();
    writeThenCut(this.res, half, opts.connection);
  }

  /** A mid-line cut waits for the next line to write half of; any other cut is the base's. */
  override cut(opts: CutOptions): void {
    if (this.closed) return;
    if (!opts.midLine) return super.cut(opts);
    this.armedCut = opts;
    if (!this.stalled && !this.draining) this.pump();
  }

  protected resume(): void {
    this.pump();
  }

  protected onClose(): void {
    clearTimeout(this.paceTimer);
    this.unlisten?.();
    this.ctx.counters.logStreamsOpen--;
  }
}
