/**
 * The one flag table. Each flag is a structured record; commander's options and --help
 * (program.ts), the config file's keys and their value checks (config-keys.ts), the completion
 * scripts (completion/flags.ts) and the README table (readme-table.ts) are generated from it.
 * A flag's allowed words live here and nowhere else: options.ts derives its literal types from
 * the arrays below.
 */
import { CONTAINER_STATES, EVENT_MODES } from '../follow/choices.js';
import { COLOR_MODES, DEFAULT_ORDERED_WINDOW, OUTPUT_FORMATS, PALETTES, TIMESTAMP_STYLES } from '../output/choices.js';
import type { RawOptions } from './options.js';

/** `all` (the default) means no filter */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;

/** --ordered given alone */
/** what `--ordered` takes as its window when it follows (else it is QUERY): a duration */
const ORDERED_WINDOW = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+$/;

/** The headings of --help and the README, in this order. */
export const FLAG_GROUPS = ['Selection', 'Connection', 'Time window', 'Output', 'Operation'] as const;
type FlagGroup = (typeof FLAG_GROUPS)[number];

/** How a flag takes its value, and the value's placeholder in --help (`<regex>`). */
type FlagArgument =
  | { readonly kind: 'none' }
  | { readonly kind: 'required'; readonly name: string }
  | {
      readonly kind: 'optional';
      readonly name: string;
      /** the value when the flag comes alone (`-t` is `-t default`) */
      readonly whenAlone: string;
      /**
       * the next word is the flag's value when it is one of the choices or matches this;
       * otherwise it is QUERY (`ktail -t web`)
       */
      readonly pattern?: RegExp;
    };

/** Where completion finds a value: words come from `choices`; else these, else free text. */
type CompletionSource = 'contexts' | 'namespaces' | 'nodes' | 'file' | 'text';

interface FlagBase {
  readonly key: keyof RawOptions;
  /** the long name without dashes, and without `no-` when negated */
  readonly long: string;
  readonly short?: string;
  readonly group: FlagGroup;
  readonly help: string;
  /** the default as --help and the README state it */
  readonly defaultText?: string;
  /** false: not a config-file key (it would point to the file, or prints and exits) */
  readonly inConfigFile?: false;
}

interface SwitchFlag extends FlagBase {
  readonly argument: { readonly kind: 'none' };
  /** the flag is `--no-LONG` and sets its key to false */
  readonly negated?: true;
  readonly repeatable?: never;
  readonly choices?: never;
  readonly complete?: never;
  readonly allowDash?: never;
}

interface ValueFlag extends FlagBase {
  readonly argument: Exclude<FlagArgument, { readonly kind: 'none' }>;
  /** given again, it adds to a list (`-n a -n b`) */
  readonly repeatable?: true;
  /** the only words allowed; offered by completion */
  readonly choices?: readonly string[];
  readonly complete?: CompletionSource;
  /**
   * a value may start with '-' (`--tail -1`); other single-value flags refuse one, taking it
   * for a forgotten value (`-c -n x`). A repeatable flag's value always may (`-e -debug`).
   */
  readonly allowDash?: true;
  readonly negated?: never;
}

export type FlagSpec = SwitchFlag | ValueFlag;

/** `auto, always or never`: the choices as help text says them */
const orList = (words: readonly string[]): string => `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;

const SWITCH = { kind: 'none' } as const;
const value = <N extends string>(name: N) => ({ kind: 'required', name }) as const;

const TABLE = [
  {
    key: 'container',
    long: 'container',
    short: 'c',
    argument: value('regex'),
    group: 'Selection',
    help: 'containers to follow',
    defaultText: '.*',
  },
  {
    key: 'excludeContainer',
    long: 'exclude-container',
    short: 'E',
    argument: value('regex'),
    repeatable: true,
    group: 'Selection',
    help: 'containers not to follow (repeatable)',
  },
  {
    key: 'excludePod',
    long: 'exclude-pod',
    argument: value('regex'),
    repeatable: true,
    group: 'Selection',
    help: 'pods not to follow (repeatable)',
  },
  {
    key: 'excludeNamespace',
    long: 'exclude-namespace',
    argument: value('regex'),
    repeatable: true,
    complete: 'namespaces',
    group: 'Selection',
    help: 'namespaces not to follow, with -A or -n (repeatable; kail --ignore-ns: --exclude-namespace kube-system)',
    defaultText: 'none',
  },
  {
    key: 'selector',
    long: 'selector',
    short: 'l',
    argument: value('selector'),
    group: 'Selection',
    help: 'label selector, sent to the API server',
  },
  {
    key: 'fieldSelector',
    long: 'field-selector',
    argument: value('selector'),
    group: 'Selection',
    help: 'field selector, sent to the API server',
  },
  {
    key: 'node',
    long: 'node',
    argument: value('name'),
    complete: 'nodes',
    group: 'Selection',
    help: 'only pods on this node (field selector spec.nodeName=NAME)',
  },
  {
    key: 'namespace',
    long: 'namespace',
    short: 'n',
    argument: value('ns'),
    repeatable: true,
    complete: 'namespaces',
    group: 'Selection',
    help: 'namespaces (repeatable or comma-separated)',
    defaultText: "the context's, else default",
  },
  { key: 'allNamespaces', long: 'all-namespaces', short: 'A', argument: SWITCH, group: 'Selection', help: 'every namespace' },
  {
    key: 'context',
    long: 'context',
    argument: value('name'),
    repeatable: true,
    complete: 'contexts',
    group: 'Selection',
    help: 'kubeconfig contexts (repeatable or comma-separated)',
    defaultText: 'current context',
  },
  {
    key: 'condition',
    long: 'condition',
    argument: value('cond[=value]'),
    group: 'Selection',
    help: 'only pods whose status condition matches, as stern: ready, ready=false, initialized=true',
  },
  {
    key: 'prompt',
    long: 'prompt',
    argument: SWITCH,
    inConfigFile: false,
    group: 'Selection',
    help: "pick one of the matching pods on the terminal, then follow it (stern's --prompt; long form only: -p is --previous)",
  },
  {
    key: 'kubeconfig',
    long: 'kubeconfig',
    argument: value('path'),
    complete: 'file',
    group: 'Selection',
    help: 'kubeconfig file',
    defaultText: '$KUBECONFIG, else ~/.kube/config, else in-cluster',
  },
  {
    key: 'containerState',
    long: 'container-state',
    argument: value('state'),
    repeatable: true,
    choices: CONTAINER_STATES,
    group: 'Selection',
    help: `follow containers in this state: ${orList(CONTAINER_STATES)} (repeatable)`,
    defaultText: 'all',
  },
  {
    key: 'initContainers',
    long: 'init-containers',
    argument: SWITCH,
    group: 'Selection',
    help: 'follow init containers, in order as they run',
    defaultText: 'on',
  },
  {
    key: 'initContainers',
    long: 'init-containers',
    negated: true,
    argument: SWITCH,
    group: 'Selection',
    help: 'do not follow init containers',
  },
  {
    key: 'ephemeralContainers',
    long: 'ephemeral-containers',
    argument: SWITCH,
    group: 'Selection',
    help: 'follow ephemeral (debug) containers',
    defaultText: 'on',
  },
  {
    key: 'ephemeralContainers',
    long: 'ephemeral-containers',
    negated: true,
    argument: SWITCH,
    group: 'Selection',
    help: 'do not follow ephemeral containers',
  },
  {
    key: 'since',
    long: 'since',
    short: 's',
    argument: value('duration'),
    group: 'Time window',
    help: 'how far back to read containers that exist at start (30s, 15m, 1h30m, 2d)',
    defaultText: '48h',
  },
  {
    key: 'sinceTime',
    long: 'since-time',
    argument: value('rfc3339'),
    group: 'Time window',
    help: 'read from this time on (exclusive with --since)',
  },
  {
    key: 'tail',
    long: 'tail',
    argument: value('n'),
    allowDash: true,
    group: 'Time window',
    help: 'lines per container that exists at start; -1: all',
    defaultText: '-1',
  },
  { key: 'follow', long: 'follow', negated: true, argument: SWITCH, group: 'Time window', help: 'print what exists, then exit' },
  {
    key: 'kubectlFollow',
    long: 'follow',
    short: 'f',
    argument: SWITCH,
    inConfigFile: false,
    group: 'Time window',
    help: 'accepted and ignored: following is the default (a kubectl habit)',
  },
  {
    key: 'previous',
    long: 'previous',
    short: 'p',
    argument: SWITCH,
    group: 'Time window',
    help: 'the previous instance of each container, as kubectl logs -p (implies --no-follow)',
  },
  {
    key: 'timestamps',
    long: 'timestamps',
    short: 't',
    argument: { kind: 'optional', name: 'style', whenAlone: 'default' },
    choices: TIMESTAMP_STYLES,
    group: 'Output',
    help: 'show timestamps: default (RFC3339, nanoseconds) or short',
  },
  {
    key: 'timezone',
    long: 'timezone',
    argument: value('tz'),
    group: 'Output',
    help: 'time zone of -t and templates: an IANA name (Europe/Berlin), UTC or Local',
    defaultText: 'local',
  },
  {
    key: 'output',
    long: 'output',
    short: 'o',
    argument: value('format'),
    choices: OUTPUT_FORMATS,
    group: 'Output',
    help: orList(OUTPUT_FORMATS),
    defaultText: 'default',
  },
  {
    key: 'stdin',
    long: 'stdin',
    argument: SWITCH,
    inConfigFile: false,
    group: 'Output',
    help: 'format lines read from standard input instead of a cluster (as stern)',
  },
  {
    key: 'template',
    long: 'template',
    argument: value('template'),
    allowDash: true,
    group: 'Output',
    help: "line format as a stern-style Go template: '{{.PodName}} {{.Message}}'",
  },
  {
    key: 'templateFile',
    long: 'template-file',
    short: 'T',
    argument: value('path'),
    complete: 'file',
    group: 'Output',
    help: 'read the template from a file (wins over --template)',
  },
  {
    key: 'include',
    long: 'include',
    short: 'i',
    argument: value('regex'),
    repeatable: true,
    group: 'Output',
    help: 'only lines matching (repeatable; matches highlighted)',
  },
  {
    key: 'exclude',
    long: 'exclude',
    short: 'e',
    argument: value('regex'),
    repeatable: true,
    group: 'Output',
    help: 'no lines matching (repeatable)',
  },
  {
    key: 'highlight',
    long: 'highlight',
    short: 'H',
    argument: value('regex'),
    repeatable: true,
    group: 'Output',
    help: 'highlight matches without filtering (repeatable)',
  },
  {
    key: 'color',
    long: 'color',
    argument: value('when'),
    choices: COLOR_MODES,
    group: 'Output',
    help: `${orList(COLOR_MODES)} (auto: on a terminal, unless NO_COLOR)`,
    defaultText: 'auto',
  },
  {
    key: 'podColors',
    long: 'pod-colors',
    argument: value('sgr,...'),
    repeatable: true,
    group: 'Output',
    help: 'pod colours as SGR codes (91,92,38;5;208)',
    defaultText: 'built in',
  },
  {
    key: 'containerColors',
    long: 'container-colors',
    argument: value('sgr,...'),
    repeatable: true,
    group: 'Output',
    help: 'container colours, as many as --pod-colors',
    defaultText: 'the pod colours',
  },
  {
    key: 'palette',
    long: 'palette',
    argument: value('name'),
    choices: PALETTES,
    group: 'Output',
    help: 'built-in pod colours: default, or colorblind (Okabe–Ito; --pod-colors wins)',
    defaultText: 'default',
  },
  {
    key: 'diffContainer',
    long: 'diff-container',
    short: 'd',
    argument: SWITCH,
    group: 'Output',
    help: 'containers get colours of their own',
  },
  {
    key: 'ordered',
    long: 'ordered',
    argument: { kind: 'optional', name: 'window', whenAlone: DEFAULT_ORDERED_WINDOW, pattern: ORDERED_WINDOW },
    group: 'Output',
    help: 'merge lines of all sources in timestamp order, holding each at most WINDOW',
    defaultText: 'off; 1s when given alone',
  },
  {
    key: 'events',
    long: 'events',
    argument: { kind: 'optional', name: 'which', whenAlone: 'warning' },
    choices: EVENT_MODES,
    group: 'Output',
    help: 'Kubernetes Events of the followed pods and their owners, in place: warning, or all (Normal too)',
    defaultText: 'off; warning when given alone',
  },
  { key: 'onlyLogLines', long: 'only-log-lines', argument: SWITCH, group: 'Output', help: 'no +/-/~ notices' },
  {
    key: 'maxLogRequests',
    long: 'max-log-requests',
    argument: value('n'),
    group: 'Operation',
    help: 'concurrent log streams; more wait their turn',
    defaultText: '50 following, 5 with --no-follow',
  },
  {
    key: 'config',
    long: 'config',
    argument: value('path'),
    complete: 'file',
    inConfigFile: false,
    group: 'Operation',
    help: 'config file: YAML whose keys are long flag names (the command line wins)',
    defaultText: '$KTAIL_CONFIG, else ~/.config/ktail/config.yaml',
  },
  {
    key: 'completion',
    long: 'completion',
    argument: value('shell'),
    choices: COMPLETION_SHELLS,
    inConfigFile: false,
    group: 'Operation',
    help: `print a completion script for ${orList(COMPLETION_SHELLS)}`,
  },
  { key: 'demo', long: 'demo', argument: SWITCH, group: 'Operation', help: 'tail a built-in simulated cluster' },
  { key: 'verbose', long: 'verbose', argument: SWITCH, group: 'Operation', help: 'connection and retry details on stderr (--verbosity 1)' },
  {
    key: 'verbosity',
    long: 'verbosity',
    argument: value('n'),
    group: 'Operation',
    help: 'as stern; 1 or more: connection and retry details on stderr',
    defaultText: '0',
  },
  {
    key: 'showHiddenOptions',
    long: 'show-hidden-options',
    argument: SWITCH,
    inConfigFile: false,
    group: 'Operation',
    help: 'print the options --help leaves out (ktail has none)',
  },
  // kubectl's connection flags, with its names and meanings (kubectl options), over the
  // kubeconfig's values for every context followed. Not config-file keys, but for the two that
  // are preferences: cluster names, files and identities belong to the kubeconfig, per context,
  // and a token or --insecure-skip-tls-verify in a file read by every run would be a leak or a trap.
  {
    key: 'server',
    long: 'server',
    argument: value('url'),
    inConfigFile: false,
    group: 'Connection',
    help: "the API server's address (with --token, no kubeconfig is needed)",
  },
  { key: 'token', long: 'token', argument: value('token'), inConfigFile: false, group: 'Connection', help: 'bearer token' },
  { key: 'user', long: 'user', argument: value('name'), inConfigFile: false, group: 'Connection', help: 'the kubeconfig user to use' },
  {
    key: 'cluster',
    long: 'cluster',
    argument: value('name'),
    inConfigFile: false,
    group: 'Connection',
    help: 'the kubeconfig cluster to use',
  },
  { key: 'as', long: 'as', argument: value('user'), inConfigFile: false, group: 'Connection', help: 'user to impersonate' },
  {
    key: 'asGroup',
    long: 'as-group',
    argument: value('group'),
    repeatable: true,
    inConfigFile: false,
    group: 'Connection',
    help: 'group to impersonate (repeatable; needs --as)',
  },
  {
    key: 'asUid',
    long: 'as-uid',
    argument: value('uid'),
    inConfigFile: false,
    group: 'Connection',
    help: 'UID to impersonate (needs --as)',
  },
  {
    key: 'certificateAuthority',
    long: 'certificate-authority',
    argument: value('path'),
    complete: 'file',
    inConfigFile: false,
    group: 'Connection',
    help: "CA certificate file to check the server's certificate with",
  },
  {
    key: 'clientCertificate',
    long: 'client-certificate',
    argument: value('path'),
    complete: 'file',
    inConfigFile: false,
    group: 'Connection',
    help: 'client certificate file for TLS',
  },
  {
    key: 'clientKey',
    long: 'client-key',
    argument: value('path'),
    complete: 'file',
    inConfigFile: false,
    group: 'Connection',
    help: 'client key file for TLS',
  },
  {
    key: 'tlsServerName',
    long: 'tls-server-name',
    argument: value('name'),
    inConfigFile: false,
    group: 'Connection',
    help: "name to check the server's certificate against",
    defaultText: "the server's host",
  },
  {
    key: 'insecureSkipTlsVerify',
    long: 'insecure-skip-tls-verify',
    argument: SWITCH,
    inConfigFile: false,
    group: 'Connection',
    help: "do not check the server's certificate (insecure; warns)",
  },
  {
    key: 'requestTimeout',
    long: 'request-timeout',
    argument: value('duration'),
    group: 'Connection',
    help: 'how long a request waits for its answer to start (5s, 1m; 0: no limit); never ends a log stream',
    defaultText: '30s',
  },
  {
    key: 'disableCompression',
    long: 'disable-compression',
    argument: SWITCH,
    group: 'Connection',
    help: 'do not ask the server to compress its answers',
  },
] as const satisfies readonly FlagSpec[];

// An option without a flag does not compile.
type Unflagged = Exclude<keyof RawOptions, (typeof TABLE)[number]['key']>;
type AssertNone<T extends never> = T;
// an option without a flag does not compile
type _EveryOptionHasAFlag = AssertNone<Unflagged>;

/** The flags in --help order (by group, then as listed); the generators take a table, and this one by default. */
export const FLAGS: readonly FlagSpec[] = FLAG_GROUPS.flatMap((group) => TABLE.filter((f: FlagSpec) => f.group === group));

/** The long name as typed, without dashes: `container`, `no-follow`. */
export function flagName(spec: FlagSpec): string {
  return spec.negated ? `no-${spec.long}` : spec.long;
}
