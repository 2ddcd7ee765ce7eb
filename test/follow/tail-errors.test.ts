/**
 * What a tail's retry notice says when a request fails: the failure in words (errorText), never
 * a bare code. A fake transport fails the log request and then the instance check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, Notices } from '../../src/output/notices.js';
import { formatNotice } from '../../src/output/notices.js';
import { Tail } from '../../src/follow/tail.js';
import type { Target } from '../../src/follow/targets.js';
import { ApiError, IdleTimeoutError, TransportError } from '../../src/kube/errors.js';
import type { Transport } from '../../src/kube/transport.js';
import { label, RecordingSink } from '../helpers/output.js';

const SERVER = 'https://10.0.0.1:6443';

const target: Target = {
  key: 'c/default/web-7d9/app/id1',
  podKey: 'c/default/web-7d9',
  context: 'c',
  namespace: 'default',
  pod: 'web-7d9',
  container: 'app',
  containerId: 'id1',
  kind: 'container',
  nodeName: 'n1',
  restartCount: 0,
  phase: 'running',
};

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

/** The first retry notice of a tail whose log request fails with `open` and instance check with `check`. */
async function firstRetry(open: Error, check: Error): Promise<string> {
  const transport = {
    server: SERVER,
    open: () => Promise.reject(open),
    json: () => Promise.reject(check),
  } as unknown as Transport;
  const notices: Notice[] = [];
  const tail = new Tail(
    { target, label: label(), writer: () => undefined, window: {}, follow: true, previous: false },
    {
      transport,
      sink: new RecordingSink().asSink,
      notices: { emit: (n: Notice) => notices.push(n) } as unknown as Notices,
      verbose: () => undefined,
      idleTimeoutMs: 60_000,
    },
  );
  const running = tail.run();
  stops.push(async () => {
    tail.stop();
    await running;
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    const retry = notices.find((n) => n.kind === 'retrying');
    if (retry) return formatNotice(retry);
    if (Date.now() > deadline) throw new Error('no retry notice');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("a tail's retry notice says what failed in words", () => {
  it.each<[string, Error, Error, string]>([
    [
      'the instance check stops answering',
      new TransportError('ECONNRESET', SERVER, 'connection reset'),
      new IdleTimeoutError(SERVER, 15_000),
      '! web-7d9 › app: connection to https://10.0.0.1:6443 stopped answering (no data for 15s); retrying in 1s',
    ],
    [
      'the server refuses',
      new TransportError('ECONNREFUSED', SERVER, 'connection refused'),
      new TransportError('ECONNREFUSED', SERVER, 'connection refused'),
      '! web-7d9 › app: connection refused; retrying in 1s',
    ],
    [
      'the server answers with an error',
      new ApiError(500, 'InternalError', 'etcdserver: request timed out'),
      new ApiError(500, 'InternalError', 'etcdserver: request timed out'),
      '! web-7d9 › app: etcdserver: request timed out; retrying in 1s',
    ],
  ])('%s', async (_name, open, check, notice) => {
    expect(await firstRetry(open, check)).toBe(notice);
  });
});
