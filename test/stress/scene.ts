/**
 * The stress scene: the built ktail follows 2 pods (5 containers) writing numbered lines fast,
 * while a seeded random schedule breaks everything it can at once — every open log stream cut
 * mid-byte every 100–300 ms, one clean end of every stream, refused connections for seconds,
 * delayed pod GETs (the window between opening a stream and reading it) — over log streams that
 * arrive in pieces of random size at a bounded rate, optionally with a CPU hog beside ktail and
 * ktail's own event loop stalled at random (KTAIL_TEST_LOOP_STALLS). Then it counts: every line
 * of every container shown exactly once, in order, within 3 s of the writers stopping.
 *
 * No vitest in here: test/stress/*.test.ts runs it under vitest, scripts/stress.mjs runs it
 * compiled, for as long as asked. A seed replays the schedule (timing aside):
 * `npm run stress -- --seed N [--hog] [--stalls]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { between, seededRandom } from '../../src/common/random.js';
import { SimCluster } from '../../src/sim/index.js';

export interface SceneOptions {
  seed: number;
  /** lines per second each container writes (default 2,000) */
  rate?: number;
  /** how long the containers write, in seconds (default 15) */
  seconds?: number;
  /** a busy loop in another process (`node -e 'for(;;){}'`) for the whole scene */
  cpuHog?: boolean;
  /** ktail's event loop blocked 100–500 ms at random points (KTAIL_TEST_LOOP_STALLS=seed) */
  loopStalls?: boolean;
  /** the range of the refused-connections window, ms (default 2,000–5,000) */
  refusalMs?: readonly [number, number];
  /**
   * the throttle of every log stream, bytes per second (default 4,000,000). At 1,000,000 a tail
   * that fell behind (after the refusal) cannot catch up while the cuts go on: each reconnect
   * gets again, on average, half a second of lines (sinceTime in whole seconds) and the next cut
   * comes 100–300 ms later; its lines then come 3–5 s after the writers stop, ktail or not.
   */
  maxBytesPerSec?: number;
  /** bytes of a line, without its timestamp and newline (default 60) */
  lineBytes?: number;
  /** every line must be shown within this long of the writers stopping (default 3,000 ms) */
  graceMs?: number;
  /** how long after the grace to wait for stragglers, to tell late lines from lost ones (default 60,000 ms) */
  stragglersMs?: number;
  /** where the trace goes when the run fails (default .tmp/stress/) */
  failureDir?: string;
  /** save the trace even when the run passes */
  keepTrace?: boolean;
  /** more environment for ktail (diagnostics, e.g. NODE_DEBUG=http2) */
  ktailEnv?: Record<string, string>;
  /** every 500 ms, the send and receive queues of the sim's TCP connections (Linux) in the trace */
  traceSockets?: boolean;
}

interface FaultCounts {
  /** rounds of cuts, and the log streams they cut */
  cutRounds: number;
  cuts: number;
  /** log streams ended cleanly */
  cleanEnds: number;
  /** refused-connections windows, and their length */
  refusals: number;
  refusedMs: number;
  /** pod GETs answered late */
  delays: number;
}

export interface SceneResult {
  seed: number;
  cpuHog: boolean;
  loopStalls: boolean;
  rate: number;
  seconds: number;
  /** lines the containers wrote */
  written: number;
  /** distinct lines shown */
  shown: number;
  /** written, never shown */
  lost: number;
  /** shown more than once (each extra time counts) */
  repeated: number;
  /** shown after a later line of the same container */
  outOfOrder: number;
  /** first shown more than graceMs after the writers stopped */
  late: number;
  /** stdout lines that are not a whole line of a followed container (split, joined, foreign) */
  garbled: number;
  /** ms from the writers stopping to the last line first shown (negative: ktail was keeping up) */
  lastLineMs: number;
  /** log streams the sim opened */
  streamOpens: number;
  faults: FaultCounts;
  /** ktail's `!` (retrying) notices, `-` (ended) notices, and watchdog interventions (--verbose) */
  retryNotices: number;
  endNotices: string[];
  watchdog: number;
  /** ktail's exit (130 after SIGINT), or how it ended early */
  exit: string;
  /** what broke the promise, each with the seed; empty when the run passed */
  problems: string[];
  /** where the run's trace (faults, ktail's stderr, progress, each timed) was saved when it failed */
  traceFile: string | undefined;
  ms: number;
}

const PODS = [
  { name: 'stress-a', containers: ['app', 'sidecar', 'proxy'] },
  { name: 'stress-b', containers: ['app', 'worker'] },
] as const;

/** The pod GET (not its log, not a list or watch): ktail's instance check and lookup after a break. */
const POD_GET = /\/pods\/[^/?]+(\?|$)/;

/** the repository, from test/stress/ and from dist-bench/test/stress/ (npm run stress) alike */
const ROOT = new URL(import.meta.url.includes('/dist-bench/') ? '../../../' : '../../', import.meta.url);

/** One container's lines as ktail prints them: each seq exactly once, ascending. */
class SourceCheck {
  readonly counts: Uint8Array;
  shown = 0;
  repeated = 0;
  outOfOrder = 0;
  late = 0;
  private last = -1;
  readonly head: string;

  constructor(
    readonly pod: string,
    readonly container: string,
    readonly written: number,
    private readonly lineBytes: number,
  ) {
    this.counts = new Uint8Array(written);
    this.head = ` pod=${pod} container=${container} `;
  }

  /** the message after `POD CONTAINER `; false if it is not one of this container's lines */
  take(message: string, late: boolean): boolean {
    if (
      message.length !== Math.max(this.lineBytes, 13 + this.head.length) ||
      !message.startsWith('seq=') ||
      !message.startsWith(this.head, 13)
    )
      return false;
    const seq = Number(message.slice(4, 13));
    if (!Number.isInteger(seq) || seq < 0 || seq >= this.written) return false;
    const c = this.counts[seq]!;
    if (c > 0) this.repeated++;
    else {
      this.shown++;
      if (late) this.late++;
    }
    if (c < 255) this.counts[seq] = c + 1;
    if (seq <= this.last) this.outOfOrder++;
    this.last = Math.max(this.last, seq);
    return true;
  }

  /** lost seqs as ranges, the first few: "120-133, 400" */
  lostRanges(max = 5): string {
    const out: string[] = [];
    let i = 0;
    let ranges = 0;
    while (i < this.written) {
      if (this.counts[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < this.written && this.counts[j + 1] === 0) j++;
      ranges++;
      if (out.length < max) out.push(i === j ? `${i}` : `${i}-${j}`);
      i = j + 1;
    }
    return ranges > max ? `${out.join(', ')} … (${ranges} ranges)` : out.join(', ');
  }

  repeatedSeqs(max = 5): string {
    const out: number[] = [];
    for (let i = 0; i < this.written && out.length < max; i++) if (this.counts[i]! > 1) out.push(i);
    return out.join(', ');
  }
}

interface Fault {
  at: number;
  run: () => void;
}

/** The fault schedule, from the seed alone: times in ms after the writers start. */
function schedule(seed: number, seconds: number, refusalMs: readonly [number, number], act: Actions): Fault[] {
  const random = seededRandom(seed);
  const span = seconds * 1000;
  const faults: Fault[] = [];
  for (let at = between(random, 100, 300); at < span; at += between(random, 100, 300)) faults.push({ at, run: act.cut });
  faults.push({ at: between(random, 0, Math.floor(span / 3)), run: act.end });
  const refuseAt = between(random, Math.floor(span / 3), Math.floor(span / 2));
  const refuseFor = between(random, refusalMs[0], refusalMs[1]);
  faults.push({ at: refuseAt, run: () => act.refuse(refuseFor) });
  for (let at = between(random, 0, 300); at < span; at += between(random, 100, 400)) {
    const ms = between(random, 50, 300);
    const count = between(random, 1, 3);
    faults.push({ at, run: () => act.delay(ms, count) });
  }
  return faults.sort((a, b) => a.at - b.at);
}

interface Actions {
  cut: () => void;
  end: () => void;
  refuse: (ms: number) => void;
  delay: (ms: number, count: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const TCP_STATES = [
  '',
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'CLOSE',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
];

/**
 * The sim's TCP connections, both ends, from /proc/net/tcp (Linux): state and the bytes waiting
 * in the send and receive queues. A receive queue that grows is a reader that stopped reading.
 */
function socketQueues(port: number): string {
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const rows: string[] = [];
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      const [local, remote, state, queues] = [f[1]!, f[2]!, f[3]!, f[4]!];
      if (!local.endsWith(`:${hexPort}`) && !remote.endsWith(`:${hexPort}`)) continue;
      const [tx, rx] = queues.split(':').map((h) => parseInt(h, 16));
      const p = (a: string): number => parseInt(a.split(':')[1]!, 16);
      rows.push(`${TCP_STATES[parseInt(state, 16)] ?? state} ${p(local)}->${p(remote)} recv-q ${rx} send-q ${tx}`);
    }
    return rows.join(' | ');
  } catch (err) {
    return `no /proc/net/tcp: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Run the scene once. Never throws for what ktail does: that is in the result's problems. */
export async function runScene(o: SceneOptions): Promise<SceneResult> {
  const t0 = performance.now();
  const rate = o.rate ?? 2000;
  const seconds = o.seconds ?? 15;
  const lineBytes = o.lineBytes ?? 60;
  const graceMs = o.graceMs ?? 3000;
  const stragglersMs = o.stragglersMs ?? 60_000;
  const refusalMs = o.refusalMs ?? [2000, 5000];
  const maxBytesPerSec = o.maxBytesPerSec ?? 4_000_000;
  const perContainer = Math.round(rate * seconds);
  const mode = `${o.cpuHog ? ' --hog' : ''}${o.loopStalls ? ' --stalls' : ''}`;
  const replay =
    `seed ${o.seed} (replay: npm run stress -- --seed ${o.seed}${mode} --rate ${rate} --seconds ${seconds}` +
    `${o.refusalMs ? ` --refusal-ms ${refusalMs[0]}-${refusalMs[1]}` : ''}${o.maxBytesPerSec !== undefined ? ` --bytes-per-sec ${maxBytesPerSec}` : ''})`;

  const sim = await SimCluster.start({
    sinceTimePrecision: 'second',
    throttleLogStreams: { maxBytesPerSec, seed: o.seed + 1 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-stress-'));
  const kubeconfig = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
  const checks = new Map<string, SourceCheck>();
  for (const p of PODS) {
    sim.createPod({ name: p.name, containers: p.containers.map((name) => ({ name })) });
    for (const c of p.containers) checks.set(`${p.name} ${c}`, new SourceCheck(p.name, c, perContainer, lineBytes));
  }

  const children: ChildProcess[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const faults: FaultCounts = { cutRounds: 0, cuts: 0, cleanEnds: 0, refusals: 0, refusedMs: 0, delays: 0 };
  const problems: string[] = [];
  let refusal: Promise<void> = Promise.resolve();
  let stderr = '';
  let garbled = 0;
  const garbledExamples: string[] = [];
  let deadline = Infinity;
  let stoppedAt = Infinity;
  let lastFirstShownAt = 0;
  let exit = 'running';
  let traceFile: string | undefined;
  let streamOpens: number;
  // what happened when, in ms since the writers started (before: negative), to read after a failure
  let writersAt = performance.now();
  const trace: string[] = [];
  const note = (what: string): void => {
    trace.push(`${((performance.now() - writersAt) / 1000).toFixed(3).padStart(8)}s ${what}`);
  };
  try {
    if (o.cpuHog) children.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', KTAIL_CONFIG: '/dev/null' };
    if (o.loopStalls) env.KTAIL_TEST_LOOP_STALLS = String(o.seed);
    Object.assign(env, o.ktailEnv);
    const k = spawn(process.execPath, [new URL('bin/ktail.js', ROOT).pathname, '--kubeconfig', kubeconfig, '--verbose', '^stress-(a|b)$'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(k);
    const exited = new Promise<void>((resolve) => {
      k.on('close', (code, signal) => {
        exit = signal === null ? `exit ${code ?? '?'}` : `signal ${signal}`;
        resolve();
      });
    });
    let partial = '';
    k.stdout.setEncoding('latin1');
    k.stdout.on('data', (text: string) => {
      const now = performance.now();
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        const line = partial + text.slice(start, nl);
        partial = '';
        start = nl + 1;
        const a = line.indexOf(' ');
        const b = a === -1 ? -1 : line.indexOf(' ', a + 1);
        const check = b === -1 ? undefined : checks.get(line.slice(0, b));
        const before = check?.shown ?? 0;
        if (check?.take(line.slice(b + 1), now > deadline) !== true) {
          garbled++;
          if (garbledExamples.length < 3) garbledExamples.push(JSON.stringify(line.slice(0, 120)));
        } else if (check.shown > before) lastFirstShownAt = now;
      }
      partial += text.slice(start);
    });
    k.stderr.setEncoding('utf8');
    let errPartial = '';
    k.stderr.on('data', (text: string) => {
      stderr += text;
      const lines = (errPartial + text).split('\n');
      errPartial = lines.pop()!;
      for (const l of lines) note(`ktail: ${l}`);
    });

    const sources = [...checks.values()];
    const started = (): number => stderr.split('\n').filter((l) => /^\+ stress-[ab] › \w+$/.test(l)).length;
    const appeared = performance.now() + 30_000;
    while (started() < sources.length && exit === 'running' && performance.now() < appeared) await sleep(20);
    if (started() < sources.length) throw new Error(`only ${started()} of ${sources.length} sources started (${exit})`);

    // the writers, and the faults on their clock
    writersAt = performance.now();
    note('writers start');
    const gens = sources.map((s) =>
      sim.generate({ pod: s.pod, container: s.container }, { count: perContainer, size: lineBytes, ratePerSec: rate }),
    );
    const act: Actions = {
      cut: () => {
        faults.cutRounds++;
        const n = sim.cutLogStreams(undefined, { midLine: true });
        faults.cuts += n;
        note(`fault: cut ${n} streams`);
      },
      end: () => {
        const n = sim.endLogStreams();
        faults.cleanEnds += n;
        note(`fault: ended ${n} streams cleanly`);
      },
      refuse: (ms) => {
        faults.refusals++;
        faults.refusedMs += ms;
        note(`fault: refusing connections for ${ms} ms`);
        refusal = sim.refuseConnections(ms).then(() => note('fault: listening again'));
      },
      delay: (ms, count) => {
        note(`fault: the next ${count} pod GETs ${ms} ms late`);
        sim.delayRequests(POD_GET, ms, { count, onArrive: () => faults.delays++ });
      },
    };
    const serverCounts = (): string => {
      const c = sim.counters;
      return `requests ${c.requests}, connections ${c.connectionsAccepted}, h2 sessions ${c.http2SessionsOpened}`;
    };
    const progress = setInterval(() => {
      if (o.traceSockets === true) note(`sockets: ${socketQueues(sim.port)}`);
      note(
        `progress: shown ${sources.map((s) => `${s.pod}/${s.container} ${s.shown}`).join(', ')}; written ${sim.counters.linesWritten}; streams open ${sim.counters.logStreamsOpen}; ${serverCounts()}`,
      );
    }, 500);
    timers.add(progress);
    for (const f of schedule(o.seed, seconds, refusalMs, act)) {
      const t = setTimeout(() => {
        timers.delete(t);
        f.run();
      }, f.at);
      timers.add(t);
    }
    await Promise.all(gens.map((g) => g.done));
    stoppedAt = performance.now();
    note('writers stopped');
    deadline = stoppedAt + graceMs;
    for (const t of timers) if (t !== progress) clearTimeout(t);
    sim.clearRequestFaults();
    await refusal;

    // every line, or the stragglers' time is up
    const giveUp = deadline + stragglersMs;
    const complete = (): boolean => sources.every((s) => s.shown === s.written);
    while (!complete() && exit === 'running' && performance.now() < giveUp) await sleep(50);
    note(complete() ? 'every line shown' : 'given up waiting');
    await sleep(500); // a repeated line would show now
    if (exit === 'running') k.kill('SIGINT');
    const killer = setTimeout(() => k.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
    if (exit !== 'exit 130') problems.push(`ktail ended with ${exit}, not exit 130 after SIGINT`);
  } catch (err) {
    problems.push(`the scene broke: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await refusal.catch(() => undefined);
    streamOpens = sim.counters.logStreamsOpened;
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const sources = [...checks.values()];
  const sum = (f: (s: SourceCheck) => number): number => sources.reduce((n, s) => n + f(s), 0);
  const written = sum((s) => s.written);
  const shown = sum((s) => s.shown);
  const endNotices = stderr.split('\n').filter((l) => l.startsWith('- '));
  for (const s of sources) {
    const what = `${s.pod} ${s.container}`;
    if (s.shown < s.written) {
      problems.push(
        `${what}: ${s.written - s.shown} of ${s.written} lines never shown (waited ${(graceMs + stragglersMs) / 1000} s after the writers stopped; seq ${s.lostRanges()})`,
      );
    }
    if (s.repeated > 0) problems.push(`${what}: ${s.repeated} lines repeated (seq ${s.repeatedSeqs()})`);
    if (s.outOfOrder > 0) problems.push(`${what}: ${s.outOfOrder} lines out of order`);
    if (s.late > 0) problems.push(`${what}: ${s.late} lines shown more than ${graceMs} ms after the writers stopped`);
  }
  if (garbled > 0) problems.push(`${garbled} stdout lines not whole lines of a followed container, e.g. ${garbledExamples.join(', ')}`);
  if (endNotices.length > 0) problems.push(`sources ended: ${endNotices.join(' | ')}`);
  if (problems.length > 0 || o.keepTrace === true) {
    const failureDir = o.failureDir ?? new URL('.tmp/stress/', ROOT).pathname;
    mkdirSync(failureDir, { recursive: true });
    traceFile = join(failureDir, `seed-${o.seed}${mode.replaceAll(' --', '-')}-${new Date().toISOString().replaceAll(':', '')}.trace`);
    writeFileSync(traceFile, [replay, ...problems, '', ...trace, ''].join('\n'));
    for (let i = 0; i < problems.length; i++) problems[i] = `${replay}: ${problems[i]!}`;
  }
  return {
    seed: o.seed,
    cpuHog: o.cpuHog ?? false,
    loopStalls: o.loopStalls ?? false,
    rate,
    seconds,
    written,
    shown,
    lost: written - shown,
    repeated: sum((s) => s.repeated),
    outOfOrder: sum((s) => s.outOfOrder),
    late: sum((s) => s.late),
    garbled,
    lastLineMs: Number.isFinite(stoppedAt) ? Math.round(lastFirstShownAt - stoppedAt) : NaN,
    streamOpens,
    faults,
    retryNotices: stderr.split('\n').filter((l) => l.startsWith('! ')).length,
    endNotices,
    watchdog: stderr.split('\n').filter((l) => l.startsWith('ktail: watchdog: ')).length,
    exit,
    problems,
    traceFile,
    ms: Math.round(performance.now() - t0),
  };
}
