/**
 * Pure: which containers of a pod are followed. A target is one container *instance*: its
 * key includes the container ID, so a restart is a new source (as in stern).
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

export type ContainerKind = 'container' | 'init' | 'ephemeral';
export type ContainerPhase = 'running' | 'waiting' | 'terminated';

export interface Target {
  /** context/namespace/pod/container/containerID: unique per container instance */
  readonly key: string;
  /** context/namespace/pod: to find a pod's targets */
  readonly podKey: string;
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly containerId: string;
  readonly kind: ContainerKind;
  readonly nodeName: string;
  readonly restartCount: number;
  readonly phase: ContainerPhase;
}

export interface TargetFilter {
  readonly podQuery: RegExp;
  readonly container: RegExp;
  readonly excludeContainer: readonly RegExp[];
  readonly excludePod: readonly RegExp[];
}

export function podMatches(name: string, filter: TargetFilter): boolean {
  return filter.podQuery.test(name) && !filter.excludePod.some((r) => r.test(name));
}

export function containerMatches(name: string, filter: TargetFilter): boolean {
  return filter.container.test(name) && !filter.excludeContainer.some((r) => r.test(name));
}

export function phaseOf(status: V1ContainerStatus): ContainerPhase {
  if (status.state?.running) return 'running';
  if (status.state?.terminated) return 'terminated';
  return 'waiting';
}

export function keyOfPod(context: string, pod: V1Pod): string {
  return `${context}/${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/**
 * The pod's containers that match the filter and have started at least once (a container ID):
 * a container that has never started has no log to read yet.
 */
export function podTargets(context: string, pod: V1Pod, filter: TargetFilter): Target[] {
  const name = pod.metadata?.name ?? '';
  if (!podMatches(name, filter)) return [];
  const namespace = pod.metadata?.namespace ?? '';
  const podKey = `${context}/${namespace}/${name}`;
  const groups: [ContainerKind, V1ContainerStatus[] | undefined][] = [
    ['init', pod.status?.initContainerStatuses],
    ['container', pod.status?.containerStatuses],
    ['ephemeral', pod.status?.ephemeralContainerStatuses],
  ];
  const out: Target[] = [];
  for (const [kind, statuses] of groups) {
    for (const s of statuses ?? []) {
      const containerId = s.containerID ?? s.state?.terminated?.containerID ?? '';
      if (containerId === '' || !containerMatches(s.name, filter)) continue;
      out.push({
        key: `${podKey}/${s.name}/${containerId}`,
        podKey,
        context,
        namespace,
        pod: name,
        container: s.name,
        containerId,
        kind,
        nodeName: pod.spec?.nodeName ?? '',
        restartCount: s.restartCount ?? 0,
        phase: phaseOf(s),
      });
    }
  }
  return out;
}

/** The status of one container instance in a pod, wherever it is (current or last state). */
export type InstanceState =
  | { readonly kind: 'running' }
  | { readonly kind: 'terminated'; readonly reason: string; readonly exitCode: number | undefined; readonly replaced: boolean }
  | { readonly kind: 'unknown' };

export function instanceState(pod: V1Pod, container: string, containerId: string): InstanceState {
  const all = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const s = all.find((c) => c.name === container);
  if (!s) return { kind: 'unknown' };
  // a terminated container may carry its ID only in state.terminated (as podTargets reads it)
  if ((s.containerID ?? s.state?.terminated?.containerID) === containerId) {
    if (s.state?.running) return { kind: 'running' };
    const t = s.state?.terminated;
    if (t) return { kind: 'terminated', reason: t.reason ?? 'Completed', exitCode: t.exitCode, replaced: false };
    // CrashLoopBackOff: waiting, while containerID and lastState still name the run that ended
    const last = s.lastState?.terminated;
    if (last && (last.containerID === undefined || last.containerID === containerId)) {
      return { kind: 'terminated', reason: last.reason ?? 'Error', exitCode: last.exitCode, replaced: false };
    }
    return { kind: 'unknown' };
  }
  const last = s.lastState?.terminated;
  if (last && (last.containerID === containerId || last.containerID === undefined)) {
    return { kind: 'terminated', reason: last.reason ?? 'Completed', exitCode: last.exitCode, replaced: true };
  }
  return { kind: 'terminated', reason: 'replaced', exitCode: undefined, replaced: true };
}
