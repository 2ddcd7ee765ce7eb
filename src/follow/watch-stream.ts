/**
 * The body of a watch (pods or Events): one JSON object per line, each handed to `apply` in
 * order. Resolves on the body's end; rejects with the first error `apply` threw (the body is
 * destroyed then), the stream's error, or a close without an end.
 */
import type { Readable } from 'node:stream';
import { TransportError } from '../kube/errors.js';
import { LineSplitter } from './lines.js';

export function readWatchStream(res: Readable, server: string, apply: (line: never) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    const splitter = new LineSplitter((buf, start, end) => {
      if (failure || end === start) return;
      try {
        // each watch reads its own object shape (WatchEvent, an Event's line)
        apply(JSON.parse(buf.toString('utf8', start, end)) as never);
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        res.destroy();
      }
    });
    res.on('data', (chunk: Buffer) => splitter.push(chunk));
    let ended = false;
    res.on('end', () => {
      ended = true;
      if (failure) reject(failure);
      else resolve();
    });
    res.on('error', (err) => reject(failure ?? err));
    res.on('close', () => {
      if (!ended) reject(failure ?? new TransportError('ECLOSED', server, 'watch stream broken'));
    });
  });
}
