import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterError, KtailError, UsageError } from '../../src/common/errors.js';
import type { Connector } from '../../src/kube/connector.js';
import {
  ApiError,
  clientCertAlert,
  describeNetworkError,
  errorText,
  GoneError,
  IdleTimeoutError,
  isApiError,
  isGone,
  isIdleTimeout,
  isTlsError,
  networkError,
  notJson,
  statusError,
  TransportError,
} from '../../src/kube/errors.js';
import { Http1Connector } from '../../src/kube/http1.js';
import { Http2Connector } from '../../src/kube/http2.js';
import { readBody } from '../../src/kube/settled.js';
import { cleartextDialer } from '../helpers/h2-server.js';

const SERVER = 'https://127.0.0.1:6443';

describe('the hierarchy', () => {
  it.each<[string, KtailError, 1 | 2, (abstract new (...a: never[]) => KtailError)[]]>([
    ['UsageError', new UsageError('bad flag'), 2, [KtailError]],
    ['ClusterError', new ClusterError('no kubeconfig'), 1, [KtailError]],
    ['ApiError', new ApiError(403, 'Forbidden', 'forbidden'), 1, [ClusterError, KtailError]],
    ['GoneError', new GoneError('too old resource version'), 1, [ApiError, ClusterError, KtailError]],
    ['TransportError', new TransportError('ECONNREFUSED', SERVER, 'connection refused'), 1, [ClusterError, KtailError]],
    ['IdleTimeoutError', new IdleTimeoutError(SERVER, 45_000), 1, [TransportError, ClusterError, KtailError]],
  ])('%s: exit %i, its name, its parents', (name, err, exitCode, parents) => {
    expect(err.exitCode).toBe(exitCode);
    expect(err.name).toBe(name);
    for (const p of parents) expect(err).toBeInstanceOf(p);
  });

  it('keeps the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const err = networkError(cause, SERVER);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', server: SERVER, message: 'connection refused', cause });
  });

  it('an idle timeout says which server stopped answering, and for how long', () => {
    expect(new IdleTimeoutError(SERVER, 45_000)).toMatchObject({
      code: 'IDLE',
      server: SERVER,
      idleMs: 45_000,
      message: 'connection to https://127.0.0.1:6443 stopped answering (no data for 45s)',
    });
    expect(new IdleTimeoutError(SERVER, 400).message).toBe('connection to https://127.0.0.1:6443 stopped answering (no data for 400ms)');
  });
});

describe('type guards', () => {
  const idle = new IdleTimeoutError(SERVER, 1000);
  const refused = new TransportError('ECONNREFUSED', SERVER, 'connection refused');
  const tls = new TransportError('SELF_SIGNED_CERT_IN_CHAIN', SERVER, 'TLS: certificate signed by unknown authority');
  const notFound = new ApiError(404, 'NotFound', 'pods "x" not found');
  const gone = new GoneError('too old resource version: 1 (2)');
  // the old idle error of the HTTP/2 transport: a code, not a type
  const lookalike = Object.assign(new Error('no data for 1s'), { code: 'IDLE' });

  it.each<[string, (e: unknown) => boolean, unknown[], unknown[]]>([
    ['isIdleTimeout', isIdleTimeout, [idle], [refused, lookalike, notFound, undefined]],
    ['isGone', isGone, [gone], [notFound, idle, new ApiError(410, '', 'gone')]],
    ['isApiError', (e) => isApiError(e), [notFound, gone], [refused, idle, new Error('x')]],
    ['isApiError(404)', (e) => isApiError(e, 404), [notFound], [gone, refused]],
    ['isTlsError', isTlsError, [tls], [refused, idle, notFound]],
  ])('%s', (_name, guard, yes, no) => {
    for (const e of yes) expect(guard(e)).toBe(true);
    for (const e of no) expect(guard(e)).toBe(false);
  });
});

describe('errorText', () => {
  it.each<[string, unknown, string | undefined, string]>([
    ['a server message', new ApiError(500, 'InternalError', 'etcdserver: request timed out'), undefined, 'etcdserver: request timed out'],
    ['a transport error', new TransportError('ECONNRESET', SERVER, 'connection reset'), undefined, 'connection reset'],
    [
      'an idle timeout, in words',
      new IdleTimeoutError(SERVER, 45_000),
      undefined,
      'connection to https://127.0.0.1:6443 stopped answering (no data for 45s)',
    ],
    ['a usage error', new UsageError('invalid regex'), undefined, 'invalid regex'],
    ['a socket error that was not wrapped', Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), undefined, 'connection reset'],
    ['a library error: its first line', new Error('bad YAML\n  at line 3'), undefined, 'bad YAML'],
    ['not an Error', 'boom', undefined, 'boom'],
    [
      'with what was being done',
      new TransportError('ECONNREFUSED', SERVER, 'connection refused'),
      'watching pods in namespace "default"',
      'watching pods in namespace "default" failed: connection refused',
    ],
  ])('%s', (_name, err, doing, text) => {
    expect(errorText(err, doing)).toBe(text);
  });
});

describe('describeNetworkError: words, not codes', () => {
  it.each<[string | undefined, string, string]>([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'connection refused'],
    ['ECONNRESET', 'read ECONNRESET', 'connection reset'],
    ['EPIPE', 'write EPIPE', 'connection broken'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND x', 'host not found'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH', 'host unreachable'],
    ['ETIMEDOUT', 'connect ETIMEDOUT', 'timed out'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'TLS: certificate signed by unknown authority'],
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'TLS: the server certificate has expired'],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames",
      'TLS: the server certificate does not match the host',
    ],
    [
      'ERR_HTTP2_STREAM_ERROR',
      'Stream closed with error code NGHTTP2_REFUSED_STREAM',
      'Stream closed with error code NGHTTP2_REFUSED_STREAM',
    ],
    ['EWHATEVER', '', 'EWHATEVER'],
  ])('%s', (code, message, text) => {
    expect(describeNetworkError(Object.assign(new Error(message), { code }))).toBe(text);
  });
});

describe('statusError', () => {
  const forbidden = 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "payments"';
  it.each<[string, number, string, { status: number; reason: string; message: string }]>([
    [
      'a Status body keeps the server message and reason',
      403,
      JSON.stringify({ kind: 'Status', message: forbidden, reason: 'Forbidden', code: 403 }),
      {
        status: 403,
        reason: 'Forbidden',
        message: forbidden,
      },
    ],
    ['a Status without a reason', 422, '{"kind":"Status","message":"bad selector"}', { status: 422, reason: '', message: 'bad selector' }],
    [
      'a text body: its first line',
      502,
      'upstream connect error\nor disconnect/reset before headers\n',
      {
        status: 502,
        reason: '',
        message: 'upstream connect error',
      },
    ],
    [
      'an HTML page is described, not quoted',
      503,
      '  <html>\n<body>down</body></html>',
      {
        status: 503,
        reason: '',
        message:
          "Service Unavailable (the server answered with an HTML page, not a Kubernetes Status: is the kubeconfig's server pointing at a proxy's login page?)",
      },
    ],
    [
      "control bytes in the server's text are shown, not sent to the terminal",
      500,
      '{"kind":"Status","message":"boom \\u001b[2J\\u001b]0;pwned\\u0007 done"}',
      {
        status: 500,
        reason: '',
        message: 'boom \\x1b[2J\\x1b]0;pwned\\x07 done',
      },
    ],
    ['an empty body: the status text', 503, '', { status: 503, reason: '', message: 'Service Unavailable' }],
    ['a blank body: the status text', 404, ' \n ', { status: 404, reason: '', message: 'Not Found' }],
    ['an empty body with an unknown status', 599, '', { status: 599, reason: '', message: 'HTTP 599' }],
    [
      '410: a GoneError',
      410,
      '{"kind":"Status","message":"too old resource version: 1 (2)","reason":"Expired"}',
      {
        status: 410,
        reason: 'Expired',
        message: 'too old resource version: 1 (2)',
      },
    ],
  ])('%s', (_name, status, body, expected) => {
    const err = statusError(status, Buffer.from(body));
    expect(err).toBeInstanceOf(status === 410 ? GoneError : ApiError);
    expect({ status: err.status, reason: err.reason, message: err.message }).toEqual(expected);
  });
});

describe('Retry-After', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['seconds', '3', 3000],
    ['none', undefined, undefined],
    ['nonsense', 'soon', undefined],
    ['capped at 10 minutes', '86400', 600_000],
  ])('%s', (_name, header, ms) => {
    expect(statusError(429, Buffer.from('{"kind":"Status","message":"too many requests"}'), header).retryAfterMs).toBe(ms);
  });

  it('an HTTP date', () => {
    const ms = statusError(429, Buffer.from(''), new Date(Date.now() + 5000).toUTCString()).retryAfterMs!;
    expect(ms).toBeGreaterThan(3000);
    expect(ms).toBeLessThanOrEqual(5000);
  });
});

describe('notJson', () => {
  it.each([
    ['<!DOCTYPE html><html><body>Sign in</body></html>', 'an HTML page'],
    ['', 'nothing'],
    ['ok', 'something that is not JSON'],
  ])('%j', (body, what) => {
    expect(notJson('https://k:6443', Buffer.from(body)).message).toBe(
      `the server answered with ${what}, not Kubernetes JSON: is the kubeconfig's server pointing at a proxy's login page?`,
    );
  });
});

describe('one IdleTimeoutError from both protocols', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const creds = { headers: {}, rejectUnauthorized: true };

  /** A server that answers with headers (or not) and then says nothing. */
  async function silentServer(protocol: 'http1' | 'http2', sendHeaders: boolean): Promise<{ url: URL; connector: Connector }> {
    const onRequest = (_req: unknown, res: { writeHead(status: number): unknown; write(chunk: string): boolean }): void => {
      if (sendHeaders) {
        res.writeHead(200);
        res.write('first\n');
      }
    };
    const sessions = new Set<http2.ServerHttp2Session>();
    let server: http.Server | http2.Http2Server;
    if (protocol === 'http1') {
      const h1 = http.createServer(onRequest);
      cleanups.push(() => h1.closeAllConnections());
      server = h1;
    } else {
      const h2 = http2.createServer(onRequest);
      h2.on('session', (s) => sessions.add(s));
      server = h2;
    }
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const connector = protocol === 'http1' ? new Http1Connector(url, creds) : new Http2Connector(url, cleartextDialer(url), undefined);
    cleanups.push(() => {
      connector.close();
      for (const s of sessions) s.destroy();
      server.close();
    });
    return { url, connector };
  }

  it.each(['http1', 'http2'] as const)('%s: no answer at all', async (protocol) => {
    const { url, connector } = await silentServer(protocol, false);
    const err = await connector.request({ path: '/api/v1/pods', headers: {}, idleTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdleTimeoutError);
    expect(errorText(err)).toBe(`connection to ${url.origin} stopped answering (no data for 200ms)`);
  });

  it.each(['http1', 'http2'] as const)('%s: a body that stops', async (protocol) => {
    const { url, connector } = await silentServer(protocol, true);
    const res = await connector.request({ path: '/api/v1/pods', headers: {}, idleTimeoutMs: 200 });
    expect(res.status).toBe(200);
    const err = await readBody(res.body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdleTimeoutError);
    expect(errorText(err)).toBe(`connection to ${url.origin} stopped answering (no data for 200ms)`);
  });
});

describe('clientCertAlert', () => {
  it('reads the alert under both OpenSSL spellings (SSLV3_ALERT before 3.5, SSL/TLS_ALERT in Node 26)', () => {
    const words = 'TLS: the server refused the client certificate: it has expired';
    expect(clientCertAlert('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED')).toBe(words);
    expect(clientCertAlert('ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_EXPIRED')).toBe(words);
    expect(clientCertAlert('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toBe('TLS: the server requires a client certificate');
    expect(clientCertAlert('ECONNRESET')).toBeUndefined();
    expect(clientCertAlert(undefined)).toBeUndefined();
  });
});
