/**
 * `--stdin`, as stern's file tail: lines read from standard input instead of a cluster, shown
 * with the output settings (template, -o, -i/-e/-H, colour). Every pod field is empty and
 * .Timestamp too; -i/-e test the line as read, while highlighting applies to what is written (a
 * template's output), as in stern. No kubeconfig is read.
 */
import { colorLevel } from './colors.js';
import { makeLineWriter } from './format.js';
import type { SourceLabel } from './label.js';
import { Notices } from './notices.js';
import type { OutputSettings } from './settings.js';
import { setupOutput } from './setup.js';
import { nilMap } from './template/index.js';
import { isReaderGone, Sink, type SinkOutput } from './sink.js';

export interface StdinIO {
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly stdout: SinkOutput;
  readonly stdoutIsTTY: boolean;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly interrupt: AbortSignal;
}

/**
 * No pod, no container, nil labels and annotations (`null` in JSON, as Go writes a nil map), and
 * the colours stern's file tail gives a template: SGR 0, so `color .PodColor` writes `ESC[0m…ESC[0m`.
 */
const NO_SOURCE: SourceLabel = {
  context: undefined,
  namespace: undefined,
  pod: '',
  container: '',
  colors: { pod: '0', container: '0' },
  info: { context: '', namespace: '', nodeName: '', labels: nilMap(true), annotations: nilMap(true) },
};

const NL = 0x0a;

/** The writer of stdin's lines and the sink it writes to. */
function stdinWriter(settings: OutputSettings, io: StdinIO, warn: (text: string) => void) {
  const level = colorLevel(settings.color, io.stdoutIsTTY, io.env);
  // process.stdout is done with a chunk when it calls the write back; a test's stream may not be
  const sink = new Sink(io.stdout, { reuseBatches: io.stdout === process.stdout });
  const { settings: format } = setupOutput(
    { ...settings, timestamps: false, orderedWindowMs: undefined },
    { level, stdoutIsTTY: io.stdoutIsTTY, showContext: false, sink, warn },
  );
  // default output would be "POD CONTAINER MESSAGE" with both names empty: the message alone
  return { sink, writer: makeLineWriter(NO_SOURCE, { ...format, unlabelled: true }, sink) };
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
