/**
 * Making log text safe for a terminal (SPEC §2): an application's log must not be
 * able to move the cursor, clear the screen, set the title, write the clipboard
 * (OSC 52) or plant hyperlinks (OSC 8) in the user's terminal, while its colours
 * (SGR) still show. Only applied to terminal output; piped output stays byte for byte.
 *
 * Escaping is textual and visible: ESC becomes the four characters `\x1b` (grep-able,
 * unambiguous), other C0 controls and DEL become `\xNN`, C1 controls become `\u00NN`.
 * Everything after an escaped ESC stays as plain text, so the reader sees what the
 * application tried to send. Invalid UTF-8 passes unchanged: a UTF-8 terminal shows it
 * as replacement characters, never as a control.
 */

const TAB = 0x09;
const CR = 0x0d;
const ESC = 0x1b;
const LBRACKET = 0x5b;
const SGR_FINAL = 0x6d; // 'm'
const C1_LEAD = 0xc2; // UTF-8 lead byte of U+0080–U+00BF; U+0080–U+009F are the C1 controls
const BACKSLASH = 0x5c;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * Returns null when line[start,end) needs no change (the common case: one scan for bytes < 0x20 other than \t,
 * 0x7f, and the C1 range as UTF-8 0xC2 0x80–0x9F), else a new Buffer with every unsafe control shown escaped.
 * SGR sequences (`ESC [ digits/;/: m`) pass through and do not by themselves make the result non-null.
 * A single trailing '\r' (from a "\r\n" line end) is dropped.
 */
export function escapeForTerminal(line: Buffer, start: number, end: number): Buffer | null {
  const first = firstUnsafe(line, start, end);
  return first === -1 ? null : rewrite(line, start, end, first);
}

/** The index of the first byte that must change, or -1. */
function firstUnsafe(line: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const b = line[i] as number;
    // One unsigned compare settles printable ASCII, which is nearly every byte.
    if ((b - 0x20) >>> 0 <= 0x5e) continue;
    if (b === TAB) continue;
    if (b >= 0x80) {
      if (b === C1_LEAD && isC1Tail(line, i + 1, end)) return i;
      continue;
    }
    if (b === ESC) {
      const n = sgrLength(line, i, end);
      if (n === 0) return i;
      i += n - 1;
      continue;
    }
    return i; // other C0 (including a trailing CR, which is dropped) or DEL
  }
  return -1;
}

function rewrite(line: Buffer, start: number, end: number, first: number): Buffer {
  // Worst case: every byte from `first` on becomes 4 (`\xNN` for one byte; `\u00NN` is 6 for 2).
  const out = Buffer.allocUnsafe(first - start + 4 * (end - first));
  let o = line.copy(out, 0, start, first);
  for (let i = first; i < end; i++) {
    const b = line[i] as number;
    if ((b - 0x20) >>> 0 <= 0x5e || b === TAB) {
      out[o++] = b;
    } else if (b >= 0x80) {
      if (b === C1_LEAD && isC1Tail(line, i + 1, end)) {
        const c = line[++i] as number;
        out[o++] = BACKSLASH;
        out[o++] = 0x75; // u
        out[o++] = 0x30;
        out[o++] = 0x30;
        out[o++] = HEX[c >> 4] as number;
        out[o++] = HEX[c & 0xf] as number;
      } else {
        out[o++] = b;
      }
    } else if (b === ESC && sgrLength(line, i, end) !== 0) {
      const n = sgrLength(line, i, end);
      o += line.copy(out, o, i, i + n);
      i += n - 1;
    } else if (b === CR && i === end - 1) {
      // the '\r' of a "\r\n" line end: not content
    } else {
      out[o++] = BACKSLASH;
      out[o++] = 0x78; // x
      out[o++] = HEX[b >> 4] as number;
      out[o++] = HEX[b & 0xf] as number;
    }
  }
  return out.subarray(0, o);
}

function isC1Tail(line: Buffer, i: number, end: number): boolean {
  if (i >= end) return false;
  const c = line[i] as number;
  return c >= 0x80 && c <= 0x9f;
}

/**
 * Length of the SGR sequence starting with the ESC at `i`, or 0 if it is anything else.
 * Only `ESC [` + digits, ';' and ':' + `m` qualifies: private markers (`?`, `>`),
 * intermediates and every other final byte are terminal commands, not colours.
 */
function sgrLength(line: Buffer, i: number, end: number): number {
  let j = i + 1;
  if (j >= end || line[j] !== LBRACKET) return 0;
  j++;
  while (j < end) {
    const c = line[j] as number;
    if (c === SGR_FINAL) return j - i + 1;
    // '0'–'9' are 0x30–0x39, ':' 0x3a, ';' 0x3b: one contiguous range
    if (c < 0x30 || c > 0x3b) return 0;
    j++;
  }
  return 0;
}
