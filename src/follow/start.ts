/**
 * Starting one context: its scopes (its namespaces, or where its KIND/NAME workload lives), one
 * pod watch per scope and the first list of each. A failure here is one line (SPEC §5): fatal
 * with one context, reported and retried with several (clusters.ts).
 */
import type { ContextInfo } from '../kube/kubeconfig.js';
import { startError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import type { FollowTimings, NamespaceScope, PodSelection } from './settings.js';
import { PodWatch, type PodEvent } from './watch.js';
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
  warn(text: string): void;
  readonly verbose: (message: string) => void;
}

/** The start of each context, as Clusters calls it: its watches, each listed once. */
export function contextStarter(
  selection: PodSelection,
  timings: FollowTimings,
  deps: StartDeps,
): (ctx: ContextInfo, signal: AbortSignal) => Promise<PodWatch[]> {
  const scopesOf = async (ctx: ContextInfo, signal: AbortSignal): Promise<PodScope[]> => {
    const namespaces = namespacesOf(selection.namespaces, ctx);
    const base = { labelSelector: selection.labelSelector, fieldSelector: selection.fieldSelector };
    if (!selection.workload) return namespaces.map((namespace) => ({ namespace, ...base, gate: undefined }));
    try {
      return await resolveWorkload(
        deps.transport(ctx.name),
        selection.workload,
        namespaces,
        base,
        (m) => deps.warn(`${contextPrefix(deps.showContext, ctx)}${m}`),
        signal,
      );
    } catch (err) {
      throw startError(err, ctx, namespaces.length === 1 ? namespaces[0] : undefined);
    }
  };

  const watchOf = (ctx: ContextInfo, scope: PodScope): PodWatch => {
    const handler = (e: PodEvent): void => deps.onEvent(ctx.name, e);
    const { namespace } = scope;
    const prefix = contextPrefix(deps.showContext, ctx);
    return new PodWatch(
      deps.transport(ctx.name),
      { namespace, labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector },
      {
        onEvent: scope.gate ? scope.gate.wrap(handler) : handler,
        onTrouble: (m, inMs) => deps.warn(`${prefix}${m}; retrying in ${Math.round(inMs / 1000)}s`),
        onRecovered: () =>
          deps.warn(`${prefix}watching pods ${namespace === undefined ? 'in all namespaces' : `in namespace "${namespace}"`} again`),
        verbose: deps.verbose,
      },
      { idleTimeoutMs: timings.watchIdleMs, timeoutSeconds: timings.watchTimeoutSeconds },
    );
  };

  // One context: resolve its workload, then the first list of every (context, namespace).
  return async (ctx, signal) => {
    const scopes = await scopesOf(ctx, signal);
    const started: PodWatch[] = [];
    try {
      await Promise.all(
        scopes.map(async (scope) => {
          const watch = watchOf(ctx, scope);
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
    return started;
  };
}
