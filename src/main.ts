/**
 * Entry for bin/: parse → resolve → run, errors to one line and an exit code (SPEC §5),
 * signals to 130/143. The Kubernetes client is loaded only when there is something to run,
 * so --version and --help start fast.
 */
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { parseArgs } from './cli/program.js';
import { applyConfig } from './cli/config.js';
import { KtailError } from './common/errors.js';
import { resolveOptions, type KtailOptions } from './cli/options.js';
import { runSettings } from './cli/settings.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function main(argv: readonly string[]): Promise<number> {
  // the completion scripts call back for names from the cluster; quiet, never an error
  if (argv[0] === '__complete') {
    const { complete } = await import('./cli/completion/complete.js');
    return complete(argv.slice(1), process.stdout, process.env);
  }
  const stderr = process.stderr;
  let verbose = argv.includes('--verbose');
  try {
    const parsed = parseArgs(argv, version());
    if (parsed.kind === 'exit') {
      process.stdout.write(parsed.text);
      return 0;
    }
    if (parsed.args.raw.completion !== undefined) {
      const { completionScript } = await import('./cli/completion/scripts.js');
      const script = completionScript(parsed.args.raw.completion);
      await new Promise<void>((resolve) => process.stdout.write(script, () => resolve()));
      return 0;
    }
    let opts: KtailOptions = resolveOptions(parsed.args.query, applyConfig(parsed.args.raw, process.env));
    verbose = opts.verbose;

    const interrupt = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        // a second Ctrl-C does not wait for anything
        if (interrupt.signal.aborted) process.exit(SIGNAL_EXIT[signal]);
        interrupt.abort(SIGNAL_EXIT[signal]);
      });
    }

    let stopDemo: (() => Promise<void>) | undefined;
    if (opts.demo) {
      const { startDemo } = await import('./cli/demo.js');
      const demo = await startDemo();
      stopDemo = demo.stop;
      opts = { ...opts, kubeconfig: demo.kubeconfigPath };
    }
    const { run } = await import('./run.js');
    try {
      // A piped stdout is asynchronous in Node 20 on Linux: its writableLength is the
      // backpressure signal the sink needs (files and terminals are written synchronously).
      return await run(runSettings(opts, process.env), { stdout: process.stdout, stdoutIsTTY: isatty(1), stderr, env: process.env, interrupt: interrupt.signal });
    } finally {
      await stopDemo?.();
    }
  } catch (err) {
    if (err instanceof KtailError) {
      stderr.write(`ktail: ${err.message}\n`);
      if (verbose && err.cause instanceof Error && err.cause.stack) stderr.write(`${err.cause.stack}\n`);
      return err.exitCode;
    }
    stderr.write(`ktail: internal error: ${err instanceof Error ? err.message : String(err)} (please report it; --verbose shows where)\n`);
    if (verbose && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
    return 1;
  }
}
