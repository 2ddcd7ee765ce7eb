/**
 * `ktail --demo`: starts the simulated cluster on loopback with a small, lively shop and points
 * ktail at it through a temporary kubeconfig, so anyone can see ktail work without a cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningDemo {
  readonly kubeconfigPath: string;
  readonly stop: () => Promise<void>;
}

export async function startDemo(): Promise<RunningDemo> {
  const { SimCluster, startDemo: startScenario } = await import('../sim/index.js');
  const sim = await SimCluster.start();
  const dir = mkdtempSync(join(tmpdir(), 'ktail-demo-'));
  const kubeconfigPath = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
  const scenario = startScenario(sim);
  return {
    kubeconfigPath,
    async stop() {
      scenario.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
