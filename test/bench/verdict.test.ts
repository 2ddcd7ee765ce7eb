import { describe, expect, it } from 'vitest';
import { checkDelivery, limitCounts } from '../../bench/verdict.js';
import type { Measured } from '../../bench/measure.js';

const run = (over: Partial<Measured> = {}): Measured => ({
  exitCode: 0,
  cpuSeconds: 1,
  peakRssMb: 50,
  wallSeconds: 2,
  firstByteSeconds: 0.2,
  stdoutLines: 1000,
  stdoutBytes: 150_000,
  stderr: '',
  ...over,
});

describe('the bench checks what was delivered', () => {
  it('passes a run that delivered every line the server sent', () => {
    const failures: string[] = [];
    const d = checkDelivery('ktail', run(), { lines: 1000, bytes: 150_000 }, 1000, { lines: 1000, bytes: 160_000 }, failures);
    expect(failures).toEqual([]);
    expect(d.lines).toBe(1000);
  });

  it('fails a short count, and keeps the delivered count for the rate', () => {
    const failures: string[] = [];
    const d = checkDelivery('ktail', run(), { lines: 990, bytes: 148_500 }, 1000, { lines: 1000, bytes: 160_000 }, failures);
    expect(failures).toEqual(['ktail: 990 lines delivered, 1000 expected']);
    expect(d.lines).toBe(990);
  });

  it('fails a non-zero exit with the first line of stderr', () => {
    const failures: string[] = [];
    checkDelivery(
      'kubectl',
      run({ exitCode: 1, stderr: 'error: boom\nmore' }),
      { lines: 1000, bytes: 1 },
      1000,
      { lines: 1000, bytes: 1 },
      failures,
    );
    expect(failures).toEqual(['kubectl: exit code 1 (error: boom)']);
  });

  it("fails a limit reader whose bytes differ from the server's", () => {
    const failures: string[] = [];
    checkDelivery('limit', run(), { lines: 1000, bytes: 159_999 }, 1000, { lines: 1000, bytes: 160_000 }, failures);
    expect(failures).toEqual(['limit: read 159999 bytes, the server sent 160000']);
  });

  it('fails a server that sent fewer lines than were written', () => {
    const failures: string[] = [];
    checkDelivery('ktail', run(), { lines: 1000, bytes: 1 }, 1000, { lines: 999, bytes: 1 }, failures);
    expect(failures).toEqual(['ktail: the server sent 999 lines, 1000 expected']);
  });

  it("reads the limit reader's own count, and a missing one as NaN (which no count equals)", () => {
    expect(limitCounts('x\nlimit-reader: 1234 bytes 56 lines\n')).toEqual({ bytes: 1234, lines: 56 });
    const missing = limitCounts('crashed');
    const failures: string[] = [];
    checkDelivery('limit', run(), missing, 10, { lines: 10, bytes: 5 }, failures);
    expect(failures).toHaveLength(2);
  });
});
