/**
 * Colour decisions, made once: the level from --color, NO_COLOR and FORCE_COLOR (chalk ignores
 * NO_COLOR), and a palette from which pods visible at the same time get different colours.
 */
import type { ColorMode } from './choices.js';

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

/** A pod's colour pair: the pod name bright, its containers normal (SPEC §2). SGR parameters. */
export interface ColorPair {
  readonly pod: string;
  readonly container: string;
}

// stern's order: bright red, green, yellow, blue, magenta, cyan; containers the normal shade.
const BASIC: readonly ColorPair[] = [91, 92, 93, 94, 95, 96].map((c) => ({ pod: String(c), container: String(c - 60) }));

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

export function paletteFor(level: ColorLevel): readonly ColorPair[] {
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
 * otherwise the built-in palette of the level.
 */
export function makePalette(level: ColorLevel, podColors?: readonly string[], containerColors?: readonly string[]): readonly ColorPair[] {
  if (podColors === undefined || podColors.length === 0) return paletteFor(level);
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
