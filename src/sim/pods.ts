// Pods and their containers: state machines for container instances, and the Pod JSON the
// kubelet and API server would report for them.
import { formatRFC3339, nowNs } from './clock.js';
import { imageIdFor, newContainerId, qualifiedImage } from './ids.js';
import type { LogBuffer } from './logbuffer.js';
import type { KubeObject, OwnerReference } from './resources.js';
import type { ContainerInput, ContainerStateInput, PodPhase } from './types.js';

export type ContainerKind = 'init' | 'regular' | 'ephemeral';

/** One run of a container: its ID and its log. */
export interface Instance {
  id: string;
  log: LogBuffer;
  startedAt: bigint;
  finishedAt?: bigint;
  exitCode?: number;
  reason?: string;
  message?: string;
}

type CState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running' }
  | { kind: 'terminated'; exitCode: number; reason: string; message?: string; finishedAt: bigint; startedAt: bigint };

export type NewLog = (containerId: string, container: string) => LogBuffer;

export interface TerminateInfo {
  reason?: string;
  exitCode?: number;
  message?: string;
}

export class ContainerModel {
  state: CState = { kind: 'waiting', reason: 'ContainerCreating' };
  current: Instance | undefined;
  previous: Instance | undefined;
  restartCount = 0;
  readyOverride: boolean | undefined;
  readonly image: string;

  constructor(
    readonly name: string,
    readonly kind: ContainerKind,
    image: string | undefined,
    private readonly newLog: NewLog,
  ) {
    this.image = image ?? `registry.local/${name}:1.0`;
  }

  /**
   * Start (or restart) a run: a new container ID and an empty log. As the kubelet does, a run
   * after an earlier one counts a restart when it starts (its restartCount is the last one's + 1):
   * a container waiting in CrashLoopBackOff still reports the count of the run that ended.
   */
  toRunning(): void {
    if (this.state.kind === 'running') return;
    if (this.current) this.retire();
    if (this.previous && this.kind !== 'ephemeral') this.restartCount++;
    const id = newContainerId();
    this.current = { id, log: this.newLog(id, this.name), startedAt: nowNs() };
    this.state = { kind: 'running' };
  }

  toTerminated(info: TerminateInfo = {}): void {
    const exitCode = info.exitCode ?? 0;
    const reason = info.reason ?? (exitCode === 0 ? 'Completed' : 'Error');
    const now = nowNs();
    if (this.state.kind === 'running' && this.current) {
      const cur = this.current;
      Object.assign(cur, { finishedAt: now, exitCode, reason, message: info.message });
      cur.log.finish();
      this.state = { kind: 'terminated', exitCode, reason, message: info.message, finishedAt: now, startedAt: cur.startedAt };
    } else if (this.state.kind === 'waiting') {
      this.current = undefined;
      this.state = { kind: 'terminated', exitCode, reason, message: info.message, finishedAt: now, startedAt: now };
    }
  }

  /** Waiting: a running instance is killed first (Error, exit 1) and counted as a restart. */
  toWaiting(reason = 'ContainerCreating', message?: string): void {
    if (this.state.kind === 'running') this.toTerminated({ reason: 'Error', exitCode: 1 });
    if (this.current) this.retire();
    this.state = message === undefined ? { kind: 'waiting', reason } : { kind: 'waiting', reason, message };
  }

  /** The running instance ends (default Error, exit 1) and a new one starts at once. */
  restart(info: TerminateInfo = {}): void {
    if (this.state.kind === 'running')
      this.toTerminated({ reason: info.reason ?? 'Error', exitCode: info.exitCode ?? 1, message: info.message });
    this.toRunning();
  }

  apply(input: ContainerStateInput): void {
    if (input === 'running') this.toRunning();
    else if (input === 'waiting') this.toWaiting();
    else if (input === 'terminated') this.toTerminated();
    else if ('running' in input) {
      this.toRunning();
      if (input.running.ready !== undefined) this.readyOverride = input.running.ready;
    } else if ('waiting' in input) this.toWaiting(input.waiting.reason, input.waiting.message);
    else this.toTerminated(input.terminated);
  }

  get ready(): boolean {
    if (this.state.kind === 'running') return this.readyOverride ?? true;
    return this.kind === 'init' && this.state.kind === 'terminated' && this.state.exitCode === 0;
  }

  /** The ID the status reports: the current run, else (crash loop) the last one. */
  get containerId(): string | undefined {
    return this.current?.id ?? (this.state.kind === 'waiting' ? this.previous?.id : undefined);
  }

  specJSON(): Record<string, unknown> {
    return {
      name: this.name,
      image: this.image,
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    };
  }

  statusJSON(): Record<string, unknown> {
    const s = this.state;
    let state: Record<string, unknown>;
    if (s.kind === 'waiting') {
      state = { waiting: s.message === undefined ? { reason: s.reason } : { reason: s.reason, message: s.message } };
    } else if (s.kind === 'running') {
      state = { running: { startedAt: formatRFC3339(this.current!.startedAt) } };
    } else {
      state = { terminated: terminatedJSON(s.exitCode, s.reason, s.message, s.startedAt, s.finishedAt, this.current?.id) };
    }
    const p = this.previous;
    const lastState =
      p && p.finishedAt !== undefined
        ? { terminated: terminatedJSON(p.exitCode ?? 0, p.reason ?? 'Completed', p.message, p.startedAt, p.finishedAt, p.id) }
        : {};
    const everRan = this.current !== undefined || this.previous !== undefined;
    const out: Record<string, unknown> = {
      name: this.name,
      state,
      lastState,
      ready: this.ready,
      restartCount: this.restartCount,
      image: everRan ? qualifiedImage(this.image) : this.image,
      imageID: everRan ? imageIdFor(qualifiedImage(this.image)) : '',
    };
    const id = this.containerId;
    if (id) out.containerID = id;
    out.started = s.kind === 'running';
    return out;
  }

  /** Move the current run to `previous` (the kubelet keeps one dead container). */
  private retire(): void {
    const cur = this.current!;
    if (cur.finishedAt === undefined) {
      Object.assign(cur, { finishedAt: nowNs(), exitCode: 137, reason: 'Error' });
      cur.log.finish();
    }
    this.previous = cur;
    this.current = undefined;
  }
}

function terminatedJSON(
  exitCode: number,
  reason: string,
  message: string | undefined,
  startedAt: bigint,
  finishedAt: bigint,
  id: string | undefined,
) {
  const t: Record<string, unknown> = { exitCode, reason };
  if (message !== undefined) t.message = message;
  t.startedAt = formatRFC3339(startedAt);
  t.finishedAt = formatRFC3339(finishedAt);
  if (id) t.containerID = id;
  return t;
}

export interface PodModelInit {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: OwnerReference[];
  nodeName: string | undefined;
  hostIP: string | undefined;
  podIP: string | undefined;
  phaseOverride: PodPhase | undefined;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  generateName: string | undefined;
  /** nodes in the cluster when the pod was created (for the Unschedulable message) */
  nodeCount: number;
}

interface Cond {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

export class PodModel {
  readonly containers: ContainerModel[] = [];
  readonly createdNs = nowNs();
  deletionNs: bigint | undefined;
  deletionGraceSeconds: number | undefined;
  deleted = false;
  private readonly transitions = new Map<string, { status: string; time: string }>();

  constructor(readonly meta: PodModelInit) {}

  get namespace(): string {
    return this.meta.namespace;
  }
  get name(): string {
    return this.meta.name;
  }

  addContainer(kind: ContainerKind, input: ContainerInput, newLog: NewLog): ContainerModel {
    const c = new ContainerModel(input.name, kind, input.image, newLog);
    const state = input.state ?? (kind === 'init' ? 'terminated' : 'running');
    // a container created terminated did run: it gets a container ID and a (empty) log
    if (state === 'terminated' || (typeof state === 'object' && 'terminated' in state)) c.toRunning();
    c.apply(state);
    this.containers.push(c);
    return c;
  }

  find(name: string): ContainerModel | undefined {
    return this.containers.find((c) => c.name === name);
  }

  of(kind: ContainerKind): ContainerModel[] {
    return this.containers.filter((c) => c.kind === kind);
  }

  /** All container names in the order the API server lists them: init, regular, ephemeral. */
  allNames(): string[] {
    return [...this.of('init'), ...this.of('regular'), ...this.of('ephemeral')].map((c) => c.name);
  }

  phase(): PodPhase {
    if (this.meta.phaseOverride) return this.meta.phaseOverride;
    const regular = this.of('regular');
    if (!this.meta.nodeName) return 'Pending';
    if (regular.length > 0 && regular.every((c) => c.state.kind === 'terminated')) {
      return regular.every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    if (!this.initialized()) return 'Pending';
    if (regular.some((c) => c.state.kind === 'running' || c.current || c.previous)) return 'Running';
    return 'Pending';
  }

  private initialized(): boolean {
    return this.of('init').every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0);
  }

  render(): KubeObject {
    const m = this.meta;
    const metadata: Record<string, unknown> = { name: m.name };
    if (m.generateName) metadata.generateName = m.generateName;
    metadata.namespace = m.namespace;
    metadata.uid = m.uid;
    metadata.resourceVersion = '';
    metadata.creationTimestamp = formatRFC3339(this.createdNs);
    if (this.deletionNs !== undefined) {
      metadata.deletionTimestamp = formatRFC3339(this.deletionNs);
      metadata.deletionGracePeriodSeconds = this.deletionGraceSeconds ?? 0;
    }
    if (Object.keys(m.labels).length) metadata.labels = { ...m.labels };
    if (Object.keys(m.annotations).length) metadata.annotations = { ...m.annotations };
    if (m.ownerReferences.length) metadata.ownerReferences = m.ownerReferences.map((o) => ({ ...o }));

    const spec: Record<string, unknown> = { volumes: [] };
    const init = this.of('init');
    if (init.length) spec.initContainers = init.map((c) => c.specJSON());
    spec.containers = this.of('regular').map((c) => c.specJSON());
    spec.restartPolicy = m.restartPolicy;
    spec.terminationGracePeriodSeconds = 30;
    spec.dnsPolicy = 'ClusterFirst';
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
    if (m.nodeName) spec.nodeName = m.nodeName;
    spec.securityContext = {};
    spec.schedulerName = 'default-scheduler';
    spec.priority = 0;
    spec.enableServiceLinks = true;
    spec.preemptionPolicy = 'PreemptLowerPriority';
    const eph = this.of('ephemeral');
    if (eph.length) spec.ephemeralContainers = eph.map((c) => ({ ...c.specJSON(), targetContainerName: this.of('regular')[0]?.name }));

    return {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: metadata as KubeObject['metadata'],
      spec,
      status: this.statusJSON(),
    };
  }

  private statusJSON(): Record<string, unknown> {
    const phase = this.phase();
    const status: Record<string, unknown> = { phase };
    if (!this.meta.nodeName) {
      status.conditions = [
        this.cond('PodScheduled', {
          status: 'False',
          reason: 'Unschedulable',
          message: `0/${this.meta.nodeCount} nodes are available: ${this.meta.nodeCount} node(s) didn't match Pod's node affinity/selector. preemption: 0/${this.meta.nodeCount} nodes are available: ${this.meta.nodeCount} Preemption is not helpful for scheduling.`,
        }),
      ];
      status.qosClass = 'BestEffort';
      return status;
    }
    const regular = this.of('regular');
    const done = phase === 'Succeeded' || phase === 'Failed';
    const unready = regular.filter((c) => !c.ready).map((c) => c.name);
    const incomplete = this.of('init')
      .filter((c) => !(c.state.kind === 'terminated' && c.state.exitCode === 0))
      .map((c) => c.name);
    const containersReady: Cond = done
      ? { status: 'False', reason: 'PodCompleted' }
      : unready.length
        ? { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
        : { status: 'True' };
    status.conditions = [
      this.cond('PodReadyToStartContainers', { status: done ? 'False' : 'True' }),
      this.cond(
        'Initialized',
        incomplete.length && !done
          ? { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` }
          : done && this.of('init').length
            ? { status: 'True', reason: 'PodCompleted' }
            : { status: 'True' },
      ),
      this.cond('Ready', containersReady),
      this.cond('ContainersReady', containersReady),
      this.cond('PodScheduled', { status: 'True' }),
    ];
    status.hostIP = this.meta.hostIP;
    status.hostIPs = [{ ip: this.meta.hostIP }];
    status.podIP = this.meta.podIP;
    status.podIPs = [{ ip: this.meta.podIP }];
    status.startTime = formatRFC3339(this.createdNs);
    const init = this.of('init');
    if (init.length) status.initContainerStatuses = init.map((c) => c.statusJSON());
    status.containerStatuses = regular.map((c) => c.statusJSON());
    status.qosClass = 'BestEffort';
    const eph = this.of('ephemeral');
    if (eph.length) status.ephemeralContainerStatuses = eph.map((c) => c.statusJSON());
    return status;
  }

  private cond(type: string, c: Cond): Record<string, unknown> {
    const prev = this.transitions.get(type);
    let time = prev?.time;
    if (!prev || prev.status !== c.status) {
      time = formatRFC3339(nowNs());
      this.transitions.set(type, { status: c.status, time });
    }
    const out: Record<string, unknown> = { type, status: c.status, lastProbeTime: null, lastTransitionTime: time };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  }
}
