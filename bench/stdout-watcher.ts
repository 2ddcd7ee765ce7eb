/**
 * A worker thread that runs ktail and watches its stdout for probe lines, so that when a probe
 * line came is seen by a thread of its own: on the bench's main thread, which also runs the
 * simulated API server, serving thousands of pouring streams delayed that by up to 250 ms.
 * Messages out: { kind: 'pid', pid }, { kind: 'seen', text, at } (at: epoch ms, sub-ms
 * precision), { kind: 'exit', code }. Message in: 'stop' (SIGINT to ktail).
 */
import { spawn } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';

export interface WatcherData {
  readonly cmd: string;
  readonly args: readonly string[];
  /** what a probe line starts with */
  readonly marker: string;
}

export type WatcherMessage =
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'seen'; readonly text: string; readonly at: number }
  | { readonly kind: 'exit'; readonly code: number | null };

const port = parentPort!;
const { cmd, args, marker: markerText } = workerData as WatcherData;
const send = (m: WatcherMessage): void => port.postMessage(m);
const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'ignore'] });
if (child.pid !== undefined) send({ kind: 'pid', pid: child.pid });
// Only probe lines are looked for: the flood's lines are counted past without decoding them.
const marker = Buffer.from(markerText);
let carry: Buffer = Buffer.alloc(0);
child.stdout.on('data', (c: Buffer) => {
  const at = performance.timeOrigin + performance.now();
  const buf = carry.length > 0 ? Buffer.concat([carry, c]) : c;
  let start = buf.indexOf(marker);
  while (start !== -1) {
    const end = buf.indexOf(10, start);
    if (end === -1) break;
    send({ kind: 'seen', text: buf.toString('latin1', start, end), at });
    start = buf.indexOf(marker, end);
  }
  carry = Buffer.from(buf.subarray(buf.lastIndexOf(10) + 1));
});
child.on('close', (code) => {
  send({ kind: 'exit', code });
  port.close();
});
port.on('message', (m) => {
  if (m === 'stop') child.kill('SIGINT');
});
