/**
 * What the follow stage needs of the options: which pods and containers, from how far back, how
 * many streams at once, and its timings. Built once from the options (cli/settings.ts); the
 * follow path never sees the whole option set.
 */
import type { EventMode } from './choices.js';
import type { WorkloadRef } from './query.js';
import type { LogWindow } from './tail.js';
import type { TargetFilter } from './targets.js';

/** Which namespaces to watch: the context's own, a list, or every one (-A). */
export type NamespaceScope =
  { readonly kind: 'context-default' } | { readonly kind: 'list'; readonly names: readonly string[] } | { readonly kind: 'all' };

/** Which pods each context is asked for. */
export interface PodSelection {
  /** the query as typed, for the "nothing matches" notices */
  readonly queryText: string;
  /** QUERY as KIND/NAME: resolved against each context at start */
  readonly workload: WorkloadRef | undefined;
  readonly namespaces: NamespaceScope;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
}

/** Internal timings; the environment may shorten them so that tests of stalls run quickly. */
export interface FollowTimings {
  /**
   * a follow stream with no byte for about this long (±20%, drawn per read) is re-opened; a
   * healthy HTTP/2 connection is checked by PING, so this only catches what that cannot see
   */
  readonly streamIdleMs: number;
  /** a watch with no byte for this long is considered stalled */
  readonly watchIdleMs: number;
  /** asked of the server, so that watches are renewed regularly */
  readonly watchTimeoutSeconds: number;
  /** --events: a repeated Event is shown again at most once per this long */
  readonly eventRepeatMs?: number;
}

/** --events: which Kubernetes Events are shown, and from when. */
export interface EventSettings {
  readonly mode: EventMode;
  /** the start window of log lines: Events that last happened before it are not shown */
  readonly window: LogWindow;
}

export interface FollowSettings {
  /** -f (the default); false with --no-follow and --previous */
  readonly follow: boolean;
  /** -p: the previous instance of each container */
  readonly previous: boolean;
  /** which containers of a matching pod are read */
  readonly targets: TargetFilter;
  readonly selection: PodSelection;
  /** --since/--since-time/--tail: how far back the containers that exist at start are read */
  readonly window: LogWindow;
  /** --max-log-requests */
  readonly maxLogRequests: number;
  readonly timings: FollowTimings;
  /** --events: which Kubernetes Events are shown, and from when; undefined: none */
  readonly events: EventSettings | undefined;
}
