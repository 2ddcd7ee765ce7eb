/**
 * What the line flags cost, two ways. In process, as bench/regex.ts measures patterns: the CPU
 * time of one source's line writer (makeLineWriter, a sink that keeps nothing) per line, for each
 * format a level is read from and each flag — the cost the flags add, free of start-up, HTTP and
 * the pipe. End to end: `ktail --no-follow` over one container's lines, with no flag and with
 * `--level warn`, `-o pretty`, both, and `--color always` (level colours), each run three times
 * (the median is shown). Two containers: one writing levels in five formats (pino and string-level
 * JSON, logfmt, klog, a plain word), one writing lines with no level at all (every detector is
 * asked and none finds one: the dearest case for --level). Part of `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLineWriter, type FormatSettings } from '../src/output/format.js';
import type { Sink } from '../src/output/sink.js';
import { SimCluster } from '../src/sim/index.js';
import { measure, percentile, type Measured } from './measure.js';

const NS = 'flags';
const LINE_BYTES = 150;
const RUNS = 3;

const FLAG_SETS: readonly (readonly string[])[] = [
  [],
  ['--level', 'warn'],
  ['-o', 'pretty'],
  ['--level', 'warn', '-o', 'pretty'],
  ['--color', 'always'],
];

/** Twenty 150-byte lines: five formats × four levels, each with a few fields. */
function levelledLines(): Buffer[] {
  const levels = ['debug', 'info', 'warn', 'error'] as const;
  const pino = { debug: 20, info: 30, warn: 40, error: 50 };
  const klog = { debug: 'I', info: 'I', warn: 'W', error: 'E' };
  const out: Buffer[] = [];
  for (const level of levels) {
    const texts = [
      `{"level":${pino[level]},"time":1767366245123,"pid":7,"hostname":"web-7d9","msg":"request handled","req":{"method":"GET","url":"/cart"},"ms":12`,
      `{"ts":"2026-01-02T15:04:05.123Z","level":"${level}","msg":"order processed","order":42,"user":{"id":"u-1"},"took_ms":12`,
      `time=2026-01-02T15:04:05.123Z level=${level} msg="order processed" order=42 user=u-1 took_ms=12`,
      `${klog[level]}0102 15:04:05.123456       1 controller.go:42] reconciled object="shop/web" took=12ms`,
      `2026-01-02T15:04:05.123Z ${level.toUpperCase()} [main] c.e.shop.OrderService - order 42 processed for u-1 in 12ms`,
    ];
    for (const t of texts) {
      // padded inside the JSON object, or at the end of the others, to LINE_BYTES
      const pad = 'x'.repeat(Math.max(0, LINE_BYTES - t.length - (t.startsWith('{') ? 12 : 7)));
      out.push(Buffer.from(t.startsWith('{') ? `${t},"pad":"${pad}"}` : `${t} pad=${pad}`));
    }
  }
  return out;
}

interface FlagRow {
  readonly container: string;
  readonly flags: string;
  readonly lines: number;
  readonly linesOut: number;
  readonly rate: number;
  readonly cpuPerM: number;
  /** why the row cannot be trusted: empty when every run passed its checks */
  readonly failures: readonly string[];
}

const median = (xs: number[]): number => percentile(xs, 50);
const rate = (m: Measured, lines: number): number => lines / (m.wallSeconds - m.firstByteSeconds);

/**
 * The table, and the reasons its rows failed (a run that read fewer lines than were written, or
 * printed other than all of them without --level, or did not exit 0).
 */
export async function lineFlagsTable(ktail: string, quick: boolean): Promise<{ table: string[]; failures: string[] }> {
  const lines = quick ? 20_000 : 400_000;
  // The levelled lines are written, not generated, so a kubelet's 10 MiB rotation would leave only
  // the newest file to read: the bench wants every line served.
  const sim = await SimCluster.start({ namespaces: [NS], containerLogMaxSize: Infinity });
  const dir = mkdtempSync(join(tmpdir(), 'ktail-bench-flags-'));
  const rows: FlagRow[] = [];
  try {
    const kubeconfig = await sim.writeKubeconfig(join(dir, 'kubeconfig'));
    sim.createPod({ namespace: NS, name: 'levelled', containers: [{ name: 'app' }] });
    sim.createPod({ namespace: NS, name: 'nolevel', containers: [{ name: 'app' }] });
    const texts = levelledLines();
    for (let i = 0; i < lines; i += 10_000) {
      const batch: Buffer[] = [];
      for (let j = i; j < Math.min(lines, i + 10_000); j++) batch.push(texts[j % texts.length]!);
      sim.writeLines({ namespace: NS, pod: 'levelled', container: 'app' }, batch);
    }
    sim.generate({ namespace: NS, pod: 'nolevel', container: 'app' }, { count: lines, size: LINE_BYTES });
    for (const pod of ['levelled', 'nolevel']) {
      for (const flags of FLAG_SETS) {
        if (pod === 'nolevel' && flags.includes('pretty') && flags.includes('--level')) continue;
        process.stderr.write(`bench: ${pod} ${flags.join(' ') || '(no flag)'}…\n`);
        const runs: Measured[] = [];
        const failures: string[] = [];
        for (let r = 0; r < RUNS; r++) {
          const before = sim.counters.linesServed;
          const m = await measure(process.execPath, [ktail, '--kubeconfig', kubeconfig, '-n', NS, `^${pod}$`, '--no-follow', ...flags]);
          const served = sim.counters.linesServed - before;
          if (served !== lines) failures.push(`${pod} ${flags.join(' ')}: the server sent ${served} of ${lines} lines`);
          if (!flags.includes('--level') && m.stdoutLines !== served)
            failures.push(`${pod} ${flags.join(' ')}: ${m.stdoutLines} lines out of ${served} read`);
          if (m.exitCode !== 0) failures.push(`${pod} ${flags.join(' ')}: exit ${String(m.exitCode)}`);
          runs.push(m);
        }
        rows.push({
          container: pod === 'levelled' ? 'levels, 5 formats' : 'no level',
          flags: flags.join(' ') || '(none)',
          lines,
          linesOut: runs[0]!.stdoutLines,
          // lines read per second: with --level fewer are printed, all are read
          rate: median(runs.map((m) => rate(m, lines))),
          cpuPerM: median(runs.map((m) => m.cpuSeconds / (lines / 1e6))),
          failures,
        });
      }
    }
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number, digits = 0): string =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const out = ['| lines | flags | lines out | lines/s | ÷ no flag | CPU s/M lines | checks |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const base = rows.find((b) => b.container === r.container && b.flags === '(none)')!;
    out.push(
      `| ${r.container} | \`${r.flags}\` | ${fmt(r.linesOut)} | ${fmt(r.rate)} | ${fmt(r.rate / base.rate, 2)} | ${fmt(r.cpuPerM, 2)} | ${r.failures.length === 0 ? 'ok' : 'FAILED'} |`,
    );
  }
  out.push(
    '',
    `line flags: ${fmt(rows[0]?.lines ?? 0)} lines of one container, --no-follow, piped; lines/s: lines read (the server's count, checked) ÷ (first byte on stdout → exit); median of ${RUNS} runs`,
  );
  return { table: out, failures: rows.flatMap((r) => r.failures) };
}

/** One line of each format, with the kubelet's timestamp in front, as a tail hands it over. */
function sampleLines(): [string, Buffer][] {
  const ts = '2026-01-02T15:04:05.123456789Z ';
  const texts = levelledLines();
  const pick = (k: number): string => texts[k]!.toString();
  return [
    ['JSON, pino (level first)', pick(10)],
    ['JSON, level after ts', pick(11)],
    ['logfmt', pick(12)],
    ['klog', pick(13)],
    ['plain word after a time', pick(14)],
    ['no level', `seq=000000001 flags/nolevel/app ${'x'.repeat(LINE_BYTES - 32)}`],
  ].map(([name, text]) => [name!, Buffer.from(ts + text!)]);
}

const WRITER_SETTINGS: readonly [string, Partial<FormatSettings>][] = [
  ['(none)', {}],
  ['--level warn', { level: { threshold: 40, strict: false } }],
  ['-o pretty', { output: 'pretty' }],
  ['colour (level colours)', { levelColors: true, color: true }],
];

/** CPU ns per line of one source's writer: the median of three passes over `n` lines. */
export function writerCostTable(quick: boolean): string[] {
  const n = quick ? 50_000 : 200_000;
  const sink = { writeLine: () => undefined, writeRaw: () => undefined } as unknown as Sink;
  const label = { context: undefined, namespace: undefined, pod: 'web-7d9', container: 'app', colors: undefined };
  const cpuNs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const out = [`| line | ${WRITER_SETTINGS.map(([name]) => name).join(' | ')} |`, `|---|${WRITER_SETTINGS.map(() => '---').join('|')}|`];
  for (const [name, buf] of sampleLines()) {
    const tsEnd = 30;
    const cells: string[] = [];
    for (const [, extra] of WRITER_SETTINGS) {
      const settings: FormatSettings = { output: 'default', timestamps: false, escapeControls: false, ...extra };
      const write = makeLineWriter(label, settings, sink);
      const passes: number[] = [];
      for (let pass = 0; pass < 4; pass++) {
        const t0 = cpuNs();
        for (let i = 0; i < n; i++) write(buf, 0, tsEnd, tsEnd + 1, buf.length);
        // the first pass warms the JIT up
        if (pass > 0) passes.push((cpuNs() - t0) / n);
      }
      cells.push(`${Math.round(median(passes))} ns`);
    }
    out.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  out.push('', `writer: CPU time (user+sys) per line of one source's writer, median of 3 passes over ${n.toLocaleString('en-US')} lines`);
  return out;
}
