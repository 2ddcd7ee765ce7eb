// Serving log streams as a slow, uneven network would deliver them: pieces of random size, at a
// bounded rate per stream, so that a client's reads split lines (and timestamps) at arbitrary
// bytes. Off by default: a stream is then written as fast as it is read.
import { seededRandom } from '../common/random.js';
import type { ThrottleOptions } from './types.js';

export class LogThrottle {
  /** bytes a stream may send per millisecond */
  readonly bytesPerMs: number;
  private readonly maxPiece: number;
  private readonly random: () => number;

  constructor(opts: ThrottleOptions) {
    if (!(opts.maxBytesPerSec > 0)) throw new Error(`sim: throttleLogStreams needs maxBytesPerSec > 0 (got ${opts.maxBytesPerSec})`);
    this.bytesPerMs = opts.maxBytesPerSec / 1000;
    this.maxPiece = Math.max(1, Math.floor(opts.maxPieceBytes ?? Math.min(64 * 1024, opts.maxBytesPerSec / 20)));
    // one generator for every stream: the sizes depend on the order streams ask in, which timing
    // decides; the seed makes the sizes themselves replayable
    this.random = seededRandom(opts.seed ?? 1);
  }

  /**
   * The size of the next piece, at most `left`: log-uniform between 1 byte and the largest piece,
   * so that many pieces are a few bytes (inside a timestamp) and some are many lines.
   */
  pieceSize(left: number): number {
    const n = Math.floor(Math.exp(this.random() * Math.log(this.maxPiece + 1)));
    return Math.max(1, Math.min(left, n));
  }

  /** Where a cut lands in `length` unsent bytes: after 1 to `length` of them. */
  cutPoint(length: number): number {
    return 1 + Math.floor(this.random() * length);
  }
}
