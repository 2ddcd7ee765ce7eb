/**
 * Log streams and the requests that decide what to follow (lists, watches, pod GETs) go on
 * separate HTTP/2 connections, so that a watch event or a pod GET never waits behind log data.
 */
import { afterEach, expect, it } from 'vitest';
import { readBody } from '../../src/kube/settled.js';
import { closeH2Servers, h2Server } from '../helpers/h2-server.js';

afterEach(closeH2Servers);

it('log streams share one connection, the other requests another', async () => {
  const sessionOf = new Map<string, unknown>();
  const { connector, sessions } = await h2Server((stream, _n, headers) => {
    const path = String(headers[':path']);
    sessionOf.set(path, stream.session);
    stream.respond({ ':status': 200 });
    // a log stream pours and stays open; the others answer and end
    if (path.endsWith('/log')) stream.write(Buffer.alloc(64 * 1024, 0x61));
    else stream.end('{}');
  });
  const logs = await Promise.all(
    [0, 1, 2].map((i) => connector.request({ path: `/api/v1/namespaces/a/pods/p${i}/log`, headers: {}, lane: 'logs' })),
  );
  const watch = await connector.request({ path: '/api/v1/namespaces/a/pods?watch=true', headers: {} });
  const get = await connector.request({ path: '/api/v1/namespaces/a/pods/p0', headers: {}, lane: 'control' });
  expect((await readBody(watch.body)).toString()).toBe('{}');
  expect((await readBody(get.body)).toString()).toBe('{}');
  expect(logs.map((r) => r.status)).toEqual([200, 200, 200]);

  const logSession = sessionOf.get('/api/v1/namespaces/a/pods/p0/log');
  expect(sessionOf.get('/api/v1/namespaces/a/pods/p1/log')).toBe(logSession);
  expect(sessionOf.get('/api/v1/namespaces/a/pods/p2/log')).toBe(logSession);
  const controlSession = sessionOf.get('/api/v1/namespaces/a/pods?watch=true');
  expect(sessionOf.get('/api/v1/namespaces/a/pods/p0')).toBe(controlSession);
  expect(controlSession).not.toBe(logSession);
  expect(sessions()).toBe(2);
  for (const r of logs) r.body.destroy();
});
