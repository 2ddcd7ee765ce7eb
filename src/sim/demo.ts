// A small, lively cluster for `ktail --demo` and `node dist/sim/cli.js`: a few workloads whose
// containers write plausible log lines, and a container that crashes now and then.
import type { SimCluster } from './cluster.js';
import type { ContainerRef } from './types.js';

export interface DemoOptions {
  /** average lines per second per container (default 2) */
  linesPerSec?: number;
  /** restart one checkout container with OOMKilled every this many ms (default 30000; 0: never) */
  crashEveryMs?: number;
}

export interface DemoHandle {
  stop(): void;
}

const PATHS = ['/', '/cart', '/api/products?page=2', '/healthz', '/static/app.js', '/login', '/api/orders/1042'];
const LEVELS = ['info', 'info', 'info', 'debug', 'warn', 'error'] as const;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function lineFor(pod: string, container: string): string {
  const now = new Date().toISOString();
  if (container === 'nginx' || container === 'web') {
    const status = Math.random() < 0.05 ? 502 : Math.random() < 0.1 ? 404 : 200;
    return `10.244.0.${Math.floor(Math.random() * 250)} - - [${now}] "GET ${pick(PATHS)} HTTP/1.1" ${status} ${Math.floor(Math.random() * 9000)} "-" "curl/8.5.0"`;
  }
  if (container === 'envoy') {
    return `[${now}] "GET ${pick(PATHS)} HTTP/2" 200 - 0 ${Math.floor(Math.random() * 5000)} ${Math.floor(Math.random() * 40)} "${pod}"`;
  }
  if (container === 'postgres') {
    return `${now.replace('T', ' ').replace('Z', ' UTC')} [${Math.floor(Math.random() * 900) + 100}] LOG:  checkpoint complete: wrote ${Math.floor(Math.random() * 90)} buffers`;
  }
  const level = pick(LEVELS);
  return JSON.stringify({ ts: now, level, msg: level === 'error' ? 'payment provider timeout' : 'order processed', order: Math.floor(Math.random() * 100000), pod });
}

/** Create the demo workloads and start writing lines; stop() stops the writers. */
export function startDemo(sim: SimCluster, opts: DemoOptions = {}): DemoHandle {
  const rate = opts.linesPerSec ?? 2;
  sim.createDeployment({ name: 'web', replicas: 3, labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'envoy', image: 'envoyproxy/envoy:v1.32.1' }] });
  sim.createService({ name: 'web', selector: { app: 'web' } });
  sim.createDeployment({ namespace: 'shop', name: 'checkout', replicas: 2, labels: { app: 'checkout' }, containers: [{ name: 'api', image: 'ghcr.io/example/checkout:2.4.1' }] });
  sim.createService({ namespace: 'shop', name: 'checkout', selector: { app: 'checkout' } });
  sim.createStatefulSet({ name: 'db', replicas: 2, labels: { app: 'db' }, containers: [{ name: 'postgres', image: 'postgres:17' }] });
  sim.createDaemonSet({ namespace: 'kube-system', name: 'node-exporter', labels: { app: 'node-exporter' }, containers: [{ name: 'node-exporter', image: 'prom/node-exporter:v1.8.2' }] });
  sim.createCronJob({ name: 'report', schedule: '0 * * * *', containers: [{ name: 'report', image: 'busybox:1.36' }] });
  const job = sim.triggerCronJob('default', 'report');
  const jobPod = job.pods[0];
  if (jobPod) {
    const ref = { namespace: jobPod.namespace, pod: jobPod.name, container: 'report' };
    sim.writeLines(ref, ['generating daily report', 'rows: 1204', 'report written to s3://reports/daily.csv']);
    sim.terminateContainer(ref, { exitCode: 0 });
  }
  sim.createPod({
    name: 'migrate-then-serve',
    labels: { app: 'legacy' },
    initContainers: [{ name: 'migrate', image: 'flyway/flyway:10', state: 'running' }],
    containers: [{ name: 'app', image: 'registry.local/legacy:0.9', state: { waiting: { reason: 'PodInitializing' } } }],
  });
  const migrate = { pod: 'migrate-then-serve', container: 'migrate' };
  sim.writeLines(migrate, ['Flyway Community Edition 10.0.0', 'Successfully applied 3 migrations to schema "public"']);
  sim.terminateContainer(migrate, { exitCode: 0 });
  sim.startContainer({ pod: 'migrate-then-serve', container: 'app' });

  const tickMs = 100;
  const writer = setInterval(() => {
    for (const pod of sim.listPods()) {
      if (pod.metadata.deletionTimestamp) continue;
      const spec = pod.spec as { containers: { name: string }[] };
      for (const c of spec.containers) {
        if (Math.random() >= (rate * tickMs) / 1000) continue;
        const ref: ContainerRef = { namespace: pod.metadata.namespace, pod: pod.metadata.name, container: c.name };
        try {
          sim.writeLines(ref, [lineFor(pod.metadata.name, c.name)]);
        } catch {
          // not running right now
        }
      }
    }
  }, tickMs);
  const crashEvery = opts.crashEveryMs ?? 30_000;
  const crasher =
    crashEvery > 0
      ? setInterval(() => {
          const victim = sim.listPods('shop')[0];
          if (!victim) return;
          const ref = { namespace: 'shop', pod: victim.metadata.name, container: 'api' };
          try {
            sim.writeLines(ref, [JSON.stringify({ level: 'error', msg: 'out of memory: heap limit reached' })]);
            sim.restartContainer(ref, { reason: 'OOMKilled', exitCode: 137 });
          } catch {
            // gone
          }
        }, crashEvery)
      : undefined;
  return {
    stop() {
      clearInterval(writer);
      if (crasher) clearInterval(crasher);
    },
  };
}
