import { describe, expect, it } from 'vitest';
import { Color, compileTemplate, LogRecord, stringMap, TemplateError, type TemplateEnv } from '../../src/output/template/index.js';
import { ExecError } from '../../src/output/template/values.js';
import { resolveZone, UTC } from '../../src/output/timefmt.js';

const record = (message = 'hello world', over: { timestamp?: string; context?: string; contextShown?: boolean } = {}): LogRecord => {
  const r = new LogRecord(
    'shop',
    'web-7d9',
    'app',
    'node-3',
    stringMap({ app: 'web', 'app.kubernetes.io/name': 'shop-web' }),
    stringMap({ team: 'checkout' }),
    new Color('91'),
    new Color('31'),
    over.context ?? 'prod',
    over.contextShown ?? false,
  );
  r.Message = message;
  r.Timestamp = over.timestamp ?? '2026-01-02T15:04:05.123456789Z';
  return r;
};

const plain: TemplateEnv = { color: false, zone: UTC, timestampZone: UTC };
const colored: TemplateEnv = { color: true, zone: UTC, timestampZone: UTC };

const run = (tpl: string, message?: string, env: TemplateEnv = plain): string => compileTemplate(tpl).execute(record(message), env);

function syntaxError(tpl: string): TemplateError {
  try {
    compileTemplate(tpl);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error(`expected ${JSON.stringify(tpl)} not to compile`);
}

function execError(tpl: string, message?: string): string {
  try {
    run(tpl, message);
  } catch (err) {
    expect(err).toBeInstanceOf(ExecError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(tpl)} to fail on ${JSON.stringify(message)}`);
}

describe('fields of a line', () => {
  it.each<[string, string]>([
    ['{{.Message}}', 'hello world'],
    ['{{.Timestamp}}', '2026-01-02T15:04:05.123456789Z'],
    ['{{.Namespace}}', 'shop'],
    ['{{.PodName}}', 'web-7d9'],
    ['{{.ContainerName}}', 'app'],
    ['{{.NodeName}}', 'node-3'],
    ['{{.Context}}', 'prod'],
    ['{{.Labels}}', 'map[app:web app.kubernetes.io/name:shop-web]'],
    ['{{.Labels.app}}', 'web'],
    ['{{index .Labels "app.kubernetes.io/name"}}', 'shop-web'],
    // a missing key of a map is <no value> (stern's cmd_test "template with missing label"); index gives the zero value
    ['{{.Labels.missing}}|', '<no value>|'],
    ['{{index .Labels "missing"}}|', '|'],
    ['{{.Annotations}}', 'map[team:checkout]'],
    ['{{.Annotations.team}}', 'checkout'],
    ['{{.PodColor}}{{.ContainerColor}}|', '{[91] <nil>}{[31] <nil>}|'],
    ['{{$.PodName}}', 'web-7d9'],
  ])('%s', (tpl, out) => {
    expect(run(tpl)).toBe(out);
  });

  it("json . has the keys of stern's Log struct, in its order", () => {
    expect(JSON.parse(run('{{json .}}'))).toEqual({
      message: 'hello world',
      timestamp: '2026-01-02T15:04:05.123456789Z',
      namespace: 'shop',
      podName: 'web-7d9',
      containerName: 'app',
      nodeName: 'node-3',
      labels: { app: 'web', 'app.kubernetes.io/name': 'shop-web' },
      annotations: { team: 'checkout' },
    });
    expect(Object.keys(JSON.parse(run('{{json .}}')) as object)).toEqual([
      'message',
      'timestamp',
      'nodeName',
      'namespace',
      'podName',
      'containerName',
      'labels',
      'annotations',
    ]);
  });

  it('json . names the context when several contexts are followed', () => {
    const out = compileTemplate('{{json .}}').execute(record('m', { contextShown: true }), plain);
    expect((JSON.parse(out) as { context: string }).context).toBe('prod');
  });
});

describe('stern README examples', () => {
  const json = '{"level":"error","message":"boom","msg":"charge failed","ts":"2026-01-02T15:04:05.5Z","caller":"pay.go:12"}';
  it.each<[string, string, string, TemplateEnv]>([
    [
      'printf with fields',
      '{{printf "%s (%s/%s/%s/%s)\\n" .Message .NodeName .Namespace .PodName .ContainerName}}',
      'hello world (node-3/shop/web-7d9/app)\n',
      plain,
    ],
    [
      'stern-provided colours',
      '{{.Message}} ({{.Namespace}}/{{color .PodColor .PodName}}/{{color .ContainerColor .ContainerName}}){{"\\n"}}',
      'hello world (shop/\x1b[91mweb-7d9\x1b[0m/\x1b[31mapp\x1b[0m)\n',
      colored,
    ],
    [
      'stern-provided colours without colour output',
      '{{.Message}} ({{.Namespace}}/{{color .PodColor .PodName}}/{{color .ContainerColor .ContainerName}}){{"\\n"}}',
      'hello world (shop/web-7d9/app)\n',
      plain,
    ],
  ])('%s', (_name, tpl, out, env) => {
    expect(run(tpl, 'hello world', env)).toBe(out);
  });

  it('parseJSON', () => {
    const tpl = '{{.PodName}}/{{.ContainerName}} {{with $d := .Message | parseJSON}}[{{$d.level}}] {{$d.message}}{{end}}{{"\\n"}}';
    expect(run(tpl, json)).toBe('web-7d9/app [error] boom\n');
  });

  it('tryParseJSON with a fallback to the raw message', () => {
    const tpl =
      '{{.PodName}}/{{.ContainerName}} {{ with $msg := .Message | tryParseJSON }}[{{ colorGreen (toRFC3339Nano $msg.ts) }}] {{ levelColor $msg.level }} ({{ colorCyan $msg.caller }}) {{ $msg.msg }}{{ else }} {{ .Message }} {{ end }}{{"\\n"}}';
    expect(run(tpl, json, colored)).toBe(
      'web-7d9/app [\x1b[32m2026-01-02T15:04:05.5Z\x1b[0m] \x1b[31merror\x1b[0m (\x1b[36mpay.go:12\x1b[0m) charge failed\n',
    );
    expect(run(tpl, 'plain text', colored)).toBe('web-7d9/app  plain text \n');
  });

  it('prettyJSON', () => {
    expect(run('{{ .Message | prettyJSON }}{{"\\n"}}', '{"b":1,"a":{"c":[1,2]}}')).toBe(
      '{\n  "a": {\n    "c": [\n      1,\n      2\n    ]\n  },\n  "b": 1\n}\n',
    );
    expect(run('{{ .Message | prettyJSON }}', 'not json')).toBe('not json');
  });

  it('a template file with comments and trim markers', () => {
    const tpl = `{{- /* ~/.stern.tpl */ -}}
{{- with $msg := .Message | tryParseJSON -}}
[{{ toTimestamp $msg.ts "15:04:05" }}] {{ levelColor $msg.level }} {{ $msg.msg }}
{{- else -}}
{{ .Message }}
{{- end }}
`;
    expect(run(tpl, json)).toBe('[15:04:05] error charge failed\n');
    expect(run(tpl, 'plain')).toBe('plain\n');
  });

  it('extractJSONParts and tryExtractJSONParts', () => {
    expect(run('{{ extractJSONParts .Message "level" "msg" }}', json)).toBe('error, charge failed');
    expect(run('{{ levelColor (extractJSONParts .Message "level") }}', json, colored)).toBe('\x1b[31merror\x1b[0m');
    expect(run('{{ tryExtractJSONParts .Message "level" "nope" }}', json)).toBe('error, <nil>');
    expect(run('{{ tryExtractJSONParts .Message "level" }}', 'plain')).toBe('plain');
  });

  it('nested fields of parsed JSON', () => {
    const tpl = '{{with $m := .Message | tryParseJSON}}{{levelColor $m.python.levelname}} {{$m.python.module}}{{else}}{{.Message}}{{end}}';
    expect(run(tpl, '{"python":{"levelname":"INFO","module":"router"}}', colored)).toBe('\x1b[34mINFO\x1b[0m router');
  });
});

describe('functions', () => {
  it.each<[string, string, string, string?]>([
    // Go's builtins
    ['and', '{{and 1 "x"}} {{and 0 "x"}}', 'x 0'],
    ['or', '{{or "" "y"}} {{or "a" "y"}}', 'y a'],
    ['not', '{{not true}} {{not ""}}', 'false true'],
    ['len counts bytes, as Go does', '{{len .Message}} {{len .Labels}}', '6 2', 'héllo'],
    ['index', '{{index (parseJSON .Message) "a"}}', '1', '{"a":1}'],
    ['index of an array', '{{index (parseJSON .Message).xs 1}}', 'b', '{"xs":["a","b"]}'],
    ['eq', '{{eq .PodName "x" "web-7d9"}} {{eq 1 2}}', 'true false'],
    ['ne', '{{ne .PodName "x"}}', 'true'],
    ['lt le gt ge', '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', 'true true true false'],
    ['print', '{{print "a" 1 2 "b"}}', 'a1 2b'],
    ['println', '{{println "a" 1}}', 'a 1\n'],
    ['printf', '{{printf "%-5s|%05.1f|%d|%q|%v|%x|%t" "ab" 3.14159 42 "q" true 255 false}}', 'ab   |003.1|42|"q"|true|ff|false'],
    ['printf with a missing argument', '{{printf "%s %s" "a"}}', 'a %!s(MISSING)'],
    // stern's
    ['json', '{{json .Labels}}', '{"app":"web","app.kubernetes.io/name":"shop-web"}'],
    ['json sorts keys as Go does', '{{json (parseJSON .Message)}}', '{"a":2,"b":1}', '{"b":1,"a":2}'],
    ['parseJSON', '{{(parseJSON .Message).level}}', 'warn', '{"level":"warn"}'],
    ['tryParseJSON on text', '{{if tryParseJSON .Message}}json{{else}}text{{end}}', 'text', 'not json'],
    ['tryParseJSON on an array', '{{if tryParseJSON .Message}}json{{else}}not an object{{end}}', 'not an object', '[1,2]'],
    ['extjson of JSON', '{{extjson .Message}}', '{"a":1}', '{"a":1}'],
    ['extjson of text', '{{extjson .Message}}', '"say \\"hi\\""', 'say "hi"'],
    ['toRFC3339Nano of RFC3339', '{{toRFC3339Nano .Timestamp}}', '2026-01-02T15:04:05.123456789Z'],
    ['toRFC3339Nano of Unix seconds', '{{toRFC3339Nano 1136171056}}', '2006-01-02T03:04:16Z'],
    // spf13/cast, which stern's toTime uses, reads no float64: the zero time, as stern prints it
    ['toRFC3339Nano of a float64', '{{toRFC3339Nano 1136171056.02}}', '0001-01-01T00:00:00Z'],
    ['toRFC3339Nano of Unix text', '{{toRFC3339Nano "1136171056"}}', '2006-01-02T03:04:16Z'],
    ['toRFC3339Nano of nonsense', '{{toRFC3339Nano "nope"}}', '0001-01-01T00:00:00Z'],
    ['toUTC', '{{toUTC "2026-01-02T16:04:05+01:00"}}', '2026-01-02 15:04:05 +0000 UTC'],
    ['toTimestamp', '{{toTimestamp .Timestamp "Jan 2, 2006 at 3:04pm (MST)"}}', 'Jan 2, 2026 at 3:04pm (UTC)'],
    ['toTimestamp in a zone', '{{toTimestamp .Timestamp "2006-01-02 15:04:05.000 -07:00" "Asia/Tokyo"}}', '2026-01-03 00:04:05.123 +09:00'],
    // tryParseJSON's numbers are json.Number, which stern's toTime reads as Unix seconds (parseJSON's float64 it does not)
    ['toTimestamp of parsed JSON', '{{toTimestamp (tryParseJSON .Message).ts "15:04"}}', '03:04', '{"ts":1136171056}'],
    ['color without colour output', '{{color .PodColor .PodName}}', 'web-7d9'],
    ['levelColor without colour output', '{{levelColor "error"}}', 'error'],
    ['levelColor of an unknown level', '{{levelColor "chatty"}}', 'chatty'],
    ['levelColor of a number', '{{levelColor 3}}|', '|'],
    // stern's bunyanLevelColor takes a float64 or a json.Number; an int constant or a string gives ""
    [
      'bunyanLevelColor',
      '{{bunyanLevelColor (parseJSON .Message).l}} {{bunyanLevelColor 30}}{{bunyanLevelColor "x"}}|',
      '30 |',
      '{"l":30}',
    ],
    ['colorRed without colour output', '{{colorRed "x"}}', 'x'],
  ])('%s', (_name, tpl, out, message) => {
    expect(run(tpl, message ?? 'hello')).toBe(out);
  });

  it.each<[string, string, string]>([
    ['color', '{{color .PodColor "x"}}', '\x1b[91mx\x1b[0m'],
    ['levelColor debug', '{{levelColor "DEBUG"}}', '\x1b[35mDEBUG\x1b[0m'],
    ['levelColor info', '{{levelColor "info"}}', '\x1b[34minfo\x1b[0m'],
    ['levelColor warn', '{{levelColor "warning"}}', '\x1b[33mwarning\x1b[0m'],
    ['levelColor error', '{{levelColor "panic"}}', '\x1b[31mpanic\x1b[0m'],
    ['levelColor fatal', '{{levelColor "fatal"}}', '\x1b[36mfatal\x1b[0m'],
    ['bunyanLevelColor', '{{bunyanLevelColor (tryParseJSON `{"l":50}`).l}}', '\x1b[31m50\x1b[0m'],
    ['colorBlack', '{{colorBlack "x"}}', '\x1b[30mx\x1b[0m'],
    ['colorRed', '{{colorRed "x"}}', '\x1b[31mx\x1b[0m'],
    ['colorGreen', '{{colorGreen "x"}}', '\x1b[32mx\x1b[0m'],
    ['colorYellow', '{{colorYellow "x"}}', '\x1b[33mx\x1b[0m'],
    ['colorBlue', '{{colorBlue "x"}}', '\x1b[34mx\x1b[0m'],
    ['colorMagenta', '{{colorMagenta "x"}}', '\x1b[35mx\x1b[0m'],
    ['colorCyan', '{{colorCyan "x"}}', '\x1b[36mx\x1b[0m'],
    ['colorWhite with printf arguments', '{{colorWhite "%d%%" 5}}', '\x1b[37m5%\x1b[0m'],
  ])('%s with colour output', (_name, tpl, out) => {
    expect(run(tpl, 'hello', colored)).toBe(out);
  });

  it('toRFC3339Nano shows Unix times in the display zone (--timezone)', () => {
    const env: TemplateEnv = { color: false, zone: resolveZone('Europe/Berlin'), timestampZone: UTC };
    expect(run('{{toRFC3339Nano 1136171056}}', 'm', env)).toBe('2006-01-02T04:04:16+01:00');
  });
});

describe('actions', () => {
  it.each<[string, string, string, string?]>([
    ['text only', 'just text', 'just text'],
    ['if/else', '{{if eq .ContainerName "app"}}A{{else}}B{{end}}', 'A'],
    ['else if', '{{if eq .PodName "x"}}1{{else if eq .PodName "web-7d9"}}2{{else}}3{{end}}', '2'],
    ['with sets dot', '{{with .Labels}}{{.app}}{{end}}', 'web'],
    ['with else', '{{with .Labels.none}}x{{else}}empty{{end}}', 'empty'],
    ['else with', '{{with .Labels.none}}x{{else with .Labels.app}}{{.}}{{end}}', 'web'],
    ['range over a map, sorted', '{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', 'app=web;app.kubernetes.io/name=shop-web;'],
    ['range over an array', '{{range (parseJSON .Message).xs}}<{{.}}>{{end}}', '<1><2>', '{"xs":[1,2]}'],
    ['range with index', '{{range $i, $e := (parseJSON .Message).xs}}{{$i}}:{{$e}} {{end}}', '0:a 1:b ', '{"xs":["a","b"]}'],
    ['range else', '{{range (parseJSON .Message).xs}}x{{else}}none{{end}}', 'none', '{"xs":[]}'],
    ['range over a number', '{{range 3}}{{.}}{{end}}', '012'],
    [
      'break and continue',
      '{{range $i, $e := (parseJSON .Message).xs}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$e}}{{end}}',
      'ac',
      '{"xs":["a","b","c","d","e"]}',
    ],
    ['variables', '{{$p := .PodName}}{{$p = printf "%s!" $p}}{{$p}}', 'web-7d9!'],
    ['$ inside with', '{{with .Labels}}{{$.PodName}}{{end}}', 'web-7d9'],
    ['pipelines', '{{.Message | printf "%s|%s" "x"}}', 'x|hello'],
    ['parentheses with a field', '{{(parseJSON .Message).a.b}}', 'deep', '{"a":{"b":"deep"}}'],
    ['missing keys of parsed JSON', '{{(parseJSON .Message).nope}}', '<no value>', '{}'],
    ['JSON null', '{{(parseJSON .Message).a}} {{print (parseJSON .Message).a}}', '<no value> <nil>', '{"a":null}'],
    // parseJSON's numbers are float64 and print as Go's %v does
    [
      'numbers as Go prints a float64',
      '{{(parseJSON .Message).n}} {{(parseJSON .Message).f}}',
      '1.234567e+06 0.5',
      '{"n":1234567,"f":0.5}',
    ],
    ["tryParseJSON's numbers as written", '{{(tryParseJSON .Message).n}}', '1234567.0', '{"n":1234567.0}'],
    ['trim markers', 'a  {{- "b" -}}  c', 'abc'],
    ['comments', 'a{{/* nothing */}}b{{- /* trimmed */ -}} c', 'abc'],
    ['raw strings', '{{`a\\nb`}}', 'a\\nb'],
    ['escapes', '{{"tab\\there\\u00e9\\x41"}}', 'tab\there\u00e9A'],
    ['character constants', '{{printf "%c" \'x\'}}', 'x'],
    ['nil and booleans', '{{if nil}}a{{else}}b{{end}}{{true}}', 'btrue'],
    ['multi-line actions', '{{if\n  eq .PodName\n  "web-7d9"\n}}yes{{end}}', 'yes'],
  ])('%s', (_name, tpl, out, message) => {
    expect(run(tpl, message ?? 'hello')).toBe(out);
  });
});

describe('mistakes are found before the first line, with their position', () => {
  it.each<[string, string, number, number, RegExp]>([
    ['an unknown function', 'x {{colr .PodName}}', 1, 5, /function "colr" not defined/],
    ['an unknown field', '{{.PodName}}\n  {{.Podname}}', 2, 5, /can't evaluate field Podname: a line has \.Message/],
    ['an unknown field after $', '{{with .Labels}}{{$.Nope}}{{end}}', 1, 19, /can't evaluate field Nope/],
    ['an unclosed action', 'a {{.Message', 1, 3, /unclosed action/],
    ['an unclosed if', '{{if .Message}}x', 1, 3, /\{\{if\}\} has no matching \{\{end\}\}/],
    ['a stray end', 'x{{end}}', 1, 4, /unexpected \{\{end\}\}/],
    ['a stray else', '{{else}}', 1, 3, /unexpected \{\{else\}\}/],
    ['an undefined variable', '{{$x}}', 1, 3, /undefined variable "\$x"/],
    ['too few arguments', '{{color .PodColor}}', 1, 3, /wrong number of args for color: want 2 got 1/],
    ['too many arguments', '{{not 1 2}}', 1, 3, /wrong number of args for not: want 1 got 2/],
    ['an argument to a field', '{{.Message "x"}}', 1, 12, /can't give argument to non-function/],
    ['a pipe into a field', '{{"x" | .Message}}', 1, 9, /non executable command in pipeline stage 2/],
    ['an empty action', '{{ }}', 1, 4, /missing value for action/],
    ['an unterminated string', '{{"abc}}', 1, 3, /unterminated quoted string/],
    ['an unclosed comment', '{{/* x }}', 1, 1, /unclosed comment/],
    ['a bad character', '{{.Message # x}}', 1, 12, /unexpected "#" in action/],
    ['break outside range', '{{break}}', 1, 3, /\{\{break\}\} outside \{\{range\}\}/],
    ['define inside an action', '{{if 1}}{{define "x"}}{{end}}{{end}}', 1, 11, /a definition is allowed only at the top level/],
    ['two definitions of a name', '{{define "x"}}a{{end}}{{define "x"}}b{{end}}', 1, 25, /multiple definition of template "x"/],
    ['a template without its name', '{{template .Message}}', 1, 12, /unexpected field \.Message in template clause/],
    ['an unclosed paren', '{{(len .Message}}', 1, 3, /unclosed left paren/],
    // functions are looked up in a map: Object's prototype is no function of a template
    ['constructor', '{{constructor}}', 1, 3, /^function "constructor" not defined$/],
    ['toString', 'x{{toString .Message}}', 1, 4, /^function "toString" not defined$/],
    ['__proto__', '{{__proto__}}', 1, 3, /^function "__proto__" not defined$/],
    ['hasOwnProperty', '{{hasOwnProperty "x"}}', 1, 3, /^function "hasOwnProperty" not defined$/],
    // nesting is bounded: a parse error, never a stack overflow
    [
      '2,000 nested ifs',
      '{{if 1}}'.repeat(2000) + '{{end}}'.repeat(2000),
      1,
      1 + 8 * 100 + 2,
      /max expression depth exceeded: more than 100 nested/,
    ],
    ['101 nested ranges', '{{range 1}}'.repeat(101) + '{{end}}'.repeat(101), 1, 1 + 11 * 100 + 2, /max expression depth exceeded/],
    ['2,000 nested parentheses', '{{' + '('.repeat(2000) + '1' + ')'.repeat(2000) + '}}', 1, 3 + 100, /max expression depth exceeded/],
  ])('%s', (_name, tpl, line, col, reason) => {
    const err = syntaxError(tpl);
    expect([err.line, err.col]).toEqual([line, col]);
    expect(err.reason).toMatch(reason);
  });
});

describe('errors while running on a line', () => {
  it.each<[string, string, string, RegExp]>([
    [
      'parseJSON of text',
      '{{(parseJSON .Message).a}}',
      'not json',
      /at <parseJSON \.Message>: error calling parseJSON: invalid character 'o' in literal null \(expecting 'u'\)/,
    ],
    ['parseJSON of an array', '{{parseJSON .Message}}', '[1]', /cannot unmarshal array/],
    ['a field of a string', '{{with .Message}}{{.Foo}}{{end}}', 'x', /can't evaluate field Foo in type string/],
    ['index out of range', '{{index (parseJSON .Message).xs 5}}', '{"xs":[]}', /index out of range: 5/],
    ['toTimestamp of nonsense', '{{toTimestamp .Message "15:04"}}', 'nope', /error calling toTimestamp: unable to parse date: nope/],
    ['toTimestamp in an unknown zone', '{{toTimestamp .Timestamp "15:04" "Mars/Base"}}', 'x', /unknown time zone "Mars\/Base"/],
    ['comparing a number and a string', '{{lt 1 "a"}}', 'x', /incompatible types for comparison/],
    ['color of a non-colour', '{{color "91" .PodName}}', 'x', /expected color\.Color; got string/],
    ['a template not defined', '{{template "nope"}}', 'x', /template "nope" not defined/],
    [
      'a template calling itself forever',
      '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}',
      'x',
      /exceeded maximum template depth \(1000\)/,
    ],
    // one line's output is capped (1 MiB), and so are the strings and the loops that build it
    ['a line longer than 1 MiB', '{{range 100000000}}xxxxxxxxxx{{end}}', 'x', /^the output is longer than the 1 MiB a line may hold$/],
    ['a range that writes nothing', '{{range 100000000}}{{end}}', 'x', /^range: more than 1,000,000 iterations in one line$/],
    ['nested ranges', '{{range 1000}}{{range 1000}}{{range 1000}}{{end}}{{end}}{{end}}', 'x', /more than 1,000,000 iterations/],
    ['a printf width', '{{printf "%999999999d" 1}}', 'x', /the width 999999999 is longer than the 1 MiB a line may hold/],
    [
      'a doubling variable',
      '{{$x := "xx"}}{{range 40}}{{$x = printf "%s%s" $x $x}}{{end}}',
      'x',
      /the result of printf is longer than the 1 MiB/,
    ],
  ])('%s', (_name, tpl, message, reason) => {
    expect(execError(tpl, message)).toMatch(reason);
  });

  it('{{range 100000000}} fails promptly, and the same template runs on the next line', () => {
    const t = compileTemplate('{{if eq .Message "big"}}{{range 100000000}}x{{end}}{{else}}{{.Message}}{{end}}');
    const start = performance.now();
    expect(() => t.execute(record('big'), plain)).toThrow(ExecError);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(t.execute(record('small'), plain)).toBe('small');
  });

  it('exactly 1 MiB is allowed', () => {
    expect(run(`{{range ${1 << 10}}}${'x'.repeat(1 << 10)}{{end}}`)).toHaveLength(1 << 20);
  });
});

describe('compiled once', () => {
  it('one compiled template serves many lines and records', () => {
    const t = compileTemplate('{{.PodName}}:{{.Message}}');
    const r = record();
    const out: string[] = [];
    for (const m of ['a', 'b', 'c']) {
      r.Message = m;
      out.push(t.execute(r, plain));
    }
    expect(out).toEqual(['web-7d9:a', 'web-7d9:b', 'web-7d9:c']);
  });

  it('a template cannot reach JavaScript: constructor, prototype and the like are no fields', () => {
    expect(syntaxError('{{.constructor}}').reason).toMatch(/can't evaluate field constructor/);
    expect(run('{{(parseJSON .Message).constructor}}', '{}')).toBe('<no value>');
    expect(run('{{(parseJSON .Message).__proto__}}', '{}')).toBe('<no value>');
  });
});
