import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { TargetTracker, type TrackerDecision, type TrackerSettings } from '../../src/follow/tracker.js';
import type { Target, TargetFilter } from '../../src/follow/targets.js';
import type { PodEvent } from '../../src/follow/watch.js';

/** One container's status: its current instance (id), its state, and the instance before (last). */
interface C {
  readonly name?: string;
  readonly id?: string;
  readonly state: 'running' | 'terminated' | 'crashloop' | 'waiting';
  readonly last?: string;
  readonly reason?: string;
}

function pod(name: string, containers: readonly C[]): V1Pod {
  const status = (c: C) => {
    const n = c.name ?? 'app';
    const last = c.last === undefined ? {} : { lastState: { terminated: { containerID: c.last, reason: 'Error', exitCode: 1 } } };
    switch (c.state) {
      case 'running':
        return { name: n, containerID: c.id, restartCount: c.last ? 1 : 0, state: { running: {} }, ...last };
      case 'terminated':
        return {
          name: n,
          containerID: c.id,
          restartCount: 0,
          state: { terminated: { containerID: c.id, reason: 'Completed', exitCode: 0 } },
          ...last,
        };
      case 'crashloop':
        return {
          name: n,
          containerID: c.id,
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { containerID: c.id, reason: 'Error', exitCode: 1 } },
        };
      case 'waiting':
        return { name: n, restartCount: 0, state: { waiting: { reason: c.reason ?? 'ImagePullBackOff' } } };
    }
  };
  return {
    metadata: { name, namespace: 'shop' },
    spec: { nodeName: 'n1' },
    status: { containerStatuses: containers.map(status) },
  } as unknown as V1Pod;
}

const all: TargetFilter = { container: /.*/, excludeContainer: [], excludePod: [] };
const following: TrackerSettings = { targets: all, follow: true, previous: false };
const noFollow: TrackerSettings = { targets: all, follow: false, previous: false };
const previousFlag: TrackerSettings = { targets: { ...all, previous: true }, follow: false, previous: true };

/**
 * What a scene does: the first list (initial), a later list, a watch event, a pod deleted, a pod
 * that left the watch's view (out of a label selector), or a source's end.
 */
type Step =
  | readonly ['list', V1Pod]
  | readonly ['relist', V1Pod]
  | readonly ['watch', V1Pod]
  | readonly ['delete', V1Pod]
  | readonly ['leave', V1Pod]
  | readonly ['ended', string];

/** The pod as a DELETED event of a real deletion has it. */
const deleted = (p: V1Pod): V1Pod => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:02:00Z' } }) as unknown as V1Pod;

function describeDecision(d: TrackerDecision): string {
  switch (d.kind) {
    case 'follow':
      return `follow ${d.target.pod}/${d.target.container}/${d.target.containerId}${d.initial ? ' initial' : ''}${d.previous ? ' previous' : ''}`;
    case 'waiting':
      return `waiting ${d.source.pod}/${d.source.container} ${d.reason}`;
    case 'pod-gone':
      return `gone ${d.podKey}`;
  }
}

/** Plays the steps; returns what each decided. `ended ID` ends the source followed with that container ID. */
function play(settings: TrackerSettings, steps: readonly Step[]): { decided: string[][]; tracker: TargetTracker } {
  const tracker = new TargetTracker(settings);
  const followed = new Map<string, Target>();
  const decided = steps.map((step): string[] => {
    if (step[0] === 'ended') {
      tracker.ended(followed.get(step[1])!);
      return [];
    }
    const event: PodEvent =
      step[0] === 'delete'
        ? { kind: 'delete', pod: deleted(step[1]) }
        : step[0] === 'leave'
          ? { kind: 'delete', pod: step[1] }
          : { kind: 'upsert', pod: step[1], initial: step[0] === 'list' };
    const out = tracker.observe('ctx', event);
    for (const d of out) if (d.kind === 'follow') followed.set(d.target.containerId, d.target);
    return out.map(describeDecision);
  });
  return { decided, tracker };
}

const web = (...containers: C[]): V1Pod => pod('web', containers);

describe('TargetTracker: what to follow', () => {
  it.each<[string, TrackerSettings, Step[], string[][]]>([
    [
      'a container of the first list: with the start window',
      following,
      [['list', web({ id: 'a1', state: 'running' })]],
      [['follow web/app/a1 initial']],
    ],
    ['a pod that appears later: from its first line', following, [['watch', web({ id: 'a1', state: 'running' })]], [['follow web/app/a1']]],
    [
      'the same instance again (MODIFIED, a re-list) is not followed twice',
      following,
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['watch', web({ id: 'a1', state: 'running' })],
        ['relist', web({ id: 'a1', state: 'running' })],
      ],
      [['follow web/app/a1 initial'], [], []],
    ],
    [
      'an instance read to its end is not followed again',
      following,
      [
        ['list', web({ id: 'a1', state: 'terminated' })],
        ['ended', 'a1'],
        ['watch', web({ id: 'a1', state: 'terminated' })],
      ],
      [['follow web/app/a1 initial'], [], []],
    ],
    [
      'a restart: the new instance is a new source, the old one (being read) is not read twice',
      following,
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['watch', web({ id: 'a2', state: 'running', last: 'a1' })],
      ],
      [['follow web/app/a1 initial'], ['follow web/app/a2']],
    ],
    [
      'the previous instance of a container of the first list ended before start: not read',
      following,
      [
        ['list', web({ id: 'a2', state: 'running', last: 'a1' })],
        ['watch', web({ id: 'a2', state: 'running', last: 'a1' })],
      ],
      [['follow web/app/a2 initial'], []],
    ],
    [
      'an instance that ran and ended unseen (while the watch was down): read with previous, from its first line',
      following,
      [['relist', web({ id: 'a2', state: 'running', last: 'a1' })]],
      [['follow web/app/a2', 'follow web/app/a1 previous']],
    ],
    [
      '--no-follow: previous instances are not read',
      noFollow,
      [['relist', web({ id: 'a2', state: 'running', last: 'a1' })]],
      [['follow web/app/a2']],
    ],
    [
      '--previous: the instance before the last restart, once',
      previousFlag,
      [
        ['list', web({ id: 'a2', state: 'running', last: 'a1' })],
        ['relist', web({ id: 'a2', state: 'running', last: 'a1' })],
      ],
      [['follow web/app/a1 initial previous'], []],
    ],
    [
      'CrashLoopBackOff: a ~ notice once per reason; the current and last instance are one, followed once',
      following,
      [
        ['list', web({ id: 'a1', state: 'crashloop' })],
        ['watch', web({ id: 'a1', state: 'crashloop' })],
      ],
      [['waiting web/app CrashLoopBackOff', 'follow web/app/a1 initial'], []],
    ],
    [
      'a container that never started: a ~ notice, nothing to follow',
      following,
      [
        ['watch', web({ state: 'waiting' })],
        ['watch', web({ state: 'waiting', reason: 'ErrImagePull' })],
        ['watch', web({ state: 'waiting', reason: 'ErrImagePull' })],
      ],
      [['waiting web/app ImagePullBackOff'], ['waiting web/app ErrImagePull'], []],
    ],
    [
      'a deleted pod: its sources not yet open are dropped',
      following,
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['delete', web({ id: 'a1', state: 'running' })],
      ],
      [['follow web/app/a1 initial'], ['gone ctx/shop/web']],
    ],
    [
      'out of a label selector and back while its source still runs: not followed twice',
      following,
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['leave', web({ id: 'a1', state: 'running' })],
        ['watch', web({ id: 'a1', state: 'running' })],
        ['ended', 'a1'],
        ['watch', web({ id: 'a1', state: 'terminated' })],
      ],
      [['follow web/app/a1 initial'], ['gone ctx/shop/web'], [], [], []],
    ],
    [
      'out of a label selector and back after its sources ended: what was read is not read again',
      following,
      [
        ['list', web({ id: 'a1', state: 'terminated' })],
        ['ended', 'a1'],
        ['leave', web({ id: 'a1', state: 'terminated' })],
        ['watch', web({ id: 'a1', state: 'terminated' })],
      ],
      [['follow web/app/a1 initial'], [], ['gone ctx/shop/web'], []],
    ],
    [
      'a pod created again under the same name (a StatefulSet): its new instances are new sources',
      following,
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['delete', web({ id: 'a1', state: 'running' })],
        ['ended', 'a1'],
        ['watch', web({ id: 'b1', state: 'running' })],
      ],
      [['follow web/app/a1 initial'], ['gone ctx/shop/web'], [], ['follow web/app/b1']],
    ],
  ])('%s', (_name, settings, steps, expected) => {
    expect(play(settings, steps).decided).toEqual(expected);
  });

  it('says whether anything was ever followed', () => {
    const tracker = new TargetTracker(following);
    tracker.observe('ctx', { kind: 'upsert', pod: web({ state: 'waiting' }), initial: true });
    expect(tracker.anyFollowed).toBe(false);
    tracker.observe('ctx', { kind: 'upsert', pod: web({ id: 'a1', state: 'running' }), initial: false });
    expect(tracker.anyFollowed).toBe(true);
  });

  it('the same pod name in two contexts: two sources', () => {
    const tracker = new TargetTracker(following);
    const p = web({ id: 'a1', state: 'running' });
    const keys = ['eu', 'us']
      .flatMap((ctx) => tracker.observe(ctx, { kind: 'upsert', pod: p, initial: true }))
      .map((d) => (d.kind === 'follow' ? d.target.key : ''));
    expect(keys).toEqual(['eu/shop/web/app/a1', 'us/shop/web/app/a1']);
  });
});

describe('TargetTracker: memory', () => {
  it.each<[string, Step[], InstanceCount]>([
    ['a pod followed: its instance is remembered', [['list', web({ id: 'a1', state: 'running' })]], { pods: 1, instances: 1 }],
    [
      'read to its end: still remembered while the pod exists',
      [
        ['list', web({ id: 'a1', state: 'terminated' })],
        ['ended', 'a1'],
      ],
      { pods: 1, instances: 1 },
    ],
    ['with the instances that ended before start', [['list', web({ id: 'a2', state: 'running', last: 'a1' })]], { pods: 1, instances: 2 }],
    [
      'deleted after its sources ended: forgotten',
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['ended', 'a1'],
        ['delete', web({ id: 'a1', state: 'running' })],
      ],
      { pods: 0, instances: 0 },
    ],
    [
      'out of a label selector: remembered (it may come back)',
      [
        ['list', web({ id: 'a1', state: 'running' })],
        ['ended', 'a1'],
        ['leave', web({ id: 'a1', state: 'running' })],
      ],
      { pods: 1, instances: 1 },
    ],
    [
      'deleted while its source runs: kept until the source ends, then forgotten',
      [
        ['list', web({ id: 'a2', state: 'running', last: 'a1' })],
        ['delete', web({ id: 'a2', state: 'running', last: 'a1' })],
      ],
      { pods: 1, instances: 1 },
    ],
    [
      '… and once it ends',
      [
        ['list', web({ id: 'a2', state: 'running', last: 'a1' })],
        ['delete', web({ id: 'a2', state: 'running', last: 'a1' })],
        ['ended', 'a2'],
      ],
      { pods: 0, instances: 0 },
    ],
    [
      'a delete of a pod never seen: nothing',
      [
        ['delete', web({ id: 'a1', state: 'running' })],
        ['leave', web({ id: 'a1', state: 'running' })],
      ],
      { pods: 0, instances: 0 },
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(following, steps).tracker.size).toEqual(expected);
  });

  it('a day of churn (pods created, restarted, deleted) leaves nothing behind', () => {
    const tracker = new TargetTracker(following);
    for (let i = 0; i < 2000; i++) {
      const name = `job-${i}`;
      const ended: Target[] = [];
      const see = (p: V1Pod): void => {
        for (const d of tracker.observe('ctx', { kind: 'upsert', pod: p, initial: false })) if (d.kind === 'follow') ended.push(d.target);
      };
      see(
        pod(name, [
          { id: `${i}-1`, state: 'running' },
          { name: 'side', state: 'waiting', reason: 'CrashLoopBackOff' },
        ]),
      );
      see(pod(name, [{ id: `${i}-2`, state: 'running', last: `${i}-1` }]));
      for (const t of ended.splice(0, 1)) tracker.ended(t);
      tracker.observe('ctx', { kind: 'delete', pod: deleted(pod(name, [])) });
      for (const t of ended) tracker.ended(t);
    }
    expect(tracker.size).toEqual({ pods: 0, instances: 0 });
  });

  it('pods out of a label selector: the last ones are remembered, the oldest forgotten first', () => {
    const tracker = new TargetTracker(following, 3);
    const names = ['p0', 'p1', 'p2', 'p3', 'p4'];
    for (const name of names) {
      for (const d of tracker.observe('ctx', {
        kind: 'upsert',
        pod: pod(name, [{ id: `${name}-1`, state: 'terminated' }]),
        initial: false,
      })) {
        if (d.kind === 'follow') tracker.ended(d.target);
      }
    }
    const leave = (name: string): void => void tracker.observe('ctx', { kind: 'delete', pod: pod(name, []) });
    const known = (): string[] =>
      names.filter((n) => tracker.status({ podKey: `ctx/shop/${n}`, key: `ctx/shop/${n}/app/${n}-1` }) !== undefined);
    for (const name of ['p0', 'p1', 'p2', 'p3']) leave(name);
    expect(known()).toEqual(['p1', 'p2', 'p3', 'p4']);
    // p1 comes back (no longer "left") and leaves again: now the most recent
    tracker.observe('ctx', { kind: 'upsert', pod: pod('p1', []), initial: false });
    leave('p1');
    leave('p4');
    expect(known()).toEqual(['p1', 'p3', 'p4']);
    expect(tracker.size).toEqual({ pods: 3, instances: 3 });
  });

  it('a source ending for an instance it does not know is ignored', () => {
    const { tracker } = play(following, [['list', web({ id: 'a1', state: 'running' })]]);
    const stranger = { key: 'ctx/shop/other/app/x', podKey: 'ctx/shop/other' } as Target;
    tracker.ended(stranger);
    expect(tracker.size).toEqual({ pods: 1, instances: 1 });
    expect(tracker.status(stranger)).toBeUndefined();
  });
});

interface InstanceCount {
  readonly pods: number;
  readonly instances: number;
}
