/**
 * measure()'s thread: runs one command under bash, counts its stdout and polls its peak RSS,
 * and posts the Measured back (see measure.ts for why this is a thread of its own).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { peakRssMb, type MeasureJob, type Measured } from './measure.js';

/** the command bash ran for us: bash's only child */
function childPid(bashPid: number): number | undefined {
  try {
    const kids = readFileSync(`/proc/${bashPid}/task/${bashPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length > 0 ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
}

function run({ cmd, args, env, timeoutMs }: MeasureJob): Promise<Measured> {
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

parentPort!.postMessage(await run(workerData as MeasureJob));
