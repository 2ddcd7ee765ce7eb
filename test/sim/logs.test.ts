import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { until } from '../helpers/wait.js';
import { get, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

async function follow(path: string, h2 = false): Promise<Reader> {
  const r = await open(sim, path, { h2 });
  readers.push(r);
  return r;
}

beforeEach(async () => {
  sim = await SimCluster.start();
  sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

const app = { pod: 'web', container: 'app' };
const LOG = '/api/v1/namespaces/default/pods/web/log';
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z /;

describe('log errors (real Status bodies)', () => {
  it('400 when a container must be named, listing init, regular and ephemeral containers', async () => {
    sim.createPod({
      name: 'multi',
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'a' }, { name: 'b' }],
      ephemeralContainers: [{ name: 'debug' }],
    });
    const r = await get(sim, '/api/v1/namespaces/default/pods/multi/log');
    expect(r.status).toBe(400);
    expect(String(r.headers['content-type'])).toBe('application/json');
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      code: 400,
      message: 'a container name must be specified for pod multi, choose one of: [init a b debug]',
    });
  });

  it.each([
    [{ waiting: { reason: 'ContainerCreating' } }, 'container "app" in pod "w" is waiting to start: ContainerCreating'],
    [{ waiting: { reason: 'PodInitializing' } }, 'container "app" in pod "w" is waiting to start: PodInitializing'],
    [
      { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
      'container "app" in pod "w" is waiting to start: trying and failing to pull image',
    ],
    [{ waiting: { reason: 'ErrImagePull' } }, 'container "app" in pod "w" is waiting to start: image can\'t be pulled'],
  ] as const)('400 for a waiting container %j', async (state, message) => {
    sim.createPod({ name: 'w', containers: [{ name: 'app', state }] });
    const r = await get(sim, '/api/v1/namespaces/default/pods/w/log?follow=true');
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(message);
  });

  it('400 for an unknown container, 404 for an unknown pod', async () => {
    const bad = await get(sim, `${LOG}?container=nope`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('container nope is not valid for pod web');
    const missing = await get(sim, '/api/v1/namespaces/default/pods/ghost/log');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ reason: 'NotFound', message: 'pods "ghost" not found' });
  });

  it('422 for invalid options, as the API server validates PodLogOptions', async () => {
    expect((await get(sim, `${LOG}?tailLines=-1`)).status).toBe(422);
    const both = await get(sim, `${LOG}?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z`);
    expect(both.status).toBe(422);
    expect(both.json.message).toMatch(/at most one of `sinceTime` or `sinceSeconds` may be specified/);
    expect((await get(sim, `${LOG}?limitBytes=0`)).status).toBe(422);
    expect((await get(sim, `${LOG}?sinceTime=yesterday`)).status).toBe(400);
  });
});

describe('log content', () => {
  it('serves the log as text/plain, lines ending with newline', async () => {
    sim.writeLines(app, ['one', 'two']);
    const r = await get(sim, LOG);
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toBe('text/plain');
    expect(r.text).toBe('one\ntwo\n');
  });

  it('serves a trailing fragment written without newline as is', async () => {
    sim.writeRaw(app, 'complete\npartial');
    expect((await get(sim, LOG)).text).toBe('complete\npartial');
    sim.writeRaw(app, ' more\n');
    // a fragment and its continuation are separate entries, as CRI "P"/"F" records are;
    // like the kubelet, only the start of a line gets a timestamp
    expect((await get(sim, LOG)).text).toBe('complete\npartial more\n');
    const stamped = (await get(sim, `${LOG}?timestamps=true`)).text.split('\n');
    expect(stamped).toHaveLength(3);
    expect(stamped[0]).toMatch(TS);
    expect(stamped[1]).toMatch(new RegExp(`${TS.source}partial more$`));
    expect(stamped[2]).toBe('');
  });

  it('timestamps: RFC3339Nano in UTC, trailing zeros trimmed, no fraction when zero', async () => {
    sim.writeLines(app, ['a'], { timestamp: '2026-11-22T03:57:41.123400000Z' });
    sim.writeLines(app, ['b'], { timestamp: '2026-11-22T03:57:42Z' });
    sim.writeLines(app, ['c'], { timestamp: '2026-11-22T05:57:43.000000001+02:00' });
    sim.writeLines(app, ['d']);
    const lines = (await get(sim, `${LOG}?timestamps=true`)).text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['2026-11-22T03:57:41.1234Z a', '2026-11-22T03:57:42Z b', '2026-11-22T03:57:43.000000001Z c']);
    expect(lines[3]).toMatch(TS);
  });

  it('tailLines: the last N lines; 0 gives none', async () => {
    sim.writeLines(app, ['1', '2', '3', '4']);
    expect((await get(sim, `${LOG}?tailLines=2`)).text).toBe('3\n4\n');
    expect((await get(sim, `${LOG}?tailLines=0`)).text).toBe('');
    expect((await get(sim, `${LOG}?tailLines=10`)).text).toBe('1\n2\n3\n4\n');
  });

  it('tailLines=0 with follow streams only new lines', async () => {
    sim.writeLines(app, ['old']);
    const r = await follow(`${LOG}?follow=true&tailLines=0`);
    sim.writeLines(app, ['new']);
    await r.waitForLines(1);
    expect(r.text()).toBe('new\n');
  });

  it('sinceSeconds: only lines written within the window', async () => {
    const now = Date.now();
    sim.writeLines(app, ['old'], { timestamp: new Date(now - 60_000) });
    sim.writeLines(app, ['recent'], { timestamp: new Date(now - 2_000) });
    sim.writeLines(app, ['new']);
    expect((await get(sim, `${LOG}?sinceSeconds=10`)).text).toBe('recent\nnew\n');
  });

  it('sinceTime: lines at or after it, at full precision, identical timestamps included', async () => {
    sim.writeLines(app, ['a'], { timestamp: '2026-11-22T03:57:41.100Z' });
    sim.writeLines(app, ['b', 'c'], { timestamp: '2026-11-22T03:57:41.200Z' });
    sim.writeLines(app, ['d'], { timestamp: '2026-11-22T03:57:41.300Z' });
    const at = (t: string) => get(sim, `${LOG}?sinceTime=${encodeURIComponent(t)}`).then((r) => r.text);
    expect(await at('2026-11-22T03:57:41.2Z')).toBe('b\nc\nd\n');
    expect(await at('2026-11-22T03:57:41.200000001Z')).toBe('d\n');
    expect(await at('2026-11-22T03:57:41Z')).toBe('a\nb\nc\nd\n');
    expect(await at('2026-11-22T04:57:41.2+01:00')).toBe('b\nc\nd\n');
  });

  it('sinceTimePrecision "second" truncates sinceTime as the real API server does', async () => {
    const real = await SimCluster.start({ sinceTimePrecision: 'second' });
    try {
      real.createPod({ name: 'web', containers: [{ name: 'app' }] });
      real.writeLines(app, ['a'], { timestamp: '2026-11-22T03:57:41.100Z' });
      real.writeLines(app, ['b'], { timestamp: '2026-11-22T03:57:41.900Z' });
      expect((await get(real, `${LOG}?sinceTime=2026-11-22T03:57:41.5Z`)).text).toBe('a\nb\n');
    } finally {
      await real.close();
    }
  });

  it('tailLines applies before sinceTime, as in the kubelet', async () => {
    sim.writeLines(app, ['a'], { timestamp: '2026-11-22T03:57:41Z' });
    sim.writeLines(app, ['b'], { timestamp: '2026-11-22T03:57:42Z' });
    sim.writeLines(app, ['c'], { timestamp: '2026-11-22T03:57:43Z' });
    expect((await get(sim, `${LOG}?tailLines=2&sinceTime=2026-11-22T03:57:41Z`)).text).toBe('b\nc\n');
    expect((await get(sim, `${LOG}?tailLines=2&sinceTime=2026-11-22T03:57:43Z`)).text).toBe('c\n');
  });

  it('limitBytes truncates the output at exactly that many bytes', async () => {
    sim.writeLines(app, ['hello', 'world']);
    expect((await get(sim, `${LOG}?limitBytes=8`)).text).toBe('hello\nwo');
    const r = await follow(`${LOG}?follow=true&limitBytes=12&timestamps=true`);
    expect(await r.ended).toBe('end');
    expect(r.text()).toHaveLength(12);
  });
});

describe('follow', () => {
  it.each([false, true])('delivers existing then new lines, and ends when the container terminates (h2=%s)', async (h2) => {
    sim.writeLines(app, ['before']);
    const r = await follow(`${LOG}?follow=true`, h2);
    await r.waitForLines(1);
    sim.writeLines(app, ['after']);
    await r.waitForLines(2);
    expect(r.isEnded()).toBe(false);
    sim.writeLines(app, ['last']);
    sim.terminateContainer(app, { exitCode: 0 });
    expect(await r.ended).toBe('end');
    expect(r.text()).toBe('before\nafter\nlast\n');
  });

  it('ends when the pod is deleted (graceful deletion: MODIFIED, then the stream ends)', async () => {
    const r = await follow(`${LOG}?follow=true`);
    sim.writeLines(app, ['x']);
    await r.waitForLines(1);
    const deleted = sim.deletePod('default', 'web', { graceMs: 50 });
    expect(await r.ended).toBe('end');
    await deleted;
    expect(sim.getPod('default', 'web')).toBeUndefined();
  });

  it('a follow of a terminated container serves its log and ends', async () => {
    sim.writeLines(app, ['done']);
    sim.terminateContainer(app, { exitCode: 1 });
    const r = await follow(`${LOG}?follow=true`);
    expect(await r.ended).toBe('end');
    expect(r.text()).toBe('done\n');
  });

  it('counts log streams', async () => {
    const r = await follow(`${LOG}?follow=true`);
    await until(() => sim.counters.logStreamsOpen === 1, 'one log stream open');
    r.close();
    await until(() => sim.counters.logStreamsOpen === 0, 'no log stream open');
    expect(sim.counters.logStreamsOpened).toBe(1);
  });
});

describe('restarts and previous', () => {
  it('a restart gives a new container ID, an empty log and the old log as previous', async () => {
    const id1 = sim.containerId(app);
    sim.writeLines(app, ['first run']);
    const r = await follow(`${LOG}?follow=true`);
    await r.waitForLines(1);
    sim.restartContainer(app, { reason: 'OOMKilled', exitCode: 137 });
    expect(await r.ended).toBe('end'); // the old instance's stream ends
    const id2 = sim.containerId(app);
    expect(id2).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(id2).not.toBe(id1);
    expect((await get(sim, LOG)).text).toBe('');
    expect((await get(sim, `${LOG}?previous=true`)).text).toBe('first run\n');
    const st = sim.getPod('default', 'web')!.status.containerStatuses[0];
    expect(st).toMatchObject({
      restartCount: 1,
      containerID: id2,
      state: { running: {} },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', containerID: id1 } },
    });
  });

  it('only one previous instance is kept', async () => {
    sim.writeLines(app, ['run 1']);
    sim.restartContainer(app);
    sim.writeLines(app, ['run 2']);
    sim.restartContainer(app);
    expect((await get(sim, `${LOG}?previous=true`)).text).toBe('run 2\n');
  });

  it('400 when there is no previous instance', async () => {
    const r = await get(sim, `${LOG}?previous=true`);
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('previous terminated container "app" in pod "web" not found');
  });

  it('in CrashLoopBackOff the log of the last run is served', async () => {
    sim.writeLines(app, ['crashing']);
    sim.terminateContainer(app, { exitCode: 1 });
    sim.setContainerState(app, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } });
    const st = sim.getPod('default', 'web')!.status.containerStatuses[0];
    // as the kubelet: the count of the run that ended (the first, 0); the next run is restart 1
    expect(st).toMatchObject({
      restartCount: 0,
      ready: false,
      started: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
    expect(st.containerID).toBe(st.lastState.terminated.containerID);
    expect((await get(sim, LOG)).text).toBe('crashing\n');
    sim.startContainer(app);
    expect(sim.getPod('default', 'web')!.status.containerStatuses[0].restartCount).toBe(1);
    expect((await get(sim, LOG)).text).toBe('');
  });
});

describe('pod status', () => {
  it('reports phase, conditions and container statuses as the kubelet writes them', () => {
    sim.createPod({
      name: 'p',
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'a' }, { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } }],
      ephemeralContainers: [{ name: 'dbg' }],
    });
    const pod = sim.getPod('default', 'p')!;
    expect(pod.status.phase).toBe('Running');
    const cond = Object.fromEntries(pod.status.conditions.map((c: any) => [c.type, c.status]));
    expect(cond).toMatchObject({ PodScheduled: 'True', Initialized: 'True', ContainersReady: 'False', Ready: 'False' });
    expect(pod.status.initContainerStatuses[0]).toMatchObject({
      name: 'init',
      ready: true,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    const b = pod.status.containerStatuses[1];
    expect(b).toMatchObject({
      name: 'b',
      ready: false,
      started: false,
      restartCount: 0,
      imageID: '',
      state: { waiting: { reason: 'ContainerCreating' } },
    });
    expect(b.containerID).toBeUndefined();
    expect(pod.status.ephemeralContainerStatuses[0]).toMatchObject({ name: 'dbg', state: { running: {} } });
    expect(pod.spec.ephemeralContainers[0].name).toBe('dbg');
    sim.startContainer({ pod: 'p', container: 'b' });
    expect(sim.getPod('default', 'p')!.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
  });

  it('derives Succeeded and Failed', () => {
    sim.createPod({ name: 'ok', containers: [{ name: 'c', state: { terminated: { exitCode: 0 } } }] });
    sim.createPod({ name: 'bad', containers: [{ name: 'c', state: { terminated: { exitCode: 2 } } }] });
    expect(sim.getPod('default', 'ok')!.status.phase).toBe('Succeeded');
    expect(sim.getPod('default', 'bad')!.status.phase).toBe('Failed');
    expect(sim.getPod('default', 'bad')!.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
  });
});

describe("the kubelet's log rotation", () => {
  const ts = (s: number): string => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000000000Z`;

  it('rotateLog: a new read sees only the current file (with tailLines and sinceTime too); a follow stream open across it goes on', async () => {
    sim.writeLines(app, ['a', 'b'], { timestamp: ts(1) });
    sim.writeLines(app, ['c'], { timestamp: ts(2) });
    const f = await follow(`${LOG}?follow=true`);
    await f.waitForLines(3);
    sim.rotateLog(app);
    sim.writeLines(app, ['d', 'e'], { timestamp: ts(3) });
    await f.waitForLines(5);
    expect(f.lines()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await get(sim, LOG)).text).toBe('d\ne\n');
    expect((await get(sim, `${LOG}?tailLines=10`)).text).toBe('d\ne\n');
    expect((await get(sim, `${LOG}?sinceTime=${ts(1)}&timestamps=true`)).text).toBe('2026-01-01T00:00:03Z d\n2026-01-01T00:00:03Z e\n');
    expect(sim.logRotations(app)).toBe(1);
    // what was written stays visible to the test
    expect(sim.readLog(app)).toBe('a\nb\nc\nd\ne\n');
  });

  it('containerLogMaxSize: the file is rotated once past the size (each line with its ~40-byte CRI prefix)', async () => {
    const small = await SimCluster.start({ containerLogMaxSize: 1000 });
    try {
      small.createPod({ name: 'chatty', containers: [{ name: 'app' }] });
      const ref = { pod: 'chatty', container: 'app' };
      for (let i = 0; i < 30; i++) small.writeLines(ref, [`line ${String(i).padStart(2, '0')} ${'x'.repeat(50)}`]);
      // 100 bytes a line in the file: past 1,000 after the 11th line, rotated before the 12th; again before the 23rd
      expect(small.logRotations(ref)).toBe(2);
      const served = (await get(small, '/api/v1/namespaces/default/pods/chatty/log')).text.split('\n').filter(Boolean);
      expect(served.map((l) => l.slice(0, 7))).toEqual(Array.from({ length: 8 }, (_, i) => `line ${22 + i}`));
    } finally {
      await small.close();
    }
  });

  it('is 10 MiB by default, as the kubelet’s --container-log-max-size', async () => {
    sim.generate(app, { count: 120_000, size: 60 }); // ~12 MB with prefixes
    expect(sim.logRotations(app)).toBe(0); // rotated at the next write, as the kubelet's next check
    sim.writeLines(app, ['next']);
    expect(sim.logRotations(app)).toBe(1);
    expect((await get(sim, LOG)).text).toBe('next\n');
  });
});
