import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterError } from '../../src/common/errors.js';
import { parseCredential, runExecPlugin } from '../../src/kube/exec-credential.js';
import { alive } from '../helpers/inprocess.js';

const HANG = fileURLToPath(new URL('../fixtures/exec-hang.mjs', import.meta.url));
const V1 = 'client.authentication.k8s.io/v1';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A plugin as a node one-liner printing `out` (and exiting with `code`). */
function script(out: string, code = 0) {
  return {
    command: process.execPath,
    args: ['-e', `process.stdout.write(${JSON.stringify(out)}); process.exit(${code})`],
    interactiveMode: 'Never' as const,
  };
}

describe('parseCredential', () => {
  it.each<[string, string, object]>([
    ['a token', JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: 't0k' } }), { token: 't0k' }],
    [
      'a client certificate with an expiry',
      JSON.stringify({
        apiVersion: V1,
        kind: 'ExecCredential',
        status: { clientCertificateData: 'C', clientKeyData: 'K', expirationTimestamp: '2030-01-01T00:00:00Z' },
      }),
      { clientCertificateData: 'C', clientKeyData: 'K', expiresAt: Date.parse('2030-01-01T00:00:00Z') },
    ],
  ])('%s', (_name, stdout, expected) => {
    expect(parseCredential(stdout, 'plug', 'dev', V1)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['not JSON', 'Bearer abc', 'printed something that is not an ExecCredential (not JSON)'],
    ['another kind', JSON.stringify({ apiVersion: V1, kind: 'Pod', status: {} }), 'printed something that is not an ExecCredential'],
    [
      'another apiVersion',
      JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'x' } }),
      'answered with apiVersion client.authentication.k8s.io/v1beta1, the kubeconfig asks for client.authentication.k8s.io/v1',
    ],
    [
      'no credential',
      JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { clientKeyData: 'K' } }),
      'gave neither a token nor a client certificate and key',
    ],
  ])('%s is refused, and the output is not repeated', (_name, stdout, words) => {
    let err: unknown;
    try {
      parseCredential(stdout, 'plug', 'dev', V1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as Error).message).toBe(`exec plugin "plug" of user "dev" ${words}`);
    expect((err as Error).message).not.toContain('abc');
  });
});

describe('runExecPlugin', () => {
  it('passes KUBERNETES_EXEC_INFO and the env entries, and reads the token', async () => {
    const exec = {
      command: process.execPath,
      args: [
        '-e',
        `const i = JSON.parse(process.env.KUBERNETES_EXEC_INFO); process.stdout.write(JSON.stringify({ apiVersion: i.apiVersion, kind: 'ExecCredential', status: { token: process.env.EXTRA + String(i.spec.interactive) } }))`,
      ],
      env: [{ name: 'EXTRA', value: 'x-' }],
      interactiveMode: 'Never' as const,
    };
    expect(await runExecPlugin(exec, 'dev', { stdinIsTTY: true })).toEqual({ token: 'x-false' });
  });

  it('a plugin that exits non-zero: its exit status, not its output', async () => {
    await expect(runExecPlugin(script('secret-token-123', 3), 'dev', { stdinIsTTY: false })).rejects.toThrow(
      'exec plugin "' + process.execPath + '" of user "dev" failed (exit 3)',
    );
  });

  it('a plugin that is not installed: its install hint', async () => {
    await expect(
      runExecPlugin({ command: 'ktail-no-such-plugin', installHint: 'install it with: apt-get install plug\nmore text' }, 'dev', {
        stdinIsTTY: false,
      }),
    ).rejects.toThrow('exec plugin "ktail-no-such-plugin" of user "dev" not found — install it with: apt-get install plug');
  });

  it('interactiveMode Always without a terminal is refused before running', async () => {
    await expect(runExecPlugin({ command: 'never-run', interactiveMode: 'Always' }, 'dev', { stdinIsTTY: false })).rejects.toThrow(
      'needs a terminal to ask for credentials (interactiveMode: Always)',
    );
  });

  it('a plugin that hangs is killed at its deadline, with a message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktail-exec-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    const err = await runExecPlugin(
      { command: process.execPath, args: [HANG], env: [{ name: 'PID_FILE', value: pidFile }], interactiveMode: 'Never' },
      'dev',
      { stdinIsTTY: false, deadlineMs: 800 },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as Error).message).toBe(`exec plugin "${process.execPath}" of user "dev" did not answer within 1 s; it was stopped`);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });
});
