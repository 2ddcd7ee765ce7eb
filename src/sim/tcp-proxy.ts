// A loopback TCP forwarder in front of the simulated API server that can freeze its
// connections: bytes stop flowing both ways while the sockets stay open, as behind a stuck load
// balancer or a half-open NAT. Also a TLS tarpit: a port that accepts TCP and never answers.
import net from 'node:net';

export class TcpProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  /** connections accepted */
  accepted = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (a free port) and forwards each connection to 127.0.0.1:targetPort. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const made: { proxy?: TcpProxy } = {};
    const server = net.createServer((client) => made.proxy?.accept(client, targetPort));
    made.proxy = new TcpProxy(server, await listen(server));
    return made.proxy;
  }

  private accept(client: net.Socket, targetPort: number): void {
    this.accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** The connections open now stop carrying bytes either way (new ones work, as after a NAT entry went stale). */
  freeze(): void {
    for (const p of this.pairs) freeze(p);
  }

  /** Connections open now (frozen ones included). */
  get open(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function freeze(p: { client: net.Socket; upstream: net.Socket }): void {
  p.client.unpipe(p.upstream);
  p.upstream.unpipe(p.client);
  p.client.pause();
  p.upstream.pause();
}

/** A port that accepts TCP connections and never says a word (a TLS handshake that never ends). */
export async function startTarpit(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined).on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr !== null ? addr.port : 0);
    });
  });
}
