/**
 * `npm run bench`: ktail against the simulated cluster, beside the limit (the simplest reader of
 * the same bytes) and kubectl and stern when they are on PATH. Prints markdown tables; a check
 * that failed marks its row FAILED and makes the run exit 1. Not part of npm test.
 *   node dist-bench/bench/bench.js [--large] [--sizes 1,10] [--protocols http2,http1] [--quick]
 *                                  [--idle] [--idle-only] [--idle-minutes 10] [--line-flags-only] [--startup-only]
 * Two more tables (line-flags.ts) show what --level, -o pretty and level colours cost.
 * Then start-to-first-line beside kubectl's (bench/startup.ts); --startup-only: that table alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caCert, SimCluster } from '../src/sim/index.js';
import { followScenario, kubectlOpenSeconds, podName, type FollowResult } from './follow.js';
import { idleScenario, type IdleResult } from './idle.js';
import { lineFlagsTable, writerCostTable } from './line-flags.js';
import { measure, percentile, type Measured } from './measure.js';
import { findReferences } from './references.js';
import { contenders, startupTable } from './startup.js';
import { checkDelivery, limitCounts, type Delivery } from './verdict.js';
import { BEST_WINDOWS, ktailWindows, type Windows } from './windows.js';

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
/** --idle-only: the idle scenario alone (it is light: it can run beside another bench) */
const idleOnly = argv.includes('--idle-only');
const idleMinutes = argv.includes('--idle') || idleOnly ? Number(flag('--idle-minutes') ?? 10) : 0;
const references = findReferences();
const kubectl = references.some((r) => r.name === 'kubectl');

/** lines per pod so that each size moves a similar volume */
function linesPerPod(pods: number): number {
  const total = quick ? 20_000 : pods <= 10 ? 600_000 : pods >= 2000 ? 400_000 : 300_000;
  return Math.max(1, Math.floor(total / pods));
}
/** lines poured across the pods while new pods are probed: enough to outlast the probes */
const floodLines = (pods: number): number => (pods < 100 ? 0 : quick ? 200_000 : pods >= 2000 ? 10_000_000 : 3_000_000);

interface Row {
  pods: number;
  protocol: string;
  lines: number;
  ktail: Delivery;
  /** under ktail's own flow-control windows */
  limit: Delivery;
  /** under the best windows (Go's client's); HTTP/1.1 has none, so no second row */
  limitBest: Delivery | undefined;
  /** kubectl's and stern's runs, by name */
  others: Map<string, Delivery>;
  quiet: FollowResult;
  /** new pods while every other stream pours lines (at 100 pods and more) */
  flood: FollowResult | undefined;
  kubectlOpenSeconds: number | undefined;
  /** why the row cannot be trusted: empty when every check passed */
  failures: string[];
}

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
/** steady throughput of what was delivered: from the first byte on stdout to the end (start-up is measured apart) */
const rate = (d: Delivery): number => d.lines / (d.run.wallSeconds - d.run.firstByteSeconds);
const cpuPerMillion = (d: Delivery): number => d.run.cpuSeconds / (d.lines / 1e6);

function checkFollow(name: string, f: FollowResult, failures: string[]): void {
  if (!Number.isFinite(f.openAllSeconds)) failures.push(`${name}: not every stream opened within 60 s`);
  const lost = f.latencyMs.filter((ms) => ms === Infinity).length;
  if (lost > 0) failures.push(`${name}: ${lost} of ${f.latencyMs.length} new pods' first lines never arrived`);
  if (f.exitCode !== 0 && f.exitCode !== 130) failures.push(`${name}: ktail exited ${String(f.exitCode)} on Ctrl-C`);
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
      const pod = podName(i);
      sim.createPod({ namespace: NS, name: pod, labels: { app: 'bench' }, containers: [{ name: 'app' }] });
      sim.generate({ namespace: NS, pod, container: 'app' }, { count: per, size: LINE_BYTES });
    }
    const lines = per * pods;
    const cap = String(pods + 100);
    /** a run, with what the server sent it: the delivery is checked against that */
    const served = async (run: () => Promise<Measured>): Promise<{ run: Measured; lines: number; bytes: number }> => {
      const before = sim.counters;
      const m = await run();
      const after = sim.counters;
      return { run: m, lines: after.linesServed - before.linesServed, bytes: after.bytesServed - before.bytesServed };
    };
    const failures: string[] = [];
    const ktailRun = await served(() =>
      measure(process.execPath, [KTAIL, '--kubeconfig', kubeconfig, '-n', NS, '-l', 'app=bench', '--no-follow', '--max-log-requests', cap]),
    );
    const ktail = checkDelivery(
      'ktail',
      ktailRun.run,
      { lines: ktailRun.run.stdoutLines, bytes: ktailRun.run.stdoutBytes },
      lines,
      ktailRun,
      failures,
    );
    const limitRun = async (windows: Windows, label: string): Promise<Delivery> => {
      const r = await served(() =>
        measure(process.execPath, [
          LIMIT,
          sim.url,
          sim.token,
          caFile,
          NS,
          'app=bench',
          protocol,
          String(windows.stream),
          String(windows.session),
        ]),
      );
      return checkDelivery(label, r.run, limitCounts(r.run.stderr), lines, r, failures);
    };
    const limit = await limitRun(ktailWindows(pods), 'limit');
    const limitBest = protocol === 'http2' ? await limitRun(BEST_WINDOWS, 'limit (best windows)') : undefined;
    const others = new Map<string, Delivery>();
    // client-go's default rate limit (5 requests/s) makes kubectl and stern take 400 s to open
    // 2,000 streams: beyond 300 they are not run
    for (const ref of pods <= 300 ? references : []) {
      const [cmd, args] = ref.printAll(kubeconfig, NS, pods + 100);
      const r = await served(() => measure(cmd, args, process.env, 180_000));
      others.set(ref.name, checkDelivery(ref.name, r.run, { lines: r.run.stdoutLines, bytes: r.run.stdoutBytes }, lines, r, failures));
    }
    const probes = quick ? 10 : 40;
    const setup = { ktail: KTAIL, kubeconfig, namespace: NS, pods, probes };
    const quiet = await followScenario(sim, { ...setup, floodLines: 0 });
    checkFollow('follow', quiet, failures);
    const flood = floodLines(pods) > 0 ? await followScenario(sim, { ...setup, floodLines: floodLines(pods) }) : undefined;
    if (flood) checkFollow('flood', flood, failures);
    if (flood && flood.probesDuringFlood < probes)
      failures.push(`flood: it ended before the probes did (${flood.probesDuringFlood} of ${probes} during it)`);
    const kubeOpen = kubectl && pods <= 100 ? await kubectlOpenSeconds(sim, kubeconfig, NS, pods) : undefined;
    return { pods, protocol, lines, ktail, limit, limitBest, others, quiet, flood, kubectlOpenSeconds: kubeOpen, failures };
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
  const flags = await lineFlagsTable(KTAIL, quick);
  process.stdout.write(`${writerCostTable(quick).join('\n')}\n\n${flags.table.join('\n')}\n`);
  for (const f of flags.failures) process.stdout.write(`FAILED ${f}\n`);
  process.exit(flags.failures.length > 0 ? 1 : 0);
}

const startupOnly = argv.includes('--startup-only');
const rows: Row[] = [];
for (const pods of startupOnly || idleOnly ? [] : sizes) {
  for (const protocol of protocols) {
    process.stderr.write(`bench: ${pods} pod(s) over ${protocol}…\n`);
    rows.push(await runSize(pods, protocol));
  }
}
const nodeStart = await startupMs(process.execPath, ['-e', '0']);
const versionStart = await startupMs(process.execPath, [KTAIL, '--version']);

async function runIdle(minutes: number): Promise<IdleResult> {
  const sim = await SimCluster.start({ namespaces: [NS] });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-bench-'));
  try {
    const kubeconfig = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
    return await idleScenario(sim, {
      ktail: KTAIL,
      kubeconfig,
      namespace: NS,
      streams: 200,
      minutes,
      warmupMinutes: Math.min(2, minutes / 5),
    });
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
const idle = idleMinutes > 0 ? (process.stderr.write(`bench: idle, ${idleMinutes} min…\n`), await runIdle(idleMinutes)) : undefined;

const ms = (v: number): string => (v === Infinity ? 'lost' : fmt(v));
const p50p99 = (v: readonly number[]): string => `${ms(percentile(v, 50))}/${ms(percentile(v, 99))}`;
const table = (head: string[], body: string[][]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...body.map((cells) => `| ${cells.join(' | ')} |`),
];
const verdict = (r: Row): string => (r.failures.length === 0 ? 'ok' : 'FAILED');
const out: string[] = [];

out.push('Throughput: every line of every pod, then exit (--no-follow)', '');
const head = [
  'pods',
  'proto',
  'lines',
  'ktail lines/s',
  'MB/s',
  'CPU s/M lines',
  'peak RSS MB',
  'limit lines/s',
  '÷ limit',
  'best-window limit lines/s',
  '÷ best',
];
for (const ref of references) head.push(`${ref.name} lines/s`, `÷ ${ref.name}`, `${ref.name} CPU s/M`, `CPU ÷ ${ref.name}`);
head.push('checks');
out.push(
  ...table(
    head,
    rows.map((r) => {
      const k = r.ktail;
      const cells = [
        String(r.pods),
        r.protocol,
        fmt(r.lines),
        fmt(rate(k)),
        fmt(k.bytes / (k.run.wallSeconds - k.run.firstByteSeconds) / 1e6, 1),
        fmt(cpuPerMillion(k), 2),
        fmt(k.run.peakRssMb),
        fmt(rate(r.limit)),
        fmt(rate(k) / rate(r.limit), 2),
        r.limitBest ? fmt(rate(r.limitBest)) : 'n/a',
        r.limitBest ? fmt(rate(k) / rate(r.limitBest), 2) : 'n/a',
      ];
      for (const ref of references) {
        const o = r.others.get(ref.name);
        if (o === undefined) cells.push('not run', '', '', '');
        else cells.push(fmt(rate(o)), fmt(rate(k) / rate(o), 2), fmt(cpuPerMillion(o), 2), fmt(cpuPerMillion(k) / cpuPerMillion(o), 2));
      }
      cells.push(verdict(r));
      return cells;
    }),
  ),
);
out.push('', "Follow: every stream open, then a new pod's first line on stdout (40 new pods)", '');
out.push(
  ...table(
    [
      'pods',
      'proto',
      'all open s',
      'kubectl all open s',
      'new pod p50/p99 ms, quiet',
      'peak RSS MB, quiet',
      'new pod p50/p99 ms, flood',
      'peak RSS MB, flood',
      'checks',
    ],
    rows.map((r) => [
      String(r.pods),
      r.protocol,
      fmt(r.quiet.openAllSeconds, 2),
      r.kubectlOpenSeconds === undefined ? 'not run' : Number.isFinite(r.kubectlOpenSeconds) ? fmt(r.kubectlOpenSeconds, 1) : '>30',
      p50p99(r.quiet.latencyMs),
      fmt(r.quiet.peakRssMb),
      r.flood ? p50p99(r.flood.latencyMs) : 'not run',
      r.flood ? fmt(r.flood.peakRssMb) : 'not run',
      verdict(r),
    ]),
  ),
);
if (idle) {
  out.push('', `Idle: ${idle.streams} quiet streams for ${idle.minutes} min, a pod created and one deleted every 3 s`, '');
  out.push(
    ...table(
      ['streams', 'minutes', 'pods created', 'CPU % of a core', 'RSS MB after warm-up', 'RSS MB at the end', 'checks'],
      [
        [
          String(idle.streams),
          String(idle.minutes),
          String(idle.churn),
          fmt(idle.cpuPercent, 2),
          fmt(idle.rssAfterWarmupMb, 1),
          fmt(idle.rssAtEndMb, 1),
          idle.failures.length === 0 ? 'ok' : 'FAILED',
        ],
      ],
    ),
  );
}
out.push('');
out.push(
  `start-up: \`ktail --version\` ${fmt(versionStart)} ms, \`node -e 0\` ${fmt(nodeStart)} ms (ratio ${fmt(versionStart / nodeStart, 2)})`,
);
out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
out.push(
  "lines/s: lines delivered ÷ (first byte on stdout → exit); CPU: user+sys of the whole process incl. start-up (bash `times`), per million lines delivered; RSS: VmHWM; limit: a reader of the same bytes that does no line handling, under ktail's flow-control windows and under the best ones (4 MiB per stream, 32 MiB per connection); flood: each pod's backlog read from its start while the new pods come; checks: every count matched what the server sent, every exit code was 0 and every new pod's line arrived",
);
const failures = [...rows.flatMap((r) => r.failures.map((f) => `${r.pods} pods over ${r.protocol}: ${f}`)), ...(idle?.failures ?? [])];
for (const f of failures) out.push(`FAILED ${f}`);
if (idleOnly) {
  process.stdout.write(`${out.join('\n')}\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}
if (!startupOnly) {
  process.stdout.write(`${out.join('\n')}\n`);
  const flags = await lineFlagsTable(KTAIL, quick);
  process.stdout.write(`\n${writerCostTable(quick).join('\n')}\n\n${flags.table.join('\n')}\n`);
  for (const f of flags.failures) process.stdout.write(`FAILED ${f}\n`);
  failures.push(...flags.failures);
}

process.stderr.write('bench: start-up, spawn to first line…\n');
const binary = join(ROOT, 'dist-release', `ktail-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`);
process.stdout.write(`\nStart to first line (following; median / best of 7; single binary from npm run dist):\n\n`);
process.stdout.write(`${await startupTable(contenders(KTAIL, binary, kubectl))}\n`);
// a failed check fails the run: a script or a reader of the table cannot miss it
if (failures.length > 0) process.exitCode = 1;
