import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { instanceState, keyOfPod, podTargets, previousInstanceTargets, type TargetFilter } from '../../src/follow/targets.js';

/** Container statuses in the API's JSON shape (plain objects, as a list or watch delivers them). */
const running = (name: string, id: string | undefined, restartCount = 0): V1ContainerStatus =>
  ({
    name,
    ...(id === undefined ? {} : { containerID: id }),
    image: `img/${name}`,
    imageID: '',
    ready: true,
    restartCount,
    started: true,
    state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
  }) as unknown as V1ContainerStatus;

const waiting = (name: string, reason = 'ContainerCreating'): V1ContainerStatus => ({
  name,
  image: `img/${name}`,
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
});

const terminated = (name: string, id: string, reason: string, exitCode: number): V1ContainerStatus =>
  ({
    name,
    containerID: id,
    image: `img/${name}`,
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { terminated: { containerID: id, exitCode, reason, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' } },
  }) as unknown as V1ContainerStatus;

interface PodParts {
  name?: string;
  namespace?: string;
  node?: string;
  containers?: V1ContainerStatus[];
  init?: V1ContainerStatus[];
  ephemeral?: V1ContainerStatus[];
}

function pod(p: PodParts = {}): V1Pod {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name ?? 'web-7d9', namespace: p.namespace ?? 'shop', uid: 'u-1' },
      spec: { nodeName: p.node ?? 'node-1', containers: (p.containers ?? []).map((c) => ({ name: c.name, image: c.image })) },
      status: {
        phase: 'Running',
        ...(p.init ? { initContainerStatuses: p.init } : {}),
        ...(p.containers ? { containerStatuses: p.containers } : {}),
        ...(p.ephemeral ? { ephemeralContainerStatuses: p.ephemeral } : {}),
      },
    }),
  ) as V1Pod;
}

const filter = (f: Partial<TargetFilter> = {}): TargetFilter => ({
  podQuery: f.podQuery ?? /.*/,
  container: f.container ?? /.*/,
  excludeContainer: f.excludeContainer ?? [],
  excludePod: f.excludePod ?? [],
});

const twoContainers = pod({ containers: [running('app', 'containerd://a1'), running('sidecar', 'containerd://s1')] });
const names = (p: V1Pod, f: TargetFilter): string[] => podTargets('prod', p, f).map((t) => t.container);

describe('podTargets: which containers', () => {
  it.each<[string, V1Pod, TargetFilter, string[]]>([
    ['every container by default', twoContainers, filter(), ['app', 'sidecar']],
    ['pod query matches', twoContainers, filter({ podQuery: /^web/ }), ['app', 'sidecar']],
    ['pod query does not match', twoContainers, filter({ podQuery: /^api/ }), []],
    ['pod query is a search, not a full match', twoContainers, filter({ podQuery: /7d/ }), ['app', 'sidecar']],
    ['--exclude-pod', twoContainers, filter({ excludePod: [/nothing/, /7d9$/] }), []],
    ['--exclude-pod not matching', twoContainers, filter({ excludePod: [/api/] }), ['app', 'sidecar']],
    ['-c', twoContainers, filter({ container: /^app$/ }), ['app']],
    ['-E', twoContainers, filter({ excludeContainer: [/side/] }), ['app']],
    ['-c and -E together', twoContainers, filter({ container: /a/, excludeContainer: [/^app$/] }), ['sidecar']],
    [
      'containers without a container ID are skipped',
      pod({ containers: [running('app', 'containerd://a1'), waiting('slow'), running('noid', undefined)] }),
      filter(),
      ['app'],
    ],
    ['a pod without status has none', JSON.parse('{"metadata":{"name":"web-1","namespace":"shop"},"spec":{}}') as V1Pod, filter(), []],
  ])('%s', (_name, p, f, expected) => {
    expect(names(p, f)).toEqual(expected);
  });

  it('includes init and ephemeral containers with their kind', () => {
    const p = pod({
      init: [terminated('migrate', 'containerd://i1', 'Completed', 0)],
      containers: [running('app', 'containerd://a1')],
      ephemeral: [running('debugger', 'containerd://e1')],
    });
    expect(podTargets('prod', p, filter()).map((t) => [t.container, t.kind, t.phase])).toEqual([
      ['migrate', 'init', 'terminated'],
      ['app', 'container', 'running'],
      ['debugger', 'ephemeral', 'running'],
    ]);
  });

  it('-c applies to init and ephemeral containers too', () => {
    const p = pod({
      init: [terminated('migrate', 'containerd://i1', 'Completed', 0)],
      containers: [running('app', 'containerd://a1')],
      ephemeral: [running('debugger', 'containerd://e1')],
    });
    expect(names(p, filter({ container: /^(app|debugger)$/ }))).toEqual(['app', 'debugger']);
  });
});

describe('podTargets: the target', () => {
  it('carries the context, namespace, pod, node, restart count and keys', () => {
    const p = pod({ name: 'web-7d9', namespace: 'shop', node: 'node-3', containers: [running('app', 'containerd://abc', 3)] });
    expect(podTargets('prod', p, filter())).toEqual([
      {
        key: 'prod/shop/web-7d9/app/containerd://abc',
        podKey: 'prod/shop/web-7d9',
        context: 'prod',
        namespace: 'shop',
        pod: 'web-7d9',
        container: 'app',
        containerId: 'containerd://abc',
        kind: 'container',
        nodeName: 'node-3',
        restartCount: 3,
        phase: 'running',
        labels: {},
        annotations: {},
      },
    ]);
    expect(keyOfPod('prod', p)).toBe('prod/shop/web-7d9');
  });

  it("carries the pod's labels and annotations (for -o json and templates)", () => {
    const p = pod({ containers: [running('app', 'containerd://abc')] });
    p.metadata = { ...p.metadata, labels: { app: 'web' }, annotations: { team: 'shop' } };
    const [t] = podTargets('prod', p, filter());
    expect([t?.labels, t?.annotations]).toEqual([{ app: 'web' }, { team: 'shop' }]);
  });

  it('a restart with a new container ID is a different key of the same pod', () => {
    const before = podTargets('prod', pod({ containers: [running('app', 'containerd://one', 0)] }), filter())[0]!;
    const after = podTargets('prod', pod({ containers: [running('app', 'containerd://two', 1)] }), filter())[0]!;
    expect(after.key).not.toBe(before.key);
    expect(after.podKey).toBe(before.podKey);
    expect(after.restartCount).toBe(1);
  });

  it('the same instance seen twice has the same key', () => {
    const a = podTargets('prod', pod({ containers: [running('app', 'containerd://one')] }), filter())[0]!;
    const b = podTargets('prod', pod({ containers: [running('app', 'containerd://one')] }), filter())[0]!;
    expect(a.key).toBe(b.key);
  });

  it('the same pod in another context or namespace is another key', () => {
    const keys = new Set([
      podTargets('prod', pod({ namespace: 'a', containers: [running('app', 'x://1')] }), filter())[0]!.key,
      podTargets('prod', pod({ namespace: 'b', containers: [running('app', 'x://1')] }), filter())[0]!.key,
      podTargets('dev', pod({ namespace: 'a', containers: [running('app', 'x://1')] }), filter())[0]!.key,
    ]);
    expect(keys.size).toBe(3);
  });

  it('a terminated container uses its ID, also when only state.terminated has it', () => {
    const withId = podTargets('prod', pod({ containers: [terminated('app', 'containerd://t1', 'Error', 1)] }), filter())[0]!;
    expect(withId.containerId).toBe('containerd://t1');
    expect(withId.phase).toBe('terminated');

    const s = terminated('app', 'containerd://t2', 'OOMKilled', 137) as unknown as Record<string, unknown>;
    delete s.containerID;
    const fromState = podTargets('prod', pod({ containers: [s as unknown as V1ContainerStatus] }), filter())[0]!;
    expect(fromState.containerId).toBe('containerd://t2');
    expect(fromState.key).toBe('prod/shop/web-7d9/app/containerd://t2');
  });

  it('a waiting container that ran before keeps its ID and is waiting', () => {
    const s = { ...waiting('app', 'CrashLoopBackOff'), containerID: 'containerd://w1', restartCount: 4 } as V1ContainerStatus;
    const t = podTargets('prod', pod({ containers: [s] }), filter())[0]!;
    expect([t.containerId, t.phase, t.restartCount]).toEqual(['containerd://w1', 'waiting', 4]);
  });
});

describe('instanceState', () => {
  const restarted = pod({
    containers: [
      {
        ...running('app', 'containerd://new', 1),
        lastState: {
          terminated: {
            containerID: 'containerd://old',
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: '2026-01-01T00:00:00Z',
            finishedAt: '2026-01-01T00:01:00Z',
          },
        },
      } as unknown as V1ContainerStatus,
    ],
  });

  it.each<[string, V1Pod, string, string, unknown]>([
    ['running', pod({ containers: [running('app', 'containerd://a1')] }), 'app', 'containerd://a1', { kind: 'running' }],
    [
      'terminated with reason and exit code',
      pod({ containers: [terminated('app', 'containerd://a1', 'OOMKilled', 137)] }),
      'app',
      'containerd://a1',
      { kind: 'terminated', reason: 'OOMKilled', exitCode: 137, replaced: false },
    ],
    [
      'terminated without a reason is Completed',
      JSON.parse(JSON.stringify(pod({ containers: [terminated('app', 'c://1', 'x', 0)] })).replace('"reason":"x",', '')) as V1Pod,
      'app',
      'c://1',
      { kind: 'terminated', reason: 'Completed', exitCode: 0, replaced: false },
    ],
    [
      'an init container that completed',
      pod({ init: [terminated('migrate', 'c://i1', 'Completed', 0)], containers: [running('app', 'c://a1')] }),
      'migrate',
      'c://i1',
      { kind: 'terminated', reason: 'Completed', exitCode: 0, replaced: false },
    ],
    [
      'replaced: the old ID is in lastState.terminated',
      restarted,
      'app',
      'containerd://old',
      { kind: 'terminated', reason: 'OOMKilled', exitCode: 137, replaced: true },
    ],
    ['the new ID of a restarted container is running', restarted, 'app', 'containerd://new', { kind: 'running' }],
    [
      'replaced twice: an ID in neither state',
      restarted,
      'app',
      'containerd://older',
      { kind: 'terminated', reason: 'replaced', exitCode: undefined, replaced: true },
    ],
    ['unknown container', restarted, 'nope', 'containerd://old', { kind: 'unknown' }],
    ['a pod without status', JSON.parse('{"metadata":{"name":"p"}}') as V1Pod, 'app', 'c://1', { kind: 'unknown' }],
    [
      'same ID but waiting',
      pod({ containers: [{ ...waiting('app', 'CrashLoopBackOff'), containerID: 'c://1' }] }),
      'app',
      'c://1',
      { kind: 'unknown' },
    ],
  ])('%s', (_name, p, container, id, expected) => {
    expect(instanceState(p, container, id)).toEqual(expected);
  });

  // podTargets takes a terminated container's ID from state.terminated when status.containerID is
  // missing; instanceState must recognise that same instance, not call it replaced.
  it('agrees with podTargets on a terminated container whose ID is only in state.terminated', () => {
    const s = terminated('app', 'containerd://t2', 'OOMKilled', 137) as unknown as Record<string, unknown>;
    delete s.containerID;
    const p = pod({ containers: [s as unknown as V1ContainerStatus] });
    const target = podTargets('prod', p, filter())[0]!;
    expect(instanceState(p, target.container, target.containerId)).toEqual({
      kind: 'terminated',
      reason: 'OOMKilled',
      exitCode: 137,
      replaced: false,
    });
  });
});

describe('instanceState in CrashLoopBackOff', () => {
  it('a waiting container whose ID and lastState name the run that ended is that run, terminated', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'default' },
      status: {
        containerStatuses: [
          {
            name: 'app',
            containerID: 'containerd://run1',
            restartCount: 1,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { containerID: 'containerd://run1', reason: 'Error', exitCode: 1 } },
          },
        ],
      },
    } as unknown as V1Pod;
    expect(instanceState(pod, 'app', 'containerd://run1')).toEqual({ kind: 'terminated', reason: 'Error', exitCode: 1, replaced: false });
  });
});

describe('podTargets: --container-state, --no-init-containers, --no-ephemeral-containers, --previous', () => {
  const crashLooping = {
    ...waiting('crash', 'CrashLoopBackOff'),
    containerID: 'c://crash1',
    restartCount: 2,
    lastState: { terminated: { containerID: 'c://crash1', exitCode: 1, reason: 'Error' } },
  } as unknown as V1ContainerStatus;
  const restarted = {
    ...running('again', 'c://again2', 1),
    lastState: { terminated: { containerID: 'c://again1', exitCode: 137, reason: 'OOMKilled' } },
  } as unknown as V1ContainerStatus;
  const mixed = pod({
    init: [terminated('setup', 'c://i1', 'Completed', 0)],
    containers: [running('run', 'c://r1'), terminated('done', 'c://d1', 'Completed', 0), crashLooping, waiting('never'), restarted],
    ephemeral: [running('debugger', 'c://e1')],
  });
  const states = (...s: ('running' | 'waiting' | 'terminated')[]) => new Set(s);

  it.each<[string, Partial<TargetFilter>, string[]]>([
    ['all states (the default)', {}, ['setup', 'run', 'done', 'crash', 'again', 'debugger']],
    ['running', { containerStates: states('running') }, ['run', 'again', 'debugger']],
    ['terminated', { containerStates: states('terminated') }, ['setup', 'done']],
    ['waiting: only those that ran before, so have a log', { containerStates: states('waiting') }, ['crash']],
    ['running and waiting', { containerStates: states('running', 'waiting') }, ['run', 'crash', 'again', 'debugger']],
    ['no init containers', { initContainers: false }, ['run', 'done', 'crash', 'again', 'debugger']],
    ['no ephemeral containers', { ephemeralContainers: false }, ['setup', 'run', 'done', 'crash', 'again']],
    [
      'init containers explicitly on',
      { initContainers: true, ephemeralContainers: true },
      ['setup', 'run', 'done', 'crash', 'again', 'debugger'],
    ],
    ['--previous: those with a previous instance', { previous: true }, ['crash', 'again']],
    ['--previous and a state', { previous: true, containerStates: states('running') }, ['again']],
    ['state and -c together', { containerStates: states('running'), container: /^r/ }, ['run']],
  ])('%s', (_name, f, expected) => {
    expect(names(mixed, { ...filter(), ...f })).toEqual(expected);
  });

  it('--previous targets the previous instance by its ID', () => {
    const t = podTargets('prod', mixed, { ...filter({ container: /^again$/ }), previous: true })[0]!;
    expect([t.containerId, t.key]).toEqual(['c://again1', 'prod/shop/web-7d9/again/c://again1']);
  });
});

describe('previousInstanceTargets', () => {
  const restarted = pod({
    containers: [
      { ...running('app', 'c://two', 1), lastState: { terminated: { containerID: 'c://one', exitCode: 3, reason: 'Error' } } },
      running('side', 'c://s1'),
    ],
  });

  it('the last-state instances, as terminated targets keyed by their own ID, one restart earlier', () => {
    expect(previousInstanceTargets('prod', restarted, filter()).map((t) => [t.key, t.phase, t.restartCount])).toEqual([
      ['prod/shop/web-7d9/app/c://one', 'terminated', 0],
    ]);
  });

  it('in CrashLoopBackOff the last state is the run the status names: its own number, not one less', () => {
    const looping = pod({
      containers: [
        {
          ...waiting('app', 'CrashLoopBackOff'),
          containerID: 'c://run12',
          restartCount: 12,
          lastState: { terminated: { containerID: 'c://run12', exitCode: 1, reason: 'Error' } },
        },
      ],
    });
    expect(previousInstanceTargets('prod', looping, filter()).map((t) => [t.containerId, t.restartCount])).toEqual([['c://run12', 12]]);
    expect(podTargets('prod', looping, filter()).map((t) => [t.containerId, t.restartCount])).toEqual([['c://run12', 12]]);
  });

  it.each<[string, Partial<TargetFilter>, number]>([
    ['-c applies', { container: /side/ }, 0],
    ['--container-state without terminated: none', { containerStates: new Set(['running'] as const) }, 0],
    ['--container-state with terminated', { containerStates: new Set(['terminated'] as const) }, 1],
  ])('%s', (_name, f, n) => {
    expect(previousInstanceTargets('prod', restarted, { ...filter(), ...f })).toHaveLength(n);
  });
});
