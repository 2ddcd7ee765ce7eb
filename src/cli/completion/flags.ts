/**
 * The flag table as the completion scripts need it: names, whether a value follows, the values
 * to offer. Built from cli.ts's FLAGS, so a new flag completes without touching the scripts.
 */
import { FLAGS } from '../program.js';
import { OUTPUT_FORMATS } from '../options.js';

/** Where a flag's value comes from. */
export type ValueSource =
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

/** Values a flag takes, by long name; checked against resolveOptions by the tests. */
export const FLAG_WORDS: Readonly<Record<string, readonly string[]>> = {
  output: OUTPUT_FORMATS,
  color: ['auto', 'always', 'never'],
  'container-state': ['running', 'waiting', 'terminated', 'all'],
  timestamps: ['default', 'short'],
  completion: ['bash', 'zsh', 'fish'],
};

const FROM_CLUSTER: Readonly<Record<string, 'contexts' | 'namespaces' | 'nodes'>> = {
  context: 'contexts',
  namespace: 'namespaces',
  node: 'nodes',
};

const FILE_FLAGS = new Set(['kubeconfig', 'config', 'template-file']);

export function completionFlags(): CompletionFlag[] {
  const out: CompletionFlag[] = FLAGS.map((spec) => {
    const long = /--([a-z0-9-]+)/.exec(spec.flags)![1]!;
    const short = /^-([A-Za-z]),/.exec(spec.flags)?.[1];
    const placeholder = /[<[]([^>\]]+)[>\]]/.exec(spec.flags)?.[1] ?? '';
    const arg = spec.flags.includes('<') ? 'required' : spec.flags.includes('[') ? 'optional' : 'none';
    const words = FLAG_WORDS[long];
    const cluster = FROM_CLUSTER[long];
    const values: ValueSource =
      arg === 'none'
        ? { kind: 'none' }
        : words
          ? { kind: 'words', words }
          : cluster
            ? { kind: 'cluster', what: cluster }
            : FILE_FLAGS.has(long)
              ? { kind: 'file' }
              : { kind: 'text' };
    return { long, short, arg, repeatable: spec.value === 'list', help: spec.help, values, placeholder };
  });
  out.push(
    { long: 'help', short: 'h', arg: 'none', repeatable: false, help: 'show the help', values: { kind: 'none' }, placeholder: '' },
    { long: 'version', short: 'v', arg: 'none', repeatable: false, help: 'print the version', values: { kind: 'none' }, placeholder: '' },
  );
  return out;
}
