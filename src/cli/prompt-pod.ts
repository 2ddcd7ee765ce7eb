/**
 * --prompt as stern has it, on ktail's terms: the pods that match now are listed on the terminal,
 * one is picked, and the run follows that pod alone (stern picks an app.kubernetes.io/instance
 * label value; ktail picks among the pods the query, selectors and namespaces already narrow).
 */
import { ClusterError } from '../common/errors.js';
import { listCandidates, narrowedTo, type Candidate } from '../follow/candidates.js';
import type { FollowSettings } from '../follow/settings.js';
import type { ContextInfo } from '../kube/kubeconfig.js';
import { pick, type PromptIO } from './prompt.js';

export interface PromptChoice {
  readonly contexts: readonly ContextInfo[];
  readonly follow: FollowSettings;
}

function entry(c: Candidate, showContext: boolean): string {
  return `${showContext ? `${c.context} ` : ''}${c.namespace}/${c.pod}`;
}

/** The narrowed run, or undefined when the user gave up (Esc, Ctrl-C). */
export async function promptForPod(
  contexts: readonly ContextInfo[],
  follow: FollowSettings,
  io: PromptIO,
  warn: (text: string) => void,
): Promise<PromptChoice | undefined> {
  const candidates = await listCandidates(contexts, follow, warn);
  if (candidates.length === 0) {
    throw new ClusterError(`--prompt: no pod matches "${follow.selection.queryText}" to pick from`);
  }
  const showContext = contexts.length > 1;
  const index = await pick(
    candidates.map((c) => entry(c, showContext)),
    `Pick a pod (${candidates.length} match)`,
    io,
  );
  if (index === undefined) return undefined;
  const chosen = candidates[index]!;
  io.stderr.write(`Selected: ${entry(chosen, showContext)}\n`);
  return { contexts: contexts.filter((c) => c.name === chosen.context), follow: narrowedTo(follow, chosen) };
}
