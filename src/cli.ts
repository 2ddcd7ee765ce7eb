import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';
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
  { key: 'namespace', flags: '-n, --namespace <ns>', value: 'list', group: 'Selection', help: 'namespaces (repeatable or comma-separated)', defaultText: "the context's, else default" },
  { key: 'allNamespaces', flags: '-A, --all-namespaces', value: 'boolean', group: 'Selection', help: 'every namespace' },
  { key: 'context', flags: '--context <name>', value: 'list', group: 'Selection', help: 'kubeconfig contexts (repeatable or comma-separated)', defaultText: 'current context' },
  { key: 'kubeconfig', flags: '--kubeconfig <path>', value: 'string', group: 'Selection', help: 'kubeconfig file', defaultText: '$KUBECONFIG, else ~/.kube/config, else in-cluster' },
  { key: 'since', flags: '-s, --since <duration>', value: 'string', group: 'Time window', help: 'how far back to read containers that exist at start (30s, 15m, 1h30m, 2d)', defaultText: '48h' },
  { key: 'sinceTime', flags: '--since-time <rfc3339>', value: 'string', group: 'Time window', help: 'read from this time on (exclusive with --since)' },
  { key: 'tail', flags: '--tail <n>', value: 'string', group: 'Time window', help: 'lines per container that exists at start; -1: all', defaultText: '-1' },
  { key: 'follow', flags: '--no-follow', value: 'boolean', group: 'Time window', help: 'print what exists, then exit' },
  { key: 'timestamps', flags: '-t, --timestamps [style]', value: 'optional-string', group: 'Output', help: 'show timestamps: default (RFC3339, nanoseconds) or short' },
  { key: 'output', flags: '-o, --output <format>', value: 'string', group: 'Output', help: 'default or raw', defaultText: 'default' },
  { key: 'color', flags: '--color <when>', value: 'string', group: 'Output', help: 'auto, always or never (auto: on a terminal, unless NO_COLOR)', defaultText: 'auto' },
  { key: 'onlyLogLines', flags: '--only-log-lines', value: 'boolean', group: 'Output', help: 'no +/- notices' },
  { key: 'maxLogRequests', flags: '--max-log-requests <n>', value: 'string', group: 'Operation', help: 'concurrent log streams; more wait their turn', defaultText: '50 following, 5 with --no-follow' },
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
  ktail web -n shop --since 15m -t            # the last 15 minutes, with timestamps
  ktail -l app.kubernetes.io/part-of=shop -A  # by label, in every namespace
  ktail api --context prod-eu,prod-us         # the same app on two clusters
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
    .description('Tail the logs of every pod and container matching QUERY, a pod-name regular expression.')
    .argument('[query]', 'pod-name regular expression')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
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
        if (v.startsWith('-') && spec.key !== 'tail') throw new InvalidArgumentError(`expected a value, got the flag "${v}"`);
        return v;
      });
    }
    program.addOption(option);
  }
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
    out.push(arg);
  }
  return out;
}

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
