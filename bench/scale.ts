/**
 * A large namespace: 5,000 pods, 20 of them matching the query. How long until the first line is
 * on stdout, and the peak memory, for ktail (a regular expression, so every pod is listed) and
 * kubectl (a label selector, so the server filters). Not part of npm test.
 *   node dist-bench/bench/scale.js [--pods 5000] [--match 20] [--runs 3] [--ktail PATH]…
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimCluster } from '../src/sim/index.js';
import { measure, type Measured } from './measure.js';

const argv = process.argv.slice(2);
const flag = (name: string, d: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : d;
};
const PODS = Number(flag('--pods', '5000'));
const MATCH = Number(flag('--match', '20'));
const RUNS = Number(flag('--runs', '3'));
/** other builds of ktail to compare (e.g. the main branch's bin/ktail.js), each `label=path` */
const others = argv.flatMap((a, i) => (argv[i - 1] === '--ktail' ? [a] : []));
const NS = 'big';
const KTAIL = fileURLToPath(new URL('../../bin/ktail.js', import.meta.url));

const sim = await SimCluster.start({ namespaces: [NS] });
for (let i = 0; i < PODS; i++) {
  const matching = i % Math.floor(PODS / MATCH) === 0 && i / Math.floor(PODS / MATCH) < MATCH;
  const name = matching ? `match-${i}` : `other-${i}`;
  sim.createPod({ namespace: NS, name, labels: { app: matching ? 'match' : 'other', tier: 'web' }, containers: [{ name: 'app' }] });
  sim.writeLines({ namespace: NS, pod: name, container: 'app' }, [`${name} hello`]);
}
const dir = mkdtempSync(join(tmpdir(), 'ktail-scale-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
const env = { PATH: process.env.PATH, HOME: dir, KTAIL_CONFIG: '/dev/null' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function runs(cmd: string, args: string[]): Promise<{ first: number; rss: number; wall: number; lines: number }> {
  const ms: Measured[] = [];
  for (let i = 0; i < RUNS; i++) ms.push(await measure(cmd, args, env, 120_000));
  const bad = ms.find((m) => m.exitCode !== 0);
  if (bad) throw new Error(`${cmd} ${args.join(' ')}: exit ${bad.exitCode}: ${bad.stderr}`);
  return {
    first: median(ms.map((m) => m.firstByteSeconds * 1000)),
    rss: median(ms.map((m) => m.peakRssMb)),
    wall: median(ms.map((m) => m.wallSeconds * 1000)),
    lines: ms[0]!.stdoutLines,
  };
}

const rows: [string, Awaited<ReturnType<typeof runs>>][] = [];
/** ktail's arguments for one way of choosing the matching pods; the rest is the same in each run */
const ktailArgs = (...query: string[]): string[] => [
  '--kubeconfig',
  kubeconfig,
  '-n',
  NS,
  ...query,
  '--no-follow',
  '--tail',
  '1',
  '-o',
  'raw',
  '--max-log-requests',
  String(MATCH),
];
const byRegex = ktailArgs('^match-');
rows.push(['ktail `^match-` (regular expression)', await runs(process.execPath, [KTAIL, ...byRegex])]);
for (const o of others) {
  const [label, path] = o.split('=');
  rows.push([`${label} \`^match-\``, await runs(process.execPath, [path!, ...byRegex])]);
}
rows.push(['ktail `-l app=match`', await runs(process.execPath, [KTAIL, ...ktailArgs('-l', 'app=match')])]);
let kubectl = true;
try {
  execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
} catch {
  kubectl = false;
}
if (kubectl) {
  rows.push([
    'kubectl logs `-l app=match`',
    await runs('kubectl', [
      '--kubeconfig',
      kubeconfig,
      'logs',
      '-n',
      NS,
      '-l',
      'app=match',
      '--tail=1',
      '--prefix',
      `--max-log-requests=${MATCH}`,
    ]),
  ]);
  rows.push([
    'kubectl get pods (every pod, pages of 500)',
    await runs('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', NS, '--no-headers']),
  ]);
}
await sim.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `${PODS} pods in one namespace, ${MATCH} matching; median of ${RUNS} runs; ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}\n`,
);
console.log('| command | first line | peak RSS | until exit | lines |');
console.log('|---|---|---|---|---|');
for (const [name, r] of rows)
  console.log(`| ${name} | ${r.first.toFixed(0)} ms | ${r.rss.toFixed(0)} MB | ${r.wall.toFixed(0)} ms | ${r.lines} |`);
