/**
 * Every wait has a deadline and every failure is said: servers and plugins that never answer
 * end with a message within their deadline and the exit code of SPEC §5.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarpit, TcpProxy } from '../../src/sim/index.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { ktail, runKtail } from '../helpers/spawn.js';
import { sleep } from '../helpers/wait.js';
import { alive } from '../helpers/inprocess.js';

const HANG = fileURLToPath(new URL('../fixtures/exec-hang.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ktail-deadlines-'));

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('an exec plugin that hangs', () => {
  it('Ctrl-C during start-up: exit 130 within a second, and the plugin ends with ktail', async () => {
    const pidFile = join(dir, 'hang.pid');
    const kc = await fx.sim.writeKubeconfig(join(dir, 'hang-kubeconfig'), {
      currentContext: 'hang',
      contexts: [{ name: 'hang', exec: { command: process.execPath, args: [HANG], env: [{ name: 'PID_FILE', value: pidFile }] } }],
    });
    const k = ktail({ ...fx, kubeconfig: kc }, ['web']);
    const started = Date.now();
    let pid = 0;
    while (pid === 0 && Date.now() - started < 10_000) {
      await sleep(50);
      try {
        pid = Number(readFileSync(pidFile, 'utf8'));
      } catch {
        // not yet started
      }
    }
    expect(pid).toBeGreaterThan(0);
    const interruptedAt = Date.now();
    const exit = await k.stop('SIGINT');
    expect(exit.code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(2000);
    await sleep(200);
    expect(alive(pid)).toBe(false);
  });
});

describe('servers that stop answering', () => {
  it('a TLS handshake that never ends at start: exit 1 with "TLS handshake timeout" after 10 s', async () => {
    const tarpit = await startTarpit();
    try {
      const kc = await fx.sim.writeKubeconfig(join(dir, 'tarpit-kubeconfig'), {
        currentContext: 'tarpit',
        contexts: [{ name: 'tarpit', server: `https://127.0.0.1:${tarpit.port}` }],
      });
      const started = Date.now();
      const r = await runKtail(['--kubeconfig', kc, 'web'], {}, { timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ktail: cannot reach https://127.0.0.1:${tarpit.port} (TLS handshake timeout) — check --context\n`);
      expect(Date.now() - started).toBeLessThan(14_000);
    } finally {
      await tarpit.close();
    }
  }, 25_000);

  it('a log request whose response never comes: the source says so, retries, and its lines arrive', async () => {
    fx.sim.createPod({ name: 'mute-log', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'mute-log', container: 'app' }, ['first']);
    fx.sim.delayRequests(/\/pods\/mute-log\/log/, Infinity);
    const k = ktail(fx, ['^mute-log$'], { KTAIL_RESPONSE_TIMEOUT_MS: '800' });
    try {
      await k.waitFor((x) => /mute-log › app: no response within 800ms; retrying in/.test(x.stderr), 'the retry notice');
      await k.waitFor((x) => x.lines.includes('mute-log app first'), 'the line, after the retry');
      fx.sim.writeLines({ pod: 'mute-log', container: 'app' }, ['second']);
      await k.waitFor((x) => x.lines.includes('mute-log app second'), 'the next line');
      expect(k.lines.filter((l) => l.startsWith('mute-log'))).toEqual(['mute-log app first', 'mute-log app second']);
    } finally {
      await k.stop();
    }
  });

  it('a frozen HTTP/2 connection: found by PING, every stream and the watch move to a new connection', async () => {
    const proxy = await TcpProxy.start(fx.sim.port);
    try {
      const kc = await fx.sim.writeKubeconfig(join(dir, 'proxied-kubeconfig'), {
        currentContext: 'proxied',
        contexts: [{ name: 'proxied', server: `https://127.0.0.1:${proxy.port}` }],
      });
      fx.sim.createPod({ name: 'frozen', containers: [{ name: 'a' }, { name: 'b' }] });
      const k = ktail({ ...fx, kubeconfig: kc }, ['^frozen', '--verbose'], {
        KTAIL_H2_READ_IDLE_MS: '400',
        KTAIL_H2_PING_TIMEOUT_MS: '400',
      });
      try {
        await k.waitFor((x) => (x.stderr.match(/^\+ frozen › /gm) ?? []).length === 2, 'both sources');
        fx.sim.writeLines({ pod: 'frozen', container: 'a' }, ['before']);
        await k.waitFor((x) => x.lines.includes('frozen a before'), 'a line before the freeze');
        proxy.freeze();
        fx.sim.writeLines({ pod: 'frozen', container: 'a' }, ['during']);
        fx.sim.writeLines({ pod: 'frozen', container: 'b' }, ['during']);
        await k.waitFor(
          (x) => x.lines.includes('frozen a during') && x.lines.includes('frozen b during'),
          'the lines written while frozen',
          10_000,
        );
        // the watch moved too: a pod created now is followed
        fx.sim.createPod({ name: 'frozen-later', containers: [{ name: 'c' }] });
        fx.sim.writeLines({ pod: 'frozen-later', container: 'c' }, ['new']);
        await k.waitFor((x) => x.lines.includes('frozen-later c new'), 'a new pod after the freeze', 10_000);
        expect(k.stderr).toMatch(/stopped answering \(no data for/);
        expect(proxy.accepted).toBeGreaterThanOrEqual(2);
        expect(k.lines.filter((l) => l.startsWith('frozen a'))).toEqual(['frozen a before', 'frozen a during']);
      } finally {
        await k.stop();
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('the watchdog', () => {
  it('reopens within seconds a stream whose end was never signalled (test-only fault: the transport swallows it)', async () => {
    fx.sim.createPod({ name: 'unheard', containers: [{ name: 'app' }] });
    const k = ktail(fx, ['^unheard$', '--verbose'], { KTAIL_TEST_SWALLOW_ENDS: '1' });
    try {
      await k.waitFor((x) => /^\+ unheard › app/m.test(x.stderr), 'the source');
      fx.sim.writeLines({ pod: 'unheard', container: 'app' }, ['one']);
      await k.waitFor((x) => x.lines.includes('unheard app one'), 'the first line');
      const opened = fx.sim.counters.logStreamsOpened;
      const cutAt = Date.now();
      fx.sim.cutLogStreams({ pod: 'unheard' });
      fx.sim.writeLines({ pod: 'unheard', container: 'app' }, ['two']);
      await k.waitFor((x) => x.lines.includes('unheard app two'), 'the line written after the unheard end', 8000);
      expect(Date.now() - cutAt).toBeLessThan(5000);
      expect(fx.sim.counters.logStreamsOpened).toBeGreaterThan(opened);
      expect(k.stderr).toMatch(/ktail: watchdog: \S+unheard\/app\/\S+: its stream closed and the end was never signalled; reopening/);
      expect(k.lines.filter((l) => l.startsWith('unheard'))).toEqual(['unheard app one', 'unheard app two']);
    } finally {
      await k.stop();
    }
  });
});
