import { describe, expect, it } from 'vitest';
import { formatNotice, Notices, type Notice } from '../../src/output/notices.js';
import { terminatedText } from '../../src/follow/tail.js';
import { label } from '../helpers/output.js';

describe('terminatedText', () => {
  it.each<[string, number | undefined, string]>([
    ['OOMKilled', 137, 'terminated: OOMKilled, exit 137'],
    ['Completed', 0, 'terminated: Completed, exit 0'],
    ['replaced', undefined, 'terminated: replaced'],
  ])('%s, exit %s', (reason, exitCode, expected) => {
    expect(terminatedText({ reason, exitCode })).toBe(expected);
  });
});

describe('formatNotice', () => {
  it.each<[string, Notice, string]>([
    ['started', { kind: 'started', label: label(), restartCount: 0 }, '+ web-7d9 › app'],
    ['started after restarts', { kind: 'started', label: label(), restartCount: 3 }, '+ web-7d9 › app (restart 3)'],
    [
      'ended, terminated',
      { kind: 'ended', label: label(), reason: terminatedText({ reason: 'OOMKilled', exitCode: 137 }) },
      '- web-7d9 › app (terminated: OOMKilled, exit 137)',
    ],
    ['ended, pod deleted', { kind: 'ended', label: label(), reason: 'pod deleted' }, '- web-7d9 › app (pod deleted)'],
    ['ended without a reason', { kind: 'ended', label: label(), reason: undefined }, '- web-7d9 › app'],
    ['ended with an empty reason', { kind: 'ended', label: label(), reason: '' }, '- web-7d9 › app'],
    [
      'retrying',
      { kind: 'retrying', label: label(), problem: 'connection reset', inMs: 2000 },
      '! web-7d9 › app: connection reset; retrying in 2s',
    ],
    ['retrying soon rounds up to 1s', { kind: 'retrying', label: label(), problem: 'x', inMs: 100 }, '! web-7d9 › app: x; retrying in 1s'],
    [
      'waiting, with the message',
      {
        kind: 'waiting',
        label: label(),
        reason: 'CrashLoopBackOff',
        message: 'back-off 10s restarting failed container=app pod=web-7d9_shop(u1)',
      },
      '~ web-7d9 › app waiting: CrashLoopBackOff (back-off 10s restarting failed container=app pod=web-7d9_shop(u1))',
    ],
    [
      'waiting, no message',
      { kind: 'waiting', label: label(), reason: 'ImagePullBackOff', message: undefined },
      '~ web-7d9 › app waiting: ImagePullBackOff',
    ],
    [
      'waiting: a message on several lines, with control characters, is one safe line',
      {
        kind: 'waiting',
        label: label({ context: 'prod' }),
        reason: 'ErrImagePull',
        message: 'failed to pull "x\x1b]0;pwned\x07":\n  not found',
      },
      '~ prod web-7d9 › app waiting: ErrImagePull (failed to pull "x\\x1b]0;pwned\\x07": not found)',
    ],
    [
      'an Event, counted',
      { kind: 'event', label: label({ container: '' }), reason: 'Unhealthy', message: 'Readiness probe failed: 503', count: 3 },
      '! web-7d9 Unhealthy: Readiness probe failed: 503 (×3)',
    ],
    [
      'an Event seen once has no count; its message is one safe line',
      {
        kind: 'event',
        label: label({ pod: 'deployment/web', namespace: 'shop' }),
        reason: 'FailedCreate',
        message: 'quota\n \x1b[2J exceeded',
        count: 1,
      },
      '! shop deployment/web FailedCreate: quota \\x1b[2J exceeded',
    ],
    [
      "an Event in the pod's colour",
      { kind: 'event', label: label({ colors: { pod: '92', container: '32' } }), reason: 'BackOff', message: 'back-off', count: 2 },
      '! \x1b[92mweb-7d9\x1b[0m BackOff: back-off (×2)',
    ],
    ['nothing matches', { kind: 'nothing-matches', text: 'nothing matches "web" yet' }, 'ktail: nothing matches "web" yet'],
    ['warning', { kind: 'warning', text: '3 log streams are waiting' }, 'ktail: 3 log streams are waiting'],
    [
      'with namespace and context',
      { kind: 'started', label: label({ context: 'prod', namespace: 'shop' }), restartCount: 0 },
      '+ prod shop web-7d9 › app',
    ],
    [
      'in colour',
      { kind: 'started', label: label({ colors: { pod: '92', container: '32' } }), restartCount: 1 },
      '+ \x1b[92mweb-7d9\x1b[0m › \x1b[32mapp\x1b[0m (restart 1)',
    ],
  ])('%s', (_name, notice, expected) => {
    expect(formatNotice(notice)).toBe(expected);
  });
});

describe('Notices', () => {
  const all: Notice[] = [
    { kind: 'started', label: label(), restartCount: 0 },
    { kind: 'ended', label: label(), reason: 'pod deleted' },
    { kind: 'retrying', label: label(), problem: 'connection reset', inMs: 1000 },
    { kind: 'nothing-matches', text: 'nothing matches' },
    { kind: 'warning', text: 'careful' },
    { kind: 'event', label: label(), reason: 'Unhealthy', message: 'probe failed', count: 1 },
  ];

  function emitAll(onlyLogLines: boolean): string {
    let out = '';
    const stream = {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const n = new Notices(stream, onlyLogLines);
    for (const notice of all) n.emit(notice);
    return out;
  }

  it('writes each notice as one line', () => {
    expect(emitAll(false)).toBe(`${all.map(formatNotice).join('\n')}\n`);
  });

  it('--only-log-lines drops lifecycle notices but not warnings, nor the Events --events asked for', () => {
    const out = emitAll(true);
    expect(out).toBe('ktail: careful\n! web-7d9 Unhealthy: probe failed\n');
  });
});
