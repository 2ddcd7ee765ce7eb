/**
 * The options cut into the slices each stage takes, once: where to connect, what to follow and
 * how to show it. No stage after this one sees KtailOptions.
 */
import type { FollowSettings, FollowTimings } from '../follow/settings.js';
import type { LogWindow } from '../follow/tail.js';
import type { OutputSettings } from '../output/settings.js';
import type { ConnectionOverrides } from '../kube/overrides.js';
import type { KtailOptions } from './options.js';

/** Which kubeconfig, which of its contexts. */
interface ConnectionSettings {
  readonly kubeconfig: string | undefined;
  /** empty: the kubeconfig's current context */
  readonly contexts: readonly string[];
  /** kubectl's connection flags */
  readonly overrides: ConnectionOverrides;
}

export interface RunSettings {
  readonly connection: ConnectionSettings;
  readonly follow: FollowSettings;
  readonly output: OutputSettings;
  /** --verbose: reconnects and watch renewals on stderr */
  readonly verbose: boolean;
  /** --prompt: one of the matching pods is picked on the terminal first */
  readonly prompt: boolean;
}

/** Internal timings; the environment may shorten them so that tests of stalls run quickly. */
export function followTimings(env: NodeJS.ProcessEnv): FollowTimings {
  const num = (v: string | undefined, d: number): number => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  return {
    streamIdleMs: num(env.KTAIL_STREAM_IDLE_MS, 300_000),
    watchIdleMs: num(env.KTAIL_WATCH_IDLE_MS, 90_000),
    watchTimeoutSeconds: num(env.KTAIL_WATCH_TIMEOUT_S, 300 + Math.floor(Math.random() * 60)),
    eventRepeatMs: num(env.KTAIL_EVENT_REPEAT_MS, 30_000),
  };
}

/** --since/--since-time and --tail as the first request of a container that exists at start asks. */
function startWindow(opts: Pick<KtailOptions, 'since' | 'tail'>): LogWindow {
  return {
    ...(opts.since.kind === 'time' ? { sinceTime: opts.since.time } : { sinceSeconds: opts.since.seconds }),
    ...(opts.tail >= 0 ? { tailLines: opts.tail } : {}),
  };
}

function followSettings(opts: KtailOptions, env: NodeJS.ProcessEnv): FollowSettings {
  return {
    follow: opts.follow,
    previous: opts.previous,
    targets: {
      podQuery: opts.podQuery,
      container: opts.container,
      excludeContainer: opts.excludeContainer,
      excludePod: opts.excludePod,
      excludeNamespace: opts.excludeNamespace,
      containerStates: opts.containerStates,
      initContainers: opts.initContainers,
      ephemeralContainers: opts.ephemeralContainers,
      previous: opts.previous,
      condition: opts.condition,
    },
    selection: {
      queryText: opts.queryText,
      workload: opts.workload,
      namespaces: opts.namespaces,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    },
    window: startWindow(opts),
    maxLogRequests: opts.maxLogRequests,
    timings: followTimings(env),
    events: opts.events === undefined ? undefined : { mode: opts.events, window: startWindow(opts) },
  };
}

function outputSettings(opts: KtailOptions): OutputSettings {
  const ns = opts.namespaces;
  return {
    output: opts.output,
    timestamps: opts.timestamps,
    template: opts.template,
    timezone: opts.timezone,
    include: opts.include,
    exclude: opts.exclude,
    highlight: opts.highlight,
    color: opts.color,
    podColors: opts.podColors,
    containerColors: opts.containerColors,
    palette: opts.palette,
    diffContainer: opts.diffContainer,
    orderedWindowMs: opts.orderedWindowMs,
    showNamespace: ns.kind === 'all' || (ns.kind === 'list' && ns.names.length > 1),
    warningsOnly: opts.onlyLogLines || !opts.follow,
  };
}

export function runSettings(opts: KtailOptions, env: NodeJS.ProcessEnv): RunSettings {
  return {
    connection: { kubeconfig: opts.kubeconfig, contexts: opts.contexts, overrides: opts.connection },
    follow: followSettings(opts, env),
    output: outputSettings(opts),
    verbose: opts.verbose,
    prompt: opts.prompt,
  };
}
