/**
 * `ktail --completion bash|zsh|fish`: completion scripts generated from the flag table. Flags
 * and their fixed values are written into the script; contexts, namespaces, nodes, pods and
 * workload names come from `ktail __complete …` (complete.ts) when the user presses Tab, with
 * the `--kubeconfig`, `--context`, `-n`/`-A` and `--config` already on the command line.
 */
import { COMPLETION_SHELLS, FLAGS, type FlagSpec } from '../flag-table.js';
import { oneOf } from '../parse.js';
import { completionFlags } from './flags.js';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { zshScript } from './zsh.js';

export const SHELLS = COMPLETION_SHELLS;

export function completionScript(shell: string, flags: readonly FlagSpec[] = FLAGS): string {
  switch (oneOf(shell, SHELLS, '--completion')) {
    case 'bash':
      return bashScript(completionFlags(flags));
    case 'zsh':
      return zshScript(completionFlags(flags));
    case 'fish':
      return fishScript(completionFlags(flags));
  }
}
