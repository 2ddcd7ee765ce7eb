/**
 * `-i` on a million 150-byte log lines: V8's RegExp against RE2 (re2js, and the `re2` native
 * binding when it is installed). `tsc -p tsconfig.bench.json && node dist-bench/bench/regex.js`.
 * Times keep() alone (every line), and keep()+highlight() (the colour path).
 */
import { Pattern } from '../src/common/regex.js';

const N = 1_000_000;
const words = ['GET', 'POST', '/api/cart', '/healthz', 'user=42', 'took', 'ms', 'ok', 'status=200', 'trace=ab12cd'];
const lines: string[] = [];
let seed = 7;
const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
for (let i = 0; i < N; i++) {
  let s = `2026-11-29T22:00:00.${String(i % 1000000).padStart(6, '0')}Z level=${i % 50 === 0 ? 'ERROR' : 'info'}`;
  while (s.length < 150) s += ` ${words[rand(words.length)]!}`;
  lines.push(s.slice(0, 150));
}

interface Engine {
  name: string;
  make(source: string): { test(s: string): boolean; ranges?(s: string): unknown };
}

const engines: Engine[] = [
  // V8 has no (?i): the same pattern with its flag
  {
    name: 'V8 RegExp',
    make: (s) => {
      const [src, f] = s.startsWith('(?i)') ? [s.slice(4), 'i'] : [s, ''];
      const g = new RegExp(src, `${f}g`);
      const r = new RegExp(src, f);
      return { test: (t: string) => r.test(t), ranges: (t: string) => [...t.matchAll(g)] };
    },
  },
  { name: 're2js', make: (s) => new Pattern(s) },
];
try {
  const optional: string = 're2'; // not a dependency: measured when installed by hand
  const mod = (await import(optional)) as { default: new (s: string, f?: string) => RegExp };
  const RE2 = mod.default;
  engines.push({
    name: 're2 (native)',
    make: (s) => {
      const r = new RE2(s);
      const g = new RE2(s, 'g');
      return { test: (t: string) => r.test(t), ranges: (t: string) => [...t.matchAll(g)] };
    },
  });
} catch {
  // not installed
}

const patterns = ['ERROR', 'status=(4|5)\\d\\d', '(?i)error', 'user=\\d+ .*took'];
for (const source of patterns) {
  for (const e of engines) {
    let p: ReturnType<Engine['make']>;
    try {
      p = e.make(source);
    } catch {
      console.log(`${source}\t${e.name}\tunsupported syntax`);
      continue;
    }
    let kept = 0;
    // CPU time (user+sys), not wall time: the machine is shared
    const cpu = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const t0 = cpu();
    for (const l of lines) if (p.test(l)) kept++;
    const t1 = cpu();
    for (const l of lines) if (p.test(l)) p.ranges?.(l);
    const t2 = cpu();
    console.log(`${source}\t${e.name}\tkeep ${(t1 - t0).toFixed(0)} ms\tkeep+highlight ${(t2 - t1).toFixed(0)} ms\tkept ${kept}`);
  }
}
