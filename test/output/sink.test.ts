import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReaderGone, Sink } from '../../src/output/sink.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const NONE = Buffer.alloc(0);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface FakeOutput {
  out: Writable;
  /** the chunks handed to the output, as received (not copied: a reused buffer would show here) */
  chunks: Buffer[];
  /** bytes whose write has completed */
  done: () => number;
  text: () => string;
  /** with `held`: completes the writes held so far, and every later one after `delayMs` */
  release: () => void;
}

/**
 * A Writable that keeps every chunk it is given. Writes complete synchronously without
 * `delayMs`, on the next setImmediate with 0, else after a timer; with `held`, not before
 * `release()`.
 */
function fakeOutput(opts: { highWaterMark?: number; delayMs?: number; held?: boolean } = {}): FakeOutput {
  const chunks: Buffer[] = [];
  let done = 0;
  let held: (() => void)[] | undefined = opts.held ? [] : undefined;
  const out = new Writable({
    highWaterMark: opts.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      const finish = (): void => {
        done += chunk.length;
        cb();
      };
      if (held) held.push(finish);
      else if (opts.delayMs === undefined) finish();
      else if (opts.delayMs === 0) setImmediate(finish);
      else setTimeout(finish, opts.delayMs);
    },
  });
  const release = (): void => {
    const pending = held ?? [];
    held = undefined;
    for (const finish of pending) setTimeout(finish, opts.delayMs ?? 0);
  };
  return { out, chunks, done: () => done, text: () => Buffer.concat(chunks).toString('utf8'), release };
}

function errorWithCode(code: string): Error {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe('Sink', () => {
  describe('lines', () => {
    it('writes prefix, line slice, suffix and a newline', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out);
      const chunk = b('xxhello worldyy');
      sink.writeLine(b('pod app '), chunk, 2, 13, b(' [sfx]'));
      sink.writeLine(NONE, chunk, 0, 0, NONE);
      sink.writeLine(b('p '), chunk, 5, 5, NONE);
      await sink.drainAll();
      expect(f.text()).toBe('pod app hello world [sfx]\n\np \n');
      expect(sink.stats).toEqual({ lines: 3, bytes: 30, writes: 1 });
    });

    it('writeRaw writes pre-built lines in order with the others', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out, { batchBytes: 64 });
      sink.writeLine(b('a '), b('one'), 0, 3, NONE);
      sink.writeRaw(b('{"message":"two"}\n'));
      sink.writeRaw(b(`{"message":"${'3'.repeat(100)}"}\n`)); // larger than the batch
      sink.writeLine(b('a '), b('four'), 0, 4, NONE);
      sink.writeRaw(NONE);
      await sink.drainAll();
      expect(f.text()).toBe(`a one\n{"message":"two"}\n{"message":"${'3'.repeat(100)}"}\na four\n`);
      expect(sink.stats.lines).toBe(4);
    });

    it('copies the line: changing the source buffer afterwards does not change the output', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out, { batchBytes: 16 });
      const small = b('small');
      const big = b('a line bigger than the batch');
      sink.writeLine(NONE, small, 0, small.length, NONE);
      sink.writeLine(NONE, big, 0, big.length, NONE);
      small.fill(0x21);
      big.fill(0x21);
      await sink.drainAll();
      expect(f.text()).toBe('small\na line bigger than the batch\n');
    });
  });

  describe('batching', () => {
    it('writes nothing synchronously for a small line, then one write on the next tick', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out);
      sink.writeLine(b('p '), b('hello'), 0, 5, NONE);
      sink.writeLine(b('p '), b('again'), 0, 5, NONE);
      expect(f.chunks).toHaveLength(0);
      await tick();
      expect(f.chunks.map(String)).toEqual(['p hello\np again\n']);
      expect(sink.stats.writes).toBe(1);
    });

    it('writes a batch as soon as it is full, the rest on the next tick', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out, { batchBytes: 1000 });
      const line = Buffer.alloc(99, 0x61); // 100 bytes with its newline
      for (let i = 0; i < 25; i++) sink.writeLine(NONE, line, 0, line.length, NONE);
      expect(f.chunks.map((c) => c.length)).toEqual([1000, 1000]);
      await tick();
      expect(f.chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
      expect(sink.stats).toEqual({ lines: 25, bytes: 2500, writes: 3 });
    });

    it('a line that does not fit flushes the batch first: a batch write never ends mid-line', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out, { batchBytes: 12 });
      for (const s of ['abcd', 'efgh', 'ij', 'k']) sink.writeLine(NONE, b(s), 0, s.length, NONE);
      await sink.drainAll();
      expect(f.chunks.map(String)).toEqual(['abcd\nefgh\n', 'ij\nk\n']);
    });

    it('a line larger than the batch is its own write, after the pending batch and before later lines', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out, { batchBytes: 100 });
      const big = Buffer.alloc(250, 0x42);
      sink.writeLine(b('p '), b('before'), 0, 6, NONE);
      sink.writeLine(b('p '), big, 0, big.length, b(' <'));
      sink.writeLine(b('p '), b('after'), 0, 5, NONE);
      await sink.drainAll();
      expect(f.chunks.map(String)).toEqual(['p before\n', `p ${'B'.repeat(250)} <\n`, 'p after\n']);
    });

    it('flush() writes the pending batch at once', () => {
      const f = fakeOutput();
      const sink = new Sink(f.out);
      sink.writeLine(NONE, b('x'), 0, 1, NONE);
      sink.flush();
      sink.flush();
      expect(f.chunks.map(String)).toEqual(['x\n']);
    });

    it('a line is ended by one newline, whether or not its source has one after it', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out);
      const chunk = b('ts one\nts two!ts three');
      sink.writeLine(b('p '), chunk, 3, 6, NONE); // "one", followed by its own '\n'
      sink.writeLine(b('p '), chunk, 10, 13, NONE); // "two", followed by '!'
      sink.writeLine(b('p '), chunk, 17, chunk.length, NONE); // "three", at the end of the buffer
      sink.writeLine(b('p '), chunk, 3, 6, b(' <')); // a suffix goes before the newline
      await sink.drainAll();
      expect(f.text()).toBe('p one\np two\np three\np one <\n');
    });

    it('with reuseBatches, a batch is filled again once written, never while the output holds it', async () => {
      /** per ArrayBuffer, the offsets of the batches handed over in it */
      const handed = new Map<ArrayBufferLike, Set<number>>();
      let reused = 0;
      let changedWhileHeld = 0;
      const completed: Buffer[] = [];
      const out = new Writable({
        highWaterMark: 1024 * 1024,
        write(chunk: Buffer, _enc, cb) {
          const offsets = handed.get(chunk.buffer) ?? new Set<number>();
          if (offsets.has(chunk.byteOffset)) reused++;
          handed.set(chunk.buffer, offsets.add(chunk.byteOffset));
          const asHanded = Buffer.from(chunk);
          // written out later, as a pipe does when the reader is slower
          setTimeout(() => {
            if (!chunk.equals(asHanded)) changedWhileHeld++;
            completed.push(asHanded);
            cb();
          }, 1);
        },
      });
      const sink = new Sink(out, { batchBytes: 256, reuseBatches: true });
      const expected: string[] = [];
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 30; i++) {
          const text = `round ${round} line ${i} ${'x'.repeat(i)}`;
          expected.push(`p ${text}\n`);
          sink.writeLine(b('p '), b(text), 0, text.length, NONE);
        }
        await tick();
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await sink.drainAll();
      expect(Buffer.concat(completed).toString()).toBe(expected.join(''));
      expect(changedWhileHeld).toBe(0);
      expect(reused).toBeGreaterThan(0);
    });

    it('without reuseBatches, every batch handed to the output is a new buffer', async () => {
      const f = fakeOutput({ delayMs: 0 });
      const sink = new Sink(f.out, { batchBytes: 64 });
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 10; i++) sink.writeLine(b('p '), b(`line ${round}.${i}`), 0, `line ${round}.${i}`.length, NONE);
        await sink.drainAll();
      }
      const sameBuffer = f.chunks.filter((c, i) =>
        f.chunks.some((d, j) => j < i && d.buffer === c.buffer && d.byteOffset === c.byteOffset),
      );
      expect(f.chunks.length).toBeGreaterThan(10);
      expect(sameBuffer).toEqual([]);
    });

    it.each([0, -1, 1.5, Number.NaN])('rejects batchBytes %s', (n) => {
      expect(() => new Sink(fakeOutput().out, { batchBytes: n })).toThrow(RangeError);
    });
  });

  it('many writers interleaving: every line whole, each source in order, none lost', async () => {
    // seeded so that a failure can be replayed
    let seed = 42;
    const random = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const f = fakeOutput({ delayMs: 0 });
    const batchBytes = 512;
    const sink = new Sink(f.out, { batchBytes });
    const sources = 40;
    const next = new Array<number>(sources).fill(0);
    const lines = 20_000;
    for (let n = 0; n < lines; n++) {
      const src = Math.floor(random() * sources);
      const seq = next[src]!++;
      const fillLen = random() < 0.02 ? Math.floor(random() * batchBytes * 3) : Math.floor(random() * 120);
      // The body is framed by its own length, so a torn or spliced line cannot parse.
      const body = b(`${seq}:${fillLen}:${String.fromCharCode(0x41 + (src % 26)).repeat(fillLen)}`);
      sink.writeLine(b(`s${src} `), body, 0, body.length, b(' $'));
      if (n % 97 === 0) await tick(); // let batches flush between bursts, as tails would
    }
    await sink.drainAll();

    const out = f.text().split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(lines);
    const seen = new Array<number>(sources).fill(0);
    const malformed: string[] = [];
    for (const line of out) {
      const m = /^s(\d+) (\d+):(\d+):([A-Z]*) \$$/.exec(line);
      const src = Number(m?.[1]);
      if (!m || m[4]?.length !== Number(m[3]) || m[4] !== String.fromCharCode(0x41 + (src % 26)).repeat(Number(m[3]))) {
        malformed.push(line.slice(0, 80));
        continue;
      }
      if (Number(m[2]) !== seen[src]) malformed.push(`out of order: ${line.slice(0, 80)}`);
      seen[src]!++;
    }
    expect(malformed).toEqual([]);
    expect(seen).toEqual(next);
    expect(sink.stats.lines).toBe(lines);
  });

  describe('backpressure', () => {
    // The output's own high-water mark below the sink's makes write() return false, so
    // 'drain' is emitted; above it, only the write callbacks can wake the producers.
    it.each([
      { name: "woken by 'drain'", outHighWaterMark: 512 },
      { name: 'woken by write callbacks', outHighWaterMark: 1 << 20 },
    ])('saturated toggles and whenDrained fires once below the mark ($name)', async ({ outHighWaterMark }) => {
      // writes are held until release(): a busy machine cannot complete them before the check
      const f = fakeOutput({ highWaterMark: outHighWaterMark, delayMs: 5, held: true });
      const highWaterMark = 4096;
      const sink = new Sink(f.out, { batchBytes: 1024, highWaterMark });
      const line = Buffer.alloc(99, 0x61);
      expect(sink.saturated).toBe(false);
      let n = 0;
      while (!sink.saturated) {
        sink.writeLine(NONE, line, 0, line.length, NONE);
        n++;
      }
      expect(n * 100).toBeGreaterThan(highWaterMark);
      expect(n * 100).toBeLessThanOrEqual(highWaterMark + 100);

      let fired = false;
      let lengthWhenFired = -1;
      sink.whenDrained(() => {
        fired = true;
        lengthWhenFired = f.out.writableLength;
        expect(sink.saturated).toBe(false);
      });
      await tick();
      expect(fired).toBe(false);
      f.release();
      await sink.drainAll();
      expect(fired).toBe(true);
      expect(lengthWhenFired).toBeLessThanOrEqual(highWaterMark);
      expect(f.done()).toBe(n * 100);
    });

    it('whenDrained runs soon, but not synchronously, when not saturated', async () => {
      const sink = new Sink(fakeOutput().out);
      let fired = false;
      sink.whenDrained(() => {
        fired = true;
      });
      expect(fired).toBe(false);
      await Promise.resolve();
      expect(fired).toBe(true);
    });

    it('memory is bounded: output buffer plus open batch stay under highWaterMark + one batch + one producer burst', async () => {
      const f = fakeOutput({ highWaterMark: 16 * 1024, delayMs: 1 });
      const batchBytes = 4096;
      const highWaterMark = 32 * 1024;
      const sink = new Sink(f.out, { batchBytes, highWaterMark });
      const line = Buffer.alloc(149, 0x61);
      const burstLines = 20; // what one tail would write for one network chunk
      const total = 6000;
      let written = 0;
      let maxHeld = 0;
      let pauses = 0;
      await new Promise<void>((resolve) => {
        const produce = (): void => {
          while (written < total) {
            for (let i = 0; i < burstLines && written < total; i++, written++) {
              sink.writeLine(NONE, line, 0, line.length, NONE);
            }
            // bytes accepted by the sink but not yet completed by the output
            maxHeld = Math.max(maxHeld, sink.stats.bytes - f.done());
            if (sink.saturated) {
              pauses++;
              sink.whenDrained(produce);
              return;
            }
          }
          resolve();
        };
        produce();
      });
      await sink.drainAll();
      expect(pauses).toBeGreaterThan(5);
      expect(maxHeld).toBeLessThanOrEqual(highWaterMark + batchBytes + burstLines * 150);
      expect(f.done()).toBe(total * 150);
    });

    it('wakes paused producers oldest first, only as many as the room takes, and every one in the end', async () => {
      const f = fakeOutput({ highWaterMark: 16 * 1024, delayMs: 1 });
      const highWaterMark = 64 * 1024;
      const sink = new Sink(f.out, { batchBytes: 16 * 1024, highWaterMark });
      const line = Buffer.alloc(1023, 0x61);
      const writeKiB = (kib: number): void => {
        for (let i = 0; i < kib; i++) sink.writeLine(NONE, line, 0, line.length, NONE);
      };
      writeKiB(80);
      expect(sink.saturated).toBe(true);
      // 200 paused streams, each handing over 16 KiB of read-ahead on the tick after it is woken
      const woken: number[] = [];
      let maxHeld = 0;
      for (let i = 0; i < 200; i++)
        sink.whenDrained(() => {
          woken.push(i);
          process.nextTick(() => {
            writeKiB(16);
            maxHeld = Math.max(maxHeld, sink.stats.bytes - f.done());
          });
        });
      while (woken.length < 200) await new Promise((r) => setTimeout(r, 5));
      await sink.drainAll();
      expect(woken).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(f.done()).toBe((80 + 200 * 16) * 1024);
      // all woken at once, they would have held 200 × 16 KiB (3.2 MiB) at one moment
      expect(maxHeld).toBeLessThanOrEqual(highWaterMark + 2 * 16 * 1024);
    });

    it('drainAll resolves only after every write callback, and at once when nothing is pending', async () => {
      const f = fakeOutput({ delayMs: 10 });
      const sink = new Sink(f.out, { batchBytes: 100 });
      await sink.drainAll();
      for (let i = 0; i < 30; i++) sink.writeLine(NONE, b('0123456789'), 0, 10, NONE);
      await sink.drainAll();
      expect(f.done()).toBe(330);
      expect(f.out.writableLength).toBe(0);
    });
  });

  describe('the reader goes away', () => {
    it.each([
      ['EPIPE', true],
      ['ERR_STREAM_DESTROYED', true],
      ['ECONNRESET', true],
      ['ENOSPC', false],
      ['EIO', false],
    ])('isReaderGone(%s) is %s', (code, expected) => {
      expect(isReaderGone(errorWithCode(code))).toBe(expected);
    });

    it('isReaderGone tolerates non-errors', () => {
      expect(isReaderGone(null)).toBe(false);
      expect(isReaderGone('EPIPE')).toBe(false);
    });

    it('EPIPE: onClosed is called once, later writes are dropped, nothing throws, waiters are released', async () => {
      let writes = 0;
      const out = new Writable({
        write(_chunk, _enc, cb) {
          writes++;
          setTimeout(() => cb(errorWithCode('EPIPE')), 2);
        },
      });
      const sink = new Sink(out, { batchBytes: 64, highWaterMark: 100 });
      const closed: Error[] = [];
      sink.onClosed((err) => closed.push(err));
      const line = Buffer.alloc(50, 0x61);
      for (let i = 0; i < 10; i++) sink.writeLine(NONE, line, 0, line.length, NONE);
      expect(sink.saturated).toBe(true);
      const released = new Promise<void>((resolve) => sink.whenDrained(resolve));
      const drained = sink.drainAll();
      await released;
      await drained;
      expect(closed).toHaveLength(1);
      expect((closed[0] as NodeJS.ErrnoException).code).toBe('EPIPE');
      expect(sink.closedBy).toBe(closed[0]);
      expect(sink.saturated).toBe(false);

      const statsBefore = { ...sink.stats };
      sink.writeLine(NONE, line, 0, line.length, NONE);
      sink.writeRaw(b('{}\n'));
      sink.flush();
      await sink.drainAll();
      await tick();
      expect(sink.stats).toEqual(statsBefore);
      expect(writes).toBe(1);
      expect(closed).toHaveLength(1);

      const late: Error[] = [];
      sink.onClosed((err) => late.push(err));
      await Promise.resolve();
      expect(late).toEqual(closed);
    });

    it('ERR_STREAM_DESTROYED: a destroyed output closes the sink without an error event', async () => {
      const f = fakeOutput();
      const sink = new Sink(f.out);
      const closed: Error[] = [];
      sink.onClosed((err) => closed.push(err));
      f.out.destroy();
      sink.writeLine(NONE, b('lost'), 0, 4, NONE);
      await sink.drainAll();
      await tick();
      expect(closed.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ERR_STREAM_DESTROYED']);
    });

    describe('a real pipe (child process)', () => {
      let dir = '';
      let compiledSink = '';
      const fixture = fileURLToPath(new URL('../fixtures/sink-epipe.mjs', import.meta.url));

      beforeAll(() => {
        // No TS runner is installed: transpile sink.ts (it has no relative imports) for the child.
        dir = mkdtempSync(join(tmpdir(), 'ktail-sink-'));
        const source = readFileSync(fileURLToPath(new URL('../../src/output/sink.ts', import.meta.url)), 'utf8');
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
        });
        compiledSink = join(dir, 'sink.mjs');
        writeFileSync(compiledSink, outputText);
      });
      afterAll(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      it('the writer exits 0 with an empty stderr once the reader closes after the first line', async () => {
        const child = spawn(process.execPath, [fixture, compiledSink], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        let first = '';
        child.stdout.on('data', (d: Buffer) => {
          if (first.includes('\n')) return;
          first += d.toString('utf8');
          // like `head -1`: take one line, then close the read end
          if (first.includes('\n')) child.stdout.destroy();
        });
        const started = Date.now();
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
          child.on('close', (c, s) => resolve([c, s])),
        );
        expect(first.split('\n')[0]).toBe(`web-7d9 app ${'x'.repeat(130)} end`);
        expect(stderr).toBe('');
        expect({ code, signal }).toEqual({ code: 0, signal: null });
        expect(Date.now() - started).toBeLessThan(10_000);
      });

      it('`writer | head -1` in a shell: exit status 0, no stack trace', async () => {
        const script = `"${process.execPath}" "${fixture}" "${compiledSink}" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
        const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        await new Promise((resolve) => child.on('close', resolve));
        expect(stderr).toBe('');
        expect(stdout.trim()).toBe('0');
      });
    });
  });
});
