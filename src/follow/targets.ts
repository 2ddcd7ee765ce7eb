/**
 * Pure: which containers of a pod are followed. A target is one container *instance*: its
 * key includes the container ID, so a restart is a new source (as in stern).
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { conditionMatches, type PodConditionFilter } from './condition.js';

export type ContainerKind = 'container' | 'init' | 'ephemeral';
type ContainerPhase = 'running' | 'waiting' | 'terminated';

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
  /** the pod's labels and annotations, for -o json and templates */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A compiled user pattern (RE2, as stern's): only whether it matches a name is asked. */
interface NameTest {
  readonly source: string;
  test(name: string): boolean;
}

export interface TargetFilter {
  readonly podQuery: NameTest;
  readonly container: NameTest;
  readonly excludeContainer: readonly NameTest[];
  readonly excludePod: readonly NameTest[];
  /** --exclude-namespace: pods in a namespace matching one of these are not followed */
  readonly excludeNamespace?: readonly NameTest[];
  /** --container-state: the states followed; undefined: all */
  readonly containerStates?: ReadonlySet<ContainerPhase> | undefined;
  /** --no-init-containers: false (default true) */
  readonly initContainers?: boolean;
  /** --no-ephemeral-containers: false (default true) */
  readonly ephemeralContainers?: boolean;
  /** --previous: the previous instance of each container, for those that have one */
  readonly previous?: boolean;
  /** --condition: only pods whose status condition has this value */
  readonly condition?: PodConditionFilter | undefined;
}

function podMatches(name: string, filter: TargetFilter): boolean {
  return filter.podQuery.test(name) && !filter.excludePod.some((r) => r.test(name));
}

/** The pod's name and namespace and, with --condition, its status condition. */
export function podSelected(pod: V1Pod, filter: TargetFilter): boolean {
  const namespace = pod.metadata?.namespace ?? '';
  return (
    podMatches(pod.metadata?.name ?? '', filter) &&
    !(filter.excludeNamespace ?? []).some((r) => r.test(namespace)) &&
    (filter.condition === undefined || conditionMatches(pod, filter.condition))
  );
}

export function containerMatches(name: string, filter: TargetFilter): boolean {
  return filter.container.test(name) && !filter.excludeContainer.some((r) => r.test(name));
}

function phaseOf(status: V1ContainerStatus): ContainerPhase {
  if (status.state?.running) return 'running';
  if (status.state?.terminated) return 'terminated';
  return 'waiting';
}

export function keyOfPod(context: string, pod: V1Pod): string {
  return `${context}/${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/**
 * The statuses of the pod's containers of the kinds the filter asks for (init containers unless
 * --no-init-containers, ephemeral ones unless --no-ephemeral-containers), in the API's order:
 * init containers (in the order they run), containers, ephemeral containers.
 */
export function containerStatuses(pod: V1Pod, filter: TargetFilter): [ContainerKind, V1ContainerStatus][] {
  const groups: [ContainerKind, V1ContainerStatus[] | undefined][] = [
    ['init', filter.initContainers === false ? undefined : pod.status?.initContainerStatuses],
    ['container', pod.status?.containerStatuses],
    ['ephemeral', filter.ephemeralContainers === false ? undefined : pod.status?.ephemeralContainerStatuses],
  ];
  return groups.flatMap(([kind, statuses]) => (statuses ?? []).map((s): [ContainerKind, V1ContainerStatus] => [kind, s]));
}

/** The container instance a target reads: the current one, or with --previous the one before. */
function instanceId(s: V1ContainerStatus, previous: boolean): string {
  if (previous) return s.lastState?.terminated?.containerID ?? (s.lastState?.terminated ? `previous-of-${s.containerID ?? ''}` : '');
  return s.containerID ?? s.state?.terminated?.containerID ?? '';
}

/**
 * The pod's containers that match the filter and have started at least once (a container ID):
 * a container that has never started has no log to read yet. With --previous, the containers
 * that have a previous instance (a terminated last state).
 */
export function podTargets(context: string, pod: V1Pod, filter: TargetFilter): Target[] {
  const name = pod.metadata?.name ?? '';
  if (!podSelected(pod, filter)) return [];
  const namespace = pod.metadata?.namespace ?? '';
  const podKey = `${context}/${namespace}/${name}`;
  const previous = filter.previous === true;
  const out: Target[] = [];
  for (const [kind, s] of containerStatuses(pod, filter)) {
    const containerId = instanceId(s, previous);
    if (containerId === '' || !containerMatches(s.name, filter)) continue;
    if (filter.containerStates !== undefined && !filter.containerStates.has(phaseOf(s))) continue;
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
      restartCount: s.restartCount,
      phase: phaseOf(s),
      labels: pod.metadata?.labels ?? {},
      annotations: pod.metadata?.annotations ?? {},
    });
  }
  return out;
}

/**
 * The instances in the containers' last state (the run before the last restart), as targets to
 * read with `previous`. A source may have started and ended unseen — a pod created and its
 * container restarted while the watch was down — and is then still read from its first line.
 * The caller decides which of them it has not read and that began after start.
 */
export function previousInstanceTargets(context: string, pod: V1Pod, filter: TargetFilter): Target[] {
  if (filter.containerStates !== undefined && !filter.containerStates.has('terminated')) return [];
  // restartCount is the number of the run the status's containerID names (the kubelet sets it when
  // a run starts): the run before it is one less, unless the container waits in CrashLoopBackOff,
  // where containerID and the last state name the same run, the one that ended
  const currentIds = new Map(containerStatuses(pod, filter).map(([, s]) => [s.name, instanceId(s, false)]));
  return podTargets(context, pod, { ...filter, previous: true, containerStates: undefined }).map((t) => ({
    ...t,
    phase: 'terminated',
    restartCount: currentIds.get(t.container) === t.containerId ? t.restartCount : Math.max(0, t.restartCount - 1),
  }));
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
