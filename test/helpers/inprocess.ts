/**
 * For tests that drive ktail's modules in process against the simulated cluster: a context
 * for it, a process check, and cleanups run after each test in reverse order.
 */
import { afterEach } from 'vitest';
import type { ContextInfo } from '../../src/kube/kubeconfig.js';
import { caCert, type SimCluster } from '../../src/sim/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs after the current test (the last registered first). */
export function cleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** The simulated cluster as a context: its URL, its token, its CA. */
export function simContext(sim: SimCluster): ContextInfo {
  return {
    name: 'sim',
    server: sim.url,
    namespace: 'default',
    user: 'dev',
    insecureSkipTlsVerify: false,
    resolveCredentials: () =>
      Promise.resolve({ headers: { Authorization: `Bearer ${sim.token}` }, ca: Buffer.from(caCert), rejectUnauthorized: true }),
  };
}

/** Whether a process still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
