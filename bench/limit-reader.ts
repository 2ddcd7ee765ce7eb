/**
 * The limit: the simplest reader of the same bytes from the same server. It lists the pods and
 * opens one log stream per pod (timestamps on, as ktail asks), counts bytes and newlines, and
 * discards them. Over HTTP/2 it runs with the flow-control windows it is given, so the bench can
 * compare ktail with a reader under the same windows and with one under the best windows.
 * Run: node limit-reader.js SERVER TOKEN CA_FILE NAMESPACE SELECTOR http1|http2 [STREAM_WINDOW SESSION_WINDOW]
 * Prints one newline on stdout at the first log byte (the bench times from there) and, on
 * stderr, `limit-reader: BYTES bytes LINES lines`.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';

const [server, token, caFile, namespace, selector, protocol, streamWindowArg, sessionWindowArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string | undefined,
  string | undefined,
];
const streamWindow = Number(streamWindowArg ?? 64 * 1024);
const sessionWindow = Number(sessionWindowArg ?? 8 * 1024 * 1024);
const ca = readFileSync(caFile);
const auth = { authorization: `Bearer ${token}` };
const base = `/api/v1/namespaces/${namespace}/pods`;
let bytes = 0;
let lines = 0;
let started = false;
const count = (c: Buffer): void => {
  if (!started) {
    started = true;
    process.stdout.write('\n');
  }
  bytes += c.length;
  let i = -1;
  while ((i = c.indexOf(10, i + 1)) !== -1) lines++;
};

function viaHttp1(path: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    https
      .get(`${server}${path}`, { ca, headers: auth, agent: agent1 }, (res) => {
        const keep: Buffer[] | null = path.startsWith(`${base}?`) ? [] : null;
        res.on('data', (c: Buffer) => (keep ? keep.push(c) : count(c)));
        res.on('end', () => resolve(keep ? Buffer.concat(keep) : null));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
const agent1 = new https.Agent({ keepAlive: true, maxSockets: Infinity, ca });

let session: http2.ClientHttp2Session | undefined;
function viaHttp2(path: string): Promise<Buffer | null> {
  session ??= http2.connect(server, { ca, maxSessionMemory: 128, settings: { initialWindowSize: streamWindow } });
  return new Promise((resolve, reject) => {
    const s = session!.request({ ':path': path, ...auth });
    const keep: Buffer[] | null = path.startsWith(`${base}?`) ? [] : null;
    s.on('data', (c: Buffer) => (keep ? keep.push(c) : count(c)));
    s.on('end', () => resolve(keep ? Buffer.concat(keep) : null));
    s.on('error', reject);
  });
}

const get = protocol === 'http2' ? viaHttp2 : viaHttp1;
const list = JSON.parse((await get(`${base}?labelSelector=${encodeURIComponent(selector)}`))!.toString()) as {
  items: { metadata: { name: string }; spec: { containers: { name: string }[] } }[];
};
session?.setLocalWindowSize(sessionWindow);
await Promise.all(
  list.items.flatMap((pod) => pod.spec.containers.map((c) => get(`${base}/${pod.metadata.name}/log?container=${c.name}&timestamps=true`))),
);
process.stderr.write(`limit-reader: ${bytes} bytes ${lines} lines\n`);
session?.close();
