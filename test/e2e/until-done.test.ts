/** --until-done: exit once the Job has finished (or every matched container has terminated), every line printed. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop'] });
});

const numbered = (tag: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${tag} ${i}`);

describe('--until-done', () => {
  it('job/NAME: exits 0 once the Job is Complete, with every line of its pods printed', async () => {
    const job = fx.sim.createJob({ namespace: 'shop', name: 'migrate', parallelism: 2, containers: [{ name: 'task' }] });
    const [a, b] = job.pods.map((p) => p.name);
    const k = ktail(fx, ['job/migrate', '-n', 'shop', '--until-done']);
    await k.waitFor((x) => x.notices(/^\+ /).length === 2, 'both pods followed');
    fx.sim.writeLines({ namespace: 'shop', pod: a!, container: 'task' }, numbered('a', 3000));
    fx.sim.writeLines({ namespace: 'shop', pod: b!, container: 'task' }, numbered('b', 3000));
    await sleep(300);
    expect(k.running).toBe(true); // the Job runs: ktail stays
    fx.sim.completeJob('shop', 'migrate');
    const exit = await k.exited;
    expect(exit.code).toBe(0);
    expect(k.source(a!, 'task')).toEqual(numbered('a', 3000));
    expect(k.source(b!, 'task')).toEqual(numbered('b', 3000));
    expect(k.notices(/^ktail: /)).toEqual([]);
  });

  it('job/NAME: exits 1 once the Job has Failed, with a notice giving the reason', async () => {
    const job = fx.sim.createJob({ name: 'broken', containers: [{ name: 'task' }] });
    const pod = job.pods[0]!.name;
    fx.sim.writeLines({ pod, container: 'task' }, ['starting', 'panic: no database']);
    const k = ktail(fx, ['job/broken', '--until-done']);
    await k.waitFor((x) => x.lines.includes(`${pod} task panic: no database`), 'the lines');
    fx.sim.failJob('default', 'broken');
    const exit = await k.exited;
    expect(exit.code).toBe(1);
    expect(k.lines).toEqual([`${pod} task starting`, `${pod} task panic: no database`]);
    expect(k.notices(/^ktail: /)).toEqual([
      'ktail: job "broken" failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
  });

  it('a Job already Complete at start: its lines, then exit 0', async () => {
    const job = fx.sim.createJob({ name: 'done-before', containers: [{ name: 'task' }] });
    fx.sim.writeLines({ pod: job.pods[0]!.name, container: 'task' }, ['all done']);
    fx.sim.completeJob('default', 'done-before');
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'job/done-before', '--until-done']);
    expect([r.code, r.stdout]).toEqual([0, `${job.pods[0]!.name} task all done\n`]);
  });

  it('a pattern: exits once every matched container has terminated; 1 when one exited other than 0', async () => {
    fx.sim.createPod({ name: 'batch-1', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'batch-2', containers: [{ name: 'app' }, { name: 'side' }] });
    const k = ktail(fx, ['^batch-', '--until-done']);
    await k.waitFor((x) => x.notices(/^\+ /).length === 3, 'three containers followed');
    fx.sim.writeLines({ pod: 'batch-1', container: 'app' }, ['one']);
    fx.sim.terminateContainer({ pod: 'batch-1', container: 'app' }, { exitCode: 0 });
    fx.sim.writeLines({ pod: 'batch-2', container: 'app' }, ['two']);
    fx.sim.terminateContainer({ pod: 'batch-2', container: 'app' }, { exitCode: 3 });
    await k.waitFor((x) => x.lines.length === 2, 'the lines');
    await sleep(500);
    expect(k.running).toBe(true); // batch-2's side container still runs
    fx.sim.writeLines({ pod: 'batch-2', container: 'side' }, ['last words']);
    fx.sim.terminateContainer({ pod: 'batch-2', container: 'side' }, { exitCode: 0 });
    const exit = await k.exited;
    expect(exit.code).toBe(1);
    expect(k.lines.sort()).toEqual(['batch-1 app one', 'batch-2 app two', 'batch-2 side last words']);
  });

  it('nothing matches yet: it waits for pods to come, then exits 0 when they are done', async () => {
    const k = ktail(fx, ['^later-', '--until-done']);
    await k.waitFor((x) => x.stderr.includes('nothing matches'), 'the notice');
    expect(k.running).toBe(true);
    fx.sim.createPod({ name: 'later-1', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'later-1', container: 'app' }, ['hello']);
    await k.waitFor((x) => x.lines.includes('later-1 app hello'), 'the line');
    fx.sim.terminateContainer({ pod: 'later-1', container: 'app' }, { exitCode: 0 });
    expect((await k.exited).code).toBe(0);
  });

  it.each<[string[], string]>([
    [['--no-follow'], 'ktail: --until-done follows until the work is done: it cannot be used with --no-follow\n'],
    [['-p'], 'ktail: --until-done follows until the work is done: it cannot be used with --previous\n'],
  ])('with %j: a usage error, exit 2', async (args, stderr) => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'job/x', '--until-done', ...args]);
    expect([r.code, r.stderr]).toEqual([2, stderr]);
  });
});
