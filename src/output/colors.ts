/**
 * Colour decisions, made once: the level from --color, FORCE_COLOR, NO_COLOR and TERM, and a
 * palette from which pods visible at the same time get different colours. Precedence, as Node's
 * own getColorDepth and chalk's supports-color: --color never/always first, then FORCE_COLOR, then
 * NO_COLOR (any non-empty value), then whether stdout is a terminal and TERM is not dumb.
 */
import type { ColorMode, PaletteName } from './choices.js';

/** 0 none, 1 basic 16 colours, 2 256 colours, 3 true colour */
export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevel(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): ColorLevel {
  if (mode === 'never') return 0;
  const detected = terminalLevel(env);
  if (mode === 'always') return detected === 0 ? 1 : detected;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return (Number.isInteger(n) && n >= 1 && n <= 3 ? n : Math.max(1, detected)) as ColorLevel;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return detected === 0 ? 1 : detected;
}

function terminalLevel(env: NodeJS.ProcessEnv): ColorLevel {
  const colorterm = env.COLORTERM ?? '';
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  const term = env.TERM ?? '';
  if (term.includes('256') || term === 'xterm-kitty') return 2;
  if (term === '' || term === 'dumb') return 0;
  return 1;
}

/** A pod's colour pair: the pod name's colour and its containers'. SGR parameters. */
export interface ColorPair {
  readonly pod: string;
  readonly container: string;
}

/** SGR 4: on 16 colours a container is its pod's colour, underlined, since both shades name pods. */
const UNDERLINE = '4';

/**
 * 16 colours: six hues (stern's order: red, green, yellow, blue, magenta, cyan), bright then
 * normal, twelve pod colours in all; black and white are left out (one of them is the background).
 */
const basicPairs = (hues: readonly number[]): ColorPair[] =>
  [...hues.map((h) => 90 + h), ...hues.map((h) => 30 + h)].map((c) => ({ pod: String(c), container: `${c};${UNDERLINE}` }));
const BASIC: readonly ColorPair[] = basicPairs([1, 2, 3, 4, 5, 6]);

// 256 colours: 24 hues from the 6×6×6 cube, each with a bright and a darker shade.
const EXTENDED: readonly ColorPair[] = (() => {
  const cube = (r: number, g: number, b: number): number => 16 + 36 * r + 6 * g + b;
  const hues: [number, number, number][] = [
    [5, 1, 1],
    [1, 5, 1],
    [5, 5, 1],
    [1, 3, 5],
    [5, 1, 5],
    [1, 5, 5],
    [5, 3, 1],
    [3, 5, 1],
    [1, 5, 3],
    [3, 1, 5],
    [5, 1, 3],
    [1, 3, 3],
    [5, 4, 3],
    [3, 5, 4],
    [4, 3, 5],
    [5, 3, 4],
    [4, 5, 1],
    [1, 4, 5],
    [5, 2, 2],
    [2, 5, 2],
    [2, 2, 5],
    [5, 5, 3],
    [3, 5, 5],
    [5, 3, 5],
  ];
  const darker = (v: number): number => Math.max(0, v - 2);
  return hues.map(([r, g, b]) => ({
    pod: `38;5;${cube(r, g, b)}`,
    container: `38;5;${cube(darker(r), darker(g), darker(b))}`,
  }));
})();

/**
 * Okabe and Ito's eight colours (2002; Wong, Nature Methods 8:441, 2011), made to stay apart for
 * the common kinds of colour blindness; black is left out (a dark terminal's background). The
 * container is the pod's colour underlined: a darker shade of these would fall into a neighbour.
 */
const OKABE_ITO: readonly (readonly [number, number, number])[] = [
  [230, 159, 0], // orange
  [86, 180, 233], // sky blue
  [0, 158, 115], // bluish green
  [240, 228, 66], // yellow
  [0, 114, 178], // blue
  [213, 94, 0], // vermillion
  [204, 121, 167], // reddish purple
];

/** The nearest colour of the 256-colour cube (levels 0, 95, 135, 175, 215, 255). */
function cubeIndex([r, g, b]: readonly [number, number, number]): number {
  const step = (v: number): number => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.round((v - 55) / 40)));
  return 16 + 36 * step(r) + 6 * step(g) + step(b);
}

const underlined = (pod: string): ColorPair => ({ pod, container: `${pod};${UNDERLINE}` });
const COLORBLIND_TRUE: readonly ColorPair[] = OKABE_ITO.map(([r, g, b]) => underlined(`38;2;${r};${g};${b}`));
const COLORBLIND_256: readonly ColorPair[] = OKABE_ITO.map((rgb) => underlined(`38;5;${cubeIndex(rgb)}`));
/**
 * 16 colours cannot show Okabe–Ito: red and green, the pair protanopes and deuteranopes confuse,
 * are dropped; blue, yellow, magenta and cyan stay, bright and normal (a step in lightness, which
 * every kind of colour vision sees): eight pod colours.
 */
const COLORBLIND_BASIC: readonly ColorPair[] = basicPairs([4, 3, 5, 6]);

export function paletteFor(level: ColorLevel, name: PaletteName = 'default'): readonly ColorPair[] {
  if (name === 'colorblind') return level >= 3 ? COLORBLIND_TRUE : level === 2 ? COLORBLIND_256 : COLORBLIND_BASIC;
  return level >= 2 ? EXTENDED : BASIC;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Gives each pod the least-used colour among pods visible now (ties: the pod name's hash picks,
 * so runs look alike), and keeps it for the whole run even after the pod is gone.
 */
export class ColorAllocator {
  private readonly assigned = new Map<string, number>();
  private readonly inUse: number[];
  private readonly visible = new Map<string, number>();

  constructor(private readonly size: number) {
    this.inUse = new Array<number>(size).fill(0);
  }

  /** The pod's colour index; counts the pod as visible until release(). */
  acquire(pod: string): number {
    let index = this.assigned.get(pod);
    if (index === undefined) {
      const start = hash(pod) % this.size;
      let best = start;
      for (let i = 1; i < this.size; i++) {
        const c = (start + i) % this.size;
        if (this.inUse[c]! < this.inUse[best]!) best = c;
      }
      index = best;
      this.assigned.set(pod, index);
    }
    const refs = this.visible.get(pod) ?? 0;
    if (refs === 0) this.inUse[index]!++;
    this.visible.set(pod, refs + 1);
    return index;
  }

  release(pod: string): void {
    const refs = this.visible.get(pod);
    if (refs === undefined) return;
    if (refs > 1) {
      this.visible.set(pod, refs - 1);
      return;
    }
    this.visible.delete(pod);
    const index = this.assigned.get(pod);
    if (index !== undefined) this.inUse[index]!--;
  }
}

export function paint(text: string, sgr: string | undefined): string {
  return sgr === undefined ? text : `\x1b[${sgr}m${text}\x1b[0m`;
}

/**
 * --pod-colors (and --container-colors, default the same) as a palette, on any colour level;
 * otherwise the built-in palette (--palette) of the level.
 */
export function makePalette(
  level: ColorLevel,
  podColors?: readonly string[],
  containerColors?: readonly string[],
  name: PaletteName = 'default',
): readonly ColorPair[] {
  if (podColors === undefined || podColors.length === 0) return paletteFor(level, name);
  return podColors.map((pod, i) => ({ pod, container: containerColors?.[i] ?? pod }));
}

/**
 * The colours of sources: each pod's pair from the allocator; with -d (--diff-container) the
 * container's shade is chosen by the container's name from an allocator of its own, so `app` and
 * `proxy` differ while every `app` looks alike.
 */
export class SourceColors {
  private readonly pods: ColorAllocator;
  private readonly containers: ColorAllocator | undefined;

  constructor(
    private readonly palette: readonly ColorPair[],
    diffContainer: boolean,
  ) {
    this.pods = new ColorAllocator(palette.length);
    this.containers = diffContainer ? new ColorAllocator(palette.length) : undefined;
  }

  acquire(podKey: string, container: string): ColorPair {
    const pair = this.palette[this.pods.acquire(podKey)]!;
    if (this.containers === undefined) return pair;
    return { pod: pair.pod, container: this.palette[this.containers.acquire(container)]!.container };
  }

  /**
   * The pod's colours for a notice about it (an Event), without counting it as visible: the
   * colour its lines have or will have, since a pod keeps its colour for the whole run.
   */
  podColors(podKey: string): ColorPair {
    const pair = this.palette[this.pods.acquire(podKey)]!;
    this.pods.release(podKey);
    return pair;
  }

  release(podKey: string, container: string): void {
    this.pods.release(podKey);
    this.containers?.release(container);
  }
}
