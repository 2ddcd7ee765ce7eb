/**
 * Issue 5, several clusters: two simulated clusters as two contexts; one goes down while the other
 * keeps flowing; a context down at start; KUBECONFIG=a:b merged as kubectl merges it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/index.js';
import { fileSim } from '../helpers/sim.js';
import { Ktail, runKtail } from '../helpers/spawn.js';
import { sleep } from '../helpers/wait.js';

let east: SimCluster;
let west: SimCluster;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  const [e, w] = await Promise.all([fileSim(), fileSim()]);
  east = e.sim;
  west = w.sim;
  dir = mkdtempSync(join(tmpdir(), 'ktail-contexts-'));
  kubeconfig = await east.writeKubeconfig(join(dir, 'kubeconfig'), {
    contexts: [
      { name: 'east', server: east.url, token: east.token },
      { name: 'west', server: west.url, token: west.token },
      // port 1 on loopback: nothing listens, connections are refused at once
      { name: 'gone', server: 'https://127.0.0.1:1', token: 'x' },
      { name: 'gone-too', server: 'https://127.0.0.1:1', token: 'y' },
      // the same clusters again, for --context by pattern
      { name: 'prod-east', server: east.url, token: east.token },
      { name: 'prod-west', server: west.url, token: west.token },
      { name: 'prod-gone', server: 'https://127.0.0.1:1', token: 'z' },
    ],
    currentContext: 'east',
  });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const numbered = (tag: string, n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${tag} ${from + i}`);

describe('--context a,b', () => {
  it('each line starts with its context; when one cluster goes down the other keeps flowing, and the lost one comes back without a loss', async () => {
    east.createPod({ name: 'api-e', containers: [{ name: 'app' }] });
    west.createPod({ name: 'api-w', containers: [{ name: 'app' }] });
    const e = { pod: 'api-e', container: 'app' };
    const w = { pod: 'api-w', container: 'app' };
    east.writeLines(e, numbered('e', 10));
    west.writeLines(w, numbered('w', 10));
    const k = new Ktail(['--kubeconfig', kubeconfig, '^api-', '--context', 'east,west']);
    await k.waitFor((x) => x.lines.includes('east api-e app e 9') && x.lines.includes('west api-w app w 9'), 'both clusters');
    expect(k.stderr).toContain('+ east api-e › app');
    expect(k.stderr).toContain('+ west api-w › app');

    // west goes away for 2 s; east keeps flowing meanwhile
    const outage = west.refuseConnections(2000);
    await sleep(100);
    west.writeLines(w, numbered('w', 10, 10)); // written while nobody can read it
    east.writeLines(e, numbered('e', 10, 10));
    await k.waitFor((x) => x.lines.includes('east api-e app e 19'), 'east during the outage', 1500);
    await k.waitFor(
      (x) => /^ktail: context "west": watching pods in namespace "default" failed: .*; retrying in \ds$/m.test(x.stderr),
      'the outage reported',
    );
    expect(k.lines.filter((l) => l.startsWith('west ')).length).toBe(10);
    await outage;

    west.writeLines(w, numbered('w', 10, 20));
    east.writeLines(e, numbered('e', 10, 20));
    await k.waitFor((x) => x.lines.includes('west api-w app w 29') && x.lines.includes('east api-e app e 29'), 'west back', 15_000);
    // the watch and the tail retry on their own jittered backoffs: either may be back first
    await k.waitFor((x) => x.stderr.includes('ktail: context "west": watching pods in namespace "default" again'), 'the watch back', 5000);
    await sleep(300);
    expect(k.stderr).not.toMatch(/context "east"|! east/);
    const exit = await k.stop();
    expect(exit.code).toBe(130);
    expect(k.lines.filter((l) => l.startsWith('west '))).toEqual(numbered('w', 30).map((l) => `west api-w app ${l}`));
    expect(k.lines.filter((l) => l.startsWith('east '))).toEqual(numbered('e', 30).map((l) => `east api-e app ${l}`));
  });

  it('a context down at start is reported and retried; the others are followed meanwhile, and it joins when it answers', async () => {
    east.createPod({ name: 'late-e', containers: [{ name: 'app' }] });
    west.createPod({ name: 'late-w', containers: [{ name: 'app' }] });
    east.writeLines({ pod: 'late-e', container: 'app' }, ['from east']);
    west.writeLines({ pod: 'late-w', container: 'app' }, ['from west, written before ktail started']);
    const outage = west.refuseConnections(1500);
    await sleep(50);
    const k = new Ktail(['--kubeconfig', kubeconfig, '^late-', '--context', 'east', '--context', 'west']);
    await k.waitFor((x) => x.lines.includes('east late-e app from east'), 'east');
    expect(k.stderr).toMatch(
      new RegExp(
        `^ktail: context "west": cannot reach ${west.url.replace(/[.]/g, '\\.')} \\(connection refused\\) — check --context; following the other contexts, retrying it in 1s$`,
        'm',
      ),
    );
    await outage;
    await k.waitFor((x) => x.lines.includes('west late-w app from west, written before ktail started'), 'west, once it answers', 10_000);
    expect(k.stderr).toContain('ktail: context "west": reached, following it too');
    await k.stop();
  });

  it('exits 1 when no context can be reached', async () => {
    const r = await runKtail(['--kubeconfig', kubeconfig, 'web', '--context', 'gone,gone-too']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'ktail: no context could be followed: context "gone": cannot reach https://127.0.0.1:1 (connection refused) — check --context; ' +
        'context "gone-too": cannot reach https://127.0.0.1:1 (connection refused) — check --context\n',
    );
  });

  it('--no-follow: prints what the reachable contexts have, warns about the other, exits 1', async () => {
    east.createPod({ name: 'nf-e', containers: [{ name: 'app' }] });
    east.writeLines({ pod: 'nf-e', container: 'app' }, ['hello']);
    const r = await runKtail(['--kubeconfig', kubeconfig, '^nf-', '--context', 'east,gone', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('east nf-e app hello\n');
    expect(r.stderr).toBe(
      'ktail: context "gone": cannot reach https://127.0.0.1:1 (connection refused) — check --context; following the other contexts without it\n',
    );
  });

  it('a workload is resolved in each context', async () => {
    const a = east.createDeployment({ name: 'shared', replicas: 1 });
    const b = west.createDeployment({ name: 'shared', replicas: 1 });
    east.writeLines({ pod: a.pods[0]!.name, container: 'shared' }, ['east says hi']);
    west.writeLines({ pod: b.pods[0]!.name, container: 'shared' }, ['west says hi']);
    const r = await runKtail(['--kubeconfig', kubeconfig, 'deploy/shared', '--context', 'east,west', '--no-follow']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      `east ${a.pods[0]!.name} shared east says hi`,
      `west ${b.pods[0]!.name} shared west says hi`,
    ]);
  });
});

describe('--context by pattern', () => {
  it("a glob follows every matching context, each line carrying its context's name; one that cannot be reached does not stop the others", async () => {
    east.createPod({ name: 'glob-e', containers: [{ name: 'app' }] });
    west.createPod({ name: 'glob-w', containers: [{ name: 'app' }] });
    east.writeLines({ pod: 'glob-e', container: 'app' }, ['e 0']);
    west.writeLines({ pod: 'glob-w', container: 'app' }, ['w 0']);
    const k = new Ktail(['--kubeconfig', kubeconfig, '^glob-', '--context', 'prod-*']);
    await k.waitFor((x) => x.lines.includes('prod-east glob-e app e 0') && x.lines.includes('prod-west glob-w app w 0'), 'both clusters');
    expect(k.stderr).toMatch(
      /^ktail: context "prod-gone": cannot reach https:\/\/127\.0\.0\.1:1 \(connection refused\) — check --context; following the other contexts, retrying it in 1s$/m,
    );
    west.writeLines({ pod: 'glob-w', container: 'app' }, ['w 1']);
    await k.waitFor((x) => x.lines.includes('prod-west glob-w app w 1'), 'more lines');
    await k.stop();
    expect(k.lines.sort()).toEqual(['prod-east glob-e app e 0', 'prod-west glob-w app w 0', 'prod-west glob-w app w 1']);
  });

  it('a /regex/, beside a plain name: the union, each context once', async () => {
    east.createPod({ name: 're-e', containers: [{ name: 'app' }] });
    west.createPod({ name: 're-w', containers: [{ name: 'app' }] });
    east.writeLines({ pod: 're-e', container: 'app' }, ['east']);
    west.writeLines({ pod: 're-w', container: 'app' }, ['west']);
    const r = await runKtail(['--kubeconfig', kubeconfig, '^re-', '--context', '/^prod-(east|west)$/,east', '--no-follow']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'east re-e app east',
      'prod-east re-e app east',
      'prod-west re-w app west',
    ]);
  });

  it('a pattern that matches no context: one line, exit 1', async () => {
    const r = await runKtail(['--kubeconfig', kubeconfig, 'web', '--context', 'qa-*']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      'ktail: no context matches "qa-*" in kubeconfig (contexts: sim, sim-shop, east, west, gone, gone-too, prod-east, prod-west, prod-gone)\n',
    );
  });

  it('a regex that does not parse: one line, exit 2', async () => {
    const r = await runKtail(['--kubeconfig', kubeconfig, 'web', '--context', '/prod-(/']);
    expect([r.code, r.stderr]).toEqual([2, 'ktail: invalid --context regex "prod-(": missing closing )\n']);
  });
});

describe('KUBECONFIG=a:b', () => {
  it("merges as kubectl does: the first file's current-context wins; the second file's contexts can be named", async () => {
    const a = await east.writeKubeconfig(join(dir, 'a'), { currentContext: 'sim' });
    const b = await west.writeKubeconfig(join(dir, 'b'), {
      contexts: [{ name: 'west', server: west.url, token: west.token }],
      currentContext: 'west',
    });
    east.createPod({ name: 'merge-a', containers: [{ name: 'app' }] });
    west.createPod({ name: 'merge-b', containers: [{ name: 'app' }] });
    east.writeLines({ pod: 'merge-a', container: 'app' }, ['from the first file']);
    west.writeLines({ pod: 'merge-b', container: 'app' }, ['from the second file']);
    const run = (kc: string, ...args: string[]) => runKtail(['^merge-', '--no-follow', ...args], { KUBECONFIG: kc });

    const ab = await run(`${a}:${b}`);
    expect([ab.code, ab.stdout, ab.stderr]).toEqual([0, 'merge-a app from the first file\n', '']);
    const ba = await run(`${b}:${a}`);
    expect([ba.code, ba.stdout, ba.stderr]).toEqual([0, 'merge-b app from the second file\n', '']);
    const named = await run(`${a}:${b}`, '--context', 'west');
    expect([named.code, named.stdout, named.stderr]).toEqual([0, 'merge-b app from the second file\n', '']);
    // a file that does not exist is skipped, as kubectl skips it
    const missing = await run(`${join(dir, 'nope')}:${a}`);
    expect([missing.code, missing.stdout]).toEqual([0, 'merge-a app from the first file\n']);
  });
});
