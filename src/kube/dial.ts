/**
 * A TLS connection to the API server, straight or through a proxy's tunnel, with a deadline on
 * the handshake. One place for both protocols: the ALPN probe, every HTTP/2 connection and
 * every HTTP/1.1 socket are dialled here.
 */
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { TLS_HANDSHAKE_TIMEOUT_MS } from './connector.js';
import { describeNetworkError, handshakeTimeout, networkError, TransportError } from './errors.js';
import type { ContextCredentials } from './kubeconfig.js';
import type { ProxyConfig } from './proxy.js';
import { openTunnel } from './tunnel.js';

export interface DialOptions {
  readonly url: URL;
  readonly creds: ContextCredentials;
  readonly alpn: readonly string[];
  readonly proxy: ProxyConfig | undefined;
}

/** `[::1]` → `::1` */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

export function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'http:' ? 80 : 443));
}

export async function dialTls({ url, creds, alpn, proxy }: DialOptions): Promise<TLSSocket> {
  const host = hostOf(url);
  const port = portOf(url);
  const tunnel = proxy ? await openTunnel(proxy, host, port) : undefined;
  return new Promise<TLSSocket>((resolve, reject) => {
    const socket = tlsConnect({
      ...(tunnel ? { socket: tunnel } : { host, port }),
      ALPNProtocols: [...alpn],
      servername: creds.servername ?? (isIP(host) ? undefined : host),
      ...(creds.ca ? { ca: creds.ca } : {}),
      ...(creds.cert ? { cert: creds.cert } : {}),
      ...(creds.key ? { key: creds.key } : {}),
      rejectUnauthorized: creds.rejectUnauthorized,
    });
    // kubectl (client-go) gives a TLS handshake 10 s; an endpoint that accepts TCP and never
    // answers would otherwise hold the start for ever
    const timer = setTimeout(() => socket.destroy(handshakeTimeout(url.origin)), TLS_HANDSHAKE_TIMEOUT_MS);
    const onError = (err: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      tunnel?.destroy();
      reject(networkError(err, url.origin));
    };
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Under TLS 1.3 a server that refuses our client certificate says so after the handshake;
      // the error is kept for whoever takes the socket next (it finds the socket destroyed).
      socket.on('error', (err: NodeJS.ErrnoException) => lateErrors.set(socket, networkError(err, url.origin)));
      // One whose TLS stack sends no alert just hangs up: with a certificate presented, that is
      // the likely reason, and saying "connection reset" would hide it.
      if (creds.cert) presentedCert.set(socket, url.origin);
      resolve(socket);
    });
  });
}

const lateErrors = new WeakMap<Socket, Error>();
/** sockets that presented a client certificate, and their server */
const presentedCert = new WeakMap<Socket, string>();

/**
 * Why a dialled socket died after its handshake, before the server said anything, if it is
 * known: the TLS alert read then (a refused client certificate), or, when we presented a
 * certificate, the likely reason for a hang-up (`reset`: the server reset the connection).
 */
export function lateError(socket: Socket, reset = false): Error | undefined {
  const origin = presentedCert.get(socket);
  const recorded = lateErrors.get(socket);
  const hungUp = reset || (recorded instanceof TransportError && (recorded.code === 'ECONNRESET' || recorded.code === 'EPIPE'));
  if (origin !== undefined && (hungUp || (recorded === undefined && socket.destroyed))) {
    const code = 'ECLOSED_AFTER_HANDSHAKE';
    return new TransportError(code, origin, describeNetworkError({ name: 'Error', message: '', code }));
  }
  return recorded;
}
