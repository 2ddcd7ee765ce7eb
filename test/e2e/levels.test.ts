/** --level, --level-strict and -o pretty end to end: against the simulated cluster, and with --stdin. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Ktail, ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim();
  fx.sim.createPod({ name: 'mixed', containers: [{ name: 'app' }] });
  fx.sim.writeLines({ pod: 'mixed', container: 'app' }, MIXED, { timestamp: '2026-01-02T15:04:05.123456789Z' });
});

const args = (...rest: string[]): string[] => ['--kubeconfig', fx.kubeconfig, ...rest];

/** One container writing every format ktail reads a level from, and lines with none. */
const MIXED = [
  'starting up',
  '{"level":"debug","msg":"config read"}',
  '{"level":40,"time":1767366245123,"msg":"pino warn"}',
  '{"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}',
  'time=2026-01-02T15:04:05Z level=info msg="logfmt info" id=7',
  'level=warn msg="logfmt warn"',
  'W0102 15:04:05.123456       1 reflector.go:42] klog warning',
  'I0102 15:04:05.123456       1 main.go:10] klog info',
  'ERROR plain error',
  '    at handler (/app/index.js:10:5)',
  'DEBUG plain debug',
  '    at poll (/app/queue.js:3:1)',
  '[warn] bracketed warn',
];

describe('--level against the cluster', () => {
  it('--level warn keeps warnings and errors of every format, lines without level, and the trace of a kept line', async () => {
    const r = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', '-o', 'raw', '--level', 'warn'));
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'starting up',
      '{"level":40,"time":1767366245123,"msg":"pino warn"}',
      '{"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}',
      'level=warn msg="logfmt warn"',
      'W0102 15:04:05.123456       1 reflector.go:42] klog warning',
      'ERROR plain error',
      '    at handler (/app/index.js:10:5)',
      '[warn] bracketed warn',
    ]);
  });

  it('--level error --level-strict drops lines without level, but not the trace of an error', async () => {
    const r = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', '--level', 'error', '--level-strict'));
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'mixed app {"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}',
      'mixed app ERROR plain error',
      'mixed app     at handler (/app/index.js:10:5)',
    ]);
  });

  it('applies to -o json and to templates as well', async () => {
    const json = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', '-o', 'json', '--level', 'error', '--level-strict'));
    expect(
      json.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { message: string }).message),
    ).toEqual([
      '{"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}',
      'ERROR plain error',
      '    at handler (/app/index.js:10:5)',
    ]);
    const tpl = await runKtail(
      args(
        '^mixed$',
        '--since',
        '10000d',
        '--no-follow',
        '--template',
        '{{.PodName}}: {{.Message}}',
        '--level',
        'error',
        '--level-strict',
        '-e',
        'ecs',
      ),
    );
    expect(tpl.stdout).toBe('mixed: ERROR plain error\nmixed:     at handler (/app/index.js:10:5)\n');
  });

  it('while following: a new line is shown or not by its level', async () => {
    fx.sim.createPod({ name: 'live', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['^live$', '-o', 'raw', '--level', 'info', '--level-strict']);
    await k.waitFor((x) => x.stderr.includes('+ live › app'), 'the stream');
    fx.sim.writeLines({ pod: 'live', container: 'app' }, [
      'level=debug msg=a',
      'no level',
      'level=info msg=b',
      'E0102 15:04:05.000000 1 x.go:1] c',
    ]);
    await k.waitFor((x) => x.lines.length >= 2, 'the kept lines');
    fx.sim.writeLines({ pod: 'live', container: 'app' }, ['{"level":"trace"}', 'FATAL last']);
    await k.waitFor((x) => x.lines.length >= 3, 'the last line');
    expect(k.lines).toEqual(['level=info msg=b', 'E0102 15:04:05.000000 1 x.go:1] c', 'FATAL last']);
    expect((await k.stop()).code).toBe(130);
  });

  it('on colour output, lines of every format are coloured by level', async () => {
    const r = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', '--color', 'always', '--level', 'warn', '--level-strict'));
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\x1b\[[\d;]+mmixed\x1b\[0m \x1b\[[\d;]+mapp\x1b\[0m /, ''));
    expect(lines).toEqual([
      '\x1b[33m{"level":40,"time":1767366245123,"msg":"pino warn"}\x1b[0m',
      '\x1b[31m{"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}\x1b[0m',
      '\x1b[33mlevel=warn msg="logfmt warn"\x1b[0m',
      '\x1b[33mW0102 15:04:05.123456       1 reflector.go:42] klog warning\x1b[0m',
      '\x1b[31mERROR plain error\x1b[0m',
      '    at handler (/app/index.js:10:5)',
      '\x1b[33m[warn] bracketed warn\x1b[0m',
    ]);
  });

  it.each<[string, string[], string]>([
    ['an unknown level', ['--level', 'verbose'], 'ktail: invalid value "verbose" for --level: expected one of debug, info, warn, error\n'],
    ['--level-strict alone', ['--level-strict'], 'ktail: --level-strict needs --level: give --level debug|info|warn|error too\n'],
    ['--level without its word', ['--level'], "ktail: option '--level <level>' argument missing (see ktail --help)\n"],
  ])('%s: one line, exit 2', async (_name, flags, message) => {
    const r = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', ...flags));
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
  });
});

describe('-o pretty against the cluster', () => {
  it('renders JSON and logfmt lines, leaves the others unchanged, with the short time under -t', async () => {
    const r = await runKtail(args('^mixed$', '--since', '10000d', '--no-follow', '-o', 'pretty', '-t'));
    expect(r.code).toBe(0);
    const at = 'mixed app 01-02 15:04:05';
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${at} starting up`,
      `${at} DEBUG config read`,
      `${at} WARN  pino warn time=1767366245123`,
      `${at} ERROR ecs error service.name=shop`,
      `${at} INFO  logfmt info time=2026-01-02T15:04:05Z id=7`,
      `${at} WARN  logfmt warn`,
      `${at} W0102 15:04:05.123456       1 reflector.go:42] klog warning`,
      `${at} I0102 15:04:05.123456       1 main.go:10] klog info`,
      `${at} ERROR plain error`,
      `${at}     at handler (/app/index.js:10:5)`,
      `${at} DEBUG plain debug`,
      `${at}     at poll (/app/queue.js:3:1)`,
      `${at} [warn] bracketed warn`,
    ]);
  });

  it('with --level, and the level word coloured on colour output', async () => {
    const r = await runKtail(
      args('^mixed$', '--since', '10000d', '--no-follow', '-o', 'pretty', '--level', 'warn', '--level-strict', '--color', 'always'),
    );
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\x1b\[[\d;]+mmixed\x1b\[0m \x1b\[[\d;]+mapp\x1b\[0m /, ''));
    expect(lines).toEqual([
      '\x1b[33mWARN \x1b[0m pino warn time=1767366245123',
      '\x1b[31mERROR\x1b[0m ecs error service.name=shop',
      '\x1b[33mWARN \x1b[0m logfmt warn',
      '\x1b[33mW0102 15:04:05.123456       1 reflector.go:42] klog warning\x1b[0m',
      '\x1b[31mERROR plain error\x1b[0m',
      '    at handler (/app/index.js:10:5)',
      '\x1b[33m[warn] bracketed warn\x1b[0m',
    ]);
  });
});

/** ktail --stdin with `input` on its standard input; no kubeconfig anywhere. */
async function pipe(input: string, flags: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const k = new Ktail(['--stdin', ...flags], { KUBECONFIG: '/nonexistent/kubeconfig' });
  k.child.stdin.end(input);
  const exit = await k.exited;
  return { code: exit.code, stdout: k.text, stderr: k.stderr };
}

describe('--stdin with --level and -o pretty', () => {
  const input = `${MIXED.join('\n')}\n`;

  it('--level filters standard input as it does a container', async () => {
    const r = await pipe(input, ['--level', 'error']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'starting up\n{"log":{"level":"error"},"message":"ecs error","service":{"name":"shop"}}\nERROR plain error\n    at handler (/app/index.js:10:5)\n',
      stderr: '',
    });
  });

  it('-o pretty writes no label for standard input', async () => {
    const r = await pipe('{"level":"warn","msg":"slow","ms":900}\nlevel=error msg="x y"\nplain\n', ['-o', 'pretty']);
    expect(r.stdout).toBe('WARN  slow ms=900\nERROR x y\nplain\n');
  });

  it('levels are coloured on colour output (default output, no label)', async () => {
    const r = await pipe('ERROR a\nb\n', ['--color', 'always']);
    expect(r.stdout).toBe('\x1b[31mERROR a\x1b[0m\nb\n');
  });

  it('--level with a template and -i: both apply to the line as read', async () => {
    const r = await pipe('level=error msg=one\nlevel=error msg=two\nlevel=info msg=one\n', [
      '--level',
      'warn',
      '-i',
      'one',
      '--template',
      '<{{.Message}}>',
    ]);
    expect(r.stdout).toBe('<level=error msg=one>\n');
  });
});

describe('the demo', () => {
  it('ktail --demo --level warn --level-strict shows lines, each a warning or worse', async () => {
    const k = new Ktail(['--demo', '--level', 'warn', '--level-strict', '--color', 'never']);
    await k.waitFor((x) => x.lines.length >= 4, 'four lines');
    await k.stop();
    const warnOrWorse = /^(?:ERROR |WARN |FATAL |\{.*"level":"(?:warn|error)"|[WEF]\d{4} |time=\S+ level=(?:warn|error))/;
    const messages = [...k.sources.values()].flat();
    expect(messages.filter((m) => !warnOrWorse.test(m))).toEqual([]);
    expect(messages.length).toBeGreaterThanOrEqual(4);
  });
});
