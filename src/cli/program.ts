import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../common/errors.js';
import type { RawOptions } from './options.js';

/** How a flag takes its value; commander is told once, from this table. */
type FlagValue = 'boolean' | 'string' | 'list' | 'optional-string';
type FlagGroup = 'Selection' | 'Time window' | 'Output' | 'Operation';

interface FlagSpec {
  readonly key: keyof RawOptions;
  readonly flags: string;
  readonly value: FlagValue;
  readonly group: FlagGroup;
  readonly help: string;
  readonly defaultText?: string;
}

/** The one flag table: commander, --help and the README table are all built from it. */
export const FLAGS = [
  { key: 'container', flags: '-c, --container <regex>', value: 'string', group: 'Selection', help: 'containers to follow', defaultText: '.*' },
  { key: 'excludeContainer', flags: '-E, --exclude-container <regex>', value: 'list', group: 'Selection', help: 'containers not to follow (repeatable)' },
  { key: 'excludePod', flags: '--exclude-pod <regex>', value: 'list', group: 'Selection', help: 'pods not to follow (repeatable)' },
  { key: 'selector', flags: '-l, --selector <selector>', value: 'string', group: 'Selection', help: 'label selector, sent to the API server' },
  { key: 'fieldSelector', flags: '--field-selector <selector>', value: 'string', group: 'Selection', help: 'field selector, sent to the API server' },
  { key: 'node', flags: '--node <name>', value: 'string', group: 'Selection', help: 'only pods on this node (field selector spec.nodeName=NAME)' },
  { key: 'namespace', flags: '-n, --namespace <ns>', value: 'list', group: 'Selection', help: 'namespaces (repeatable or comma-separated)', defaultText: "the context's, else default" },
  { key: 'allNamespaces', flags: '-A, --all-namespaces', value: 'boolean', group: 'Selection', help: 'every namespace' },
  { key: 'context', flags: '--context <name>', value: 'list', group: 'Selection', help: 'kubeconfig contexts (repeatable or comma-separated)', defaultText: 'current context' },
  { key: 'kubeconfig', flags: '--kubeconfig <path>', value: 'string', group: 'Selection', help: 'kubeconfig file', defaultText: '$KUBECONFIG, else ~/.kube/config, else in-cluster' },
  { key: 'containerState', flags: '--container-state <state>', value: 'list', group: 'Selection', help: 'follow containers in this state: running, waiting, terminated or all (repeatable)', defaultText: 'all' },
  { key: 'initContainers', flags: '--init-containers', value: 'boolean', group: 'Selection', help: 'follow init containers, in order as they run', defaultText: 'on' },
  { key: 'initContainers', flags: '--no-init-containers', value: 'boolean', group: 'Selection', help: 'do not follow init containers' },
  { key: 'ephemeralContainers', flags: '--ephemeral-containers', value: 'boolean', group: 'Selection', help: 'follow ephemeral (debug) containers', defaultText: 'on' },
  { key: 'ephemeralContainers', flags: '--no-ephemeral-containers', value: 'boolean', group: 'Selection', help: 'do not follow ephemeral containers' },
  { key: 'since', flags: '-s, --since <duration>', value: 'string', group: 'Time window', help: 'how far back to read containers that exist at start (30s, 15m, 1h30m, 2d)', defaultText: '48h' },
  { key: 'sinceTime', flags: '--since-time <rfc3339>', value: 'string', group: 'Time window', help: 'read from this time on (exclusive with --since)' },
  { key: 'tail', flags: '--tail <n>', value: 'string', group: 'Time window', help: 'lines per container that exists at start; -1: all', defaultText: '-1' },
  { key: 'follow', flags: '--no-follow', value: 'boolean', group: 'Time window', help: 'print what exists, then exit' },
  { key: 'previous', flags: '-p, --previous', value: 'boolean', group: 'Time window', help: 'the previous instance of each container, as kubectl logs -p (implies --no-follow)' },
  { key: 'timestamps', flags: '-t, --timestamps [style]', value: 'optional-string', group: 'Output', help: 'show timestamps: default (RFC3339, nanoseconds) or short' },
  { key: 'timezone', flags: '--timezone <tz>', value: 'string', group: 'Output', help: 'time zone of -t and templates: an IANA name (Europe/Berlin), UTC or Local', defaultText: 'local' },
  { key: 'output', flags: '-o, --output <format>', value: 'string', group: 'Output', help: 'default, raw, json, extjson or ppextjson', defaultText: 'default' },
  { key: 'template', flags: '--template <template>', value: 'string', group: 'Output', help: 'line format as a stern-style Go template: \'{{.PodName}} {{.Message}}\'' },
  { key: 'templateFile', flags: '-T, --template-file <path>', value: 'string', group: 'Output', help: 'read the template from a file (wins over --template)' },
  { key: 'include', flags: '-i, --include <regex>', value: 'list', group: 'Output', help: 'only lines matching (repeatable; matches highlighted)' },
  { key: 'exclude', flags: '-e, --exclude <regex>', value: 'list', group: 'Output', help: 'no lines matching (repeatable)' },
  { key: 'highlight', flags: '-H, --highlight <regex>', value: 'list', group: 'Output', help: 'highlight matches without filtering (repeatable)' },
  { key: 'color', flags: '--color <when>', value: 'string', group: 'Output', help: 'auto, always or never (auto: on a terminal, unless NO_COLOR)', defaultText: 'auto' },
  { key: 'podColors', flags: '--pod-colors <sgr,...>', value: 'list', group: 'Output', help: 'pod colours as SGR codes (91,92,38;5;208)', defaultText: 'built in' },
  { key: 'containerColors', flags: '--container-colors <sgr,...>', value: 'list', group: 'Output', help: 'container colours, as many as --pod-colors', defaultText: 'the pod colours' },
  { key: 'diffContainer', flags: '-d, --diff-container', value: 'boolean', group: 'Output', help: 'containers get colours of their own' },
  { key: 'ordered', flags: '--ordered [window]', value: 'optional-string', group: 'Output', help: 'merge lines of all sources in timestamp order, holding each at most WINDOW', defaultText: 'off; 1s when given alone' },
  { key: 'onlyLogLines', flags: '--only-log-lines', value: 'boolean', group: 'Output', help: 'no +/-/~ notices' },
  { key: 'maxLogRequests', flags: '--max-log-requests <n>', value: 'string', group: 'Operation', help: 'concurrent log streams; more wait their turn', defaultText: '50 following, 5 with --no-follow' },
  { key: 'config', flags: '--config <path>', value: 'string', group: 'Operation', help: 'config file: YAML whose keys are long flag names (the command line wins)', defaultText: '$KTAIL_CONFIG, else ~/.config/ktail/config.yaml' },
  { key: 'completion', flags: '--completion <shell>', value: 'string', group: 'Operation', help: 'print a completion script for bash, zsh or fish' },
  { key: 'demo', flags: '--demo', value: 'boolean', group: 'Operation', help: 'tail a built-in simulated cluster' },
  { key: 'verbose', flags: '--verbose', value: 'boolean', group: 'Operation', help: 'connection and retry details on stderr' },
] as const satisfies readonly FlagSpec[];

// An option without a flag does not compile.
type Unflagged = Exclude<keyof RawOptions, (typeof FLAGS)[number]['key']>;
const everyOptionHasAFlag: Unflagged extends never ? true : Unflagged = true;
void everyOptionHasAFlag;

export const EXAMPLES = `
Examples:
  ktail web                                   # every pod matching "web", all containers
  ktail web -c app                            # only the app containers
  ktail deployment/checkout -n shop --since 15m -t
  ktail -l app.kubernetes.io/part-of=shop -A  # by label, in every namespace
  ktail api --context prod-eu,prod-us         # the same app on two clusters
  ktail worker -o json | jq 'select(.message | test("ERROR"))'
  ktail web -i ERROR -e healthz --ordered     # only errors, no health checks, in time order
  ktail web --no-follow --tail 100 > web.log  # what is there now, then exit
  ktail --demo                                # try it without a cluster
`;

export interface ParsedArgs {
  readonly query: string | undefined;
  readonly raw: RawOptions;
}

/** What the command line asked for: run, or print help/version text and exit 0. */
export type CliOutcome = { readonly kind: 'run'; readonly args: ParsedArgs } | { readonly kind: 'exit'; readonly text: string };

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function buildProgram(version: string, out: { text: string }): Command {
  const program = new Command('ktail')
    .usage('[flags] [QUERY]')
    .description('Tail the logs of every pod and container matching QUERY: a pod-name regular expression, or KIND/NAME (deployment/web).')
    .argument('[query]', 'pod-name regular expression, or KIND/NAME: pod|po, deployment|deploy, statefulset|sts, daemonset|ds, replicaset|rs, job, cronjob|cj, service|svc, replicationcontroller|rc')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => { out.text += s; },
      writeErr: (s) => { out.text += s; },
      outputError: () => { /* turned into a UsageError below */ },
    })
    .addHelpText('after', EXAMPLES);
  for (const spec of FLAGS as readonly FlagSpec[]) {
    const option = new Option(spec.flags, spec.help).helpGroup(`${spec.group}:`);
    if (spec.defaultText !== undefined) option.default(undefined, spec.defaultText);
    if (spec.value === 'list') option.argParser(collect);
    if (spec.value === 'string' || spec.value === 'optional-string') {
      option.argParser((v: string) => {
        if (v.startsWith('-') && spec.key !== 'tail' && spec.key !== 'template') throw new InvalidArgumentError(`expected a value, got the flag "${v}"`);
        return v;
      });
    }
    program.addOption(option);
  }
  // -v and -h close the Operation group, as in SPEC §1
  program.optionsGroup('Operation:').version(version, '-v, --version', 'print the version').helpOption('-h, --help', 'show this help');
  return program;
}

const TIMESTAMP_STYLES = new Set(['default', 'short']);

/**
 * `-t` takes a style only when one follows (`-t short`); otherwise `ktail -t web` would read
 * "web" as the style, which commander's optional values do.
 */
function normalizeTimestampFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '-t' || arg === '--timestamps') {
      const next = argv[i + 1];
      if (next !== undefined && TIMESTAMP_STYLES.has(next)) {
        out.push(`--timestamps=${next}`);
        i++;
      } else {
        out.push('--timestamps=default');
      }
      continue;
    }
    // likewise --ordered takes a window only when a duration follows: `--ordered web` is the query
    if (arg === '--ordered') {
      const next = argv[i + 1];
      if (next !== undefined && ORDERED_WINDOW.test(next)) {
        out.push(`--ordered=${next}`);
        i++;
      } else {
        out.push('--ordered=1s');
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}

const ORDERED_WINDOW = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+$/;

/** Parses argv (without node and script) without side effects, for main() and the tests. */
export function parseArgs(argv: readonly string[], version: string): CliOutcome {
  const out = { text: '' };
  const program = buildProgram(version, out);
  try {
    program.parse(normalizeTimestampFlag(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return { kind: 'exit', text: out.text };
      }
      throw new UsageError(err.message.replace(/^error: /, '') + ' (see ktail --help)', { cause: err });
    }
    throw err;
  }
  const opts = program.opts<RawOptions>();
  const raw: RawOptions = {};
  for (const spec of FLAGS) {
    const v = opts[spec.key];
    if (v !== undefined) (raw as Record<string, unknown>)[spec.key] = v;
  }
  return { kind: 'run', args: { query: program.args[0], raw } };
}
