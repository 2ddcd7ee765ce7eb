/**
 * The output decisions of a run, made once from the output settings and the terminal: the
 * format settings every source's writer is built from, the colours of sources, and --ordered.
 * The follow path asks it for each source's label and writer.
 */
import { makePalette, SourceColors, type ColorLevel } from './colors.js';
import { makeLineFilter } from './filters.js';
import { makeEventOutput, type EventOutput } from './events.js';
import { makeLineWriter, type FormatSettings } from './format.js';
import { LEVEL_THRESHOLD } from './levels.js';
import type { LineWriter, SourceInfo, SourceLabel } from './label.js';
import { sourceLabel, type LabelDisplay, type SourceRef } from './label.js';
import { OrderedMerger, realClock, type Clock } from './ordered.js';
import type { OutputSettings } from './settings.js';
import { Notices } from './notices.js';
import type { ContainerFiles } from './files.js';
import type { Backpressure, Sink } from './sink.js';
import type { Target } from '../follow/targets.js';
import { templateErrorReporter } from './template-format.js';

/** A source about to be read: how it is named and where its lines go. */
interface OpenedSource {
  readonly label: SourceLabel;
  readonly writer: LineWriter;
  /** what its stream waits for when its lines do not go out fast enough: stdout, its file, or both */
  readonly pressure: Backpressure;
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
  /** --output-dir: each container's file too */
  readonly files?: ContainerFiles | undefined;
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
    levelColors: color && s.template === undefined && (s.output === 'default' || s.output === 'pretty'),
    level: s.level === undefined ? undefined : { threshold: LEVEL_THRESHOLD[s.level], strict: s.levelStrict },
    template: s.template,
    color,
    onTemplateError: templateErrorReporter(warn),
  };
}

/** Each line to stdout, then to the file (the buffer is lent for the call: each copies what it keeps). */
function both(first: LineWriter, second: LineWriter): LineWriter {
  return (buf, lineStart, tsEnd, msgStart, end) => {
    first(buf, lineStart, tsEnd, msgStart, end);
    second(buf, lineStart, tsEnd, msgStart, end);
  };
}

/** Saturated while either is; goes on once both have drained. */
function eitherPressure(a: Backpressure, b: Backpressure): Backpressure {
  return {
    get saturated() {
      return a.saturated || b.saturated;
    },
    whenDrained: (cb) => a.whenDrained(() => b.whenDrained(cb)),
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
      const file = env.files?.openFor(target);
      let writer: LineWriter | undefined;
      if (s.output !== 'none') {
        const toStdout = makeLineWriter(label, settings, sink);
        writer = merger === undefined ? toStdout : merger.wrap(toStdout);
      }
      return {
        label,
        writer: file === undefined ? writer! : writer === undefined ? file.writer : both(writer, file.writer),
        pressure: file === undefined ? sink : writer === undefined ? file.pressure : eitherPressure(sink, file.pressure),
        close: () => {
          if (pair) colors.release(target.podKey, target.container);
          file?.close();
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
