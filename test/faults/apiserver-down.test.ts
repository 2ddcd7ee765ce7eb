/**
 * Issue 4: the API server refuses connections for 10 s mid-run. ktail says so on stderr, backs
 * off (1 s, 2 s, 4 s, 8 s … not a reconnect storm), and when the server is back everything
 * resumes: no line lost or repeated for the containers that kept running, pods created during
 * the outage found from their first line.
 */
import { expect, it } from 'vitest';
import { expectRange, expectSameSequence, numbered, seqs } from '../helpers/count.js';
import { sim } from '../helpers/sim.js';
import { ktail } from '../helpers/spawn.js';
import { sleep } from '../helpers/wait.js';
import { numberedWriter } from './writers.js';

/** the delays of the `retrying in Ns` notices matching re, in order */
function delays(lines: string[]): number[] {
  return lines.map((l) => Number(/retrying in (\d+)s$/.exec(l)?.[1]));
}

/** 1 s doubling to 30 s, each ±20% (jitter), as the notices round them to whole seconds. */
function expectBackoff(d: number[], what: string): void {
  d.forEach((seconds, i) => {
    const base = Math.min(30, 2 ** i);
    expect(seconds, `${what}: delay ${i} of ${d.join(', ')}`).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
    expect(seconds, `${what}: delay ${i} of ${d.join(', ')}`).toBeLessThanOrEqual(Math.ceil(base * 1.2));
  });
}

it('refused connections for 10 s: a notice, retries with backoff, then everything resumes without loss', async () => {
  const fx = await sim({ sinceTimePrecision: 'second' });
  fx.sim.createPod({ name: 'down-a', containers: [{ name: 'app' }] });
  fx.sim.createPod({ name: 'down-b', containers: [{ name: 'app' }] });
  const k = ktail(fx, ['^down-']);
  await k.waitFor((x) => x.notices(/^\+ down-[ab] › app$/).length === 2, 'both sources');

  const rate = 1000;
  const seconds = 15;
  const gen = fx.sim.generate({ pod: 'down-a', container: 'app' }, { count: rate * seconds, size: 100, ratePerSec: rate });
  const b = numberedWriter(fx.sim, { pod: 'down-b', container: 'app' }, 'b', 20, 2);
  await k.waitFor((x) => x.source('down-a', 'app').length > 1000 && x.source('down-b', 'app').length > 100, 'lines flowing');

  const outageStart = Date.now();
  const back = fx.sim.refuseConnections(10_000);
  await sleep(3000);
  // a pod created during the outage, writing at once
  fx.sim.createPod({ name: 'down-c', containers: [{ name: 'app' }] });
  fx.sim.writeLines({ pod: 'down-c', container: 'app' }, numbered('c', 40));
  await back;
  const outageMs = Date.now() - outageStart;
  const noticesDuringOutage = k.stderr;

  await gen.done;
  b.stop();
  await k.waitFor(
    (x) =>
      x.source('down-a', 'app').length >= rate * seconds &&
      x.source('down-b', 'app').length >= b.written.length &&
      x.source('down-c', 'app').length >= 40,
    'every line after the outage',
    30_000,
  );
  await sleep(500);
  const exit = await k.stop();
  expect(exit.code).toBe(130);

  // no loss, no repeat, in order
  expectRange(seqs(k.source('down-a', 'app')), 0, rate * seconds, 'down-a');
  expectSameSequence(k.source('down-b', 'app'), b.written, 'down-b');
  expectSameSequence(k.source('down-c', 'app'), numbered('c', 40), 'down-c (created during the outage)');

  // said on stderr, for the watch and for each source
  const during = noticesDuringOutage.split('\n');
  const watchTrouble = during.filter((l) => /^ktail: watching pods in namespace "default" failed: .*; retrying in \d+s$/.test(l));
  expect(watchTrouble.length).toBeGreaterThanOrEqual(1);
  expect(k.notices(/^ktail: watching pods in namespace "default" again$/)).toHaveLength(1);
  for (const pod of ['down-a', 'down-b']) {
    const retries = during.filter((l) => l.startsWith(`! ${pod} › app: `));
    expect(retries.length, `${pod} retried`).toBeGreaterThanOrEqual(1);
    // backoff: 1 s, then doubling; a handful of attempts in 10 s, not a storm
    expectBackoff(delays(retries), pod);
    expect(retries.length, `${pod}: ${retries.join(' | ')}`).toBeLessThanOrEqual(6);
  }
  expectBackoff(delays(watchTrouble), 'the watch');
  expect(watchTrouble.length).toBeLessThanOrEqual(6);
  expect(outageMs).toBeGreaterThanOrEqual(10_000);
  expect(k.notices(/^- /)).toEqual([]);
}, 60_000);
