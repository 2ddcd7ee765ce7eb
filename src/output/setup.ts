/**
 * The output decisions of a run, made once from the output settings and the terminal: the
 * format settings every source's writer is built from, the colours of sources, and --ordered.
 * The follow path asks it for each source's label and writer.
 */
import { makePalette, SourceColors, type ColorLevel } from './colors.js';
import { makeLineFilter } from './filters.js';
import { makeEventOutput, type EventOutput } from './events.js';
import { makeLineWriter, type FormatSettings } from './format.js';
import type { LineWriter, SourceInfo, SourceLabel } from './label.js';
import { sourceLabel, type LabelDisplay, type SourceRef } from './label.js';
import { OrderedMerger, realClock, type Clock } from './ordered.js';
import type { OutputSettings } from './settings.js';
import { Notices } from './notices.js';
import type { Sink } from './sink.js';
import type { Target } from '../follow/targets.js';
import { templateErrorReporter } from './template-format.js';

/** A source about to be read: how it is named and where its lines go. */
interface OpenedSource {
  readonly label: SourceLabel;
  readonly writer: LineWriter;
  /** the source has ended: its colours go back to the allocator */
  close(): void;
}

/** What the follow path asks of the output. */
export interface SourceOutputs {
  open(target: Target): OpenedSource;
  /** the label of a source named by a notice only (a waiting container): no colour */
  label(ref: SourceRef): SourceLabel;
  /** --events: a Kubernetes Event, on stdout (JSON formats) or stderr */
  readonly event: EventOutput;
}

export interface OutputSetup extends SourceOutputs {
  readonly settings: FormatSettings;
  /** at the end of the run: write what --ordered still holds */
  flush(): void;
}

/** Where the output goes and what the run knows only once it has its contexts. */
export interface OutputEnvironment {
  readonly level: ColorLevel;
  readonly stdoutIsTTY: boolean;
  /** several contexts are followed */
  readonly showContext: boolean;
  readonly sink: Sink;
  /** a warning on stderr (a template that fails on a line) */
  readonly warn: (text: string) => void;
  /** where Events go on stderr (--events) */
  readonly notices?: Notices;
  readonly clock?: Clock;
}

/** What JSON output and templates show of a target's pod. */
function sourceInfo(t: Target): SourceInfo {
  return {
    context: t.context,
    namespace: t.namespace,
    nodeName: t.nodeName,
    labels: t.labels ?? {},
    annotations: t.annotations ?? {},
  };
}

function formatSettings(s: OutputSettings, level: ColorLevel, stdoutIsTTY: boolean, warn: (text: string) => void): FormatSettings {
  const color = level > 0;
  const json = s.template === undefined && (s.output === 'json' || s.output === 'extjson' || s.output === 'ppextjson');
  return {
    output: s.output,
    timestamps: s.timestamps,
    escapeControls: stdoutIsTTY,
    zone: s.timezone,
    // JSON output is never painted; templates and the default/raw layout are on a colour terminal
    filter: makeLineFilter(s, color && !json),
    levelColors: color && s.template === undefined && s.output === 'default',
    template: s.template,
    color,
    onTemplateError: templateErrorReporter(warn),
  };
}

export function setupOutput(s: OutputSettings, env: OutputEnvironment): OutputSetup {
  const { level, sink } = env;
  const settings = formatSettings(s, level, env.stdoutIsTTY, env.warn);
  const display: LabelDisplay = { showContext: env.showContext, showNamespace: s.showNamespace };
  const merger = s.orderedWindowMs === undefined ? undefined : new OrderedMerger(s.orderedWindowMs, env.clock ?? realClock);
  const colors = new SourceColors(makePalette(level, s.podColors, s.containerColors, s.palette), s.diffContainer);
  return {
    settings,
    open: (target) => {
      const pair = level > 0 ? colors.acquire(target.podKey, target.container) : undefined;
      const label = sourceLabel(target, display, { colors: pair, info: sourceInfo(target) });
      const writer = makeLineWriter(label, settings, sink);
      return {
        label,
        writer: merger === undefined ? writer : merger.wrap(writer),
        close: () => {
          if (pair) colors.release(target.podKey, target.container);
        },
      };
    },
    label: (ref) => sourceLabel(ref, display),
    event: makeEventOutput({
      format: s.output,
      template: s.template !== undefined,
      display,
      colors: (podKey) => (level > 0 ? colors.podColors(podKey) : undefined),
      sink,
      notices: env.notices ?? new Notices(process.stderr, false),
    }),
    flush: () => merger?.flushAll(),
  };
}
