/**
 * The output decisions of a run, made once from the options and the terminal: the format
 * settings every source's writer is built from, the colours of sources, and --ordered.
 */
import { makePalette, SourceColors, type ColorLevel } from './colors.js';
import { makeLineFilter } from './filters.js';
import type { FormatSettings, LineWriter, SourceInfo } from './format.js';
import type { KtailOptions } from '../cli/options.js';
import { OrderedMerger, realClock, type Clock } from './ordered.js';
import type { Target } from '../follow/targets.js';
import { templateErrorReporter } from './template-format.js';

export interface OutputSetup {
  readonly settings: FormatSettings;
  readonly colors: SourceColors;
  /** what JSON output and templates show of a target's pod */
  info(target: Target): SourceInfo;
  /** a source's writer as the tail calls it: through the merger with --ordered */
  wrap(writer: LineWriter): LineWriter;
  /** at the end of the run: write what --ordered still holds */
  flush(): void;
}

export function setupOutput(
  opts: KtailOptions,
  level: ColorLevel,
  stdoutIsTTY: boolean,
  warn: (text: string) => void,
  clock: Clock = realClock,
): OutputSetup {
  const color = level > 0;
  const json = opts.template === undefined && (opts.output === 'json' || opts.output === 'extjson' || opts.output === 'ppextjson');
  const settings: FormatSettings = {
    output: opts.output,
    timestamps: opts.timestamps,
    escapeControls: stdoutIsTTY,
    zone: opts.timezone,
    // JSON output is never painted; templates and the default/raw layout are on a colour terminal
    filter: makeLineFilter(opts, color && !json),
    levelColors: color && opts.template === undefined && opts.output === 'default',
    template: opts.template,
    color,
    onTemplateError: templateErrorReporter(warn),
  };
  const merger = opts.orderedWindowMs === undefined ? undefined : new OrderedMerger(opts.orderedWindowMs, clock);
  return {
    settings,
    colors: new SourceColors(makePalette(level, opts.podColors, opts.containerColors), opts.diffContainer),
    info: (t) => ({
      context: t.context,
      namespace: t.namespace,
      nodeName: t.nodeName,
      labels: t.labels ?? {},
      annotations: t.annotations ?? {},
    }),
    wrap: merger === undefined ? (w) => w : (w) => merger.wrap(w),
    flush: () => merger?.flushAll(),
  };
}
