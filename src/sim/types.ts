// Public input types of the simulated cluster's control API.
import type { OwnerReference } from './resources.js';

/** A container of a pod. `namespace` defaults to "default". */
export interface ContainerRef {
  namespace?: string;
  pod: string;
  container: string;
}

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

/** Narrows the streams a fault applies to; every field given must match. */
export interface StreamFilter {
  namespace?: string;
  pod?: string;
  container?: string;
}

export type ContainerStateInput =
  | 'running'
  | 'waiting'
  | 'terminated'
  | { running: { ready?: boolean } }
  | { waiting: { reason?: string; message?: string } }
  | { terminated: { reason?: string; exitCode?: number; message?: string } };

export interface ContainerInput {
  name: string;
  /** default `registry.local/<name>:1.0` */
  image?: string;
  /** default: running (regular and ephemeral containers), terminated/Completed (init containers) */
  state?: ContainerStateInput;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodInput {
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** a node name; default: the next node round-robin; null: unscheduled (Pending) */
  nodeName?: string | null;
  containers: ContainerInput[];
  initContainers?: ContainerInput[];
  ephemeralContainers?: ContainerInput[];
  ownerReferences?: OwnerReference[];
  /** force status.phase instead of deriving it from the container states */
  phase?: PodPhase;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  generateName?: string;
}

export interface ContainerTemplate {
  name: string;
  image?: string;
}

export interface WorkloadBase {
  namespace?: string;
  name: string;
  /** pod template labels; also the selector's matchLabels unless `selector` is given (default {app: name}) */
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  /** default one container named after the workload */
  containers?: ContainerTemplate[];
  initContainers?: ContainerTemplate[];
}

export interface DeploymentInput extends WorkloadBase {
  replicas?: number;
}
export interface StatefulSetInput extends WorkloadBase {
  replicas?: number;
}
export type DaemonSetInput = WorkloadBase;
export interface ReplicationControllerInput extends WorkloadBase {
  replicas?: number;
}
export interface JobInput extends WorkloadBase {
  /** pods to create (default 1) */
  parallelism?: number;
}
export interface CronJobInput extends WorkloadBase {
  schedule?: string;
}
export interface ServiceInput {
  namespace?: string;
  name: string;
  selector: Record<string, string>;
  labels?: Record<string, string>;
  ports?: { port: number; targetPort?: number; name?: string; protocol?: string }[];
}

/** An Ingress (networking.k8s.io/v1): backends name services by name (and port). */
export interface IngressInput {
  namespace?: string;
  name: string;
  /** spec.defaultBackend's service */
  defaultBackend?: string;
  /** one rule per host, each path's backend a service name */
  rules?: { host?: string; paths: { path: string; service: string }[] }[];
}

/** What creating a workload made. */
export interface WorkloadResult {
  namespace: string;
  name: string;
  uid: string;
  pods: PodRef[];
  /** the ReplicaSet of a Deployment, the Job of a CronJob trigger */
  child?: { name: string; uid: string };
}

export interface DeletePodOptions {
  /** grace period: MODIFIED with deletionTimestamp at once, containers stop and DELETED after it */
  graceMs?: number;
  /** exit code of containers stopped by the deletion (default 0, reason Completed; non-zero: Error) */
  exitCode?: number;
}

export interface CutOptions {
  /** write the first half of the next line, then cut (waits for a line if the stream is idle) */
  midLine?: boolean;
  /** HTTP/2: destroy the whole connection (every stream on it) instead of resetting the stream */
  connection?: boolean;
}

/** What a stalled stream does when the stall ends. */
export type StallEnd = 'resume' | 'cut' | 'end' | 'hang';

/** How log streams are served when throttled (SimCluster.throttleLogStreams). */
export interface ThrottleOptions {
  /** at most this many bytes per second per stream */
  maxBytesPerSec: number;
  /** the largest piece written at once (default maxBytesPerSec / 20, at most 64 KiB) */
  maxPieceBytes?: number;
  /** seeds the piece sizes and where mid-line cuts land (default 1) */
  seed?: number;
}

/** An Event to record (SimCluster.emitEvent); the same one again updates its count. */
export interface EventInput {
  /** the object the event is about; namespace defaults to "default" */
  regarding: { kind: string; name: string; namespace?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** who reports it: kubelet, default-scheduler, replicaset-controller… */
  component: string;
  /** the node, for the kubelet */
  host?: string;
  /**
   * 'core' (default): written through core/v1 as client-go's recorder does (count, first and last
   * timestamps); 'series': through events.k8s.io as the scheduler does (eventTime, series)
   */
  style?: 'core' | 'series';
  action?: string;
}
