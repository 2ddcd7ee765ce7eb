/**
 * GOAWAY, as kube-apiserver sends it (--goaway-chance, or when it shuts down): during a flood,
 * every line arrives exactly once; streams the server took go on, new requests go on a new
 * connection, and nothing is said without --verbose.
 */
import { expect, it } from 'vitest';
import { expectRange, expectSameSequence, seqs } from '../helpers/count.js';
import { sim } from '../helpers/sim.js';
import { ktail } from '../helpers/spawn.js';
import { every, sleep } from '../helpers/wait.js';
import { numberedWriter } from './writers.js';

it('GOAWAY every 250 ms and on 5% of requests (--goaway-chance) during a flood, pods coming meanwhile: nothing lost or repeated, nothing said', async () => {
  const fx = await sim({ goawayChance: 0.05 });
  const pods = ['ga-0', 'ga-1', 'ga-2'];
  for (const pod of pods) fx.sim.createPod({ name: pod, containers: [{ name: 'gen' }, { name: 'app' }] });
  const k = ktail(fx, ['^ga-']);
  await k.waitFor((x) => x.notices(/^\+ ga-/).length === 6, 'the six sources');

  const rate = 2000;
  const seconds = 4;
  const gens = pods.map((pod) => fx.sim.generate({ pod, container: 'gen' }, { count: rate * seconds, size: 100, ratePerSec: rate }));
  const writers = pods.map((pod) => numberedWriter(fx.sim, { pod, container: 'app' }, pod, 10, 2));
  // new pods while the connections come and go: their lists, GETs and streams go on new ones
  const late: string[] = [];
  let goaways = 0;
  let tick = 0;
  const stop = every(250, () => {
    goaways += fx.sim.goaway();
    const pod = `ga-late-${tick++}`;
    late.push(pod);
    fx.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod, container: 'app' }, [`${pod} only line`]);
  });
  await Promise.all(gens.map((g) => g.done));
  stop();
  for (const w of writers) w.stop();

  await k.waitFor(
    (x) =>
      pods.every((pod, i) => x.source(pod, 'gen').length >= rate * seconds && x.source(pod, 'app').length >= writers[i]!.written.length) &&
      late.every((pod) => x.source(pod, 'app').length >= 1),
    'every line written',
    30_000,
  );
  await sleep(500); // a repeated line would show up now
  const exit = await k.stop();
  expect(exit.code).toBe(130);
  pods.forEach((pod, i) => {
    expectRange(seqs(k.source(pod, 'gen')), 0, rate * seconds, `${pod} gen`);
    expectSameSequence(k.source(pod, 'app'), writers[i]!.written, `${pod} app`);
  });
  for (const pod of late) expect(k.source(pod, 'app')).toEqual([`${pod} only line`]);
  // it happened: many GOAWAYs, each followed by a new connection
  expect(goaways).toBeGreaterThanOrEqual(10);
  expect(fx.sim.counters.goawaysSent).toBeGreaterThanOrEqual(goaways);
  expect(fx.sim.counters.http2SessionsOpened).toBeGreaterThanOrEqual(10);
  // a graceful GOAWAY is no trouble: not a word, not a reconnect of the streams it let go on
  expect(k.stderr.split('\n').filter((l) => l !== '' && !/^\+ /.test(l))).toEqual([]);
}, 60_000);

it('GOAWAY then the connection destroyed 300 ms later (a server that stops): streams resume, every line once; --verbose says GOAWAY', async () => {
  const fx = await sim();
  fx.sim.createPod({ name: 'gs', containers: [{ name: 'gen' }, { name: 'app' }] });
  const k = ktail(fx, ['^gs$', '--verbose']);
  await k.waitFor((x) => x.notices(/^\+ gs › /).length === 2, 'both sources');
  const rate = 2000;
  const gen = fx.sim.generate({ pod: 'gs', container: 'gen' }, { count: rate * 3, size: 100, ratePerSec: rate });
  const app = numberedWriter(fx.sim, { pod: 'gs', container: 'app' }, 'gs', 10, 2);
  const stop = every(700, () => fx.sim.goaway({ closeAfterMs: 300 }));
  await gen.done;
  stop();
  app.stop();
  await k.waitFor(
    (x) => x.source('gs', 'gen').length >= rate * 3 && x.source('gs', 'app').length >= app.written.length,
    'every line written',
    30_000,
  );
  await sleep(500);
  await k.stop();
  expectRange(seqs(k.source('gs', 'gen')), 0, rate * 3, 'gen');
  expectSameSequence(k.source('gs', 'app'), app.written, 'app');
  expect(k.notices(/sent GOAWAY \(code 0\); new requests go on a new connection$/).length).toBeGreaterThanOrEqual(3);
  // the streams were cut when the connection went, and resumed
  expect(fx.sim.counters.logStreamsOpened).toBeGreaterThanOrEqual(2 + 3 * 2);
  expect(k.notices(/^- /)).toEqual([]);
}, 60_000);
