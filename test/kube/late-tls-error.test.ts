/**
 * Under TLS 1.3 a server that refuses our client certificate says so after our side of the
 * handshake is done: the ALPN probe has resolved and the socket belongs to the HTTP/2 session
 * when the alert is read. The socket then reported the error and the session was destroyed with
 * neither 'error' nor 'close': the request stayed pending until the event loop emptied (exit 13,
 * nothing said). Node's TLS servers hang up without an alert, so the server here is OpenSSL's
 * own s_server, verifying client certificates as an mTLS front does; without the openssl
 * command these tests are skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../src/kube/api.js';
import { dialTls, lateError } from '../../src/kube/dial.js';
import { startError, TransportError } from '../../src/kube/errors.js';
import type { ContextCredentials, ContextInfo } from '../../src/kube/kubeconfig.js';
import { Transport } from '../../src/kube/transport.js';
import {
  caCert,
  clientCaCert,
  clientCert,
  clientKey,
  expiredClientCert,
  serverCert,
  serverKey,
  untrustedClientCert,
  untrustedClientKey,
} from '../../src/sim/certs.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ktail-late-tls-'));
let server: ChildProcess | undefined;
let port = 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  if (!haveOpenssl) return;
  for (const [name, pem] of Object.entries({ 'server.crt': serverCert, 'server.key': serverKey, 'client-ca.crt': clientCaCert })) {
    writeFileSync(join(dir, name), pem);
  }
  port = await freePort();
  const child = spawn('openssl', [
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-tls1_3',
    '-alpn',
    'h2',
    '-naccept',
    '100',
    '-cert',
    join(dir, 'server.crt'),
    '-key',
    join(dir, 'server.key'),
    '-CAfile',
    join(dir, 'client-ca.crt'),
    '-Verify',
    '1',
    '-verify_return_error',
  ]);
  server = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => (c.toString().includes('ACCEPT') ? resolve() : undefined));
    child.on('exit', (code) => reject(new Error(`openssl s_server exited (${code})`)));
  });
});
afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function context(creds: Partial<ContextCredentials>): ContextInfo {
  return {
    name: 'mtls',
    server: `https://127.0.0.1:${port}`,
    namespace: 'default',
    user: 'jane',
    insecureSkipTlsVerify: false,
    resolveCredentials: () => Promise.resolve({ headers: {}, ca: Buffer.from(caCert), rejectUnauthorized: true, ...creds }),
  };
}

async function failure(creds: Partial<ContextCredentials>): Promise<{ err: unknown; ms: number }> {
  const transport = new Transport(context(creds));
  const t0 = Date.now();
  const err = await transport.json(api.pods('default')).then(
    () => undefined,
    (e: unknown) => e,
  );
  transport.close();
  return { err, ms: Date.now() - t0 };
}

describe.skipIf(!haveOpenssl)('a client certificate refused by the server after the TLS 1.3 handshake', () => {
  it.each([
    ['expired', expiredClientCert, clientKey, 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'it has expired'],
    ['from an unknown authority', untrustedClientCert, untrustedClientKey, 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'does not trust'],
    ['missing', undefined, undefined, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'requires a client certificate'],
  ])('%s: the request fails at once, saying why', async (_what, cert, key, code, words) => {
    const { err, ms } = await failure(cert ? { cert: Buffer.from(cert), key: Buffer.from(key) } : {});
    expect(err).toBeInstanceOf(TransportError);
    // OpenSSL 3.5 (Node 26) spells the SSLv3 alerts SSL/TLS_ALERT_…
    expect([code, code.replace('SSLV3_ALERT', 'SSL/TLS_ALERT')]).toContain((err as TransportError).code);
    // the handshake deadline is 10 s: the error must not wait for it
    expect(ms).toBeLessThan(5000);
    const message = startError(err, context({}), 'default').message;
    expect(message).toContain(words);
    expect(message).toMatch(/check the client certificate of user "jane"$/);
  });

  it('a valid certificate is kept: the server above is not refusing everyone', async () => {
    const url = new URL(`https://127.0.0.1:${port}`);
    const creds = {
      headers: {},
      ca: Buffer.from(caCert),
      rejectUnauthorized: true,
      cert: Buffer.from(clientCert),
      key: Buffer.from(clientKey),
    };
    const socket = await dialTls({ url, creds, alpn: ['h2'], proxy: undefined });
    socket.resume();
    await new Promise((r) => setTimeout(r, 500));
    expect(socket.destroyed).toBe(false);
    expect(lateError(socket)).toBeUndefined();
    socket.destroy();
  });
});
