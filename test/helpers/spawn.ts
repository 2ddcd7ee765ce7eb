/**
 * The one way tests run ktail: the built bin/ktail.js (or an installed command) as a user would,
 * with a clean environment, its output collected as it comes, and every process killed after the
 * test that started it. `npm test` builds first; when running vitest alone, `npm run build` first.
 *
 * stdout is split into lines as it arrives (no re-scanning of everything received on each chunk,
 * so tens of MB stay cheap) and grouped by source (the `POD CONTAINER ` prefix).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { SimFixture } from './sim.js';

/** KTAIL_TEST_BIN: another build to run the tests against (e.g. a deliberately broken copy). */
export const BIN = process.env.KTAIL_TEST_BIN ?? fileURLToPath(new URL('../../bin/ktail.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** when it exited (Date.now()) */
  readonly at: number;
}

export interface SpawnOptions {
  /** keep stdout (default true); false: only count lines and bytes (see onStdout) */
  keep?: boolean;
  /** every stdout chunk, as received */
  onStdout?: (chunk: Buffer) => void;
  /** run this command (an installed ktail, through its #! line) instead of node bin/ktail.js */
  command?: string;
  /** the working directory (default: the test's) */
  cwd?: string;
}

const live = new Set<Ktail>();

/** Whatever a test started is killed after it, passed or failed. */
afterEach(async () => {
  const running = [...live];
  live.clear();
  for (const k of running) k.child.kill('SIGKILL');
  await Promise.all(running.map((k) => k.exited));
});

/** A running ktail. */
export class Ktail {
  readonly child: ChildProcessWithoutNullStreams;
  /** every complete stdout line, in order */
  readonly lines: string[] = [];
  /** messages by source ("POD CONTAINER"), in order */
  readonly sources = new Map<string, string[]>();
  lineCount = 0;
  stdoutBytes = 0;
  /** stdout after its last newline */
  partial = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly startedAt = Date.now();
  /** set once stdout and stderr have ended and the process has exited */
  private closed = false;
  private readonly chunks: Buffer[] = [];
  private joined: Buffer | undefined;
  private readonly outDecoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: SpawnOptions = {}) {
    const [file, argv] = opts.command === undefined ? [process.execPath, [BIN, ...args]] : [opts.command, [...args]];
    this.child = spawn(file, argv, {
      // KTAIL_CONFIG: the developer's own ~/.config/ktail/config.yaml must not change what a test sees
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', KTAIL_CONFIG: '/dev/null', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    });
    live.add(this);
    const keep = opts.keep ?? true;
    this.child.stdout.on('data', (c: Buffer) => {
      this.stdoutBytes += c.length;
      opts.onStdout?.(c);
      if (keep) {
        this.chunks.push(c);
        this.joined = undefined;
        this.take(this.outDecoder.write(c));
      }
      this.wake();
    });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr += this.errDecoder.write(c);
      this.wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        if (keep) this.take(this.outDecoder.end());
        this.stderr += this.errDecoder.end();
        this.closed = true;
        live.delete(this);
        this.wake();
        resolve({ code, signal, at: Date.now() });
      });
    });
  }

  /** Complete lines into `lines` and `sources`; the rest waits in `partial` (one index loop, no split). */
  private take(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.line(this.partial + text.slice(start, nl));
      this.partial = '';
      start = nl + 1;
    }
    if (start < text.length) this.partial += text.slice(start);
  }

  private line(line: string): void {
    this.lines.push(line);
    this.lineCount++;
    const a = line.indexOf(' ');
    const b = a === -1 ? -1 : line.indexOf(' ', a + 1);
    const key = b === -1 ? line : line.slice(0, b);
    let list = this.sources.get(key);
    if (!list) this.sources.set(key, (list = []));
    list.push(b === -1 ? '' : line.slice(b + 1));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** every stdout byte so far */
  get stdout(): Buffer {
    return (this.joined ??= Buffer.concat(this.chunks));
  }

  /** stdout so far as UTF-8 text */
  get text(): string {
    return this.stdout.toString('utf8');
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

  /**
   * Resolves once pred holds on the output so far; rejects after timeoutMs, or as soon as ktail
   * has exited without it holding, with the end of stdout and stderr.
   */
  async waitFor(pred: (k: this) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      if (this.closed) {
        const { exitCode, signalCode } = this.child;
        throw new Error(
          `ktail exited (code ${exitCode ?? 'none'}, signal ${signalCode ?? 'none'}) while waiting for ${what}\n${this.describe()}`,
        );
      }
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

/** ktail against a simulated cluster (its kubeconfig first). */
export function ktail(fx: SimFixture, args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: SpawnOptions = {}): Ktail {
  return new Ktail(['--kubeconfig', fx.kubeconfig, ...args], env, opts);
}

/** Runs to the end, for commands that exit by themselves; killed after timeoutMs. */
export async function runKtail(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  opts: { timeoutMs?: number; command?: string; cwd?: string } = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const { timeoutMs: _, ...spawnOpts } = opts;
  const k = new Ktail(args, env, spawnOpts);
  const timer = setTimeout(() => k.child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const exit = await k.exited;
  clearTimeout(timer);
  return { ...exit, stdout: k.text, stderr: k.stderr };
}
