/**
 * Pure: QUERY as `KIND/NAME` (SPEC §1) and label selectors as text. Resolution against the API
 * server is workload.ts's job; this file has no I/O so that options.ts can use it.
 */
import { UsageError } from '../common/errors.js';

type WorkloadKind =
  'pod' | 'deployment' | 'statefulset' | 'daemonset' | 'replicaset' | 'job' | 'cronjob' | 'service' | 'replicationcontroller' | 'ingress';

export interface KindDef {
  readonly kind: WorkloadKind;
  readonly short: string | undefined;
  /** the resource's plural, the path segment */
  readonly plural: string;
  readonly group: '' | 'apps' | 'batch' | 'networking.k8s.io';
}

/** In SPEC order; the order of the list an unknown kind's error shows. */
export const KINDS: readonly KindDef[] = [
  { kind: 'pod', short: 'po', plural: 'pods', group: '' },
  { kind: 'deployment', short: 'deploy', plural: 'deployments', group: 'apps' },
  { kind: 'statefulset', short: 'sts', plural: 'statefulsets', group: 'apps' },
  { kind: 'daemonset', short: 'ds', plural: 'daemonsets', group: 'apps' },
  { kind: 'replicaset', short: 'rs', plural: 'replicasets', group: 'apps' },
  { kind: 'job', short: undefined, plural: 'jobs', group: 'batch' },
  { kind: 'cronjob', short: 'cj', plural: 'cronjobs', group: 'batch' },
  { kind: 'service', short: 'svc', plural: 'services', group: '' },
  { kind: 'replicationcontroller', short: 'rc', plural: 'replicationcontrollers', group: '' },
  // the pods behind its backends' services (as kail's --ing)
  { kind: 'ingress', short: 'ing', plural: 'ingresses', group: 'networking.k8s.io' },
];

export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly name: string;
}

/** "pod (po), deployment (deploy), …, job, …" */
export function kindList(): string {
  return KINDS.map((k) => (k.short ? `${k.kind} (${k.short})` : k.kind)).join(', ');
}

/** A kind as kubectl accepts it: singular, plural or short name, optionally with its group (`deployments.apps`). */
export function findKind(text: string): KindDef | undefined {
  const lower = text.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot === -1 ? lower : lower.slice(0, dot);
  const group = dot === -1 ? undefined : lower.slice(dot + 1);
  const def = KINDS.find((k) => k.kind === name || k.plural === name || k.short === name);
  if (!def) return undefined;
  if (group !== undefined && group !== def.group && !(def.group === '' && (group === 'core' || group === ''))) return undefined;
  return def;
}

// A Kubernetes object name: DNS subdomain (pods, deployments, …) or label (services); the looser
// of the two, since the server has the last word.
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * `deployment/web` → `{ kind: 'deployment', name: 'web' }`; a pod-name regex (no `/`) →
 * undefined. Pod names never contain `/`, so a query with one is always KIND/NAME.
 */
export function parseWorkloadQuery(query: string): WorkloadRef | undefined {
  const slash = query.indexOf('/');
  if (slash === -1) return undefined;
  const kindText = query.slice(0, slash);
  const name = query.slice(slash + 1);
  const def = findKind(kindText);
  if (!def) {
    throw new UsageError(`unknown kind "${kindText}" in "${query}": expected KIND/NAME with KIND one of ${kindList()}`);
  }
  if (name === '') throw new UsageError(`missing name in "${query}": expected KIND/NAME, like ${def.kind}/web`);
  if (!OBJECT_NAME.test(name)) {
    throw new UsageError(`invalid ${def.kind} name "${name}" in "${query}": expected lower-case letters, digits, "-" and "."`);
  }
  return { kind: def.kind, name };
}

interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** metav1.LabelSelector as the API serves it */
export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/**
 * A label selector as the `labelSelector` query parameter takes it, requirements sorted by key
 * as Kubernetes prints them: `app=web,tier in (a,b),!canary`. An empty selector gives "" (it
 * matches everything; the caller decides whether that is acceptable).
 */
export function selectorText(sel: LabelSelectorObject): string {
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) parts.push({ key, text: `${key}=${value}` });
  for (const r of sel.matchExpressions ?? []) {
    const values = [...(r.values ?? [])].sort().join(',');
    switch (r.operator) {
      case 'In':
        parts.push({ key: r.key, text: `${r.key} in (${values})` });
        break;
      case 'NotIn':
        parts.push({ key: r.key, text: `${r.key} notin (${values})` });
        break;
      case 'Exists':
        parts.push({ key: r.key, text: r.key });
        break;
      case 'DoesNotExist':
        parts.push({ key: r.key, text: `!${r.key}` });
        break;
      default:
        throw new Error(`unknown label selector operator "${r.operator}"`);
    }
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** Both selectors must hold: `a,b`, leaving out the empty ones; undefined when none is left. */
export function andSelectors(...selectors: (string | undefined)[]): string | undefined {
  const parts = selectors.filter((s): s is string => s !== undefined && s.trim() !== '');
  return parts.length === 0 ? undefined : parts.join(',');
}
