/**
 * The simulated cluster plus a kubeconfig file pointing at it, for tests that run bin/ktail.
 * Every one is closed by this module: `sim()` after its test, `fileSim()` after its file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';

export interface SimFixture {
  readonly sim: SimCluster;
  readonly kubeconfig: string;
  /** closes the cluster and removes the kubeconfig; idempotent */
  close(): Promise<void>;
}

type SimOptions = Parameters<typeof SimCluster.start>[0];

const perTest = new Set<SimFixture>();
const perFile = new Set<SimFixture>();

afterEach(async () => {
  await Promise.all([...perTest].map((s) => s.close()));
  perTest.clear();
});

afterAll(async () => {
  await Promise.all([...perFile].map((s) => s.close()));
  perFile.clear();
});

async function startSim(options: SimOptions = {}): Promise<SimFixture> {
  // The real API server truncates sinceTime to whole seconds before the kubelet sees it, so a
  // resume gets back every line from the start of that second: test against that, by default.
  const sim = await SimCluster.start({ sinceTimePrecision: 'second', ...options });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  let closed: Promise<void> | undefined;
  return {
    sim,
    kubeconfig,
    close() {
      closed ??= sim.close().finally(() => rmSync(dir, { recursive: true, force: true }));
      return closed;
    },
  };
}

/** A fresh simulated cluster for the running test, closed after it. */
export async function sim(options: SimOptions = {}): Promise<SimFixture> {
  const fx = await startSim(options);
  perTest.add(fx);
  return fx;
}

/** One simulated cluster for a whole test file (call it in beforeAll), closed after the file. */
export async function fileSim(options: SimOptions = {}): Promise<SimFixture> {
  const fx = await startSim(options);
  perFile.add(fx);
  return fx;
}
