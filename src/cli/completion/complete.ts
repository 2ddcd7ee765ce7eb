/**
 * `ktail __complete KIND [--kubeconfig K] [--context C] [-n NS] [-A] [--config F] [--server S …]`:
 * the names the completion scripts offer, one per line, read from the kubeconfig and the cluster
 * through ktail's own transport, with the command line's connection flags applied as a run
 * applies them. KIND: contexts, namespaces, nodes, pods, or `workloads KIND` (`deploy`
 * → `deploy/checkout`). Meant for a shell waiting on a key press: whatever goes wrong (no
 * kubeconfig, cluster down, 403, a slow server past the deadline), it prints nothing and exits 0.
 */
import type { Writable } from 'node:stream';
import { loadConfig } from '../config.js';
import { resolveConnectionOptions, type RawConnectionOptions } from '../connection-options.js';
import { FLAGS } from '../flag-table.js';
import { loadKubeconfig, selectContexts, type Kubeconfig } from '../../kube/kubeconfig.js';
import { contextChoices, splitList } from '../parse.js';
import { chooseContexts } from '../../kube/context-choice.js';
import { findKind } from '../../follow/query.js';
import { api, type ApiRequest, type ObjectList } from '../../kube/api.js';
import { listInPages } from '../../kube/pager.js';
import { Transport } from '../../kube/transport.js';

/** A shell is waiting: give up after this long. */
const COMPLETE_DEADLINE_MS = 3000;

export interface CompleteScope {
  kubeconfig: string | undefined;
  context: string | undefined;
  namespace: string | undefined;
  allNamespaces: boolean;
  config: string | undefined;
  /** kubectl's connection flags of the command line (--server, --token, --as, …), as the run takes them */
  connection: RawConnectionOptions;
}

/** The Connection group of the flag table, by long name: completion reaches the cluster the run would. */
const CONNECTION_FLAGS = new Map(FLAGS.filter((f) => f.group === 'Connection').map((f) => [`--${f.long}`, f]));

/** The flags that choose a cluster and a namespace; anything else is ignored. */
export function parseScope(args: readonly string[]): CompleteScope {
  const scope: CompleteScope = {
    kubeconfig: undefined,
    context: undefined,
    namespace: undefined,
    allNamespaces: false,
    config: undefined,
    connection: {},
  };
  const connection = scope.connection as Record<string, string | string[] | boolean | undefined>;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (name !== arg ? arg.slice(eq + 1) : args[++i]);
    const flag = CONNECTION_FLAGS.get(name);
    if (flag !== undefined) {
      if (flag.argument.kind === 'none') connection[flag.key] = name === arg || arg.slice(eq + 1) !== 'false';
      else if (flag.repeatable === true) connection[flag.key] = [...((connection[flag.key] as string[] | undefined) ?? []), value() ?? ''];
      else connection[flag.key] = value();
    } else if (name === '--kubeconfig') scope.kubeconfig = value();
    else if (name === '--context') scope.context = splitList([value() ?? ''])[0];
    else if (name === '--config') scope.config = value();
    else if (name === '-n' || name === '--namespace') scope.namespace = splitList([value() ?? ''])[0];
    else if (arg.startsWith('-n') && !arg.startsWith('--')) scope.namespace = splitList([arg.slice(2)])[0];
    else if (arg === '-A' || arg === '--all-namespaces') scope.allNamespaces = true;
  }
  return scope;
}

/** The config file's kubeconfig, context and namespace, under the command line's. Never fails. */
function withConfig(scope: CompleteScope, env: NodeJS.ProcessEnv): CompleteScope {
  try {
    const raw = loadConfig(scope.config, env)?.raw;
    if (!raw) return scope;
    const namespaceGiven = scope.namespace !== undefined || scope.allNamespaces;
    return {
      ...scope,
      kubeconfig: scope.kubeconfig ?? raw.kubeconfig,
      context: scope.context ?? splitList(raw.context)[0],
      namespace: namespaceGiven ? scope.namespace : splitList(raw.namespace)[0],
      allNamespaces: namespaceGiven ? scope.allNamespaces : raw.allNamespaces === true,
    };
  } catch {
    return scope;
  }
}

function expandHome(path: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return path !== undefined && path.startsWith('~/') && env.HOME ? env.HOME + path.slice(1) : path;
}

/** The names for one KIND; throws on any failure (the caller stays quiet). */
async function listNames(kind: string, rest: readonly string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string[]> {
  const workloadKind = kind === 'workloads' ? rest[0] : undefined;
  const scope = withConfig(parseScope(kind === 'workloads' ? rest.slice(1) : rest), env);
  const overrides = resolveConnectionOptions(scope.connection);
  const kc: Kubeconfig = await loadKubeconfig({ explicitPath: expandHome(scope.kubeconfig, env), env }, overrides);
  if (kind === 'contexts') return kc.getContexts().map((c) => c.name);

  // a glob or /regex/ (--context 'prod-*'): the names of its first context
  const wanted =
    scope.context === undefined
      ? []
      : chooseContexts(
          contextChoices([scope.context]),
          kc.getContexts().map((c) => c.name),
        );
  const [info] = selectContexts(kc, wanted.slice(0, 1), overrides);
  if (!info) return [];
  const transport = new Transport(info);
  const namespace = scope.namespace ?? info.namespace;
  const names = async (req: ApiRequest<ObjectList<{ metadata?: { name?: string } }>>): Promise<string[]> => {
    const out: string[] = [];
    await listInPages(
      transport,
      req,
      { signal },
      {
        page: (items) => {
          for (const i of items) if (typeof i.metadata?.name === 'string') out.push(i.metadata.name);
        },
        restart: () => (out.length = 0),
        throttled: () => undefined, // completion stays quiet
      },
    );
    return out;
  };
  try {
    switch (kind) {
      case 'namespaces':
        return await names(api.namespaces());
      case 'nodes':
        return await names(api.nodes());
      case 'pods':
        return await names(api.pods(scope.allNamespaces ? undefined : namespace));
      case 'workloads': {
        const def = workloadKind === undefined ? undefined : findKind(workloadKind);
        if (!def) return [];
        return (await names(api.list(def, scope.allNamespaces ? undefined : namespace))).map((n) => `${workloadKind}/${n}`);
      }
      default:
        return [];
    }
  } finally {
    transport.close();
  }
}

/** main()'s `__complete`: names one per line, or nothing; always 0. */
export async function complete(args: readonly string[], out: Writable, env: NodeJS.ProcessEnv): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === undefined) return 0;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([]);
    }, COMPLETE_DEADLINE_MS);
  });
  let names: string[];
  try {
    names = await Promise.race([listNames(kind, rest, env, controller.signal), deadline]);
  } catch {
    names = [];
  } finally {
    clearTimeout(timer);
  }
  const text = [...new Set(names)]
    .sort()
    .map((n) => `${n}\n`)
    .join('');
  if (text !== '') await new Promise<void>((resolve) => out.write(text, () => resolve()));
  return 0;
}
