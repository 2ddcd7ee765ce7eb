// Request routing for the API paths: discovery, list, get, watch and pods/log, with the
// authorization (forbidden namespaces) checks in front of them.
import { apiGroup, apiGroupList, apiVersions, resourceList, VERSION_INFO } from './discovery.js';
import type { StreamRegistry } from './faults.js';
import { parseBool, type Req, type Res, sendJson } from './http.js';
import { serveLog } from './logs.js';
import { presenter } from './events.js';
import { type ContinueTokens, paginate } from './pages.js';
import { allowedFields, apiVersionOf, fieldValue, findResource, storedField, type KubeObject, type ResourceDef } from './resources.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { SimState } from './state.js';
import { badRequest, forbidden, methodNotAllowed, notFound, pathNotFound } from './status.js';
import { supportsTable, toTable, wantsTable } from './tables.js';
import { serveWatch } from './watch.js';

export interface RouteContext {
  state: SimState;
  registry: StreamRegistry;
  forbiddenNamespaces: ReadonlySet<string>;
  userName: string;
  bookmarkIntervalMs: number;
  /** kube-apiserver's --min-request-timeout (see watch.ts) */
  minRequestTimeoutSeconds: number;
  truncateSinceTime: boolean;
  serverAddress: () => string;
  /** which continue tokens have expired */
  continueTokens: ContinueTokens;
  /** render buffers shared by log streams */
  renderPool: Buffer[];
  /** the API groups served besides the core group */
  apiGroups: readonly string[];
}

/** The endpoint kind a request was for (for the request counters). */
export type RequestKind = 'discovery' | 'list' | 'get' | 'watch' | 'log' | 'other';

interface Target {
  def: ResourceDef;
  namespace: string | undefined;
  name: string | undefined;
  sub: string | undefined;
}

/** Handle one authenticated request; throws StatusError for API errors. */
export function route(ctx: RouteContext, req: Req, res: Res, url: URL): RequestKind {
  const segs = url.pathname.split('/').filter((s) => s !== '');
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();

  if (segs.length === 1 && segs[0] === 'version') return discovery(res, VERSION_INFO);
  if (segs.length === 1 && (segs[0] === 'healthz' || segs[0] === 'livez' || segs[0] === 'readyz')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return 'discovery';
  }
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === 'api') {
    group = '';
    version = segs[1];
    rest = segs.slice(2);
    if (version === undefined) return discovery(res, apiVersions(ctx.serverAddress()));
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return discovery(res, apiGroupList(ctx.apiGroups));
    group = segs[1]!;
    if (!ctx.apiGroups.includes(group)) throw pathNotFound();
    version = segs[2];
    rest = segs.slice(3);
    if (version === undefined) return discovery(res, apiGroup(group, ctx.apiGroups));
  } else {
    throw pathNotFound();
  }
  if (rest.length === 0) return discovery(res, resourceList(group, version, ctx.apiGroups));
  if (version !== 'v1') throw pathNotFound();

  const target = parseTarget(group, rest);
  if (!target) throw pathNotFound();
  const q = url.searchParams;
  const table = wantsTable(req.headers.accept) && supportsTable(target.def.name);
  const watch = parseBool(q.get('watch'));
  if (watch instanceof Error) throw badRequest(watch.message);
  const verb = target.sub === 'log' || target.name !== undefined ? 'get' : watch ? 'watch' : 'list';
  authorize(ctx, target, verb);

  if (target.sub === 'log') {
    serveLog(
      { registry: ctx.registry, counters: ctx.state.counters, truncateSinceTime: ctx.truncateSinceTime, pool: ctx.renderPool },
      res,
      ctx.state.getPod(target.namespace!, target.name!),
      target.name!,
      q,
    );
    return 'log';
  }
  if (target.name !== undefined) {
    const obj = ctx.state.store.get(target.def.name, target.namespace, target.name);
    if (!obj) throw notFound(target.def.name, target.name, target.def.group);
    sendJson(res, 200, table ? toTable(target.def.name, [obj], undefined) : presenter(target.def)(obj));
    return 'get';
  }

  const labels = parseLabelSelector(q.get('labelSelector') ?? '');
  const fields = parseFieldSelector(q.get('fieldSelector') ?? '', allowedFields(target.def)).map((r) => ({
    ...r,
    field: storedField(target.def, r.field),
  }));
  if (watch) {
    const rv = q.get('resourceVersion');
    if (rv !== null && rv !== '' && !/^\d+$/.test(rv)) {
      throw badRequest(`resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
    }
    const bookmarks = parseBool(q.get('allowWatchBookmarks'));
    const timeout = q.get('timeoutSeconds');
    serveWatch(
      {
        store: ctx.state.store,
        registry: ctx.registry,
        counters: ctx.state.counters,
        bookmarkIntervalMs: ctx.bookmarkIntervalMs,
        minRequestTimeoutSeconds: ctx.minRequestTimeoutSeconds,
      },
      res,
      {
        def: target.def,
        namespace: target.namespace,
        labels,
        fields,
        resourceVersion: rv,
        bookmarks: bookmarks === true,
        timeoutSeconds: timeout !== null && /^\d+$/.test(timeout) ? Number(timeout) : undefined,
        table,
      },
    );
    return 'watch';
  }
  const objs = ctx.state.store
    .list(target.def.name, target.namespace)
    .filter((o) => matchLabels(labels, o.metadata.labels) && matchFields(fields, (f) => fieldValue(o, f)));
  const filtered = labels.length > 0 || fields.length > 0;
  const page = paginate(objs, q, ctx.state.store.resourceVersion, ctx.continueTokens, filtered);
  // ListMeta, in the real server's key order
  const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continue !== undefined) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  if (table) {
    sendJson(res, 200, { ...toTable(target.def.name, page.items, page.resourceVersion), metadata });
    return 'list';
  }
  const present = presenter(target.def);
  sendJson(res, 200, {
    kind: `${target.def.kind}List`,
    apiVersion: apiVersionOf(target.def),
    metadata,
    items: page.items.map((o) => listItem(present(o))),
  });
  return 'list';
}

/** List items carry no kind/apiVersion in the real server's JSON. */
function listItem(o: KubeObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest;
}

function discovery(res: Res, doc: unknown): RequestKind {
  if (doc === undefined) throw pathNotFound();
  sendJson(res, 200, doc);
  return 'discovery';
}

function parseTarget(group: string, rest: string[]): Target | undefined {
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = findResource(group, rest[2]!);
    if (!def || !def.namespaced || rest.length > 5) return undefined;
    const sub = rest[4];
    if (sub !== undefined && !(def.name === 'pods' && sub === 'log')) return undefined;
    return { def, namespace: rest[1], name: rest[3], sub };
  }
  if (rest.length > 2) return undefined;
  const def = findResource(group, rest[0]!);
  if (!def) return undefined;
  if (rest.length === 2 && def.namespaced) return undefined;
  return { def, namespace: undefined, name: rest[1], sub: undefined };
}

function authorize(ctx: RouteContext, t: Target, verb: string): void {
  const banned = ctx.forbiddenNamespaces;
  if (banned.size === 0) return;
  const resource = t.sub ? `${t.def.name}/${t.sub}` : t.def.name;
  const base = { user: ctx.userName, verb, resource, group: t.def.group };
  if (t.def.name === 'namespaces' && t.name !== undefined && banned.has(t.name)) {
    throw forbidden({ ...base, namespace: t.name, name: t.name });
  }
  if (!t.def.namespaced) return;
  if (t.namespace === undefined) throw forbidden({ ...base, namespace: undefined });
  if (banned.has(t.namespace)) throw forbidden({ ...base, namespace: t.namespace, name: t.name });
}
