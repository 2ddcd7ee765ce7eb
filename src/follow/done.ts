/**
 * --until-done, pure: whether a Job has finished and how, and whether a pod's matched containers
 * have all terminated and how they exited.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../kube/api.js';
import { containerMatches, containerStatuses, podSelected, type TargetFilter } from './targets.js';

export type JobOutcome =
  | { readonly kind: 'running' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'failed'; readonly reason: string; readonly message: string };

/** The Job's `Complete` or `Failed` condition with status True; else it runs (or waits to). */
export function jobOutcome(job: KubeObject): JobOutcome {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return { kind: 'complete' };
    if (c.type === 'Failed') return { kind: 'failed', reason: c.reason ?? '', message: c.message ?? '' };
  }
  return { kind: 'running' };
}

/**
 * ignored: the pod is not followed or none of its containers matches; running: a matched
 * container runs or waits (or the pod has not said yet); done: every matched container has
 * terminated, `failed` when one exited other than 0.
 */
export type PodProgress = { readonly kind: 'ignored' } | { readonly kind: 'running' } | { readonly kind: 'done'; readonly failed: boolean };

export function podProgress(pod: V1Pod, filter: TargetFilter): PodProgress {
  if (!podSelected(pod, filter)) return { kind: 'ignored' };
  const statuses = containerStatuses(pod, filter).filter(([, s]) => containerMatches(s.name, filter));
  if (statuses.length === 0) {
    // a pending pod has no statuses yet: its containers are still to come
    const phase = pod.status?.phase;
    return phase === 'Succeeded' || phase === 'Failed' || (pod.status?.containerStatuses ?? []).length > 0
      ? { kind: 'ignored' }
      : { kind: 'running' };
  }
  let failed = false;
  for (const [, s] of statuses) {
    const ended = s.state?.terminated;
    if (!ended) return { kind: 'running' };
    if (ended.exitCode !== 0) failed = true;
  }
  return { kind: 'done', failed };
}
