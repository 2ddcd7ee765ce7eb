/**
 * Follow-mode scenarios: how soon every stream is open, and how soon a new pod's first line
 * reaches stdout, with the other streams quiet or pouring lines as fast as they are read.
 */
import { spawn } from 'node:child_process';
import type { SimCluster } from '../src/sim/index.js';
import { peakRssMb, poll } from './measure.js';

export interface FollowResult {
  /** spawn → every stream open on the server, seconds; NaN if they did not all open */
  readonly openAllSeconds: number;
  /** one per probe pod, ms from its first line written to it on stdout; Infinity if it never came */
  readonly latencyMs: readonly number[];
  /** of the ktail process, during the scenario */
  readonly peakRssMb: number;
  readonly exitCode: number | null;
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
  const child = spawn(process.execPath, [s.ktail, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const seen = new Map<string, number>();
  // Only probe lines are looked for: the flood's lines are counted past without decoding them.
  const marker = Buffer.from('probe ');
  let carry: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (c: Buffer) => {
    const now = performance.now();
    const buf = carry.length > 0 ? Buffer.concat([carry, c]) : c;
    let at = buf.indexOf(marker);
    while (at !== -1) {
      const end = buf.indexOf(10, at);
      if (end === -1) break;
      seen.set(buf.toString('latin1', at, end), now);
      at = buf.indexOf(marker, end);
    }
    const last = buf.lastIndexOf(10);
    carry = Buffer.from(buf.subarray(last + 1));
  });
  const opened = await poll(() => sim.counters.logStreamsOpen - before >= s.pods, 60_000);
  const openAllSeconds = opened ? (Date.now() - t0) / 1000 : NaN;
  const latencyMs: number[] = [];
  for (let i = 0; i < s.probes; i++) {
    const name = `probe-${tag}-${s.pods}-${i}`;
    sim.createPod({ namespace: s.namespace, name, labels: { app: 'bench' }, containers: [{ name: 'app' }] });
    // the pod's first line, written as soon as it exists: before ktail can have connected
    const written = performance.now();
    const text = `probe ${name}`;
    sim.writeLines({ namespace: s.namespace, pod: name, container: 'app' }, [text]);
    latencyMs.push((await poll(() => seen.has(text), 10_000)) ? seen.get(text)! - written : Infinity);
    await new Promise((r) => setTimeout(r, 25));
  }
  const rss = child.pid === undefined ? 0 : peakRssMb(child.pid);
  child.kill('SIGINT');
  const exitCode = await new Promise<number | null>((r) => child.on('close', r));
  for (let i = 0; i < s.probes; i++) await sim.deletePod(s.namespace, `probe-${tag}-${s.pods}-${i}`);
  return { openAllSeconds, latencyMs, peakRssMb: rss, exitCode };
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
