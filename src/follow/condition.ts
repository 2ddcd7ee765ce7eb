/**
 * Pure: `--condition COND[=VALUE]`, as stern: only pods whose status condition COND has VALUE
 * (True by default). Names and values are case-insensitive (`ready=false`, `Ready`).
 */
import type { V1Pod } from '@kubernetes/client-node';

/** The pod condition types stern accepts, as the API spells them. */
const POD_CONDITIONS = [
  'ContainersReady',
  'Initialized',
  'Ready',
  'PodScheduled',
  'DisruptionTarget',
  'PodReadyToStartContainers',
] as const;
const CONDITION_VALUES = ['True', 'False', 'Unknown'] as const;

export interface PodConditionFilter {
  readonly type: (typeof POD_CONDITIONS)[number];
  readonly status: (typeof CONDITION_VALUES)[number];
}

/** `ready=false` → { type: 'Ready', status: 'False' }; an error text when it is not one. */
export function parseCondition(text: string): PodConditionFilter | string {
  const eq = text.indexOf('=');
  const name = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
  const value = (eq === -1 ? 'true' : text.slice(eq + 1)).trim().toLowerCase();
  const type = POD_CONDITIONS.find((c) => c.toLowerCase() === name);
  if (type === undefined) return `expected a pod condition: ${POD_CONDITIONS.join(', ')} (any case), with =true, =false or =unknown`;
  const status = CONDITION_VALUES.find((v) => v.toLowerCase() === value);
  if (status === undefined) return `expected ${type}=true, =false or =unknown`;
  return { type, status };
}

/**
 * Whether the pod's condition has the value asked for; a pod without the condition does not
 * match. As stern, a pod owned by a Job always passes a Ready condition: such a pod is Ready as
 * soon as it runs, which would hide the job's progress.
 */
export function conditionMatches(pod: V1Pod, condition: PodConditionFilter): boolean {
  if (condition.type === 'Ready' && (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Job')) return true;
  const found = (pod.status?.conditions ?? []).find((c) => c.type === condition.type);
  return found !== undefined && found.status === condition.status;
}
