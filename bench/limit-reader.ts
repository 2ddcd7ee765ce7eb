/**
 * The limit: the simplest reader of the same bytes from the same server. It lists the pods and
 * opens one log stream per pod (timestamps on, as ktail asks), counts nothing but bytes and
 * discards them. Run: node limit-reader.js KUBECONFIG_SERVER TOKEN CA_FILE NAMESPACE SELECTOR http1|http2
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';

const [server, token, caFile, namespace, selector, protocol] = process.argv.slice(2) as [string, string, string, string, string, string];
const ca = readFileSync(caFile);
const auth = { authorization: `Bearer ${token}` };
const base = `/api/v1/namespaces/${namespace}/pods`;
let bytes = 0;
// one byte on stdout when the first log data arrives, so the bench can time from there
let started = false;
const mark = (): void => {
  if (!started) {
    started = true;
    process.stdout.write('\n');
  }
};

function viaHttp1(path: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    https
      .get(`${server}${path}`, { ca, headers: auth, agent: agent1 }, (res) => {
        const keep: Buffer[] | null = path.startsWith(`${base}?`) ? [] : null;
        res.on('data', (c: Buffer) => (keep ? keep.push(c) : (mark(), (bytes += c.length))));
        res.on('end', () => resolve(keep ? Buffer.concat(keep) : null));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
const agent1 = new https.Agent({ keepAlive: true, maxSockets: Infinity, ca });

let session: http2.ClientHttp2Session | undefined;
function viaHttp2(path: string): Promise<Buffer | null> {
  session ??= http2.connect(server, { ca, maxSessionMemory: 128, settings: { initialWindowSize: 256 * 1024 } });
  return new Promise((resolve, reject) => {
    const s = session!.request({ ':path': path, ...auth });
    const keep: Buffer[] | null = path.startsWith(`${base}?`) ? [] : null;
    s.on('data', (c: Buffer) => (keep ? keep.push(c) : (mark(), (bytes += c.length))));
    s.on('end', () => resolve(keep ? Buffer.concat(keep) : null));
    s.on('error', reject);
  });
}

const get = protocol === 'http2' ? viaHttp2 : viaHttp1;
const list = JSON.parse((await get(`${base}?labelSelector=${encodeURIComponent(selector)}`))!.toString()) as {
  items: { metadata: { name: string }; spec: { containers: { name: string }[] } }[];
};
session?.setLocalWindowSize(32 * 1024 * 1024);
await Promise.all(
  list.items.flatMap((pod) => pod.spec.containers.map((c) => get(`${base}/${pod.metadata.name}/log?container=${c.name}&timestamps=true`))),
);
process.stderr.write(`limit-reader: ${bytes} bytes\n`);
session?.close();
