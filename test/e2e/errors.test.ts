/** SPEC §5: every bad input gets one line on stderr, `ktail: …`, and its exit code; never a stack. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKtail } from '../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'ktail-errors-'));

function kubeconfig(name: string, server: string, extra: { caData?: string; currentContext?: string } = {}): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, ...(extra.caData ? { 'certificate-authority-data': extra.caData } : {}) } }],
      users: [{ name: 'u', user: { token: 'secret-token-abc' } }],
      contexts: [
        { name: 'dev', context: { cluster: 'c', user: 'u', namespace: 'default' } },
        { name: 'staging', context: { cluster: 'c', user: 'u' } },
      ],
      'current-context': extra.currentContext ?? 'dev',
    }),
  );
  return path;
}

// port 1 on loopback: nothing listens there, so connections are refused at once
const refused = kubeconfig('refused', 'https://127.0.0.1:1');
const malformed = join(dir, 'malformed');
writeFileSync(malformed, 'apiVersion: v1\nclusters: [\n  - this is: not: yaml\n');

function expectOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^ktail: /);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('command-line errors exit 2', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['web('], /invalid pod query "web\(": missing closing \)/],
    [['web', '-c', '[a'], /invalid --container regex "\[a": missing closing \]/],
    [['web', '--exclude-pod', '*x'], /invalid --exclude-pod regex/],
    [['web', '--since', '5x'], /invalid duration "5x" for --since/],
    [['web', '--since', '99999999999999999999h'], /invalid duration "99999999999999999999h" for --since: longer than the most allowed/],
    [['web', '--since', '1h', '--since-time', '2026-01-01T00:00:00Z'], /--since and --since-time cannot be used together/],
    [['web', '--since-time', 'yesterday'], /invalid time "yesterday" for --since-time/],
    [['web', '--tail', 'ten'], /invalid value "ten" for --tail/],
    [['web', '-o', 'yaml'], /invalid value "yaml" for --output: expected one of default, raw/],
    [['web', '--color', 'sometimes'], /invalid value "sometimes" for --color/],
    [['web', '--max-log-requests', '0'], /invalid value "0" for --max-log-requests/],
    [[], /a pod query is required/],
  ])('%j', async (args, message) => {
    const r = await runKtail(['--kubeconfig', refused, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectOneLine(r.stderr);
    expect(r.stdout).toBe('');
  });
});

describe('cluster and environment errors exit 1', () => {
  it("a kubeconfig that does not parse: one line; with --verbose, where it failed, but never the file's text", async () => {
    const kc = join(dir, 'broken-with-token');
    writeFileSync(kc, 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: SUPERSECRET-TOKEN-123\n  bad: [unclosed\n');
    const r = await runKtail(['web', '--kubeconfig', kc, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^ktail: kubeconfig ".*broken-with-token" is not valid: /);
    expect(r.stderr).not.toContain('SUPERSECRET');
  });

  it('no kubeconfig and not in a cluster: never a silent localhost:8080', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ktail-home-'));
    const r = await runKtail(['web'], { HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no kubeconfig found .* and not running in a cluster — set --kubeconfig or KUBECONFIG/);
    expect(r.stderr).not.toMatch(/8080/);
    expectOneLine(r.stderr);
  });

  it('a --kubeconfig that does not exist', async () => {
    const r = await runKtail(['web', '--kubeconfig', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kubeconfig ".*nope" does not exist/);
    expectOneLine(r.stderr);
  });

  it('a malformed kubeconfig', async () => {
    const r = await runKtail(['web', '--kubeconfig', malformed]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kubeconfig ".*malformed" is not valid/);
    expectOneLine(r.stderr);
  });

  it('an unknown context lists the known ones', async () => {
    const r = await runKtail(['web', '--kubeconfig', refused, '--context', 'prod']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ktail: context "prod" not found in kubeconfig (contexts: dev, staging)\n');
  });

  it('an unreachable server', async () => {
    const r = await runKtail(['web', '--kubeconfig', refused]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ktail: cannot reach https://127.0.0.1:1 (connection refused) — check --context\n');
  });

  it('never prints the token, even with --verbose', async () => {
    const r = await runKtail(['web', '--kubeconfig', refused, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).not.toContain('secret-token-abc');
  });
});

describe('help and version', () => {
  it('--version prints the version from package.json', async () => {
    const r = await runKtail(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ktail \d+\.\d+\.\d+ \(node \d+\.\d+\.\d+, [a-z]+-[a-z0-9]+\)\n$/);
  });

  it('--help groups the flags and ends with examples', async () => {
    const r = await runKtail(['--help']);
    expect(r.code).toBe(0);
    for (const heading of ['Selection:', 'Time window:', 'Output:', 'Operation:', 'Examples:']) {
      expect(r.stdout).toContain(heading);
    }
    expect(r.stdout).toContain('ktail --demo');
  });
});
