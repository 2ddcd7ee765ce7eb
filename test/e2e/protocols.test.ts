/** The same lines over HTTP/1.1 and HTTP/2: ktail picks HTTP/2 by ALPN when offered, else HTTP/1.1. */
import { describe, expect, it } from 'vitest';
import { ktail } from '../helpers/spawn.js';
import { sim } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

describe.each([
  ['HTTP/1.1 only', false],
  ['HTTP/2 offered', true],
])('%s', (_name, http2) => {
  it('follows 20 containers, every line once, and the server saw the protocol we expect', async () => {
    const fx = await sim({ http2 });
    for (let i = 0; i < 10; i++) {
      fx.sim.createPod({ name: `proto-${i}`, containers: [{ name: 'a' }, { name: 'b' }] });
      for (const c of ['a', 'b']) fx.sim.generate({ pod: `proto-${i}`, container: c }, { count: 2000, size: 80 });
    }
    const k = ktail(fx, ['^proto-']);
    await k.waitFor((x) => x.lines.length >= 40_000, '40,000 lines');
    await sleep(200);
    await k.stop();
    expect(k.lines).toHaveLength(40_000);
    const seen = new Set(k.lines.map((l) => /^(proto-\d+ [ab]) seq=(\d+)/.exec(l)!.slice(1).join(' ')));
    expect(seen.size).toBe(40_000);
    const c = fx.sim.counters;
    expect(c.logStreamsOpened).toBe(20);
    if (http2) {
      // two connections: the ALPN probe's socket, reused, carries the list, the watch and the pod
      // GETs; the other the 20 log streams
      expect(c.http2SessionsOpened).toBe(2);
      expect(c.connectionsAccepted).toBe(2);
    } else {
      expect(c.http2SessionsOpened).toBe(0);
      expect(c.connectionsAccepted).toBeGreaterThanOrEqual(21);
    }
  });
});

describe("kube-apiserver's stream cap: 250 streams per HTTP/2 connection", () => {
  it('300 follow streams all open and deliver: a second connection past the cap', async () => {
    const fx = await sim(); // the default cap: 250, as kube-apiserver's
    for (let i = 0; i < 150; i++) fx.sim.createPod({ name: `cap-${i}`, containers: [{ name: 'a' }, { name: 'b' }] });
    const k = ktail(fx, ['^cap-', '--max-log-requests', '400']);
    await k.waitFor(() => fx.sim.counters.logStreamsOpen === 300, '300 streams open', 30_000);
    for (let i = 0; i < 150; i++) for (const c of ['a', 'b']) fx.sim.writeLines({ pod: `cap-${i}`, container: c }, [`hello ${i}${c}`]);
    await k.waitFor((x) => x.lines.length >= 300, 'a line from each of the 300', 30_000);
    await sleep(200);
    await k.stop();
    expect(new Set(k.lines).size).toBe(300);
    expect(k.lines).toHaveLength(300);
    // the cap was met: the log streams needed two connections, beside the one of the list, the
    // watch and the pod GETs (300 GETs at once, as the streams open, may need a second), nothing failed
    expect(fx.sim.counters.http2SessionsOpened).toBeGreaterThanOrEqual(3);
    expect(fx.sim.counters.http2SessionsOpened).toBeLessThanOrEqual(4);
    expect(k.notices(/waiting|failed|retrying/)).toEqual([]);
  }, 60_000);
});
