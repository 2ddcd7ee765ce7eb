// Paginated lists, as kube-apiserver serves them from etcd: `limit` items a page, a `continue`
// token naming the list's resourceVersion and the key to start after, `remainingItemCount`
// without selectors, and 410 Expired once the token's resourceVersion has been compacted away.
import type { KubeObject } from './resources.js';
import { badRequest, StatusError, statusBody } from './status.js';

/** What etcd's compaction has made too old: tokens of lists before `compactedRv`. */
export class ContinueTokens {
  compactedRv = 0;
}

export interface Page {
  items: KubeObject[];
  /** the list's resourceVersion (a later page keeps the first page's) */
  resourceVersion: string;
  continue: string | undefined;
  remainingItemCount: number | undefined;
}

interface Token {
  v: string;
  rv: number;
  start: string;
}

const keyOf = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

/** The token's text, as the real server writes it: base64 of {"v","rv","start"} (start: a key plus NUL). */
function encode(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

function decode(text: string): Token {
  let t: Partial<Token>;
  try {
    t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Token>;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  if (t.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: server does not recognize this encoded key');
  if (typeof t.rv !== 'number' || typeof t.start !== 'string')
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
  return t as Token;
}

const TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue ' +
  'parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided ' +
  'token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was ' +
  'returned and now may show up in the list.';

/**
 * One page of `objs` (filtered, in key order). No limit (or 0) and no continue: all of them.
 * The sim keeps no old versions, so a later page shows the objects as they are now, under the
 * first page's resourceVersion (a real server shows them as of that version).
 */
export function paginate(objs: KubeObject[], q: URLSearchParams, currentRv: number, tokens: ContinueTokens, filtered: boolean): Page {
  const limitText = q.get('limit');
  const limit = limitText !== null && /^\d+$/.test(limitText) ? Number(limitText) : 0;
  const cont = q.get('continue') ?? '';
  let rv = currentRv;
  let rest = objs;
  if (cont !== '') {
    const rvParam = q.get('resourceVersion');
    if (rvParam !== null && rvParam !== '') throw badRequest('specifying resource version is not allowed when using continue');
    const token = decode(cont);
    const after = token.start.replace(/\u0000$/, '');
    if (token.rv < tokens.compactedRv) {
      const body = statusBody(410, 'Expired', TOO_OLD);
      // the answer carries a token to go on with anyway, at the current resourceVersion
      throw new StatusError({ ...body, metadata: { continue: encode(currentRv, after) } });
    }
    rv = token.rv;
    rest = objs.filter((o) => keyOf(o) > after);
  }
  if (limit <= 0 || rest.length <= limit) {
    return { items: rest, resourceVersion: String(rv), continue: undefined, remainingItemCount: undefined };
  }
  const items = rest.slice(0, limit);
  return {
    items,
    resourceVersion: String(rv),
    continue: encode(rv, keyOf(items[items.length - 1]!)),
    remainingItemCount: filtered ? undefined : rest.length - limit,
  };
}
