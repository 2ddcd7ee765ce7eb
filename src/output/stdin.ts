/**
 * `--stdin`, as stern's file tail: lines read from standard input instead of a cluster, shown
 * with the output settings (template, -o, -i/-e/-H, colour). Every pod field is empty and
 * .Timestamp too; -i/-e test the line as read, while highlighting applies to what is written (a
 * template's output), as in stern. No kubeconfig is read.
 */
import { colorLevel } from './colors.js';
import type { FormatSettings } from './format.js';
import { makeLineWriter } from './format.js';
import type { LineFilter } from './filters.js';
import type { SourceLabel } from './label.js';
import { Notices } from './notices.js';
import type { OutputSettings } from './settings.js';
import { setupOutput } from './setup.js';
import { isReaderGone, Sink, type SinkOutput } from './sink.js';

export interface StdinIO {
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly stdout: SinkOutput;
  readonly stdoutIsTTY: boolean;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly interrupt: AbortSignal;
}

/** No pod, no container, no labels: what stern's file tail fills in. */
const NO_SOURCE: SourceLabel = {
  context: undefined,
  namespace: undefined,
  pod: '',
  container: '',
  colors: undefined,
  info: { context: '', namespace: '', nodeName: '', labels: {}, annotations: {} },
};

const NL = 0x0a;

/** A sink that paints -i/-H matches in what the template wrote, before writing it. */
class HighlightingSink extends Sink {
  constructor(
    out: SinkOutput,
    private readonly filter: LineFilter,
  ) {
    super(out);
  }

  private paint(text: string): string {
    return this.filter.highlight(text) ?? text;
  }

  override writeRaw(bytes: Buffer): void {
    const text = bytes.toString('utf8');
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    super.writeRaw(
      Buffer.from(
        `${body
          .split('\n')
          .map((l) => this.paint(l))
          .join('\n')}${body === text ? '' : '\n'}`,
      ),
    );
  }

  override writeLine(prefix: Buffer, line: Buffer, start: number, end: number, suffix: Buffer): void {
    const painted = Buffer.from(
      line
        .toString('utf8', start, end)
        .split('\n')
        .map((l) => this.paint(l))
        .join('\n'),
    );
    super.writeLine(prefix, painted, 0, painted.length, suffix);
  }
}

/** The writer of stdin's lines and the sink it writes to. */
function stdinWriter(settings: OutputSettings, io: StdinIO, warn: (text: string) => void) {
  const level = colorLevel(settings.color, io.stdoutIsTTY, io.env);
  const plain = new Sink(io.stdout);
  const { settings: setup } = setupOutput(
    { ...settings, timestamps: false, orderedWindowMs: undefined },
    { level, stdoutIsTTY: io.stdoutIsTTY, showContext: false, sink: plain, warn },
  );
  // default output would be "POD CONTAINER MESSAGE" with both names empty: the message alone
  const format: FormatSettings = { ...setup, unlabelled: true };
  if (settings.template === undefined || format.filter === undefined)
    return { sink: plain, writer: makeLineWriter(NO_SOURCE, format, plain) };
  const filter = format.filter;
  const sink = new HighlightingSink(io.stdout, filter);
  const keepOnly: FormatSettings = { ...format, filter: { keep: (text) => filter.keep(text), highlight: () => null } };
  return { sink, writer: makeLineWriter(NO_SOURCE, keepOnly, sink) };
}

export async function runStdin(settings: OutputSettings, io: StdinIO): Promise<number> {
  const notices = new Notices(io.stderr, true);
  const warn = (text: string): void => notices.emit({ kind: 'warning', text });
  const { sink, writer } = stdinWriter(settings, io, warn);
  let closed: Error | undefined;
  sink.onClosed((err) => (closed = err));
  const writeLines = (buf: Buffer, end: number): void => {
    let start = 0;
    while (start < end) {
      let nl = buf.indexOf(NL, start);
      if (nl === -1 || nl >= end) nl = end;
      writer(buf, start, start, start, nl);
      start = nl + 1;
    }
  };
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of io.stdin) {
    if (io.interrupt.aborted || closed !== undefined) break;
    const data = rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([rest, Buffer.from(chunk)]);
    const last = data.lastIndexOf(NL);
    if (last === -1) {
      rest = data;
      continue;
    }
    writeLines(data, last + 1);
    rest = data.subarray(last + 1);
    if (sink.saturated) await new Promise<void>((resolve) => sink.whenDrained(resolve));
  }
  // a last line without a newline is a line too
  if (rest.length > 0 && !io.interrupt.aborted && closed === undefined) writer(rest, 0, 0, 0, rest.length);
  await sink.drainAll();
  if (io.interrupt.aborted) return io.interrupt.reason as number;
  if (closed !== undefined && !isReaderGone(closed)) {
    warn(`cannot write to stdout: ${closed.message}`);
    return 1;
  }
  return 0;
}
