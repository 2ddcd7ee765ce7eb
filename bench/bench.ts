/**
 * `npm run bench`: ktail against the simulated cluster, beside the limit (the simplest reader of
 * the same bytes) and kubectl when it is on PATH. Prints a markdown table. Not part of npm test.
 *   node dist-bench/bench/bench.js [--large] [--sizes 1,10] [--protocols http2,http1] [--quick] [--line-flags-only]
 * A second table (line-flags.ts) shows what --level, -o pretty and level colours cost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caCert, SimCluster } from '../src/sim/index.js';
import { lineFlagsTable, writerCostTable } from './line-flags.js';
import { measure, percentile, type Measured } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KTAIL = join(ROOT, 'bin', 'ktail.js');
const LIMIT = fileURLToPath(new URL('./limit-reader.js', import.meta.url));
const LINE_BYTES = 150;
const NS = 'bench';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const lineFlagsOnly = argv.includes('--line-flags-only');
const sizes = (flag('--sizes')?.split(',').map(Number) ?? [1, 10, 100, 300]).concat(argv.includes('--large') ? [2000] : []);
const protocols = (flag('--protocols')?.split(',') ?? ['http2', 'http1']) as ('http2' | 'http1')[];
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** lines per pod so that each size moves a similar volume */
function linesPerPod(pods: number): number {
  const total = quick ? 20_000 : pods <= 10 ? 600_000 : pods >= 2000 ? 400_000 : 300_000;
  return Math.max(1, Math.floor(total / pods));
}

interface Row {
  pods: number;
  protocol: string;
  lines: number;
  ktail: Measured;
  limit: Measured;
  kubectl: Measured | undefined;
  openAllSeconds: number;
  kubectlOpenSeconds: number | undefined;
  latencyMs: number[];
}

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
/** steady throughput: from the first byte on stdout to the end (start-up is measured apart) */
const rate = (m: Measured, lines: number): number => lines / (m.wallSeconds - m.firstByteSeconds);

async function poll(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Follow mode: time until every stream is open, then new pods' first-line latency. */
async function followScenario(sim: SimCluster, kubeconfig: string, pods: number): Promise<{ openAll: number; latency: number[] }> {
  const before = sim.counters.logStreamsOpen;
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [KTAIL, '--kubeconfig', kubeconfig, '-n', NS, '-l', 'app=bench', '--tail', '0', '--max-log-requests', String(pods + 100), '-o', 'raw'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const seen = new Map<string, number>();
  let carry = '';
  child.stdout.on('data', (c: Buffer) => {
    const now = performance.now();
    const text = carry + c.toString();
    const cut = text.lastIndexOf('\n');
    carry = text.slice(cut + 1);
    for (const line of text.slice(0, cut).split('\n')) if (line.startsWith('probe ')) seen.set(line, now);
  });
  const opened = await poll(() => sim.counters.logStreamsOpen - before >= pods, 60_000);
  const openAll = opened ? (Date.now() - t0) / 1000 : NaN;
  const latency: number[] = [];
  const probes = quick ? 10 : 40;
  for (let i = 0; i < probes; i++) {
    const name = `probe-${pods}-${i}`;
    sim.createPod({ namespace: NS, name, labels: { app: 'bench' }, containers: [{ name: 'app' }] });
    // the pod's first line, written as soon as it exists: before ktail can have connected
    const written = performance.now();
    const text = `probe ${name}`;
    sim.writeLines({ namespace: NS, pod: name, container: 'app' }, [text]);
    if (await poll(() => seen.has(text), 10_000)) latency.push(seen.get(text)! - written);
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGINT');
  await new Promise((r) => child.on('close', r));
  for (let i = 0; i < probes; i++) await sim.deletePod(NS, `probe-${pods}-${i}`);
  return { openAll, latency };
}

async function kubectlOpenSeconds(sim: SimCluster, kubeconfig: string, pods: number): Promise<number> {
  const before = sim.counters.logStreamsOpen;
  const t0 = Date.now();
  const child = spawn(
    'kubectl',
    ['--kubeconfig', kubeconfig, 'logs', '-f', '-n', NS, '-l', 'app=bench', '--prefix', '--tail=0', `--max-log-requests=${pods + 100}`],
    { stdio: 'ignore' },
  );
  const ok = await poll(() => sim.counters.logStreamsOpen - before >= pods, 30_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  return ok ? (Date.now() - t0) / 1000 : Infinity;
}

async function runSize(pods: number, protocol: 'http2' | 'http1'): Promise<Row> {
  const sim = await SimCluster.start({ http2: protocol === 'http2', namespaces: [NS] });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-bench-'));
  try {
    const kubeconfig = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, caCert);
    const per = linesPerPod(pods);
    for (let i = 0; i < pods; i++) {
      const pod = `bench-${String(i).padStart(4, '0')}`;
      sim.createPod({ namespace: NS, name: pod, labels: { app: 'bench' }, containers: [{ name: 'app' }] });
      sim.generate({ namespace: NS, pod, container: 'app' }, { count: per, size: LINE_BYTES });
    }
    const lines = per * pods;
    const cap = String(pods + 100);
    const ktail = await measure(process.execPath, [
      KTAIL,
      '--kubeconfig',
      kubeconfig,
      '-n',
      NS,
      '-l',
      'app=bench',
      '--no-follow',
      '--max-log-requests',
      cap,
    ]);
    if (ktail.stdoutLines !== lines)
      process.stderr.write(`bench: ktail printed ${ktail.stdoutLines} lines, expected ${lines}\n${ktail.stderr}\n`);
    const limit = await measure(process.execPath, [LIMIT, sim.url, sim.token, caFile, NS, 'app=bench', protocol]);
    // the limit reader prints nothing: it reads the same lines
    const limitAsLines = { ...limit, stdoutLines: lines };
    const kube = kubectl
      ? await measure(
          'kubectl',
          ['--kubeconfig', kubeconfig, 'logs', '-n', NS, '-l', 'app=bench', '--prefix', '--tail=-1', `--max-log-requests=${cap}`],
          process.env,
          180_000,
        )
      : undefined;
    const follow = await followScenario(sim, kubeconfig, pods);
    const kubeOpen = kubectl && pods <= 100 ? await kubectlOpenSeconds(sim, kubeconfig, pods) : undefined;
    return {
      pods,
      protocol,
      lines,
      ktail,
      limit: limitAsLines,
      kubectl: kube,
      openAllSeconds: follow.openAll,
      kubectlOpenSeconds: kubeOpen,
      latencyMs: follow.latency,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startupMs(cmd: string, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    await new Promise((r) => spawn(cmd, args, { stdio: 'ignore' }).on('close', r));
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

if (lineFlagsOnly) {
  process.stdout.write(`${writerCostTable(quick).join('\n')}\n\n${(await lineFlagsTable(KTAIL, quick)).join('\n')}\n`);
  process.exit(0);
}

const rows: Row[] = [];
for (const pods of sizes) {
  for (const protocol of protocols) {
    process.stderr.write(`bench: ${pods} pod(s) over ${protocol}…\n`);
    rows.push(await runSize(pods, protocol));
  }
}
const nodeStart = await startupMs(process.execPath, ['-e', '0']);
const versionStart = await startupMs(process.execPath, [KTAIL, '--version']);

const head = [
  'pods',
  'proto',
  'lines',
  'ktail lines/s',
  'MB/s',
  'CPU s/M lines',
  'peak RSS MB',
  'all open s',
  'new pod p50/p99 ms',
  'limit lines/s',
  '÷ limit',
];
if (kubectl) head.push('kubectl lines/s', '÷ kubectl', 'kubectl CPU s/M', 'kubectl open s');
const out: string[] = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
for (const r of rows) {
  const k = r.ktail;
  const cells = [
    String(r.pods),
    r.protocol,
    fmt(r.lines),
    fmt(rate(k, r.lines)),
    fmt(k.stdoutBytes / (k.wallSeconds - k.firstByteSeconds) / 1e6, 1),
    fmt(k.cpuSeconds / (r.lines / 1e6), 2),
    fmt(k.peakRssMb),
    fmt(r.openAllSeconds, 2),
    `${fmt(percentile(r.latencyMs, 50))}/${fmt(percentile(r.latencyMs, 99))}`,
    fmt(rate(r.limit, r.lines)),
    fmt(rate(k, r.lines) / rate(r.limit, r.lines), 2),
  ];
  if (kubectl) {
    const c = r.kubectl!;
    cells.push(
      fmt(rate(c, r.lines)),
      fmt(rate(k, r.lines) / rate(c, r.lines), 2),
      fmt(c.cpuSeconds / (r.lines / 1e6), 2),
      r.kubectlOpenSeconds === undefined ? 'not run' : Number.isFinite(r.kubectlOpenSeconds) ? fmt(r.kubectlOpenSeconds, 1) : '>30',
    );
  }
  out.push(`| ${cells.join(' | ')} |`);
}
out.push('');
out.push(
  `start-up: \`ktail --version\` ${fmt(versionStart)} ms, \`node -e 0\` ${fmt(nodeStart)} ms (ratio ${fmt(versionStart / nodeStart, 2)})`,
);
out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
out.push(
  'lines/s: lines ÷ (first byte on stdout → exit) of a --no-follow run; CPU: user+sys of the whole process incl. start-up (bash `times`); RSS: VmHWM; all open: spawn → every follow stream open on the server',
);
process.stdout.write(`${out.join('\n')}\n`);
process.stdout.write(`\n${writerCostTable(quick).join('\n')}\n\n${(await lineFlagsTable(KTAIL, quick)).join('\n')}\n`);
