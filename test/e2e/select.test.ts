/** Issue 5, selection: KIND/NAME, --node, --container-state, init and ephemeral containers. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/index.js';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop', 'nodes', 'states'] });
});

const noFollow = (...args: string[]) => runKtail(['--kubeconfig', fx.kubeconfig, ...args, '--no-follow']);
const sorted = (stdout: string): string[] => stdout.split('\n').filter(Boolean).sort();

/** Writes "hello from POD" in every container of the given pods. */
function greet(sim: SimCluster, namespace: string, pods: readonly { name: string }[], container: string): string[] {
  for (const p of pods) sim.writeLines({ namespace, pod: p.name, container }, [`hello from ${p.name}`]);
  return pods.map((p) => `${p.name} ${container} hello from ${p.name}`).sort();
}

describe('KIND/NAME', () => {
  it('deployment/NAME follows its pods, and the new ones of a rollout from their first line', async () => {
    const dep = fx.sim.createDeployment({ namespace: 'shop', name: 'checkout', replicas: 2, containers: [{ name: 'app' }] });
    // same name prefix, other labels; and the same labels in another namespace: neither is followed
    fx.sim.createPod({ namespace: 'shop', name: 'checkout-decoy', labels: { app: 'other' }, containers: [{ name: 'app' }] });
    fx.sim.createPod({ namespace: 'default', name: 'checkout-elsewhere', labels: { app: 'checkout' }, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'checkout-decoy', container: 'app' }, ['decoy']);
    fx.sim.writeLines({ namespace: 'default', pod: 'checkout-elsewhere', container: 'app' }, ['elsewhere']);
    const before = greet(fx.sim, 'shop', dep.pods, 'app');

    const k = ktail(fx, ['deployment/checkout', '-n', 'shop']);
    await k.waitFor((x) => before.every((l) => x.lines.includes(l)), 'the first pods');
    const rollout = await fx.sim.rolloutDeployment('shop', 'checkout', { graceMs: 100 });
    const after = greet(fx.sim, 'shop', rollout.pods, 'app');
    await k.waitFor((x) => after.every((l) => x.lines.includes(l)), 'the new pods');
    await k.waitFor((x) => dep.pods.every((p) => x.stderr.includes(`- ${p.name} › app (`)), 'the old pods ended');
    for (const p of rollout.pods) fx.sim.writeLines({ namespace: 'shop', pod: p.name, container: 'app' }, ['still here']);
    await k.waitFor((x) => rollout.pods.every((p) => x.lines.includes(`${p.name} app still here`)), 'more lines');
    await k.stop();
    expect(k.lines.sort()).toEqual([...before, ...after, ...rollout.pods.map((p) => `${p.name} app still here`)].sort());
    expect(k.stderr).not.toMatch(/decoy|elsewhere/);
  });

  /** Each kind (and its short name) resolves to exactly its pods. */
  it.each<[string, (sim: SimCluster) => { query: string[]; pods: { name: string }[]; container: string }]>([
    [
      'pod',
      (sim) => {
        sim.createPod({ namespace: 'shop', name: 'solo', containers: [{ name: 'app' }] });
        sim.createPod({ namespace: 'shop', name: 'solo-2', containers: [{ name: 'app' }] });
        return { query: ['pod/solo', 'po/solo', 'pods/solo'], pods: [{ name: 'solo' }], container: 'app' };
      },
    ],
    [
      'deployment',
      (sim) => {
        const r = sim.createDeployment({ namespace: 'shop', name: 'cart', replicas: 2 });
        return { query: ['deployment/cart', 'deploy/cart', 'deployments.apps/cart'], pods: r.pods, container: 'cart' };
      },
    ],
    [
      'statefulset',
      (sim) => {
        const r = sim.createStatefulSet({ namespace: 'shop', name: 'db', replicas: 2 });
        return { query: ['statefulset/db', 'sts/db'], pods: r.pods, container: 'db' };
      },
    ],
    [
      'daemonset',
      (sim) => {
        const r = sim.createDaemonSet({ namespace: 'shop', name: 'agent' });
        expect(r.pods).toHaveLength(2); // one per node
        return { query: ['daemonset/agent', 'ds/agent'], pods: r.pods, container: 'agent' };
      },
    ],
    [
      'replicaset',
      (sim) => {
        const r = sim.createDeployment({ namespace: 'shop', name: 'search', replicas: 2 });
        return { query: [`replicaset/${r.child!.name}`, `rs/${r.child!.name}`], pods: r.pods, container: 'search' };
      },
    ],
    [
      'job',
      (sim) => {
        const r = sim.createJob({ namespace: 'shop', name: 'migrate' });
        sim.createJob({ namespace: 'shop', name: 'migrate-other' });
        return { query: ['job/migrate', 'jobs/migrate'], pods: r.pods, container: 'migrate' };
      },
    ],
    [
      'cronjob',
      (sim) => {
        sim.createCronJob({ namespace: 'shop', name: 'report' });
        const r = sim.triggerCronJob('shop', 'report');
        sim.createJob({ namespace: 'shop', name: 'report-manual', labels: { app: 'report' } });
        return { query: ['cronjob/report', 'cj/report'], pods: r.pods, container: 'report' };
      },
    ],
    [
      'service',
      (sim) => {
        const r = sim.createDeployment({ namespace: 'shop', name: 'frontend', replicas: 2, labels: { app: 'frontend', tier: 'web' } });
        sim.createDeployment({ namespace: 'shop', name: 'frontend-admin', labels: { app: 'frontend-admin', tier: 'web' } });
        sim.createService({ namespace: 'shop', name: 'www', selector: { app: 'frontend' } });
        return { query: ['service/www', 'svc/www'], pods: r.pods, container: 'frontend' };
      },
    ],
    [
      'replicationcontroller',
      (sim) => {
        const r = sim.createReplicationController({ namespace: 'shop', name: 'legacy', replicas: 2 });
        return { query: ['replicationcontroller/legacy', 'rc/legacy'], pods: r.pods, container: 'legacy' };
      },
    ],
  ])('%s', async (_kind, setup) => {
    const { query, pods, container } = setup(fx.sim);
    // every pod in the namespace says hello; only the workload's must be printed
    for (const p of fx.sim.listPods('shop')) {
      const spec = p.spec as { containers: { name: string }[] };
      for (const c of spec.containers) {
        try {
          fx.sim.writeLines({ namespace: 'shop', pod: p.metadata.name, container: c.name }, [`hello from ${p.metadata.name}`]);
        } catch {
          // not running (an ended pod of an earlier test)
        }
      }
    }
    const expected = pods.map((p) => `${p.name} ${container} hello from ${p.name}`).sort();
    for (const q of query) {
      const r = await noFollow(q, '-n', 'shop');
      expect({ q, code: r.code, stderr: r.stderr }).toEqual({ q, code: 0, stderr: '' });
      expect(sorted(r.stdout)).toEqual(expected);
    }
  });

  it('cronjob/NAME follows the jobs it creates later, not other jobs', async () => {
    fx.sim.createCronJob({ namespace: 'shop', name: 'nightly' });
    const first = fx.sim.triggerCronJob('shop', 'nightly');
    fx.sim.writeLines({ namespace: 'shop', pod: first.pods[0]!.name, container: 'nightly' }, ['run 1']);
    const k = ktail(fx, ['cj/nightly', '-n', 'shop']);
    await k.waitFor((x) => x.lines.includes(`${first.pods[0]!.name} nightly run 1`), 'the first run');
    const second = fx.sim.triggerCronJob('shop', 'nightly');
    fx.sim.writeLines({ namespace: 'shop', pod: second.pods[0]!.name, container: 'nightly' }, ['run 2, line 1', 'run 2, line 2']);
    // a job of the same name prefix, not owned by the cronjob
    const other = fx.sim.createJob({ namespace: 'shop', name: 'nightly-manual', labels: { app: 'nightly' } });
    fx.sim.writeLines({ namespace: 'shop', pod: other.pods[0]!.name, container: 'nightly-manual' }, ['not mine']);
    await k.waitFor((x) => x.lines.includes(`${second.pods[0]!.name} nightly run 2, line 2`), 'the second run');
    await sleep(300);
    await k.stop();
    expect(k.lines).toEqual([
      `${first.pods[0]!.name} nightly run 1`,
      `${second.pods[0]!.name} nightly run 2, line 1`,
      `${second.pods[0]!.name} nightly run 2, line 2`,
    ]);
  });

  it('-A finds the workload in whichever namespace it is', async () => {
    const r = fx.sim.createStatefulSet({ namespace: 'far', name: 'anywhere' });
    fx.sim.writeLines({ namespace: 'far', pod: r.pods[0]!.name, container: 'anywhere' }, ['here']);
    const out = await noFollow('sts/anywhere', '-A');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`far ${r.pods[0]!.name} anywhere here\n`);
  });

  it('ingress/NAME follows the pods behind the services its rules and default backend name (as kail --ing)', async () => {
    const web = fx.sim.createDeployment({ namespace: 'edge', name: 'storefront', replicas: 2, labels: { app: 'storefront' } });
    const api = fx.sim.createDeployment({ namespace: 'edge', name: 'api', replicas: 1, labels: { app: 'api' } });
    const other = fx.sim.createDeployment({ namespace: 'edge', name: 'batch', replicas: 1, labels: { app: 'batch' } });
    fx.sim.createService({ namespace: 'edge', name: 'storefront', selector: { app: 'storefront' } });
    fx.sim.createService({ namespace: 'edge', name: 'api', selector: { app: 'api' } });
    fx.sim.createService({ namespace: 'edge', name: 'batch', selector: { app: 'batch' } });
    fx.sim.createIngress({
      namespace: 'edge',
      name: 'shop',
      defaultBackend: 'storefront',
      rules: [
        {
          host: 'shop.example',
          paths: [
            { path: '/', service: 'storefront' },
            { path: '/api', service: 'api' },
          ],
        },
        { host: 'old.example', paths: [{ path: '/', service: 'retired' }] },
      ],
    });
    const expected = [...greet(fx.sim, 'edge', web.pods, 'storefront'), ...greet(fx.sim, 'edge', api.pods, 'api')].sort();
    greet(fx.sim, 'edge', other.pods, 'batch');
    for (const query of ['ingress/shop', 'ing/shop', 'ingresses.networking.k8s.io/shop']) {
      const out = await noFollow(query, '-n', 'edge');
      expect(out.code).toBe(0);
      expect(sorted(out.stdout)).toEqual(expected);
      expect(out.stderr).toBe('ktail: ingress "shop": its backend service "retired" is not found in namespace "edge"\n');
    }
  });

  it.each([
    [
      ['foo/web'],
      2,
      /^ktail: unknown kind "foo" in "foo\/web": expected KIND\/NAME with KIND one of pod \(po\), deployment \(deploy\), statefulset \(sts\), daemonset \(ds\), replicaset \(rs\), job, cronjob \(cj\), service \(svc\), replicationcontroller \(rc\), ingress \(ing\)\n$/,
    ],
    [['deploy/'], 2, /^ktail: missing name in "deploy\/"/],
    [['deployment/nope', '-n', 'shop'], 1, /^ktail: deployment "nope" not found in namespace "shop"\n$/],
    [['svc/nope'], 1, /^ktail: service "nope" not found in namespace "default"\n$/],
    [['sts/nope', '-n', 'shop,nodes'], 1, /^ktail: statefulset "nope" not found in namespaces "shop", "nodes"\n$/],
    [['job/nope', '-A'], 1, /^ktail: job "nope" not found in any namespace\n$/],
    [['ing/nope', '-n', 'shop'], 1, /^ktail: ingress "nope" not found in namespace "shop"\n$/],
    [
      ['ingress/empty', '-n', 'edge'],
      1,
      /^ktail: ingress "empty" in namespace "edge" names no backend service, so it has no pods to follow\n$/,
    ],
    [['ingress/dangling', '-n', 'edge'], 1, /ktail: ingress "dangling": none of its backend services \(gone\) selects pods\n$/],
  ])('%j exits %i with one line', async (args, code, message) => {
    fx.sim.createIngress({ namespace: 'edge', name: 'empty' });
    fx.sim.createIngress({ namespace: 'edge', name: 'dangling', defaultBackend: 'gone' });
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });
});

describe('--exclude-namespace', () => {
  it('-A --exclude-namespace: pods in matching namespaces are not followed; repeatable; none excluded by default', async () => {
    for (const namespace of ['kube-system', 'kube-public', 'shop', 'monitoring']) {
      fx.sim.createPod({ namespace, name: `nsx-${namespace}`, containers: [{ name: 'c' }] });
      fx.sim.writeLines({ namespace, pod: `nsx-${namespace}`, container: 'c' }, ['up']);
    }
    const all = await noFollow('^nsx-', '-A');
    expect(sorted(all.stdout)).toEqual([
      'kube-public nsx-kube-public c up',
      'kube-system nsx-kube-system c up',
      'monitoring nsx-monitoring c up',
      'shop nsx-shop c up',
    ]);
    const out = await noFollow('^nsx-', '-A', '--exclude-namespace', '^kube-', '--exclude-namespace', 'monitor');
    expect(out.code).toBe(0);
    expect(sorted(out.stdout)).toEqual(['shop nsx-shop c up']);
    const listed = await noFollow('^nsx-', '-n', 'shop,kube-system', '--exclude-namespace', '^kube-system$');
    expect(sorted(listed.stdout)).toEqual(['shop nsx-shop c up']);
  });

  it('a bad regex is a usage error, exit 2', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', '--exclude-namespace', 'kube(']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ktail: invalid --exclude-namespace regex "kube\(": .+\n$/);
  });
});

describe('--node', () => {
  it('only pods on that node; the query may be left out', async () => {
    fx.sim.createPod({ namespace: 'nodes', name: 'on-one', nodeName: 'sim-node-1', containers: [{ name: 'app' }] });
    fx.sim.createPod({ namespace: 'nodes', name: 'on-two', nodeName: 'sim-node-2', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'nodes', pod: 'on-one', container: 'app' }, ['one']);
    fx.sim.writeLines({ namespace: 'nodes', pod: 'on-two', container: 'app' }, ['two']);
    const a = await noFollow('^on-', '-n', 'nodes', '--node', 'sim-node-2');
    expect([a.code, a.stdout]).toEqual([0, 'on-two app two\n']);
    const b = await noFollow('-n', 'nodes', '--node', 'sim-node-1');
    expect([b.code, b.stdout]).toEqual([0, 'on-one app one\n']);
  });
});

describe('--container-state', () => {
  beforeAll(() => {
    fx.sim.createPod({
      namespace: 'states',
      name: 'mixed',
      containers: [{ name: 'run' }, { name: 'done' }, { name: 'crash' }, { name: 'never' }],
    });
    const ref = (container: string) => ({ namespace: 'states', pod: 'mixed', container });
    fx.sim.writeLines(ref('run'), ['r']);
    fx.sim.writeLines(ref('done'), ['d']);
    fx.sim.terminateContainer(ref('done'), { exitCode: 0 });
    fx.sim.writeLines(ref('crash'), ['c']);
    fx.sim.setContainerState(ref('crash'), {
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=crash' },
    });
    fx.sim.setContainerState(ref('never'), { waiting: { reason: 'ImagePullBackOff' } });
  });

  it.each<[string[], string[]]>([
    [[], ['crash c', 'done d', 'run r']],
    [
      ['--container-state', 'all'],
      ['crash c', 'done d', 'run r'],
    ],
    [['--container-state', 'running'], ['run r']],
    [['--container-state', 'terminated'], ['done d']],
    [['--container-state', 'waiting'], ['crash c']],
    [
      ['--container-state', 'running,terminated'],
      ['done d', 'run r'],
    ],
    [
      ['--container-state', 'running', '--container-state', 'waiting'],
      ['crash c', 'run r'],
    ],
  ])('%j', async (flags, expected) => {
    const r = await noFollow('^mixed$', '-n', 'states', ...flags);
    expect(r.code).toBe(0);
    expect(sorted(r.stdout)).toEqual(expected.map((l) => `mixed ${l}`));
  });

  it('a state it does not know is a command-line error', async () => {
    const r = await noFollow('^mixed$', '-n', 'states', '--container-state', 'sleeping');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktail: invalid value "sleeping" for --container-state: expected one of running, waiting, terminated, all\n');
  });

  it('following: a container that starts running later is followed then', async () => {
    fx.sim.createPod({ namespace: 'states', name: 'later', containers: [{ name: 'app', state: 'waiting' }, { name: 'side' }] });
    fx.sim.writeLines({ namespace: 'states', pod: 'later', container: 'side' }, ['side line']);
    fx.sim.terminateContainer({ namespace: 'states', pod: 'later', container: 'side' }, { exitCode: 0 });
    const k = ktail(fx, ['^later$', '-n', 'states', '--container-state', 'running']);
    await k.waitFor((x) => x.stderr.includes('nothing matches'), 'nothing running yet', 5000);
    fx.sim.startContainer({ namespace: 'states', pod: 'later', container: 'app' });
    fx.sim.writeLines({ namespace: 'states', pod: 'later', container: 'app' }, ['up']);
    await k.waitFor((x) => x.lines.includes('later app up'), 'the running container');
    await k.stop();
    expect(k.lines).toEqual(['later app up']);
  });
});

describe('init and ephemeral containers', () => {
  it('init containers are followed in order as they run, then the containers', async () => {
    const ns = 'states';
    fx.sim.createPod({
      namespace: ns,
      name: 'booting',
      initContainers: [
        { name: 'init-db', state: 'waiting' },
        { name: 'init-cache', state: 'waiting' },
      ],
      containers: [{ name: 'app', state: 'waiting' }],
    });
    const ref = (container: string) => ({ namespace: ns, pod: 'booting', container });
    const k = ktail(fx, ['^booting$', '-n', ns]);
    for (const c of ['init-db', 'init-cache']) {
      fx.sim.startContainer(ref(c));
      fx.sim.writeLines(ref(c), [`${c} working`, `${c} done`]);
      await k.waitFor((x) => x.lines.includes(`booting ${c} ${c} done`), c);
      fx.sim.terminateContainer(ref(c), { exitCode: 0 });
      await k.waitFor((x) => x.stderr.includes(`- booting › ${c} (terminated: Completed, exit 0)`), `${c} ended`);
    }
    fx.sim.startContainer(ref('app'));
    fx.sim.writeLines(ref('app'), ['serving']);
    await k.waitFor((x) => x.lines.includes('booting app serving'), 'the app');
    await k.stop();
    expect(k.lines).toEqual([
      'booting init-db init-db working',
      'booting init-db init-db done',
      'booting init-cache init-cache working',
      'booting init-cache init-cache done',
      'booting app serving',
    ]);
    const notices = k.stderr.split('\n').filter((l) => /^[+-] /.test(l));
    expect(notices).toEqual([
      '+ booting › init-db',
      '- booting › init-db (terminated: Completed, exit 0)',
      '+ booting › init-cache',
      '- booting › init-cache (terminated: Completed, exit 0)',
      '+ booting › app',
    ]);
  });

  it.each<[string[], string[]]>([
    [[], ['app a', 'debugger e', 'setup i']],
    [
      ['--init-containers', '--ephemeral-containers'],
      ['app a', 'debugger e', 'setup i'],
    ],
    [['--no-init-containers'], ['app a', 'debugger e']],
    [['--no-ephemeral-containers'], ['app a', 'setup i']],
    [['--no-init-containers', '--no-ephemeral-containers'], ['app a']],
  ])('%j', async (flags, expected) => {
    if (!fx.sim.getPod('states', 'kinds')) {
      fx.sim.createPod({
        namespace: 'states',
        name: 'kinds',
        initContainers: [{ name: 'setup', state: 'waiting' }],
        containers: [{ name: 'app', state: 'waiting' }],
        ephemeralContainers: [{ name: 'debugger' }],
      });
      const ref = (container: string) => ({ namespace: 'states', pod: 'kinds', container });
      fx.sim.startContainer(ref('setup'));
      fx.sim.writeLines(ref('setup'), ['i']);
      fx.sim.terminateContainer(ref('setup'), { exitCode: 0 });
      fx.sim.startContainer(ref('app'));
      fx.sim.writeLines(ref('app'), ['a']);
      fx.sim.writeLines(ref('debugger'), ['e']);
    }
    const r = await noFollow('^kinds$', '-n', 'states', ...flags);
    expect(r.code).toBe(0);
    expect(sorted(r.stdout)).toEqual(expected.map((l) => `kinds ${l}`));
  });
});
