import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { get, open, type Reader } from './helpers.js';

let sim: SimCluster;
const readers: Reader[] = [];

beforeEach(async () => {
  sim = await SimCluster.start();
  sim.createPod({ name: 'gen', containers: [{ name: 'app' }] });
});
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await sim.close();
});

const ref = { pod: 'gen', container: 'app' };
const LOG = '/api/v1/namespaces/default/pods/gen/log';

function checkSequence(lines: string[], from = 0): void {
  for (let i = 0; i < lines.length; i++) {
    const want = `seq=${String(from + i).padStart(9, '0')} pod=gen container=app `;
    if (!lines[i]!.startsWith(want)) throw new Error(`line ${i}: ${lines[i]!.slice(0, 60)} (want ${want})`);
  }
}

describe('generated logs', () => {
  it.each([false, true])('delivers 100k lines as fast as the reader reads, in order (h2=%s)', async (h2) => {
    const r = await open(sim, `${LOG}?follow=true`, { h2 });
    readers.push(r);
    const handle = sim.generate(ref, { count: 100_000, size: 120 });
    expect(handle.firstSeq).toBe(0);
    await handle.done;
    const lines = await r.waitForLines(100_000, 15_000);
    expect(lines).toHaveLength(100_000);
    expect(lines[0]!.length).toBe(120);
    checkSequence(lines);
    expect(sim.counters.linesWritten).toBe(100_000);
    expect(sim.counters.linesServed).toBe(100_000);
  });

  it('timestamps map back to the index: sinceTime of line k resumes exactly at line k', async () => {
    sim.generate(ref, { count: 1000, size: 60, stepNs: 1500 });
    const all = (await get(sim, `${LOG}?timestamps=true`)).text.split('\n').slice(0, -1);
    expect(all).toHaveLength(1000);
    const ts = all.map((l) => l.slice(0, l.indexOf(' ')));
    expect(new Set(ts).size).toBe(1000);
    const k = 737;
    const resumed = (await get(sim, `${LOG}?sinceTime=${encodeURIComponent(ts[k]!)}`)).text.split('\n').slice(0, -1);
    expect(resumed).toHaveLength(1000 - k);
    checkSequence(resumed, k);
    const tail = (await get(sim, `${LOG}?tailLines=3`)).text.split('\n').slice(0, -1);
    checkSequence(tail, 997);
  });

  it('at a rate: lines appear over time; explicit lines interleave with later timestamps', async () => {
    const r = await open(sim, `${LOG}?follow=true&timestamps=true`);
    readers.push(r);
    const start = Date.now();
    const handle = sim.generate(ref, { count: 40, size: 50, ratePerSec: 200 });
    await r.waitForLines(5);
    sim.writeLines(ref, ['marker']);
    await handle.done;
    expect(Date.now() - start).toBeGreaterThanOrEqual(150);
    const lines = await r.waitForLines(41);
    const stamps = lines.map((l) => l.slice(0, l.indexOf(' ')));
    expect([...stamps].sort()).toEqual(stamps); // timestamps never go backwards
    const messages = lines.map((l) => l.slice(l.indexOf(' ') + 1));
    checkSequence(messages.filter((m) => m !== 'marker'));
    expect(messages).toContain('marker');
  });

  it('seq continues across runs of the same instance; readLog materializes them', () => {
    sim.generate(ref, { count: 3, size: 10 });
    sim.writeLines(ref, ['plain']);
    const h = sim.generate(ref, { count: 2, size: 10 });
    expect(h.firstSeq).toBe(3);
    const lines = sim.readLog(ref).split('\n');
    expect(lines.map((l) => l.slice(0, 13))).toEqual([
      'seq=000000000',
      'seq=000000001',
      'seq=000000002',
      'plain',
      'seq=000000003',
      'seq=000000004',
      '',
    ]);
  });

  it('a follow of a generated log ends after the last line when the container terminates', async () => {
    sim.generate(ref, { count: 5000, size: 80 });
    sim.terminateContainer(ref, { exitCode: 0 });
    const r = await open(sim, `${LOG}?follow=true`);
    readers.push(r);
    expect(await r.ended).toBe('end');
    expect(r.lines()).toHaveLength(5000);
  });
});
