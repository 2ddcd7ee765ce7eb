/**
 * One Tail against the simulated cluster, in process: the windows between getting a stream and
 * reading it, where a break must still be seen.
 */
import { describe, expect, it } from 'vitest';
import type { LineWriter } from '../../src/output/label.js';
import type { Notice, Notices } from '../../src/output/notices.js';
import { SimCluster } from '../../src/sim/index.js';
import { Tail } from '../../src/follow/tail.js';
import type { Target } from '../../src/follow/targets.js';
import { Transport } from '../../src/kube/transport.js';
import { label, RecordingSink } from '../helpers/output.js';
import { until } from '../helpers/wait.js';
import { cleanup, simContext } from '../helpers/inprocess.js';

async function followOne(opts: { http2: boolean; idleTimeoutMs?: number }) {
  const sim = await SimCluster.start({ http2: opts.http2 });
  cleanup(() => sim.close());
  sim.createPod({ name: 'web', containers: [{ name: 'app' }] });
  const ref = { pod: 'web', container: 'app' };
  const target: Target = {
    key: `sim/default/web/app/${sim.containerId(ref)}`,
    podKey: 'sim/default/web',
    context: 'sim',
    namespace: 'default',
    pod: 'web',
    container: 'app',
    containerId: sim.containerId(ref)!,
    kind: 'container',
    nodeName: 'sim-node-1',
    restartCount: 0,
    phase: 'running',
  };
  const transport = new Transport(simContext(sim));
  cleanup(() => transport.close());
  const lines: string[] = [];
  const writer: LineWriter = (buf, _ls, _te, msgStart, end) => lines.push(buf.toString('utf8', msgStart, end));
  const notices: Notice[] = [];
  const said: string[] = [];
  const tail = new Tail(
    { target, label: label({ pod: 'web' }), writer, window: {}, follow: true, previous: false },
    {
      transport,
      sink: new RecordingSink().asSink,
      notices: { emit: (n: Notice) => notices.push(n) } as unknown as Notices,
      verbose: (m) => said.push(m),
      idleTimeoutMs: opts.idleTimeoutMs ?? 60_000,
    },
  );
  const running = tail.run();
  cleanup(async () => {
    tail.stop();
    await running;
  });
  return { sim, ref, tail, lines, notices, said };
}

describe.each([
  ['HTTP/2', true],
  ['HTTP/1.1', false],
])('a follow stream cut while the tail checks its instance (%s)', (_name, http2) => {
  it('is seen: the tail reopens and every line arrives once', async () => {
    const { sim, ref, lines } = await followOne({ http2 });
    sim.writeLines(ref, ['one']);
    await until(() => lines.length === 1, 'the first line');
    const opened = sim.counters.logStreamsOpened;
    // After the cut below, the tail GETs the pod (is it still running?), reopens, and GETs it
    // again (is the stream ours?). Both GETs are answered 50 ms late, and the log stream is cut
    // as each arrives: the second cut lands between the open and the reading.
    sim.delayRequests(/\/pods\/web(\?|$)/, 50, { count: 2, onArrive: () => sim.cutLogStreams({ pod: 'web' }) });
    sim.cutLogStreams({ pod: 'web' });
    await until(() => sim.counters.logStreamsOpened >= opened + 2, 'a reopen after the cut in the window');
    sim.writeLines(ref, ['two', 'three']);
    await until(() => lines.length === 3, 'the lines written after the cut', 10_000);
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});

describe('a quiet follow stream', () => {
  it('is re-opened after about the idle limit, drawn per read within ±20% (quiet streams do not reopen together)', async () => {
    const { said } = await followOne({ http2: true, idleTimeoutMs: 200 });
    const limits = (): number[] => said.flatMap((m) => /no data for (\d+)ms\); resuming$/.exec(m)?.[1] ?? []).map(Number);
    await until(() => limits().length >= 8, 'eight re-opens of the quiet stream', 10_000);
    for (const ms of limits()) {
      expect(ms).toBeGreaterThanOrEqual(160);
      expect(ms).toBeLessThanOrEqual(240);
    }
    expect(new Set(limits()).size).toBeGreaterThan(1);
  });
});
