/**
 * Idle cost: quiet streams followed for minutes while pods come and go. Reports the CPU ktail
 * used between the end of the warm-up and the end (per cent of one core) and its resident set
 * at both moments, read from /proc.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SimCluster } from '../src/sim/index.js';
import { poll } from './measure.js';

export interface IdleResult {
  readonly minutes: number;
  readonly streams: number;
  /** average CPU from the warm-up's end to the end, % of one core */
  readonly cpuPercent: number;
  readonly rssAfterWarmupMb: number;
  readonly rssAtEndMb: number;
  /** pods created (and as many deleted) during the run */
  readonly churn: number;
  readonly failures: readonly string[];
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a process, seconds */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function idleScenario(
  sim: SimCluster,
  opts: { ktail: string; kubeconfig: string; namespace: string; streams: number; minutes: number; warmupMinutes: number },
): Promise<IdleResult> {
  const failures: string[] = [];
  for (let i = 0; i < opts.streams; i++)
    sim.createPod({ namespace: opts.namespace, name: `quiet-${i}`, labels: { app: 'quiet' }, containers: [{ name: 'app' }] });
  const before = sim.counters.logStreamsOpen;
  const child = spawn(
    process.execPath,
    [opts.ktail, '--kubeconfig', opts.kubeconfig, '-n', opts.namespace, '-l', 'app=quiet', '--max-log-requests', String(opts.streams + 50)],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const pid = child.pid!;
  if (!(await poll(() => sim.counters.logStreamsOpen - before >= opts.streams, 60_000))) failures.push('idle: not every stream opened');
  // pods come and go every 3 s, as in a cluster that deploys: one created, the one before deleted
  let churn = 0;
  const churner = setInterval(() => {
    const name = `churn-${churn++}`;
    sim.createPod({ namespace: opts.namespace, name, labels: { app: 'quiet' }, containers: [{ name: 'app' }] });
    if (churn > 1) void sim.deletePod(opts.namespace, `churn-${churn - 2}`);
  }, 3000);
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  await sleep(opts.warmupMinutes * 60_000);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const rssAfterWarmupMb = rssMb(pid);
  await sleep((opts.minutes - opts.warmupMinutes) * 60_000);
  const cpu1 = cpuSeconds(pid);
  const elapsed = (performance.now() - t0) / 1000;
  const rssAtEndMb = rssMb(pid);
  clearInterval(churner);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0 && code !== 130) failures.push(`idle: ktail exited ${String(code)} on Ctrl-C`);
  return {
    minutes: opts.minutes,
    streams: opts.streams,
    cpuPercent: ((cpu1 - cpu0) / elapsed) * 100,
    rssAfterWarmupMb,
    rssAtEndMb,
    churn,
    failures,
  };
}
