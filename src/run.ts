/**
 * Wiring: kubeconfig → contexts → the follow session (watches → tracker → one tail per container
 * instance under the stream cap) → the output → one sink. Returns the exit code. The state of a
 * run lives in the modules it wires, not here.
 */
import type { RunSettings } from './cli/settings.js';
import { FollowSession } from './follow/session.js';
import { insecureContextWarnings } from './follow/start.js';
import { chooseContexts } from './kube/context-choice.js';
import { loadKubeconfig, selectContexts } from './kube/kubeconfig.js';
import { colorLevel } from './output/colors.js';
import { Notices } from './output/notices.js';
import { checkOutputDir, ContainerFiles } from './output/files.js';
import { setupOutput } from './output/setup.js';
import { isReaderGone, Sink, type SinkOutput } from './output/sink.js';

export interface RunIO {
  /** where log lines go: a writable on fd 1 whose writes do not block the event loop */
  readonly stdout: SinkOutput;
  readonly stdoutIsTTY: boolean;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** aborted on SIGINT/SIGTERM; its reason is the exit code */
  readonly interrupt: AbortSignal;
  /** --prompt reads keys here (main checks that it and stderr are a terminal) */
  readonly stdin?: NodeJS.ReadStream;
}

/** Ctrl-C in --prompt's picker, where the terminal sends no SIGINT (raw mode) */
const GAVE_UP = 130;

export async function run(settings: RunSettings, io: RunIO): Promise<number> {
  const { kubeconfig, contexts: wanted, overrides } = settings.connection;
  const kc = await loadKubeconfig({ explicitPath: kubeconfig, env: io.env }, overrides);
  const names = chooseContexts(
    wanted,
    kc.getContexts().map((c) => c.name),
  );
  let contexts = selectContexts(kc, names, overrides);
  const verbose = settings.verbose ? (m: string): void => void io.stderr.write(`ktail: ${m}\n`) : (): void => {};
  const notices = new Notices(io.stderr, settings.output.warningsOnly);
  const warn = (text: string): void => notices.emit({ kind: 'warning', text });
  for (const text of insecureContextWarnings(contexts)) warn(text);
  if (settings.prompt && io.stdin !== undefined) {
    const { promptForPod } = await import('./cli/prompt-pod.js');
    const choice = await promptForPod(contexts, settings.follow, { stdin: io.stdin, stderr: io.stderr }, warn);
    if (choice === undefined) return GAVE_UP;
    contexts = [...choice.contexts];
    settings = { ...settings, follow: choice.follow };
  }

  // process.stdout is done with a chunk when it calls the write back; a test's stream may not be
  const sink = new Sink(io.stdout, { reuseBatches: io.stdout === process.stdout });
  // --output-dir: checked before anything is followed; a file that fails later ends the run (1)
  const { outputDir, timestamps, timezone } = settings.output;
  if (outputDir !== undefined) checkOutputDir(outputDir);
  let files: ContainerFiles | undefined;
  const filesFailed = new Promise<number>((resolve) => {
    if (outputDir === undefined) return;
    const fileSettings = { dir: outputDir, byContext: contexts.length > 1, timestamps, zone: timezone };
    files = new ContainerFiles(fileSettings, (text) => {
      warn(text);
      resolve(1);
    });
  });
  // formats, templates, filters, colours, --ordered: decided once (output/setup.ts)
  const output = setupOutput(settings.output, {
    level: colorLevel(settings.output.color, io.stdoutIsTTY, io.env),
    stdoutIsTTY: io.stdoutIsTTY,
    showContext: contexts.length > 1,
    sink,
    files,
    warn,
    notices,
  });
  const session = new FollowSession(contexts, settings.follow, { outputs: output, notices, verbose });
  await session.start();

  const exitCode = await Promise.race([
    settings.follow.follow ? following(session, io, sink, warn) : printing(session, io, sink),
    filesFailed,
  ]);
  session.stop();
  // Every complete line received is written out; a reader that stopped reading (a pager left
  // open) must not hold up Ctrl-C: a second in all (SPEC §4), so 750 ms here.
  output.flush(); // --ordered: what is still held
  const written = Promise.all([sink.drainAll(), files?.drainAll()]);
  await (io.interrupt.aborted ? Promise.race([written, delay(750)]) : written);
  session.close();
  return exitCode;
}

/**
 * Following: until Ctrl-C (its exit code), the reader leaving (0), stdout failing (1), or with
 * --until-done everything being done (its verdict).
 */
async function following(session: FollowSession, io: RunIO, sink: Sink, warn: (text: string) => void): Promise<number> {
  session.run();
  // Following ends on Ctrl-C, a reader gone or --until-done, never because the event loop ran
  // empty: the watchdog's and the idle checks' timers are unref'd (so they never hold up a
  // --no-follow run), and a moment with every connection down and every wait on one of them
  // would otherwise end the process (exit 13) before they could fire and recover.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  return new Promise<number>((resolve) => {
    void session.finished().then(resolve);
    if (io.interrupt.aborted) return resolve(io.interrupt.reason as number);
    io.interrupt.addEventListener('abort', () => resolve(io.interrupt.reason as number), { once: true });
    sink.onClosed((err) => {
      // the reader went away (| head -1): a normal end
      if (isReaderGone(err)) return resolve(0);
      warn(`cannot write to stdout: ${err.message}`);
      resolve(1);
    });
  }).finally(() => clearInterval(keepAlive));
}

/**
 * --no-follow: every source to its end, unless interrupted or the reader leaves. A context that
 * could not be read at start, or a source whose log could not be read (given up after its tries,
 * or refused), makes it 1: what the others had was printed, but not all.
 */
async function printing(session: FollowSession, io: RunIO, sink: Sink): Promise<number> {
  session.warnIfNothingFound();
  const stop = new Promise<void>((resolve) => {
    io.interrupt.addEventListener('abort', () => resolve(), { once: true });
    sink.onClosed(() => resolve());
  });
  await Promise.race([session.idle(), stop]);
  if (io.interrupt.aborted) return io.interrupt.reason as number;
  return session.failedAtStart > 0 || session.failedSources > 0 ? 1 : 0;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
