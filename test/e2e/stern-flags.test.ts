/** stern's flags against the simulated cluster: --condition. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['cond'] });
});

describe('--condition', () => {
  it('ready=false follows only the pods that are not ready, and Ready only the ready ones', async () => {
    for (const name of ['cw-ready', 'cw-unready']) {
      fx.sim.createPod({ namespace: 'cond', name, containers: [{ name: 'app' }] });
      fx.sim.writeLines({ namespace: 'cond', pod: name, container: 'app' }, [`hello from ${name}`]);
    }
    fx.sim.setContainerReady({ namespace: 'cond', pod: 'cw-unready', container: 'app' }, false);

    const unready = await runKtail(['--kubeconfig', fx.kubeconfig, 'cw-', '-n', 'cond', '--no-follow', '--condition', 'ready=false']);
    expect(unready).toMatchObject({ code: 0, stdout: 'cw-unready app hello from cw-unready\n' });
    const ready = await runKtail(['--kubeconfig', fx.kubeconfig, 'cw-', '-n', 'cond', '--no-follow', '--condition', 'Ready']);
    expect(ready).toMatchObject({ code: 0, stdout: 'cw-ready app hello from cw-ready\n' });
  });

  it('a pod that comes to match later is followed then', async () => {
    fx.sim.createPod({ namespace: 'cond', name: 'late-1', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['late-', '-n', 'cond', '--condition', 'ready=false']);
    // ready, so not followed: nothing until it is not ready
    await sleep(1500);
    expect(k.stderr).not.toContain('+ late-1');
    fx.sim.setContainerReady({ namespace: 'cond', pod: 'late-1', container: 'app' }, false);
    await k.waitFor((x) => x.stderr.includes('+ late-1 › app'), 'late-1 followed once it is not ready');
    fx.sim.writeLines({ namespace: 'cond', pod: 'late-1', container: 'app' }, ['now']);
    await k.waitFor((x) => x.lines.includes('late-1 app now'), 'its line');
    await k.stop();
  });

  it('a bad condition is a usage error, exit 2', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', '--condition', 'happy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ktail: invalid value "happy" for --condition: expected a pod condition: ContainersReady, Initialized, Ready, .*\n$/,
    );
  });
});
