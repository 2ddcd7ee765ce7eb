/** --stdin, as stern's file tail: lines piped through bin/ktail.js, no cluster and no kubeconfig. */
import { describe, expect, it } from 'vitest';
import { Ktail } from '../helpers/spawn.js';

/** ktail with `input` on its standard input; no kubeconfig anywhere. */
async function pipe(
  input: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const k = new Ktail(['--stdin', ...args], { KUBECONFIG: '/nonexistent/kubeconfig', ...env });
  k.child.stdin.end(input);
  const exit = await k.exited;
  return { code: exit.code, stdout: k.text, stderr: k.stderr };
}

const RED = '\x1b[31;1m';
const RESET = '\x1b[0;22m';

describe('--stdin', () => {
  it('prints each line as read, the last one without a newline too, and needs no kubeconfig nor query', async () => {
    expect(await pipe('one\n\ntwo\nthree', [])).toEqual({ code: 0, stdout: 'one\n\ntwo\nthree\n', stderr: '' });
  });

  it('-i/-e test the line as read; -o json has every pod field empty', async () => {
    const r = await pipe('keep ERROR\ndrop healthz ERROR\nother\n', ['-i', 'ERROR', '-e', 'healthz', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ message: 'keep ERROR', nodeName: '', namespace: '', podName: '', containerName: '', labels: null, annotations: null }]);
  });

  it('a template: pod fields and .Timestamp empty (even with -t), a newline added unless it ends with one', async () => {
    const tpl = '[{{.PodName}}|{{.ContainerName}}|{{.Namespace}}|{{if .Timestamp}}ts{{end}}] {{.Message}}';
    expect((await pipe('a\nb\n', ['--template', tpl, '-t'])).stdout).toBe('[|||] a\n[|||] b\n');
    expect((await pipe('a\n', ['--template', '{{.Message}}{{"\\n"}}'])).stdout).toBe('a\n');
  });

  it('highlighting applies to what the template wrote, -i to the line as read', async () => {
    const r = await pipe('x ERROR\ny\n', ['-i', 'ERROR', '--color', 'always', '--template', '{{.Message}} (ERROR)']);
    expect(r.stdout).toBe(`x ${RED}ERROR${RESET} (${RED}ERROR${RESET})\n`);
  });

  it('a line the template fails on is dropped with one message on stderr, and the run goes on', async () => {
    const r = await pipe('{"a":1}\nnot json\n{"a":2}\n', ['--template', '{{(parseJSON .Message).a}}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n2\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ktail: template: .*parseJSON.*the line is left out/);
  });

  it('colour only on request: piped output has no escape sequences', async () => {
    const r = await pipe('x ERROR\n', ['-H', 'ERROR']);
    expect(r.stdout).toBe('x ERROR\n');
  });

  it('a bad flag is still exit 2', async () => {
    const r = await pipe('x\n', ['-o', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ktail: invalid value "yaml" for --output/);
  });
});
