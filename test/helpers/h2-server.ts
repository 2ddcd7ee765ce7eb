/** A cleartext HTTP/2 server for the connector's tests: it counts its connections. */
import http2 from 'node:http2';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Http2Connector } from '../../src/kube/http2.js';

const cleanups: (() => void)[] = [];

/** A Dialer of plain TCP connections to a cleartext server (the connector speaks h2c over them). */
export function cleartextDialer(url: URL): () => Promise<Socket> {
  return () =>
    new Promise<Socket>((resolve, reject) => {
      const c = connect(Number(url.port), url.hostname, () => resolve(c));
      c.once('error', reject);
    });
}

/** Closes every server and connector made since the last call (an afterEach). */
export function closeH2Servers(): void {
  for (const c of cleanups.splice(0)) c();
}

/** A server whose streams `onStream` answers (n counts them from 0), and a connector to it. */
export async function h2Server(
  onStream: (stream: http2.ServerHttp2Stream, n: number, headers: http2.IncomingHttpHeaders) => void,
): Promise<{ connector: Http2Connector; sessions: () => number; notes: string[] }> {
  const sessions = new Set<http2.ServerHttp2Session>();
  let opened = 0;
  let streams = 0;
  const h2 = http2.createServer();
  h2.on('session', (s) => {
    opened++;
    sessions.add(s);
  });
  h2.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // a stream closed with REFUSED_STREAM errs on this side too
    onStream(stream, streams++, headers);
  });
  await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', () => resolve()));
  const url = new URL(`http://127.0.0.1:${(h2.address() as AddressInfo).port}`);
  const notes: string[] = [];
  const connector = new Http2Connector(url, cleartextDialer(url), undefined, undefined, (m) => notes.push(m));
  cleanups.push(() => {
    connector.close();
    for (const s of sessions) s.destroy();
    h2.close();
  });
  return { connector, sessions: () => opened, notes };
}
