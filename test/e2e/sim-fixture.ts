/** The simulated cluster plus a kubeconfig file pointing at it, for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster } from '../../src/sim/index.js';

export interface SimFixture {
  readonly sim: SimCluster;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export async function startSim(options: Parameters<typeof SimCluster.start>[0] = {}): Promise<SimFixture> {
  // The real API server truncates sinceTime to whole seconds before the kubelet sees it, so a
  // resume gets back every line from the start of that second: test against that, by default.
  const sim = await SimCluster.start({ sinceTimePrecision: 'second', ...options });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  return {
    sim,
    kubeconfig,
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

