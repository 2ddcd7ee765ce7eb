// The resource types the simulated cluster serves, with what discovery says about them.

export interface ResourceDef {
  name: string; // plural, the path segment
  singular: string;
  kind: string;
  group: '' | 'apps' | 'batch' | 'events.k8s.io' | 'networking.k8s.io';
  version: 'v1';
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** field selectors beyond metadata.name / metadata.namespace */
  extraFields?: string[];
  /**
   * another group's view of a stored resource (events.k8s.io's Events are core Events, renamed):
   * its field names as the stored object's (regarding.name → involvedObject.name)
   */
  fieldAliases?: Readonly<Record<string, string>>;
}

/** The field selectors of core Events, and events.k8s.io's names for them. */
const EVENT_FIELDS: Readonly<Record<string, string>> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  deprecatedSource: 'source',
  reason: 'reason',
  type: 'type',
};

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceDef[] = [
  {
    name: 'pods',
    singular: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: RW,
    extraFields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  {
    name: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    extraFields: ['status.phase'],
  },
  {
    name: 'nodes',
    singular: 'node',
    kind: 'Node',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['no'],
    verbs: RW,
    extraFields: ['spec.unschedulable'],
  },
  {
    name: 'services',
    singular: 'service',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'replicationcontrollers',
    singular: 'replicationcontroller',
    kind: 'ReplicationController',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'events',
    singular: 'event',
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['ev'],
    verbs: RW,
    extraFields: [...new Set(Object.values(EVENT_FIELDS))],
  },
  {
    name: 'events',
    singular: 'event',
    kind: 'Event',
    group: 'events.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['ev'],
    verbs: RW,
    extraFields: Object.keys(EVENT_FIELDS),
    fieldAliases: EVENT_FIELDS,
  },
  { name: 'jobs', singular: 'job', kind: 'Job', group: 'batch', version: 'v1', namespaced: true, categories: ['all'], verbs: RW },
  {
    name: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    verbs: RW,
  },
  {
    name: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['ing'],
    verbs: RW,
  },
];

const byGroupAndName = new Map<string, ResourceDef>(RESOURCES.map((r) => [`${r.group}/${r.name}`, r]));

export function findResource(group: string, name: string): ResourceDef | undefined {
  return byGroupAndName.get(`${group}/${name}`);
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

const fieldSets = new Map<string, ReadonlySet<string>>();
/** The field selectors a resource supports. */
export function allowedFields(def: ResourceDef): ReadonlySet<string> {
  const key = `${def.group}/${def.name}`;
  let set = fieldSets.get(key);
  if (!set) {
    set = new Set(['metadata.name', 'metadata.namespace', ...(def.extraFields ?? [])]);
    fieldSets.set(key, set);
  }
  return set;
}

/** A field as the stored object names it (`regarding.name` of events.k8s.io is `involvedObject.name`). */
export function storedField(def: ResourceDef, field: string): string {
  return def.fieldAliases?.[field] ?? field;
}

/** The value of a selectable field of an object (as the API server computes it). */
export function fieldValue(obj: KubeObject, field: string): string {
  switch (field) {
    case 'metadata.name':
      return obj.metadata.name;
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
    case 'spec.hostNetwork':
      return String(Boolean(dig(obj, ['spec', 'hostNetwork'])));
    case 'spec.unschedulable':
      return String(Boolean(dig(obj, ['spec', 'unschedulable'])));
    case 'source':
      // a core Event's source is its component
      return obj.kind === 'Event' ? fieldValue(obj, 'source.component') : '';
    default: {
      const v = dig(obj, field.split('.'));
      if (typeof v === 'string') return v;
      // a number or a boolean as Go prints it; an object or nothing is no field value
      return typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    }
  }
}

function dig(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  generation?: number;
  generateName?: string;
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any object in the store, in its JSON shape. */
export interface KubeObject {
  kind: string;
  apiVersion: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

/** A Pod as served; spec and status loosely typed for convenient assertions. */
export interface PodObject extends KubeObject {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into these as into JSON
  spec: Record<string, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into these as into JSON
  status: Record<string, any>;
}
