/** SPEC §5 and §6 against the simulated cluster: auth, TLS, secrets, terminal safety, hostile bytes. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { otherCaCert } from '../../src/sim/index.js';
import { BIN, ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

const PLUGIN = fileURLToPath(new URL('../fixtures/exec-plugin.mjs', import.meta.url));
const EXPIRING = fileURLToPath(new URL('../fixtures/exec-expiring.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ktail-sec-'));

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({
    forbiddenNamespaces: ['payments'],
    namespaces: ['shop', 'payments'],
    userName: 'dev',
    // a 16 MiB line would take the file past the kubelet's 10 MiB and rotate it before the next
    containerLogMaxSize: 64 * 1024 * 1024,
  });
});

async function kubeconfigWith(name: string, contexts: Parameters<SimFixture['sim']['writeKubeconfig']>[1]): Promise<string> {
  return fx.sim.writeKubeconfig(join(dir, name), contexts);
}

/**
 * A kubeconfig whose one context gets its token from an exec plugin (fixtures/exec-*.mjs): the
 * plugin hands out what tokenFile holds (the cluster's token to begin with) and adds a line to a
 * count file each time it runs; pluginRuns() reads those lines.
 */
async function execKubeconfig(
  name: string,
  context: string,
  plugin: string,
  more: { apiVersion?: string; env?: { name: string; value: string }[] } = {},
): Promise<{ kc: string; tokenFile: string; pluginRuns: () => string[] }> {
  const countFile = join(dir, `${name}-count`);
  const tokenFile = join(dir, `${name}-token`);
  writeFileSync(countFile, '');
  writeFileSync(tokenFile, fx.sim.token);
  const env = [{ name: 'COUNT_FILE', value: countFile }, { name: 'TOKEN_FILE', value: tokenFile }, ...(more.env ?? [])];
  const kc = await kubeconfigWith(name, {
    currentContext: context,
    contexts: [{ name: context, namespace: 'default', exec: { command: process.execPath, args: [plugin], ...more, env } }],
  });
  return { kc, tokenFile, pluginRuns: () => readFileSync(countFile, 'utf8').trim().split('\n') };
}

describe('start-up failures against a live server', () => {
  it('401: a refused token', async () => {
    const kc = await kubeconfigWith('bad-token', { contexts: [{ name: 'badtoken', token: 'wrong-token-xyz' }] });
    const r = await runKtail(['--kubeconfig', kc, '--context', 'badtoken', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ktail: unauthorized: https:\/\/127\.0\.0\.1:\d+ refused the credentials of context "badtoken"/);
    expect(r.stderr + r.stdout).not.toContain('wrong-token-xyz');
  });

  it('403 on listing pods names the namespace and the user', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', '-n', 'payments']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ktail: forbidden: cannot list pods in namespace "payments" as user "dev"\n');
  });

  it('TLS: a server certificate from an unknown authority', async () => {
    const kc = await kubeconfigWith('other-ca', { contexts: [{ name: 'otherca', caData: otherCaCert }] });
    const r = await runKtail(['--kubeconfig', kc, '--context', 'otherca', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ktail: cannot reach https:\/\/127\.0\.0\.1:\d+ \(TLS: certificate signed by unknown authority\)/);
  });

  it('insecure-skip-tls-verify is honoured only from the kubeconfig, with a warning', async () => {
    fx.sim.createPod({ name: 'insecure-pod', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'insecure-pod', container: 'app' }, ['hello']);
    const kc = await kubeconfigWith('insecure', { contexts: [{ name: 'insecure', insecureSkipTlsVerify: true }] });
    const r = await runKtail(['--kubeconfig', kc, '--context', 'insecure', '^insecure-pod$', '--no-follow']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('insecure-pod app hello\n');
    expect(r.stderr).toMatch(/skips TLS verification \(insecure-skip-tls-verify in the kubeconfig\)/);
  });
});

describe('credentials', () => {
  it('an exec plugin runs once for 50 streams, again after a 401, and its output never shows', async () => {
    const { kc, tokenFile, pluginRuns } = await execKubeconfig('exec', 'execctx', PLUGIN, {
      apiVersion: 'client.authentication.k8s.io/v1',
    });
    for (let i = 0; i < 25; i++) {
      fx.sim.createPod({ name: `execp-${i}`, containers: [{ name: 'a' }, { name: 'b' }] });
      fx.sim.writeLines({ pod: `execp-${i}`, container: 'a' }, ['one']);
      fx.sim.writeLines({ pod: `execp-${i}`, container: 'b' }, ['one']);
    }
    const k = ktail(fx, ['--kubeconfig', kc, '^execp-', '--verbose']);
    await k.waitFor((x) => x.lines.length >= 50, '50 streams');
    expect(pluginRuns()).toHaveLength(1);

    // rotate: the old token is refused from now on; the plugin hands out the new one
    const rotated = 'rotated-token-123';
    writeFileSync(tokenFile, rotated);
    fx.sim.setTokens([rotated]);
    fx.sim.cutLogStreams({ pod: 'execp-0' });
    fx.sim.writeLines({ pod: 'execp-0', container: 'a' }, ['two']);
    await k.waitFor((x) => x.lines.includes('execp-0 a two'), 'a line after the rotation');
    await k.stop();
    fx.sim.setTokens([fx.sim.token]);
    const runs = pluginRuns().length;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(3);
    const everything = k.text + k.stderr;
    expect(everything).not.toContain(fx.sim.token);
    expect(everything).not.toContain(rotated);
  });
});

describe('an exec credential with an expiry', () => {
  it('is renewed once it expires (a 3 s lifetime), not once per stream, and no line is lost', async () => {
    const { kc, pluginRuns } = await execKubeconfig('expiring', 'expctx', EXPIRING, { env: [{ name: 'LIFETIME_S', value: '3' }] });
    for (let i = 0; i < 25; i++) fx.sim.createPod({ name: `expp-${i}`, containers: [{ name: 'a' }, { name: 'b' }] });
    const k = ktail(fx, ['--kubeconfig', kc, '^expp-']);
    await k.waitFor((x) => x.notices(/^\+ expp-/).length === 50, '50 streams');
    expect(pluginRuns()).toHaveLength(1);
    // 8 s of lines, each second every stream cut: each reconnect asks for credentials
    for (let s = 0; s < 8; s++) {
      fx.sim.writeLines({ pod: 'expp-0', container: 'a' }, [`line-${s}`]);
      await sleep(1000);
      fx.sim.cutLogStreams({ pod: 'expp-0' });
    }
    await k.waitFor((x) => x.lines.includes('expp-0 a line-7'), 'the last line');
    expect(k.lines.filter((l) => l.startsWith('expp-0 a '))).toEqual(Array.from({ length: 8 }, (_, s) => `expp-0 a line-${s}`));
    const runs = pluginRuns().length;
    // renewed once expired, when a request needs it: about every 3 s here, never per stream
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
    await k.stop();
  }, 30_000);
});

describe('terminal safety', () => {
  const hostile = [
    'clear \x1b[2J\x1b[H screen',
    'title \x1b]0;pwned\x07 set',
    'clipboard \x1b]52;c;ZWNobyBoaQ==\x07 write',
    'link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here',
    'colour \x1b[31mred\x1b[0m stays',
  ];

  it('piped output is byte for byte what the container wrote', async () => {
    fx.sim.createPod({ name: 'hostile-pipe', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'hostile-pipe', container: 'app' }, hostile);
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^hostile-pipe$', '--no-follow', '-o', 'raw']);
    expect(r.stdout).toBe(hostile.map((l) => `${l}\n`).join(''));
  });

  it('on a terminal, control sequences are shown escaped and colour passes', async () => {
    fx.sim.createPod({ name: 'hostile-tty', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'hostile-tty', container: 'app' }, hostile);
    // script(1) gives ktail a pseudo-terminal as stdout
    // with colour: without it (--color never, NO_COLOR) the application's SGR is shown escaped too (color.test.ts)
    const cmd = `"${process.execPath}" "${BIN}" --kubeconfig "${fx.kubeconfig}" '^hostile-tty$' --no-follow -o raw --color always`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'xterm' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('latin1')));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toContain('clear \\x1b[2J\\x1b[H screen');
    expect(out).toContain('title \\x1b]0;pwned\\x07 set');
    expect(out).toContain('clipboard \\x1b]52;c;ZWNobyBoaQ==\\x07 write');
    expect(out).toContain('link \\x1b]8;;https://evil.example\\x1b\\click');
    expect(out).toContain('colour \x1b[31mred\x1b[0m stays');
    expect(out).not.toContain('\x1b[2J');
    expect(out).not.toContain('\x1b]');
  });
});

describe('hostile log content, piped', () => {
  it('NUL bytes, invalid UTF-8, \\r\\n line ends and empty lines pass unchanged', async () => {
    fx.sim.createPod({ name: 'weird', containers: [{ name: 'app' }] });
    const bytes = Buffer.concat([
      Buffer.from('nul\x00byte\n'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x0a]), // invalid UTF-8 + newline
      Buffer.from('windows\r\n'),
      Buffer.from('\n\n\n'),
    ]);
    fx.sim.writeRaw({ pod: 'weird', container: 'app' }, bytes);
    fx.sim.terminateContainer({ pod: 'weird', container: 'app' }, { exitCode: 0 });
    const k = ktail(fx, ['^weird$', '--no-follow', '-o', 'raw']);
    await k.exited;
    expect(k.stdout.equals(bytes)).toBe(true);
  });

  it('a 16 MiB line arrives whole', async () => {
    fx.sim.createPod({ name: 'huge', containers: [{ name: 'app' }] });
    const line = Buffer.alloc(16 * 1024 * 1024, 0x61);
    fx.sim.writeLines({ pod: 'huge', container: 'app' }, [line, 'after']);
    const k = ktail(fx, ['^huge$', '--no-follow', '-o', 'raw']);
    const exit = await k.exited;
    expect(exit.code).toBe(0);
    expect(k.stdout.length).toBe(line.length + 1 + 'after\n'.length);
    expect(k.stdout.subarray(0, line.length).equals(line)).toBe(true);
    expect(k.stdout.subarray(line.length).toString()).toBe('\nafter\n');
  });
});
