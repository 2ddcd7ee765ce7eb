// Test proxies in front of the simulated API server: an HTTP CONNECT proxy (optionally asking
// for Basic credentials) and a SOCKS5 proxy (optionally with user/password). Whatever host a
// client asks for, the tunnel goes to 127.0.0.1 at the asked port: the tests name the API
// server by a name nobody resolves (kube.sim.test), so a connection that skipped the proxy
// fails, and nothing ever leaves loopback. Each counts the tunnels it opened.
import net from 'node:net';

export interface ProxyAuth {
  user: string;
  password: string;
}

export interface TestProxy {
  readonly port: number;
  /** tunnels opened, and the hosts they were asked for */
  readonly tunnels: { host: string; port: number }[];
  /** requests refused for missing or wrong credentials */
  refused: number;
  close(): Promise<void>;
}

export function startHttpProxy(auth?: ProxyAuth): Promise<TestProxy> {
  return serve((client, proxy) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.off('data', onData);
      const lines = head.toString('latin1', 0, end).split('\r\n');
      const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
      if (!m) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        return;
      }
      const given = lines
        .find((l) => l.toLowerCase().startsWith('proxy-authorization:'))
        ?.slice(20)
        .trim();
      const wanted = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` : undefined;
      if (wanted !== undefined && given !== wanted) {
        proxy.refused++;
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="sim"\r\n\r\n');
        return;
      }
      const host = m[1]!.replace(/^\[|\]$/g, '');
      const port = Number(m[2]);
      tunnel(client, host, port, proxy, head.subarray(end + 4), () => client.write('HTTP/1.1 200 Connection established\r\n\r\n'));
    };
    client.on('data', onData);
  });
}

export function startSocksProxy(auth?: ProxyAuth): Promise<TestProxy> {
  return serve((client, proxy) => {
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
          const methods = [...buf.subarray(2, 2 + buf[1]!)];
          buf = buf.subarray(2 + buf[1]!);
          const method = auth ? 0x02 : 0x00;
          if (!methods.includes(method)) {
            proxy.refused++;
            client.end(Buffer.from([0x05, 0xff]));
            return;
          }
          client.write(Buffer.from([0x05, method]));
          stage = auth ? 'auth' : 'request';
        } else if (stage === 'auth') {
          // RFC 1929: VER ULEN UNAME PLEN PASSWD
          if (buf.length < 2) return;
          const ulen = buf[1]!;
          if (buf.length < 3 + ulen || buf.length < 3 + ulen + buf[2 + ulen]!) return;
          const user = buf.toString('utf8', 2, 2 + ulen);
          const plen = buf[2 + ulen]!;
          const password = buf.toString('utf8', 3 + ulen, 3 + ulen + plen);
          buf = buf.subarray(3 + ulen + plen);
          if (user !== auth!.user || password !== auth!.password) {
            proxy.refused++;
            client.end(Buffer.from([0x01, 0x01]));
            return;
          }
          client.write(Buffer.from([0x01, 0x00]));
          stage = 'request';
        } else {
          // VER CMD RSV ATYP DST.ADDR DST.PORT
          if (buf.length < 5) return;
          const atyp = buf[3]!;
          const addrLen = atyp === 0x01 ? 4 : atyp === 0x04 ? 16 : 1 + buf[4]!;
          if (buf.length < 4 + addrLen + 2) return;
          const host =
            atyp === 0x03
              ? buf.toString('utf8', 5, 5 + buf[4]!)
              : atyp === 0x01
                ? [...buf.subarray(4, 8)].join('.')
                : (buf.subarray(4, 20).toString('hex').match(/.{4}/g) ?? []).join(':');
          const port = buf.readUInt16BE(4 + addrLen);
          const rest = buf.subarray(4 + addrLen + 2);
          client.off('data', onData);
          tunnel(client, host, port, proxy, rest, () => client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0])));
          return;
        }
      }
    };
    client.on('data', onData);
  });
}

/** Always to 127.0.0.1: the asked host is only recorded. */
function tunnel(client: net.Socket, host: string, port: number, proxy: TestProxy, early: Buffer, accepted: () => void): void {
  const upstream = net.connect(port, '127.0.0.1', () => {
    proxy.tunnels.push({ host, port });
    accepted();
    if (early.length > 0) upstream.write(early);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const drop = (): void => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on('error', drop).on('close', drop);
  client.on('error', drop).on('close', drop);
}

async function serve(handle: (client: net.Socket, proxy: TestProxy) => void): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const made: { proxy?: TestProxy } = {};
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client)).on('error', () => undefined);
    handle(client, made.proxy!);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : 0);
    });
  });
  made.proxy = {
    port,
    tunnels: [],
    refused: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return made.proxy;
}
