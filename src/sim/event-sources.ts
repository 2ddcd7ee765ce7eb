// Which Events the simulated cluster's components record, and with the words the real ones use:
// the scheduler (Scheduled, FailedScheduling), the kubelet (Pulled/Created/Started, image pull
// failures, BackOff, Unhealthy, Killing) and the controllers (SuccessfulCreate,
// ScalingReplicaSet). The control API changes a pod; these say what a real cluster would say.
import type { EventRecorder } from './events.js';
import type { ContainerModel, PodModel } from './pods.js';
import type { KubeObject } from './resources.js';

/** What a container was before a change, to tell what the change was. */
export interface ContainerBefore {
  readonly state: 'waiting' | 'running' | 'terminated';
  readonly id: string | undefined;
}

export function containerBefore(c: ContainerModel): ContainerBefore {
  return { state: c.state.kind, id: c.current?.id };
}

function podRef(pod: PodModel, c?: ContainerModel) {
  const ref = { kind: 'Pod', name: pod.name, namespace: pod.namespace, uid: pod.meta.uid, apiVersion: 'v1' };
  if (!c) return ref;
  const list = c.kind === 'init' ? 'initContainers' : c.kind === 'ephemeral' ? 'ephemeralContainers' : 'containers';
  return { ...ref, fieldPath: `spec.${list}{${c.name}}` };
}

function kubelet(
  events: EventRecorder,
  pod: PodModel,
  c: ContainerModel,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  events.record({ regarding: podRef(pod, c), type, reason, message, component: 'kubelet', host: pod.meta.nodeName });
}

/** A new pod: scheduled (or not), and its containers as they came to be. */
export function podCreated(events: EventRecorder, pod: PodModel, nodeCount: number): void {
  const scheduler = { regarding: podRef(pod), component: 'default-scheduler', style: 'series', action: 'Scheduling' } as const;
  if (pod.meta.nodeName === undefined) {
    const n = nodeCount;
    events.record({
      ...scheduler,
      type: 'Warning',
      reason: 'FailedScheduling',
      message: `0/${n} nodes are available: ${n} node(s) didn't match Pod's node affinity/selector. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    });
    return;
  }
  events.record({
    ...scheduler,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.namespace}/${pod.name} to ${pod.meta.nodeName}`,
  });
  for (const c of pod.containers) containerChanged(events, pod, c, { state: 'waiting', id: undefined });
}

/** A container changed (started, restarted, waits for a reason): what the kubelet says of it. */
export function containerChanged(events: EventRecorder, pod: PodModel, c: ContainerModel, before: ContainerBefore): void {
  if (pod.meta.nodeName === undefined) return;
  const s = c.state;
  const startedNow = c.current !== undefined && c.current.id !== before.id;
  if (startedNow) {
    kubelet(events, pod, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    kubelet(events, pod, c, 'Normal', 'Created', `Created container: ${c.name}`);
    kubelet(events, pod, c, 'Normal', 'Started', `Started container ${c.name}`);
  }
  if (s.kind !== 'waiting') return;
  switch (s.reason) {
    case 'CrashLoopBackOff':
      kubelet(
        events,
        pod,
        c,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${pod.name}_${pod.namespace}(${pod.meta.uid})`,
      );
      return;
    case 'ErrImagePull':
      kubelet(events, pod, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      kubelet(
        events,
        pod,
        c,
        'Warning',
        'Failed',
        `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
      );
      kubelet(events, pod, c, 'Warning', 'Failed', 'Error: ErrImagePull');
      return;
    case 'ImagePullBackOff':
      kubelet(events, pod, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
      kubelet(events, pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      return;
    case 'CreateContainerConfigError':
      kubelet(events, pod, c, 'Warning', 'Failed', `Error: ${s.message ?? 'configmap not found'}`);
      return;
  }
}

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

/** A failing probe: Unhealthy, each failure counted on the same event. */
export function probeFailed(events: EventRecorder, pod: PodModel, c: ContainerModel, probe: ProbeKind, detail: string): void {
  kubelet(events, pod, c, 'Warning', 'Unhealthy', `${probe} probe failed: ${detail}`);
}

/** A pod being deleted: its running containers are stopped. */
export function podKilling(events: EventRecorder, pod: PodModel): void {
  for (const c of pod.containers) {
    if (c.state.kind === 'running') kubelet(events, pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
  }
}

function ownerRef(o: KubeObject) {
  return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, apiVersion: o.apiVersion };
}

/** A controller created a pod (or a CronJob a Job): SuccessfulCreate on the owner. */
export function controllerCreated(events: EventRecorder, owner: KubeObject, child: string): void {
  const component = CONTROLLERS[owner.kind] ?? 'controller-manager';
  const message =
    owner.kind === 'StatefulSet'
      ? `create Pod ${child} in StatefulSet ${owner.metadata.name} successful`
      : owner.kind === 'CronJob'
        ? `Created job ${child}`
        : `Created pod: ${child}`;
  events.record({ regarding: ownerRef(owner), type: 'Normal', reason: 'SuccessfulCreate', message, component });
}

/** A Deployment scaled one of its ReplicaSets. */
export function deploymentScaled(events: EventRecorder, dep: KubeObject, replicaSet: string, from: number, to: number): void {
  events.record({
    regarding: ownerRef(dep),
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled ${to > from ? 'up' : 'down'} replica set ${replicaSet} from ${from} to ${to}`,
    component: 'deployment-controller',
  });
}

const CONTROLLERS: Readonly<Record<string, string>> = {
  ReplicaSet: 'replicaset-controller',
  StatefulSet: 'statefulset-controller',
  DaemonSet: 'daemonset-controller',
  Job: 'job-controller',
  CronJob: 'cronjob-controller',
  ReplicationController: 'replication-controller',
};
