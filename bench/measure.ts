/** Running a command and measuring it from outside: CPU (bash's `times`), peak RSS (/proc). */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface Measured {
  readonly exitCode: number | null;
  /** user + system CPU seconds of the command (and its children) */
  readonly cpuSeconds: number;
  /** peak resident set, MB (VmHWM, polled) */
  readonly peakRssMb: number;
  /** from spawn to exit */
  readonly wallSeconds: number;
  /** from spawn to the first stdout byte */
  readonly firstByteSeconds: number;
  readonly stdoutLines: number;
  readonly stdoutBytes: number;
  readonly stderr: string;
}

/** VmHWM of a running process, MB (0 once it is gone) */
export function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** What measure-worker.ts is given. */
export interface MeasureJob {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

const WORKER = new URL('./measure-worker.js', import.meta.url);

/**
 * Runs the command to its end under bash so that `times` reports its exact CPU; stdout is
 * counted (newlines, bytes) on a thread of its own (measure-worker.ts), as the next program of a
 * pipe would: this thread runs the simulated API server, and reading ktail's output here took
 * server time that the limit reader, which prints nothing, never cost it.
 */
export function measure(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 300_000,
): Promise<Measured> {
  const job: MeasureJob = { cmd, args, env, timeoutMs };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    worker.once('message', (m: Measured) => resolve(m));
    worker.once('error', reject);
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resolves true once pred() holds, polled every 5 ms; false after timeoutMs. */
export async function poll(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
