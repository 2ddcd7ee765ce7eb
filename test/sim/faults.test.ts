import https from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster, caCert } from '../../src/sim/index.js';
import { sleep, until } from '../helpers/wait.js';
import { events, get, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

async function follow(pod = 'a', h2 = false, extra = ''): Promise<Reader> {
  const r = await open(sim, `/api/v1/namespaces/default/pods/${pod}/log?follow=true${extra}`, { h2 });
  readers.push(r);
  await until(() => sim.counters.logStreamsOpen >= 1, 'a log stream open');
  return r;
}

async function watch(h2 = false): Promise<Reader> {
  const r = await open(sim, '/api/v1/namespaces/default/pods?watch=true', { h2 });
  readers.push(r);
  return r;
}

beforeEach(async () => {
  sim = await SimCluster.start();
  sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
  sim.createPod({ name: 'b', containers: [{ name: 'app' }] });
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

const A = { pod: 'a', container: 'app' };
const B = { pod: 'b', container: 'app' };

describe('log stream faults', () => {
  it.each([false, true])('cutLogStreams breaks matching streams abruptly (h2=%s)', async (h2) => {
    const ra = await follow('a', h2);
    const rb = await follow('b', h2);
    expect(sim.cutLogStreams({ pod: 'a' })).toBe(1);
    expect(await ra.ended).toBe('error');
    sim.writeLines(B, ['still here']);
    await rb.waitForLines(1);
    expect(rb.isEnded()).toBe(false);
  });

  it.each([false, true])('cutLogStreams midLine: half of the next line, then the cut (h2=%s)', async (h2) => {
    sim.writeLines(A, ['seen']);
    const r = await follow('a', h2);
    await r.waitForLines(1);
    expect(sim.cutLogStreams(undefined, { midLine: true })).toBe(1);
    sim.writeLines(A, ['hello world']);
    expect(await r.ended).toBe('error');
    expect(r.text()).toBe('seen\nhello ');
    // the line is intact in the log for the client's reconnect
    expect((await get(sim, '/api/v1/namespaces/default/pods/a/log')).text).toBe('seen\nhello world\n');
  });

  it('cutLogStreams midLine on a stream that is behind cuts inside a line', async () => {
    sim.generate(A, { count: 200_000, size: 100 });
    const r = await follow('a');
    await r.waitFor((t) => t.length > 0);
    sim.cutLogStreams({ pod: 'a' }, { midLine: true });
    expect(await r.ended).toBe('error');
    const text = r.text();
    expect(text.endsWith('\n')).toBe(false);
    expect(text.length).toBeLessThan(200_000 * 101);
  });

  it('cutLogStreams with connection: true drops the HTTP/2 connection', async () => {
    const r = await follow('a', true);
    sim.cutLogStreams(undefined, { connection: true });
    expect(await r.ended).toBe('error');
  });

  it.each([false, true])('endLogStreams ends cleanly while the container keeps running (h2=%s)', async (h2) => {
    const r = await follow('a', h2);
    expect(sim.endLogStreams({ pod: 'a', container: 'app' })).toBe(1);
    expect(await r.ended).toBe('end');
    expect(sim.getPod('default', 'a')!.status.containerStatuses[0].state.running).toBeDefined();
    sim.writeLines(A, ['after']);
    const again = await follow('a', h2);
    await again.waitForLines(1);
    expect(again.text()).toBe('after\n');
  });

  it('stallLogStreams: silent for ms while lines are stored, then resumes', async () => {
    const r = await follow('a');
    sim.stallLogStreams({ pod: 'a' }, 800);
    sim.writeLines(A, ['during']);
    await sleep(100);
    expect(r.text()).toBe('');
    await r.waitForLines(1, 5000);
    expect(r.text()).toBe('during\n');
  });

  it('stallLogStreams "hang" stays silent; "cut" breaks it after the stall', async () => {
    const hung = await follow('a');
    const cut = await follow('b');
    sim.stallLogStreams({ pod: 'a' }, 0, 'hang');
    sim.stallLogStreams({ pod: 'b' }, 100, 'cut');
    sim.writeLines(A, ['never']);
    sim.writeLines(B, ['never']);
    expect(await cut.ended).toBe('error');
    expect(cut.text()).toBe('');
    expect(hung.isEnded()).toBe(false);
    expect(hung.text()).toBe('');
  });
});

describe('watch faults', () => {
  it.each([false, true])('cutWatches and endWatches (h2=%s)', async (h2) => {
    const w1 = await watch(h2);
    await until(() => sim.counters.watchesOpen === 1, 'one watch open');
    expect(sim.cutWatches()).toBe(1);
    expect(await w1.ended).toBe('error');
    const w2 = await watch(h2);
    await until(() => sim.counters.watchesOpen === 1, 'one watch open');
    expect(sim.endWatches()).toBe(1);
    expect(await w2.ended).toBe('end');
  });

  it('stallWatches holds events back, then delivers them in order', async () => {
    const w = await watch();
    await w.waitForLines(2); // ADDED a, ADDED b
    sim.stallWatches(800);
    sim.labelPod('default', 'a', { x: '1' });
    await sleep(50);
    expect(events(w)).toHaveLength(2);
    await w.waitForLines(3);
    expect(events(w)[2]).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'a' } } });
  });
});

describe('refuseConnections', () => {
  it('drops open streams, refuses new connections, then listens again on the same port', async () => {
    const r = await follow('a');
    const port = sim.port;
    const back = sim.refuseConnections(1000);
    expect(await r.ended).toBe('error');
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      https.get(`${sim.url}/version`, { ca: caCert, agent: false }, () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(err.code).toBe('ECONNREFUSED');
    await back;
    expect(sim.port).toBe(port);
    expect((await get(sim, '/version')).status).toBe(200);
  });
});
