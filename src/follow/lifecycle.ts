/**
 * What pods are doing besides logging: a matching container that waits for a reason worth
 * knowing (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, …) is reported once
 * per reason, with the message Kubernetes gives (SPEC §2). The `+`/`-` notices are tail.ts's.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { containerMatches, containerStatuses, keyOfPod, podSelected, type TargetFilter } from './targets.js';

/** Waiting reasons of a healthy start: not news. */
const ORDINARY_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

export interface Waiting {
  readonly container: string;
  readonly reason: string;
  /** Kubernetes' message, when it gives one */
  readonly message: string | undefined;
}

/** Pure: the pod's matching containers that wait for a reason other than an ordinary start. */
export function waitingContainers(pod: V1Pod, filter: TargetFilter): Waiting[] {
  if (!podSelected(pod, filter)) return [];
  const out: Waiting[] = [];
  for (const [, s] of containerStatuses(pod, filter)) {
    const w = s.state?.waiting;
    if (!w?.reason || ORDINARY_WAITING.has(w.reason) || !containerMatches(s.name, filter)) continue;
    const message = w.message?.trim();
    out.push({ container: s.name, reason: w.reason, message: message ? message : undefined });
  }
  return out;
}

/**
 * Remembers which (pod, container, reason) was reported, so that a container crash-looping for
 * an hour gets one `~` line, not one per back-off. Forgets a pod when it is deleted.
 */
export class WaitingReports {
  private readonly reported = new Map<string, Set<string>>();

  /** The waits of this pod not reported yet; they count as reported from now on. */
  observe(context: string, pod: V1Pod, filter: TargetFilter): Waiting[] {
    const found = waitingContainers(pod, filter);
    if (found.length === 0) return [];
    const podKey = keyOfPod(context, pod);
    let seen = this.reported.get(podKey);
    const fresh: Waiting[] = [];
    for (const w of found) {
      const key = `${w.container}\0${w.reason}`;
      if (seen?.has(key)) continue;
      if (!seen) this.reported.set(podKey, (seen = new Set()));
      seen.add(key);
      fresh.push(w);
    }
    return fresh;
  }

  forget(context: string, pod: V1Pod): void {
    this.reported.delete(keyOfPod(context, pod));
  }
}
