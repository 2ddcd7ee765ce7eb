/**
 * --prompt's picker: a list on stderr (stdout is for log lines), keys read from stdin in raw mode.
 * ↑/↓ (or Ctrl-P/Ctrl-N) move, typing narrows the list to the entries that contain the text,
 * Backspace widens it again, Enter picks, Ctrl-C or Esc gives up. It redraws in place with
 * cursor-up and erase-below, so the terminal keeps what was above it.
 */

export interface PromptIO {
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WritableStream;
}

/** How many entries are shown at once; the list scrolls past them. */
const PAGE = 10;

const KEY = {
  up: ['\x1b[A', '\x1bOA', '\x10'],
  down: ['\x1b[B', '\x1bOB', '\x0e'],
  enter: ['\r', '\n'],
  cancel: ['\x03', '\x04', '\x1b'],
  erase: ['\x7f', '\b'],
} as const;

const is = (key: string, names: readonly string[]): boolean => names.includes(key);

/** One entry shown as a single line: control characters cannot reach the terminal. */
const printable = (text: string): string => text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');

/** The picker's state, kept apart from the terminal so that its rules are plain to test. */
export class PickerState {
  filter = '';
  /** index into visible() */
  cursor = 0;

  constructor(private readonly entries: readonly string[]) {}

  /** the indexes of the entries that contain the filter (any case) */
  visible(): number[] {
    const f = this.filter.toLowerCase();
    const out: number[] = [];
    this.entries.forEach((e, i) => {
      if (e.toLowerCase().includes(f)) out.push(i);
    });
    return out;
  }

  /** 'pick' with the entry's index, 'cancel', or undefined to go on */
  press(key: string): { readonly kind: 'pick'; readonly index: number } | { readonly kind: 'cancel' } | undefined {
    const visible = this.visible();
    if (is(key, KEY.up)) this.cursor = Math.max(0, this.cursor - 1);
    else if (is(key, KEY.down)) this.cursor = Math.min(Math.max(0, visible.length - 1), this.cursor + 1);
    else if (is(key, KEY.enter)) {
      const index = visible[this.cursor];
      if (index !== undefined) return { kind: 'pick', index };
    } else if (is(key, KEY.cancel)) return { kind: 'cancel' };
    else if (is(key, KEY.erase)) {
      this.filter = this.filter.slice(0, -1);
      this.cursor = 0;
    } else if (!key.startsWith('\x1b')) {
      // typed text (a paste arrives as one chunk): printable characters only
      const text = key.replace(/[\x00-\x1f\x7f]/g, '');
      if (text !== '') {
        this.filter += text;
        this.cursor = 0;
      }
    }
    return undefined;
  }

  /** the lines to draw: the question, then at most PAGE entries around the cursor */
  lines(question: string): string[] {
    const visible = this.visible();
    const first = Math.min(Math.max(0, this.cursor - PAGE + 1), Math.max(0, visible.length - PAGE));
    const shown = visible.slice(first, first + PAGE);
    const head = `? ${question}${this.filter === '' ? ' (type to filter, ↑/↓, Enter; Esc to quit)' : `: ${printable(this.filter)}`}`;
    const rows = shown.map((index, k) => `${first + k === this.cursor ? '❯' : ' '} ${printable(this.entries[index]!)}`);
    if (visible.length === 0) rows.push('  (nothing contains that)');
    else if (visible.length > PAGE) rows.push(`  (${visible.length} in all)`);
    return [head, ...rows];
  }
}

/**
 * Shows `entries` and resolves with the index picked, or undefined when the user gave up. The
 * terminal is put back as it was (raw mode off, stdin paused) either way.
 */
export function pick(entries: readonly string[], question: string, io: PromptIO): Promise<number | undefined> {
  const state = new PickerState(entries);
  const { stdin, stderr } = io;
  let drawn = 0;
  const draw = (): void => {
    const lines = state.lines(question);
    // back to the top of what was drawn, erase it and below, draw again
    stderr.write(`${drawn > 0 ? `\x1b[${drawn}A\r` : ''}\x1b[J${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return new Promise((resolve) => {
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const finish = (result: number | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      // the list goes; what was picked is said by the caller
      stderr.write(`\x1b[${drawn}A\r\x1b[J`);
      resolve(result);
    };
    const onData = (chunk: string): void => {
      // arrows arrive as whole sequences; several keys in one chunk are taken one by one
      for (const key of splitKeys(chunk)) {
        const outcome = state.press(key);
        if (outcome?.kind === 'pick') return finish(outcome.index);
        if (outcome?.kind === 'cancel') return finish(undefined);
      }
      draw();
    };
    stdin.on('data', onData);
    stdin.resume();
    draw();
  });
}

/** A chunk of input as keys: escape sequences whole, control characters alone, text together. */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  const re = /\x1b(?:\[[0-9;]*[A-Za-z~]|O[A-Za-z])?|[\x00-\x1f\x7f]|[^\x00-\x1f\x7f\x1b]+/g;
  for (const m of chunk.matchAll(re)) keys.push(m[0]);
  return keys;
}
