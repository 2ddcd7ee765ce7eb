/**
 * Follow-mode scenarios: how soon every stream is open, and how soon a new pod's first line
 * reaches stdout, with the other streams quiet or pouring lines as fast as they are read.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { SimCluster } from '../src/sim/index.js';
import { peakRssMb, poll } from './measure.js';
import type { WatcherData, WatcherMessage } from './stdout-watcher.js';

const WATCHER = new URL('./stdout-watcher.js', import.meta.url);

export interface FollowResult {
  /** spawn → every stream open on the server, seconds; NaN if they did not all open */
  readonly openAllSeconds: number;
  /** one per probe pod, ms from its first line written to it on stdout; Infinity if it never came */
  readonly latencyMs: readonly number[];
  /** of the ktail process, during the scenario */
  readonly peakRssMb: number;
  readonly exitCode: number | null;
  /** with a flood: the probes written while the server had flood lines left to send */
  readonly probesDuringFlood: number;
}

export interface FollowSetup {
  readonly ktail: string;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly pods: number;
  readonly probes: number;
  /**
   * lines to pour across the pods while the probes run: each pod's backlog, read from its
   * start as fast as ktail reads; 0 for quiet streams (followed from now, --tail 0)
   */
  readonly floodLines: number;
}

export async function followScenario(sim: SimCluster, s: FollowSetup): Promise<FollowResult> {
  const tag = s.floodLines > 0 ? 'flood' : 'quiet';
  if (s.floodLines > 0)
    for (let i = 0; i < s.pods; i++)
      sim.generate({ namespace: s.namespace, pod: podName(i), container: 'app' }, { count: Math.ceil(s.floodLines / s.pods), size: 150 });
  const before = sim.counters.logStreamsOpen;
  const servedBefore = sim.counters.linesServed;
  const floodTotal = s.floodLines > 0 ? Math.ceil(s.floodLines / s.pods) * s.pods : 0;
  const t0 = Date.now();
  const args = [
    '--kubeconfig',
    s.kubeconfig,
    '-n',
    s.namespace,
    '-l',
    'app=bench',
    '--max-log-requests',
    String(s.pods + 100),
    '-o',
    'raw',
  ];
  if (s.floodLines === 0) args.push('--tail', '0');
  // ktail's stdout is read on a thread of its own (stdout-watcher.ts), not beside the server
  const watcher = new Worker(WATCHER, {
    workerData: { cmd: process.execPath, args: [s.ktail, ...args], marker: 'probe ' } satisfies WatcherData,
  });
  const seen = new Map<string, number>();
  let pid: number | undefined;
  const exited = new Promise<number | null>((resolve) =>
    watcher.on('message', (m: WatcherMessage) => {
      if (m.kind === 'pid') pid = m.pid;
      else if (m.kind === 'seen') seen.set(m.text, m.at);
      else resolve(m.code);
    }),
  );
  const opened = await poll(() => sim.counters.logStreamsOpen - before >= s.pods, 60_000);
  const openAllSeconds = opened ? (Date.now() - t0) / 1000 : NaN;
  const latencyMs: number[] = [];
  let probesDuringFlood = 0;
  for (let i = 0; i < s.probes; i++) {
    // a probe after the flood ended would time a quiet stream: counted, so the bench can say so
    if (sim.counters.linesServed - servedBefore < floodTotal) probesDuringFlood++;
    const name = `probe-${tag}-${s.pods}-${i}`;
    sim.createPod({ namespace: s.namespace, name, labels: { app: 'bench' }, containers: [{ name: 'app' }] });
    // the pod's first line, written as soon as it exists: before ktail can have connected
    const written = performance.timeOrigin + performance.now();
    const text = `probe ${name}`;
    sim.writeLines({ namespace: s.namespace, pod: name, container: 'app' }, [text]);
    latencyMs.push((await poll(() => seen.has(text), 10_000)) ? seen.get(text)! - written : Infinity);
    await new Promise((r) => setTimeout(r, 25));
  }
  const rss = pid === undefined ? 0 : peakRssMb(pid);
  watcher.postMessage('stop');
  const exitCode = await exited;
  // the server sees the streams of the ktail that just ended close a moment later: the next
  // scenario counts its own open streams from a baseline taken after that
  await poll(() => sim.counters.logStreamsOpen <= before, 30_000);
  for (let i = 0; i < s.probes; i++) await sim.deletePod(s.namespace, `probe-${tag}-${s.pods}-${i}`);
  return { openAllSeconds, latencyMs, peakRssMb: rss, exitCode, probesDuringFlood };
}

export const podName = (i: number): string => `bench-${String(i).padStart(4, '0')}`;

/** How kubectl fares at opening the same streams (it has no other follow scenario worth timing). */
export async function kubectlOpenSeconds(sim: SimCluster, kubeconfig: string, namespace: string, pods: number): Promise<number> {
  const before = sim.counters.logStreamsOpen;
  const t0 = Date.now();
  const child = spawn(
    'kubectl',
    [
      '--kubeconfig',
      kubeconfig,
      'logs',
      '-f',
      '-n',
      namespace,
      '-l',
      'app=bench',
      '--prefix',
      '--tail=0',
      `--max-log-requests=${pods + 100}`,
    ],
    { stdio: 'ignore' },
  );
  const ok = await poll(() => sim.counters.logStreamsOpen - before >= pods, 30_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  return ok ? (Date.now() - t0) / 1000 : Infinity;
}
