/** --events: Kubernetes Events of the followed pods and their owners, against the simulated cluster. */
import { describe, expect, it } from 'vitest';
import { ktail, runKtail, type Ktail } from '../helpers/spawn.js';
import { sim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

const eventLines = (k: Ktail): string[] => k.notices(/^! /);
const probe = (pod: string) => ({ pod, container: 'app' });

/** An Event the kubelet writes about a pod. */
function kubeletEvent(fx: SimFixture, pod: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
  fx.sim.emitEvent({ regarding: { kind: 'Pod', name: pod }, type, reason, message, component: 'kubelet' });
}

/** ktail with --events…, once it follows `pod` (a line written after the start is shown) */
async function started(fx: SimFixture, args: string[], pod: string, env: NodeJS.ProcessEnv = {}): Promise<Ktail> {
  const k = ktail(fx, ['--color', 'never', ...args], env);
  await k.waitFor((x) => x.stderr.includes(`+ ${pod} › app`), `following ${pod}`);
  fx.sim.writeLines(probe(pod), ['ready']);
  await k.waitFor((x) => x.lines.some((l) => l.endsWith(' ready')) || x.text.includes('"ready"'), `the first line of ${pod}`);
  return k;
}

describe('--events', () => {
  it("Warning Events of the followed pod are shown once; Normal ones and other pods' are not", async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-web', containers: [{ name: 'app' }] }); // Scheduled, Pulled, Created, Started: Normal
    fx.sim.createPod({ name: 'other', containers: [{ name: 'app' }] });
    const k = await started(fx, ['^ev-', '--events'], 'ev-web');
    fx.sim.failProbe(probe('other'));
    fx.sim.failProbe(probe('ev-web'));
    await k.waitFor((x) => eventLines(x).length >= 1, 'the Unhealthy event');
    await sleep(500);
    await k.stop();
    expect(eventLines(k)).toEqual(['! ev-web Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503']);
  });

  it("--events=all adds Normal: the pod's life so far (within --since) and its deletion (Killing)", async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-all', containers: [{ name: 'app' }] });
    const k = await started(fx, ['ev-all', '--events=all'], 'ev-all');
    await k.waitFor((x) => eventLines(x).length >= 4, 'the events from before the start');
    void fx.sim.deletePod('default', 'ev-all', { graceMs: 200 });
    await k.waitFor((x) => x.stderr.includes('! ev-all Killing: Stopping container app'), 'Killing');
    await k.stop();
    expect(eventLines(k)).toEqual([
      '! ev-all Scheduled: Successfully assigned default/ev-all to sim-node-1',
      '! ev-all Pulled: Container image "registry.local/app:1.0" already present on machine',
      '! ev-all Created: Created container: app',
      '! ev-all Started: Started container app',
      '! ev-all Killing: Stopping container app',
    ]);
  });

  it('Events from before the --since window are not shown', async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-old', containers: [{ name: 'app' }] });
    fx.sim.failProbe(probe('ev-old'));
    await sleep(2100);
    const k = await started(fx, ['ev-old', '--events', '--since', '1s'], 'ev-old');
    kubeletEvent(fx, 'ev-old', 'Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "config" : configmap "web-config" not found');
    await k.waitFor((x) => eventLines(x).length >= 1, 'the new event');
    await sleep(300);
    await k.stop();
    expect(eventLines(k)).toEqual([
      '! ev-old FailedMount: MountVolume.SetUp failed for volume "config" : configmap "web-config" not found',
    ]);
  });

  it('--no-follow: the Events within the window are shown, though it prints no other notice; exit 0', async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-once', containers: [{ name: 'app' }] });
    fx.sim.writeLines(probe('ev-once'), ['one line']);
    fx.sim.failProbe(probe('ev-once'));
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'ev-once', '--events', '--no-follow', '--color', 'never']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ev-once app one line\n');
    expect(r.stderr).toBe('! ev-once Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503\n');
  });

  it('a pod that cannot be scheduled, an image that will not pull, a crash loop: their Warnings', async () => {
    const fx = await sim();
    const k = ktail(fx, ['^ev-', '--events', '--color', 'never']);
    await k.waitFor((x) => x.stderr.includes('nothing matches'), 'the start');
    fx.sim.createPod({ name: 'ev-pending', nodeName: null, containers: [{ name: 'app', state: 'waiting' }] });
    fx.sim.createPod({
      name: 'ev-image',
      containers: [{ name: 'app', image: 'registry.local/app:nope', state: { waiting: { reason: 'ErrImagePull' } } }],
    });
    fx.sim.createPod({ name: 'ev-crash', containers: [{ name: 'app' }] });
    fx.sim.terminateContainer(probe('ev-crash'), { exitCode: 1 });
    fx.sim.setContainerState(probe('ev-crash'), { waiting: { reason: 'CrashLoopBackOff' } });
    await k.waitFor((x) => eventLines(x).length >= 4, 'four warnings');
    await sleep(300);
    await k.stop();
    const lines = eventLines(k);
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        "! ev-pending FailedScheduling: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
        '! ev-image Failed: Failed to pull image "registry.local/app:nope": rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/app:nope": not found',
        '! ev-image Failed: Error: ErrImagePull',
        expect.stringMatching(/^! ev-crash BackOff: Back-off restarting failed container app in pod ev-crash_default\(.+\)$/),
      ]),
    );
  });

  it("the owners: a Deployment's ScalingReplicaSet (Normal) with all; a ReplicaSet's FailedCreate (Warning) by default", async () => {
    const fx = await sim();
    const dep = fx.sim.createDeployment({ name: 'evdep', replicas: 2 });
    const rs = dep.child!.name;
    const pod = dep.pods[0]!.name;
    const all = ktail(fx, ['deployment/evdep', '--events=all', '--color', 'never']);
    const warn = ktail(fx, ['deployment/evdep', '--events', '--color', 'never']);
    for (const k of [all, warn]) await k.waitFor((x) => x.stderr.includes(`+ ${pod} › evdep`), 'the pods');
    await all.waitFor((x) => x.stderr.includes('! deployment/evdep ScalingReplicaSet'), "the deployment's event");
    const quota = `pods "${rs}-x" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2, limited: cpu=2`;
    fx.sim.emitEvent({
      regarding: { kind: 'ReplicaSet', name: rs },
      type: 'Warning',
      reason: 'FailedCreate',
      message: quota,
      component: 'replicaset-controller',
    });
    for (const k of [all, warn]) await k.waitFor((x) => x.stderr.includes(`! replicaset/${rs} FailedCreate`), 'the FailedCreate');
    await sleep(300);
    await Promise.all([all.stop(), warn.stop()]);
    expect(eventLines(all)).toEqual(
      expect.arrayContaining([
        `! deployment/evdep ScalingReplicaSet: Scaled up replica set ${rs} from 0 to 2`,
        `! replicaset/${rs} SuccessfulCreate: Created pod: ${pod}`,
        `! replicaset/${rs} FailedCreate: ${quota}`,
      ]),
    );
    expect(eventLines(warn)).toEqual([`! replicaset/${rs} FailedCreate: ${quota}`]);
  });

  it('a repeated Event updates rather than floods: once, then its new count once per quiet time', async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-flap', containers: [{ name: 'app' }] });
    const k = await started(fx, ['ev-flap', '--events'], 'ev-flap', { KTAIL_EVENT_REPEAT_MS: '1500' });
    fx.sim.failProbe(probe('ev-flap'));
    await k.waitFor((x) => eventLines(x).length >= 1, 'the first failure');
    for (let i = 0; i < 9; i++) {
      fx.sim.failProbe(probe('ev-flap'));
      await sleep(50);
    }
    await k.waitFor((x) => eventLines(x).length >= 2, 'the update');
    await sleep(2000); // nothing more happened: nothing more is shown
    await k.stop();
    expect(eventLines(k)).toEqual([
      '! ev-flap Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503',
      '! ev-flap Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503 (×10)',
    ]);
  });

  it('after 410 Gone the Events are listed again, and none is shown twice', async () => {
    const fx = await sim({ historySize: 20 });
    fx.sim.createPod({ name: 'ev-gone', containers: [{ name: 'app' }] });
    const k = await started(fx, ['ev-gone', '--events', '--verbose'], 'ev-gone');
    fx.sim.failProbe(probe('ev-gone'), 'Liveness', 'HTTP probe failed with statuscode: 500');
    await k.waitFor((x) => eventLines(x).length >= 1, 'the first event');
    // while the watches are away, more Events than the server keeps: a real 410 for the Event watch
    fx.sim.endWatches();
    for (let i = 0; i < 40; i++) {
      kubeletEvent(fx, 'elsewhere', 'Normal', `Chatter${i}`, 'm');
    }
    await k.waitFor((x) => x.stderr.includes('event watch in namespace "default": resourceVersion'), 'the re-list');
    kubeletEvent(fx, 'ev-gone', 'Warning', 'Evicted', 'The node was low on resource: memory.');
    await k.waitFor((x) => eventLines(x).length >= 2, 'the event after the re-list');
    await sleep(300);
    await k.stop();
    expect(k.notices(/^ktail: event watch .*expired \(410\), listing again$/)).toHaveLength(1);
    // the pod watch has a history of its own: the Events did not expire it
    expect(k.notices(/^ktail: watch in namespace .*expired \(410\)/)).toEqual([]);
    expect(eventLines(k)).toEqual([
      '! ev-gone Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      '! ev-gone Evicted: The node was low on resource: memory.',
    ]);
  });

  it('-o json: Events on stdout as {"type":"event"} objects beside the log lines', async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-json', containers: [{ name: 'app' }] });
    const k = await started(fx, ['ev-json', '--events', '-o', 'json'], 'ev-json');
    fx.sim.failProbe(probe('ev-json'));
    await k.waitFor((x) => x.lines.some((l) => l.includes('"type":"event"')), 'the event object');
    await k.stop();
    const objects = k.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects[0]).toMatchObject({ message: 'ready', podName: 'ev-json', containerName: 'app' });
    expect(objects.filter((o) => o.type === 'event')).toEqual([
      {
        type: 'event',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        namespace: 'default',
        kind: 'Pod',
        name: 'ev-json',
        podName: 'ev-json',
        eventType: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
        count: 1,
      },
    ]);
    expect(eventLines(k)).toEqual([]);
  });

  it.each([
    ['events.k8s.io/v1 where the cluster serves it', true, 'events (Warning) from events.k8s.io/v1'],
    ['core/v1 on a cluster without events.k8s.io', false, 'events (Warning) from core/v1'],
  ])('%s', async (_name, eventsApi, said) => {
    const fx = await sim({ eventsApi });
    fx.sim.createPod({ name: 'ev-api', nodeName: null, containers: [{ name: 'app', state: 'waiting' }] });
    const k = ktail(fx, ['ev-api', '--events', '--verbose', '--color', 'never'], { KTAIL_EVENT_REPEAT_MS: '500' });
    await k.waitFor((x) => eventLines(x).length >= 1, 'the FailedScheduling from the list');
    // the scheduler counts its repeats in `series`, which both APIs serve
    fx.sim.emitFailedScheduling('default', 'ev-api');
    kubeletEvent(fx, 'ev-api', 'Warning', 'FailedMount', 'no volume');
    kubeletEvent(fx, 'ev-api', 'Warning', 'FailedMount', 'no volume');
    await k.waitFor((x) => eventLines(x).length >= 4, 'the repeats');
    await k.stop();
    expect(k.stderr).toContain(said);
    expect(eventLines(k).slice(1).sort()).toEqual([
      '! ev-api FailedMount: no volume',
      '! ev-api FailedMount: no volume (×2)',
      expect.stringMatching(/^! ev-api FailedScheduling: 0\/2 nodes are available: .* \(×2\)$/),
    ]);
  });

  it("in the pod's colour, the colour of its log lines", async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'ev-color', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['ev-color', '--events', '--color', 'always']);
    fx.sim.writeLines(probe('ev-color'), ['hello']);
    await k.waitFor((x) => x.text.includes('hello'), 'the line');
    fx.sim.failProbe(probe('ev-color'));
    await k.waitFor((x) => x.stderr.includes('Unhealthy'), 'the event');
    await k.stop();
    const sgr = /^\x1b\[([\d;]+)mev-color\x1b\[0m/.exec(k.lines[0]!)?.[1];
    expect(sgr).toBeDefined();
    expect(k.stderr).toContain(`! \x1b[${sgr}mev-color\x1b[0m Unhealthy: `);
  });
});
