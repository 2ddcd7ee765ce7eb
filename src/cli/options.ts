import { UsageError } from '../common/errors.js';
import { parseDuration } from './duration.js';
import { CONTAINER_STATES, EVENT_MODES, type EventMode } from '../follow/choices.js';
import { COLOR_MODES, OUTPUT_FORMATS, TIMESTAMP_STYLES } from '../output/choices.js';
import { andSelectors, parseWorkloadQuery, type WorkloadRef } from '../follow/query.js';
import { compileRegex, oneOf, splitList } from './parse.js';
import type { Pattern } from '../common/regex.js';
import { parseCondition, type PodConditionFilter } from '../follow/condition.js';
import { resolveOutputOptions, type OutputOptions, type RawOutputOptions } from './output-options.js';
import { resolveConnectionOptions, type RawConnectionOptions } from './connection-options.js';
import type { ConnectionOverrides } from '../kube/overrides.js';

/** Which namespaces to watch: the context's own, a list, or every one (-A). */
type NamespaceChoice =
  { readonly kind: 'context-default' } | { readonly kind: 'list'; readonly names: readonly string[] } | { readonly kind: 'all' };

/** How far back to read containers that exist at start (SPEC §1 "Time window"). */
type SinceChoice = { readonly kind: 'duration'; readonly seconds: number } | { readonly kind: 'time'; readonly time: string };

// the allowed words are the flag table's (flag-table.ts)
export { OUTPUT_FORMATS };
type TimestampStyle = (typeof TIMESTAMP_STYLES)[number];
export type ColorMode = (typeof COLOR_MODES)[number];
type OutputFormat = (typeof OUTPUT_FORMATS)[number];
type ContainerState = Exclude<(typeof CONTAINER_STATES)[number], 'all'>;

/** Everything the core needs, validated and compiled; the core never sees raw flag strings. */
export interface KtailOptions extends OutputOptions {
  readonly queryText: string;
  /** QUERY as KIND/NAME (podQuery then matches every name) */
  readonly workload: WorkloadRef | undefined;
  readonly podQuery: Pattern;
  readonly container: Pattern;
  readonly excludeContainer: readonly Pattern[];
  readonly excludePod: readonly Pattern[];
  /** --exclude-namespace: pods in matching namespaces are not followed (none by default, as stern) */
  readonly excludeNamespace: readonly Pattern[];
  readonly labelSelector: string | undefined;
  /** --field-selector and --node's spec.nodeName=NAME */
  readonly fieldSelector: string | undefined;
  readonly node: string | undefined;
  /** --container-state; undefined: all */
  readonly containerStates: ReadonlySet<ContainerState> | undefined;
  readonly initContainers: boolean;
  readonly ephemeralContainers: boolean;
  /** --condition: only pods whose status condition has this value */
  readonly condition: PodConditionFilter | undefined;
  readonly namespaces: NamespaceChoice;
  /** empty: the kubeconfig's current context */
  readonly contexts: readonly string[];
  readonly kubeconfig: string | undefined;
  readonly since: SinceChoice;
  /** lines per container that exists at start; -1: all */
  readonly tail: number;
  readonly timestamps: TimestampStyle | false;
  readonly follow: boolean;
  /** -p: the previous instance of each container; implies follow = false */
  readonly previous: boolean;
  readonly color: ColorMode;
  readonly output: OutputFormat;
  readonly onlyLogLines: boolean;
  /** --events: which Kubernetes Events are shown; undefined: none */
  readonly events: EventMode | undefined;
  readonly maxLogRequests: number;
  readonly demo: boolean;
  /** --stdin: format standard input's lines; no cluster, no query needed */
  readonly stdin: boolean;
  /** --prompt: pick one matching pod on the terminal, then follow it; no query needed */
  readonly prompt: boolean;
  /** --verbose or --verbosity 1 or more */
  readonly verbose: boolean;
  /** --verbosity; --verbose is 1 (levels above 1 show what 1 shows) */
  readonly verbosity: number;
  /** kubectl's connection flags, over the kubeconfig */
  readonly connection: ConnectionOverrides;
}

/** Flag values as commander hands them over (strings, booleans, arrays), before validation. */
export interface RawOptions extends RawOutputOptions, RawConnectionOptions {
  container?: string;
  excludeContainer?: string[];
  excludePod?: string[];
  excludeNamespace?: string[];
  selector?: string;
  fieldSelector?: string;
  node?: string;
  containerState?: string[];
  initContainers?: boolean;
  ephemeralContainers?: boolean;
  namespace?: string[];
  allNamespaces?: boolean;
  context?: string[];
  kubeconfig?: string;
  since?: string;
  sinceTime?: string;
  tail?: string;
  timestamps?: string | boolean;
  follow?: boolean;
  previous?: boolean;
  color?: string;
  output?: string;
  onlyLogLines?: boolean;
  /** --events[=warning|all]: `true` from a config file's `events: true` */
  events?: string | boolean;
  maxLogRequests?: string;
  demo?: boolean;
  verbose?: boolean;
  /** --stdin: lines from standard input, no cluster */
  stdin?: boolean;
  /** --prompt: pick a pod on the terminal */
  prompt?: boolean;
  /** --condition COND[=VALUE] */
  condition?: string;
  /** --verbosity N (stern's); --verbose is 1 */
  verbosity?: string;
  /** -f/--follow: accepted and ignored, for kubectl habits (following is the default) */
  kubectlFollow?: boolean;
  /** --show-hidden-options: handled by main, which prints and exits */
  showHiddenOptions?: boolean;
  /** --config: read before resolveOptions (config.ts), not an option of the run */
  config?: string;
  /** --completion: handled by main before anything else */
  completion?: string;
}

const DEFAULT_SINCE = '48h';

function parseInteger(text: string, flag: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`invalid value "${text}" for ${flag}: expected a whole number`);
  const n = Number(text);
  if (n < min) throw new UsageError(`invalid value "${text}" for ${flag}: must be ${min} or more`);
  return n;
}

// RFC3339 as Kubernetes accepts it for sinceTime: date, time, optional fraction, Z or offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `--container-state running,waiting --container-state terminated`; `all` (the default) → undefined. */
function containerStates(values: readonly string[] | undefined): ReadonlySet<ContainerState> | undefined {
  const states = splitList(values).map((v) => oneOf(v, CONTAINER_STATES, '--container-state'));
  if (states.length === 0 || states.includes('all')) return undefined;
  return new Set(states.filter((s): s is ContainerState => s !== 'all'));
}

export function resolveOptions(query: string | undefined, raw: RawOptions): KtailOptions {
  const hasSelector = raw.selector !== undefined || raw.fieldSelector !== undefined || raw.node !== undefined;
  if (query === undefined && !hasSelector && !raw.demo && !raw.stdin && !raw.prompt) {
    throw new UsageError('a pod query is required (or -l/--field-selector/--node/--prompt): try "ktail web" or "ktail --help"');
  }
  if (raw.prompt && raw.stdin) throw new UsageError('--prompt picks pods of a cluster; --stdin reads no cluster: give one of them');
  const queryText = query ?? '.*';
  const workload = parseWorkloadQuery(queryText);

  if (raw.since !== undefined && raw.sinceTime !== undefined) {
    throw new UsageError('--since and --since-time cannot be used together: pick one');
  }
  let since: SinceChoice;
  if (raw.sinceTime !== undefined) {
    if (!RFC3339.test(raw.sinceTime) || Number.isNaN(Date.parse(raw.sinceTime))) {
      throw new UsageError(`invalid time "${raw.sinceTime}" for --since-time: expected RFC3339, like 2026-11-22T10:00:00Z`);
    }
    since = { kind: 'time', time: raw.sinceTime };
  } else {
    const ms = parseDuration(raw.since ?? DEFAULT_SINCE, '--since');
    since = { kind: 'duration', seconds: Math.max(1, Math.ceil(ms / 1000)) };
  }

  const namespaces = splitList(raw.namespace);
  const previous = raw.previous ?? false;
  const follow = previous ? false : (raw.follow ?? true);
  if (raw.node !== undefined && raw.node.trim() === '') throw new UsageError('--node needs a node name');
  const tail = raw.tail === undefined ? -1 : parseInteger(raw.tail, '--tail', -1);
  // stern refuses it too (its #331): nothing would ever be printed
  if (tail === 0 && !follow) {
    throw new UsageError(
      `--tail 0 with ${previous ? '--previous' : '--no-follow'} would print nothing: give --tail N with N above 0, or leave --tail out for all lines`,
    );
  }
  let condition: PodConditionFilter | undefined;
  if (raw.condition !== undefined) {
    const parsed = parseCondition(raw.condition);
    if (typeof parsed === 'string') throw new UsageError(`invalid value "${raw.condition}" for --condition: ${parsed}`);
    condition = parsed;
  }
  const verbosity = raw.verbosity === undefined ? 0 : parseInteger(raw.verbosity, '--verbosity', 0);
  let timestamps: TimestampStyle | false = false;
  if (raw.timestamps === true) timestamps = 'default';
  else if (typeof raw.timestamps === 'string') timestamps = oneOf(raw.timestamps, TIMESTAMP_STYLES, '--timestamps');

  return {
    queryText,
    workload,
    podQuery: compileRegex(workload ? '' : queryText, 'pod query'),
    container: compileRegex(raw.container ?? '.*', '--container regex'),
    excludeContainer: (raw.excludeContainer ?? []).map((r) => compileRegex(r, '--exclude-container regex')),
    excludePod: (raw.excludePod ?? []).map((r) => compileRegex(r, '--exclude-pod regex')),
    excludeNamespace: (raw.excludeNamespace ?? []).map((r) => compileRegex(r, '--exclude-namespace regex')),
    labelSelector: raw.selector,
    fieldSelector: andSelectors(raw.fieldSelector, raw.node === undefined ? undefined : `spec.nodeName=${raw.node.trim()}`),
    node: raw.node?.trim(),
    containerStates: containerStates(raw.containerState),
    initContainers: raw.initContainers ?? true,
    ephemeralContainers: raw.ephemeralContainers ?? true,
    condition,
    namespaces: raw.allNamespaces
      ? { kind: 'all' }
      : namespaces.length > 0
        ? { kind: 'list', names: [...new Set(namespaces)] }
        : { kind: 'context-default' },
    contexts: [...new Set(splitList(raw.context))],
    kubeconfig: raw.kubeconfig,
    since,
    tail,
    timestamps,
    follow,
    previous,
    color: oneOf(raw.color ?? 'auto', COLOR_MODES, '--color'),
    output: oneOf(raw.output ?? 'default', OUTPUT_FORMATS, '--output'),
    onlyLogLines: raw.onlyLogLines ?? false,
    events:
      raw.events === undefined || raw.events === false
        ? undefined
        : oneOf(raw.events === true ? 'warning' : raw.events, EVENT_MODES, '--events'),
    maxLogRequests: raw.maxLogRequests === undefined ? (follow ? 50 : 5) : parseInteger(raw.maxLogRequests, '--max-log-requests', 1),
    demo: raw.demo ?? false,
    stdin: raw.stdin ?? false,
    prompt: raw.prompt ?? false,
    verbose: (raw.verbose ?? false) || verbosity >= 1,
    verbosity: Math.max(verbosity, raw.verbose ? 1 : 0),
    ...resolveOutputOptions(raw),
    connection: resolveConnectionOptions(raw),
  };
}
