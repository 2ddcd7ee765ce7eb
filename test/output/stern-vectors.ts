/**
 * Vectors of `ktail --stdin` against stern: template and flags, input lines, and the exact bytes
 * stern writes for them (checked against stern v1.33.0's `--stdin`; see stern-conformance.test.ts).
 * `source` names where each expectation comes from: stern's code or tests, or Go's text/template,
 * fmt, encoding/json and fatih/color, as stern uses them.
 *
 * Under --stdin (stern/file_tail.go, FileTail.sprint) every pod field is "", Labels and
 * Annotations are nil maps, .Timestamp is "", and .PodColor/.ContainerColor are
 * color.New(color.Reset). Custom templates below end with a newline of their own, since stern
 * writes a template's output as it is; ktail adds one when it is missing (see the vectors on newlines).
 */

export interface SternVector {
  readonly name: string;
  /** the stern or Go file and test (or function) the expected bytes come from */
  readonly source: string;
  /** ktail's flags after --stdin (stern's are the same) */
  readonly args: readonly string[];
  readonly input: string;
  /** stern's stdout, byte for byte */
  readonly stdout: string;
  /** stern's exit code when not 0 */
  readonly code?: number;
  /** how many messages ktail writes to stderr (a line a template fails on: one each) */
  readonly stderrMessages?: number;
  /** what ktail's stderr says */
  readonly stderr?: RegExp;
  /** the behaviour is newer than stern v1.33.0 (the .Timestamp field, stern's #372): stern's current source */
  readonly sternHead?: true;
  /** where ktail differs from stern on purpose, and so the docs say */
  readonly ktail?: { readonly stdout: string; readonly code?: number; readonly why: string };
}

const T = (template: string, ...flags: string[]): string[] => ['--template', template, ...flags];
const COLOR = ['--color', 'always'];
const ESC = '\x1b';

export const STERN_VECTORS: readonly SternVector[] = [
  // ── what a line carries under --stdin ───────────────────────────────────────────────────────
  {
    name: 'every pod field is empty',
    source: 'stern/file_tail.go FileTail.sprint; cmd/cmd_test.go TestOptionsGenerateTemplate "template"',
    args: T(
      'Message={{.Message}} NodeName={{.NodeName}} Namespace={{.Namespace}} PodName={{.PodName}} ContainerName={{.ContainerName}}{{"\\n"}}',
    ),
    input: 'template message\n',
    stdout: 'Message=template message NodeName= Namespace= PodName= ContainerName=\n',
  },
  {
    name: 'Labels and Annotations are nil maps: map[], <no value>, "" by index, null in JSON',
    source:
      'stern/file_tail.go FileTail.sprint (Labels unset); cmd/cmd_test.go "template with missing label"; Go encoding/json (nil map is null)',
    args: T(
      '{{.Labels}} {{.Labels.app}} [{{index .Annotations "x"}}] {{len .Labels}} {{json .Labels}} {{if .Labels}}y{{else}}n{{end}}{{"\\n"}}',
    ),
    input: 'x\n',
    stdout: 'map[] <no value> [] 0 null n\n',
  },
  {
    name: '.Timestamp is empty, even with -t',
    source: 'stern/file_tail.go FileTail.Print (sprint(msg, ""))',
    args: T('[{{.Timestamp}}]{{if .Timestamp}} stamped{{end}} {{.Message}}{{"\\n"}}', '-t'),
    input: 'a\nb\n',
    stdout: '[] a\n[] b\n',
    sternHead: true,
  },
  {
    name: 'the colours are SGR 0: color writes ESC[0m…ESC[0m, and they print as fatih/color values',
    source: 'stern/file_tail.go (color.New(color.Reset)); fatih/color color.go Color.wrap/unformat',
    args: T('{{color .PodColor "p"}}|{{color .ContainerColor .Message}}|{{.PodColor}}{{"\\n"}}', ...COLOR),
    input: 'm\n',
    stdout: `${ESC}[0mp${ESC}[0m|${ESC}[0mm${ESC}[0m|{[0] <nil>}\n`,
  },
  {
    name: 'json . is the Log struct in field order: no timestamp when empty, labels null',
    source: 'stern/tail_utils.go type Log (json tags, timestamp omitempty); cmd/cmd_test.go "output=json"',
    args: T('{{json .}}{{"\\n"}}'),
    input: 'a <b> & "c"\n',
    stdout:
      '{"message":"a \\u003cb\\u003e \\u0026 \\"c\\"","nodeName":"","namespace":"","podName":"","containerName":"","labels":null,"annotations":null}\n',
  },

  // ── newlines ───────────────────────────────────────────────────────────────────────────────
  {
    name: 'a template that ends with {{"\\n"}} gives one line per line',
    source: 'stern/file_tail.go FileTail.Print (fmt.Fprint of the output as it is)',
    args: T('{{.Message}}{{"\\n"}}'),
    input: 'one\n\ntwo\nthree',
    stdout: 'one\n\ntwo\nthree\n',
  },
  {
    name: 'a template without a newline: stern runs the lines together, ktail ends each',
    source: 'cmd/cmd_test.go TestOptionsGenerateTemplate "template" (no new line)',
    args: T('<{{.Message}}>'),
    input: 'a\nb\n',
    stdout: '<a><b>',
    ktail: { stdout: '<a>\n<b>\n', why: 'each line is written whole: a newline is added unless the output ends with one' },
  },
  {
    name: 'a template that writes nothing writes no line',
    source: 'stern/file_tail.go FileTail.Print',
    args: T('{{if eq .Message "keep"}}{{.Message}}{{"\\n"}}{{end}}'),
    input: 'drop\nkeep\n',
    stdout: 'keep\n',
  },

  // ── -o ─────────────────────────────────────────────────────────────────────────────────────
  {
    name: '-o raw',
    source: 'cmd/cmd.go generateTemplate "raw"; cmd/cmd_test.go "output=raw"',
    args: ['-o', 'raw'],
    input: 'raw message\n',
    stdout: 'raw message\n',
  },
  {
    name: '-o json: the Log struct, Go-escaped',
    source: 'cmd/cmd.go generateTemplate "json"; cmd/cmd_test.go "output=json"; Go encoding/json HTMLEscape',
    args: ['-o', 'json'],
    input: 'json message\n<script> & \u2028\n',
    stdout:
      '{"message":"json message","nodeName":"","namespace":"","podName":"","containerName":"","labels":null,"annotations":null}\n' +
      '{"message":"\\u003cscript\\u003e \\u0026 \\u2028","nodeName":"","namespace":"","podName":"","containerName":"","labels":null,"annotations":null}\n',
  },
  {
    name: '-o extjson: JSON messages embedded as written, others quoted',
    source: 'cmd/cmd.go generateTemplate "extjson" and func extjson; cmd/cmd_test.go "output=extjson"',
    args: ['-o', 'extjson'],
    input: '{"msg":"extjson message"}\nplain <text>\n 42 \n',
    stdout:
      '{"pod": "", "container": "", "message": {"msg":"extjson message"}}\n' +
      '{"pod": "", "container": "", "message": "plain \\u003ctext\\u003e"}\n' +
      '{"pod": "", "container": "", "message":  42 }\n',
  },
  {
    name: '-o ppextjson',
    source: 'cmd/cmd.go generateTemplate "ppextjson"; cmd/cmd_test.go "output=ppextjson"',
    args: ['-o', 'ppextjson'],
    input: '{"msg":"ppextjson message"}\n',
    stdout: '{\n  "pod": "",\n  "container": "",\n  "message": {"msg":"ppextjson message"}\n}\n',
  },
  {
    name: '-o default: stern paints empty names, ktail shows the message alone',
    source: 'cmd/cmd.go generateTemplate "default"',
    args: ['-o', 'default'],
    input: 'm\n',
    stdout: '  m\n',
    ktail: { stdout: 'm\n', why: 'under --stdin there is no pod nor container to show' },
  },

  // ── -i, -e, -H ─────────────────────────────────────────────────────────────────────────────
  {
    name: '-i and -e test the line as read, before the template',
    source: 'stern/file_tail.go FileTail.consumeLine (IsExclude, IsInclude on the line)',
    args: T('[{{.Message}}] ERROR{{"\\n"}}', '-i', 'ERROR', '-e', 'healthz'),
    input: 'keep ERROR\ndrop healthz ERROR\nother\n',
    stdout: '[keep ERROR] ERROR\n',
  },
  {
    name: "highlighting paints the template's output, its own text too, as ESC[31;1m…ESC[0;22m",
    source: 'stern/tail_utils.go HighlightMatchedString (colorHighlight = FgRed, Bold); fatih/color unformat',
    args: T('{{.Message}} (ERROR){{"\\n"}}', '-i', 'ERROR', ...COLOR),
    input: 'x ERROR\ny\n',
    stdout: `x ${ESC}[31;1mERROR${ESC}[0;22m (${ESC}[31;1mERROR${ESC}[0;22m)\n`,
  },
  {
    name: 'every -i and -H in one expression, the longest first, each match painted on its own',
    source:
      'stern/tail_utils.go HighlightMatchedString (sort by length, "(a|b)", ReplaceAllStringFunc); tail_utils_test.go TestHighlightMatchedString',
    args: T('{{.Message}}{{"\\n"}}', '-H', 'ab', '-H', 'abc', '-H', 'o', ...COLOR),
    input: 'abcd foo\n',
    stdout: `${ESC}[31;1mabc${ESC}[0;22md f${ESC}[31;1mo${ESC}[0;22m${ESC}[31;1mo${ESC}[0;22m\n`,
  },
  {
    name: 'the expression runs on the whole output: ^ is its start only',
    source: 'stern/tail_utils.go HighlightMatchedString (one ReplaceAllStringFunc on the output)',
    args: T('{{.Message}}{{"\\n"}}{{.Message}}{{"\\n"}}', '-H', '^x', ...COLOR),
    input: 'xy\n',
    stdout: `${ESC}[31;1mx${ESC}[0;22my\nxy\n`,
  },
  {
    name: 'Go syntax in patterns: (?i), POSIX classes',
    source: 'stern/tail_utils.go (Go regexp, RE2 syntax)',
    args: T('{{.Message}}{{"\\n"}}', '-i', '(?i)error', '-H', '[[:digit:]]+', ...COLOR),
    input: 'an Error in 42 ms\nfine 7\n',
    stdout: `an ${ESC}[31;1mError${ESC}[0;22m in ${ESC}[31;1m42${ESC}[0;22m ms\n`,
  },
  {
    name: 'without colour nothing is painted',
    source: 'fatih/color Color.wrap (NoColor when stdout is no terminal)',
    args: T('{{.Message}} {{colorRed "r"}} {{levelColor "info"}}{{"\\n"}}', '-H', 'x'),
    input: 'x\n',
    stdout: 'x r info\n',
  },

  // ── a line the template fails on ───────────────────────────────────────────────────────────
  {
    name: 'a line the template fails on is dropped with one message; the run goes on',
    source: 'stern/file_tail.go FileTail.Print (error to errOut, return); cmd/cmd.go parseJSON',
    args: T('{{(parseJSON .Message).a}}{{"\\n"}}'),
    input: '{"a":1}\nnot json\n{"a":2}\n',
    stdout: '1\n2\n',
    stderrMessages: 1,
    stderr: /error calling parseJSON: invalid character 'o' in literal null \(expecting 'u'\)/,
  },
  {
    name: 'a template that does not parse: stern exits 1, ktail 2 (a bad command line)',
    source: 'cmd/cmd.go generateTemplate ("unable to parse template"); cmd/cmd_test.go "invalid template"',
    args: T('{{invalid'),
    input: 'x\n',
    stdout: '',
    code: 1,
    stderrMessages: 1,
    stderr: /^ktail: invalid --template at 1:1: unclosed action$/m,
    ktail: { stdout: '', code: 2, why: 'exit 2 is ktail’s code for a bad command line' },
  },
  {
    name: 'a missing function is a parse error',
    source: 'Go text/template parse.go (function %q not defined)',
    args: T('{{nope .Message}}'),
    input: 'x\n',
    stdout: '',
    code: 1,
    stderrMessages: 1,
    stderr: /function "nope" not defined/,
    ktail: { stdout: '', code: 2, why: 'exit 2 is ktail’s code for a bad command line' },
  },

  // ── stern's functions ──────────────────────────────────────────────────────────────────────
  {
    name: 'parseJSON: numbers are float64, printed as Go prints them',
    source: 'cmd/cmd.go parseJSON (json.Unmarshal); Go fmt %v of float64 (strconv g, shortest)',
    args: T(
      '{{with parseJSON .Message}}{{.i}} {{.f}} {{.m}} {{.big}} {{.small}} {{.neg}} {{.s}} {{.b}} {{.n}} {{.o}} {{.a}} {{.missing}}{{end}}{{"\\n"}}',
    ),
    input:
      '{"i":1,"f":2.5,"m":1000000,"big":1e21,"small":0.00001,"neg":-0.5,"s":"<s>","b":true,"n":null,"o":{"y":2,"x":[1,"a",null]},"a":[]}\n',
    stdout: '1 2.5 1e+06 1e+21 1e-05 -0.5 <s> true <no value> map[x:[1 a <nil>] y:2] [] <no value>\n',
  },
  {
    name: 'printf of parseJSON numbers: %v, %d of a float64, %T',
    source: 'Go fmt (bad verb %!d(float64=…)); cmd/cmd.go parseJSON',
    args: T('{{$m := parseJSON .Message}}{{printf "%v|%d|%T|%.2f|%5.1f|%g" $m.x $m.x $m.x $m.x $m.x $m.y}}{{"\\n"}}'),
    input: '{"x":1,"y":123456789}\n',
    stdout: '1|%!d(float64=1)|float64|1.00|  1.0|1.23456789e+08\n',
  },
  {
    name: 'tryParseJSON: numbers stay json.Number, text after the value is not read, no JSON gives a nil map',
    source: 'cmd/cmd.go tryParseJSON (Decoder.UseNumber, one Decode)',
    args: T(
      '{{with $m := tryParseJSON .Message}}{{$m.n}} {{printf "%T" $m.n}} {{$m.s}}{{else}}raw: {{.Message}} {{tryParseJSON .Message}} {{json (tryParseJSON .Message)}}{{end}}{{"\\n"}}',
    ),
    input: '{"n":1.50,"s":"x"} trailing\nnot json\n[1,2]\n',
    stdout: '1.50 json.Number x\nraw: not json map[] null\nraw: [1,2] map[] null\n',
  },
  {
    name: 'stern README: tryParseJSON with a fallback',
    source: 'cmd/test.tpl; cmd/cmd_test.go "template-file-json-log-ts-float", "template-file-json-log-ts-str"',
    args: T(
      '{{ with $msg := .Message | tryParseJSON }}[{{ colorGreen (toRFC3339Nano (toUTC $msg.ts)) }}] {{ levelColor $msg.level }} {{ $msg.msg }}{{ else }}{{ .Message }}{{ end }}{{"\\n"}}',
    ),
    input:
      '{"ts": 123, "level": "INFO", "msg": "template message"}\n{"ts": "1970-01-01T01:02:03+01:00", "level": "INFO", "msg": "template message"}\nplain\n',
    stdout: '[1970-01-01T00:02:03Z] INFO template message\n[1970-01-01T00:02:03Z] INFO template message\nplain\n',
  },
  {
    name: 'extractJSONParts and tryExtractJSONParts',
    source: 'cmd/cmd.go extractJSONParts, tryExtractJSONParts (fmt %v of each part, ", ")',
    args: T('{{tryExtractJSONParts .Message "level" "n" "none"}}{{"\\n"}}'),
    input: '{"level":"warn","n":1000000}\nnot json\n',
    stdout: 'warn, 1e+06, <nil>\nnot json\n',
  },
  {
    name: 'extractJSONParts fails on a line that is no JSON',
    source: 'cmd/cmd.go extractJSONParts (json.Unmarshal error)',
    args: T('{{extractJSONParts .Message "a" "b"}}{{"\\n"}}'),
    input: '{"a":"x","b":[1,2]}\nnope\n',
    stdout: 'x, [1 2]\n',
    stderrMessages: 1,
  },
  {
    name: 'json of values: sorted keys, Go escapes, floats as Go writes them',
    source: 'cmd/cmd.go json (json.Marshal); Go encoding/json (sorted map keys, HTMLEscape, float format)',
    args: T('{{json (parseJSON .Message)}} {{json .Message}} {{json 1.5}} {{json nil}}{{"\\n"}}'),
    input: '{"b":1e21,"a":"<&>","c":[0.000001,1e-7,100]}\n',
    stdout:
      '{"a":"\\u003c\\u0026\\u003e","b":1e+21,"c":[0.000001,1e-7,100]} "{\\"b\\":1e21,\\"a\\":\\"\\u003c\\u0026\\u003e\\",\\"c\\":[0.000001,1e-7,100]}" 1.5 null\n',
  },
  {
    name: 'extjson: valid JSON as it is, other text as a Go string',
    source: 'cmd/cmd.go extjson',
    args: T('{{extjson .Message}}{{"\\n"}}'),
    input: '{"a": 1}\nsay "hi" <b>\n',
    stdout: '{"a": 1}\n"say \\"hi\\" \\u003cb\\u003e"\n',
  },
  {
    name: 'prettyJSON: an object text, a map, anything else as %v',
    source: 'cmd/cmd.go prettyJSON (json.MarshalIndent "  ")',
    args: T('{{prettyJSON .Message}}|{{prettyJSON (tryParseJSON .Message)}}|{{prettyJSON .Labels}}|{{prettyJSON 3}}{{"\\n"}}'),
    input: '{"b":[1,{"c":"<"}],"a":{}}\n[1]\n',
    stdout:
      '{\n  "a": {},\n  "b": [\n    1,\n    {\n      "c": "\\u003c"\n    }\n  ]\n}|{\n  "a": {},\n  "b": [\n    1,\n    {\n      "c": "\\u003c"\n    }\n  ]\n}|map[]|3\n' +
      '[1]|null|map[]|3\n',
  },
  {
    name: 'toTimestamp with and without a zone',
    source: 'cmd/cmd_test.go "template-to-timestamp-with-timezone", "template-to-timestamp-without-timezone"',
    args: T('{{ toTimestamp .Message "Jan 02 2006 15:04 MST" "US/Eastern" }}|{{ toTimestamp .Message "Jan 02 2006 15:04 MST" }}{{"\\n"}}'),
    input: '2024-01-01T05:00:00\n',
    stdout: 'Jan 01 2024 00:00 EST|Jan 01 2024 05:00 UTC\n',
  },
  {
    name: 'toRFC3339Nano and toUTC: a text keeps its offset, Unix seconds (text or json.Number) are read',
    source: 'cmd/helper.go toTimeE, parseUnixTimeNanoString; spf13/cast ToTimeE',
    args: T('{{toRFC3339Nano .Message}}|{{toUTC .Message}}|{{toTimestamp .Message "2006-01-02T15:04:05.000Z07:00" "Asia/Tokyo"}}{{"\\n"}}'),
    input: '2024-01-01T05:00:00.5+01:00\n1136171056.25\n',
    stdout:
      '2024-01-01T05:00:00.5+01:00|2024-01-01 04:00:00.5 +0000 UTC|2024-01-01T13:00:00.500+09:00\n' +
      '2006-01-02T03:04:16.25Z|2006-01-02 03:04:16.25 +0000 UTC|2006-01-02T12:04:16.250+09:00\n',
  },
  {
    name: 'toRFC3339Nano of a float64 is the zero time; toTimestamp of one fails the line',
    source: 'spf13/cast ToTimeInDefaultLocationE (no float64 case); cmd/cmd.go toTimestamp',
    args: T('{{$m := parseJSON .Message}}{{toRFC3339Nano $m.ts}}{{"\\n"}}{{toTimestamp $m.ts "15:04"}}{{"\\n"}}'),
    input: '{"ts":1136171056}\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /unable to cast 1\.136171056e\+09 of type float64 to time\.Time/,
  },
  {
    name: 'levelColor: the levels and their colours, any case; another string as it is; "" for a non-string',
    source: 'cmd/cmd.go levelColor',
    args: T(
      '{{levelColor "debug"}} {{levelColor "INFO"}} {{levelColor "warn"}} {{levelColor "Warning"}} {{levelColor "error"}} {{levelColor "dpanic"}} {{levelColor "panic"}} {{levelColor "fatal"}} {{levelColor "critical"}} {{levelColor "trace"}} [{{levelColor 3}}]{{"\\n"}}',
      ...COLOR,
    ),
    input: 'x\n',
    stdout: `${ESC}[35mdebug${ESC}[0m ${ESC}[34mINFO${ESC}[0m ${ESC}[33mwarn${ESC}[0m ${ESC}[33mWarning${ESC}[0m ${ESC}[31merror${ESC}[0m ${ESC}[31mdpanic${ESC}[0m ${ESC}[31mpanic${ESC}[0m ${ESC}[36mfatal${ESC}[0m ${ESC}[36mcritical${ESC}[0m trace []\n`,
  },
  {
    name: 'bunyanLevelColor: float64 or json.Number levels; an int constant or a string gives ""',
    source: 'cmd/cmd.go bunyanLevelColor',
    args: T(
      '{{$f := parseJSON .Message}}{{$n := tryParseJSON .Message}}{{bunyanLevelColor $f.a}} {{bunyanLevelColor $n.b}} {{bunyanLevelColor $f.c}} {{bunyanLevelColor $f.d}} {{bunyanLevelColor $f.e}} {{bunyanLevelColor $f.f}} [{{bunyanLevelColor 30}}{{bunyanLevelColor "30"}}]{{"\\n"}}',
      ...COLOR,
    ),
    input: '{"a":10,"b":30,"c":40,"d":50,"e":60,"f":100}\n',
    stdout: `${ESC}[35m10${ESC}[0m ${ESC}[34m30${ESC}[0m ${ESC}[33m40${ESC}[0m ${ESC}[31m50${ESC}[0m ${ESC}[36m60${ESC}[0m 100 []\n`,
  },
  {
    name: 'color, colorCustom and the eight colour functions (with printf arguments); each attribute has its own reset',
    source:
      'cmd/cmd.go color, colorCustom, colorBlack…colorWhite (fatih/color XxxString, New(attrs).SprintFunc, unformat: 1→22, 4→24, 5→25, else 0)',
    args: T(
      '{{colorBlack "k"}}{{colorRed "r"}}{{colorGreen "g"}}{{colorYellow "y"}}{{colorBlue "b"}}{{colorMagenta "m"}}{{colorCyan "c"}}{{colorWhite "%d%%" 5}}|{{colorCustom "x" 31 1 4}}|{{colorCustom "y"}}|{{colorCustom "z" 38 5 208}}{{"\\n"}}',
      ...COLOR,
    ),
    input: 'x\n',
    stdout: `${ESC}[30mk${ESC}[0m${ESC}[31mr${ESC}[0m${ESC}[32mg${ESC}[0m${ESC}[33my${ESC}[0m${ESC}[34mb${ESC}[0m${ESC}[35mm${ESC}[0m${ESC}[36mc${ESC}[0m${ESC}[37m5%${ESC}[0m|${ESC}[31;1;4mx${ESC}[0;22;24m|${ESC}[my${ESC}[m|${ESC}[38;5;208mz${ESC}[0;25;0m\n`,
  },

  // ── Go's builtins ──────────────────────────────────────────────────────────────────────────
  {
    name: 'and, or, not: the deciding value, evaluation stops there',
    source: 'Go text/template exec_test.go TestExecute "and", "or", "not", "and undef"',
    args: T(
      '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}} {{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}} {{not true}} {{not ""}} {{or 0 (parseJSON "{}").x}} {{or 1 (parseJSON .Message)}}{{"\\n"}}',
    ),
    input: 'not json: or stopped before parseJSON\n',
    stdout: 'false 0 0 1 0 1 true 1 false true <no value> 1\n',
  },
  {
    name: 'len counts bytes of a string, elements, keys',
    source: 'Go text/template funcs.go length; exec_test.go "len of int" fails',
    args: T('{{len .Message}} {{len (parseJSON `{"a":[1,2,3],"b":{}}`).a}} {{len (parseJSON `{"a":1,"b":2}`)}}{{"\\n"}}'),
    input: 'héllo\n',
    stdout: '6 3 2\n',
  },
  {
    name: 'index of maps and slices, a missing key, a byte of a string',
    source: 'Go text/template exec_test.go TestExecute "slice[0]", "map[one]", "map[NO]"',
    args: T(
      '{{$m := parseJSON .Message}}{{index $m "a" 1}} {{index $m "b" "c"}} {{index $m "nope"}} {{index .Message 0}} {{index .Labels "x"}}|{{"\\n"}}',
    ),
    input: '{"a":[10,20],"b":{"c":"d"}}\n',
    stdout: '20 d <no value> 123 |\n',
  },
  {
    name: 'index out of range fails the line',
    source: 'Go text/template exec_test.go "slice[HUGE]"',
    args: T('{{index (parseJSON .Message).a 5}}{{"\\n"}}'),
    input: '{"a":[1]}\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /error calling index: index out of range: 5/,
  },
  {
    name: 'slice of strings (bytes) and slices, 2 and 3 indexes',
    source: 'Go text/template exec_test.go "slice[:]", "slice[1:]", "slice[1:2]", "string[1:2]"',
    args: T(
      '{{slice .Message}} {{slice .Message 1}} {{slice .Message 1 3}} {{$a := (parseJSON `{"a":[3,4,5]}`).a}}{{slice $a}} {{slice $a 1}} {{slice $a 1 2}} {{slice $a 0 1 2}}{{"\\n"}}',
    ),
    input: 'hello\n',
    stdout: 'hello ello el [3 4 5] [4 5] [4] [3]\n',
  },
  {
    name: 'slice errors: inverted, 3-index string',
    source: 'Go text/template exec_test.go "slice[2:1]", "string[1:2:3]"',
    args: T('{{if eq .Message "a"}}{{slice "abc" 2 1}}{{else}}{{slice "abc" 0 1 2}}{{end}}{{"\\n"}}'),
    input: 'a\nb\n',
    stdout: '',
    stderrMessages: 2,
    stderr: /invalid slice index: 2 > 1[\s\S]*cannot 3-index slice a string/,
  },
  {
    name: 'print: spaces only between operands that are not strings; println: always, and a newline',
    source: 'Go fmt Sprint, Sprintln; exec_test.go "println"',
    args: T('{{print "a" 1 2 "b" 3.5 nil true}}|{{println 1 "a" 2.5}}'),
    input: 'x\n',
    stdout: 'a1 2b3.5 <nil> true|1 a 2.5\n',
  },
  {
    name: 'printf: verbs, flags, widths, errors as Go writes them',
    source: 'Go fmt doc (verbs, %!verb(type=value), MISSING, EXTRA); exec_test.go "printf int", "printf float", "printf string"',
    args: T(
      '{{printf "%04x|%g|%s|%q|%5d|%-5d|%+d|%x|%X|%c|%t|%v|%5.2f|%e|%8.3s|%05s|%%|%d|%s|%d" 127 3.5 "hello" "a\\"b\\n" 42 42 3 "hi" 255 65 true (parseJSON .Message) 3.14159 1234.5 "abcdef" "ab" "x" 5}}{{"\\n"}}{{printf "%d %d" 1}}{{"\\n"}}{{printf "%d" 1 "x" nil}}{{"\\n"}}',
    ),
    input: '{"b":[1,"x"],"a":null}\n',
    stdout:
      '007f|3.5|hello|"a\\"b\\n"|   42|42   |+3|6869|FF|A|true|map[a:<nil> b:[1 x]]| 3.14|1.234500e+03|     abc|000ab|%|%!d(string=x)|%!s(int=5)|%!d(MISSING)\n1 %!d(MISSING)\n1%!(EXTRA string=x, <nil>)\n',
  },
  {
    name: 'html, js, urlquery',
    source: 'Go text/template exec_test.go "html", "html pipeline", "js", "urlquery"; funcs.go HTMLEscape, JSEscape, evalArgs',
    args: T(
      '{{html .Message}}|{{js .Message}}|{{urlquery .Message}}|{{html 1 "<" nil}}|{{js "\\x01=é\\u2028"}}|{{urlquery "a b&c=d/é~*"}}{{"\\n"}}',
    ),
    input: `<script>alert("XSS");</script> It'd & \\\n`,
    stdout:
      '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt; It&#39;d &amp; \\|' +
      '\\u003Cscript\\u003Ealert(\\"XSS\\");\\u003C/script\\u003E It\\\'d \\u0026 \\\\|' +
      '%3Cscript%3Ealert%28%22XSS%22%29%3B%3C%2Fscript%3E+It%27d+%26+%5C|1&lt;&lt;no value&gt;|\\u0001\\u003Dé\\u2028|a+b%26c%3Dd%2F%C3%A9~%2A\n',
  },
  {
    name: 'call: no value in a line is a function, so it fails the line',
    source: 'Go text/template funcs.go call ("non-function %s of type %s", "call of nil"); exec_test.go "call nil"',
    args: T('{{call .Message}}{{"\\n"}}'),
    input: 'x\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /error calling call: non-function/,
  },
  {
    name: 'eq (any of several), ne, lt, le, gt, ge on strings, ints and floats',
    source: 'Go text/template exec_test.go TestComparison (cmpTests)',
    args: T(
      '{{eq .Message "b" "a"}} {{ne 1 2}} {{lt "a" "b"}} {{le 2 2}} {{gt 1.5 2.5}} {{ge 3 3}} {{eq (parseJSON `{"x":1}`).x 1.0}} {{lt (tryParseJSON `{"n":10}`).n "9"}} {{eq nil nil}}{{"\\n"}}',
    ),
    input: 'a\n',
    stdout: 'true true true true false true true true true\n',
  },
  {
    name: 'comparing an int with a float64 is an error, as in Go',
    source: 'Go text/template funcs.go eq, lt (incompatible types for comparison)',
    args: T('{{eq (parseJSON .Message).x 1}}{{"\\n"}}'),
    input: '{"x":1}\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /error calling eq: incompatible types for comparison: float64 and int/,
  },

  {
    name: 'number constants: int or float64 as Go reads them (octal 017, hex, runes, _ separators, -0.0)',
    source: 'Go text/template parse/node.go NumberNode; exec.go idealConstant',
    args: T(
      '{{1e3}} {{0x1F}} {{\'a\'}} {{1_000}} {{017}} {{-017}} {{0o17}} {{-0.0}} {{printf "%T %T %T" 1 1.0 \'a\'}} {{json -0.0}}{{"\\n"}}',
    ),
    input: 'x\n',
    stdout: '1000 31 97 1000 15 -15 15 -0 int float64 int -0\n',
  },
  {
    name: 'printf rounds ties to even, as strconv does (JS rounds them up)',
    source: 'Go strconv ftoa (round half to even on exact decimal ties); fmt %f %e %g',
    args: T(
      '{{printf "%.0f|%.0f|%.0f|%.1f|%.2f|%.2e|%.1g|%.0e|%.3v|%+q|%+q" 2.5 3.5 -2.5 0.25 1.125 1.125 0.25 2.5 3.14159 "é" "😀"}}{{"\\n"}}',
    ),
    input: 'x\n',
    stdout: '2|4|-2|0.2|1.12|1.12e+00|0.2|2e+00|3.14|"\\u00e9"|"\\U0001f600"\n',
  },
  {
    name: 'eq of nil maps compares their nil-ness; a nil inside a slice or map is <nil> under any verb',
    source: 'Go text/template funcs.go eq (isNil); fmt print.go printValue (nilAngleString)',
    args: T(
      '{{eq .Labels .Labels}} {{eq .Labels nil}} {{eq (tryParseJSON .Message) nil}} {{ne .Labels nil}} {{printf "%d %s" (parseJSON `{"a":[null,1]}`).a (parseJSON `{"a":[null,"x"]}`).a}}{{"\\n"}}',
    ),
    input: 'no json\n',
    stdout: 'true true true false [<nil> %!d(float64=1)] [<nil> x]\n',
  },
  {
    name: 'range over an int with two variables fails the line',
    source: 'Go text/template exec.go walkRange ("can\'t use %v to iterate over more than one variable")',
    args: T('{{range $i, $e := 3}}{{$i}}{{end}}{{"\\n"}}'),
    input: 'x\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /can't use 3 to iterate over more than one variable/,
  },
  {
    name: 'parseJSON of a number past float64 fails; json.Valid and tryParseJSON take it',
    source: 'Go encoding/json (UnmarshalTypeError for 1e400; Valid is syntax only); cmd/cmd.go extjson, tryParseJSON',
    args: T('{{extjson .Message}} {{(tryParseJSON .Message).a}}{{"\\n"}}{{(parseJSON .Message).a}}{{"\\n"}}'),
    input: '{"a":1e400}\n',
    stdout: '',
    stderrMessages: 1,
    stderr: /json: cannot unmarshal number 1e400 into Go value of type float64/,
  },
  // ── actions ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'trim markers and comments',
    source: 'Go text/template doc (Text and spaces, Comments)',
    args: T('a  {{- "b" -}}  c {{/* gone */}}d{{- /* trimmed */ -}}  e{{"\\n"}}'),
    input: 'x\n',
    stdout: 'abc de\n',
  },
  {
    name: 'variables, $, := and =, with … else, else with',
    source: 'Go text/template exec_test.go "declare in action", "with $x int", "with else"',
    args: T(
      '{{$x := .Message}}{{with $m := tryParseJSON .Message}}{{$x = "json"}}{{$m.a}}{{else with .Message}}text:{{.}}{{end}} {{$x}} {{$.Message}}{{"\\n"}}',
    ),
    input: '{"a":"A"}\nplain\n',
    stdout: 'A json {"a":"A"}\ntext:plain plain plain\n',
  },
  {
    name: 'range over a slice, a map (sorted keys), an int; range … else; break and continue',
    source:
      'Go text/template exec_test.go "range []int", "range map", "range $x $y MSIone", "range empty else", "range []int break else", "range int"',
    args: T(
      '{{$m := parseJSON .Message}}{{range $i, $e := $m.a}}{{$i}}={{$e}},{{end}} {{range $k, $v := $m.o}}{{$k}}:{{$v}};{{end}} {{range 4}}{{if eq . 1}}{{continue}}{{end}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}} {{range $m.e}}x{{else}}empty{{end}}{{"\\n"}}',
    ),
    input: '{"a":["p","q"],"o":{"z":1,"b":2,"a":3},"e":[]}\n',
    stdout: '0=p,1=q, a:3;b:2;z:1; 02 empty\n',
  },
  {
    name: 'define, template and block',
    source: 'Go text/template exec_test.go TestBlock; multi_test.go TestMultiExecute',
    args: T(
      '{{define "pair"}}<{{.}}>{{end}}{{template "pair" .Message}}{{block "tail" .Message}}[{{len .}}]{{end}}{{template "pair"}}{{"\\n"}}',
    ),
    input: 'abc\n',
    stdout: '<abc>[3]<<no value>>\n',
  },
  {
    name: 'a template that is not defined fails the line when it runs',
    source: 'Go text/template exec.go walkTemplate ("template %q not defined")',
    args: T('{{if eq .Message "go"}}{{template "nope"}}{{end}}ok{{"\\n"}}'),
    input: 'stay\ngo\n',
    stdout: 'ok\n',
    stderrMessages: 1,
    stderr: /template "nope" not defined/,
  },
];
