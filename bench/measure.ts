/** Running a command and measuring it from outside: CPU (bash's `times`), peak RSS (/proc). */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

function childPid(bashPid: number): number | undefined {
  try {
    const kids = readFileSync(`/proc/${bashPid}/task/${bashPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length > 0 ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
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

/**
 * Runs the command to its end under bash so that `times` reports its exact CPU; stdout is
 * counted (newlines, bytes) by a plain reader in this process, as a pipe to the next program would.
 */
export function measure(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 300_000,
): Promise<Measured> {
  const t0 = process.hrtime.bigint();
  const child = spawn('bash', ['-c', '"$@"; s=$?; times >&2; exit $s', 'bash', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let bytes = 0;
  let firstByte = 0;
  let stderr = '';
  let peak = 0;
  let pid: number | undefined;
  const poll = setInterval(() => {
    pid ??= childPid(child.pid!);
    if (pid !== undefined) peak = Math.max(peak, peakRssMb(pid));
  }, 20);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  child.stdout.on('data', (c: Buffer) => {
    if (bytes === 0) firstByte = Number(process.hrtime.bigint() - t0) / 1e9;
    bytes += c.length;
    let i = -1;
    while ((i = c.indexOf(10, i + 1)) !== -1) lines++;
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // `times`: the shell's own user/sys, then its children's: "0m1.234s 0m0.456s"
      const timesLines = stderr.trimEnd().split('\n').slice(-1)[0] ?? '';
      const secs = [...timesLines.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      resolve({
        exitCode: code,
        cpuSeconds: (secs[0] ?? NaN) + (secs[1] ?? NaN),
        peakRssMb: peak,
        wallSeconds: wall,
        firstByteSeconds: firstByte,
        stdoutLines: lines,
        stdoutBytes: bytes,
        stderr: stderr.split('\n').slice(0, -3).join('\n'),
      });
    });
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
