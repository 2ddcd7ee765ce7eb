// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which kubectl
// get asks for. Pods, deployments and events get kubectl's usual columns; other kinds are
// served as plain objects, which kubectl prints as NAME and AGE.
import type { KubeObject } from './resources.js';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, description: '', priority });

const POD_COLUMNS = [
  col('Name', 0, 'string', 'name'),
  col('Ready'),
  col('Status'),
  col('Restarts'),
  col('Age'),
  col('IP', 1),
  col('Node', 1),
  col('Nominated Node', 1),
  col('Readiness Gates', 1),
];
const DEPLOYMENT_COLUMNS = [
  col('Name', 0, 'string', 'name'),
  col('Ready'),
  col('Up-to-date', 0, 'integer'),
  col('Available', 0, 'integer'),
  col('Age'),
  col('Containers', 1),
  col('Images', 1),
  col('Selector', 1),
];
const EVENT_COLUMNS = [
  col('Last Seen'),
  col('Type'),
  col('Reason'),
  col('Object'),
  col('Subobject', 1),
  col('Source', 1),
  col('Message'),
  col('First Seen', 1),
  col('Count', 1),
  col('Name', 1, 'string', 'name'),
];

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

export function supportsTable(resource: string): boolean {
  return resource === 'pods' || resource === 'deployments' || resource === 'events';
}

/** Go's duration.HumanDuration, as kubectl's AGE column shows it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

const since = (t: unknown) => (typeof t === 'string' ? humanDuration(Date.now() - Date.parse(t)) : '<unknown>');

interface CStatus {
  restartCount?: number;
  ready?: boolean;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

/** kubectl's printPod: READY, STATUS (the reason logic), RESTARTS ("3 (5m ago)"). */
function podCells(pod: KubeObject): unknown[] {
  const spec = pod.spec as { containers?: unknown[]; initContainers?: unknown[]; nodeName?: string };
  const status = pod.status as {
    phase?: string;
    reason?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    initContainerStatuses?: CStatus[];
    containerStatuses?: CStatus[];
  };
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  let reason = status.reason ?? status.phase ?? '';
  const noteRestart = (c: CStatus) => {
    restarts += c.restartCount ?? 0;
    const f = c.lastState?.terminated?.finishedAt;
    if (f) lastRestart = Math.max(lastRestart, Date.parse(f));
  };
  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    noteRestart(c);
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${spec.initContainers?.length ?? inits.length}`;
    break;
  }
  const initialized = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initialized) {
    restarts = 0;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      noteRestart(c);
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (c.ready && s.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(Date.now() - lastRestart)} ago)` : String(restarts);
  return [
    pod.metadata.name,
    `${ready}/${spec.containers?.length ?? 0}`,
    reason,
    restartText,
    since(pod.metadata.creationTimestamp),
    status.podIP || '<none>',
    spec.nodeName || '<none>',
    '<none>',
    '<none>',
  ];
}

function deploymentCells(d: KubeObject): unknown[] {
  const spec = d.spec as {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { containers?: { name: string; image: string }[] } };
  };
  const status = d.status as { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
  const cs = spec.template?.spec?.containers ?? [];
  const sel = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    d.metadata.name,
    `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    since(d.metadata.creationTimestamp),
    cs.map((c) => c.name).join(','),
    cs.map((c) => c.image).join(','),
    sel,
  ];
}

/** kubectl's printEvent, from a stored (core/v1) Event. */
function eventCells(e: KubeObject): unknown[] {
  const ev = e as KubeObject & {
    involvedObject: { kind: string; name: string; fieldPath?: string };
    source?: { component?: string; host?: string };
    reportingComponent?: string;
    firstTimestamp: string | null;
    lastTimestamp: string | null;
    eventTime: string | null;
    series?: { count: number; lastObservedTime: string };
    count?: number;
    type: string;
    reason: string;
    message: string;
  };
  const first = ev.firstTimestamp ?? ev.eventTime;
  const last = ev.series?.lastObservedTime ?? ev.lastTimestamp ?? ev.eventTime;
  const source = [ev.source?.component ?? ev.reportingComponent, ev.source?.host].filter((x) => x !== undefined && x !== '').join(', ');
  return [
    since(last),
    ev.type,
    ev.reason,
    `${ev.involvedObject.kind.toLowerCase()}/${ev.involvedObject.name}`,
    ev.involvedObject.fieldPath ?? '',
    source,
    ev.message.trim(),
    since(first),
    String(ev.series?.count ?? ev.count ?? 1),
    ev.metadata.name,
  ];
}

function row(resource: string, obj: KubeObject) {
  const cells = resource === 'pods' ? podCells(obj) : resource === 'events' ? eventCells(obj) : deploymentCells(obj);
  return { cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } };
}

/** A Table of objects; `headers: false` gives `columnDefinitions: null` (later watch events). */
export function toTable(
  resource: string,
  objs: KubeObject[],
  resourceVersion: string | undefined,
  headers = true,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: resourceVersion === undefined ? {} : { resourceVersion },
    columnDefinitions: headers ? (resource === 'pods' ? POD_COLUMNS : resource === 'events' ? EVENT_COLUMNS : DEPLOYMENT_COLUMNS) : null,
    rows: objs.map((o) => row(resource, o)),
  };
}
