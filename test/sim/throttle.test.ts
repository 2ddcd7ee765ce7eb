/**
 * throttleLogStreams: log streams served in pieces of random size at a bounded rate, so that a
 * client's reads split lines and timestamps at arbitrary bytes. The bytes are the log's, in order,
 * whatever the pieces; without a throttle nothing changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { LogThrottle } from '../../src/sim/throttle.js';
import { sleep } from '../helpers/wait.js';
import { get, open, type Reader } from './helpers.js';

let sim: SimCluster | undefined;
const readers: Reader[] = [];

afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim?.close();
  sim = undefined;
});

const A = { pod: 'a', container: 'app' };
const LOG = '/api/v1/namespaces/default/pods/a/log';

async function start(opts: Parameters<typeof SimCluster.start>[0] = {}): Promise<SimCluster> {
  sim = await SimCluster.start(opts);
  sim.createPod({ name: 'a', containers: [{ name: 'app' }] });
  return sim;
}

async function follow(s: SimCluster, h2: boolean, query = ''): Promise<Reader> {
  const r = await open(s, `${LOG}?follow=true&timestamps=true${query}`, { h2 });
  readers.push(r);
  return r;
}

/** Where each piece ended: after a newline, inside a timestamp, or elsewhere in a line. */
function pieceEnds(buf: Buffer, pieces: number[]): { atLineEnd: number; inTimestamp: number; inText: number } {
  let off = 0;
  const ends = { atLineEnd: 0, inTimestamp: 0, inText: 0 };
  for (const n of pieces.slice(0, -1)) {
    off += n;
    const lineStart = buf.lastIndexOf(0x0a, off - 1) + 1;
    if (lineStart === off) ends.atLineEnd++;
    else if (buf.indexOf(0x20, lineStart) >= off) ends.inTimestamp++;
    else ends.inText++;
  }
  return ends;
}

describe('LogThrottle', () => {
  it('draws piece sizes log-uniformly from 1 byte to the largest piece, replayable from the seed', () => {
    const draw = (seed: number) => {
      const t = new LogThrottle({ maxBytesPerSec: 1_000_000, seed });
      return Array.from({ length: 4000 }, () => t.pieceSize(Number.MAX_SAFE_INTEGER));
    };
    const sizes = draw(7);
    expect(draw(7)).toEqual(sizes);
    expect(draw(8)).not.toEqual(sizes);
    // the largest piece defaults to maxBytesPerSec / 20
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50_000);
    expect(Math.max(...sizes)).toBeGreaterThan(40_000);
    // log-uniform: P(≤ 100 bytes) = ln 101 / ln 50001 ≈ 0.43, P(> 5000) ≈ 0.21
    const small = sizes.filter((n) => n <= 100).length / sizes.length;
    const large = sizes.filter((n) => n > 5000).length / sizes.length;
    expect(small).toBeGreaterThan(0.35);
    expect(small).toBeLessThan(0.5);
    expect(large).toBeGreaterThan(0.15);
    expect(large).toBeLessThan(0.27);
  });

  it('never exceeds what is left; a cut point lies within the pending bytes; a rate must be positive', () => {
    const t = new LogThrottle({ maxBytesPerSec: 10_000, maxPieceBytes: 4000, seed: 1 });
    for (let left = 1; left < 300; left++) {
      expect(t.pieceSize(left)).toBeGreaterThanOrEqual(1);
      expect(t.pieceSize(left)).toBeLessThanOrEqual(left);
      const cut = t.cutPoint(left);
      expect(cut).toBeGreaterThanOrEqual(1);
      expect(cut).toBeLessThanOrEqual(left);
    }
    expect(() => new LogThrottle({ maxBytesPerSec: 0 })).toThrow(/maxBytesPerSec > 0/);
  });
});

describe.each([false, true])('throttled log streams (h2=%s)', (h2) => {
  it('at most maxBytesPerSec, in pieces of random size that split lines and timestamps; the bytes are the log, in order', async () => {
    const s = await start({ throttleLogStreams: { maxBytesPerSec: 200_000, seed: 3 } });
    s.generate(A, { count: 20_000, size: 100 }); // 2.6 MB with timestamps, all there at once
    const r = await follow(s, h2);
    const t0 = performance.now();
    await sleep(1500);
    const elapsed = performance.now() - t0;
    const buf = r.buffer();
    // at most the rate, plus the piece that went first (the largest piece: 10,000 bytes)
    expect(buf.length).toBeLessThanOrEqual(200 * (elapsed + 50) + 10_000);
    // and not stalled (a loaded machine's late timers only slow it down)
    expect(buf.length).toBeGreaterThan(0.3 * 200 * elapsed);
    const pieces = r.pieces();
    expect(pieces.length).toBeGreaterThan(50);
    expect(new Set(pieces).size).toBeGreaterThan(20);
    const ends = pieceEnds(buf, pieces);
    expect(ends.inText).toBeGreaterThan(pieces.length / 2);
    expect(ends.inTimestamp).toBeGreaterThan(0);
    expect(s.readLog(A, { timestamps: true }).startsWith(buf.toString('utf8'))).toBe(true);
    expect(r.isEnded()).toBe(false);
  });

  it('a mid-line cut lands at a random byte of what is pending; the log stays whole for the next read', async () => {
    const s = await start({ throttleLogStreams: { maxBytesPerSec: 500_000, seed: 11 } });
    s.generate(A, { count: 20_000, size: 100 });
    const full = s.readLog(A, { timestamps: true });
    const offsets = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const r = await follow(s, h2);
      await r.waitFor((t) => t.length > 1000);
      expect(s.cutLogStreams(undefined, { midLine: true })).toBe(1);
      expect(await r.ended).toBe('error');
      const text = r.text();
      expect(full.startsWith(text)).toBe(true);
      offsets.add(text.length - text.lastIndexOf('\n') - 1);
    }
    // where in its line each cut landed: not always the same place
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('a clean end comes wherever the sending is, possibly mid-line, as a proxy would end it', async () => {
    const s = await start({ throttleLogStreams: { maxBytesPerSec: 500_000, seed: 5 } });
    s.generate(A, { count: 20_000, size: 100 });
    const r = await follow(s, h2);
    await r.waitFor((t) => t.length > 1000);
    expect(s.endLogStreams()).toBe(1);
    expect(await r.ended).toBe('end');
    expect(s.readLog(A, { timestamps: true }).startsWith(r.text())).toBe(true);
  });

  it('limitBytes: exactly that many bytes, then the end', async () => {
    const s = await start({ throttleLogStreams: { maxBytesPerSec: 100_000, seed: 2 } });
    s.generate(A, { count: 1000, size: 100 });
    const r = await follow(s, h2, '&limitBytes=5000');
    expect(await r.ended).toBe('end');
    expect(r.text()).toBe(s.readLog(A, { timestamps: true }).slice(0, 5000));
    expect(r.pieces().length).toBeGreaterThan(3);
  });

  it('throttleLogStreams(undefined) lifts it: an open stream sends what was pending, then goes at full speed', async () => {
    const s = await start();
    s.throttleLogStreams({ maxBytesPerSec: 50_000, seed: 9 });
    s.generate(A, { count: 50_000, size: 100 }); // 6.6 MB: two minutes at that rate
    const r = await follow(s, h2);
    await r.waitFor((t) => t.length > 5000);
    s.throttleLogStreams(undefined);
    await r.waitForLines(50_000, 20_000);
    expect(r.text()).toBe(s.readLog(A, { timestamps: true }));
  });
});

it('without a throttle a stream is written as fast as it is read (the default)', async () => {
  const s = await start();
  s.generate(A, { count: 50_000, size: 100 }); // 6.6 MB
  const t0 = performance.now();
  const r = await get(s, `${LOG}?timestamps=true`);
  expect(r.text).toBe(s.readLog(A, { timestamps: true }));
  // about 0.1 s on a 2-core machine; at 1 MB/s it would take 6.6 s
  expect(performance.now() - t0).toBeLessThan(4000);
});
