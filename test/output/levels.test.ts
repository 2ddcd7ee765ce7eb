/** Levels: the scale and its colours, each format's detector, the per-source reader, --level. */
import { describe, expect, it, vi } from 'vitest';
import { jsonLevel, klogLevel, LevelReader, logfmtLevel, plainLevel } from '../../src/output/level-detect.js';
import { filterByLevel, isContinuation } from '../../src/output/level-filter.js';
import { LEVEL_THRESHOLD, levelFromName, levelFromNumber, levelSgr, levelWord, NO_LEVEL } from '../../src/output/levels.js';

/** The line inside a larger buffer, as a tail hands it over: bytes before and after must not count. */
const line = (s: string): [Buffer, number, number] => {
  const b = Buffer.from(`xx${s}yy`);
  return [b, 2, 2 + Buffer.byteLength(s)];
};

const [TRACE, DEBUG, INFO, WARN, ERROR, FATAL] = [10, 20, 30, 40, 50, 60];

describe('the level scale', () => {
  it.each<[string, number]>([
    ['warning', WARN],
    ['WARN', WARN],
    ['Err', ERROR],
    ['eror', ERROR],
    ['critical', FATAL],
    ['dpanic', FATAL],
    ['verbose', TRACE],
    ['dbug', DEBUG],
    ['Information', INFO],
    ['notice', INFO],
    ['chatty', NO_LEVEL],
    ['', NO_LEVEL],
  ])('levelFromName(%j) = %d', (name, level) => {
    expect(levelFromName(name)).toBe(level);
  });

  it.each<[number, number]>([
    [10, TRACE],
    [20, DEBUG],
    [30, INFO],
    [35, INFO],
    [40, WARN],
    [50, ERROR],
    [60, FATAL],
    [70, FATAL],
    [5, NO_LEVEL],
    [Number.NaN, NO_LEVEL],
  ])('pino/bunyan number %d', (n, level) => {
    expect(levelFromNumber(n)).toBe(level);
  });

  it.each<[number, string | undefined, string]>([
    [TRACE, '2', 'TRACE'],
    [DEBUG, '2', 'DEBUG'],
    [INFO, undefined, 'INFO'],
    [WARN, '33', 'WARN'],
    [ERROR, '31', 'ERROR'],
    [FATAL, '31', 'FATAL'],
    [NO_LEVEL, undefined, ''],
  ])('level %d: colour %s, word %s', (level, sgr, word) => {
    expect([levelSgr(level), levelWord(level)]).toEqual([sgr, word]);
  });

  it('--level words are on the same scale', () => {
    expect(LEVEL_THRESHOLD).toEqual({ debug: DEBUG, info: INFO, warn: WARN, error: ERROR });
  });
});

describe('JSON', () => {
  it.each<[string, string, number]>([
    ['level error', '{"level":"error","msg":"x"}', ERROR],
    ['level ERROR', '{"level":"ERROR"}', ERROR],
    ['severity (Google Cloud)', '{"severity":"WARNING","message":"x"}', WARN],
    ['lvl', '{"lvl":"debug"}', DEBUG],
    ['pino 50', '{"level":50,"time":1,"msg":"x"}', ERROR],
    ['pino 30', '{"level":30}', INFO],
    ['bunyan 10', '{"name":"a","level":10,"v":0}', TRACE],
    ['ECS, dotted key', '{"@timestamp":"2026-01-01T00:00:00Z","log.level":"warn","message":"x"}', WARN],
    ['ECS, nested', '{"log":{"level":"error","logger":"app"},"message":"x"}', ERROR],
    ['level wins over severity', '{"severity":"debug","level":"error"}', ERROR],
    ['an unknown level', '{"level":"chatty"}', NO_LEVEL],
    ['no level key', '{"msg":"level: error"}', NO_LEVEL],
    ['the key nested elsewhere', '{"a":{"level":"error"}}', NO_LEVEL],
    ['"log" as a string', '{"log":"level error"}', NO_LEVEL],
    ['not JSON', 'level=error msg=x', NO_LEVEL],
    ['a line cut short (the runtime splits very long lines) keeps its level', '{"level":"error","msg":"aaa', ERROR],
    ['not JSON after all', '{level: error}', NO_LEVEL],
    ['a value with an escape names no level', '{"level":"err\\u006fr"}', NO_LEVEL],
    ['a level key inside a string value', '{"msg":"\\"level\\":\\"error\\"","a":1}', NO_LEVEL],
    ['a level key in an array', '{"a":[{"level":"error"}]}', NO_LEVEL],
    ['"log" holding an array', '{"log":[{"level":"error"}]}', NO_LEVEL],
    ['a level after a nested log object', '{"log":{"file":"x"},"x":{"level":"error"},"lvl":"warn"}', WARN],
    ['spaces around the colon', '{ "level" : "warn" }', WARN],
    ['pino number with a fraction', '{"level":50.5}', ERROR],
    ['JSON after a space', ' {"level":"error"}', NO_LEVEL],
    ['an empty line', '', NO_LEVEL],
  ])('%s', (_name, s, level) => {
    expect(jsonLevel(...line(s))).toBe(level);
  });
});

describe('klog', () => {
  it.each<[string, number]>([
    ['I1122 10:00:00.000000       1 main.go:42] started', INFO],
    ['W1122 10:00:00.000000       1 main.go:42] slow', WARN],
    ['E1122 10:00:00.123456   12345 reflector.go:138] failed to list', ERROR],
    ['F0101 23:59:59.999999 1 main.go:1] dying', FATAL],
    ['X1122 10:00:00.000000 1 a.go:1] not a level letter', NO_LEVEL],
    ['E112 10:00:00.000000 too few digits', NO_LEVEL],
    ['Error 10:00:00 is prose', NO_LEVEL],
    ['E1122 10:00', NO_LEVEL],
  ])('%s', (s, level) => {
    expect(klogLevel(...line(s))).toBe(level);
  });
});

describe('logfmt', () => {
  it.each<[string, number]>([
    ['time=2026-01-01T00:00:00Z level=info msg="hello"', INFO],
    ['level=error msg=x', ERROR],
    ['time="2026-01-01" level=warning msg="x"', WARN],
    ['t=2026 lvl=eror msg="log15"', ERROR],
    ['level="debug" msg=x', DEBUG],
    ['time=x level=WARN+2 msg="slog in between"', WARN],
    ['severity=critical x=1', FATAL],
    ['loglevel=error is another key', NO_LEVEL],
    ['msg="no level here"', NO_LEVEL],
    ['level=', NO_LEVEL],
  ])('%s', (s, level) => {
    expect(logfmtLevel(...line(s))).toBe(level);
  });

  it('a key cut off at the end of the line is not read from the next bytes', () => {
    const b = Buffer.from('msg=x leverror');
    expect(logfmtLevel(b, 0, 10)).toBe(NO_LEVEL);
  });
});

describe('plain text', () => {
  it.each<[string, number]>([
    ['ERROR handler /cart: timed out', ERROR],
    ['INFO  GET / 200', INFO],
    ['WARN: disk 91% full', WARN],
    ['WARNING: deprecated', WARN],
    ['DEBUG', DEBUG],
    ['FATAL config: key not set', FATAL],
    ['ERROR:root:python logging', ERROR],
    ['[ERROR] bracketed', ERROR],
    ['[warn] nginx style', WARN],
    ['2026-11-30T10:00:00.123Z INFO after an RFC3339 time', INFO],
    ['2026-11-30 10:00:00.123  WARN 1 --- [main] spring boot', WARN],
    ['2026/11/30 10:00:00 [error] 7#7: nginx error log', ERROR],
    ['[2026-11-30 10:00:00,123] ERROR bracketed time', ERROR],
    ['10:00:00.123 DEBUG time only', DEBUG],
    ['Error: lower case prose is not a level', NO_LEVEL],
    ['error: neither', NO_LEVEL],
    ['the ERROR is not at the start', NO_LEVEL],
    ['ERRORS is another word', NO_LEVEL],
    ['INFORMATIONAL', NO_LEVEL],
    ['[chatty] unknown', NO_LEVEL],
    ['[ERROR unclosed', NO_LEVEL],
    ['2026-11-30 nothing', NO_LEVEL],
    ['', NO_LEVEL],
    ['    at Object.<anonymous> (/app/index.js:1:1)', NO_LEVEL],
  ])('%s', (s, level) => {
    expect(plainLevel(...line(s))).toBe(level);
  });

  it('a word cut off at the end of the line is not completed by the next bytes', () => {
    const b = Buffer.from('WARNING');
    expect(plainLevel(b, 0, 4)).toBe(WARN); // "WARN" then end of line
    expect(plainLevel(Buffer.from('[warn]'), 0, 5)).toBe(NO_LEVEL); // "[warn" without its bracket
  });
});

describe('LevelReader: one detector per source, the others on a miss', () => {
  it('reads every format, mixed in one source', () => {
    const r = new LevelReader();
    const levels = [
      '{"level":"warn"}',
      'E1122 10:00:00.000000 1 a.go:1] x',
      'level=debug msg=x',
      'ERROR plain',
      'a line without level',
      '{"level":40}',
    ].map((s) => r.levelOf(...line(s)));
    expect(levels).toEqual([WARN, ERROR, DEBUG, ERROR, NO_LEVEL, WARN]);
  });

  it('once a source is logfmt, a line is read by the logfmt detector alone', () => {
    const r = new LevelReader();
    expect(r.levelOf(...line('level=info msg=first'))).toBe(INFO);
    const parse = vi.spyOn(JSON, 'parse');
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    try {
      expect(r.levelOf(...line('level=error msg=second'))).toBe(ERROR);
      expect(parse).not.toHaveBeenCalled();
      expect(indexOf).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
      indexOf.mockRestore();
    }
  });

  it('a line in another format makes its detector the first one', () => {
    const r = new LevelReader();
    r.levelOf(...line('level=info msg=x'));
    expect(r.levelOf(...line('[error] now plain'))).toBe(ERROR);
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    try {
      expect(r.levelOf(...line('[warn] plain again'))).toBe(WARN);
      expect(indexOf).not.toHaveBeenCalled(); // the logfmt detector was not asked
    } finally {
      indexOf.mockRestore();
    }
  });

  it('the level the --level filter found is handed to the writer behind it, and forgotten after', () => {
    const r = new LevelReader();
    const seen: number[] = [];
    r.writeKnowing(ERROR, (b, _l, _t, s, e) => seen.push(r.levelOf(b, s, e)), ...lineArgs('INFO text'));
    seen.push(r.levelOf(...line('INFO text')));
    expect(seen).toEqual([ERROR, INFO]);
  });
});

/** (buf, lineStart, tsEnd, msgStart, end) of a line without a timestamp */
function lineArgs(s: string): [Buffer, number, number, number, number] {
  const [b, start, end] = line(s);
  return [b, start, start, start, end];
}

describe('--level', () => {
  const run = (threshold: number, strict: boolean, lines: string[]): string[] => {
    const kept: string[] = [];
    const write = filterByLevel((b, _l, _t, s, e) => kept.push(b.toString('utf8', s, e)), new LevelReader(), { threshold, strict });
    for (const l of lines) write(...lineArgs(l));
    return kept;
  };

  it('keeps lines at or above the level, and lines without one', () => {
    const lines = ['DEBUG a', 'INFO b', 'WARN c', 'ERROR d', 'FATAL e', 'no level', '{"level":"trace"}'];
    expect(run(WARN, false, lines)).toEqual(['WARN c', 'ERROR d', 'FATAL e', 'no level']);
    expect(run(DEBUG, false, lines)).toEqual(['DEBUG a', 'INFO b', 'WARN c', 'ERROR d', 'FATAL e', 'no level']);
  });

  it('--level-strict drops lines without a level', () => {
    expect(run(INFO, true, ['no level', 'INFO b', 'plain'])).toEqual(['INFO b']);
  });

  const trace = ['ERROR boom', '    at f (/app/a.js:1:1)', '\tat g', 'Caused by: io', '    ... 3 more'];
  it('a stack trace goes with its line: kept with a kept error, even under --level-strict', () => {
    expect(run(ERROR, true, ['INFO x', ...trace, 'INFO y'])).toEqual(trace);
  });

  it('a stack trace goes with its line: dropped with a dropped one, even when lines without level are kept', () => {
    expect(run(ERROR, false, ['WARN slow', '    at f', 'Caused by: x', 'unrelated', '    at g'])).toEqual(['unrelated', '    at g']);
  });

  it('an indented first line of a source follows the rule for lines without level', () => {
    expect(run(ERROR, false, ['    at f'])).toEqual(['    at f']);
    expect(run(ERROR, true, ['    at f'])).toEqual([]);
  });

  it.each<[string, boolean]>([
    ['  File "app.py", line 1', true],
    ['\tat Main.main(Main.java:5)', true],
    ['Caused by: java.io.IOException', true],
    ['Traceback (most recent call last):', true],
    ['goroutine 1 [running]:', false],
    ['', false],
    ['Caused', false],
  ])('continuation %j: %s', (s, yes) => {
    expect(isContinuation(...line(s))).toBe(yes);
  });
});
