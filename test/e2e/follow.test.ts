/** Issue 3's promises, proven by running bin/ktail against the simulated cluster. */
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ktail, runKtail } from '../helpers/spawn.js';
import { numbered } from '../helpers/count.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop', 'payments'] });
});

/** lines of stdout that end with " <tag> line <n>", by n */
function countByNumber(lines: readonly string[], prefix: string, tag: string): Map<number, number> {
  const counts = new Map<number, number>();
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${tag} line (\\d+)$`);
  for (const l of lines) {
    const m = re.exec(l);
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

function expectExactlyOnce(counts: Map<number, number>, n: number): void {
  const missing = [];
  const repeated = [];
  for (let i = 0; i < n; i++) {
    const c = counts.get(i) ?? 0;
    if (c === 0) missing.push(i);
    if (c > 1) repeated.push(i);
  }
  expect({ missing: missing.slice(0, 10), repeated: repeated.slice(0, 10) }).toEqual({ missing: [], repeated: [] });
}

describe('following pods', () => {
  it('3 pods × 2 containers, 1,000 lines each: every line exactly once, with its pod and container', async () => {
    const pods = ['alpha-0', 'alpha-1', 'alpha-2'];
    for (const pod of pods) fx.sim.createPod({ name: pod, containers: [{ name: 'app' }, { name: 'proxy' }] });
    // half before ktail starts, half while it runs
    for (const pod of pods) for (const c of ['app', 'proxy']) fx.sim.writeLines({ pod, container: c }, numbered(`${pod}/${c}`, 500));
    const k = ktail(fx, ['^alpha-']);
    await k.waitFor((x) => x.lines.length >= 3000, '3000 lines');
    for (const pod of pods) for (const c of ['app', 'proxy']) fx.sim.writeLines({ pod, container: c }, numbered(`${pod}/${c}`, 500, 500));
    await k.waitFor((x) => x.lines.length >= 6000, '6000 lines');
    await sleep(300); // anything extra would show up now
    const exit = await k.stop();
    expect(exit.code).toBe(130);
    expect(k.lines).toHaveLength(6000);
    for (const pod of pods) {
      for (const c of ['app', 'proxy']) {
        expectExactlyOnce(countByNumber(k.lines, `${pod} ${c} `, `${pod}/${c}`), 1000);
      }
    }
    for (const pod of pods) for (const c of ['app', 'proxy']) expect(k.stderr).toContain(`+ ${pod} › ${c}`);
  });

  it('a rolling update: new pods from their first line, fast; old ones end with a notice', async () => {
    const dep = fx.sim.createDeployment({ namespace: 'shop', name: 'roll', replicas: 2, containers: [{ name: 'app' }] });
    const k = ktail(fx, ['^roll-', '-n', 'shop']);
    await k.waitFor((x) => dep.pods.every((p) => x.stderr.includes(`+ ${p.name} › app`)), 'the first pods');
    // lines written by the new pods before ktail could possibly connect are still shown
    const rollout = fx.sim.rolloutDeployment('shop', 'roll', { graceMs: 100 });
    const result = await rollout;
    for (const p of result.pods) fx.sim.writeLines({ namespace: 'shop', pod: p.name, container: 'app' }, ['first words']);
    await k.waitFor((x) => result.pods.every((p) => x.lines.includes(`${p.name} app first words`)), 'first lines of the new pods');
    await k.waitFor((x) => dep.pods.every((p) => new RegExp(`^- ${p.name} › app \\(`, 'm').test(x.stderr)), 'old pods ended');
    // latency: a line written now shows within a second
    const newest = result.pods[0]!;
    const t0 = Date.now();
    fx.sim.writeLines({ namespace: 'shop', pod: newest.name, container: 'app' }, ['latency probe']);
    await k.waitFor((x) => x.lines.includes(`${newest.name} app latency probe`), 'the probe', 5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    await k.stop();
  });

  it('a container restart is a new source: no line repeated, the new instance from its first line', async () => {
    fx.sim.createPod({ name: 'restarty', containers: [{ name: 'app' }] });
    const ref = { pod: 'restarty', container: 'app' };
    fx.sim.writeLines(ref, numbered('old', 100));
    const k = ktail(fx, ['^restarty$', '--tail', '10']);
    await k.waitFor((x) => x.lines.length >= 10, 'the tail of the first instance');
    fx.sim.writeLines(ref, numbered('old', 50, 100));
    fx.sim.restartContainer(ref, { reason: 'OOMKilled', exitCode: 137 });
    fx.sim.writeLines(ref, numbered('new', 200));
    await k.waitFor((x) => countByNumber(x.lines, 'restarty app ', 'new').size === 200, 'the new instance');
    await k.waitFor((x) => x.stderr.includes('- restarty › app (terminated: OOMKilled, exit 137)'), 'the end notice');
    await k.stop();
    // --tail applied to the instance that existed at start, not to the new one
    const old = countByNumber(k.lines, 'restarty app ', 'old');
    expect([...old.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => 90 + i));
    expectExactlyOnce(countByNumber(k.lines, 'restarty app ', 'new'), 200);
    expect(k.stderr).toContain('+ restarty › app (restart 1)');
  });

  it('--since applies only to containers that exist at start', async () => {
    fx.sim.createPod({ name: 'sincey', containers: [{ name: 'app' }] });
    const ref = { pod: 'sincey', container: 'app' };
    fx.sim.writeLines(ref, ['ancient'], { timestamp: new Date(Date.now() - 3_600_000) });
    fx.sim.writeLines(ref, ['recent']);
    const k = ktail(fx, ['^sincey', '--since', '10m']);
    await k.waitFor((x) => x.lines.includes('sincey app recent'), 'the recent line');
    fx.sim.createPod({ name: 'sincey-late', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'sincey-late', container: 'app' }, ['late ancient'], { timestamp: new Date(Date.now() - 3_600_000) });
    await k.waitFor((x) => x.lines.includes('sincey-late app late ancient'), 'the late pod read from its first line');
    await k.stop();
    expect(k.lines).not.toContain('sincey app ancient');
  });
});

describe('filters and prefixes', () => {
  it('only matching pods and containers, minus the excluded ones', async () => {
    fx.sim.createPod({ name: 'filt-web-1', containers: [{ name: 'app' }, { name: 'proxy' }, { name: 'istio-proxy' }] });
    fx.sim.createPod({ name: 'filt-web-canary', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'filt-db-1', containers: [{ name: 'app' }] });
    for (const [pod, c] of [
      ['filt-web-1', 'app'],
      ['filt-web-1', 'proxy'],
      ['filt-web-1', 'istio-proxy'],
      ['filt-web-canary', 'app'],
      ['filt-db-1', 'app'],
    ] as const) {
      fx.sim.writeLines({ pod, container: c }, [`from ${pod}/${c}`]);
    }
    const r = await runKtail([
      '--kubeconfig',
      fx.kubeconfig,
      'filt-web',
      '-c',
      'app|proxy',
      '-E',
      '^istio',
      '--exclude-pod',
      'canary',
      '--no-follow',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'filt-web-1 app from filt-web-1/app',
      'filt-web-1 proxy from filt-web-1/proxy',
    ]);
  });

  it('-l is sent to the server', async () => {
    fx.sim.createPod({ name: 'lab-a', labels: { tier: 'gold' }, containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'lab-b', labels: { tier: 'bronze' }, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'lab-a', container: 'app' }, ['gold']);
    fx.sim.writeLines({ pod: 'lab-b', container: 'app' }, ['bronze']);
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '-l', 'tier in (gold)', '--no-follow']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('lab-a app gold\n');
  });

  it.each([[['-A']], [['-n', 'shop,payments']], [['-n', 'shop', '-n', 'payments']]])('%j puts the namespace first', async (nsArgs) => {
    fx.sim.createPod({
      namespace: 'payments',
      name: `nsp-${nsArgs.length}${nsArgs[1] ?? ''}`.replace(/[^a-z0-9-]/g, ''),
      containers: [{ name: 'app' }],
    });
    const name = `nsp-${nsArgs.length}${nsArgs[1] ?? ''}`.replace(/[^a-z0-9-]/g, '');
    fx.sim.writeLines({ namespace: 'payments', pod: name, container: 'app' }, ['hello']);
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, `^${name}$`, ...nsArgs, '--no-follow']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`payments ${name} app hello\n`);
  });
});

describe('output bytes', () => {
  it('piped output has no escape byte; --color always has', async () => {
    fx.sim.createPod({ name: 'colr', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'colr', container: 'app' }, ['plain', '\x1b[31mred from the app\x1b[0m']);
    const plain = await runKtail(['--kubeconfig', fx.kubeconfig, '^colr$', '--no-follow']);
    expect(plain.stdout).toBe('colr app plain\ncolr app \x1b[31mred from the app\x1b[0m\n'); // byte for byte
    const piped = await runKtail(['--kubeconfig', fx.kubeconfig, '^colr$', '--no-follow', '-E', 'none']);
    expect(piped.stdout.split('\n')[0]).not.toContain('\x1b');
    const coloured = await runKtail(['--kubeconfig', fx.kubeconfig, '^colr$', '--no-follow', '--color', 'always']);
    // 16 colours: the pod bright or normal, its container the same colour underlined
    expect(coloured.stdout.split('\n')[0]).toMatch(/^\x1b\[([39]\d)mcolr\x1b\[0m \x1b\[\1;4mapp\x1b\[0m plain$/);
    const never = await runKtail(['--kubeconfig', fx.kubeconfig, '^colr$', '--no-follow'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(never.stdout.split('\n')[0]).toMatch(/^\x1b\[[39]\dmcolr/); // FORCE_COLOR wins over NO_COLOR
  });

  it('1 MiB lines, multi-byte characters and a last line without newline arrive intact', async () => {
    fx.sim.createPod({ name: 'bytes', containers: [{ name: 'app' }] });
    const big = 'x'.repeat(1024 * 1024);
    const emoji = '日本語🙂'.repeat(20_000); // multi-byte characters straddle every chunk boundary
    fx.sim.writeLines({ pod: 'bytes', container: 'app' }, [big, emoji]);
    fx.sim.writeRaw({ pod: 'bytes', container: 'app' }, 'no newline at the end');
    fx.sim.terminateContainer({ pod: 'bytes', container: 'app' }, { exitCode: 0 });
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^bytes$', '--no-follow', '-o', 'raw']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(big);
    expect(lines[1]).toBe(emoji);
    expect(lines[2]).toBe('no newline at the end');
  });
});

describe('ending', () => {
  it('--no-follow prints what exists and exits 0', async () => {
    fx.sim.createPod({ name: 'nofollow', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'nofollow', container: 'app' }, numbered('nf', 100));
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^nofollow$', '--no-follow', '--tail', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(numbered('nf', 5, 95).map((l) => `nofollow app ${l}`));
  });

  it('| head -1 exits 0 at once, without a trace', async () => {
    fx.sim.createPod({ name: 'headone', containers: [{ name: 'app' }] });
    fx.sim.generate({ pod: 'headone', container: 'app' }, { count: 200_000, size: 100 });
    const { spawn } = await import('node:child_process');
    const t0 = Date.now();
    const sh = spawn(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${BIN}" --kubeconfig "${fx.kubeconfig}" '^headone$' | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    sh.stderr.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise((r) => sh.on('close', r));
    expect(err).toMatch(/exit=0\s*$/);
    expect(err).not.toMatch(/EPIPE|at /);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('Ctrl-C exits 130 at once, with every received line written', async () => {
    fx.sim.createPod({ name: 'ctrlc', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'ctrlc', container: 'app' }, numbered('c', 1000));
    const k = ktail(fx, ['^ctrlc$']);
    await k.waitFor((x) => x.lines.length >= 1000, 'all lines');
    const t0 = Date.now();
    const exit = await k.stop('SIGINT');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(exit.code).toBe(130);
    expectExactlyOnce(countByNumber(k.lines, 'ctrlc app ', 'c'), 1000);
  });
});
