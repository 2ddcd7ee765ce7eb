/**
 * Colour as a terminal sees it, through a pseudo-terminal (helpers/pty.ts): twelve pods get
 * twelve colours on 16 and on 256 colours; NO_COLOR, --color never and TERM=dumb write not one
 * escape byte; piped output is coloured only when asked (FORCE_COLOR, --color always).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runOnPty } from '../helpers/pty.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { runKtail } from '../helpers/spawn.js';

let fx: SimFixture;
const PODS = Array.from({ length: 12 }, (_, i) => `shade-${String(i).padStart(2, '0')}-7d9f`);

beforeAll(async () => {
  fx = await fileSim();
  for (const name of PODS) {
    fx.sim.createPod({ name, containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: name, container: 'app' }, [`hello from ${name}`, 'the app paints \x1b[32mgreen\x1b[0m itself']);
  }
});

const args = (...rest: string[]): string[] => ['--kubeconfig', fx.kubeconfig, '^shade-', '--no-follow', ...rest];
const ESC = 0x1b;

/** Each pod's SGR, read from the start of its lines: `ESC[<sgr>mPOD ESC[0m`. */
function podColours(screen: Buffer): Map<string, string> {
  const colours = new Map<string, string>();
  for (const line of screen.toString('latin1').split('\n')) {
    const m = /^\x1b\[([0-9;]+)m(shade-\d+-7d9f)\x1b\[0m /.exec(line);
    if (m) colours.set(m[2]!, m[1]!);
  }
  return colours;
}

describe('on a terminal', () => {
  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['TERM=xterm (16 colours)', { TERM: 'xterm' }, /^(9[1-6]|3[1-6])$/],
    ['TERM=screen (16 colours)', { TERM: 'screen' }, /^(9[1-6]|3[1-6])$/],
    ['TERM=xterm-256color', { TERM: 'xterm-256color' }, /^38;5;\d+$/],
  ])('%s: twelve pods, twelve colours', async (_name, env, sgr) => {
    const r = await runOnPty(args(), { env, stderrTo: '/dev/null' });
    expect(r.code).toBe(0);
    const colours = podColours(r.screen);
    expect([...colours.keys()].sort()).toEqual(PODS);
    for (const c of colours.values()) expect(c).toMatch(sgr);
    expect(new Set(colours.values()).size).toBe(12);
  });

  it('TERM=xterm: the container is its pod colour, underlined', async () => {
    const r = await runOnPty(args(), { env: { TERM: 'xterm' }, stderrTo: '/dev/null' });
    const line = r.screen.toString('latin1').split('\n')[0]!;
    const m = /^\x1b\[(\d+)m\S+\x1b\[0m \x1b\[([0-9;]+)mapp\x1b\[0m /.exec(line);
    expect(m?.[2]).toBe(`${m?.[1]};4`);
  });

  it('--palette colorblind on true colour: Okabe–Ito colours', async () => {
    const r = await runOnPty(args('--palette', 'colorblind'), {
      env: { TERM: 'xterm-256color', COLORTERM: 'truecolor' },
      stderrTo: '/dev/null',
    });
    const colours = new Set(podColours(r.screen).values());
    expect(colours.size).toBe(7);
    expect(colours).toContain('38;2;230;159;0');
  });

  it.each<[string, string[], NodeJS.ProcessEnv]>([
    ['NO_COLOR=1', [], { TERM: 'xterm-256color', COLORTERM: 'truecolor', NO_COLOR: '1' }],
    ['--color never', ['--color', 'never'], { TERM: 'xterm-256color' }],
    ['TERM=dumb', [], { TERM: 'dumb' }],
  ])("%s: not one escape byte, the application's own colour shown escaped", async (_name, extra, env) => {
    const r = await runOnPty(args(...extra), { env });
    expect(r.code).toBe(0);
    const text = r.screen.toString('utf8');
    expect(text).toContain('shade-03-7d9f app hello from shade-03-7d9f\n');
    expect(text).toContain('shade-03-7d9f app the app paints \\x1b[32mgreen\\x1b[0m itself\n');
    expect(r.screen.indexOf(ESC)).toBe(-1);
  });

  it('with colour, a reset only ends a line that holds colour: the application left it on', async () => {
    const r = await runOnPty(args('-o', 'raw'), { env: { TERM: 'xterm' }, stderrTo: '/dev/null' });
    const lines = r.screen.toString('latin1').split('\n');
    expect(lines).toContain('hello from shade-00-7d9f');
    expect(lines).toContain('the app paints \x1b[32mgreen\x1b[0m itself\x1b[0m');
  });

  it('--color always beats NO_COLOR (as chalk and Node do)', async () => {
    const r = await runOnPty(args('--color', 'always'), { env: { TERM: 'xterm', NO_COLOR: '1' }, stderrTo: '/dev/null' });
    expect(podColours(r.screen).size).toBe(12);
  });
});

describe('piped', () => {
  it('no escape byte by default, even on a colour TERM', async () => {
    const r = await runKtail(args(), { TERM: 'xterm-256color', COLORTERM: 'truecolor' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shade-00-7d9f app hello from shade-00-7d9f\n');
    // the application's own bytes pass unchanged, and nothing else
    expect(r.stdout.replaceAll('\x1b[32m', '').replaceAll('\x1b[0m', '')).not.toContain('\x1b');
  });

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ['FORCE_COLOR=1', [], { FORCE_COLOR: '1' }, /^(9[1-6]|3[1-6])$/],
    ['FORCE_COLOR=2', [], { FORCE_COLOR: '2', NO_COLOR: '1' }, /^38;5;\d+$/],
    ['--color always', ['--color', 'always'], { TERM: 'xterm' }, /^(9[1-6]|3[1-6])$/],
  ])('%s colours piped output', async (_name, extra, env, sgr) => {
    const r = await runKtail(args(...extra), env);
    const colours = podColours(Buffer.from(r.stdout, 'latin1'));
    expect(colours.size).toBe(12);
    for (const c of colours.values()) expect(c).toMatch(sgr);
  });
});
