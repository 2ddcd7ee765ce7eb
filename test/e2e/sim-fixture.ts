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
  const sim = await SimCluster.start(options);
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

