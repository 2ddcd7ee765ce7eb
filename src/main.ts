/**
 * Entry for bin/: parse → resolve → run, errors to one line and an exit code (SPEC §5),
 * signals to 130/143. The Kubernetes client is loaded only when there is something to run,
 * so --version and --help start fast.
 */
import { isatty } from 'node:tty';
import { parseArgs } from './cli/program.js';
import { applyConfig } from './cli/config.js';
import { KtailError, UsageError } from './common/errors.js';
import { resolveOptions, type KtailOptions } from './cli/options.js';
import { stopExecPlugins } from './kube/exec-credential.js';
import { startLoopStalls } from './common/loop-stalls.js';
import { holdYoungGeneration } from './common/young-generation.js';
import { runSettings } from './cli/settings.js';
import { versionText } from './common/version.js';

/**
 * --show-hidden-options, as stern: stern hides options it keeps for compatibility; ktail hides
 * none, so every flag is in --help, and this says so.
 */
const HIDDEN_OPTIONS = 'ktail has no hidden options: every flag is in ktail --help\n';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C ends ktail within a second (SPEC §4) wherever it is, a stalled start-up included: the
 * run flushes what it received and returns sooner; this is the bound should anything hang.
 */
const INTERRUPT_GRACE_MS = 1000;
function exitAfterInterrupt(signal: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => setTimeout(() => resolve(signal.reason as number), INTERRUPT_GRACE_MS), { once: true });
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  // the completion scripts call back for names from the cluster; quiet, never an error
  if (argv[0] === '__complete') {
    const { complete } = await import('./cli/completion/complete.js');
    return complete(argv.slice(1), process.stdout, process.env);
  }
  const stderr = process.stderr;
  const interrupt = new AbortController();
  let verbose =
    argv.includes('--verbose') ||
    argv.some((a, i) => /^--verbosity=0*[1-9]/.test(a) || (a === '--verbosity' && /^0*[1-9]/.test(argv[i + 1] ?? '')));
  try {
    const parsed = parseArgs(argv, versionText());
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
    if (parsed.args.raw.showHiddenOptions === true) {
      process.stdout.write(HIDDEN_OPTIONS);
      return 0;
    }
    let opts: KtailOptions = resolveOptions(parsed.args.queries, applyConfig(parsed.args.raw, process.env));
    verbose = opts.verbose;
    // the picker draws on stderr and reads keys from stdin: both must be a terminal
    if (opts.prompt && !(isatty(0) && isatty(2))) {
      throw new UsageError(
        '--prompt needs a terminal on stdin and stderr to pick a pod: run it in a terminal, or name the pods with a query',
      );
    }
    startLoopStalls(process.env);
    holdYoungGeneration();

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        // exec credential plugins end with ktail, never left running as orphans
        stopExecPlugins();
        // a second Ctrl-C does not wait for anything
        if (interrupt.signal.aborted) process.exit(SIGNAL_EXIT[signal]);
        interrupt.abort(SIGNAL_EXIT[signal]);
      });
    }

    // A piped stdout is asynchronous in Node 20 on Linux: its writableLength is the
    // backpressure signal the sink needs (files and terminals are written synchronously).
    const io = {
      stdout: process.stdout,
      stdoutIsTTY: isatty(1),
      stderr,
      env: process.env,
      interrupt: interrupt.signal,
      ...(opts.prompt ? { stdin: process.stdin } : {}),
    };
    if (opts.stdin) {
      // as stern: standard input's lines through the output settings, no cluster and no kubeconfig
      const { runStdin } = await import('./output/stdin.js');
      return await Promise.race([
        runStdin(runSettings(opts, process.env).output, { ...io, stdin: process.stdin }),
        exitAfterInterrupt(interrupt.signal),
      ]);
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
      return await Promise.race([run(runSettings(opts, process.env), io), exitAfterInterrupt(interrupt.signal)]);
    } finally {
      stopExecPlugins();
      await stopDemo?.();
    }
  } catch (err) {
    // what failed because of the interrupt (a plugin it stopped, a request it aborted) is no error
    if (interrupt.signal.aborted) return interrupt.signal.reason as number;
    if (err instanceof KtailError) {
      stderr.write(`ktail: ${err.message}\n`);
      if (verbose && err.cause instanceof Error) stderr.write(framesOf(err.cause));
      return err.exitCode;
    }
    stderr.write(`ktail: internal error: ${err instanceof Error ? err.message : String(err)} (please report it; --verbose shows where)\n`);
    if (verbose && err instanceof Error) stderr.write(framesOf(err));
    return 1;
  }
}

/**
 * Where an error came from, for --verbose: the stack's frames only. Its message stays out, since
 * a cause's text may quote what must never be shown (a kubeconfig's token line in a YAML
 * error, an exec plugin's output); the one-line message above already says what failed.
 */
function framesOf(err: Error): string {
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length > 0 ? `${frames.join('\n')}\n` : '';
}
