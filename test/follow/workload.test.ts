import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ClusterError } from '../../src/common/errors.js';
import type { WorkloadRef } from '../../src/follow/query.js';
import { toQueryString, type ApiRequest } from '../../src/kube/api.js';
import { ApiError } from '../../src/kube/errors.js';
import type { Transport } from '../../src/kube/transport.js';
import type { PodEvent } from '../../src/follow/watch.js';
import { CronJobGate, podSelectorOf, resolveWorkload } from '../../src/follow/workload.js';

describe('podSelectorOf', () => {
  it.each<[WorkloadRef, unknown, { labelSelector?: string; fieldSelector?: string }]>([
    [{ kind: 'pod', name: 'web-1' }, {}, { fieldSelector: 'metadata.name=web-1' }],
    [{ kind: 'deployment', name: 'web' }, { spec: { selector: { matchLabels: { app: 'web' } } } }, { labelSelector: 'app=web' }],
    [
      { kind: 'statefulset', name: 'db' },
      {
        spec: {
          selector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'role', operator: 'In', values: ['primary', 'replica'] }] },
        },
      },
      { labelSelector: 'app=db,role in (primary,replica)' },
    ],
    [{ kind: 'daemonset', name: 'agent' }, { spec: { selector: { matchLabels: { app: 'agent' } } } }, { labelSelector: 'app=agent' }],
    [
      { kind: 'replicaset', name: 'web-7d9' },
      { spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9' } } } },
      { labelSelector: 'app=web,pod-template-hash=7d9' },
    ],
    [
      { kind: 'job', name: 'migrate' },
      { spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } } },
      { labelSelector: 'batch.kubernetes.io/controller-uid=u1' },
    ],
    [{ kind: 'cronjob', name: 'nightly' }, { spec: {} }, { labelSelector: 'job-name' }],
    [{ kind: 'service', name: 'www' }, { spec: { selector: { tier: 'web', app: 'shop' } } }, { labelSelector: 'app=shop,tier=web' }],
    [{ kind: 'replicationcontroller', name: 'legacy' }, { spec: { selector: { app: 'legacy' } } }, { labelSelector: 'app=legacy' }],
  ])('%j', (ref, obj, expected) => {
    expect(podSelectorOf(ref, obj as never)).toEqual(expected);
  });

  it.each<[WorkloadRef, unknown, string]>([
    [
      { kind: 'service', name: 'ext' },
      { spec: { type: 'ExternalName' } },
      'service "ext" has no selector, so it selects no pods — name its pods another way (-l, or a pod query)',
    ],
    [
      { kind: 'deployment', name: 'odd' },
      { spec: { selector: {} } },
      'deployment "odd" has an empty selector — name its pods another way (-l, or a pod query)',
    ],
  ])('%j without a selector is an error (exit 1)', (ref, obj, message) => {
    expect(() => podSelectorOf(ref, obj as never)).toThrow(new ClusterError(message));
  });
});

/** A Transport that answers json() from a table of paths. */
function fakeTransport(answers: Record<string, unknown>, seen: string[] = []): Transport {
  return {
    json: (req: ApiRequest) => {
      const key = `${req.path}${toQueryString(req.query)}`;
      seen.push(key);
      const a = answers[key];
      if (a === undefined) return Promise.reject(new ApiError(404, 'NotFound', `${key} not found`));
      if (a instanceof Error) return Promise.reject(a);
      return Promise.resolve(JSON.parse(JSON.stringify(a)));
    },
  } as unknown as Transport;
}

describe('resolveWorkload', () => {
  const dep = (ns: string) => ({
    metadata: { name: 'web', namespace: ns, uid: `u-${ns}` },
    spec: { selector: { matchLabels: { app: 'web' } } },
  });
  const base = { labelSelector: 'track=stable', fieldSelector: 'spec.nodeName=n1' };

  it('one scope per namespace where it exists, the user selectors added; a warning for the others', async () => {
    const warnings: string[] = [];
    const t = fakeTransport({
      '/apis/apps/v1/namespaces/a/deployments/web': dep('a'),
      '/apis/apps/v1/namespaces/c/deployments/web': dep('c'),
    });
    const scopes = await resolveWorkload(t, { kind: 'deployment', name: 'web' }, ['a', 'b', 'c'], base, (m) => warnings.push(m));
    expect(scopes.map(({ namespace, labelSelector, fieldSelector, gate }) => ({ namespace, labelSelector, fieldSelector, gate }))).toEqual([
      { namespace: 'a', labelSelector: 'app=web,track=stable', fieldSelector: 'spec.nodeName=n1', gate: undefined },
      { namespace: 'c', labelSelector: 'app=web,track=stable', fieldSelector: 'spec.nodeName=n1', gate: undefined },
    ]);
    expect(warnings).toEqual(['deployment "web" not found in namespace "b"; following it where it exists']);
  });

  it('all namespaces: a list by name, one scope per namespace found', async () => {
    const seen: string[] = [];
    const t = fakeTransport(
      {
        '/api/v1/services?fieldSelector=metadata.name%3Dweb&limit=500': {
          items: [
            { metadata: { name: 'web', namespace: 'x' }, spec: { selector: { app: 'web' } } },
            { metadata: { name: 'web', namespace: 'y' }, spec: { selector: { app: 'web2' } } },
          ],
        },
      },
      seen,
    );
    const scopes = await resolveWorkload(
      t,
      { kind: 'service', name: 'web' },
      [undefined],
      { labelSelector: undefined, fieldSelector: undefined },
      () => {},
    );
    expect(scopes.map((s) => [s.namespace, s.labelSelector])).toEqual([
      ['x', 'app=web'],
      ['y', 'app=web2'],
    ]);
  });

  it.each<[(string | undefined)[], string]>([
    [['shop'], 'deployment "web" not found in namespace "shop"'],
    [['a', 'b'], 'deployment "web" not found in namespaces "a", "b"'],
  ])('not found anywhere in %j: %s', async (namespaces, message) => {
    const err = await resolveWorkload(fakeTransport({}), { kind: 'deployment', name: 'web' }, namespaces, base, () => {}).catch(
      (e: unknown) => e,
    );
    expect(err).toEqual(new ClusterError(message));
  });

  it('not found in any namespace', async () => {
    const t = fakeTransport({ '/apis/batch/v1/jobs?fieldSelector=metadata.name%3Dweb&limit=500': { items: [] } });
    const err = await resolveWorkload(t, { kind: 'job', name: 'web' }, [undefined], base, () => {}).catch((e: unknown) => e);
    expect(err).toEqual(new ClusterError('job "web" not found in any namespace'));
  });

  it('forbidden names what could not be read', async () => {
    const t = fakeTransport({
      '/apis/apps/v1/namespaces/pay/statefulsets/db': new ApiError(
        403,
        'Forbidden',
        'statefulsets.apps "db" is forbidden: User "dev" cannot get resource "statefulsets"',
      ),
    });
    const err = await resolveWorkload(t, { kind: 'statefulset', name: 'db' }, ['pay'], base, () => {}).catch((e: unknown) => e);
    expect(err).toEqual(new ClusterError('forbidden: cannot get statefulsets in namespace "pay" as user "dev"'));
  });
});

describe('CronJobGate', () => {
  const jobPod = (name: string, job: string, jobUid: string): V1Pod =>
    ({ metadata: { name, namespace: 'shop', ownerReferences: [{ kind: 'Job', name: job, uid: jobUid }] } }) as V1Pod;
  const job = (name: string, uid: string, owner?: string) => ({
    metadata: { name, uid, ...(owner ? { ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: owner }] } : {}) },
  });

  it('admits the pods of jobs the cronjob owns, in order, looking each job up once', async () => {
    const seen: string[] = [];
    const t = fakeTransport(
      {
        '/apis/batch/v1/namespaces/shop/jobs/nightly-1': job('nightly-1', 'j1', 'cj'),
        '/apis/batch/v1/namespaces/shop/jobs/nightly-manual': job('nightly-manual', 'j2', 'cj'), // kubectl create job --from=cronjob/…
        '/apis/batch/v1/namespaces/shop/jobs/other': job('other', 'j3'),
      },
      seen,
    );
    const gate = new CronJobGate(t, 'shop', 'nightly', 'cj');
    const passed: string[] = [];
    const on = gate.wrap((e: PodEvent) => passed.push(`${e.kind} ${e.pod.metadata!.name}`));
    on({ kind: 'upsert', pod: jobPod('a', 'nightly-1', 'j1'), initial: true });
    on({ kind: 'upsert', pod: jobPod('b', 'other', 'j3'), initial: true });
    on({ kind: 'upsert', pod: jobPod('a', 'nightly-1', 'j1'), initial: false });
    on({ kind: 'upsert', pod: jobPod('c', 'nightly-manual', 'j2'), initial: false });
    on({ kind: 'upsert', pod: { metadata: { name: 'no-owner' } }, initial: false });
    on({ kind: 'delete', pod: jobPod('a', 'nightly-1', 'j1') });
    await gate.settled();
    expect(passed).toEqual(['upsert a', 'upsert a', 'upsert c', 'delete a']);
    // known jobs are decided at once, without waiting
    on({ kind: 'upsert', pod: jobPod('d', 'nightly-1', 'j1'), initial: false });
    expect(passed.at(-1)).toBe('upsert d');
    expect(seen.filter((s) => s.includes('/jobs/')).sort()).toEqual([
      '/apis/batch/v1/namespaces/shop/jobs/nightly-1',
      '/apis/batch/v1/namespaces/shop/jobs/nightly-manual',
      '/apis/batch/v1/namespaces/shop/jobs/other',
    ]);
  });

  it("when a job cannot be read, the CronJob controller's naming decides", async () => {
    const gate = new CronJobGate(fakeTransport({}), 'shop', 'nightly', 'cj');
    const passed: string[] = [];
    const on = gate.wrap((e: PodEvent) => passed.push(e.pod.metadata!.name!));
    on({ kind: 'upsert', pod: jobPod('a', 'nightly-29405520', 'j1'), initial: false });
    on({ kind: 'upsert', pod: jobPod('b', 'nightly-manual', 'j2'), initial: false });
    on({ kind: 'upsert', pod: jobPod('c', 'nightlyx-29405520', 'j3'), initial: false });
    await gate.settled();
    expect(passed).toEqual(['a']);
  });
});
