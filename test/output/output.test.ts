/** -o json/extjson/ppextjson and --template through makeLineWriter, as run.ts builds them. */
import { describe, expect, it } from 'vitest';
import { makeLineFilter } from '../../src/output/filters.js';
import { Pattern } from '../../src/common/regex.js';
import { makeLineWriter, type FormatSettings } from '../../src/output/format.js';
import type { SourceLabel } from '../../src/output/label.js';
import type { Sink } from '../../src/output/sink.js';
import { compileTemplate } from '../../src/output/template/index.js';
import { resolveZone } from '../../src/output/timefmt.js';
import { label as baseLabel, RecordingSink as FakeSink } from '../helpers/output.js';

/** A test's pattern, written as a literal, compiled as the flags are (RE2). */
const rx = (r: RegExp): Pattern => new Pattern(r.source);

const TS = '2026-01-02T15:04:05.123456789Z';

const label = (l: Partial<SourceLabel> = {}): SourceLabel =>
  baseLabel({
    info: { context: 'prod', namespace: 'shop', nodeName: 'node-3', labels: { app: 'web' }, annotations: { team: 'checkout' } },
    ...l,
  });

const settings = (s: Partial<FormatSettings> = {}): FormatSettings => ({
  output: 'default',
  timestamps: false,
  escapeControls: false,
  ...s,
});

/** Writes kubelet lines (`TS message`) through a fresh writer; returns everything written. */
function write(l: SourceLabel, s: FormatSettings, ...messages: string[]): string[] {
  const sink = new FakeSink();
  const writer = makeLineWriter(l, s, sink as unknown as Sink);
  for (const m of messages) {
    const buf = Buffer.from(`junk\n${TS} ${m}\nmore`);
    writer(buf, 5, 5 + TS.length, 6 + TS.length, 6 + TS.length + Buffer.byteLength(m));
  }
  return sink.out;
}

describe('-o json', () => {
  it("stern's keys, in its Log struct's order, one object a line", () => {
    const [line] = write(label(), settings({ output: 'json' }), 'hello "world"');
    expect(line).toBe(
      `{"message":"hello \\"world\\"","timestamp":"${TS}","nodeName":"node-3","namespace":"shop","podName":"web-7d9","containerName":"app","labels":{"app":"web"},"annotations":{"team":"checkout"}}\n`,
    );
  });

  it('a plain ASCII line (written without a string) has the same bytes as any other', () => {
    const [fast] = write(label({ context: 'prod' }), settings({ output: 'json' }), 'GET /cart 200 12ms');
    expect(fast).toBe(
      `{"message":"GET /cart 200 12ms","timestamp":"${TS}","nodeName":"node-3","namespace":"shop","podName":"web-7d9","containerName":"app","labels":{"app":"web"},"annotations":{"team":"checkout"},"context":"prod"}\n`,
    );
  });

  it('with several contexts, the context too', () => {
    const [line] = write(label({ context: 'prod' }), settings({ output: 'json' }), 'm');
    expect(JSON.parse(line!)).toMatchObject({ context: 'prod', namespace: 'shop' });
  });

  it('the namespace is there whether or not the prefix would show it', () => {
    expect(JSON.parse(write(label({ namespace: 'shop' }), settings({ output: 'json' }), 'm')[0]!)).toMatchObject({ namespace: 'shop' });
    expect(JSON.parse(write(label(), settings({ output: 'json' }), 'm')[0]!)).toMatchObject({ namespace: 'shop' });
  });

  it.each<[string, FormatSettings, string]>([
    ["the kubelet's timestamp", settings({ output: 'json' }), TS],
    ['-t default', settings({ output: 'json', timestamps: 'default' }), TS],
    ['-t short --timezone UTC', settings({ output: 'json', timestamps: 'short', zone: resolveZone('UTC') }), '01-02 15:04:05'],
    ['--timezone Asia/Tokyo', settings({ output: 'json', zone: resolveZone('Asia/Tokyo') }), '2026-01-03T00:04:05.123456789+09:00'],
  ])('timestamp: %s', (_name, s, ts) => {
    expect((JSON.parse(write(label(), s, 'm')[0]!) as { timestamp: string }).timestamp).toBe(ts);
  });

  it('messages are escaped JSON strings, whatever they hold', () => {
    const messages = ['tab\there', 'bell\x07', 'esc \x1b[2J', 'quote " and \\', 'ünïcödé ✓', '{"a":1}', ''];
    const lines = write(label(), settings({ output: 'json' }), ...messages);
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(messages);
  });

  it('<, > and & are \\u003c, \\u003e, \\u0026, U+2028/U+2029 escaped, as Go writes them', () => {
    const [line] = write(label(), settings({ output: 'json' }), 'a<b>&c\u2028\u2029');
    expect(line).toContain('"message":"a\\u003cb\\u003e\\u0026c\\u2028\\u2029"');
    expect((JSON.parse(line!) as { message: string }).message).toBe('a<b>&c\u2028\u2029');
  });

  it('on a terminal, C1 controls are \\u escapes (still the same JSON)', () => {
    const [line] = write(label(), settings({ output: 'json', escapeControls: true }), 'a\u009bb');
    expect(line).toContain('"a\\u009bb"');
    expect((JSON.parse(line!) as { message: string }).message).toBe('a\u009bb');
  });

  it('on a terminal, bidi overrides are \\u escapes too (still the same JSON); piped, they stay', () => {
    const [line] = write(label(), settings({ output: 'json', escapeControls: true }), 'user\u202eadmin\u2066');
    expect(line).toContain('"user\\u202eadmin\\u2066"');
    expect((JSON.parse(line!) as { message: string }).message).toBe('user\u202eadmin\u2066');
    const [piped] = write(label(), settings({ output: 'json' }), 'user\u202eadmin');
    expect(piped).toContain('"user\u202eadmin"');
  });

  it('-i and -e filter; nothing is highlighted in JSON', () => {
    const filter = makeLineFilter({ include: [rx(/keep/)], exclude: [rx(/drop/)], highlight: [rx(/keep/)] }, false);
    const lines = write(label(), settings({ output: 'json', filter }), 'keep me', 'keep but drop', 'other');
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['keep me']);
  });
});

describe('-o extjson / ppextjson', () => {
  it.each<[string, string, string]>([
    [
      'a JSON message is embedded',
      '{"level":"info","n":12345678901234567890}',
      '{"pod": "web-7d9", "container": "app", "message": {"level":"info","n":12345678901234567890}}\n',
    ],
    [
      'a text message is a string',
      'plain "text" <b>',
      '{"pod": "web-7d9", "container": "app", "message": "plain \\"text\\" \\u003cb\\u003e"}\n',
    ],
    ['a JSON number is embedded', '42', '{"pod": "web-7d9", "container": "app", "message": 42}\n'],
    ['JSON with spaces around is embedded as it is', ' {"a": 1} ', '{"pod": "web-7d9", "container": "app", "message":  {"a": 1} }\n'],
    ['almost JSON is a string', '{"a":', '{"pod": "web-7d9", "container": "app", "message": "{\\"a\\":"}\n'],
  ])('extjson: %s', (_name, message, out) => {
    expect(write(label(), settings({ output: 'extjson' }), message)).toEqual([out]);
  });

  it('extjson with several namespaces and contexts names them first; -t adds the timestamp', () => {
    const [line] = write(label({ context: 'prod', namespace: 'shop' }), settings({ output: 'extjson', timestamps: 'default' }), 'x');
    expect(line).toBe(
      `{"context": "prod", "namespace": "shop", "pod": "web-7d9", "container": "app", "timestamp": "${TS}", "message": "x"}\n`,
    );
  });

  it("ppextjson is stern's: the keys one a line, the message as written", () => {
    const [out] = write(label({ namespace: 'shop' }), settings({ output: 'ppextjson' }), '{"a":[1,2.50],"b":{},"c":"x, y: {z}"}');
    expect(out).toBe(
      '{\n  "namespace": "shop",\n  "pod": "web-7d9",\n  "container": "app",\n  "message": {"a":[1,2.50],"b":{},"c":"x, y: {z}"}\n}\n',
    );
  });
});

describe('--template', () => {
  const tpl = (text: string): FormatSettings['template'] => compileTemplate(text);

  it('fields of the source and the line', () => {
    const out = write(
      label(),
      settings({
        template: tpl('{{.Namespace}}/{{.PodName}}/{{.ContainerName}}@{{.NodeName}} {{.Labels.app}} {{.Timestamp}} {{.Message}}'),
        timestamps: 'default',
      }),
      'hello',
    );
    expect(out).toEqual([`shop/web-7d9/app@node-3 web ${TS} hello\n`]);
  });

  it('.Timestamp is empty without -t, as in stern, so {{if .Timestamp}} means "asked for"', () => {
    const t = tpl('{{if .Timestamp}}{{.Timestamp}} {{end}}{{.Message}}');
    expect(write(label(), settings({ template: t }), 'hello')).toEqual(['hello\n']);
    expect(write(label(), settings({ template: t, timestamps: 'default' }), 'hello')).toEqual([`${TS} hello\n`]);
  });

  it('a newline is added when the template has none; an empty result writes nothing', () => {
    const s = settings({ template: tpl('{{if ne .Message "skip"}}{{.Message}}{{end}}') });
    expect(write(label(), s, 'a', 'skip', 'b')).toEqual(['a\n', 'b\n']);
    expect(write(label(), settings({ template: tpl('{{.Message}}{{"\\n"}}') }), 'a')).toEqual(['a\n']);
  });

  it('a line the template fails on is left out and reported', () => {
    const errors: string[] = [];
    const s = settings({ template: tpl('{{(parseJSON .Message).msg}}'), onTemplateError: (m) => errors.push(m) });
    expect(write(label(), s, '{"msg":"ok"}', 'not json', '{"msg":"ok too"}')).toEqual(['ok\n', 'ok too\n']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/at <parseJSON \.Message>: error calling parseJSON/);
  });

  it('a line whose output passes 1 MiB is left out with one message; the next lines are written', () => {
    const errors: string[] = [];
    const s = settings({
      template: tpl('{{if eq .Message "big"}}{{range 100000000}}xxxxxxxx{{end}}{{else}}{{.Message}}{{end}}'),
      onTemplateError: (m) => errors.push(m),
    });
    expect(write(label(), s, 'a', 'big', 'b')).toEqual(['a\n', 'b\n']);
    expect(errors).toEqual(['the output is longer than the 1 MiB a line may hold']);
  });

  it('colours only with colour output; pod and container colours from the label', () => {
    const t = tpl('{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}}');
    const colors = { pod: '91', container: '31' };
    expect(write(label({ colors }), settings({ template: t, color: true }), 'm')).toEqual(['\x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m\n']);
    expect(write(label(), settings({ template: t, color: false }), 'm')).toEqual(['web-7d9 app\n']);
  });

  it('-t short and --timezone shape .Timestamp', () => {
    const s = settings({ template: tpl('{{.Timestamp}}'), timestamps: 'short', zone: resolveZone('Asia/Tokyo') });
    expect(write(label(), s, 'm')).toEqual(['01-03 00:04:05\n']);
  });

  it('on a terminal each line of the output is made safe; a reset only after colour that is on', () => {
    const s = settings({ template: tpl('{{.Message}}{{"\\n"}}second {{.PodName}}'), escapeControls: true, color: true });
    expect(write(label(), s, 'a\x1b]0;title\x07b')).toEqual(['a\\x1b]0;title\\x07b\nsecond web-7d9\n']);
    expect(write(label(), s, 'a\x1b[32mgreen')).toEqual(['a\x1b[32mgreen\nsecond web-7d9\x1b[0m\n']);
  });

  it('on a terminal without colour (NO_COLOR) not one escape byte, the SGR of the text shown escaped', () => {
    const s = settings({ template: tpl('{{.Message}} {{color .PodColor .PodName}}'), escapeControls: true, color: false });
    expect(write(label({ colors: { pod: '91', container: '31' } }), s, 'a\x1b[32mgreen')).toEqual(['a\\x1b[32mgreen web-7d9\n']);
  });

  it('-i filters and paints the message on colour output', () => {
    const filter = makeLineFilter({ include: [rx(/err/)], exclude: [], highlight: [] }, true);
    const s = settings({ template: tpl('> {{.Message}}'), filter, color: true });
    expect(write(label(), s, 'an err here', 'fine')).toEqual(['> an \x1b[31;1merr\x1b[0;22m here\n']);
  });

  it("as stern, -i tests the message while highlighting paints the template's output, its own text too", () => {
    const filter = makeLineFilter({ include: [rx(/web/)], exclude: [], highlight: [] }, true);
    const s = settings({ template: tpl('{{.PodName}}: {{.Message}}'), filter, color: true });
    expect(write(label(), s, 'web up', 'db up')).toEqual(['\x1b[31;1mweb\x1b[0;22m-7d9: \x1b[31;1mweb\x1b[0;22m up\n']);
  });
});
