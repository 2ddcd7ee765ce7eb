// Workloads and the pods they own, with the names, labels, selectors and owner references
// their real controllers would give them. Statuses are written when pods are created and
// are not kept in sync with later pod changes.
import { formatRFC3339, nowNs } from './clock.js';
import { controllerCreated, deploymentScaled } from './event-sources.js';
import { hashSuffix, newUid, randomSuffix } from './ids.js';
import type { KubeObject, OwnerReference } from './resources.js';
import type { SimState } from './state.js';
import type {
  ContainerInput,
  ContainerTemplate,
  CronJobInput,
  DaemonSetInput,
  DeletePodOptions,
  DeploymentInput,
  JobInput,
  PodInput,
  PodRef,
  ReplicationControllerInput,
  ServiceInput,
  StatefulSetInput,
  WorkloadBase,
  WorkloadResult,
} from './types.js';

export interface WorkloadHost {
  state: SimState;
  deletePod(namespace: string, name: string, opts?: DeletePodOptions): Promise<void>;
}

const now = () => formatRFC3339(nowNs());

function resolve(b: WorkloadBase) {
  const namespace = b.namespace ?? 'default';
  const labels = b.labels ?? { app: b.name };
  const selector = b.selector ?? labels;
  const containers = b.containers ?? [{ name: b.name }];
  const initContainers = b.initContainers ?? [];
  return { namespace, name: b.name, labels, selector, containers, initContainers };
}
/** A workload's input with its defaults filled in. */
type Resolved = ReturnType<typeof resolve>;

function containerSpec(c: ContainerTemplate) {
  return {
    name: c.name,
    image: c.image ?? `registry.local/${c.name}:1.0`,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function template(labels: Record<string, string>, containers: ContainerTemplate[], init: ContainerTemplate[], restartPolicy = 'Always') {
  const spec: Record<string, unknown> = {};
  if (init.length) spec.initContainers = init.map(containerSpec);
  Object.assign(spec, {
    containers: containers.map(containerSpec),
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  return { metadata: { creationTimestamp: null, labels: { ...labels } }, spec };
}

function meta(namespace: string, name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { name, namespace, uid: newUid(), creationTimestamp: now(), generation: 1, labels: { ...labels }, ...extra };
}

function ownerRef(o: KubeObject): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** The stored resource of a pod owner's kind. */
const OWNER_RESOURCES: Readonly<Record<string, string>> = {
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  ReplicationController: 'replicationcontrollers',
};

function makePod(
  host: WorkloadHost,
  input: Omit<PodInput, 'containers'> & { containers: ContainerTemplate[]; initContainers: ContainerTemplate[] },
): PodRef {
  const toInput = (c: ContainerTemplate): ContainerInput => (c.image === undefined ? { name: c.name } : { name: c.name, image: c.image });
  const pod = host.state.createPod({
    ...input,
    containers: input.containers.map(toInput),
    initContainers: input.initContainers.map(toInput),
  });
  const ref = input.ownerReferences?.[0];
  const owner = ref === undefined ? undefined : host.state.store.get(OWNER_RESOURCES[ref.kind] ?? '', pod.namespace, ref.name);
  if (owner) controllerCreated(host.state.events, owner, pod.name);
  return { namespace: pod.namespace, name: pod.name, uid: pod.meta.uid };
}

/**
 * A pod of `owner` named as ReplicaSets, DaemonSets, Jobs and ReplicationControllers name theirs
 * (`PREFIX-xxxxx`), with the workload's containers.
 */
function ownedPod(
  host: WorkloadHost,
  b: Resolved,
  owner: KubeObject,
  prefix: string,
  labels: Record<string, string>,
  extra: Pick<PodInput, 'nodeName' | 'restartPolicy'> = {},
): PodRef {
  return makePod(host, {
    namespace: b.namespace,
    name: `${prefix}-${randomSuffix()}`,
    generateName: `${prefix}-`,
    labels,
    ownerReferences: [ownerRef(owner)],
    ...extra,
    containers: b.containers,
    initContainers: b.initContainers,
  });
}

function replicaStatus(n: number, extra: Record<string, unknown> = {}) {
  return { observedGeneration: 1, replicas: n, ...(n ? { readyReplicas: n, availableReplicas: n } : {}), ...extra };
}

function result(o: KubeObject, pods: PodRef[], child?: KubeObject): WorkloadResult {
  const r: WorkloadResult = { namespace: o.metadata.namespace ?? '', name: o.metadata.name, uid: o.metadata.uid, pods };
  if (child) r.child = { name: child.metadata.name, uid: child.metadata.uid };
  return r;
}

function createReplicaSetFor(host: WorkloadHost, dep: KubeObject, revision: number, replicas: number, b: Resolved) {
  const hash = hashSuffix(`${b.namespace}/${b.name}/${revision}/${JSON.stringify(b.containers)}`, 9 + (revision % 2));
  const rsName = `${b.name}-${hash}`;
  const podLabels = { ...b.labels, 'pod-template-hash': hash };
  const rs = host.state.store.put('replicasets', {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: meta(b.namespace, rsName, podLabels, {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
        'deployment.kubernetes.io/revision': String(revision),
      },
      ownerReferences: [ownerRef(dep)],
    }),
    spec: {
      replicas,
      selector: { matchLabels: { ...b.selector, 'pod-template-hash': hash } },
      template: template(podLabels, b.containers, b.initContainers),
    },
    status: replicaStatus(replicas, { fullyLabeledReplicas: replicas }),
  });
  const pods = Array.from({ length: replicas }, () => ownedPod(host, b, rs, rsName, podLabels));
  return { rs, pods };
}

export function createDeployment(host: WorkloadHost, input: DeploymentInput): WorkloadResult {
  const b = resolve(input);
  const replicas = input.replicas ?? 1;
  host.state.createNamespace(b.namespace);
  const dep = host.state.store.put('deployments', {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: meta(b.namespace, b.name, b.labels, { annotations: { 'deployment.kubernetes.io/revision': '1' } }),
    spec: {
      replicas,
      selector: { matchLabels: { ...b.selector } },
      template: template(b.labels, b.containers, b.initContainers),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: deploymentStatus(replicas, 1),
  });
  const { rs, pods } = createReplicaSetFor(host, dep, 1, replicas, b);
  deploymentScaled(host.state.events, dep, rs.metadata.name, 0, replicas);
  return result(dep, pods, rs);
}

function deploymentStatus(replicas: number, generation: number) {
  const t = now();
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        lastUpdateTime: t,
        lastTransitionTime: t,
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: t,
        lastTransitionTime: t,
        reason: 'NewReplicaSetAvailable',
        message: 'ReplicaSet has successfully progressed.',
      },
    ],
  };
}

/**
 * A rolling update, simplified to surge-then-delete: a new ReplicaSet and all its pods
 * first, then the old ReplicaSets scale to 0 and their pods are deleted.
 */
export async function rolloutDeployment(
  host: WorkloadHost,
  namespace: string,
  name: string,
  opts: { containers?: ContainerTemplate[]; graceMs?: number } = {},
): Promise<WorkloadResult> {
  const store = host.state.store;
  const dep = store.get('deployments', namespace, name);
  if (!dep) throw new Error(`sim: no deployment ${namespace}/${name}`);
  const spec = dep.spec as {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { name: string; image: string }[]; initContainers?: { name: string; image: string }[] };
    };
  };
  const revision = Number(dep.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1') + 1;
  const containers = opts.containers ?? spec.template.spec.containers.map((c) => ({ name: c.name, image: c.image }));
  const b = {
    namespace,
    name,
    labels: spec.template.metadata.labels,
    selector: spec.selector.matchLabels,
    containers,
    initContainers: (spec.template.spec.initContainers ?? []).map((c) => ({ name: c.name, image: c.image })),
  };
  const generation = (dep.metadata.generation ?? 1) + 1;
  const updated = host.state.update('deployments', namespace, name, (d) => {
    d.metadata.generation = generation;
    d.metadata.annotations = { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision) };
    (d.spec as typeof spec).template = template(b.labels, b.containers, b.initContainers) as unknown as typeof spec.template;
    d.status = deploymentStatus(spec.replicas, generation);
  });
  const oldSets = store.list('replicasets', namespace).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === dep.metadata.uid));
  const { rs, pods } = createReplicaSetFor(host, updated, revision, spec.replicas, b);
  deploymentScaled(host.state.events, updated, rs.metadata.name, 0, spec.replicas);
  const deletions: Promise<void>[] = [];
  for (const old of oldSets) {
    const had = (old.spec as { replicas?: number }).replicas ?? 0;
    if (had > 0) deploymentScaled(host.state.events, updated, old.metadata.name, had, 0);
    host.state.update('replicasets', namespace, old.metadata.name, (o) => {
      (o.spec as { replicas: number }).replicas = 0;
      o.status = replicaStatus(0);
    });
    for (const p of host.state.podsOwnedBy(old.metadata.uid)) {
      deletions.push(host.deletePod(namespace, p.name, opts.graceMs === undefined ? {} : { graceMs: opts.graceMs }));
    }
  }
  await Promise.all(deletions);
  return result(updated, pods, rs);
}

export function createStatefulSet(host: WorkloadHost, input: StatefulSetInput): WorkloadResult {
  const b = resolve(input);
  const replicas = input.replicas ?? 1;
  host.state.createNamespace(b.namespace);
  const revisionHash = `${b.name}-${hashSuffix(b.name + JSON.stringify(b.containers), 10)}`;
  const sts = host.state.store.put('statefulsets', {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    metadata: meta(b.namespace, b.name, b.labels),
    spec: {
      replicas,
      selector: { matchLabels: { ...b.selector } },
      template: template(b.labels, b.containers, b.initContainers),
      serviceName: b.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
    },
    status: replicaStatus(replicas, {
      currentReplicas: replicas,
      updatedReplicas: replicas,
      currentRevision: revisionHash,
      updateRevision: revisionHash,
      collisionCount: 0,
    }),
  });
  const pods: PodRef[] = [];
  for (let i = 0; i < replicas; i++) {
    const podName = `${b.name}-${i}`;
    pods.push(
      makePod(host, {
        namespace: b.namespace,
        name: podName,
        generateName: `${b.name}-`,
        labels: {
          ...b.labels,
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revisionHash,
          'statefulset.kubernetes.io/pod-name': podName,
        },
        ownerReferences: [ownerRef(sts)],
        containers: b.containers,
        initContainers: b.initContainers,
      }),
    );
  }
  return result(sts, pods);
}

export function createDaemonSet(host: WorkloadHost, input: DaemonSetInput): WorkloadResult {
  const b = resolve(input);
  const nodes = host.state.nodeNames();
  host.state.createNamespace(b.namespace);
  const hash = hashSuffix(b.name + JSON.stringify(b.containers), 9);
  const ds = host.state.store.put('daemonsets', {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    metadata: meta(b.namespace, b.name, b.labels, { annotations: { 'deprecated.daemonset.template.generation': '1' } }),
    spec: {
      selector: { matchLabels: { ...b.selector } },
      template: template(b.labels, b.containers, b.initContainers),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: nodes.length,
      observedGeneration: 1,
      updatedNumberScheduled: nodes.length,
      numberAvailable: nodes.length,
    },
  });
  const podLabels = { ...b.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
  const pods = nodes.map((node) => ownedPod(host, b, ds, b.name, podLabels, { nodeName: node }));
  return result(ds, pods);
}

function jobObject(
  namespace: string,
  name: string,
  userLabels: Record<string, string>,
  b: Resolved,
  owner: KubeObject | undefined,
  parallelism: number,
) {
  const uid = newUid();
  const jobLabels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const podLabels = { ...userLabels, ...jobLabels };
  const obj: KubeObject = {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { ...meta(namespace, name, owner ? userLabels : { ...userLabels, ...jobLabels }), uid },
    spec: {
      parallelism,
      completions: parallelism,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      manualSelector: false,
      template: template(podLabels, b.containers, b.initContainers, 'Never'),
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    },
    status: { startTime: now(), active: parallelism, ready: parallelism, terminating: 0, uncountedTerminatedPods: {} },
  };
  if (owner) obj.metadata.ownerReferences = [ownerRef(owner)];
  return { obj, podLabels };
}

function runJob(host: WorkloadHost, b: Resolved, name: string, owner: KubeObject | undefined, parallelism: number) {
  const { obj, podLabels } = jobObject(b.namespace, name, b.labels, b, owner, parallelism);
  const job = host.state.store.put('jobs', obj);
  const pods = Array.from({ length: parallelism }, () => ownedPod(host, b, job, name, podLabels, { restartPolicy: 'Never' }));
  return { job, pods };
}

export function createJob(host: WorkloadHost, input: JobInput): WorkloadResult {
  const b = resolve(input);
  host.state.createNamespace(b.namespace);
  const { job, pods } = runJob(host, b, b.name, undefined, input.parallelism ?? 1);
  return result(job, pods);
}

export function createCronJob(host: WorkloadHost, input: CronJobInput): WorkloadResult {
  const b = resolve(input);
  host.state.createNamespace(b.namespace);
  const cj = host.state.store.put('cronjobs', {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: meta(b.namespace, b.name, b.labels),
    spec: {
      schedule: input.schedule ?? '*/5 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: { template: template(b.labels, b.containers, b.initContainers, 'OnFailure') },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    status: {},
  });
  return result(cj, []);
}

/** What the CronJob controller does at a scheduled time: a Job named `<cronjob>-<minutes>` and its pod. */
export function triggerCronJob(host: WorkloadHost, namespace: string, name: string): WorkloadResult {
  const store = host.state.store;
  const cj = store.get('cronjobs', namespace, name);
  if (!cj) throw new Error(`sim: no cronjob ${namespace}/${name}`);
  const tpl = (
    cj.spec as {
      jobTemplate: {
        spec: {
          template: {
            metadata: { labels: Record<string, string> };
            spec: { containers: ContainerTemplate[]; initContainers?: ContainerTemplate[] };
          };
        };
      };
    }
  ).jobTemplate.spec.template;
  let minutes = Math.floor(Date.now() / 60000);
  while (store.get('jobs', namespace, `${name}-${minutes}`)) minutes++;
  const b = resolve({
    namespace,
    name,
    labels: tpl.metadata.labels,
    containers: tpl.spec.containers.map((c) => ({ name: c.name, image: c.image })),
    initContainers: (tpl.spec.initContainers ?? []).map((c) => ({ name: c.name, image: c.image })),
  });
  const { job, pods } = runJob(host, b, `${name}-${minutes}`, cj, 1);
  controllerCreated(host.state.events, cj, job.metadata.name);
  host.state.update('cronjobs', namespace, name, (o) => {
    const status = (o.status ?? {}) as { active?: unknown[]; lastScheduleTime?: string };
    status.active = [
      ...(status.active ?? []),
      {
        kind: 'Job',
        namespace,
        name: job.metadata.name,
        uid: job.metadata.uid,
        apiVersion: 'batch/v1',
        resourceVersion: job.metadata.resourceVersion,
      },
    ];
    status.lastScheduleTime = now();
    o.status = status;
  });
  return result(cj, pods, job);
}

export function createReplicationController(host: WorkloadHost, input: ReplicationControllerInput): WorkloadResult {
  const b = resolve(input);
  const replicas = input.replicas ?? 1;
  host.state.createNamespace(b.namespace);
  const rc = host.state.store.put('replicationcontrollers', {
    kind: 'ReplicationController',
    apiVersion: 'v1',
    metadata: meta(b.namespace, b.name, b.labels),
    spec: { replicas, selector: { ...b.selector }, template: template(b.labels, b.containers, b.initContainers) },
    status: replicaStatus(replicas, { fullyLabeledReplicas: replicas }),
  });
  const pods = Array.from({ length: replicas }, () => ownedPod(host, b, rc, b.name, b.labels));
  return result(rc, pods);
}

let clusterIps = 0;
export function createService(host: WorkloadHost, input: ServiceInput): WorkloadResult {
  const namespace = input.namespace ?? 'default';
  host.state.createNamespace(namespace);
  const n = ++clusterIps;
  const ip = `10.96.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  const ports = (input.ports ?? [{ port: 80 }]).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    protocol: p.protocol ?? 'TCP',
    port: p.port,
    targetPort: p.targetPort ?? p.port,
  }));
  const svc = host.state.store.put('services', {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: input.name, namespace, uid: newUid(), creationTimestamp: now(), labels: { ...(input.labels ?? {}) } },
    spec: {
      ports,
      selector: { ...input.selector },
      clusterIP: ip,
      clusterIPs: [ip],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  });
  return result(svc, []);
}

/** How a Job ends in finishJob: Complete, or Failed with the controller's reason and message. */
export type JobOutcome =
  | { readonly kind: 'complete' }
  | { readonly kind: 'failed'; readonly reason?: string; readonly message?: string; readonly exitCode?: number };

/**
 * What the Job controller does when a Job is done: its pods' running containers have ended (exit 0
 * when Complete; exitCode, default 1, when Failed), then the Job gets its conditions as Kubernetes
 * 1.31 writes them (SuccessCriteriaMet then Complete; FailureTarget then Failed).
 */
export function finishJob(host: WorkloadHost, namespace: string, name: string, outcome: JobOutcome): void {
  const job = host.state.store.get('jobs', namespace, name);
  if (!job) throw new Error(`sim: no job ${namespace}/${name}`);
  const pods = host.state.podsOwnedBy(job.metadata.uid);
  const exitCode = outcome.kind === 'complete' ? 0 : (outcome.exitCode ?? 1);
  for (const pod of pods) {
    let changed = false;
    for (const c of pod.containers) {
      if (c.state.kind !== 'running') continue;
      c.toTerminated({ exitCode });
      changed = true;
    }
    if (changed) host.state.commitPod(pod);
  }
  const t = now();
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastProbeTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  host.state.update('jobs', namespace, name, (o) => {
    const status = (o.status ?? {}) as Record<string, unknown>;
    status.active = 0;
    status.ready = 0;
    if (outcome.kind === 'complete') {
      status.succeeded = pods.length;
      status.completionTime = t;
      status.conditions = [
        condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
        condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
      ];
    } else {
      const reason = outcome.reason ?? 'BackoffLimitExceeded';
      const message = outcome.message ?? 'Job has reached the specified backoff limit';
      status.failed = pods.length;
      status.conditions = [condition('FailureTarget', reason, message), condition('Failed', reason, message)];
    }
    o.status = status;
  });
}
