// The cluster's contents: the object store plus the live pod models behind the Pod objects,
// nodes, namespaces and counters. Everything that changes an object goes through here.
import { formatRFC3339, nowNs } from './clock.js';
import { podCreated } from './event-sources.js';
import { EventRecorder } from './events.js';
import { newUid } from './ids.js';
import { GeneratorTicker, LogBuffer } from './logbuffer.js';
import { ContainerModel, PodModel } from './pods.js';
import type { KubeObject } from './resources.js';
import { Store } from './store.js';
import type { ContainerRef, PodInput } from './types.js';

export interface Counters {
  linesWritten: number;
  linesServed: number;
  bytesServed: number;
  logStreamsOpened: number;
  logStreamsOpen: number;
  watchesOpened: number;
  watchesOpen: number;
  requests: number;
  requestsByKind: Record<string, number>;
  /** TCP connections accepted by the server */
  connectionsAccepted: number;
  /** of which HTTP/2 sessions */
  http2SessionsOpened: number;
  /** GOAWAY frames the server sent (SimCluster.goaway, goawayChance) */
  goawaysSent: number;
}

export class SimState {
  readonly store: Store;
  readonly events: EventRecorder;
  readonly ticker = new GeneratorTicker();
  readonly counters: Counters = {
    linesWritten: 0,
    linesServed: 0,
    bytesServed: 0,
    logStreamsOpened: 0,
    logStreamsOpen: 0,
    watchesOpened: 0,
    watchesOpen: 0,
    requests: 0,
    requestsByKind: {},
    connectionsAccepted: 0,
    http2SessionsOpened: 0,
    goawaysSent: 0,
  };
  private readonly pods = new Map<string, PodModel>();
  private readonly nodeIndex = new Map<string, number>();
  private nodeCursor = 0;
  private podIps = 0;
  /** the kubelet's containerLogMaxSize: each container's log file is rotated past it */
  containerLogMaxSize = 10 * 1024 * 1024;

  constructor(historySize: number) {
    this.store = new Store(historySize);
    this.events = new EventRecorder(this.store);
  }

  createNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
    const existing = this.store.get('namespaces', undefined, name);
    if (existing) return existing;
    return this.store.put('namespaces', {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        name,
        uid: newUid(),
        creationTimestamp: formatRFC3339(nowNs()),
        labels: { 'kubernetes.io/metadata.name': name, ...labels },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  createNode(name: string, labels: Record<string, string> = {}): KubeObject {
    const existing = this.store.get('nodes', undefined, name);
    if (existing) return existing;
    const i = this.nodeIndex.size;
    this.nodeIndex.set(name, i);
    const now = formatRFC3339(nowNs());
    return this.store.put('nodes', {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: {
        name,
        uid: newUid(),
        creationTimestamp: now,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...labels,
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`], providerID: `kind://docker/sim/${name}` },
      status: {
        capacity: { cpu: '2', 'ephemeral-storage': '102626232Ki', memory: '8148100Ki', pods: '110' },
        allocatable: { cpu: '2', 'ephemeral-storage': '102626232Ki', memory: '8148100Ki', pods: '110' },
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasSufficientMemory',
            message: 'kubelet has sufficient memory available',
          },
          {
            type: 'DiskPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasNoDiskPressure',
            message: 'kubelet has no disk pressure',
          },
          {
            type: 'PIDPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasSufficientPID',
            message: 'kubelet has sufficient PID available',
          },
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
        addresses: [
          { type: 'InternalIP', address: this.hostIp(name) },
          { type: 'Hostname', address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: newUid().replace(/-/g, ''),
          systemUUID: newUid(),
          bootID: newUid(),
          kernelVersion: '6.8.0-sim',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          containerRuntimeVersion: 'containerd://1.7.24',
          kubeletVersion: 'v1.32.0',
          kubeProxyVersion: 'v1.32.0',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
  }

  nodeNames(): string[] {
    return this.store.list('nodes').map((n) => n.metadata.name);
  }

  createPod(input: PodInput): PodModel {
    const namespace = input.namespace ?? 'default';
    if (this.pods.has(`${namespace}/${input.name}`)) {
      throw new Error(`pods "${input.name}" already exists in namespace "${namespace}"`);
    }
    this.createNamespace(namespace);
    let nodeName: string | undefined;
    if (input.nodeName === null) nodeName = undefined;
    else if (input.nodeName !== undefined) {
      nodeName = input.nodeName;
      this.createNode(nodeName);
    } else {
      const nodes = this.nodeNames();
      nodeName = nodes.length ? nodes[this.nodeCursor++ % nodes.length] : undefined;
    }
    const ipIndex = ++this.podIps;
    const pod = new PodModel({
      namespace,
      name: input.name,
      uid: newUid(),
      labels: { ...input.labels },
      annotations: { ...input.annotations },
      ownerReferences: input.ownerReferences ?? [],
      nodeName,
      hostIP: nodeName ? this.hostIp(nodeName) : undefined,
      podIP: nodeName ? `10.244.${this.nodeIndex.get(nodeName) ?? 0}.${(ipIndex % 250) + 2}` : undefined,
      phaseOverride: input.phase,
      restartPolicy: input.restartPolicy ?? 'Always',
      generateName: input.generateName,
      nodeCount: this.nodeIndex.size,
    });
    const newLog = (id: string, container: string): LogBuffer => {
      const log = new LogBuffer(id, (n) => (this.counters.linesWritten += n), this.ticker, `pod=${input.name} container=${container}`);
      log.maxFileBytes = this.containerLogMaxSize;
      return log;
    };
    for (const c of input.initContainers ?? []) pod.addContainer('init', c, newLog);
    for (const c of input.containers) pod.addContainer('regular', c, newLog);
    for (const c of input.ephemeralContainers ?? []) pod.addContainer('ephemeral', c, newLog);
    this.pods.set(`${namespace}/${input.name}`, pod);
    this.commitPod(pod);
    podCreated(this.events, pod, this.nodeIndex.size);
    return pod;
  }

  /** Publish the pod's current state (a new resourceVersion and a watch event). */
  commitPod(pod: PodModel): void {
    if (pod.deleted) return;
    this.store.put('pods', pod.render());
  }

  getPod(namespace: string, name: string): PodModel | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  /** Remove the pod object (DELETED); its logs end. */
  removePod(pod: PodModel): void {
    if (pod.deleted) return;
    for (const c of pod.containers) {
      c.current?.log.finish();
    }
    pod.deleted = true;
    this.pods.delete(`${pod.namespace}/${pod.name}`);
    // the DELETED event carries the final state (terminated containers)
    this.store.remove('pods', pod.namespace, pod.name, pod.render());
  }

  podsOwnedBy(uid: string): PodModel[] {
    return [...this.pods.values()].filter((p) => p.meta.ownerReferences.some((o) => o.uid === uid));
  }

  /** The pod and container a ref names, or a descriptive Error. */
  container(ref: ContainerRef): { pod: PodModel; c: ContainerModel } {
    const ns = ref.namespace ?? 'default';
    const pod = this.pods.get(`${ns}/${ref.pod}`);
    if (!pod) throw new Error(`sim: no pod ${ns}/${ref.pod}`);
    const c = pod.find(ref.container);
    if (!c) throw new Error(`sim: pod ${ns}/${ref.pod} has no container ${ref.container} (has ${pod.allNames().join(', ')})`);
    return { pod, c };
  }

  /** Replace a stored object by a modified copy (history keeps the old snapshot intact). */
  update(resource: string, ns: string | undefined, name: string, mutate: (o: KubeObject) => void): KubeObject {
    const cur = this.store.get(resource, ns, name);
    if (!cur) throw new Error(`sim: no ${resource} ${ns ? ns + '/' : ''}${name}`);
    const copy = structuredClone(cur);
    mutate(copy);
    return this.store.put(resource, copy);
  }

  private hostIp(node: string): string {
    return `172.18.0.${(this.nodeIndex.get(node) ?? 0) + 2}`;
  }
}
