/** --until-done, pure: a Job's outcome, a pod's progress, and the verdict over what was seen. */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { jobOutcome, podProgress } from '../../src/follow/done.js';
import type { TargetFilter } from '../../src/follow/targets.js';
import { UntilDone, type JobRef } from '../../src/follow/until-done.js';
import type { Transport } from '../../src/kube/transport.js';

const all: TargetFilter = { container: /.*/, excludeContainer: [], excludePod: [] };
const running = (name: string): V1ContainerStatus => ({
  name,
  ready: true,
  restartCount: 0,
  image: 'i',
  imageID: 'i',
  state: { running: {} },
});
const waiting = (name: string): V1ContainerStatus => ({
  name,
  ready: false,
  restartCount: 1,
  image: 'i',
  imageID: 'i',
  state: { waiting: { reason: 'CrashLoopBackOff' } },
});
const ended = (name: string, exitCode: number): V1ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'i',
  imageID: 'i',
  state: { terminated: { exitCode } },
});
const pod = (name: string, statuses: V1ContainerStatus[] | undefined, init: V1ContainerStatus[] = [], phase = 'Running'): V1Pod => ({
  metadata: { name, namespace: 'default' },
  status: { phase, ...(statuses ? { containerStatuses: statuses } : {}), initContainerStatuses: init },
});
const cond = (type: string, status = 'True', reason = '', message = '') => ({ type, status, reason, message });

describe('jobOutcome', () => {
  it.each<[string, ReturnType<typeof cond>[], ReturnType<typeof jobOutcome>]>([
    ['no conditions: running', [], { kind: 'running' }],
    ['Complete', [cond('SuccessCriteriaMet'), cond('Complete')], { kind: 'complete' }],
    [
      'Failed, with its reason',
      [
        cond('FailureTarget', 'True', 'DeadlineExceeded', 'x'),
        cond('Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'),
      ],
      { kind: 'failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
    ],
    ['a condition not True does not count', [cond('Complete', 'False'), cond('Suspended')], { kind: 'running' }],
    ['FailureTarget alone: not yet Failed', [cond('FailureTarget')], { kind: 'running' }],
  ])('%s', (_, conditions, outcome) => {
    expect(jobOutcome({ status: { conditions } })).toEqual(outcome);
  });
});

describe('podProgress', () => {
  it.each<[string, V1Pod, TargetFilter, ReturnType<typeof podProgress>]>([
    ['every container ended 0', pod('p', [ended('a', 0), ended('b', 0)]), all, { kind: 'done', failed: false }],
    ['one ended 2', pod('p', [ended('a', 0), ended('b', 2)]), all, { kind: 'done', failed: true }],
    ['one runs', pod('p', [ended('a', 0), running('b')]), all, { kind: 'running' }],
    ['one waits (crash loop)', pod('p', [waiting('a')]), all, { kind: 'running' }],
    ['init ended, main waits to start', pod('p', [waiting('a')], [ended('init', 0)]), all, { kind: 'running' }],
    ['pending, no status yet', pod('p', undefined, [], 'Pending'), all, { kind: 'running' }],
    [
      'only matched containers count (-c a)',
      pod('p', [ended('a', 0), running('b')]),
      { ...all, container: /^a$/ },
      { kind: 'done', failed: false },
    ],
    ['no container matches: ignored', pod('p', [running('b')]), { ...all, container: /^a$/ }, { kind: 'ignored' }],
    ['an excluded pod: ignored', pod('p', [running('a')]), { ...all, excludePod: [/^p$/] }, { kind: 'ignored' }],
  ])('%s', (_, p, filter, progress) => {
    expect(podProgress(p, filter)).toEqual(progress);
  });
});

describe('UntilDone.verdict', () => {
  const upsert = (p: V1Pod) => ({ kind: 'upsert' as const, pod: p, initial: false });

  it('a pattern: not done before a container was seen, nor while one runs; 1 when one failed', () => {
    const done = new UntilDone(all, false, false, () => {});
    expect(done.verdict()).toBeUndefined();
    done.observe('ctx', upsert(pod('a', [ended('app', 0)])));
    done.observe('ctx', upsert(pod('b', [running('app')])));
    expect(done.verdict()).toBeUndefined();
    done.observe('ctx', upsert(pod('b', [ended('app', 1)])));
    expect(done.verdict()).toEqual({ exitCode: 1, failures: [] });
    done.observe('ctx', { kind: 'delete', pod: pod('b', [ended('app', 1)]) });
    expect(done.verdict()).toEqual({ exitCode: 0, failures: [] });
  });

  it('jobs: done once every Job has finished; a failed one is 1 with its notice, naming its context when several', async () => {
    const job = (name: string, conditions: ReturnType<typeof cond>[]): JobRef => ({
      context: 'east',
      namespace: 'default',
      name,
      transport: { json: () => Promise.resolve({ status: { conditions } }) } as unknown as Transport,
      resync: () => Promise.resolve(),
    });
    const done = new UntilDone(all, true, true, () => {});
    done.addJob(job('ok', [cond('Complete')]));
    done.addJob(job('bad', [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')]));
    expect(done.verdict()).toBeUndefined(); // not read yet
    await new Promise((resolve) => setImmediate(resolve));
    expect(done.verdict()).toEqual({
      exitCode: 1,
      failures: ['context "east": job "bad" failed: BackoffLimitExceeded: Job has reached the specified backoff limit'],
    });
    done.stop();
  });
});
