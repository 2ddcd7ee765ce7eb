import { describe, expect, it } from 'vitest';
import { makeEventOutput, type ShownEvent } from '../../src/output/events.js';
import type { OutputFormat } from '../../src/output/choices.js';
import { Notices } from '../../src/output/notices.js';
import { RecordingSink } from '../helpers/output.js';

const unhealthy: ShownEvent = {
  context: 'prod',
  namespace: 'shop',
  kind: 'Pod',
  name: 'web-1',
  podKey: 'prod/shop/web-1',
  reason: 'Unhealthy',
  message: 'Readiness probe failed: 503',
  count: 3,
  eventType: 'Warning',
  time: '2026-11-30T01:00:30Z',
};
const scaled: ShownEvent = {
  ...unhealthy,
  kind: 'Deployment',
  name: 'web',
  podKey: undefined,
  reason: 'ScalingReplicaSet',
  message: 'Scaled up replica set web-7d9 from 0 to 3',
  count: 1,
  eventType: 'Normal',
};

function outputFor(format: OutputFormat, opts: { template?: boolean; showContext?: boolean; showNamespace?: boolean } = {}) {
  const sink = new RecordingSink();
  let stderr = '';
  const stream = { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
  const asked: string[] = [];
  const show = makeEventOutput({
    format,
    template: opts.template ?? false,
    display: { showContext: opts.showContext ?? false, showNamespace: opts.showNamespace ?? false },
    colors: (podKey) => (asked.push(podKey), { pod: '95', container: '35' }),
    sink: sink.asSink,
    notices: new Notices(stream, false),
  });
  return { show, sink, stderr: () => stderr, asked };
}

describe('--events output', () => {
  it("default: a notice on stderr in the pod's colour, nothing on stdout; an owner has no colour", () => {
    const o = outputFor('default');
    o.show(unhealthy);
    o.show(scaled);
    expect(o.stderr()).toBe(
      '! \x1b[95mweb-1\x1b[0m Unhealthy: Readiness probe failed: 503 (×3)\n' +
        '! deployment/web ScalingReplicaSet: Scaled up replica set web-7d9 from 0 to 3\n',
    );
    expect(o.asked).toEqual(['prod/shop/web-1']);
    expect(o.sink.lines).toEqual([]);
  });

  it.each<[string, OutputFormat, boolean]>([
    ['raw', 'raw', false],
    ['a template', 'json', true],
  ])('%s: on stderr too (stdout carries log lines only)', (_name, format, template) => {
    const o = outputFor(format, { template });
    o.show(unhealthy);
    expect(o.stderr()).toContain('Unhealthy: Readiness probe failed: 503 (×3)');
    expect(o.sink.lines).toEqual([]);
  });

  it('several namespaces and contexts are named as on log lines', () => {
    const o = outputFor('default', { showContext: true, showNamespace: true });
    o.show(scaled);
    expect(o.stderr()).toBe('! prod shop deployment/web ScalingReplicaSet: Scaled up replica set web-7d9 from 0 to 3\n');
  });

  it('json: one object a line on stdout, type "event"; podName only for a pod; context only with several', () => {
    const o = outputFor('json');
    o.show(unhealthy);
    o.show(scaled);
    expect(o.stderr()).toBe('');
    expect(o.sink.text.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        type: 'event',
        timestamp: '2026-11-30T01:00:30Z',
        namespace: 'shop',
        kind: 'Pod',
        name: 'web-1',
        podName: 'web-1',
        eventType: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed: 503',
        count: 3,
      },
      {
        type: 'event',
        timestamp: '2026-11-30T01:00:30Z',
        namespace: 'shop',
        kind: 'Deployment',
        name: 'web',
        eventType: 'Normal',
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set web-7d9 from 0 to 3',
        count: 1,
      },
    ]);
    const withContext = outputFor('extjson', { showContext: true });
    withContext.show({ ...unhealthy, time: undefined });
    expect(JSON.parse(withContext.sink.text[0]!)).toMatchObject({ type: 'event', context: 'prod', timestamp: null });
  });

  it('ppextjson: the same object, indented', () => {
    const o = outputFor('ppextjson');
    o.show(scaled);
    expect(o.sink.text[0]).toMatch(/^\{\n {2}"type": "event",\n/);
    expect(JSON.parse(o.sink.text[0]!)).toMatchObject({ kind: 'Deployment', name: 'web' });
  });
});
