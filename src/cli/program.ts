import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../common/errors.js';
import { FLAGS, flagName, type FlagSpec } from './flag-table.js';
import type { RawOptions } from './options.js';

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

/** `-c, --container <regex>`, `-t, --timestamps [style]`, `--no-follow` */
function commanderFlags(spec: FlagSpec): string {
  const { argument } = spec;
  const value = argument.kind === 'required' ? ` <${argument.name}>` : argument.kind === 'optional' ? ` [${argument.name}]` : '';
  return `${spec.short === undefined ? '' : `-${spec.short}, `}--${flagName(spec)}${value}`;
}

function commanderOption(spec: FlagSpec): Option {
  const option = new Option(commanderFlags(spec), spec.help).helpGroup(`${spec.group}:`);
  // the value lands on the table's key: -f/--follow is not the --no-follow pair (it is ignored)
  if (option.attributeName() !== spec.key) option.attributeName = (): string => spec.key;
  if (spec.defaultText !== undefined) option.default(undefined, spec.defaultText);
  if (spec.repeatable) option.argParser(collect);
  else if (spec.argument.kind !== 'none' && !spec.allowDash) {
    option.argParser((v: string) => {
      if (v.startsWith('-')) throw new InvalidArgumentError(`expected a value, got the flag "${v}"`);
      return v;
    });
  }
  return option;
}

function buildProgram(version: string, out: { text: string }, flags: readonly FlagSpec[]): Command {
  const program = new Command('ktail')
    .usage('[flags] [QUERY]')
    .description('Tail the logs of every pod and container matching QUERY: a pod-name regular expression, or KIND/NAME (deployment/web).')
    .argument(
      '[query]',
      'pod-name regular expression, or KIND/NAME: pod|po, deployment|deploy, statefulset|sts, daemonset|ds, replicaset|rs, job, cronjob|cj, service|svc, replicationcontroller|rc, ingress|ing',
    )
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out.text += s;
      },
      writeErr: (s) => {
        out.text += s;
      },
      outputError: () => {
        /* turned into a UsageError below */
      },
    })
    .addHelpText('after', EXAMPLES);
  for (const spec of flags) program.addOption(commanderOption(spec));
  // -v and -h close the Operation group, as in SPEC §1
  program.optionsGroup('Operation:').version(version, '-v, --version', 'print the version').helpOption('-h, --help', 'show this help');
  return program;
}

/**
 * A flag whose value is optional takes one only when one follows (`-t short`, `--ordered 2s`);
 * otherwise `ktail -t web` would read "web" as the style, which commander's optional values do.
 * Alone, it gets its value for "alone" (`-t` → `--timestamps=default`, `--ordered` → `=1s`).
 */
function attachOptionalValues(argv: readonly string[], flags: readonly FlagSpec[]): string[] {
  const optional = new Map<string, FlagSpec>();
  for (const spec of flags) {
    if (spec.argument.kind !== 'optional') continue;
    optional.set(`--${spec.long}`, spec);
    if (spec.short !== undefined) optional.set(`-${spec.short}`, spec);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const spec = optional.get(arg);
    if (spec === undefined || spec.argument.kind !== 'optional') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    const isValue = next !== undefined && (spec.choices?.includes(next) === true || spec.argument.pattern?.test(next) === true);
    out.push(`--${spec.long}=${isValue ? next : spec.argument.whenAlone}`);
    if (isValue) i++;
  }
  return out;
}

/**
 * `-v=9`, `-v9`, `-v 9`: kubectl's verbosity habit. In ktail (as in stern) -v is --version, which
 * would print the version and exit 0 as if nothing were wrong; a usage error says where to go.
 */
function refuseVerbosityHabit(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    const attached = /^-v=?(\S+)$/.exec(arg) ?? /^--version=(.*)$/.exec(arg);
    const level = attached?.[1] ?? (arg === '-v' && /^\d+$/.test(argv[i + 1] ?? '') ? argv[i + 1] : undefined);
    if (level !== undefined) {
      const given = arg === '-v' ? `-v ${level}` : arg;
      throw new UsageError(
        `unexpected value in "${given}": -v is --version; for verbosity use --verbosity ${/^\d+$/.test(level) ? level : 'N'}`,
      );
    }
  }
}

/** Parses argv (without node and script) without side effects, for main() and the tests. */
export function parseArgs(argv: readonly string[], version: string, flags: readonly FlagSpec[] = FLAGS): CliOutcome {
  const out = { text: '' };
  refuseVerbosityHabit(argv);
  const program = buildProgram(version, out, flags);
  try {
    program.parse(attachOptionalValues(argv, flags), { from: 'user' });
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
  for (const spec of flags) {
    const v = opts[spec.key];
    if (v !== undefined) (raw as Record<string, unknown>)[spec.key] = v;
  }
  return { kind: 'run', args: { query: program.args[0], raw } };
}
