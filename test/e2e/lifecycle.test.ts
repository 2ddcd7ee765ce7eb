/** Issue 5: waiting notices, "nothing matches", and --max-log-requests as a soft cap. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop', 'cap'] });
});

const noticeLines = (stderr: string, prefix: string): string[] => stderr.split('\n').filter((l) => l.startsWith(prefix));

describe('waiting containers', () => {
  it('CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError: once per reason, with the message', async () => {
    fx.sim.createPod({ name: 'wait-crash', containers: [{ name: 'app' }] });
    fx.sim.createPod({
      name: 'wait-image',
      containers: [
        {
          name: 'app',
          state: {
            waiting: {
              reason: 'ErrImagePull',
              message: 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/app:nope"',
            },
          },
        },
      ],
    });
    fx.sim.createPod({
      name: 'wait-config',
      containers: [
        { name: 'app', state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-password" not found' } } },
      ],
    });
    fx.sim.createPod({ name: 'wait-normal', containers: [{ name: 'app', state: 'waiting' }] }); // ContainerCreating: not news
    const crash = { pod: 'wait-crash', container: 'app' };
    fx.sim.writeLines(crash, ['starting']);

    const k = ktail(fx, ['^wait-']);
    await k.waitFor((x) => x.lines.includes('wait-crash app starting'), 'the running container');
    await k.waitFor((x) => x.stderr.includes('~ wait-config › app'), 'the config error');
    fx.sim.writeLines(crash, ['FATAL: cannot connect']);
    fx.sim.terminateContainer(crash, { reason: 'Error', exitCode: 1 });
    const backOff = (s: number) => `back-off ${s}s restarting failed container=app pod=wait-crash_default(4f1c)`;
    fx.sim.setContainerState(crash, { waiting: { reason: 'CrashLoopBackOff', message: backOff(10) } });
    await k.waitFor((x) => x.stderr.includes('~ wait-crash › app waiting: CrashLoopBackOff'), 'the crash loop');
    // the next round of the crash loop, with a longer back-off: no second notice
    fx.sim.restartContainer(crash);
    fx.sim.writeLines(crash, ['starting again']);
    fx.sim.terminateContainer(crash, { reason: 'Error', exitCode: 1 });
    fx.sim.setContainerState(crash, { waiting: { reason: 'CrashLoopBackOff', message: backOff(20) } });
    fx.sim.setContainerState(
      { pod: 'wait-image', container: 'app' },
      { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.local/app:nope"' } },
    );
    await k.waitFor((x) => x.stderr.includes('~ wait-image › app waiting: ImagePullBackOff'), 'the image back-off');
    await k.waitFor((x) => x.lines.includes('wait-crash app starting again'), 'the second run');
    await sleep(300);
    await k.stop();

    expect(noticeLines(k.stderr, '~ ').sort()).toEqual([
      `~ wait-config › app waiting: CreateContainerConfigError (secret "db-password" not found)`,
      `~ wait-crash › app waiting: CrashLoopBackOff (${backOff(10)})`,
      '~ wait-image › app waiting: ErrImagePull (rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/app:nope")',
      '~ wait-image › app waiting: ImagePullBackOff (Back-off pulling image "registry.local/app:nope")',
    ]);
    // and the +/- notices of the crash loop
    expect(k.stderr).toContain('- wait-crash › app (terminated: Error, exit 1)');
    expect(k.stderr).toContain('+ wait-crash › app (restart 1)');
  });

  it('started in CrashLoopBackOff: the run that ended is announced with its number, the next one with the next', async () => {
    const ref = { pod: 'loop-12', container: 'app' };
    fx.sim.createPod({ name: ref.pod, containers: [{ name: 'app' }] });
    for (let i = 0; i < 12; i++) fx.sim.restartContainer(ref);
    fx.sim.writeLines(ref, ['run 12 starting', 'FATAL: no config']);
    fx.sim.terminateContainer(ref, { reason: 'Error', exitCode: 1 });
    fx.sim.setContainerState(ref, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } });
    expect(fx.sim.getPod('default', ref.pod)!.status.containerStatuses[0].restartCount).toBe(12);

    const k = ktail(fx, ['^loop-12$']);
    await k.waitFor((x) => x.lines.includes('loop-12 app FATAL: no config'), 'the last run');
    await k.waitFor((x) => x.stderr.includes('- loop-12 › app (terminated: Error, exit 1)'), 'its end');
    fx.sim.startContainer(ref);
    fx.sim.writeLines(ref, ['run 13 starting']);
    await k.waitFor((x) => x.lines.includes('loop-12 app run 13 starting'), 'the next run');
    await k.stop();
    expect(noticeLines(k.stderr, '+ ')).toEqual(['+ loop-12 › app (restart 12)', '+ loop-12 › app (restart 13)']);
  });

  it('--only-log-lines: no notice of any kind, only the lines', async () => {
    fx.sim.createPod({
      name: 'quiet-crash',
      containers: [{ name: 'app' }, { name: 'pull', state: { waiting: { reason: 'ImagePullBackOff' } } }],
    });
    const ref = { pod: 'quiet-crash', container: 'app' };
    fx.sim.writeLines(ref, ['hello']);
    const k = ktail(fx, ['^quiet-crash$', '--only-log-lines']);
    await k.waitFor((x) => x.lines.includes('quiet-crash app hello'), 'the line');
    fx.sim.terminateContainer(ref, { exitCode: 137, reason: 'OOMKilled' });
    fx.sim.setContainerState(ref, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } });
    await sleep(700);
    await k.stop();
    expect(k.stderr).toBe('');
    expect(k.lines).toEqual(['quiet-crash app hello']);
  });
});

describe('nothing matches', () => {
  it('after two seconds one notice names the query, namespace and context; ktail keeps waiting and follows what comes', async () => {
    const k = ktail(fx, ['^arrives-later$', '--context', 'sim-shop']);
    await k.waitFor((x) => x.stderr.includes('nothing matches'), 'the notice', 5000);
    expect(k.stderr).toBe(
      'ktail: nothing matches "^arrives-later$" in namespace "shop" of context "sim-shop" yet; waiting for pods to appear\n',
    );
    expect(k.child.exitCode).toBeNull();
    fx.sim.createPod({ namespace: 'shop', name: 'arrives-later', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'arrives-later', container: 'app' }, ['here now']);
    await k.waitFor((x) => x.lines.includes('arrives-later app here now'), 'the pod that came');
    await k.stop();
    expect(noticeLines(k.stderr, 'ktail: nothing matches')).toHaveLength(1);
  });

  it('with several namespaces, the notice names them all', async () => {
    const k = ktail(fx, ['^nobody$', '-n', 'shop,cap']);
    await k.waitFor((x) => x.stderr.includes('nothing matches'), 'the notice', 5000);
    await k.stop();
    expect(k.stderr).toBe(
      'ktail: nothing matches "^nobody$" in namespaces "shop", "cap" of context "sim" yet; waiting for pods to appear\n',
    );
  });
});

describe('--max-log-requests', () => {
  it('past the cap streams wait their turn: one warning says how many and which flag; nothing is lost, nothing exits', async () => {
    const pods = Array.from({ length: 5 }, (_, i) => `capped-${i}`);
    for (const pod of pods) {
      fx.sim.createPod({ namespace: 'cap', name: pod, containers: [{ name: 'app' }] });
      fx.sim.writeLines({ namespace: 'cap', pod, container: 'app' }, [`${pod} early`]);
    }
    const k = ktail(fx, ['^capped-', '-n', 'cap', '--max-log-requests', '2']);
    await k.waitFor((x) => x.stderr.includes('waiting'), 'the warning');
    expect(noticeLines(k.stderr, 'ktail: ')).toEqual([
      'ktail: 3 log streams are waiting: 2 are open, the most --max-log-requests allows; raise it to follow them all',
    ]);
    const followed = (): string[] => pods.filter((p) => k.stderr.includes(`+ ${p} › app`));
    await k.waitFor(() => followed().length === 2, 'two followed');
    expect(k.lines).toHaveLength(2);

    // the followed containers end one after the other; each end lets a waiting one start
    const ended = new Set<string>();
    while (ended.size < 4) {
      const next = followed().find((p) => !ended.has(p))!;
      fx.sim.writeLines({ namespace: 'cap', pod: next, container: 'app' }, [`${next} last words`]);
      fx.sim.terminateContainer({ namespace: 'cap', pod: next, container: 'app' }, { exitCode: 0 });
      ended.add(next);
      await k.waitFor((x) => x.stderr.includes(`- ${next} › app (terminated: Completed, exit 0)`), `${next} ended`);
      await k.waitFor(() => followed().length === Math.min(5, ended.size + 2), `${ended.size + 2} followed`);
    }
    const last = pods.find((p) => !ended.has(p))!;
    fx.sim.writeLines({ namespace: 'cap', pod: last, container: 'app' }, [`${last} still going`]);
    await k.waitFor((x) => x.lines.includes(`${last} app ${last} still going`), 'the last one, live');
    expect(k.child.exitCode).toBeNull();
    await k.stop();
    const expected = pods.flatMap((p) => [`${p} app ${p} early`, ended.has(p) ? `${p} app ${p} last words` : `${p} app ${p} still going`]);
    expect(k.lines.sort()).toEqual(expected.sort());
  });
});
