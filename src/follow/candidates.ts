/**
 * --prompt: the pods the selection matches now, listed once in every context and namespace it
 * covers (a KIND/NAME resolved as for following), for the user to pick one; and the selection
 * narrowed to the pod picked.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ContextInfo } from '../kube/kubeconfig.js';
import { api } from '../kube/api.js';
import { startError } from '../kube/errors.js';
import { Transport } from '../kube/transport.js';
import { andSelectors } from './query.js';
import type { FollowSettings } from './settings.js';
import { namespacesOf } from './start.js';
import { podSelected } from './targets.js';
import { resolveWorkload, type PodScope } from './workload.js';

export interface Candidate {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
}

async function scopes(transport: Transport, ctx: ContextInfo, settings: FollowSettings, warn: (m: string) => void): Promise<PodScope[]> {
  const { selection } = settings;
  const namespaces = namespacesOf(selection.namespaces, ctx);
  const base = { labelSelector: selection.labelSelector, fieldSelector: selection.fieldSelector };
  if (selection.workload === undefined) return namespaces.map((namespace) => ({ namespace, ...base, gate: undefined }));
  return resolveWorkload(transport, selection.workload, namespaces, base, warn);
}

/** The matching pods of every context, sorted by context, namespace and name; each once. */
export async function listCandidates(
  contexts: readonly ContextInfo[],
  settings: FollowSettings,
  warn: (m: string) => void,
): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  for (const ctx of contexts) {
    const transport = new Transport(ctx);
    try {
      for (const scope of await scopes(transport, ctx, settings, warn)) {
        let pods: V1Pod[];
        try {
          const list = await transport.json(api.pods(scope.namespace, scope), { idleTimeoutMs: 30_000 });
          pods = list.items;
        } catch (err) {
          throw startError(err, ctx, scope.namespace);
        }
        for (const pod of pods) {
          if (pod.metadata?.deletionTimestamp || !podSelected(pod, settings.targets)) continue;
          const c = { context: ctx.name, namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '' };
          found.set(`${c.context}/${c.namespace}/${c.pod}`, c);
        }
      }
    } catch (err) {
      // a KtailError passes as it is; anything else gets the context's words
      throw startError(err, ctx, undefined);
    } finally {
      transport.close();
    }
  }
  return [...found.values()].sort((a, b) => cmp(a.context, b.context) || cmp(a.namespace, b.namespace) || cmp(a.pod, b.pod));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The selection of one pod: its namespace, its name as a field selector, its name as the query text. */
export function narrowedTo(settings: FollowSettings, c: Candidate): FollowSettings {
  return {
    ...settings,
    selection: {
      ...settings.selection,
      queryText: c.pod,
      namespaces: { kind: 'list', names: [c.namespace] },
      fieldSelector: andSelectors(settings.selection.fieldSelector, `metadata.name=${c.pod}`),
    },
  };
}
