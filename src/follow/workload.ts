/**
 * `KIND/NAME` against the API server: the workload's pod selector per namespace (resolved once,
 * at start) and, for a CronJob, a gate that admits only the pods of the Jobs it owns — the Jobs
 * that exist and the ones it creates later.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { ClusterError } from '../common/errors.js';
import { andSelectors, KINDS, selectorText, type KindDef, type WorkloadRef } from './query.js';
import { listInPages } from '../kube/pager.js';
import { api, type KubeObject } from '../kube/api.js';
import { isApiError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import type { PodEvent } from './watch.js';
import { ingressSelectors } from './ingress.js';

/** What one pod watch asks the server for, and what it admits of the answer. */
export interface PodScope {
  /** undefined: every namespace */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** pods the selectors cannot tell apart (a CronJob's): checked one by one */
  readonly gate: PodGate | undefined;
  /** a job/NAME query's Job, whose end --until-done waits for */
  readonly job?: string | undefined;
}

function kindDef(ref: WorkloadRef): KindDef {
  return KINDS.find((k) => k.kind === ref.kind)!;
}

function where(namespace: string | undefined): string {
  return namespace === undefined ? 'in any namespace' : `in namespace "${namespace}"`;
}

/**
 * The selectors that pick a workload's pods, from the object the API server returned.
 * Pure; exported for the tests.
 */
export function podSelectorOf(ref: WorkloadRef, obj: KubeObject): { labelSelector?: string; fieldSelector?: string } {
  switch (ref.kind) {
    case 'pod':
      return { fieldSelector: `metadata.name=${ref.name}` };
    case 'ingress':
      // its services' selectors, fetched by resolveWorkload (ingress.ts)
      return {};
    case 'cronjob':
      // the pods of every Job (the gate keeps those of this CronJob's Jobs)
      return { labelSelector: 'job-name' };
    case 'service':
    case 'replicationcontroller': {
      // a plain map of labels
      const map = (obj.spec?.selector ?? {}) as Record<string, string>;
      const text = selectorText({ matchLabels: map });
      if (text === '') {
        throw new ClusterError(
          `${ref.kind} "${ref.name}" has no selector, so it selects no pods — name its pods another way (-l, or a pod query)`,
        );
      }
      return { labelSelector: text };
    }
    default: {
      const text = selectorText(obj.spec?.selector ?? {});
      if (text === '')
        throw new ClusterError(`${ref.kind} "${ref.name}" has an empty selector — name its pods another way (-l, or a pod query)`);
      return { labelSelector: text };
    }
  }
}

/**
 * The pod scopes of a workload in the given namespaces of one context (undefined: every
 * namespace, where the workload may exist in several). A namespace without the workload is left
 * out with a warning; none at all is an error (exit 1) naming the workload and the namespaces.
 */
export async function resolveWorkload(
  transport: Transport,
  ref: WorkloadRef,
  namespaces: readonly (string | undefined)[],
  base: { labelSelector: string | undefined; fieldSelector: string | undefined },
  warn: (message: string) => void,
  signal?: AbortSignal,
): Promise<PodScope[]> {
  const def = kindDef(ref);
  const found: { namespace: string; obj: KubeObject }[] = [];
  const missing: (string | undefined)[] = [];
  for (const namespace of namespaces) {
    if (namespace === undefined) {
      const items: KubeObject[] = [];
      await listInPages(
        transport,
        api.list(def, undefined, { fieldSelector: `metadata.name=${ref.name}` }),
        { signal: signal ?? new AbortController().signal, idleTimeoutMs: 30_000 },
        {
          page: (objs) => items.push(...objs),
          restart: () => (items.length = 0),
          throttled: (ms) => {
            if (ms >= 5000) warn(`the API server is throttling (429): listing ${def.plural} again in ${Math.round(ms / 1000)}s`);
          },
        },
      );
      if (items.length === 0) missing.push(undefined);
      for (const obj of items) found.push({ namespace: obj.metadata?.namespace ?? '', obj });
      continue;
    }
    try {
      const obj = await transport.json(api.get(def, namespace, ref.name), { ...(signal ? { signal } : {}), idleTimeoutMs: 30_000 });
      found.push({ namespace, obj });
    } catch (err) {
      if (isApiError(err, 404)) missing.push(namespace);
      else if (isApiError(err, 403)) {
        const user = /User "([^"]*)"/.exec(err.message)?.[1];
        throw new ClusterError(`forbidden: cannot get ${def.plural} ${where(namespace)}${user ? ` as user "${user}"` : ''}`, {
          cause: err,
        });
      } else throw err;
    }
  }
  if (found.length === 0) {
    const names = missing.map((ns) => (ns === undefined ? 'any namespace' : `"${ns}"`));
    const text =
      missing.length === 1 && missing[0] === undefined
        ? 'in any namespace'
        : `in namespace${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
    throw new ClusterError(`${ref.kind} "${ref.name}" not found ${text}`);
  }
  for (const ns of missing) warn(`${ref.kind} "${ref.name}" not found ${where(ns)}; following it where it exists`);
  if (ref.kind === 'ingress') {
    // one scope per backend service: a pod behind two of them is one pod to the tracker
    const scopes: PodScope[] = [];
    for (const { namespace, obj } of found) {
      for (const selector of await ingressSelectors(transport, namespace, ref.name, obj, warn, signal)) {
        scopes.push({
          namespace,
          labelSelector: andSelectors(selector, base.labelSelector),
          fieldSelector: base.fieldSelector,
          gate: undefined,
        });
      }
    }
    return scopes;
  }
  return found.map(({ namespace, obj }) => {
    const own = podSelectorOf(ref, obj);
    return {
      namespace,
      labelSelector: andSelectors(own.labelSelector, base.labelSelector),
      fieldSelector: andSelectors(own.fieldSelector, base.fieldSelector),
      gate: ref.kind === 'cronjob' ? new CronJobGate(transport, namespace, ref.name, obj.metadata?.uid ?? '') : undefined,
      job: ref.kind === 'job' ? ref.name : undefined,
    };
  });
}

/** Admits the pod events of some pods only, in order, deciding asynchronously when it must. */
export interface PodGate {
  /** wraps a watch's event handler */
  wrap(onEvent: (event: PodEvent) => void): (event: PodEvent) => void;
  /** resolves when every event handed over so far has been passed on or dropped */
  settled(): Promise<void>;
}

/**
 * The pods of a CronJob: those owned by a Job that the CronJob owns. The Job of a pod is looked
 * up once (a GET, cached by UID), so a Job created after start is admitted as soon as its first
 * pod shows up. Events stay in order: while a lookup runs, later events wait behind it.
 */
export class CronJobGate implements PodGate {
  private readonly owned = new Map<string, boolean>();
  private chain: Promise<void> = Promise.resolve();
  /** events waiting in the chain */
  private pending = 0;

  constructor(
    private readonly transport: Transport,
    private readonly namespace: string,
    private readonly cronJob: string,
    private readonly cronJobUid: string,
  ) {}

  wrap(onEvent: (event: PodEvent) => void): (event: PodEvent) => void {
    return (event) => {
      const job = jobOf(event.pod);
      if (!job) return;
      const known = this.owned.get(job.uid);
      if (known !== undefined && this.pending === 0) {
        if (known) onEvent(event);
        return;
      }
      this.pending++;
      this.chain = this.chain
        .then(() => this.isOwned(job))
        .then((ok) => {
          if (ok) onEvent(event);
        })
        // a bug in the handler must not stop the gate for good: let it surface on its own
        .catch(
          (err: unknown) =>
            void setImmediate(() => {
              throw err;
            }),
        )
        .finally(() => {
          this.pending--;
        });
    };
  }

  settled(): Promise<void> {
    return this.chain;
  }

  private async isOwned(job: { uid: string; name: string }): Promise<boolean> {
    const known = this.owned.get(job.uid);
    if (known !== undefined) return known;
    let ok: boolean;
    try {
      const obj = await this.transport.json(api.job(this.namespace, job.name), { idleTimeoutMs: 15_000 });
      ok =
        obj.metadata?.uid === job.uid
          ? (obj.metadata.ownerReferences ?? []).some((o) => o.kind === 'CronJob' && o.uid === this.cronJobUid)
          : this.byName(job.name);
    } catch {
      // the Job is gone or the server is away: the CronJob controller's naming decides
      ok = this.byName(job.name);
    }
    this.owned.set(job.uid, ok);
    return ok;
  }

  /** The CronJob controller names its Jobs `<cronjob>-<scheduled time in minutes>`. */
  private byName(job: string): boolean {
    return job.startsWith(`${this.cronJob}-`) && /^\d+$/.test(job.slice(this.cronJob.length + 1));
  }
}

function jobOf(pod: V1Pod): { uid: string; name: string } | undefined {
  const ref = pod.metadata?.ownerReferences?.find((o) => o.kind === 'Job');
  return ref ? { uid: ref.uid, name: ref.name } : undefined;
}
