#!/usr/bin/env node
// `npm run stress`: the stress scene (test/stress/scene.ts, compiled into dist-bench/ by
// tsconfig.bench.json) run again and again with fresh seeds until the time is up, taking turns
// without load, with a CPU hog, with ktail's event loop stalled, and with both. Prints each run,
// then a table; exits 1 if any line was lost, repeated, out of order or late. Not part of npm test.
//
//   npm run stress                          # 3 minutes
//   npm run stress -- --minutes 30
//   npm run stress -- --seed 1234 --hog --stalls   # replay one run (a failure prints this line)
//   options: --rate LINES_PER_S (2000) --seconds S (15) --refusal-ms MIN-MAX (2000-5000)
//            --bytes-per-sec N (the throttle of each log stream, 4000000) --trace (keep every run's trace)
//            --trace-sockets (the TCP queues of the connections, in the trace every 500 ms; Linux)
import { randomInt } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v)) {
    console.error(`stress: ${name} needs a number`);
    process.exit(2);
  }
  return v;
};
const minutes = value('--minutes') ?? 3;
const replaySeed = value('--seed');
const rate = value('--rate');
const seconds = value('--seconds');
const bytesPerSec = value('--bytes-per-sec');
const keepTrace = args.includes('--trace');
const traceSockets = args.includes('--trace-sockets');
const refusalArg = args.includes('--refusal-ms') ? args[args.indexOf('--refusal-ms') + 1] : undefined;
const refusalMs = refusalArg?.split('-').map(Number);
if (refusalArg !== undefined && (refusalMs.length !== 2 || !refusalMs.every((n) => Number.isInteger(n) && n >= 0))) {
  console.error('stress: --refusal-ms needs MIN-MAX in ms, e.g. 2000-5000');
  process.exit(2);
}

// a computed path: the build is made by `npm run stress`, not present before
const scenePath = pathToFileURL(`${root}dist-bench/test/stress/scene.js`).href;
const { runScene } = await import(scenePath);

/** the modes taken in turn */
const MODES = [
  { cpuHog: false, loopStalls: false, name: 'no load' },
  { cpuHog: true, loopStalls: false, name: 'CPU hog' },
  { cpuHog: false, loopStalls: true, name: 'loop stalls' },
  { cpuHog: true, loopStalls: true, name: 'hog + stalls' },
];

const fmt = (n) => n.toLocaleString('en-US');
const options = (seed, mode) => ({
  seed,
  cpuHog: mode.cpuHog,
  loopStalls: mode.loopStalls,
  keepTrace,
  traceSockets,
  ...(refusalMs !== undefined ? { refusalMs } : {}),
  ...(rate !== undefined ? { rate } : {}),
  ...(seconds !== undefined ? { seconds } : {}),
  ...(bytesPerSec !== undefined ? { maxBytesPerSec: bytesPerSec } : {}),
});

function line(i, r) {
  const mode = MODES.find((m) => m.cpuHog === r.cpuHog && m.loopStalls === r.loopStalls).name;
  const f = r.faults;
  const verdict = r.problems.length === 0 ? 'ok' : 'FAILED';
  return (
    `run ${String(i).padStart(3)}  seed ${String(r.seed).padStart(10)}  ${mode.padEnd(12)}  ` +
    `written ${fmt(r.written)}  lost ${r.lost}  repeated ${r.repeated}  late ${r.late}  ` +
    `last line ${(r.lastLineMs / 1000).toFixed(1)} s after the writers  opens ${r.streamOpens}  ` +
    `cuts ${f.cuts} ends ${f.cleanEnds} refused ${(f.refusedMs / 1000).toFixed(1)} s delays ${f.delays}  ${verdict}`
  );
}

const results = [];
const started = Date.now();
const budgetMs = minutes * 60_000;
console.log(
  `ktail stress: ${replaySeed !== undefined ? `seed ${replaySeed}` : `${minutes} min`} on ${cpus().length} cores, Node ${process.version}`,
);
if (replaySeed !== undefined) {
  const mode = { cpuHog: args.includes('--hog'), loopStalls: args.includes('--stalls') };
  results.push(await runScene(options(replaySeed, mode)));
  console.log(line(1, results[0]));
} else {
  for (let i = 0; ; i++) {
    const elapsed = Date.now() - started;
    // start a run only if it should end within the time (judged by the runs so far), at least one
    const perRun = results.length > 0 ? elapsed / results.length : 0;
    if (results.length > 0 && elapsed + perRun > budgetMs) break;
    const r = await runScene(options(randomInt(1, 2 ** 31), MODES[i % MODES.length]));
    results.push(r);
    console.log(line(i + 1, r));
    for (const p of r.problems) console.log(`    ${p}`);
    if (r.traceFile !== undefined) console.log(`    trace: ${r.traceFile}`);
  }
}

const sum = (rs, f) => rs.reduce((n, r) => n + f(r), 0);
const row = (name, rs) => {
  const failed = rs.filter((r) => r.problems.length > 0);
  return [
    name,
    fmt(rs.length),
    fmt(sum(rs, (r) => r.faults.cuts)),
    fmt(sum(rs, (r) => r.faults.cleanEnds)),
    `${fmt(sum(rs, (r) => r.faults.refusals))} (${(sum(rs, (r) => r.faults.refusedMs) / 1000).toFixed(0)} s)`,
    fmt(sum(rs, (r) => r.faults.delays)),
    fmt(sum(rs, (r) => r.written)),
    fmt(sum(rs, (r) => r.lost)),
    fmt(sum(rs, (r) => r.repeated + r.outOfOrder)),
    fmt(sum(rs, (r) => r.late)),
    rs.length > 0 ? `${(Math.max(...rs.map((r) => r.lastLineMs)) / 1000).toFixed(1)} s` : '–',
    fmt(sum(rs, (r) => r.streamOpens)),
    failed.length === 0 ? '–' : failed.map((r) => r.seed).join(', '),
  ];
};
const header = [
  'mode',
  'runs',
  'cuts',
  'clean ends',
  'refusals',
  'delayed GETs',
  'lines written',
  'lost',
  'duplicated / out of order',
  'late (> 3 s)',
  'slowest last line',
  'stream opens',
  'failed seeds',
];
const rows = MODES.map((m) =>
  row(
    m.name,
    results.filter((r) => r.cpuHog === m.cpuHog && r.loopStalls === m.loopStalls),
  ),
)
  .filter((r) => r[1] !== '0')
  .concat([row('**all**', results)]);
const md = (cells) => `| ${cells.join(' | ')} |`;
console.log('');
console.log(
  `${fmt(results.length)} runs in ${((Date.now() - started) / 60_000).toFixed(1)} min; each: 2 pods, 5 containers × ${fmt(results[0].rate)} lines/s × ${results[0].seconds} s`,
);
console.log('');
console.log(md(header));
console.log(md(header.map((h, i) => (i === 0 || i === header.length - 1 ? '---' : '---:'))));
for (const r of rows) console.log(md(r));

const failed = results.filter((r) => r.problems.length > 0);
if (failed.length > 0) {
  console.log('');
  console.log(`${failed.length} of ${results.length} runs failed:`);
  for (const r of failed) {
    for (const p of r.problems) console.log(`  ${p}`);
    console.log(`  trace: ${r.traceFile}`);
  }
  process.exitCode = 1;
}
