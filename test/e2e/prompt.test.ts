/**
 * --prompt driven through a pseudo-terminal (helpers/pty.ts): keys typed on the terminal pick a
 * pod; its lines go to stdout (a file here), the picker to stderr (the terminal).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PtyKtail } from '../helpers/pty.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { runKtail } from '../helpers/spawn.js';

let fx: SimFixture;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop'] });
  for (const name of ['cart-1', 'cart-2', 'payments-1']) {
    fx.sim.createPod({ namespace: 'shop', name, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: name, container: 'app' }, [`hello from ${name}`]);
  }
  fx.sim.createPod({ namespace: 'default', name: 'cart-elsewhere', containers: [{ name: 'app' }] });
});

const outFile = (): string => join(mkdtempSync(join(tmpdir(), 'ktail-prompt-')), 'stdout');

describe('--prompt on a terminal', () => {
  it('lists the matching pods; ↓ and Enter pick the second; only its lines are printed', async () => {
    const out = outFile();
    const k = new PtyKtail(['--kubeconfig', fx.kubeconfig, '-n', 'shop', 'cart', '--prompt', '--no-follow'], {
      stdoutTo: out,
      env: { TERM: 'xterm' },
    });
    await k.waitForText('? Pick a pod (2 match)');
    expect(k.text).toContain('❯ shop/cart-1\n  shop/cart-2\n');
    expect(k.text).not.toContain('payments-1');
    k.type('\x1b[B');
    await k.waitForText('  shop/cart-1\n❯ shop/cart-2\n');
    k.type('\r');
    expect(await k.exited).toBe(0);
    expect(k.text).toContain('Selected: shop/cart-2\n');
    expect(readFileSync(out, 'utf8')).toBe('cart-2 app hello from cart-2\n');
  });

  it('typing narrows the list; Enter picks what is left', async () => {
    const out = outFile();
    const k = new PtyKtail(['--kubeconfig', fx.kubeconfig, '-n', 'shop', '--prompt', '--no-follow'], {
      stdoutTo: out,
      env: { TERM: 'xterm' },
    });
    await k.waitForText('(3 match)');
    k.type('pay');
    await k.waitForText('? Pick a pod (3 match): pay');
    k.type('\r');
    expect(await k.exited).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('payments-1 app hello from payments-1\n');
  });

  it('Ctrl-C gives up: exit 130, nothing followed', async () => {
    const out = outFile();
    const k = new PtyKtail(['--kubeconfig', fx.kubeconfig, '-n', 'shop', '--prompt'], { stdoutTo: out, env: { TERM: 'xterm' } });
    await k.waitForText('(3 match)');
    k.type('\x03');
    expect(await k.exited).toBe(130);
    expect(readFileSync(out, 'utf8')).toBe('');
  });

  it('nothing to pick from is an error, exit 1', async () => {
    const k = new PtyKtail(['--kubeconfig', fx.kubeconfig, '-n', 'shop', 'nope', '--prompt'], { env: { TERM: 'xterm' } });
    expect(await k.exited).toBe(1);
    expect(k.text).toContain('ktail: --prompt: no pod matches "nope" to pick from\n');
  });
});

describe('--prompt without a terminal', () => {
  it('is a one-line usage error, exit 2', async () => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '--prompt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ktail: --prompt needs a terminal on stdin and stderr to pick a pod: run it in a terminal, or name the pods with a query\n',
    );
  });

  it('with --stdin is a usage error, exit 2', async () => {
    const r = await runKtail(['--prompt', '--stdin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ktail: --prompt picks pods of a cluster; --stdin reads no cluster/);
  });
});
