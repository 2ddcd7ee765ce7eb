/**
 * A running bin/ktail for the fault tests: its stdout split into lines as they come (no
 * re-scanning of everything received on every chunk, so tens of MB stay cheap) and grouped by
 * source (`POD CONTAINER ` prefix), its stderr notices, how and when it exited.
 * The built bin/ktail.js is spawned: run `npm run build` first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { afterEach } from 'vitest';
import { BIN } from '../e2e/harness.js';
import { startSim, type SimFixture } from '../e2e/sim-fixture.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** when it exited (Date.now()) */
  readonly at: number;
}

const live = new Set<KtailRun>();
const sims = new Set<SimFixture>();

/** Every test file that uses these helpers gets its ktails killed and sims closed after each test. */
afterEach(async () => {
  for (const k of live) k.child.kill('SIGKILL');
  await Promise.all([...live].map((k) => k.exited));
  live.clear();
  await Promise.all([...sims].map((s) => s.close()));
  sims.clear();
});

/** A fresh simulated cluster for one test, closed after it. */
export async function sim(options: Parameters<typeof startSim>[0] = {}): Promise<SimFixture> {
  const fx = await startSim(options);
  sims.add(fx);
  return fx;
}

export interface RunOptions {
  /** keep stdout lines (default true); false: only count them (see onStdout) */
  keep?: boolean;
  /** every stdout chunk, as received */
  onStdout?: (chunk: Buffer) => void;
}

export class KtailRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** every complete stdout line, in order */
  readonly lines: string[] = [];
  /** messages by source ("POD CONTAINER"), in order */
  readonly sources = new Map<string, string[]>();
  lineCount = 0;
  stdoutBytes = 0;
  /** bytes after the last newline of stdout */
  partial = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly startedAt = Date.now();
  private readonly decoder = new StringDecoder('utf8');
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: RunOptions = {}) {
    // KTAIL_FAULTS_BIN: another build to run the suite against (e.g. a deliberately broken copy)
    this.child = spawn(process.execPath, [process.env.KTAIL_FAULTS_BIN ?? BIN, ...args], {
      // KTAIL_CONFIG: the developer's own ~/.config/ktail/config.yaml must not change what a test sees
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', KTAIL_CONFIG: '/dev/null', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this);
    const keep = opts.keep ?? true;
    this.child.stdout.on('data', (c: Buffer) => {
      this.stdoutBytes += c.length;
      opts.onStdout?.(c);
      if (keep) this.take(this.decoder.write(c));
      this.wake();
    });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
      this.wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        if (keep) this.take(this.decoder.end());
        live.delete(this);
        this.wake();
        resolve({ code, signal, at: Date.now() });
      });
    });
  }

  private take(text: string): void {
    if (text === '') return;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) {
      this.lines.push(line);
      this.lineCount++;
      const a = line.indexOf(' ');
      const b = a === -1 ? -1 : line.indexOf(' ', a + 1);
      const key = b === -1 ? line : line.slice(0, b);
      let list = this.sources.get(key);
      if (!list) this.sources.set(key, (list = []));
      list.push(b === -1 ? '' : line.slice(b + 1));
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** the messages printed for one container, in order */
  source(pod: string, container: string): string[] {
    return this.sources.get(`${pod} ${container}`) ?? [];
  }

  /** stderr lines matching re */
  notices(re: RegExp): string[] {
    return this.stderr.split('\n').filter((l) => re.test(l));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once pred holds; rejects after timeoutMs with the end of stderr and stdout. */
  async waitFor(pred: (k: KtailRun) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      if (!this.running) throw new Error(`ktail exited (code ${this.child.exitCode}, signal ${this.child.signalCode}) while waiting for ${what}\n${this.describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  describe(): string {
    const counts = [...this.sources].map(([k, v]) => `${k}: ${v.length}`).join(', ');
    return `--- stdout: ${this.lineCount} lines (${counts}) ---\n${this.lines.slice(-5).join('\n')}\n--- stderr (end) ---\n${this.stderr.slice(-3000)}`;
  }

  /** Sends the signal (if still running) and resolves with the exit and how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<Exit & { ms: number }> {
    const t0 = Date.now();
    if (this.running) this.child.kill(signal);
    const exit = await this.exited;
    return { ...exit, ms: exit.at - t0 };
  }

  /** Peak resident set size so far (VmHWM), in bytes; undefined once exited. */
  peakRss(): number | undefined {
    return procStatus(this.child.pid, 'VmHWM');
  }

  rss(): number | undefined {
    return procStatus(this.child.pid, 'VmRSS');
  }
}

function procStatus(pid: number | undefined, field: string): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function ktail(fx: SimFixture, args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: RunOptions = {}): KtailRun {
  return new KtailRun(['--kubeconfig', fx.kubeconfig, ...args], env, opts);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls pred until it holds; rejects after timeoutMs. */
export async function until(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Runs fn every intervalMs until stopped; returns the stopper. */
export function every(intervalMs: number, fn: () => void): () => void {
  const t = setInterval(fn, intervalMs);
  return () => clearInterval(t);
}
