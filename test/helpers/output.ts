/** Shared by the unit tests of what a source writes: a recording sink and a source label. */
import type { SourceLabel } from '../../src/output/label.js';
import type { Sink } from '../../src/output/sink.js';

const NL = Buffer.from('\n');

/**
 * Records what the Sink would write. It copies bytes and decodes nothing while recording (tests
 * spy on decoding to prove the plain path does none): `lines` without the newline, `out` and
 * `text` decode on access.
 */
export class RecordingSink {
  readonly lines: Buffer[] = [];
  writeLine(prefix: Buffer, line: Buffer, start: number, end: number, suffix: Buffer): void {
    this.lines.push(Buffer.concat([prefix, line.subarray(start, end), suffix]));
  }
  writeRaw(bytes: Buffer): void {
    this.lines.push(Buffer.from(bytes.subarray(0, bytes.length - 1)));
  }
  /** each line as UTF-8 text with its newline */
  get out(): string[] {
    return this.lines.map((b) => Buffer.concat([b, NL]).toString('utf8'));
  }
  /** each line as latin1 text, without its newline */
  get text(): string[] {
    return this.lines.map((b) => b.toString('latin1'));
  }
  get asSink(): Sink {
    return this as unknown as Sink;
  }
}

/** A source label for web-7d9/app, uncoloured, with overrides. */
export const label = (l: Partial<SourceLabel> = {}): SourceLabel => ({
  context: undefined,
  namespace: undefined,
  pod: 'web-7d9',
  container: 'app',
  colors: undefined,
  ...l,
});
