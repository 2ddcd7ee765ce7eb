/**
 * --output-dir: every container's lines, raw and uncoloured (timestamps under -t), appended to its
 * own file (log-paths.ts). One Sink per file over an fs.WriteStream: lines are batched into few
 * writes, and the source of a file that does not keep up pauses as it does for stdout (its
 * pressure). A file stays open while an instance of its container is followed; a restarted
 * container's new instance shares it, after a marker line under -t. The first write that fails
 * (a full disk) ends the run: said on stderr by the caller, exit 1.
 */
import { accessSync, constants, createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClusterError } from '../common/errors.js';
import type { Target } from '../follow/targets.js';
import type { TimestampStyle } from './choices.js';
import { makeLineWriter } from './format.js';
import type { LineWriter } from './label.js';
import { containerLogPath } from './log-paths.js';
import { Sink, type Backpressure } from './sink.js';
import { stampText } from './stamp.js';
import type { Zone } from './timefmt.js';

export interface FileSettings {
  readonly dir: string;
  /** several contexts: DIR/CONTEXT/… */
  readonly byContext: boolean;
  readonly timestamps: TimestampStyle | false;
  readonly zone: Zone | undefined;
}

/** A source's side of its file. */
export interface SourceFile {
  readonly writer: LineWriter;
  readonly pressure: Backpressure;
  /** the source ended: the file is closed once no instance of its container writes to it */
  close(): void;
}

interface OpenFile {
  readonly sink: Sink;
  readonly stream: NodeJS.WritableStream;
  /** sources writing to it */
  users: number;
  /** the container instance whose line was written last; a marker precedes another's first line (-t) */
  writtenBy: string | undefined;
}

/** Batches per file: small, since thousands of files may be open; a busy container fills one in a tick. */
const FILE_BATCH_BYTES = 16 * 1024;
const FILE_HIGH_WATER_MARK = 256 * 1024;

/** The error's words: `no space left on device (ENOSPC)`. */
function fileErrorText(err: Error): string {
  const code = (err as { code?: string }).code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    EEXIST: 'exists and is not a directory',
    EISDIR: 'is a directory',
    EMFILE: 'too many open files',
    EIO: 'input/output error',
  };
  return code !== undefined && words[code] !== undefined ? `${words[code]} (${code})` : err.message;
}

/**
 * The directory exists (it is created if not) and can be written: else the run cannot start
 * (exit 1). Root may write anywhere; what it cannot do (a file in the way, a read-only mount)
 * still shows here.
 */
export function checkOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new ClusterError(`cannot write to --output-dir ${dir}: ${fileErrorText(err as Error)}`, { cause: err });
  }
}

export class ContainerFiles {
  private readonly open = new Map<string, OpenFile>();
  private failed = false;
  private readonly rawSettings;

  constructor(
    private readonly settings: FileSettings,
    /** the first failure: the run ends */
    private readonly onFailure: (text: string) => void,
  ) {
    // the files hold what -o raw prints to a pipe: no colour, no escaping, the kubelet's bytes
    this.rawSettings = { output: 'raw', timestamps: settings.timestamps, escapeControls: false, zone: settings.zone } as const;
  }

  /** The file of a source's container (opened, or shared with the container's other instance). */
  openFor(target: Target): SourceFile {
    const path = containerLogPath(this.settings.dir, target, this.settings.byContext);
    const file = this.open.get(path) ?? this.create(path);
    file.users++;
    const raw = makeLineWriter(
      { context: undefined, namespace: undefined, pod: target.pod, container: target.container, colors: undefined },
      this.rawSettings,
      file.sink,
    );
    const marker = this.settings.timestamps === false ? undefined : stampText(this.settings.timestamps, this.settings.zone);
    // decided at the first line, then straight through
    let write: LineWriter = (buf, lineStart, tsEnd, msgStart, end) => {
      write = raw;
      if (marker !== undefined && file.writtenBy !== undefined && file.writtenBy !== target.containerId) {
        const text = `${marker(buf, lineStart, tsEnd)} ktail: new instance of ${target.pod}/${target.container} (restart ${target.restartCount}, ${target.containerId})\n`;
        file.sink.writeRaw(Buffer.from(text));
      }
      file.writtenBy = target.containerId;
      raw(buf, lineStart, tsEnd, msgStart, end);
    };
    let closed = false;
    return {
      writer: (buf, lineStart, tsEnd, msgStart, end) => write(buf, lineStart, tsEnd, msgStart, end),
      pressure: file.sink,
      close: () => {
        if (closed) return;
        closed = true;
        this.release(path, file);
      },
    };
  }

  /** Resolves once every file has been handed every line (or has failed). */
  async drainAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((f) => f.sink.drainAll()));
  }

  /** How many files are open (for tests and the measurements in docs/scale.md). */
  get openCount(): number {
    return this.open.size;
  }

  private create(path: string): OpenFile {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      // the stream below then fails to open too: its error is dropped, this one said
      this.fail(path, err as Error);
    }
    const stream = createWriteStream(path, { flags: 'a' });
    const sink = new Sink(stream, { batchBytes: FILE_BATCH_BYTES, highWaterMark: FILE_HIGH_WATER_MARK });
    sink.onClosed((err) => this.fail(path, err));
    const file: OpenFile = { sink, stream, users: 0, writtenBy: undefined };
    this.open.set(path, file);
    return file;
  }

  private release(path: string, file: OpenFile): void {
    file.users--;
    if (file.users > 0) return;
    // closed once written out, unless another instance of the container took it meanwhile
    void file.sink.drainAll().then(() => {
      if (file.users > 0 || this.open.get(path) !== file) return;
      this.open.delete(path);
      file.stream.end();
    });
  }

  private fail(path: string, err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(`cannot write ${path}: ${fileErrorText(err)}`);
  }
}
