#!/usr/bin/env node
// Run the simulated cluster standalone with the demo workloads, e.g. to try it with kubectl:
//   node dist/sim/cli.js [--kubeconfig PATH] [--port N] [--http1] [--quiet-demo]
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster } from './cluster.js';
import { startDemo } from './demo.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('usage: node dist/sim/cli.js [--kubeconfig PATH] [--port N] [--http1] [--quiet-demo]\n');
    return;
  }
  const port = arg('--port');
  const sim = await SimCluster.start({ port: port ? Number(port) : 0, http2: !process.argv.includes('--http1') });
  const demo = startDemo(
    sim,
    process.argv.includes('--quiet-demo') ? { linesPerSec: 0, crashEveryMs: 0, rolloutEveryMs: 0, troubleEveryMs: 0 } : {},
  );
  const path = await sim.writeKubeconfig(arg('--kubeconfig') ?? join(tmpdir(), `ktail-sim-${sim.port}.kubeconfig`));
  process.stdout.write(`${path}\n`);
  process.stderr.write(`simulated cluster at ${sim.url}; try: kubectl --kubeconfig ${path} get pods -A\n`);
  const stop = () => {
    demo.stop();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim: ${String(err)}\n`);
  process.exitCode = 1;
});
