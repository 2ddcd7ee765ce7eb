/**
 * ktail on a pseudo-terminal, with no native dependency: util-linux's `script` (in Debian's
 * essential bsdutils) runs a command with stdin, stdout and stderr on a new terminal, copies what
 * that terminal shows to its own stdout, and what it reads on stdin to the terminal, as keys.
 * Either of ktail's outputs can be sent to a file instead, to see one of them alone.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach } from 'vitest';
import { BIN } from './spawn.js';
import { until } from './wait.js';

export interface PtyOptions {
  /** the environment of ktail (TERM, NO_COLOR…), besides PATH and HOME */
  readonly env?: NodeJS.ProcessEnv;
  /** send ktail's stdout here instead of the terminal (a file path, or /dev/null) */
  readonly stdoutTo?: string;
  /** send ktail's stderr here instead of the terminal */
  readonly stderrTo?: string;
}

const live = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
});

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class PtyKtail {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly chunks: Buffer[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], opts: PtyOptions = {}) {
    const redirect = `${opts.stdoutTo === undefined ? '' : ` >${quote(opts.stdoutTo)}`}${opts.stderrTo === undefined ? '' : ` 2>${quote(opts.stderrTo)}`}`;
    const command = `exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}${redirect}`;
    this.child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SHELL: '/bin/sh', TZ: 'UTC', KTAIL_CONFIG: '/dev/null', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.child.stdout.on('data', (c: Buffer) => this.chunks.push(c));
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code) => {
        live.delete(this.child);
        resolve(code);
      }),
    );
  }

  /** What the terminal showed so far, with the terminal's CR LF line ends as LF. */
  get screen(): Buffer {
    const all = Buffer.concat(this.chunks);
    return Buffer.from(all.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  }

  get text(): string {
    return this.screen.toString('utf8');
  }

  /** Types keys on the terminal. */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  async waitForText(what: string | RegExp, timeoutMs = 20_000): Promise<void> {
    await until(
      () => (typeof what === 'string' ? this.text.includes(what) : what.test(this.text)),
      `${String(what)} on the terminal`,
      timeoutMs,
    );
  }
}

/** Runs ktail on a terminal to its end; the terminal's bytes and the exit code. */
export async function runOnPty(
  args: readonly string[],
  opts: PtyOptions = {},
  timeoutMs = 20_000,
): Promise<{ code: number | null; screen: Buffer }> {
  const k = new PtyKtail(args, opts);
  const timer = setTimeout(() => k.child.kill('SIGKILL'), timeoutMs);
  const code = await k.exited;
  clearTimeout(timer);
  return { code, screen: k.screen };
}
