import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common/errors.js';
import { resolveOptions, type RawOptions } from '../../src/cli/options.js';
import { resolveOutputOptions } from '../../src/cli/output-options.js';
import { UTC } from '../../src/output/timefmt.js';
import { usageError as usageErrorOf } from '../helpers/errors.js';

const usageError = (raw: RawOptions): UsageError => usageErrorOf(() => resolveOptions('web', raw));

describe('output options: defaults', () => {
  const o = resolveOptions('web', {});
  it('no template, zone, filters, custom colours or ordering', () => {
    expect(o).toMatchObject({
      template: undefined,
      timezone: undefined,
      include: [],
      exclude: [],
      highlight: [],
      podColors: undefined,
      containerColors: undefined,
      diffContainer: false,
      orderedWindowMs: undefined,
    });
  });
});

describe('output options: values', () => {
  it.each<[string, RawOptions, Record<string, unknown>]>([
    ['-o json', { output: 'json' }, { output: 'json' }],
    ['-o extjson', { output: 'extjson' }, { output: 'extjson' }],
    ['-o ppextjson', { output: 'ppextjson' }, { output: 'ppextjson' }],
    ['--timezone UTC', { timezone: 'UTC' }, { timezone: UTC }],
    ['--pod-colors', { podColors: ['91,92', '38;5;208'] }, { podColors: ['91', '92', '38;5;208'] }],
    ['--container-colors', { podColors: ['91,92'], containerColors: ['31,32'] }, { containerColors: ['31', '32'] }],
    ['-d', { diffContainer: true }, { diffContainer: true }],
    ['--ordered alone', { ordered: '1s' }, { orderedWindowMs: 1000 }],
    ['--ordered=250ms', { ordered: '250ms' }, { orderedWindowMs: 250 }],
    ['--ordered as a bare switch', { ordered: true }, { orderedWindowMs: 1000 }],
    ['-o pretty', { output: 'pretty' }, { output: 'pretty' }],
    ['no --level', {}, { level: undefined, levelStrict: false }],
    ['--level warn', { level: 'warn' }, { level: 'warn', levelStrict: false }],
    ['--level debug --level-strict', { level: 'debug', levelStrict: true }, { level: 'debug', levelStrict: true }],
  ])('%s', (_name, raw, expected) => {
    expect(resolveOptions('web', raw)).toMatchObject(expected);
  });

  it('compiles -i, -e and -H', () => {
    const o = resolveOptions('web', { include: ['ERR', 'WARN'], exclude: ['healthz'], highlight: ['\\d+ms'] });
    expect([o.include, o.exclude, o.highlight].map((rs) => rs.map((r) => r.source))).toEqual([['ERR', 'WARN'], ['healthz'], ['\\d+ms']]);
  });

  it('compiles --template once', () => {
    const o = resolveOptions('web', { template: '{{.PodName}} {{.Message}}' });
    expect(o.template?.source).toBe('{{.PodName}} {{.Message}}');
  });

  it('-T reads the file, and wins over --template as in stern', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktail-tpl-'));
    const path = join(dir, 'log.tpl');
    writeFileSync(path, '{{.Message}}\n');
    expect(resolveOptions('web', { templateFile: path, template: '{{.PodName}}' }).template?.source).toBe('{{.Message}}\n');
  });

  it('-T ~/… is read from the home directory', () => {
    const read: string[] = [];
    resolveOutputOptions({ templateFile: '~/x.tpl' }, (p) => {
      read.push(p);
      return '{{.Message}}';
    });
    expect(read[0]).not.toContain('~');
    expect(read[0]).toMatch(/\/x\.tpl$/);
  });
});

describe('output options: mistakes are exit 2', () => {
  it.each<[string, RawOptions, RegExp]>([
    ['an unknown format', { output: 'yaml' }, /invalid value "yaml" for --output: expected one of default, raw, json, extjson, ppextjson/],
    [
      'a template that does not parse',
      { template: '{{.PodName}} {{colr .Message}}' },
      /^invalid --template at 1:16: function "colr" not defined$/,
    ],
    ['an unknown field', { template: '{{.Pod}}' }, /invalid --template at 1:3: can't evaluate field Pod/],
    ['an unknown zone', { timezone: 'Mars/Base' }, /invalid value "Mars\/Base" for --timezone: unknown time zone/],
    ['an invalid -i', { include: ['a('] }, /invalid --include regex "a\(": missing closing \)/],
    ['an invalid -e', { exclude: ['['] }, /invalid --exclude regex "\[": missing closing \]/],
    ['an invalid -H', { highlight: ['*'] }, /invalid --highlight regex "\*"/],
    ['a colour that is no SGR', { podColors: ['red'] }, /invalid colour "red" for --pod-colors: expected SGR parameters/],
    ['an SGR number past 255', { podColors: ['38;5;300'] }, /invalid colour "38;5;300"/],
    ['container colours without pod colours', { containerColors: ['31'] }, /--container-colors needs --pod-colors/],
    ['unequal colour lists', { podColors: ['91,92'], containerColors: ['31'] }, /--container-colors has 1 colours and --pod-colors 2/],
    ['a bad --ordered window', { ordered: 'soon' }, /invalid duration "soon" for --ordered/],
    ['a zero --ordered window', { ordered: '0s' }, /must be more than 0/],
    ['an unknown --level', { level: 'warning' }, /^invalid value "warning" for --level: expected one of debug, info, warn, error$/],
    ['--level-strict alone', { levelStrict: true }, /^--level-strict needs --level: give --level debug\|info\|warn\|error too$/],
  ])('%s', (_name, raw, message) => {
    expect(usageError(raw).message).toMatch(message);
  });

  it('a template file that does not parse: file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktail-tpl-'));
    const path = join(dir, 'bad.tpl');
    writeFileSync(path, '{{.Message}}\n{{if .PodName}}\n');
    expect(usageError({ templateFile: path }).message).toBe(`invalid template file ${path}:2:3: {{if}} has no matching {{end}}`);
  });

  it('a template file that does not exist', () => {
    expect(usageError({ templateFile: '/nonexistent/log.tpl' }).message).toBe(
      'cannot read template file /nonexistent/log.tpl: no such file',
    );
  });
});
