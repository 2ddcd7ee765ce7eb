/** HTTP/2 GOAWAY and refused streams, as the connector meets them from kube-apiserver. */
import http2 from 'node:http2';
import { afterEach, expect, it } from 'vitest';
import { readBody } from '../../src/kube/settled.js';
import { closeH2Servers, h2Server as server } from '../helpers/h2-server.js';

afterEach(closeH2Servers);

it('a stream refused unprocessed (REFUSED_STREAM, as after a GOAWAY) is sent again, on another connection', async () => {
  const { connector, sessions, notes } = await server((stream, n) => {
    if (n === 0) {
      // the server's GOAWAY went out before this stream reached it
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, 0);
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    stream.respond({ ':status': 200 });
    stream.end('ok');
  });
  const res = await connector.request({ path: '/api/v1/pods', headers: {} });
  expect(res.status).toBe(200);
  expect((await readBody(res.body)).toString()).toBe('ok');
  expect(sessions()).toBe(2);
  expect(notes.some((n) => /refused a stream after GOAWAY; sending it again on another connection$/.test(n))).toBe(true);
});

it('after a GOAWAY the open stream reads on to its end and the next request goes on a new connection', async () => {
  let first: http2.ServerHttp2Stream | undefined;
  const { connector, sessions, notes } = await server((stream, n) => {
    stream.respond({ ':status': 200 });
    if (n === 0) {
      first = stream;
      stream.write('before\n');
      stream.session?.close(); // GOAWAY (NO_ERROR), the session ends after this stream
      return;
    }
    stream.end('second');
  });
  const res = await connector.request({ path: '/a', headers: {} });
  const body = readBody(res.body);
  await new Promise((r) => setTimeout(r, 100));
  const second = await connector.request({ path: '/b', headers: {} });
  expect((await readBody(second.body)).toString()).toBe('second');
  first!.end('after\n');
  expect((await body).toString()).toBe('before\nafter\n');
  expect(sessions()).toBe(2);
  expect(notes.some((n) => /sent GOAWAY \(code 0\); new requests go on a new connection$/.test(n))).toBe(true);
});
