// Real HTTP clients for the simulated cluster's tests: HTTP/1.1 over node:https and HTTP/2
// over node:http2, both verifying the sim's CA. Every reader is finite: tests close them.
import http2 from 'node:http2';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { caCert, type SimCluster } from '../../src/sim/index.js';

export interface OpenOptions {
  /** HTTP/2 instead of HTTP/1.1 */
  h2?: boolean;
  /** the bearer token; null sends none (default: the sim's token) */
  token?: string | null;
  headers?: Record<string, string>;
  /** a client certificate and key (PEM) */
  clientCert?: { cert: string; key: string };
}

type Ending = 'end' | 'error';

/** A response being read: its status, everything received so far, and how it ended. */
export interface Reader {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** every byte received so far */
  buffer(): Buffer;
  /** the size of each piece received, in order (what one read of the response gave) */
  pieces(): number[];
  text(): string;
  /** complete lines received so far (the trailing partial line excluded) */
  lines(): string[];
  /** resolves when the response ends: 'end' (clean) or 'error' (reset, aborted) */
  ended: Promise<Ending>;
  isEnded(): boolean;
  waitFor(pred: (text: string) => boolean, timeoutMs?: number): Promise<void>;
  waitForLines(n: number, timeoutMs?: number): Promise<string[]>;
  json(): any;
  close(): void;
}

function makeReader(): {
  reader: Omit<Reader, 'status' | 'headers' | 'close'>;
  push: (b: Buffer) => void;
  finish: (how: Ending) => void;
} {
  const chunks: Buffer[] = [];
  const sizes: number[] = [];
  let size = 0;
  let cache: Buffer | undefined;
  let done = false;
  let resolveEnd!: (e: Ending) => void;
  const ended = new Promise<Ending>((r) => (resolveEnd = r));
  const waiters = new Set<() => void>();
  let newlines = 0;
  const buffer = () => (cache ??= Buffer.concat(chunks, size));
  const text = () => buffer().toString('utf8');
  const wake = () => {
    for (const w of waiters) w();
  };
  const reader = {
    buffer,
    pieces: () => [...sizes],
    text,
    lines: () => {
      const t = text();
      const cut = t.lastIndexOf('\n');
      return cut < 0 ? [] : t.slice(0, cut).split('\n');
    },
    ended,
    isEnded: () => done,
    waitFor(pred: (text: string) => boolean, timeoutMs = 10_000): Promise<void> {
      return waitUntil(() => pred(text()), timeoutMs);
    },
    async waitForLines(n: number, timeoutMs = 10_000): Promise<string[]> {
      await waitUntil(() => newlines >= n, timeoutMs);
      return reader.lines();
    },
    json: () => JSON.parse(text()),
  };
  function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cond()) {
          cleanup();
          resolve();
        } else if (done) {
          cleanup();
          reject(new Error(`stream ended before condition; got ${JSON.stringify(text().slice(-300))}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timeout waiting; got ${JSON.stringify(text().slice(-300))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }
  return {
    reader,
    push: (b) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) newlines++;
      chunks.push(b);
      sizes.push(b.length);
      size += b.length;
      cache = undefined;
      wake();
    },
    finish: (how) => {
      if (done) return;
      done = true;
      resolveEnd(how);
      wake();
    },
  };
}

function authHeaders(sim: SimCluster, o: OpenOptions): Record<string, string> {
  const token = o.token === undefined ? sim.token : o.token;
  return { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...o.headers };
}

/** Send a GET and resolve once the response headers are in. */
export function open(sim: SimCluster, path: string, o: OpenOptions = {}): Promise<Reader> {
  return o.h2 ? openH2(sim, path, o) : openH1(sim, path, o);
}

function openH1(sim: SimCluster, path: string, o: OpenOptions): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${sim.url}${path}`,
      { ca: caCert, ...o.clientCert, headers: authHeaders(sim, o), agent: false },
      (res: IncomingMessage) => {
        const { reader, push, finish } = makeReader();
        res.on('data', push);
        res.on('end', () => finish('end'));
        res.on('error', () => finish('error'));
        res.on('close', () => finish(res.complete ? 'end' : 'error'));
        resolve({ ...reader, status: res.statusCode ?? 0, headers: res.headers, close: () => res.destroy() });
      },
    );
    req.on('error', reject);
  });
}

function openH2(sim: SimCluster, path: string, o: OpenOptions): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(sim.url, { ca: caCert, ...o.clientCert });
    session.on('error', () => {});
    const stream = session.request({ ':path': path, ...authHeaders(sim, o) });
    const { reader, push, finish } = makeReader();
    let gotResponse = false;
    stream.on('response', (headers) => {
      gotResponse = true;
      resolve({
        ...reader,
        status: Number(headers[':status']),
        headers,
        close: () => {
          stream.close();
          session.close();
        },
      });
    });
    stream.on('data', push);
    stream.on('error', (err: Error) => {
      finish('error');
      if (!gotResponse) reject(err);
    });
    stream.on('close', () => {
      finish(stream.rstCode === http2.constants.NGHTTP2_NO_ERROR ? 'end' : 'error');
      session.close();
      if (!gotResponse) reject(new Error('stream closed before response'));
    });
    stream.end();
  });
}

/** GET to completion. */
export async function get(
  sim: SimCluster,
  path: string,
  o: OpenOptions = {},
): Promise<{ status: number; headers: Reader['headers']; text: string; json: any }> {
  const r = await open(sim, path, o);
  await r.ended;
  const text = r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

/** Parse newline-delimited watch events received so far. */
export function events(r: Reader): { type: string; object: any }[] {
  return r.lines().map((l) => JSON.parse(l));
}
