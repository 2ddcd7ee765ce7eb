/** -o pretty: JSON and logfmt lines read into fields, rendered for a person; other lines unchanged. */
import { describe, expect, it } from 'vitest';
import { makeLineFilter } from '../../src/output/filters.js';
import { makeLineWriter, type FormatSettings } from '../../src/output/format.js';
import { jsonFields } from '../../src/output/json-fields.js';
import { logfmtFields, logfmtQuote } from '../../src/output/logfmt.js';
import { renderFields } from '../../src/output/pretty.js';
import { Pattern } from '../../src/common/regex.js';
import { label, RecordingSink } from '../helpers/output.js';
import { inTimeZone } from '../helpers/time-zone.js';

const TS = '2026-01-02T15:04:05.123456789Z';
const pairs = (fields: { key: string; shown: string }[] | undefined): string[] | undefined => fields?.map((f) => `${f.key}=${f.shown}`);

describe('JSON lines as fields', () => {
  it.each<[string, string, string[] | undefined]>([
    [
      'flat',
      '{"level":"info","msg":"order paid","id":42,"ok":true,"x":null}',
      ['level=info', 'msg="order paid"', 'id=42', 'ok=true', 'x=null'],
    ],
    ['nested objects become dotted keys', '{"http":{"req":{"method":"GET"},"status":500}}', ['http.req.method=GET', 'http.status=500']],
    ['ECS: log.level nested', '{"log":{"level":"warn","logger":"app"}}', ['log.level=warn', 'log.logger=app']],
    ['an empty object stays', '{"a":{},"b":1}', ['a={}', 'b=1']],
    ['arrays as compact JSON', '{"tags": [ "a b", 1, {"k": [2]} ]}', ['tags=["a b",1,{"k":[2]}]']],
    ['big integers keep every digit', '{"trace":12345678901234567890123}', ['trace=12345678901234567890123']],
    ['numbers as written', '{"a":1.50,"b":-2e10}', ['a=1.50', 'b=-2e10']],
    ['escapes decoded, then quoted as logfmt does', '{"m":"say \\"hi\\"\\n","k\\u00e9":"caf\\u00e9"}', ['m="say \\"hi\\"\\n"', 'ké=café']],
    ['whitespace around everything', ' { "a" : "b" , "c" : { "d" : 1 } } ', ['a=b', 'c.d=1']],
    ['an empty string is quoted', '{"a":""}', ['a=""']],
    ['not JSON', '{"a":', undefined],
    ['a bare word', '{"a":yes}', undefined],
    ['a bad number', '{"a":01}', undefined],
    ['a missing comma', '{"a":1 "b":2}', undefined],
    ['a trailing comma', '{"a":1,}', undefined],
    ['text after the object', '{"a":1} and more', undefined],
    ['an unclosed string', '{"a":"b}', undefined],
    ['a raw control character in a string', '{"a":"b\u0001"}', undefined],
    ['a bad escape', '{"a":"\\q"}', undefined],
    ['a key that is no string', '{a:1}', undefined],
    ['a bad array', '{"a":[1,]}', undefined],
    ['an unclosed nested object', '{"a":{"b":1}', undefined],
    ['nested deeper than the stack', `{"a":${'['.repeat(200_000)}`, undefined],
    ['an array line', '[1,2]', undefined],
    ['a string line', '"x"', undefined],
  ])('%s', (_name, text, expected) => {
    expect(pairs(jsonFields(text))).toEqual(expected);
  });

  it('the value is the decoded text', () => {
    expect(jsonFields('{"msg":"a\\tb","n":7}')?.map((f) => f.value)).toEqual(['a\tb', '7']);
  });
});

describe('logfmt lines as fields', () => {
  it.each<[string, string, [string, string][] | undefined]>([
    [
      'logrus',
      'time="2026-01-02T15:04:05Z" level=info msg="order paid" id=42',
      [
        ['time', '2026-01-02T15:04:05Z'],
        ['level', 'info'],
        ['msg', 'order paid'],
        ['id', '42'],
      ],
    ],
    [
      'slog, escapes',
      'level=WARN msg="say \\"hi\\"" k=',
      [
        ['level', 'WARN'],
        ['msg', 'say "hi"'],
        ['k', ''],
      ],
    ],
    [
      'spaces around',
      '  a=1\tb=2  ',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['a Go escape JSON lacks stays visible', 'msg="a\\x1bb"', [['msg', 'a\\x1bb']]],
    ['a word without =', 'INFO GET /?a=b', undefined],
    ['prose with =', 'set a=b now', undefined],
    ['an open quote', 'msg="never closed', undefined],
    ['a quote inside a bare value', 'a=b"c', undefined],
    ['text right after a quoted value', 'a="b"c', undefined],
    ['an empty key', '=x', undefined],
    ['nothing', '', undefined],
  ])('%s', (_name, text, expected) => {
    expect(logfmtFields(text)?.map((f) => [f.key, f.value])).toEqual(expected);
  });

  it('a quoted value is shown as the application wrote it', () => {
    expect(logfmtFields('msg="a\\x1bb" n=1')?.map((f) => f.shown)).toEqual(['"a\\x1bb"', '1']);
  });

  it.each<[string, string]>([
    ['plain', 'plain'],
    ['', '""'],
    ['two words', '"two words"'],
    ['a=b', '"a=b"'],
    ['say "x"', '"say \\"x\\""'],
    ['esc\x1b[2J', '"esc\\u001b[2J"'],
    ['del\x7f c1\u009b bidi\u202e', '"del\\u007f c1\\u009b bidi\\u202e"'],
    ['naïve', 'naïve'],
  ])('logfmtQuote(%j) = %s', (value, quoted) => {
    expect(logfmtQuote(value)).toBe(quoted);
  });
});

describe('renderFields', () => {
  const render = (text: string, color = false): string => {
    const { level, body } = renderFields(jsonFields(text) ?? logfmtFields(text)!, color);
    return level + body;
  };

  it.each<[string, string, string]>([
    ['level, message, the rest', '{"level":"warn","msg":"slow","ms":1200}', 'WARN  slow ms=1200'],
    ['pino numbers and its fields', '{"level":50,"time":1,"pid":7,"msg":"boom"}', 'ERROR boom time=1 pid=7'],
    ['message from "message"', '{"severity":"ERROR","message":"x"}', 'ERROR x'],
    ['message from "log" (docker json-file)', '{"log":"hello","stream":"stdout"}', 'hello stream=stdout'],
    ['ECS nested level', '{"log":{"level":"debug","logger":"db"},"message":"q"}', 'DEBUG q log.logger=db'],
    ['ECS dotted level', '{"log.level":"info","message":"q"}', 'INFO  q'],
    ['logfmt', 'time=2026 level=error msg="card declined" order=9', 'ERROR card declined time=2026 order=9'],
    ['log15: lvl and eror', 'lvl=eror msg=x', 'ERROR x'],
    ['no level', '{"msg":"m","a":1}', 'm a=1'],
    ['no message', '{"level":"info","a":1}', 'INFO  a=1'],
    ['level alone (the writer trims the padding)', '{"level":"info"}', 'INFO  '],
    ['an unknown level as written', '{"level":"chatty","msg":"x"}', 'chatty x'],
    ['a message on one line', '{"msg":"a\\nb\\r"}', 'a\\nb\\r'],
    ['a message that is no string', '{"msg":42}', '42'],
    ['the first message key wins, the others are fields', '{"message":"b","msg":"a"}', 'a message=b'],
  ])('%s', (_name, text, out) => {
    expect(render(text)).toBe(out);
  });

  it('on colour, the level word is in its colour (info has none)', () => {
    expect(render('{"level":"error","msg":"x"}', true)).toBe('\x1b[31mERROR\x1b[0m x');
    expect(render('{"level":"info","msg":"x"}', true)).toBe('INFO  x');
  });
});

describe('makeLineWriter -o pretty', () => {
  inTimeZone('UTC');

  const settings = (s: Partial<FormatSettings> = {}): FormatSettings => ({
    output: 'pretty',
    timestamps: false,
    escapeControls: false,
    ...s,
  });
  const write = (s: FormatSettings, messages: string[]): string[] => {
    const sink = new RecordingSink();
    const writer = makeLineWriter(label(), s, sink.asSink);
    for (const m of messages) {
      const buf = Buffer.from(`${TS} ${m}`);
      writer(buf, 0, TS.length, TS.length + 1, buf.length);
    }
    return sink.out.map((l) => l.slice(0, -1));
  };
  const rx = (s: string): Pattern => new Pattern(s);

  it.each<[string, Partial<FormatSettings>, string[], string[]]>([
    [
      'JSON and logfmt rendered, other lines unchanged',
      {},
      ['{"level":"info","msg":"up","port":80}', 'level=warn msg="disk full"', 'plain text', 'a=b c', '{"level":"info"}', '{}'],
      [
        'web-7d9 app INFO  up port=80',
        'web-7d9 app WARN  disk full',
        'web-7d9 app plain text',
        'web-7d9 app a=b c',
        'web-7d9 app INFO',
        'web-7d9 app {}',
      ],
    ],
    [
      '-t: the short time on every line',
      { timestamps: 'default' },
      ['{"level":"info","msg":"up"}', 'plain'],
      ['web-7d9 app 01-02 15:04:05 INFO  up', 'web-7d9 app 01-02 15:04:05 plain'],
    ],
    [
      'colour: the level word coloured, a plain line coloured by its level as in the default layout',
      { levelColors: true, color: true },
      ['{"level":"warn","msg":"x"}', 'ERROR plain'],
      ['web-7d9 app \x1b[33mWARN \x1b[0m x', 'web-7d9 app \x1b[31mERROR plain\x1b[0m'],
    ],
    [
      'on a terminal: what a JSON string decodes to is escaped, a reset ends the line',
      { escapeControls: true },
      ['{"msg":"\\u001b]0;title\\u0007 hi","k":"\\u001b[2J"}'],
      ['web-7d9 app \\x1b]0;title\\x07 hi k="\\u001b[2J"\x1b[0m'],
    ],
    ['piped: the reset is not written', {}, ['{"msg":"x"}'], ['web-7d9 app x']],
    [
      '-i/-e test the line as written, before it is rendered',
      { filter: makeLineFilter({ include: [rx('"level":"error"|level=error|^ERROR')], exclude: [rx('healthz')], highlight: [] }, false) },
      ['{"level":"error","msg":"a"}', '{"level":"info","msg":"b"}', 'level=error msg=healthz', 'ERROR c', 'INFO d'],
      ['web-7d9 app ERROR a', 'web-7d9 app ERROR c'],
    ],
    [
      '-H paints the rendered text, not the level word',
      { levelColors: true, color: true, filter: makeLineFilter({ include: [], exclude: [], highlight: [rx('o')] }, true) },
      ['{"level":"error","msg":"boom"}', 'no level'],
      ['web-7d9 app \x1b[31mERROR\x1b[0m b\x1b[31;1mo\x1b[0;22m\x1b[31;1mo\x1b[0;22mm', 'web-7d9 app n\x1b[31;1mo\x1b[0;22m level'],
    ],
    [
      '--level filters before rendering',
      { level: { threshold: 40, strict: false } },
      ['{"level":30,"msg":"a"}', '{"level":40,"msg":"b"}', 'no level', '    at trace'],
      ['web-7d9 app WARN  b', 'web-7d9 app no level', 'web-7d9 app     at trace'],
    ],
  ])('%s', (_name, s, messages, out) => {
    expect(write(settings(s), messages)).toEqual(out);
  });

  it('raw (the message alone) is not what pretty writes: the label stays', () => {
    expect(write(settings(), ['{"msg":"x"}'])).toEqual(['web-7d9 app x']);
  });
});
