/**
 * Every request ktail sends, as a path and a query: the only place that knows the API's paths.
 * Each function returns an `ApiRequest<T>`, T being what the server answers with, so that
 * `transport.json(api.pod(ns, name))` is typed without a cast. Names are path-escaped here.
 */
import type { V1Pod, V1PodList } from '@kubernetes/client-node';
import type { Lane } from './connector.js';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApiRequest<T = unknown> {
  /** from /api or /apis; the server URL's own path prefix is the transport's */
  readonly path: string;
  /** undefined values are left out; 0 and false are sent */
  readonly query: Query;
  /** the type of the answer, for the compiler only */
  readonly answer?: T;
  /** the connections it goes on (connector.ts): log streams have their own */
  readonly lane: Lane;
}

export interface Selectors {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
}

/** Where a watch starts and how long the server keeps it open. */
export interface WatchFrom {
  /** '' or undefined: from now, after the server's own list */
  readonly resourceVersion?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
}

/** A container's log: what kubectl logs asks for. Unset fields are left out; tailLines 0 is kept. */
export interface LogQuery {
  readonly container: string;
  readonly follow?: boolean | undefined;
  readonly previous?: boolean | undefined;
  readonly timestamps?: boolean | undefined;
  readonly sinceSeconds?: number | undefined;
  readonly sinceTime?: string | undefined;
  readonly tailLines?: number | undefined;
}

/** A resource type as the paths need it: its API group ('' for the core group) and plural. */
export interface Resource {
  readonly group: string;
  readonly plural: string;
}

/** The fields of a workload ktail reads (selector, owners, UID). */
export interface KubeObject {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    ownerReferences?: { kind?: string; name?: string; uid?: string }[];
  };
  spec?: { selector?: unknown };
  /** a Job's conditions (Complete, Failed), for --until-done */
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

export interface ObjectList<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

const PODS: Resource = { group: '', plural: 'pods' };

/** Which API serves Events: events.k8s.io/v1 where the cluster has it, else core/v1. */
export type EventsApi = 'events.k8s.io' | 'core';
const EVENTS: Readonly<Record<EventsApi, Resource>> = {
  'events.k8s.io': { group: 'events.k8s.io', plural: 'events' },
  core: { group: '', plural: 'events' },
};

/** An APIResourceList, as discovery answers for one group version. */
export interface ResourceList {
  resources?: { name?: string; verbs?: string[] }[];
}
const JOBS: Resource = { group: 'batch', plural: 'jobs' };

/** /api/v1 or /apis/GROUP/v1, then the namespace if any, then the plural */
function collection(r: Resource, namespace: string | undefined): string {
  const prefix = r.group === '' ? '/api/v1' : `/apis/${r.group}/v1`;
  return namespace === undefined ? `${prefix}/${r.plural}` : `${prefix}/namespaces/${seg(namespace)}/${r.plural}`;
}

const seg = encodeURIComponent;

function request<T>(path: string, query: Query = {}, lane: Lane = 'control'): ApiRequest<T> {
  return { path, query, lane };
}

function selectors(s: Selectors): Query {
  return { labelSelector: s.labelSelector, fieldSelector: s.fieldSelector };
}

export const api = {
  /** the pods of a namespace (undefined: of every namespace) */
  pods(namespace: string | undefined, select: Selectors = {}): ApiRequest<V1PodList> {
    return request(collection(PODS, namespace), selectors(select));
  },

  /** a watch of the same pods: a stream of JSON events, one a line, with bookmarks */
  watchPods(namespace: string | undefined, select: Selectors, from: WatchFrom): ApiRequest<never> {
    return request(collection(PODS, namespace), {
      ...selectors(select),
      watch: 1,
      allowWatchBookmarks: true,
      resourceVersion: from.resourceVersion || undefined,
      timeoutSeconds: from.timeoutSeconds,
    });
  },

  pod(namespace: string, name: string): ApiRequest<V1Pod> {
    return request(`${collection(PODS, namespace)}/${seg(name)}`);
  },

  /** a container's log, as text (a stream when following) */
  podLog(namespace: string, pod: string, q: LogQuery): ApiRequest<never> {
    return request(
      `${collection(PODS, namespace)}/${seg(pod)}/log`,
      {
        container: q.container,
        follow: q.follow === true ? true : undefined,
        previous: q.previous === true ? true : undefined,
        timestamps: q.timestamps === true ? true : undefined,
        sinceSeconds: q.sinceSeconds,
        sinceTime: q.sinceTime,
        tailLines: q.tailLines,
      },
      'logs',
    );
  },

  /** the objects of a resource type in a namespace (undefined: in every namespace) */
  list(r: Resource, namespace: string | undefined, select: Selectors = {}): ApiRequest<ObjectList<KubeObject>> {
    return request(collection(r, namespace), selectors(select));
  },

  /** one object, by name */
  get(r: Resource, namespace: string, name: string): ApiRequest<KubeObject> {
    return request(`${collection(r, namespace)}/${seg(name)}`);
  },

  /** a Job (a CronJob's pods are those of the Jobs it owns) */
  job(namespace: string, name: string): ApiRequest<KubeObject> {
    return api.get(JOBS, namespace, name);
  },

  /** discovery of a group version (`events.k8s.io`): which resources it serves */
  groupVersion(group: string): ApiRequest<ResourceList> {
    return request(`/apis/${seg(group)}/v1`);
  },

  /** the Events of a namespace (undefined: of every namespace), as that API names their fields */
  events(which: EventsApi, namespace: string | undefined, select: Selectors = {}): ApiRequest<ObjectList<unknown>> {
    return request(collection(EVENTS[which], namespace), selectors(select));
  },

  /** a watch of the same Events */
  watchEvents(which: EventsApi, namespace: string | undefined, select: Selectors, from: WatchFrom): ApiRequest<never> {
    return request(collection(EVENTS[which], namespace), {
      ...selectors(select),
      watch: 1,
      allowWatchBookmarks: true,
      resourceVersion: from.resourceVersion || undefined,
      timeoutSeconds: from.timeoutSeconds,
    });
  },

  namespaces(): ApiRequest<ObjectList<KubeObject>> {
    return request('/api/v1/namespaces');
  },

  nodes(): ApiRequest<ObjectList<KubeObject>> {
    return request('/api/v1/nodes');
  },
} as const;

/** `?a=1&b=x`, or '' when nothing is set; undefined values are left out. */
export function toQueryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}
