/** HTTP/1.1 requests over a keep-alive agent: one socket per open stream. */
import http from 'node:http';
import https from 'node:https';
import type { ContextCredentials } from './kubeconfig.js';
import type { Socket } from 'node:net';
import type { Connector, Dialer, RawResponse, RequestSpec } from './connector.js';
import { RESPONSE_HEADERS_TIMEOUT_MS } from './connector.js';
import { lateError } from './dial.js';
import { IdleTimeoutError, networkError, noResponse } from './errors.js';

export class Http1Connector implements Connector {
  private readonly agent: http.Agent;

  constructor(
    private readonly url: URL,
    creds: ContextCredentials,
    /** every socket from here (the handshake deadline, a proxy's tunnel); else Node's own */
    dial?: Dialer,
  ) {
    const common = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 16, scheduling: 'lifo' as const };
    this.agent =
      url.protocol === 'http:'
        ? new http.Agent(common)
        : new https.Agent({
            ...common,
            ...(creds.ca ? { ca: creds.ca } : {}),
            ...(creds.cert ? { cert: creds.cert } : {}),
            ...(creds.key ? { key: creds.key } : {}),
            ...(creds.servername ? { servername: creds.servername } : {}),
            rejectUnauthorized: creds.rejectUnauthorized,
          });
    if (dial) {
      // the callback form of createConnection: Node's agent waits for the socket
      this.agent.createConnection = (_options, cb): undefined => {
        dial().then(
          (socket) => cb?.(null, socket),
          (err: unknown) => cb?.(err as Error, undefined as unknown as Socket),
        );
        return undefined;
      };
    }
  }

  request(spec: RequestSpec): Promise<RawResponse> {
    const lib = this.url.protocol === 'http:' ? http : https;
    const server = this.url.origin;
    return new Promise((resolve, reject) => {
      const req = lib.request({
        protocol: this.url.protocol,
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port,
        path: spec.path,
        method: 'GET',
        headers: Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]])),
        agent: this.agent,
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
      let response: http.IncomingMessage | undefined;
      if (spec.idleTimeoutMs !== undefined) {
        const ms = spec.idleTimeoutMs;
        req.setTimeout(ms, () => {
          // the body, if there is one, breaks with the same error (else its reader sees 'aborted')
          const err = new IdleTimeoutError(server, ms);
          response?.destroy(err);
          req.destroy(err);
        });
      }
      // the handshake and the server's answer are bounded; the body (a log stream) is not
      const answerMs = spec.responseTimeoutMs ?? RESPONSE_HEADERS_TIMEOUT_MS;
      const noAnswer = answerMs > 0 ? setTimeout(() => req.destroy(noResponse(server, answerMs)), answerMs) : undefined;
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(noAnswer);
        // a new connection reset before any answer, with a client certificate presented: the
        // server most likely refused the certificate (dial.ts); a kept-alive one is just reset
        const reset = response === undefined && !req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        reject((reset && req.socket ? lateError(req.socket, true) : undefined) ?? networkError(err, server));
      });
      req.on('response', (res) => {
        clearTimeout(noAnswer);
        response = res;
        resolve({
          status: res.statusCode ?? 0,
          body: res,
          retryAfter: res.headers['retry-after'],
          contentEncoding: res.headers['content-encoding'],
        });
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
