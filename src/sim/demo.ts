// A small, realistic shop for `ktail --demo` and `node dist/sim/cli.js`: a `web` deployment
// (3 pods, containers `app` and `proxy`) logging at a human pace, a `worker` writing JSON lines
// with levels, a rolling update of web every ~30 s, and a `payments` container that crash-loops.
// For --events: a web pod whose readiness probe fails now and then (Unhealthy), a `catalog` pod
// whose image will not pull (ErrImagePull, ImagePullBackOff) and a `search` pod no node takes
// (FailedScheduling), each repeating as a real cluster's do.
// The pods start with some minutes of past lines, so that --no-follow, --tail and --since show
// something, as on a real cluster.
import type { SimCluster } from './cluster.js';
import type { ContainerRef } from './types.js';

export interface DemoOptions {
  /** average lines per second per container (default 1.5; 0: silent) */
  linesPerSec?: number;
  /** roll the web deployment every this many ms (default 30000; 0: never) */
  rolloutEveryMs?: number;
  /** crash the payments container every this many ms (default 12000; 0: never) */
  crashEveryMs?: number;
  /** the failures behind Warning Events (probe, image pull, scheduling) every this many ms (default 9000; 0: never) */
  troubleEveryMs?: number;
  /** minutes of past lines the pods start with (default 5; 0: none) */
  historyMinutes?: number;
}

export interface DemoHandle {
  stop(): void;
}

const PATHS = ['/', '/cart', '/api/products?page=2', '/healthz', '/static/app.js', '/login', '/api/orders/1042'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const ms = (): number => Math.floor(Math.random() * 180) + 2;

/** One plausible line for a container, by its name, as written at `at`. */
function lineFor(container: string, at: Date = new Date()): string {
  switch (container) {
    case 'app': {
      const path = pick(PATHS);
      return Math.random() < 0.06 ? `ERROR handler ${path}: upstream catalog timed out after 2000ms` : `INFO  GET ${path} 200 ${ms()}ms`;
    }
    case 'proxy': {
      const status = Math.random() < 0.04 ? 502 : Math.random() < 0.08 ? 404 : 200;
      return `[${at.toISOString()}] "GET ${pick(PATHS)} HTTP/1.1" ${status} ${Math.floor(Math.random() * 9000)} ${ms()}ms`;
    }
    case 'worker': {
      const r = Math.random();
      const level = r < 0.08 ? 'error' : r < 0.2 ? 'warn' : r < 0.35 ? 'debug' : 'info';
      const msg = {
        error: 'charge failed: card declined',
        warn: 'retrying job after backoff',
        debug: 'polled queue',
        info: 'order processed',
      }[level];
      return JSON.stringify({ ts: at.toISOString(), level, msg, order: Math.floor(Math.random() * 100000) });
    }
    default:
      return `starting payments service v2.1.0 (attempt ${Math.floor(Math.random() * 9) + 1})`;
  }
}

/**
 * The pods' past: lines at the demo's pace over the last `minutes`, each with its own timestamp
 * (the log's timestamps, which --since and --tail go by), the newest a second ago.
 */
function writeHistory(sim: SimCluster, minutes: number, rate: number, payments: ContainerRef): void {
  const now = Date.now();
  const from = now - minutes * 60_000;
  const meanGapMs = 1000 / rate;
  for (const pod of sim.listPods()) {
    const spec = pod.spec as { containers: { name: string }[] };
    for (const c of spec.containers) {
      const ref = { namespace: pod.metadata.namespace, pod: pod.metadata.name, container: c.name };
      const isPayments = pod.metadata.name === payments.pod;
      // payments has just been (re)started by its crash loop: a few lines of this run only
      let t = isPayments ? now - 20_000 : from + Math.random() * meanGapMs;
      const gap = isPayments ? 6_000 : meanGapMs;
      for (; t < now - 1000; t += gap * (0.5 + Math.random())) {
        const at = new Date(Math.floor(t));
        sim.writeLines(ref, [lineFor(c.name, at)], { timestamp: at });
      }
    }
  }
}

/** Create the demo workloads and start their activity; stop() stops the timers. */
export function startDemo(sim: SimCluster, opts: DemoOptions = {}): DemoHandle {
  const rate = opts.linesPerSec ?? 1.5;
  const web = [
    { name: 'app', image: 'ghcr.io/example/shop-web:3.2.0' },
    { name: 'proxy', image: 'envoyproxy/envoy:v1.32.1' },
  ];
  sim.createDeployment({ name: 'web', replicas: 3, labels: { app: 'web' }, containers: web });
  sim.createService({ name: 'web', selector: { app: 'web' } });
  sim.createDeployment({
    name: 'worker',
    replicas: 1,
    labels: { app: 'worker' },
    containers: [{ name: 'worker', image: 'ghcr.io/example/shop-worker:1.8.4' }],
  });
  sim.createPod({
    name: 'payments-5c8d7f9b4-kq2xw',
    labels: { app: 'payments' },
    containers: [{ name: 'payments', image: 'ghcr.io/example/payments:2.1.0' }],
  });
  const payments: ContainerRef = { pod: 'payments-5c8d7f9b4-kq2xw', container: 'payments' };
  const catalog: ContainerRef = { pod: 'catalog-6f7b9d8c5-zx4mp', container: 'catalog' };
  sim.createPod({
    name: catalog.pod,
    labels: { app: 'catalog' },
    containers: [{ name: 'catalog', image: 'ghcr.io/example/catalog:4.0.0-rc1', state: { waiting: { reason: 'ErrImagePull' } } }],
  });
  const search = 'search-7c9f5d6b8-h2k7n';
  sim.createPod({ name: search, labels: { app: 'search' }, nodeName: null, containers: [{ name: 'search', state: 'waiting' }] });
  const historyMinutes = opts.historyMinutes ?? 5;
  if (historyMinutes > 0 && rate > 0) writeHistory(sim, historyMinutes, rate, payments);

  const tickMs = 100;
  const writer = setInterval(() => {
    for (const pod of sim.listPods()) {
      if (pod.metadata.deletionTimestamp || pod.metadata.name === payments.pod) continue;
      const spec = pod.spec as { containers: { name: string }[] };
      for (const c of spec.containers) {
        if (Math.random() >= (rate * tickMs) / 1000) continue;
        try {
          sim.writeLines({ namespace: pod.metadata.namespace, pod: pod.metadata.name, container: c.name }, [lineFor(c.name)]);
        } catch {
          // the container is not running at this moment
        }
      }
    }
  }, tickMs);

  let rolling = false;
  const rolloutEvery = opts.rolloutEveryMs ?? 30_000;
  const roller =
    rolloutEvery > 0
      ? setInterval(() => {
          if (rolling) return;
          rolling = true;
          sim
            .rolloutDeployment('default', 'web', { graceMs: 1500 })
            .catch(() => undefined)
            .finally(() => (rolling = false));
        }, rolloutEvery)
      : undefined;

  // payments: a few lines, then an exit 1 and a wait in CrashLoopBackOff, then again
  const crashEvery = opts.crashEveryMs ?? 12_000;
  const crasher =
    crashEvery > 0
      ? setInterval(() => {
          try {
            sim.writeLines(payments, ['FATAL config: PAYMENTS_API_KEY is not set']);
            sim.terminateContainer(payments, { reason: 'Error', exitCode: 1 });
            sim.setContainerState(payments, {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=payments' },
            });
            setTimeout(() => {
              try {
                sim.restartContainer(payments, { reason: 'Error', exitCode: 1 });
                sim.writeLines(payments, [lineFor('payments'), 'connecting to postgres://payments-db:5432']);
              } catch {
                // stopped meanwhile
              }
            }, crashEvery / 2).unref();
          } catch {
            // stopped meanwhile
          }
        }, crashEvery)
      : undefined;

  // Warning Events that repeat: a web pod's readiness probe, the catalog image, the search pod
  const troubleEvery = opts.troubleEveryMs ?? 9000;
  let round = 0;
  const troubler =
    troubleEvery > 0
      ? setInterval(() => {
          round++;
          try {
            const web = sim.listPods('default').find((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp);
            if (web)
              sim.failProbe(
                { pod: web.metadata.name, container: 'app' },
                'Readiness',
                'Get "http://10.244.0.7:8080/ready": context deadline exceeded',
              );
            sim.setContainerState(catalog, { waiting: { reason: round % 2 === 0 ? 'ErrImagePull' : 'ImagePullBackOff' } });
            if (round % 3 === 0) sim.emitFailedScheduling('default', search);
          } catch {
            // stopped meanwhile
          }
        }, troubleEvery)
      : undefined;

  return {
    stop() {
      clearInterval(writer);
      if (roller) clearInterval(roller);
      if (crasher) clearInterval(crasher);
      if (troubler) clearInterval(troubler);
    },
  };
}
