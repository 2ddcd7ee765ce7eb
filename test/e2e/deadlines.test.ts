/**
 * Every wait has a deadline and every failure is said: servers and plugins that never answer
 * end with a message within their deadline and the exit code of SPEC §5.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ktail } from './harness.js';
import { startSim, type SimFixture } from './sim-fixture.js';

const HANG = fileURLToPath(new URL('../fixtures/exec-hang.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ktail-deadlines-'));

let fx: SimFixture;
beforeAll(async () => {
  fx = await startSim();
});
afterAll(async () => {
  await fx?.close();
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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
      await new Promise((r) => setTimeout(r, 50));
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
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });
});
