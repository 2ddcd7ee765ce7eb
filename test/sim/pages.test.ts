/** Paginated lists as kube-apiserver serves them: limit, continue, remainingItemCount, 410 on an expired token. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SimCluster } from '../../src/sim/index.js';
import { get } from './helpers.js';

let sim: SimCluster;
beforeEach(async () => {
  sim = await SimCluster.start({ namespaces: ['big'] });
  for (let i = 0; i < 7; i++)
    sim.createPod({ namespace: 'big', name: `p-${i}`, labels: { odd: String(i % 2) }, containers: [{ name: 'c' }] });
});
afterEach(() => sim.close());

const names = (r: { json: any }): string[] => r.json.items.map((i: any) => i.metadata.name);

it('limit and continue walk the list in pages under the first page’s resourceVersion, remainingItemCount without selectors', async () => {
  const first = await get(sim, '/api/v1/namespaces/big/pods?limit=3');
  expect(names(first)).toEqual(['p-0', 'p-1', 'p-2']);
  const rv = first.json.metadata.resourceVersion;
  expect(first.json.metadata.remainingItemCount).toBe(4);
  const token = first.json.metadata.continue as string;
  // the real server's token: base64 of {"v","rv","start"}
  expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: Number(rv), start: 'big/p-2\u0000' });
  sim.createPod({ namespace: 'big', name: 'p-9', containers: [{ name: 'c' }] });
  const second = await get(sim, `/api/v1/namespaces/big/pods?limit=3&continue=${token}`);
  expect(names(second)).toEqual(['p-3', 'p-4', 'p-5']);
  expect(second.json.metadata.resourceVersion).toBe(rv);
  const third = await get(sim, `/api/v1/namespaces/big/pods?limit=3&continue=${second.json.metadata.continue}`);
  expect(names(third)).toEqual(['p-6', 'p-9']);
  expect(third.json.metadata.continue).toBeUndefined();
  expect(third.json.metadata.remainingItemCount).toBeUndefined();
});

it('with a selector, pages of matching items and no remainingItemCount; no limit: everything at once', async () => {
  const first = await get(sim, '/api/v1/namespaces/big/pods?limit=2&labelSelector=odd%3D0');
  expect(names(first)).toEqual(['p-0', 'p-2']);
  expect(first.json.metadata.remainingItemCount).toBeUndefined();
  const next = await get(sim, `/api/v1/namespaces/big/pods?limit=2&labelSelector=odd%3D0&continue=${first.json.metadata.continue}`);
  expect(names(next)).toEqual(['p-4', 'p-6']);
  expect(names(await get(sim, '/api/v1/namespaces/big/pods'))).toHaveLength(7);
});

it('expireContinueTokens: the next page is 410 Expired "too old", with a token to go on anyway; a new list works', async () => {
  const first = await get(sim, '/api/v1/namespaces/big/pods?limit=3');
  sim.expireContinueTokens();
  const gone = await get(sim, `/api/v1/namespaces/big/pods?limit=3&continue=${first.json.metadata.continue}`);
  expect(gone.status).toBe(410);
  expect(gone.json).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  expect(gone.json.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
  expect(typeof gone.json.metadata.continue).toBe('string');
  const again = await get(sim, '/api/v1/namespaces/big/pods?limit=3');
  const next = await get(sim, `/api/v1/namespaces/big/pods?limit=3&continue=${again.json.metadata.continue}`);
  expect(names(next)).toEqual(['p-3', 'p-4', 'p-5']);
});

it.each([
  ['garbage', 'continue=%%%', 400, /^continue key is not valid/],
  [
    'with a resourceVersion',
    'continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4XHUwMDAwIn0&resourceVersion=5',
    400,
    /not allowed when using continue/,
  ],
])('a continue token %s is a 400', async (_what, q, code, message) => {
  const r = await get(sim, `/api/v1/namespaces/big/pods?limit=3&${q}`);
  expect(r.status).toBe(code);
  expect(r.json.message).toMatch(message);
});

it('Tables (kubectl get --chunk-size) carry the continue token too', async () => {
  const r = await get(sim, '/api/v1/namespaces/big/pods?limit=4', { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
  expect(r.json.kind).toBe('Table');
  expect(r.json.rows).toHaveLength(4);
  expect(typeof r.json.metadata.continue).toBe('string');
});
