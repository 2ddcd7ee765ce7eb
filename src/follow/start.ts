/**
 * Starting one context: its scopes (its namespaces for the pattern QUERYs, and where each KIND/NAME
 * workload lives), one pod watch per scope and the first list of each. A failure here is one line (SPEC §5): fatal
 * with one context, reported and retried with several (clusters.ts).
 */
import type { ContextInfo } from '../kube/kubeconfig.js';
import { namespaceText, startError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import type { FollowTimings, NamespaceScope, PodSelection } from './settings.js';
import { PodWatch, type PodEvent } from './watch.js';
import { api } from '../kube/api.js';
import { nameGate, PodUnion } from './union.js';
import type { JobRef } from './until-done.js';
import { resolveWorkload, type PodScope } from './workload.js';

/** The namespaces watched in a context; undefined: every namespace. */
export function namespacesOf(namespaces: NamespaceScope, ctx: ContextInfo): (string | undefined)[] {
  switch (namespaces.kind) {
    case 'all':
      return [undefined];
    case 'list':
      return [...namespaces.names];
    case 'context-default':
      return [ctx.namespace];
  }
}

/** "context "NAME": " before a warning when several contexts are followed. */
function contextPrefix(show: boolean, ctx: ContextInfo): string {
  return show ? `context "${ctx.name}": ` : '';
}

/** The warnings of contexts that skip TLS verification, said at start. */
export function insecureContextWarnings(contexts: readonly ContextInfo[]): string[] {
  return contexts
    .filter((ctx) => ctx.insecureSkipTlsVerify)
    .map(
      (ctx) =>
        `context "${ctx.name}" skips TLS verification (${ctx.insecureBy === 'flag' ? '--insecure-skip-tls-verify' : 'insecure-skip-tls-verify in the kubeconfig'})`,
    );
}

export interface StartDeps {
  transport(context: string): Transport;
  /** several contexts are followed: warnings name theirs */
  readonly showContext: boolean;
  onEvent(context: string, event: PodEvent): void;
  /** --until-done: a job/NAME query's Job in a context that started */
  onJob?(job: JobRef): void;
  warn(text: string): void;
  readonly verbose: (message: string) => void;
}

/**
 * The scopes of one context: one per namespace for the pattern QUERYs (behind their name gate),
 * and those of each KIND/NAME workload, resolved where it lives.
 */
export async function podScopes(
  selection: PodSelection,
  ctx: ContextInfo,
  transport: Transport,
  warn: (m: string) => void,
  signal?: AbortSignal,
): Promise<PodScope[]> {
  const namespaces = namespacesOf(selection.namespaces, ctx);
  const base = { labelSelector: selection.labelSelector, fieldSelector: selection.fieldSelector };
  const scopes: PodScope[] = [];
  const patterns = selection.queries.flatMap((q) => (q.kind === 'pods' ? [q.pattern] : []));
  if (patterns.length > 0) {
    const gate = nameGate(patterns);
    scopes.push(...namespaces.map((namespace) => ({ namespace, ...base, gate })));
  }
  for (const query of selection.queries) {
    if (query.kind !== 'workload') continue;
    try {
      scopes.push(...(await resolveWorkload(transport, query.ref, namespaces, base, warn, signal)));
    } catch (err) {
      throw startError(err, ctx, namespaces.length === 1 ? namespaces[0] : undefined);
    }
  }
  return scopes;
}

/** The start of each context, as Clusters calls it: its watches, each listed once. */
export function contextStarter(
  selection: PodSelection,
  timings: FollowTimings,
  deps: StartDeps,
): (ctx: ContextInfo, signal: AbortSignal) => Promise<PodWatch[]> {
  const scopesOf = (ctx: ContextInfo, signal: AbortSignal): Promise<PodScope[]> =>
    podScopes(selection, ctx, deps.transport(ctx.name), (m) => deps.warn(`${contextPrefix(deps.showContext, ctx)}${m}`), signal);

  const watchOf = (ctx: ContextInfo, scope: PodScope, onEvent: (e: PodEvent) => void): PodWatch => {
    const { namespace } = scope;
    const prefix = contextPrefix(deps.showContext, ctx);
    return new PodWatch(
      deps.transport(ctx.name),
      { namespace, labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector },
      {
        onEvent,
        onTrouble: (m, inMs) => deps.warn(`${prefix}${m}; retrying in ${Math.round(inMs / 1000)}s`),
        onRecovered: () => deps.warn(`${prefix}watching pods ${namespaceText(namespace)} again`),
        verbose: deps.verbose,
      },
      { idleTimeoutMs: timings.watchIdleMs, timeoutSeconds: timings.watchTimeoutSeconds },
    );
  };

  // One context: resolve its workload, then the first list of every (context, namespace).
  return async (ctx, signal) => {
    const scopes = await scopesOf(ctx, signal);
    const onEvent = (e: PodEvent): void => deps.onEvent(ctx.name, e);
    // several QUERYs: their watches may show the same pods (union.ts); one: nothing to reconcile
    const union = selection.queries.length > 1 ? new PodUnion(onEvent) : undefined;
    const handlers = scopes.map((scope, i) => {
      const handler = union ? union.handler(i) : onEvent;
      return scope.gate ? scope.gate.wrap(handler) : handler;
    });
    const started: PodWatch[] = [];
    try {
      await Promise.all(
        scopes.map(async (scope, i) => {
          const watch = watchOf(ctx, scope, handlers[i]!);
          started.push(watch);
          try {
            await watch.list();
            await scope.gate?.settled();
          } catch (err) {
            throw startError(err, ctx, scope.namespace);
          }
        }),
      );
    } catch (err) {
      for (const w of started) w.stop();
      throw err;
    }
    scopes.forEach((scope, i) => {
      if (scope.job === undefined || scope.namespace === undefined || !deps.onJob) return;
      const transport = deps.transport(ctx.name);
      deps.onJob({
        context: ctx.name,
        namespace: scope.namespace,
        name: scope.job,
        transport,
        resync: async () => {
          const list = await transport.json(api.pods(scope.namespace, scope), { idleTimeoutMs: timings.watchIdleMs });
          for (const pod of list.items) handlers[i]!({ kind: 'upsert', pod, initial: false });
        },
      });
    });
    return started;
  };
}
