/**
 * Making log text safe for a terminal (SPEC §2): an application's log must not be
 * able to move the cursor, clear the screen, set the title, write the clipboard
 * (OSC 52) or plant hyperlinks (OSC 8) in the user's terminal, while its colours
 * (SGR) still show. Only applied to terminal output; piped output stays byte for byte.
 *
 * Escaping is textual and visible: ESC becomes the four characters `\x1b` (grep-able,
 * unambiguous), other C0 controls and DEL become `\xNN`, C1 controls become `\u00NN`.
 * Everything after an escaped ESC stays as plain text, so the reader sees what the
 * application tried to send. Also escaped: a raw byte 0x80–0x9F outside well-formed UTF-8
 * (`\x9b`: an 8-bit terminal reads 0x9B as CSI and 0x9D as OSC), an SGR that conceals
 * (SGR 8, hidden text), and the bidi embeddings, overrides and isolates U+202A–U+202E and
 * U+2066–U+2069 (`\u202e`: "Trojan Source" text that reads other than it is). Other
 * invalid UTF-8 passes unchanged: a UTF-8 terminal shows it as replacement characters.
 */

const TAB = 0x09;
const CR = 0x0d;
const ESC = 0x1b;
const LBRACKET = 0x5b;
const SGR_FINAL = 0x6d; // 'm'
const C1_LEAD = 0xc2; // UTF-8 lead byte of U+0080–U+00BF; U+0080–U+009F are the C1 controls
const BIDI_LEAD = 0xe2; // UTF-8 lead byte of U+2000–U+2FFF, the bidi controls among them
const BACKSLASH = 0x5c;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * Returns null when line[start,end) needs no change (the common case: one scan for bytes < 0x20 other than \t,
 * 0x7f, and the C1 range as UTF-8 0xC2 0x80–0x9F), else a new Buffer with every unsafe control shown escaped.
 * SGR sequences (`ESC [ digits/;/: m`) pass through and do not by themselves make the result non-null, unless
 * `keepSgr` is false (no colour: NO_COLOR, --color never, TERM=dumb), where they are shown escaped too, so
 * that not one escape byte reaches the terminal.
 * A single trailing '\r' (from a "\r\n" line end) is dropped.
 */
export function escapeForTerminal(line: Buffer, start: number, end: number, keepSgr = true): Buffer | null {
  const first = firstUnsafe(line, start, end, keepSgr);
  return first === -1 ? null : rewrite(line, start, end, first, keepSgr);
}

/**
 * Whether line[start,end) holds an ESC: after escapeForTerminal, only an SGR the application
 * began, which a reset at the end of the line must switch off (it would colour the next line).
 */
export function holdsEscape(line: Buffer, start: number, end: number): boolean {
  // native memchr over a view: a JS loop here cost as much as the whole escape scan
  return (start === 0 && end === line.length ? line : line.subarray(start, end)).indexOf(ESC) !== -1;
}

/** The index of the first byte that must change, or -1. */
function firstUnsafe(line: Buffer, start: number, end: number, keepSgr: boolean): number {
  for (let i = start; i < end; i++) {
    const b = line[i] as number;
    // One unsigned compare settles printable ASCII, which is nearly every byte.
    if ((b - 0x20) >>> 0 <= 0x5e) continue;
    if (b === TAB) continue;
    if (b >= 0x80) {
      const n = utf8Length(line, i, end);
      if (n === 0) {
        if (b <= 0x9f) return i; // a raw C1 byte (0x9B CSI, 0x9D OSC to an 8-bit terminal)
        continue;
      }
      if ((n === 2 && b === C1_LEAD && isC1Tail(line, i + 1, end)) || (n === 3 && b === BIDI_LEAD && isBidi(line, i))) return i;
      i += n - 1;
      continue;
    }
    if (b === ESC) {
      const n = keepSgr ? sgrLength(line, i, end) : 0;
      if (n === 0) return i;
      i += n - 1;
      continue;
    }
    return i; // other C0 (including a trailing CR, which is dropped) or DEL
  }
  return -1;
}

function rewrite(line: Buffer, start: number, end: number, first: number, keepSgr: boolean): Buffer {
  // Worst case: every byte from `first` on becomes 4 (`\xNN` for one byte; `\u00NN` is 6 for 2).
  const out = Buffer.allocUnsafe(first - start + 4 * (end - first));
  let o = line.copy(out, 0, start, first);
  for (let i = first; i < end; i++) {
    const b = line[i] as number;
    if ((b - 0x20) >>> 0 <= 0x5e || b === TAB) {
      out[o++] = b;
    } else if (b >= 0x80) {
      const n = utf8Length(line, i, end);
      if (n === 0 && b <= 0x9f) {
        // a raw C1 byte: \xNN, as the 7-bit forms are shown
        out[o++] = BACKSLASH;
        out[o++] = 0x78; // x
        out[o++] = HEX[b >> 4] as number;
        out[o++] = HEX[b & 0xf] as number;
      } else if (n === 0) {
        out[o++] = b;
      } else if (n === 2 && b === C1_LEAD && isC1Tail(line, i + 1, end)) {
        const c = line[++i] as number;
        o = writeU(out, o, 0x00, c);
      } else if (n === 3 && b === BIDI_LEAD && isBidi(line, i)) {
        // U+20XX: E2 80|81 xx is 0010 0000 | 10yy yyyy : 10zz zzzz
        const cp = (((line[i + 1] as number) & 0x3f) << 6) | ((line[i + 2] as number) & 0x3f);
        o = writeU(out, o, 0x20, cp & 0xff);
        i += 2;
      } else {
        o += line.copy(out, o, i, i + n);
        i += n - 1;
      }
    } else if (b === ESC && keepSgr && sgrLength(line, i, end) !== 0) {
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

/** `\uHHLL` at out[o]; returns the index after it. */
function writeU(out: Buffer, o: number, hi: number, lo: number): number {
  out[o++] = BACKSLASH;
  out[o++] = 0x75; // u
  out[o++] = HEX[hi >> 4] as number;
  out[o++] = HEX[hi & 0xf] as number;
  out[o++] = HEX[lo >> 4] as number;
  out[o++] = HEX[lo & 0xf] as number;
  return o;
}

/**
 * The length of the well-formed UTF-8 sequence at i (2–4), or 0 when line[i] starts none (a
 * stray continuation byte, a bad lead byte, an overlong form, a surrogate, a cut-off sequence).
 */
function utf8Length(line: Buffer, i: number, end: number): number {
  const b = line[i] as number;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > end) return 0;
  const second = line[i + 1] as number;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) {
    const c = line[i + k] as number;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return n;
}

/** Whether the 3-byte sequence at i (lead 0xE2) is U+202A–U+202E or U+2066–U+2069. */
function isBidi(line: Buffer, i: number): boolean {
  const b1 = line[i + 1] as number;
  const b2 = line[i + 2] as number;
  return (b1 === 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 === 0x81 && b2 >= 0xa6 && b2 <= 0xa9);
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
  let eight = false;
  while (j < end) {
    const c = line[j] as number;
    if (c === SGR_FINAL) return eight && conceals(line.toString('latin1', i + 2, j)) ? 0 : j - i + 1;
    // '0'–'9' are 0x30–0x39, ':' 0x3a, ';' 0x3b: one contiguous range
    if (c < 0x30 || c > 0x3b) return 0;
    if (c === 0x38) eight = true;
    j++;
  }
  return 0;
}

/**
 * Whether SGR parameters `params` (between `ESC [` and `m`) switch on conceal (8): hidden text
 * is no colour. The 8 of a colour (`38;5;8`, `48;2;8;8;8`, `38:5:8`) is not; when unsure, it is.
 */
function conceals(params: string): boolean {
  const ps = params.split(';');
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    const colon = p.indexOf(':');
    const main = Number(colon === -1 ? p : p.slice(0, colon));
    if (main === 8) return true;
    if (colon === -1 && (main === 38 || main === 48 || main === 58)) {
      // extended colour with ';': 5;n or 2;r;g;b follow
      const mode = ps[k + 1];
      if (mode !== undefined && Number(mode) === 5) k += 2;
      else if (mode !== undefined && Number(mode) === 2) k += 4;
    }
  }
  return false;
}
