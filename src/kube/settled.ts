/**
 * How a response body ended, listened for from the moment the body exists. A body that is reset
 * while its reader awaits something else (the instance check, a credential) emits 'close' once,
 * with nobody listening if listeners come later: the reader would then wait for ever. So every
 * reader of a body takes its end from here, attached at once, and a body already destroyed
 * counts as ended.
 */
import type { Readable } from 'node:stream';
import { TransportError } from './errors.js';

type BodyEnd = { readonly kind: 'ended' } | { readonly kind: 'broken'; readonly error: unknown };

export interface SettledBody {
  /** resolves once, with the first of 'end', 'error' or 'close' (or at once if already destroyed) */
  readonly done: Promise<BodyEnd>;
  /** bytes that arrived but were not read yet (they count as delivered by the server) */
  readonly unread: () => number;
}

/** a body that closed without its end and without an error of its own */
const closedEarly = (): TransportError => new TransportError('ECLOSED', '', 'stream closed before its end');

export function settle(body: Readable): SettledBody {
  let unreadAtEnd: number | undefined;
  const unread = (): number => unreadAtEnd ?? body.readableLength;
  const done = new Promise<BodyEnd>((resolve) => {
    let settled = false;
    const finish = (end: BodyEnd): void => {
      if (settled) return;
      settled = true;
      // a destroyed body may drop its buffer: remember what had arrived
      unreadAtEnd = body.readableLength;
      resolve(end);
    };
    if (body.readableEnded) return finish({ kind: 'ended' });
    if (body.destroyed) return finish({ kind: 'broken', error: body.errored ?? closedEarly() });
    body.once('end', () => finish({ kind: 'ended' }));
    body.on('error', (error) => finish({ kind: 'broken', error }));
    body.once('close', () => {
      // 'end' comes before 'close' on a clean end; a close without it is a break
      finish(body.readableEnded ? { kind: 'ended' } : { kind: 'broken', error: body.errored ?? closedEarly() });
    });
  });
  return { done, unread };
}

/** Reads a whole body (an error Status, a JSON object); rejects on a break. */
export async function readBody(body: Readable): Promise<Buffer> {
  const { done } = settle(body);
  const parts: Buffer[] = [];
  body.on('data', (c: Buffer) => parts.push(c));
  const end = await done;
  if (end.kind === 'broken') throw end.error;
  return Buffer.concat(parts);
}
