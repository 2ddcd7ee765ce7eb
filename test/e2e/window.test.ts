/** Issue 5, time window: --since-time, -p/--previous, --tail 0, and later containers from their first line. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { sleep } from '../helpers/wait.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim();
});

const ago = (ms: number): Date => new Date(Date.now() - ms);
const MINUTE = 60_000;

describe('-p, --previous', () => {
  beforeAll(() => {
    fx.sim.createPod({ name: 'prev-crashed', containers: [{ name: 'app' }, { name: 'side' }] });
    const app = { pod: 'prev-crashed', container: 'app' };
    fx.sim.writeLines(app, ['first run 1', 'first run 2']);
    fx.sim.restartContainer(app, { reason: 'OOMKilled', exitCode: 137 });
    fx.sim.writeLines(app, ['second run']);
    fx.sim.writeLines({ pod: 'prev-crashed', container: 'side' }, ['side never restarted']);
    fx.sim.createPod({ name: 'prev-fresh', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'prev-fresh', container: 'app' }, ['only run']);
  });

  it('prints the previous instance of each container that has one, then exits 0 (implies --no-follow)', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^prev-', '-p']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('prev-crashed app first run 1\nprev-crashed app first run 2\n');
    expect(r.stderr).toBe('');
  });

  it('--previous with --tail', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^prev-crashed$', '--previous', '--tail', '1']);
    expect([r.code, r.stdout]).toEqual([0, 'prev-crashed app first run 2\n']);
  });

  it('says so when no matching container has a previous instance', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^prev-fresh$', '-p']);
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe('ktail: no container matching "^prev-fresh$" in namespace "default" of context "sim" has a previous instance\n');
  });
});

describe('--since-time', () => {
  it('reads containers that exist at start from that time; a later container from its first line', async () => {
    fx.sim.createPod({ name: 'st-old', containers: [{ name: 'app' }] });
    const ref = { pod: 'st-old', container: 'app' };
    fx.sim.writeLines(ref, ['two hours ago'], { timestamp: ago(120 * MINUTE) });
    fx.sim.writeLines(ref, ['one hour ago'], { timestamp: ago(60 * MINUTE) });
    fx.sim.writeLines(ref, ['ten minutes ago'], { timestamp: ago(10 * MINUTE) });
    const since = ago(90 * MINUTE).toISOString();

    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^st-old$', '--since-time', since, '--no-follow']);
    expect([r.code, r.stdout]).toEqual([0, 'st-old app one hour ago\nst-old app ten minutes ago\n']);

    const k = ktail(fx, ['^st-', '--since-time', since]);
    await k.waitFor((x) => x.lines.includes('st-old app ten minutes ago'), 'the window');
    fx.sim.createPod({ name: 'st-new', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'st-new', container: 'app' }, ['stamped before the window'], { timestamp: ago(120 * MINUTE) });
    fx.sim.writeLines({ pod: 'st-new', container: 'app' }, ['now']);
    await k.waitFor((x) => x.lines.includes('st-new app now'), 'the new pod');
    await k.stop();
    expect(k.lines).toEqual([
      'st-old app one hour ago',
      'st-old app ten minutes ago',
      'st-new app stamped before the window',
      'st-new app now',
    ]);
  });
});

describe('--tail 0', () => {
  it('nothing old — not even after a quiet stream is re-opened; new lines, new pods and restarts in full', async () => {
    fx.sim.createPod({ name: 'tz-quiet', containers: [{ name: 'app' }] });
    const ref = { pod: 'tz-quiet', container: 'app' };
    fx.sim.writeLines(ref, ['old 1', 'old 2'], { timestamp: ago(MINUTE) });
    // a stream quiet for 400 ms is taken for stalled and re-opened (60 s in real life), quietly
    // (--verbose says so)
    const k = ktail(fx, ['^tz-', '--tail', '0', '--verbose'], { KTAIL_STREAM_IDLE_MS: '400' });
    await k.waitFor((x) => x.stderr.includes('+ tz-quiet › app'), 'the stream');
    await k.waitFor(
      (x) => /tz-quiet\/app\/\S+: connection to \S+ stopped answering \(no data for \d+m?s\); resuming/.test(x.stderr),
      'a re-open of the quiet stream',
    );
    await sleep(1200); // and another
    fx.sim.writeLines(ref, ['new 1']);
    await k.waitFor((x) => x.lines.includes('tz-quiet app new 1'), 'the new line');

    fx.sim.createPod({ name: 'tz-late', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'tz-late', container: 'app' }, ['late 1', 'late 2']);
    fx.sim.restartContainer(ref);
    fx.sim.writeLines(ref, ['after restart']);
    await k.waitFor(
      (x) => x.lines.includes('tz-late app late 2') && x.lines.includes('tz-quiet app after restart'),
      'the late pod and the restart',
    );
    await k.stop();
    expect(k.lines.sort()).toEqual(['tz-late app late 1', 'tz-late app late 2', 'tz-quiet app after restart', 'tz-quiet app new 1']);
  });

  it('--no-follow --tail 0 would print nothing: a usage error, as stern (#331)', async () => {
    fx.sim.createPod({ name: 'tz-nf', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'tz-nf', container: 'app' }, ['a', 'b']);
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^tz-nf$', '--tail', '0', '--no-follow']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^ktail: --tail 0 with --no-follow would print nothing/);
  });
});
