/**
 * Lists in pages, as client-go's ListWatch pager does: `limit=500` a page, the next asked with
 * the server's `continue` token, so that neither side holds a whole large list at once (a
 * namespace of 5,000 pods is 15 MB of JSON). Every page is of the list's one resourceVersion,
 * the first page's. When the token has expired between two pages (410, etcd compacted it),
 * the list is asked again whole, without a limit, as client-go falls back to: that one cannot
 * expire, and the caller hears `restart` first. A 429 (API Priority and Fairness) is waited out
 * as its Retry-After says, and the same page asked again.
 */
import { Backoff, sleep } from '../common/backoff.js';
import type { ApiRequest, ObjectList } from './api.js';
import { isApiError, isGone } from './errors.js';
import type { RequestOptions, Transport } from './transport.js';

/** client-go's page size (pager.defaultPageSize) */
const PAGE_SIZE = 500;

export interface PageSink<T> {
  /** one page's items, in the server's order */
  page(items: readonly T[]): void;
  /** the pages so far are void: the whole list follows again */
  restart(): void;
  /** the server asks to wait (429): `waitMs`, with its error */
  throttled(waitMs: number, error: unknown): void;
}

/** Lists `req` page by page into `sink`; resolves with the list's resourceVersion. */
export async function listInPages<T>(
  transport: Transport,
  req: ApiRequest<ObjectList<T>>,
  options: RequestOptions & { readonly signal: AbortSignal },
  sink: PageSink<T>,
): Promise<string> {
  const backoff = new Backoff();
  let token = '';
  let whole = false;
  let resourceVersion: string | undefined;
  for (;;) {
    const query = whole ? req.query : { ...req.query, limit: PAGE_SIZE, continue: token || undefined };
    let list: ObjectList<T> & { metadata?: { continue?: string } };
    try {
      list = await transport.json({ ...req, query }, options);
    } catch (err) {
      if (isGone(err) && token !== '') {
        // the continue token expired between two pages: the whole list, in one answer
        sink.restart();
        whole = true;
        token = '';
        resourceVersion = undefined;
        continue;
      }
      if (!isApiError(err, 429)) throw err;
      const wait = err.retryAfterMs ?? backoff.take();
      sink.throttled(wait, err);
      await sleep(wait, options.signal);
      if (options.signal.aborted) throw err;
      continue;
    }
    backoff.reset();
    resourceVersion ??= list.metadata?.resourceVersion ?? '';
    sink.page(list.items ?? []);
    token = list.metadata?.continue ?? '';
    if (whole || token === '') return resourceVersion;
  }
}
