/**
 * Every await on the network has a deadline: a TLS handshake that never ends, a request whose
 * response never comes, an HTTP/2 connection that freezes. Against real sockets on loopback.
 */
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionHealth } from '../../src/kube/health.js';
import type { ContextInfo } from '../../src/kube/kubeconfig.js';
import { readBody, settle } from '../../src/kube/settled.js';
import { api } from '../../src/kube/api.js';
import { TransportError } from '../../src/kube/errors.js';
import { Transport } from '../../src/kube/transport.js';
import { caCert, SimCluster, startTarpit, TcpProxy } from '../../src/sim/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function context(server: string, token: string): ContextInfo {
  return {
    name: 'sim',
    server,
    namespace: 'default',
    user: 'dev',
    insecureSkipTlsVerify: false,
    resolveCredentials: () =>
      Promise.resolve({ headers: { Authorization: `Bearer ${token}` }, ca: Buffer.from(caCert), rejectUnauthorized: true }),
  };
}

async function sim(http2 = true): Promise<SimCluster> {
  const s = await SimCluster.start({ http2 });
  cleanups.push(() => s.close());
  return s;
}

function transport(ctx: ContextInfo, responseTimeoutMs?: number): Transport {
  const t = new Transport(ctx, { protocol: 'auto', ...(responseTimeoutMs !== undefined ? { responseTimeoutMs } : {}) });
  cleanups.push(() => t.close());
  return t;
}

it('a TLS handshake that never ends: "TLS handshake timeout" after 10 s, as kubectl', async () => {
  const tarpit = await startTarpit();
  cleanups.push(() => tarpit.close());
  const started = Date.now();
  const err = await transport(context(`https://127.0.0.1:${tarpit.port}`, 'x'))
    .json(api.pods(undefined))
    .catch((e: unknown) => e);
  const took = Date.now() - started;
  expect(err).toBeInstanceOf(TransportError);
  expect((err as TransportError).message).toBe('TLS handshake timeout');
  expect(took).toBeGreaterThanOrEqual(9_500);
  expect(took).toBeLessThan(13_000);
}, 20_000);

describe.each([
  ['HTTP/2', true],
  ['HTTP/1.1', false],
])('a request whose response never comes (%s)', (_name, http2) => {
  it('fails after the response deadline, and the next request is answered', async () => {
    const s = await sim(http2);
    s.createPod({ name: 'web', containers: [{ name: 'app' }] });
    s.delayRequests(/\/pods\/web\/log/, Infinity);
    const t = transport(context(s.url, s.token), 500);
    const started = Date.now();
    const err = await t.open(api.podLog('default', 'web', { container: 'app', follow: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toBe('no response within 500ms');
    expect(Date.now() - started).toBeLessThan(3000);
    s.writeLines({ pod: 'web', container: 'app' }, ['hello']);
    const body = await t.open(api.podLog('default', 'web', { container: 'app' }));
    expect((await readBody(body)).toString()).toBe('hello\n');
  });
});

describe('a frozen HTTP/2 connection', () => {
  it('is found by PING and destroyed; its streams break, and new requests use a new connection', async () => {
    const s = await sim(true);
    s.createPod({ name: 'web', containers: [{ name: 'app' }] });
    const proxy = await TcpProxy.start(s.port);
    cleanups.push(() => proxy.close());
    process.env.KTAIL_H2_READ_IDLE_MS = '300';
    process.env.KTAIL_H2_PING_TIMEOUT_MS = '300';
    cleanups.push(() => {
      delete process.env.KTAIL_H2_READ_IDLE_MS;
      delete process.env.KTAIL_H2_PING_TIMEOUT_MS;
    });
    const t = transport(context(`https://127.0.0.1:${proxy.port}`, s.token));
    const stream: Readable = await t.open(api.podLog('default', 'web', { container: 'app', follow: true }));
    const end = settle(stream);
    stream.resume();
    proxy.freeze();
    const started = Date.now();
    const how = await end.done;
    expect(how.kind).toBe('broken');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(String((how as { error: unknown }).error)).toMatch(
      /connection to https:\/\/127\.0\.0\.1:\d+ stopped answering \(no data for \d+(ms|s)\)/,
    );
    s.writeLines({ pod: 'web', container: 'app' }, ['after']);
    const body = await t.open(api.podLog('default', 'web', { container: 'app' }));
    expect((await readBody(body)).toString()).toBe('after\n');
    expect(proxy.accepted).toBe(2);
  });

  it('a healthy quiet connection is pinged and kept', async () => {
    const s = await sim(true);
    s.createPod({ name: 'web', containers: [{ name: 'app' }] });
    process.env.KTAIL_H2_READ_IDLE_MS = '100';
    process.env.KTAIL_H2_PING_TIMEOUT_MS = '300';
    cleanups.push(() => {
      delete process.env.KTAIL_H2_READ_IDLE_MS;
      delete process.env.KTAIL_H2_PING_TIMEOUT_MS;
    });
    const pings = vitestSpyPing();
    const t = transport(context(s.url, s.token));
    const stream = await t.open(api.podLog('default', 'web', { container: 'app', follow: true }));
    let ended = false;
    void settle(stream).done.then(() => (ended = true));
    stream.resume();
    await new Promise((r) => setTimeout(r, 1000));
    expect(ended).toBe(false);
    expect(pings()).toBeGreaterThanOrEqual(3);
    s.writeLines({ pod: 'web', container: 'app' }, ['still here']);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((r) => setTimeout(r, 200));
    expect(Buffer.concat(chunks).toString()).toBe('still here\n');
    expect(ended).toBe(false);
    stream.destroy();
  });
});

/** Counts the PINGs ConnectionHealth sends. */
function vitestSpyPing(): () => number {
  let count = 0;
  const proto = ConnectionHealth.prototype as unknown as { check: () => void };
  const original = proto.check;
  proto.check = function (this: unknown) {
    const session = (this as { session: { ping: (...a: unknown[]) => boolean } }).session;
    const ping = session.ping.bind(session);
    session.ping = (...a: unknown[]) => {
      count++;
      return ping(...a);
    };
    original.call(this);
    session.ping = ping;
  };
  cleanups.push(() => {
    proto.check = original;
  });
  return () => count;
}
