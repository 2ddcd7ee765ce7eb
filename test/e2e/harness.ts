/**
 * Runs the built bin/ktail.js as a user would, against the simulated cluster.
 * `npm test` builds first; when running vitest alone, run `npm run build` before.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimFixture } from './sim-fixture.js';

export const BIN = fileURLToPath(new URL('../../bin/ktail.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running ktail whose output is collected as it comes. */
export class Ktail {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = Buffer.alloc(0);
  stderr = '';
  readonly exited: Promise<Exit>;
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      // KTAIL_CONFIG: the developer's own ~/.config/ktail/config.yaml must not change what a test sees
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', KTAIL_CONFIG: '/dev/null', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (c: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, c]);
      this.wake();
    });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
      this.wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.wake();
        resolve({ code, signal });
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get text(): string {
    return this.stdout.toString('utf8');
  }

  /** complete lines of stdout */
  get lines(): string[] {
    const t = this.text;
    const cut = t.lastIndexOf('\n');
    return cut === -1 ? [] : t.slice(0, cut).split('\n');
  }

  /** Resolves once pred holds on the output so far; rejects after timeoutMs with what was seen. */
  async waitFor(pred: (k: Ktail) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}\n--- stderr ---\n${this.stderr.slice(-2000)}\n--- stdout (tail) ---\n${this.text.slice(-2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export function ktail(fx: SimFixture, args: readonly string[], env: NodeJS.ProcessEnv = {}): Ktail {
  return new Ktail(['--kubeconfig', fx.kubeconfig, ...args], env);
}

/** Runs to the end; for commands that exit by themselves. */
export async function runKtail(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<Exit & { stdout: string; stderr: string }> {
  const k = new Ktail(args, env);
  const timer = setTimeout(() => k.child.kill('SIGKILL'), timeoutMs);
  const exit = await k.exited;
  clearTimeout(timer);
  return { ...exit, stdout: k.text, stderr: k.stderr };
}
