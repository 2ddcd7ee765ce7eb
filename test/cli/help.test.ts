import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, parseArgs } from '../../src/cli/program.js';
import { runKtail } from '../helpers/spawn.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** SPEC.md §7, "Examples (for --help and the README)". */
const SPEC_EXAMPLES = [
  'ktail web                                   # every pod matching "web", all containers',
  'ktail web -c app                            # only the app containers',
  'ktail deployment/checkout -n shop --since 15m -t',
  'ktail -l app.kubernetes.io/part-of=shop -A  # by label, in every namespace',
  'ktail api --context prod-eu,prod-us         # the same app on two clusters',
  'ktail worker -o json | jq \'select(.message | test("ERROR"))\'',
  'ktail web --no-follow --tail 100 > web.log  # what is there now, then exit',
  'ktail --demo                                # try it without a cluster',
];

function help(): string {
  const outcome = parseArgs(['--help'], VERSION);
  if (outcome.kind !== 'exit') throw new Error('--help should exit');
  return outcome.text;
}

describe('--help', () => {
  it('groups the flags: Selection, Time window, Output, Operation, in that order', () => {
    const text = help();
    const at = ['Selection:', 'Time window:', 'Output:', 'Operation:', 'Examples:'].map((h) => text.indexOf(`\n${h}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // each flag under its group
    expect(text.slice(at[0], at[1])).toContain('--namespace');
    expect(text.slice(at[1], at[2])).toContain('--since-time');
    expect(text.slice(at[2], at[3])).toContain('--output');
    expect(text.slice(at[3], at[4])).toMatch(/--config[\s\S]*--completion[\s\S]*--version[\s\S]*--help/);
  });

  it('ends with the examples of SPEC.md §7', () => {
    const text = help();
    expect(text.trimEnd().endsWith(EXAMPLES.trimEnd())).toBe(true);
    for (const example of SPEC_EXAMPLES) expect(EXAMPLES).toContain(`  ${example}\n`);
  });
});

describe('--version', () => {
  it.each(['--version', '-v'])('%s prints the version of package.json, the Node it runs on and the platform', async (flag) => {
    const r = await runKtail([flag]);
    const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
    expect(r).toMatchObject({ code: 0, stdout: `ktail ${VERSION} (node ${process.versions.node}, ${platform})\n`, stderr: '' });
  });
});

describe('stern and kubectl habits, through bin/ktail.js', () => {
  it('--show-hidden-options says there are none, exit 0', async () => {
    const r = await runKtail(['--show-hidden-options']);
    expect(r).toMatchObject({ code: 0, stdout: 'ktail has no hidden options: every flag is in ktail --help\n', stderr: '' });
  });

  it('-v=9 is a usage error, exit 2, pointing at --verbosity', async () => {
    const r = await runKtail(['web', '-v=9']);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'ktail: unexpected value in "-v=9": -v is --version; for verbosity use --verbosity 9\n',
    });
  });

  it('--tail 0 --no-follow is a usage error, exit 2', async () => {
    const r = await runKtail(['web', '--tail', '0', '--no-follow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ktail: --tail 0 with --no-follow would print nothing: .*\n$/);
  });
});
