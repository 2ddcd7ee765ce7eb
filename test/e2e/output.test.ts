/** Issue 6 end to end: formats, templates, filters, colours and --ordered against the simulated cluster. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop', 'payments'] });
});

const args = (...rest: string[]): string[] => ['--kubeconfig', fx.kubeconfig, ...rest];

describe('-o json, extjson, ppextjson', () => {
  beforeAll(() => {
    fx.sim.createPod({
      namespace: 'shop',
      name: 'jsonpod',
      labels: { app: 'checkout', tier: 'web' },
      annotations: { owner: 'team-shop' },
      nodeName: 'sim-node-2',
      containers: [{ name: 'app' }],
    });
    fx.sim.writeLines({ namespace: 'shop', pod: 'jsonpod', container: 'app' }, ['plain "quoted" text', '{"level":"warn","n":1}'], {
      timestamp: '2026-01-02T15:04:05.123456789Z',
    });
  });

  it("-o json: stern's keys with the pod's node, labels and annotations", async () => {
    const r = await runKtail(args('^jsonpod$', '--since', '10000d', '-n', 'shop', '--no-follow', '-o', 'json'));
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        message: 'plain "quoted" text',
        timestamp: '2026-01-02T15:04:05.123456789Z',
        namespace: 'shop',
        podName: 'jsonpod',
        containerName: 'app',
        nodeName: 'sim-node-2',
        labels: { app: 'checkout', tier: 'web' },
        annotations: { owner: 'team-shop' },
      },
      expect.objectContaining({ message: '{"level":"warn","n":1}' }),
    ]);
  });

  it('-o json with several namespaces and -t short --timezone', async () => {
    const r = await runKtail(
      args('^jsonpod$', '--since', '10000d', '-n', 'shop,payments', '--no-follow', '-o', 'json', '-t', 'short', '--timezone', 'Asia/Tokyo'),
    );
    expect(r.code).toBe(0);
    const first = JSON.parse(r.stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ namespace: 'shop', timestamp: '01-03 00:04:05' });
  });

  it("-o extjson embeds JSON messages; ppextjson puts a key on each line, as stern's templates write them", async () => {
    const ext = await runKtail(args('^jsonpod$', '--since', '10000d', '-n', 'shop', '--no-follow', '-o', 'extjson'));
    expect(ext.stdout).toBe(
      '{"pod": "jsonpod", "container": "app", "message": "plain \\"quoted\\" text"}\n{"pod": "jsonpod", "container": "app", "message": {"level":"warn","n":1}}\n',
    );
    const pp = await runKtail(args('^jsonpod$', '--since', '10000d', '-n', 'shop', '--no-follow', '-o', 'ppextjson', '-i', 'warn'));
    expect(pp.stdout).toBe('{\n  "pod": "jsonpod",\n  "container": "app",\n  "message": {"level":"warn","n":1}\n}\n');
  });
});

describe('--template and -T', () => {
  beforeAll(() => {
    fx.sim.createPod({ name: 'tplpod', labels: { app: 'tpl' }, containers: [{ name: 'app' }, { name: 'side' }] });
    fx.sim.writeLines({ pod: 'tplpod', container: 'app' }, ['{"level":"error","msg":"card declined"}', 'not json']);
  });

  it('a stern README template', async () => {
    const tpl =
      '{{.PodName}}/{{.ContainerName}} {{ with $msg := .Message | tryParseJSON }}[{{ levelColor $msg.level }}] {{ $msg.msg }}{{ else }}{{ .Message }}{{ end }}{{"\\n"}}';
    const r = await runKtail(args('^tplpod$', '-c', 'app', '--no-follow', '--template', tpl));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('tplpod/app [error] card declined\ntplpod/app not json\n');
  });

  it('-T reads a template file; the labels are there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktail-e2e-tpl-'));
    const path = join(dir, 'log.tpl');
    writeFileSync(path, '{{- /* a comment */ -}}\n{{.Labels.app}} {{.NodeName}} {{.Message}}\n');
    const r = await runKtail(args('^tplpod$', '-c', 'app', '--no-follow', '-T', path, '-e', 'json'));
    expect(r.stdout).toMatch(/^tpl sim-node-\d \{"level":"error","msg":"card declined"\}\n$/);
  });

  it.each<[string, string[], RegExp]>([
    [
      'an unknown function',
      ['--template', '{{.PodName}} {{colr .Message}}'],
      /^ktail: invalid --template at 1:16: function "colr" not defined\n$/,
    ],
    ['an unknown field', ['--template', '{{.Podname}}'], /^ktail: invalid --template at 1:3: can't evaluate field Podname/],
    ['an unknown zone', ['--timezone', 'Mars/Base'], /^ktail: invalid value "Mars\/Base" for --timezone/],
    ['an invalid -i', ['-i', 'a('], /^ktail: invalid --include regex "a\(": missing closing \)\n$/],
    ['a bad colour', ['--pod-colors', 'red'], /^ktail: invalid colour "red" for --pod-colors/],
    ['an unknown output format', ['-o', 'yaml'], /^ktail: invalid value "yaml" for --output/],
  ])('%s: exit 2, one line, before connecting', async (_name, flags, message) => {
    const r = await runKtail(args('web', ...flags));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a template file that does not parse: exit 2 with file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktail-e2e-tpl-'));
    const path = join(dir, 'bad.tpl');
    writeFileSync(path, '{{.Message}}\n  {{if .PodName}}x\n');
    const r = await runKtail(args('web', '-T', path));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktail: invalid template file ${path}:2:5: {{if}} has no matching {{end}}\n`);
  });

  it('a line the template fails on is reported on stderr and left out; the others are written', async () => {
    const r = await runKtail(args('^tplpod$', '-c', 'app', '--no-follow', '--template', '{{(parseJSON .Message).msg}}'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('card declined\n');
    expect(r.stderr).toMatch(/ktail: template: at <parseJSON \.Message>: error calling parseJSON: .*; the line is left out \(tryParseJSON/);
  });
});

describe('-i, -e, -H and colours', () => {
  beforeAll(() => {
    fx.sim.createPod({ name: 'filtpod', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'filtpod', container: 'app' }, [
      'GET /healthz 200',
      'GET /cart 200',
      'ERROR upstream timeout',
      '{"level":"error","msg":"x"}',
      '{"level":"info","msg":"y"}',
    ]);
  });

  it('-i and -e filter; piped output stays free of escapes', async () => {
    const r = await runKtail(args('^filtpod$', '--no-follow', '-i', 'GET|ERROR', '-e', 'healthz', '-H', 'cart'));
    expect(r.stdout).toBe('filtpod app GET /cart 200\nfiltpod app ERROR upstream timeout\n');
  });

  it('on colour output -i and -H matches are painted and lines coloured by level', async () => {
    const r = await runKtail(args('^filtpod$', '--no-follow', '--color', 'always', '-e', 'healthz', '-H', 'cart|timeout'));
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\x1b\[\d+mfiltpod\x1b\[0m \x1b\[\d+;4mapp\x1b\[0m /, ''));
    expect(lines).toEqual([
      'GET /\x1b[31;1mcart\x1b[0;22m 200',
      // the level's colour resumes after the match
      '\x1b[31mERROR upstream \x1b[31;1mtimeout\x1b[0;22m\x1b[31m\x1b[0m',
      '\x1b[31m{"level":"error","msg":"x"}\x1b[0m',
      '{"level":"info","msg":"y"}',
    ]);
  });

  it('--pod-colors and -d', async () => {
    fx.sim.createPod({ name: 'colpod', containers: [{ name: 'app' }, { name: 'proxy' }] });
    fx.sim.writeLines({ pod: 'colpod', container: 'app' }, ['a']);
    fx.sim.writeLines({ pod: 'colpod', container: 'proxy' }, ['p']);
    const r = await runKtail(
      args('^colpod$', '--no-follow', '--color', 'always', '--pod-colors', '38;5;208', '--container-colors', '38;5;94'),
    );
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      '\x1b[38;5;208mcolpod\x1b[0m \x1b[38;5;94mapp\x1b[0m a',
      '\x1b[38;5;208mcolpod\x1b[0m \x1b[38;5;94mproxy\x1b[0m p',
    ]);
    const d = await runKtail(
      args('^colpod$', '--no-follow', '--color', 'always', '-d', '--pod-colors', '91,92', '--container-colors', '31,32'),
    );
    const shade = (c: string): string => new RegExp(`\\x1b\\[(\\d+)m${c}\\x1b`).exec(d.stdout)![1]!;
    expect(shade('app')).not.toBe(shade('proxy'));
  });
});

describe('--ordered', () => {
  const at = (base: number, ms: number): Date => new Date(base + ms);

  it('--no-follow: the lines of all sources in timestamp order', async () => {
    const base = Date.now() - 60_000;
    fx.sim.createPod({ name: 'ord-a', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'ord-b', containers: [{ name: 'app' }] });
    for (let i = 0; i < 5; i++) {
      fx.sim.writeLines({ pod: 'ord-a', container: 'app' }, [`t${2 * i}`], { timestamp: at(base, 20 * i) });
      fx.sim.writeLines({ pod: 'ord-b', container: 'app' }, [`t${2 * i + 1}`], { timestamp: at(base, 20 * i + 10) });
    }
    const r = await runKtail(args('^ord-[ab]$', '--no-follow', '--ordered', '-o', 'raw'));
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
  });

  it('following skewed sources: merged in order within the window; a late line is still printed', async () => {
    fx.sim.createPod({ name: 'skew-a', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'skew-b', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['^skew-[ab]$', '--ordered=2s', '-o', 'raw']);
    const plain = ktail(fx, ['^skew-[ab]$', '-o', 'raw']);
    for (const x of [k, plain])
      await x.waitFor((y) => y.stderr.includes('+ skew-a › app') && y.stderr.includes('+ skew-b › app'), 'both streams');
    const base = Date.now();
    // a writes first; b's lines, 500 ms later, fall between a's
    for (let i = 0; i < 3; i++) fx.sim.writeLines({ pod: 'skew-a', container: 'app' }, [`t${2 * i}`], { timestamp: at(base, 20 * i) });
    await sleep(500);
    for (let i = 0; i < 3; i++)
      fx.sim.writeLines({ pod: 'skew-b', container: 'app' }, [`t${2 * i + 1}`], { timestamp: at(base, 20 * i + 10) });
    await plain.waitFor((x) => x.lines.length >= 6, 'the unordered lines');
    await k.waitFor((x) => x.lines.length >= 6, 'the ordered lines');
    expect(plain.lines).toEqual(['t0', 't2', 't4', 't1', 't3', 't5']); // arrival order: the skew is real
    expect(k.lines).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    // a line whose time has long passed: out of place, but printed
    fx.sim.writeLines({ pod: 'skew-b', container: 'app' }, ['late'], { timestamp: at(base, 100) });
    fx.sim.writeLines({ pod: 'skew-a', container: 'app' }, ['after'], { timestamp: at(base, 5000) });
    await k.waitFor((x) => x.lines.length >= 8, 'the late lines');
    expect(k.lines.slice(6)).toEqual(['late', 'after']);
    await plain.stop();
    const exit = await k.stop();
    expect(exit.code).toBe(130);
  });

  it('Ctrl-C writes what --ordered still holds', async () => {
    fx.sim.createPod({ name: 'hold', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['^hold$', '--ordered=30s', '-o', 'raw']);
    await k.waitFor((x) => x.stderr.includes('+ hold › app'), 'the stream');
    fx.sim.writeLines({ pod: 'hold', container: 'app' }, ['held 1', 'held 2']);
    await sleep(500);
    expect(k.lines).toEqual([]);
    const exit = await k.stop();
    expect(exit.code).toBe(130);
    expect(k.lines).toEqual(['held 1', 'held 2']);
  });
});
