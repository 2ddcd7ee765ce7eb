// Small helpers over Node's HTTP/1.1 and HTTP/2-compat request/response objects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2c, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { gzipSync } from 'node:zlib';
import type { StatusError } from './status.js';

export type Req = IncomingMessage | Http2ServerRequest;
export type Res = ServerResponse | Http2ServerResponse;

function isH2(res: Res): res is Http2ServerResponse {
  return (res as Partial<Http2ServerResponse>).stream !== undefined;
}

/** res.write for either kind of response (the union's overloads are not callable). */
export function write(res: Res, chunk: Buffer | string, cb?: () => void): boolean {
  return (res as ServerResponse).write(chunk, cb);
}

/** kube-apiserver gzips an answer this large or larger when the client accepts gzip (APIResponseCompression) */
const GZIP_THRESHOLD = 128 * 1024;

export function sendJson(res: Res, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  const accepts = /\bgzip\b/.test(res.req.headers['accept-encoding'] ?? '');
  if (accepts && text.length >= GZIP_THRESHOLD) {
    const gz = gzipSync(text);
    res.writeHead(code, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': gz.length,
      'cache-control': 'no-cache, private',
    });
    res.end(gz);
    return;
  }
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatus(res: Res, err: StatusError): void {
  sendJson(res, err.code, err.body);
}

/** Send 200 headers at once for a streaming response (watch, follow). */
export function startStream(res: Res, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache, private' });
  if (!isH2(res)) res.flushHeaders();
  // writes after the peer went away must not throw
  res.on('error', () => {});
}

/**
 * Break a response abruptly. HTTP/1.1: destroy the socket. HTTP/2: reset the stream with
 * INTERNAL_ERROR, or destroy the whole connection when `connection` is set.
 */
export function cutResponse(res: Res, connection = false): void {
  if (isH2(res)) {
    const stream = res.stream;
    if (connection) {
      stream.session?.destroy();
    } else if (!stream.destroyed) {
      stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
    }
  } else {
    res.socket?.destroy();
  }
}

/** Write `chunk`, then cut once it has been handed to the transport. */
export function writeThenCut(res: Res, chunk: Buffer, connection = false): void {
  if (chunk.length === 0) {
    cutResponse(res, connection);
    return;
  }
  write(res, chunk, () => {
    // give the transport a moment to put the bytes on the wire before the reset
    setTimeout(() => cutResponse(res, connection), 5);
  });
}

/** Go's strconv.ParseBool, as the API server parses boolean query parameters. */
export function parseBool(v: string | null): boolean | undefined | Error {
  if (v === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(v)) return false;
  return new Error(`strconv.ParseBool: parsing "${v}": invalid syntax`);
}
