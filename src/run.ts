/**
 * Wiring: kubeconfig → one watch per (context, namespace) → targets → one tail per container
 * instance (at most --max-log-requests open) → one sink. Returns the exit code.
 */
import type { V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { colorLevel } from './output/colors.js';
import { Clusters } from './kube/contexts.js';
import { makeLineWriter, type SourceLabel } from './output/format.js';
import { loadKubeconfig, selectContexts, type ContextInfo } from './kube/kubeconfig.js';
import { WaitingReports } from './follow/lifecycle.js';
import { Notices } from './output/notices.js';
import { setupOutput } from './output/setup.js';
import type { KtailOptions } from './cli/options.js';
import { isReaderGone, Sink, type SinkOutput } from './output/sink.js';
import { Tail, type LogWindow } from './follow/tail.js';
import { keyOfPod, podTargets, previousInstanceTargets, type Target } from './follow/targets.js';
import { startError } from './kube/errors.js';
import { Transport } from './kube/transport.js';
import { PodWatch, type PodEvent } from './follow/watch.js';
import { resolveWorkload, type PodScope } from './follow/workload.js';

export interface RunIO {
  /** where log lines go: a writable on fd 1 whose writes do not block the event loop */
  readonly stdout: SinkOutput;
  readonly stdoutIsTTY: boolean;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** aborted on SIGINT/SIGTERM; its reason is the exit code */
  readonly interrupt: AbortSignal;
}

/** Internal timings; the environment may shorten them so that tests of stalls run quickly. */
function timings(env: NodeJS.ProcessEnv): { streamIdleMs: number; watchIdleMs: number; watchTimeoutSeconds: number } {
  const num = (v: string | undefined, d: number): number => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  return {
    streamIdleMs: num(env.KTAIL_STREAM_IDLE_MS, 60_000),
    watchIdleMs: num(env.KTAIL_WATCH_IDLE_MS, 90_000),
    watchTimeoutSeconds: num(env.KTAIL_WATCH_TIMEOUT_S, 300 + Math.floor(Math.random() * 60)),
  };
}

function namespacesOf(opts: KtailOptions, ctx: ContextInfo): (string | undefined)[] {
  switch (opts.namespaces.kind) {
    case 'all': return [undefined];
    case 'list': return [...opts.namespaces.names];
    case 'context-default': return [ctx.namespace];
  }
}

function startWindow(opts: KtailOptions): LogWindow {
  return {
    ...(opts.since.kind === 'time' ? { sinceTime: opts.since.time } : { sinceSeconds: opts.since.seconds }),
    ...(opts.tail >= 0 ? { tailLines: opts.tail } : {}),
  };
}

export async function run(opts: KtailOptions, io: RunIO): Promise<number> {
  const kc = await loadKubeconfig({ explicitPath: opts.kubeconfig, env: io.env });
  const contexts = selectContexts(kc, opts.contexts);
  const t = timings(io.env);
  const verbose = opts.verbose ? (m: string): void => void io.stderr.write(`ktail: ${m}\n`) : (): void => {};
  const notices = new Notices(io.stderr, opts.onlyLogLines || !opts.follow);
  for (const ctx of contexts) {
    if (ctx.insecureSkipTlsVerify) {
      notices.emit({ kind: 'warning', text: `context "${ctx.name}" skips TLS verification (insecure-skip-tls-verify in the kubeconfig)` });
    }
  }

  const sink = new Sink(io.stdout);
  const level = colorLevel(opts.color, io.stdoutIsTTY, io.env);
  // formats, templates, filters, colours, --ordered: decided once (output/setup.ts)
  const output = setupOutput(opts, level, io.stdoutIsTTY, (text) => notices.emit({ kind: 'warning', text }));
  const { settings, colors } = output;
  const showContext = contexts.length > 1;
  const showNamespace = opts.namespaces.kind === 'all' || (opts.namespaces.kind === 'list' && opts.namespaces.names.length > 1);
  const window = startWindow(opts);

  const limit = pLimit(opts.maxLogRequests);
  const tails = new Map<string, Tail>();
  const finished = new Set<string>();
  const running: Promise<void>[] = [];
  let everMatched = false;

  let waitingWarned = -1;
  let waitingTimer: NodeJS.Timeout | undefined;
  const warnWaiting = (): void => {
    if (waitingTimer) return;
    waitingTimer = setTimeout(() => {
      waitingTimer = undefined;
      const waiting = limit.pendingCount;
      if (waiting > 0 && waiting !== waitingWarned) {
        waitingWarned = waiting;
        notices.emit({
          kind: 'warning',
          text: `${waiting} log stream${waiting === 1 ? ' is' : 's are'} waiting: ${opts.maxLogRequests} are open, the most --max-log-requests allows; raise it to follow them all`,
        });
      }
    }, 500);
    waitingTimer.unref();
  };

  const transports = new Map(contexts.map((ctx) => [ctx.name, new Transport(ctx)]));

  const follow = (target: Target, initial: boolean, previous = opts.previous): void => {
    const transport = transports.get(target.context)!;
    everMatched = true;
    const pair = level > 0 ? colors.acquire(target.podKey, target.container) : undefined;
    const label: SourceLabel = {
      context: showContext ? target.context : undefined,
      namespace: showNamespace ? target.namespace : undefined,
      pod: target.pod,
      container: target.container,
      colors: pair,
      info: output.info(target),
    };
    const tail = new Tail(
      {
        target,
        label,
        writer: output.wrap(makeLineWriter(label, settings, sink)),
        // containers that appear after start are read from their first line (SPEC §1)
        window: initial ? window : {},
        follow: opts.follow,
        previous,
      },
      { transport, sink, notices, verbose, idleTimeoutMs: t.streamIdleMs },
    );
    tails.set(target.key, tail);
    const done = limit(() => tail.run()).then(() => {
      tails.delete(target.key);
      finished.add(target.key);
      if (pair) colors.release(target.podKey, target.container);
    });
    running.push(done);
    if (limit.pendingCount > 0) warnWaiting();
  };

  const waiting = new WaitingReports();
  /** previous instances of the first list: they ended before ktail started */
  const beforeStart = new Set<string>();
  const onEvent = (context: string, event: PodEvent): void => {
    if (event.kind === 'delete') {
      waiting.forget(context, event.pod);
      // streams not yet open are dropped; open ones end when the server ends them
      const podKey = keyOfPod(context, event.pod);
      for (const tail of tails.values()) if (!tail.hasStarted && tail.key.startsWith(`${podKey}/`)) tail.stop();
      return;
    }
    // CrashLoopBackOff, ImagePullBackOff…: once per container and reason (SPEC §2)
    for (const w of waiting.observe(context, event.pod, opts)) {
      const label: SourceLabel = {
        context: showContext ? context : undefined,
        namespace: showNamespace ? event.pod.metadata?.namespace : undefined,
        pod: event.pod.metadata?.name ?? '',
        container: w.container,
        colors: undefined,
      };
      notices.emit({ kind: 'waiting', label, reason: w.reason, message: w.message });
    }
    for (const target of podTargets(context, event.pod as V1Pod, opts)) {
      if (tails.has(target.key) || finished.has(target.key)) continue;
      follow(target, event.initial);
    }
    // An instance that ran and ended unseen (created and restarted while the watch was down) is
    // read from its first line too; those of the first list ran before start and are not.
    if (opts.follow) {
      for (const target of previousInstanceTargets(context, event.pod as V1Pod, opts)) {
        if (tails.has(target.key) || finished.has(target.key) || beforeStart.has(target.key)) continue;
        if (event.initial) beforeStart.add(target.key);
        else follow(target, false, true);
      }
    }
  };

  // The scopes of one context: its namespaces, or where its KIND/NAME workload lives.
  const scopesOf = async (ctx: ContextInfo, signal: AbortSignal): Promise<PodScope[]> => {
    const namespaces = namespacesOf(opts, ctx);
    const base = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    if (!opts.workload) return namespaces.map((namespace) => ({ namespace, ...base, gate: undefined }));
    try {
      return await resolveWorkload(transports.get(ctx.name)!, opts.workload, namespaces, base, (m) =>
        notices.emit({ kind: 'warning', text: `${contextPrefix(showContext, ctx)}${m}` }), signal);
    } catch (err) {
      throw startError(err, ctx, namespaces.length === 1 ? namespaces[0] : undefined);
    }
  };

  // One context: resolve its workload, then the first list of every (context, namespace). A
  // failure here is fatal with one context (SPEC §5); with several, see contexts.ts.
  const startContext = async (ctx: ContextInfo, signal: AbortSignal): Promise<PodWatch[]> => {
    const scopes = await scopesOf(ctx, signal);
    const started: PodWatch[] = [];
    try {
      await Promise.all(
        scopes.map(async (scope) => {
          const handler = (e: PodEvent): void => onEvent(ctx.name, e);
          const namespace = scope.namespace;
          const watch = new PodWatch(
            transports.get(ctx.name)!,
            { namespace, labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector },
            {
              onEvent: scope.gate ? scope.gate.wrap(handler) : handler,
              onTrouble: (m, inMs) => notices.emit({ kind: 'warning', text: `${contextPrefix(showContext, ctx)}${m}; retrying in ${Math.round(inMs / 1000)}s` }),
              onRecovered: () => notices.emit({ kind: 'warning', text: `${contextPrefix(showContext, ctx)}watching pods ${namespace === undefined ? 'in all namespaces' : `in namespace "${namespace}"`} again` }),
              verbose,
            },
            { idleTimeoutMs: t.watchIdleMs, timeoutSeconds: t.watchTimeoutSeconds },
          );
          started.push(watch);
          try {
            await watch.list();
            await scope.gate?.settled();
          } catch (err) {
            throw startError(err, ctx, namespace);
          }
        }),
      );
    } catch (err) {
      for (const w of started) w.stop();
      throw err;
    }
    return started;
  };

  const clusters = new Clusters(
    contexts,
    { start: startContext, warn: (text) => notices.emit({ kind: 'warning', text }) },
    opts.follow,
  );
  const stopAll = (): void => {
    clusters.stop();
    limit.clearQueue();
    for (const tail of tails.values()) tail.stop();
    if (waitingTimer) clearTimeout(waitingTimer);
  };

  await clusters.start().catch((err: unknown) => {
    stopAll();
    for (const tr of transports.values()) tr.close();
    throw err;
  });

  const describeScope = (): string => {
    const ns = opts.namespaces.kind === 'all'
      ? 'all namespaces'
      : `namespace${contexts.flatMap((c) => namespacesOf(opts, c)).length > 1 ? 's' : ''} ${[...new Set(contexts.flatMap((c) => namespacesOf(opts, c)))].map((n) => `"${n}"`).join(', ')}`;
    return `"${opts.queryText}" in ${ns} of context${contexts.length > 1 ? 's' : ''} ${contexts.map((c) => `"${c.name}"`).join(', ')}`;
  };

  let exitCode = 0;
  if (!opts.follow) {
    if (!everMatched) {
      notices.emit({
        kind: 'warning',
        text: opts.previous ? `no container matching ${describeScope()} has a previous instance` : `no pod or container matches ${describeScope()}`,
      });
    }
    await settleAll(running, io.interrupt, sink);
    if (io.interrupt.aborted) exitCode = io.interrupt.reason as number;
    // a context that could not be read at start: what the others had was printed, but not all
    else if (clusters.failedAtStart.size > 0) exitCode = 1;
  } else {
    clusters.run();
    const nothingTimer = setTimeout(() => {
      if (!everMatched) notices.emit({ kind: 'nothing-matches', text: `nothing matches ${describeScope()} yet; waiting for pods to appear` });
    }, 2000);
    nothingTimer.unref();
    exitCode = await new Promise<number>((resolve) => {
      if (io.interrupt.aborted) return resolve(io.interrupt.reason as number);
      io.interrupt.addEventListener('abort', () => resolve(io.interrupt.reason as number), { once: true });
      sink.onClosed((err) => {
        // the reader went away (| head -1): a normal end
        if (isReaderGone(err)) return resolve(0);
        notices.emit({ kind: 'warning', text: `cannot write to stdout: ${err.message}` });
        resolve(1);
      });
    });
    clearTimeout(nothingTimer);
  }
  stopAll();
  // Every complete line received is written out; a reader that stopped reading (a pager left
  // open) must not hold up Ctrl-C: a second in all (SPEC §4), so 750 ms here.
  output.flush(); // --ordered: what is still held
  await (io.interrupt.aborted ? Promise.race([sink.drainAll(), delay(750)]) : sink.drainAll());
  for (const tr of transports.values()) tr.close();
  return exitCode;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function contextPrefix(show: boolean, ctx: ContextInfo): string {
  return show ? `context "${ctx.name}": ` : '';
}

/** --no-follow: every tail to its end (including those that start late), unless interrupted or the reader leaves. */
async function settleAll(running: Promise<void>[], interrupt: AbortSignal, sink: Sink): Promise<void> {
  const stop = new Promise<void>((resolve) => {
    interrupt.addEventListener('abort', () => resolve(), { once: true });
    sink.onClosed(() => resolve());
  });
  let seen = 0;
  while (seen < running.length) {
    seen = running.length;
    await Promise.race([Promise.all(running), stop]);
    if (interrupt.aborted || sink.closedBy) return;
  }
}
