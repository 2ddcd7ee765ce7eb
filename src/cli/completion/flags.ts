/**
 * The flag table as the completion scripts need it: names, whether a value follows, the values
 * to offer. Built from flag-table.ts, so a new flag completes without touching the scripts.
 */
import { FLAGS, flagName, type FlagSpec } from '../flag-table.js';

/** Where a flag's value comes from. */
type ValueSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'words'; readonly words: readonly string[] }
  /** names from `ktail __complete WHAT` */
  | { readonly kind: 'cluster'; readonly what: 'contexts' | 'namespaces' | 'nodes' }
  | { readonly kind: 'file' }
  /** free text: a regex, a duration, a selector */
  | { readonly kind: 'text' };

export interface CompletionFlag {
  readonly long: string;
  readonly short: string | undefined;
  /** none: a switch; required: `--since 15m`; optional: `-t [short]` */
  readonly arg: 'none' | 'required' | 'optional';
  readonly repeatable: boolean;
  readonly help: string;
  readonly values: ValueSource;
  /** the placeholder of the value (`regex`, `duration`) */
  readonly placeholder: string;
}

function values(spec: FlagSpec): ValueSource {
  if (spec.argument.kind === 'none') return { kind: 'none' };
  if (spec.choices !== undefined) return { kind: 'words', words: spec.choices };
  switch (spec.complete) {
    case 'contexts':
    case 'namespaces':
    case 'nodes':
      return { kind: 'cluster', what: spec.complete };
    case 'file':
      return { kind: 'file' };
    default:
      return { kind: 'text' };
  }
}

export function completionFlags(flags: readonly FlagSpec[] = FLAGS): CompletionFlag[] {
  const out: CompletionFlag[] = flags.map((spec) => ({
    long: flagName(spec),
    short: spec.short,
    arg: spec.argument.kind,
    repeatable: spec.repeatable === true,
    help: spec.help,
    values: values(spec),
    placeholder: spec.argument.kind === 'none' ? '' : spec.argument.name,
  }));
  out.push(
    { long: 'help', short: 'h', arg: 'none', repeatable: false, help: 'show the help', values: { kind: 'none' }, placeholder: '' },
    { long: 'version', short: 'v', arg: 'none', repeatable: false, help: 'print the version', values: { kind: 'none' }, placeholder: '' },
  );
  return out;
}

/** The commands the scripts register for. */
export const COMMANDS = ['ktail', 'kubectl-ktail'] as const;

/** `--namespace`, `-n` */
export function names(f: CompletionFlag): string[] {
  return [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])];
}

/** `--namespace|-n|--context` */
export function pattern(flags: readonly CompletionFlag[]): string {
  return flags.flatMap(names).join('|');
}

/**
 * kubectl's connection flags (`--server`, `--token`, …), split by whether a value follows: the
 * scripts pass them on to `ktail __complete`, so names come from the cluster a run would reach.
 */
export function connectionFlags(flags: readonly FlagSpec[] = FLAGS): { readonly values: string[]; readonly switches: string[] } {
  const connection = flags.filter((f) => f.group === 'Connection');
  return {
    values: connection.filter((f) => f.argument.kind !== 'none').map((f) => `--${f.long}`),
    switches: connection.filter((f) => f.argument.kind === 'none').map((f) => `--${f.long}`),
  };
}
