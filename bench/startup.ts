/**
 * Start-up: from spawn to the first log line on stdout, for ktail (from npm: `node bin/ktail.js`;
 * and the single binary, when `npm run dist` has built it) and `kubectl logs`, on the same
 * simulated cluster, at 1 and 10 pods and 300 streams. Each command follows the pods' logs
 * (every pod has lines already); the time is when the first complete line arrives. The runs of
 * the commands are interleaved, so a busy moment of the machine falls on all of them alike.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster } from '../src/sim/index.js';
import { percentile } from './measure.js';

const NS = 'startup';

export interface Contender {
  readonly name: string;
  readonly command: string;
  /** the arguments, given the kubeconfig and how many streams to allow */
  readonly args: (kubeconfig: string, streams: number) => string[];
}

/** ms from spawn to the first complete stdout line; Infinity if none within timeoutMs */
function firstLineMs(command: string, args: string[], timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, KTAIL_CONFIG: '/dev/null' } });
    let done = false;
    const finish = (ms: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(ms);
    };
    const timer = setTimeout(() => finish(Infinity), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.includes(10)) finish(performance.now() - t0);
    });
    child.on('close', () => finish(Infinity));
  });
}

/** pods × containers: 1×1, 10×1, 150×2 (300 streams) */
const SCENES = [
  { label: '1 pod', pods: 1, containers: 1 },
  { label: '10 pods', pods: 10, containers: 1 },
  { label: '300 streams (150 pods × 2)', pods: 150, containers: 2 },
];

export function contenders(ktailJs: string, binary: string | undefined, kubectl: boolean): Contender[] {
  const ktailArgs = (kubeconfig: string, streams: number): string[] => [
    '--kubeconfig',
    kubeconfig,
    '-n',
    NS,
    '-l',
    'app=start',
    '--max-log-requests',
    String(streams + 10),
    '--color',
    'never',
  ];
  const list: Contender[] = [
    { name: 'ktail (npm: node bin/ktail.js)', command: process.execPath, args: (k, s) => [ktailJs, ...ktailArgs(k, s)] },
  ];
  if (binary && existsSync(binary)) list.push({ name: 'ktail (single binary)', command: binary, args: ktailArgs });
  if (kubectl)
    list.push({
      name: 'kubectl logs -f',
      command: 'kubectl',
      args: (k, s) => ['--kubeconfig', k, 'logs', '-f', '-n', NS, '-l', 'app=start', '--prefix', `--max-log-requests=${s + 10}`],
    });
  return list;
}

/** The start-up table (markdown): median and best of `runs` runs, per scene and command. */
export async function startupTable(list: readonly Contender[], runs = 7): Promise<string> {
  const out = [`| scene | ${list.map((c) => `${c.name} p50 / best ms`).join(' | ')} |`, `|---|${list.map(() => '---').join('|')}|`];
  for (const scene of SCENES) {
    const sim = await SimCluster.start({ namespaces: [NS] });
    const dir = mkdtempSync(join(tmpdir(), 'ktail-startup-'));
    try {
      const kubeconfig = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
      const containers = Array.from({ length: scene.containers }, (_, i) => ({ name: `c${i}` }));
      for (let p = 0; p < scene.pods; p++) {
        const pod = `start-${String(p).padStart(3, '0')}`;
        sim.createPod({ namespace: NS, name: pod, labels: { app: 'start' }, containers });
        for (const c of containers)
          sim.writeLines({ namespace: NS, pod, container: c.name }, [`${pod} ${c.name} ready`, `${pod} ${c.name} serving`]);
      }
      const streams = scene.pods * scene.containers;
      const times = list.map((): number[] => []);
      // one warm-up each (disk cache), then the runs, interleaved
      for (const c of list) await firstLineMs(c.command, c.args(kubeconfig, streams));
      for (let r = 0; r < runs; r++)
        for (const [i, c] of list.entries()) times[i]!.push(await firstLineMs(c.command, c.args(kubeconfig, streams)));
      const fmt = (n: number): string => (Number.isFinite(n) ? String(Math.round(n)) : '–');
      out.push(`| ${scene.label} | ${times.map((t) => `${fmt(percentile(t, 50))} / ${fmt(Math.min(...t))}`).join(' | ')} |`);
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out.join('\n');
}
