/**
 * The kubelet's log rotation. A follow stream goes on across it; a resume after a cut asks by
 * sinceTime and sees only the current file, so lines between the last one shown and the start
 * of the file may be out of reach: then ktail says so, naming the container and the span.
 * Every line, or the notice: never silence.
 */
import { expect, it } from 'vitest';
import { expectRange, expectSameSequence, seqs } from '../helpers/count.js';
import { sim } from '../helpers/sim.js';
import { ktail } from '../helpers/spawn.js';
import { every, sleep } from '../helpers/wait.js';
import { numberedWriter } from './writers.js';

const NOTICE = /^ktail: rot\/app: the log was rotated while ktail reconnected; lines after (\S+) and before (\S+) may be missing$/;

it('rotations under an open follow stream (by size and on demand): every line once, nothing said', async () => {
  const fx = await sim({ containerLogMaxSize: 200_000 });
  fx.sim.createPod({ name: 'rot', containers: [{ name: 'gen' }, { name: 'app' }] });
  const k = ktail(fx, ['^rot$']);
  await k.waitFor((x) => x.notices(/^\+ rot › /).length === 2, 'both sources');
  const gen = fx.sim.generate({ pod: 'rot', container: 'gen' }, { count: 20_000, size: 100, ratePerSec: 5000 });
  const app = numberedWriter(fx.sim, { pod: 'rot', container: 'app' }, 'a', 10, 3);
  const stop = every(300, () => fx.sim.rotateLog({ pod: 'rot', container: 'app' }));
  await gen.done;
  stop();
  app.stop();
  await k.waitFor((x) => x.source('rot', 'gen').length >= 20_000 && x.source('rot', 'app').length >= app.written.length, 'every line');
  await sleep(300);
  await k.stop();
  expectRange(seqs(k.source('rot', 'gen')), 0, 20_000, 'gen');
  expectSameSequence(k.source('rot', 'app'), app.written, 'app');
  expect(fx.sim.logRotations({ pod: 'rot', container: 'gen' })).toBeGreaterThanOrEqual(5); // by size: ~14 MB through 200 kB files
  expect(k.notices(/rotated/)).toEqual([]);
}, 60_000);

it('a rotation while the stream is stalled, then a cut: the lines rotated away are named by the notice, the rest arrive once', async () => {
  const fx = await sim();
  const ref = { pod: 'rot', container: 'app' };
  fx.sim.createPod({ name: 'rot', containers: [{ name: 'app' }] });
  const k = ktail(fx, ['^rot$', '--timestamps']);
  await k.waitFor((x) => x.notices(/^\+ rot › app$/).length === 1, 'the source');
  fx.sim.writeLines(ref, ['before 1', 'before 2']);
  await k.waitFor((x) => x.source('rot', 'app').length === 2, 'the first lines');
  // the stream goes silent; the container writes on; the kubelet rotates; more lines; then the cut
  expect(fx.sim.stallLogStreams({ pod: 'rot' }, 0, 'hang')).toBe(1);
  await sleep(20);
  fx.sim.writeLines(ref, ['lost 1', 'lost 2']);
  fx.sim.rotateLog(ref);
  await sleep(20);
  fx.sim.writeLines(ref, ['after 1', 'after 2']);
  expect(fx.sim.cutLogStreams({ pod: 'rot' })).toBe(1);
  await k.waitFor((x) => x.source('rot', 'app').length >= 4, 'the lines after the rotation', 15_000);
  await k.waitFor((x) => x.notices(NOTICE).length === 1, 'the notice', 5000);
  await sleep(300);
  await k.stop();
  const printed = k.source('rot', 'app').map((l) => l.replace(/^\S+ /, ''));
  expect(printed).toEqual(['before 1', 'before 2', 'after 1', 'after 2']);
  // the span named holds exactly the lines that never arrived
  const [, from, to] = NOTICE.exec(k.notices(NOTICE)[0]!)!;
  const written = fx.sim
    .readLog(ref, { timestamps: true })
    .trimEnd()
    .split('\n')
    .map((l) => ({ ts: l.slice(0, l.indexOf(' ')), text: l.slice(l.indexOf(' ') + 1) }));
  const inSpan = written.filter((l) => l.ts > from! && l.ts < to!).map((l) => l.text);
  expect(inSpan).toEqual(['lost 1', 'lost 2']);
}, 30_000);

it('a cut without a rotation: every line, no rotation notice', async () => {
  const fx = await sim();
  const ref = { pod: 'rot', container: 'app' };
  fx.sim.createPod({ name: 'rot', containers: [{ name: 'app' }] });
  const k = ktail(fx, ['^rot$']);
  await k.waitFor((x) => x.notices(/^\+ rot › app$/).length === 1, 'the source');
  fx.sim.writeLines(ref, ['one', 'two']);
  await k.waitFor((x) => x.source('rot', 'app').length === 2, 'the first lines');
  expect(fx.sim.stallLogStreams({ pod: 'rot' }, 0, 'hang')).toBe(1);
  fx.sim.writeLines(ref, ['three', 'four']);
  expect(fx.sim.cutLogStreams({ pod: 'rot' })).toBe(1);
  await k.waitFor((x) => x.source('rot', 'app').length >= 4, 'every line', 15_000);
  await sleep(300);
  await k.stop();
  expect(k.source('rot', 'app')).toEqual(['one', 'two', 'three', 'four']);
  expect(k.notices(/rotated/)).toEqual([]);
}, 30_000);
