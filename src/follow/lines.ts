/**
 * Bytes → lines. Works on Buffers only: it never decodes, so a multi-byte UTF-8
 * character split across chunks is simply carried with the rest of its line.
 */

/**
 * Receives one line as `buf[start, end)`, without its '\n'. The buffer is lent: it is either the
 * caller's chunk or the splitter's reusable carry buffer. A handler may refer to the bytes until
 * the splitter's `release` callback runs, and must copy what it keeps beyond that.
 */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;

const NL = 0x0a;

/** First carry allocation: most lines that span chunks are short log lines. */
const CARRY_MIN = 1024;

/**
 * A carry grown past this by one long line is released after that line, so that
 * thousands of idle streams do not each pin the memory of their longest line.
 */
const CARRY_KEEP = 16 * 1024;

/**
 * Splits a byte stream into lines. `end` excludes the '\n'. Carries a partial line across chunks
 * (without re-scanning carried bytes for '\n'), UTF-8 safe by construction because it never decodes.
 *
 * A partial line is copied into one owned carry buffer that grows by doubling, rather than
 * kept as a list of chunk slices joined with `Buffer.concat` at the newline: the byte count
 * copied is the same, but a long line delivered in tiny chunks (1-byte reads of a 16 MiB
 * line) does not become millions of slice objects, a carried tail does not pin the whole
 * chunk it came from, and since the carry is reused, a line spanning two chunks (one per
 * chunk boundary in a busy stream) costs no allocation.
 */
export class LineSplitter {
  readonly #onLine: LineHandler;
  readonly #release: () => void;
  #carry: Buffer | null = null;
  #carryLen = 0;

  /**
   * `release` runs after the last line of each push (and of end()), before the lent buffers can
   * change: a handler that looks back at the previous line (its timestamp) copies it once per
   * chunk there, not once per line.
   */
  constructor(onLine: LineHandler, release: () => void = () => undefined) {
    this.#onLine = onLine;
    this.#release = release;
  }

  /** Calls onLine for each complete line, in order. Not re-entrant: onLine must not call push. */
  push(chunk: Buffer): void {
    const len = chunk.length;
    if (len === 0) return;
    let nl = chunk.indexOf(NL);
    if (nl === -1) {
      this.#append(chunk, 0, len);
      return;
    }
    let start = 0;
    if (this.#carryLen > 0) {
      // Only the new bytes were searched: the carried ones are known to hold no '\n'.
      this.#append(chunk, 0, nl);
      this.#deliverCarry();
      start = nl + 1;
      nl = start < len ? chunk.indexOf(NL, start) : -1;
    }
    const onLine = this.#onLine;
    while (nl !== -1) {
      onLine(chunk, start, nl);
      start = nl + 1;
      if (start === len) break;
      nl = chunk.indexOf(NL, start);
    }
    // before the carry is written to again, and before the chunk goes back to the caller
    this.#release();
    if (start < len) this.#append(chunk, start, len);
  }

  /** The stream ended: a last line without '\n' is delivered (if non-empty). */
  end(): void {
    if (this.#carryLen > 0) {
      this.#deliverCarry();
      this.#release();
    }
  }

  /** Drop the carried partial line (used when a stream breaks: the partial line will be re-read on resume). */
  discardPartial(): void {
    this.#carryLen = 0;
    this.#releaseLargeCarry();
  }

  get pendingBytes(): number {
    return this.#carryLen;
  }

  #append(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    const need = this.#carryLen + n;
    let carry = this.#carry;
    if (carry === null || need > carry.length) {
      let size = carry === null ? CARRY_MIN : carry.length * 2;
      while (size < need) size *= 2;
      // Slow (unpooled) allocation: the carry lives as long as the stream, and a
      // pooled slice would keep a whole shared 8 KiB pool slab alive with it.
      const grown = Buffer.allocUnsafeSlow(size);
      if (carry !== null && this.#carryLen > 0) carry.copy(grown, 0, 0, this.#carryLen);
      this.#carry = carry = grown;
    }
    src.copy(carry, this.#carryLen, start, end);
    this.#carryLen = need;
  }

  #deliverCarry(): void {
    const carry = this.#carry as Buffer;
    const len = this.#carryLen;
    // Reset first, so a handler that calls discardPartial() or end() sees a clean state.
    this.#carryLen = 0;
    this.#onLine(carry, 0, len);
    this.#releaseLargeCarry();
  }

  #releaseLargeCarry(): void {
    if (this.#carry !== null && this.#carry.length > CARRY_KEEP && this.#carryLen === 0) {
      this.#carry = null;
    }
  }
}
