/**
 * A TCP tunnel to host:port through a proxy: HTTP CONNECT (to an http:// or https:// proxy,
 * with Basic credentials from the proxy URL) or SOCKS5 (with the `socks` package, which speaks
 * the protocol's handshakes and authentication; ours would be a second copy of it). The TLS to
 * the API server then runs inside the tunnel, so HTTP/2 works through it as well.
 */
import net from 'node:net';
import tls from 'node:tls';
import { TransportError } from './errors.js';
import type { ProxyConfig } from './proxy.js';

/** Reaching the proxy and getting the tunnel must be done by then. */
const TUNNEL_TIMEOUT_MS = 30_000;

export async function openTunnel(proxy: ProxyConfig, host: string, port: number): Promise<net.Socket> {
  const where = `${proxy.kind}://${proxy.host}:${proxy.port}`;
  try {
    return proxy.kind === 'socks5' ? await socksTunnel(proxy, host, port) : await connectTunnel(proxy, host, port, where);
  } catch (err) {
    if (err instanceof TransportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : err instanceof Error ? err.message : String(err);
    throw new TransportError(code ?? 'EPROXY', where, `proxy ${where}: ${why}`, { cause: err });
  }
}

async function socksTunnel(proxy: ProxyConfig, host: string, port: number): Promise<net.Socket> {
  // loaded here, not at start-up: 24 files that only a SOCKS proxy needs
  const { SocksClient } = await import('socks');
  const { socket } = await SocksClient.createConnection({
    proxy: {
      host: proxy.host,
      port: proxy.port,
      type: 5,
      ...(proxy.auth ? { userId: proxy.auth.user, password: proxy.auth.password } : {}),
    },
    command: 'connect',
    destination: { host, port },
    timeout: TUNNEL_TIMEOUT_MS,
  });
  return socket;
}

function connectTunnel(proxy: ProxyConfig, host: string, port: number, where: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket =
      proxy.kind === 'https'
        ? tls.connect({ host: proxy.host, port: proxy.port, servername: net.isIP(proxy.host) ? undefined : proxy.host })
        : net.connect(proxy.port, proxy.host);
    const target = net.isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new TransportError('ETIMEDOUT', where, `proxy ${where} did not open a tunnel within ${TUNNEL_TIMEOUT_MS / 1000}s`)),
      TUNNEL_TIMEOUT_MS,
    );
    socket.once('error', fail);
    socket.once(proxy.kind === 'https' ? 'secureConnect' : 'connect', () => {
      const auth = proxy.auth
        ? `Proxy-Authorization: Basic ${Buffer.from(`${proxy.auth.user}:${proxy.auth.password}`).toString('base64')}\r\n`
        : '';
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 16 * 1024) fail(new TransportError('EPROXY', where, `proxy ${where} sent an overlong answer to CONNECT`));
        return;
      }
      socket.off('data', onData);
      socket.pause();
      const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head.toString('latin1', 0, end));
      if (status?.[1] !== '200') {
        const what = status ? `${status[1]}${status[2] ?? ''}`.trim() : 'an answer that is not HTTP';
        fail(new TransportError('EPROXY', where, `proxy ${where} refused the tunnel to ${target}: ${what}`));
        return;
      }
      clearTimeout(timer);
      socket.off('error', fail);
      // bytes after the answer already belong to the tunnel
      if (end + 4 < head.length) socket.unshift(head.subarray(end + 4));
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
