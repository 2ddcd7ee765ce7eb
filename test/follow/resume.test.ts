import { describe, expect, it } from 'vitest';
import { ResumePoint } from '../../src/follow/resume.js';

/** Marks each timestamp as shown, the way Tail does: the timestamp as a range of a line buffer. */
function show(r: ResumePoint, ...timestamps: string[]): void {
  for (const ts of timestamps) {
    const line = Buffer.from(`${ts} some message\n`, 'latin1');
    r.shown(line, 0, ts.length);
  }
}

/** Which lines (`TIMESTAMP MESSAGE`) of a resumed stream are passed on. */
function resumed(r: ResumePoint, lines: string[]): string[] {
  r.beginResume();
  return lines.filter((line) => {
    // a line in the middle of a larger buffer, as a chunk from the stream delivers it
    const buf = Buffer.from(`xx${line}\nyy`, 'latin1');
    const sp = line.indexOf(' ');
    return !r.alreadyShown(buf, 2, 2 + sp);
  });
}

const T1 = '2026-01-01T10:00:01.000000001Z';
const T2 = '2026-01-01T10:00:02.5Z';
const T3 = '2026-01-01T10:00:03Z';

describe('ResumePoint', () => {
  it('has no position until a line is shown', () => {
    const r = new ResumePoint();
    expect(r.hasPosition).toBe(false);
    show(r, T1);
    expect(r.hasPosition).toBe(true);
    expect(r.sinceTime).toBe(T1);
  });

  it('sinceTime is the last shown timestamp', () => {
    const r = new ResumePoint();
    show(r, T1, T2, T2, T3);
    expect(r.sinceTime).toBe(T3);
    show(r, T1);
    expect(r.sinceTime).toBe(T1);
  });

  it('without a position nothing is skipped', () => {
    const r = new ResumePoint();
    const lines = [`${T1} a`, `${T1} a`, `${T2} b`];
    expect(resumed(r, lines)).toEqual(lines);
  });

  it('without beginResume nothing is skipped', () => {
    const r = new ResumePoint();
    show(r, T2);
    const buf = Buffer.from(`${T1} old`);
    expect(r.alreadyShown(buf, 0, T1.length)).toBe(false);
  });

  it.each<[string, string[], string[], string[]]>([
    ['older lines are skipped, the first newer one ends the resume', [T1, T2], [`${T1} a`, `${T2} b`, `${T3} c`], [`${T3} c`]],
    [
      'identical timestamps are skipped as many times as shown',
      [T1, T2, T2],
      [`${T2} b1`, `${T2} b2`, `${T2} b3`, `${T3} c`],
      [`${T2} b3`, `${T3} c`],
    ],
    ['identical lines too: counted, not compared by text', [T2, T2], [`${T2} same`, `${T2} same`, `${T2} same`], [`${T2} same`]],
    [
      'once over, older lines are no longer skipped',
      [T2],
      [`${T2} b`, `${T3} c`, `${T1} clock went back`],
      [`${T3} c`, `${T1} clock went back`],
    ],
    ['a line without a timestamp during a resume is skipped (sorts first)', [T2], ['nots here'], []],
    [
      'shorter fraction that is older (…01.1Z < …01.12Z)',
      ['2026-01-01T10:00:01.12Z'],
      ['2026-01-01T10:00:01.1Z old', '2026-01-01T10:00:01.12Z seen', '2026-01-01T10:00:01.13Z new'],
      ['2026-01-01T10:00:01.13Z new'],
    ],
    [
      'shorter fraction that is newer (…01.2Z > …01.12Z)',
      ['2026-01-01T10:00:01.12Z'],
      ['2026-01-01T10:00:01.12Z seen', '2026-01-01T10:00:01.2Z new'],
      ['2026-01-01T10:00:01.2Z new'],
    ],
    [
      'no fraction vs a fraction (…01Z < …01.5Z)',
      ['2026-01-01T10:00:01.5Z'],
      ['2026-01-01T10:00:01Z old', '2026-01-01T10:00:01.5Z seen', '2026-01-01T10:00:02Z new'],
      ['2026-01-01T10:00:02Z new'],
    ],
    [
      'a longer fraction that is newer (…41.1Z < …41.12Z)',
      ['2026-01-01T10:00:41.1Z'],
      ['2026-01-01T10:00:41.1Z seen', '2026-01-01T10:00:41.12Z new'],
      ['2026-01-01T10:00:41.12Z new'],
    ],
    [
      'the first newer line ends the resume at once, even if the stream restarted further back',
      [T1],
      [`${T3} c`, `${T1} a`],
      [`${T3} c`, `${T1} a`],
    ],
  ])('%s', (_name, shownTs, stream, expected) => {
    const r = new ResumePoint();
    show(r, ...shownTs);
    expect(resumed(r, stream)).toEqual(expected);
  });

  it('each resume skips from the position again, with counts that grow', () => {
    const r = new ResumePoint();
    show(r, T2);
    expect(resumed(r, [`${T2} a`, `${T2} b`])).toEqual([`${T2} b`]);
    show(r, T2); // the b line was shown: T2 has now been shown twice
    expect(resumed(r, [`${T2} a`, `${T2} b`, `${T2} c`])).toEqual([`${T2} c`]);
  });

  it('a new timestamp resets the count', () => {
    const r = new ResumePoint();
    show(r, T2, T2, T2, T3);
    expect(resumed(r, [`${T2} old`, `${T3} c1`, `${T3} c2`])).toEqual([`${T3} c2`]);
  });

  it('refers to the shown buffer until keep(), and owns the position after it', () => {
    const r = new ResumePoint();
    const buf = Buffer.from(`${T1} a\n${T2} b\n`, 'latin1');
    r.shown(buf, 0, T1.length);
    r.shown(buf, T1.length + 3, T1.length + 3 + T2.length);
    r.keep();
    buf.fill(0x41);
    expect(r.sinceTime).toBe(T2);
  });

  it('counts a repeat of a timestamp still referred to, and of one kept', () => {
    const r = new ResumePoint();
    const buf = Buffer.from(`${T2} a\n${T2} b\n`, 'latin1');
    r.shown(buf, 0, T2.length);
    r.shown(buf, T2.length + 3, T2.length + 3 + T2.length);
    r.keep();
    show(r, T2); // a third line with the same timestamp, from another buffer
    expect(resumed(r, [`${T2} a`, `${T2} b`, `${T2} c`, `${T2} d`])).toEqual([`${T2} d`]);
  });
});

describe('ResumePoint: a log rotated past the position', () => {
  const gaps = (): { r: ResumePoint; seen: string[] } => {
    const seen: string[] = [];
    return { r: new ResumePoint((from, to) => seen.push(`${from} → ${to}`)), seen };
  };

  it.each<[string, string[], string[]]>([
    ['the last line shown comes back first: nothing missing', [`${T2} again`, `${T3} new`], []],
    [
      'earlier lines of its second come back first (sinceTime truncated): nothing missing',
      ['2026-01-01T10:00:02Z x', `${T2} again`, `${T3} new`],
      [],
    ],
    [
      'only later lines: the file starts past the position, the span is said once',
      [`${T3} new`, '2026-01-01T10:00:04Z newer'],
      [`${T2} → ${T3}`],
    ],
  ])('%s', (_name, lines, expected) => {
    const { r, seen } = gaps();
    show(r, T1, T2);
    resumed(r, lines);
    expect(seen).toEqual(expected);
  });

  it('a resume with no line yet says nothing; the first line after decides', () => {
    const { r, seen } = gaps();
    show(r, T2);
    expect(resumed(r, [])).toEqual([]);
    expect(seen).toEqual([]);
    r.beginResume();
    expect(resumed(r, [`${T3} later`])).toEqual([`${T3} later`]);
    expect(seen).toEqual([`${T2} → ${T3}`]);
  });
});
