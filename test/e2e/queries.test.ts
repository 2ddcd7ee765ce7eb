/** Several QUERYs at once: the union of what each matches, a pod matched twice followed once. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop'] });
});

const sorted = (stdout: string): string[] => stdout.split('\n').filter(Boolean).sort();

describe('several QUERYs', () => {
  it('a pattern, a deployment and a statefulset: their union, each container once; a pod both match is followed once', async () => {
    const api = fx.sim.createDeployment({ namespace: 'shop', name: 'api', replicas: 2, containers: [{ name: 'app' }] });
    const db = fx.sim.createStatefulSet({ namespace: 'shop', name: 'db', replicas: 1, containers: [{ name: 'pg' }] });
    fx.sim.createPod({ namespace: 'shop', name: 'web-1', containers: [{ name: 'app' }, { name: 'proxy' }] });
    fx.sim.createPod({ namespace: 'shop', name: 'other', containers: [{ name: 'app' }] });
    const lines: string[] = [];
    for (const [pod, container] of [
      ...api.pods.map((p) => [p.name, 'app']),
      [db.pods[0]!.name, 'pg'],
      ['web-1', 'app'],
      ['web-1', 'proxy'],
      ['other', 'app'],
    ] as const) {
      fx.sim.writeLines({ namespace: 'shop', pod, container }, [`hi from ${pod}/${container}`]);
      if (pod !== 'other') lines.push(`${pod} ${container} hi from ${pod}/${container}`);
    }
    // `api-` matches the deployment's pods by name too: each is still followed once
    const r = await runKtail([
      '--kubeconfig',
      fx.kubeconfig,
      '-n',
      'shop',
      'web',
      'deployment/api',
      'statefulset/db',
      '^api-',
      '--no-follow',
    ]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(sorted(r.stdout)).toEqual(lines.sort());
  });

  it('following: a pod that appears later is followed once, though two QUERYs match it', async () => {
    const job = fx.sim.createJob({ name: 'late-job', containers: [{ name: 'task' }] });
    const jobPod = job.pods[0]!.name;
    const k = ktail(fx, ['job/late-job', 'late']);
    await k.waitFor((x) => x.stderr.includes(`+ ${jobPod} › task`), 'the job pod');
    fx.sim.createPod({ name: 'late-web', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: jobPod, container: 'task' }, ['one', 'two']);
    fx.sim.writeLines({ pod: 'late-web', container: 'app' }, ['web line']);
    await k.waitFor((x) => x.lines.includes(`${jobPod} task two`) && x.lines.includes('late-web app web line'), 'both');
    await k.stop();
    expect(k.lines.sort()).toEqual([`${jobPod} task one`, `${jobPod} task two`, 'late-web app web line'].sort());
    expect(k.notices(/^\+ /).sort()).toEqual([`+ ${jobPod} › task`, '+ late-web › app'].sort());
  });

  it('nothing matches: the notice names every QUERY', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'nope-a', 'nope-b', '--no-follow']);
    expect([r.code, r.stderr]).toEqual([
      0,
      'ktail: no pod or container matches "nope-a", "nope-b" in namespace "default" of context "sim"\n',
    ]);
  });

  it('a workload that does not exist is the error (exit 1), even beside QUERYs that match', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', 'deployment/missing', '--no-follow']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'ktail: deployment "missing" not found in namespace "default"\n']);
  });
});
