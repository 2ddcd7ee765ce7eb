import { describe, expect, it } from 'vitest';
import { ColorAllocator, colorLevel, makePalette, paint, paletteFor, SourceColors, type ColorLevel } from '../../src/output/colors.js';
import type { ColorMode } from '../../src/cli/options.js';

describe('colorLevel', () => {
  const tty = true;
  const pipe = false;
  it.each<[string, ColorMode, boolean, NodeJS.ProcessEnv, ColorLevel]>([
    ['auto on a basic terminal', 'auto', tty, { TERM: 'xterm' }, 1],
    ['auto on a 256-colour terminal', 'auto', tty, { TERM: 'xterm-256color' }, 2],
    ['auto on kitty', 'auto', tty, { TERM: 'xterm-kitty' }, 2],
    ['auto on a true-colour terminal', 'auto', tty, { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, 3],
    ['auto with COLORTERM=24bit', 'auto', tty, { TERM: 'xterm', COLORTERM: '24bit' }, 3],
    ['auto on a terminal without TERM', 'auto', tty, {}, 1],
    ['auto on a pipe', 'auto', pipe, { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, 0],
    ['auto on a dumb terminal', 'auto', tty, { TERM: 'dumb' }, 0],
    ['auto with NO_COLOR', 'auto', tty, { TERM: 'xterm-256color', NO_COLOR: '1' }, 0],
    ['auto with an empty NO_COLOR', 'auto', tty, { TERM: 'xterm', NO_COLOR: '' }, 1],
    ['auto with FORCE_COLOR on a pipe', 'auto', pipe, { FORCE_COLOR: '1' }, 1],
    ['auto with FORCE_COLOR=3 on a pipe', 'auto', pipe, { FORCE_COLOR: '3' }, 3],
    ['auto with FORCE_COLOR=2 and NO_COLOR', 'auto', tty, { FORCE_COLOR: '2', NO_COLOR: '1' }, 2],
    ['auto with FORCE_COLOR=true uses the terminal level', 'auto', pipe, { FORCE_COLOR: 'true', TERM: 'xterm-256color' }, 2],
    ['auto with FORCE_COLOR=true and no TERM', 'auto', pipe, { FORCE_COLOR: 'true' }, 1],
    ['auto with FORCE_COLOR=0 on a terminal', 'auto', tty, { FORCE_COLOR: '0', TERM: 'xterm' }, 0],
    ['auto with FORCE_COLOR=false', 'auto', tty, { FORCE_COLOR: 'false', TERM: 'xterm' }, 0],
    ['auto with an empty FORCE_COLOR is ignored', 'auto', pipe, { FORCE_COLOR: '' }, 0],
    ['always on a pipe', 'always', pipe, {}, 1],
    ['always despite NO_COLOR', 'always', pipe, { NO_COLOR: '1' }, 1],
    ['always on a dumb terminal', 'always', tty, { TERM: 'dumb' }, 1],
    ['always keeps the terminal level', 'always', pipe, { TERM: 'xterm-256color' }, 2],
    ['always with true colour', 'always', pipe, { COLORTERM: 'truecolor' }, 3],
    ['never on a true-colour terminal', 'never', tty, { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, 0],
    ['never despite FORCE_COLOR', 'never', tty, { FORCE_COLOR: '3' }, 0],
  ])('%s', (_name, mode, isTTY, env, level) => {
    expect(colorLevel(mode, isTTY, env)).toBe(level);
  });
});

describe('paletteFor', () => {
  it.each<[ColorLevel, number]>([
    [0, 12],
    [1, 12],
    [2, 24],
    [3, 24],
  ])('level %d has %d colours', (level, size) => {
    expect(paletteFor(level)).toHaveLength(size);
  });

  it.each<[ColorLevel, number, RegExp]>([
    [1, 8, /^(9[3-6]|3[3-6])$/],
    [2, 7, /^38;5;\d+$/],
    [3, 7, /^38;2;\d+;\d+;\d+$/],
  ])('--palette colorblind at level %d: %d distinct colours, containers underlined', (level, size, sgr) => {
    const palette = paletteFor(level, 'colorblind');
    expect(palette).toHaveLength(size);
    expect(new Set(palette.map((c) => c.pod)).size).toBe(size);
    for (const c of palette) {
      expect(c.pod).toMatch(sgr);
      expect(c.container).toBe(`${c.pod};4`);
    }
  });

  it('--palette colorblind on 16 colours leaves out red and green, the pair most colour-blind readers confuse', () => {
    const codes = paletteFor(1, 'colorblind').map((c) => Number(c.pod) % 10);
    expect(codes).not.toContain(1);
    expect(codes).not.toContain(2);
  });

  it('--palette colorblind: Okabe–Ito orange in true colour, its nearest cube colour on 256', () => {
    expect(paletteFor(3, 'colorblind')[0]!.pod).toBe('38;2;230;159;0');
    // 230,159,0 → cube levels 215,175,0 → 16 + 36·4 + 6·3 + 0
    expect(paletteFor(2, 'colorblind')[0]!.pod).toBe('38;5;178');
  });

  it('--pod-colors wins over --palette', () => {
    expect(makePalette(3, ['91'], undefined, 'colorblind')).toEqual([{ pod: '91', container: '91' }]);
  });

  it.each<[ColorLevel]>([[1], [2]])('level %d: distinct pod colours, each with a container shade', (level) => {
    const palette = paletteFor(level);
    expect(new Set(palette.map((c) => c.pod)).size).toBe(palette.length);
    for (const c of palette) {
      expect(c.pod).toMatch(/^[0-9;]+$/);
      expect(c.container).toMatch(/^[0-9;]+$/);
      expect(c.container).not.toBe(c.pod);
    }
  });

  it('the basic palette: twelve pods in bright and normal shades, each container its pod colour underlined', () => {
    const palette = paletteFor(1);
    expect(palette.map((c) => c.pod)).toEqual(['91', '92', '93', '94', '95', '96', '31', '32', '33', '34', '35', '36']);
    expect(palette[0]).toEqual({ pod: '91', container: '91;4' });
    expect(palette[6]).toEqual({ pod: '31', container: '31;4' });
  });

  it('twelve pods visible at once on 16 colours get twelve colours', () => {
    const a = new ColorAllocator(paletteFor(1).length);
    expect(new Set(pods(12).map((p) => paletteFor(1)[a.acquire(p)]!.pod)).size).toBe(12);
  });
});

const pods = (n: number, prefix = 'web'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}-${(i * 7919).toString(36)}`);

describe('ColorAllocator', () => {
  it.each([
    ['6 pods on the 6-colour palette', 6, 6],
    ['12 pods on the 24-colour palette', paletteFor(2).length, 12],
    ['24 pods on the 24-colour palette', paletteFor(2).length, 24],
  ])('%s get different colours', (_name, size, n) => {
    const a = new ColorAllocator(size);
    const colours = pods(n).map((p) => a.acquire(p));
    expect(new Set(colours).size).toBe(n);
    for (const c of colours) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(size);
    }
  });

  it.each(['web', 'api', 'x'])('pods named %s-… visible together differ whatever their hashes', (prefix) => {
    const a = new ColorAllocator(6);
    expect(new Set(pods(6, prefix).map((p) => a.acquire(p))).size).toBe(6);
  });

  it('past the palette size, colours are shared evenly', () => {
    const a = new ColorAllocator(6);
    const counts = new Array<number>(6).fill(0);
    for (const p of pods(12)) counts[a.acquire(p)]!++;
    expect(counts).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('a pod keeps its colour after release and re-acquire', () => {
    const a = new ColorAllocator(6);
    const [first, ...others] = pods(6);
    const colour = a.acquire(first!);
    for (const p of others) a.acquire(p);
    a.release(first!);
    // another pod takes the freed colour meanwhile
    a.acquire('newcomer');
    expect(a.acquire(first!)).toBe(colour);
  });

  it('the same pod acquired twice (two containers) has one colour and counts once', () => {
    const a = new ColorAllocator(6);
    const c = a.acquire('web-1');
    expect(a.acquire('web-1')).toBe(c);
    // two containers of web-1 hold one colour: 5 more pods fill the other 5
    const rest = pods(5, 'other').map((p) => a.acquire(p));
    expect(new Set([c, ...rest]).size).toBe(6);
  });

  it('a released colour is reused by a new pod first', () => {
    const a = new ColorAllocator(6);
    const all = pods(6);
    const colours = new Map(all.map((p) => [p, a.acquire(p)]));
    const gone = all[3]!;
    a.release(gone);
    expect(a.acquire('web-new')).toBe(colours.get(gone));
  });

  it('a colour is free only when every container of the pod released it', () => {
    const a = new ColorAllocator(2);
    const c = a.acquire('web-1');
    a.acquire('web-1'); // its second container
    a.release('web-1'); // one container ended; the pod is still visible
    // a name whose hash alone would pick c: on a fresh allocator it gets c
    const name = pods(50, 'n').find((p) => new ColorAllocator(2).acquire(p) === c)!;
    expect(name).toBeDefined();
    expect(a.acquire(name)).toBe(1 - c);
    a.release(name);
    a.release('web-1'); // the last container ended: c is free, the other colour too
    expect(a.acquire(name)).toBe(1 - c); // keeps its colour
    expect(a.acquire('web-9')).toBe(c); // the least used
  });

  it('releasing an unknown pod changes nothing', () => {
    const a = new ColorAllocator(6);
    a.release('never-seen');
    expect(new Set(pods(6).map((p) => a.acquire(p))).size).toBe(6);
  });

  it('the choice is the same on every run', () => {
    const one = new ColorAllocator(24);
    const two = new ColorAllocator(24);
    expect(pods(10).map((p) => one.acquire(p))).toEqual(pods(10).map((p) => two.acquire(p)));
  });
});

describe('paint', () => {
  it.each<[string, string | undefined, string]>([
    ['web', '91', '\x1b[91mweb\x1b[0m'],
    ['web', '38;5;203', '\x1b[38;5;203mweb\x1b[0m'],
    ['web', undefined, 'web'],
  ])('%j in %j', (text, sgr, out) => {
    expect(paint(text, sgr)).toBe(out);
  });
});

describe('makePalette: --pod-colors, --container-colors', () => {
  it.each<[string, ColorLevel, string[] | undefined, string[] | undefined, { pod: string; container: string }[]]>([
    ['built in', 1, undefined, undefined, paletteFor(1).slice()],
    [
      '--pod-colors alone: containers alike',
      1,
      ['91', '38;5;208'],
      undefined,
      [
        { pod: '91', container: '91' },
        { pod: '38;5;208', container: '38;5;208' },
      ],
    ],
    [
      'both',
      2,
      ['91', '92'],
      ['31', '32'],
      [
        { pod: '91', container: '31' },
        { pod: '92', container: '32' },
      ],
    ],
    ['custom colours on a basic terminal too', 1, ['38;2;255;97;136'], ['2'], [{ pod: '38;2;255;97;136', container: '2' }]],
  ])('%s', (_name, level, pods, containers, palette) => {
    expect(makePalette(level, pods, containers)).toEqual(palette);
  });
});

describe('SourceColors', () => {
  it.each<[string, ColorLevel]>([
    ['256 colours', 2],
    ['true colour', 3],
  ])('12 pods visible together get 12 different colours on a %s terminal', (_name, level) => {
    const c = new SourceColors(makePalette(level), false);
    const pairs = pods(12).map((p) => c.acquire(`ctx/ns/${p}`, 'app'));
    expect(new Set(pairs.map((p) => p.pod)).size).toBe(12);
  });

  it("without -d a pod's containers share its pair", () => {
    const c = new SourceColors(makePalette(1), false);
    expect(c.acquire('p1', 'app')).toEqual(c.acquire('p1', 'proxy'));
  });

  it('with -d containers get colours of their own, by name', () => {
    const c = new SourceColors(makePalette(2), true);
    const app = c.acquire('p1', 'app');
    const proxy = c.acquire('p1', 'proxy');
    const app2 = c.acquire('p2', 'app');
    expect(app.pod).toBe(proxy.pod);
    expect(app.container).not.toBe(proxy.container);
    expect(app2.container).toBe(app.container);
    expect(app2.pod).not.toBe(app.pod);
  });

  it('release frees both the pod and the container colour for the next newcomer', () => {
    const c = new SourceColors(makePalette(1), true);
    const names = pods(12);
    const pairs = names.map((p, i) => c.acquire(p, `c${i}`));
    c.release(names[2]!, 'c2');
    const next = c.acquire('newcomer', 'new-container');
    expect(next).toEqual(pairs[2]);
    // and a pod seen before keeps its colours
    expect(c.acquire(names[2]!, 'c2')).toEqual(pairs[2]);
  });
});
