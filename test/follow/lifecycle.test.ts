import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { waitingContainers, WaitingReports } from '../../src/follow/lifecycle.js';
import type { TargetFilter } from '../../src/follow/targets.js';

const all: TargetFilter = { container: /.*/, excludeContainer: [], excludePod: [] };

function pod(
  name: string,
  statuses: { name: string; reason?: string; message?: string; running?: boolean }[],
  init: typeof statuses = [],
): V1Pod {
  const status = (s: (typeof statuses)[number]) => ({
    name: s.name,
    state: s.running
      ? { running: {} }
      : { waiting: { ...(s.reason ? { reason: s.reason } : {}), ...(s.message ? { message: s.message } : {}) } },
  });
  return {
    metadata: { name, namespace: 'shop' },
    status: { containerStatuses: statuses.map(status), initContainerStatuses: init.map(status) },
  } as unknown as V1Pod;
}

describe('waitingContainers', () => {
  it.each<[string, V1Pod, TargetFilter, unknown[]]>([
    [
      'reasons worth a notice, with the message',
      pod('web', [
        { name: 'app', reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' },
        { name: 'img', reason: 'ImagePullBackOff', message: 'Back-off pulling image "x:1"' },
        { name: 'cfg', reason: 'CreateContainerConfigError', message: 'secret "s" not found' },
        { name: 'pull', reason: 'ErrImagePull' },
      ]),
      all,
      [
        { container: 'app', reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' },
        { container: 'img', reason: 'ImagePullBackOff', message: 'Back-off pulling image "x:1"' },
        { container: 'cfg', reason: 'CreateContainerConfigError', message: 'secret "s" not found' },
        { container: 'pull', reason: 'ErrImagePull', message: undefined },
      ],
    ],
    [
      'an ordinary start is not news; neither is running',
      pod('web', [
        { name: 'a', reason: 'ContainerCreating' },
        { name: 'b', reason: 'PodInitializing' },
        { name: 'c', running: true },
        { name: 'd' },
      ]),
      all,
      [],
    ],
    ['--exclude-pod applies', pod('web', [{ name: 'app', reason: 'CrashLoopBackOff' }]), { ...all, excludePod: [/^web/] }, []],
    [
      '-c applies',
      pod('web', [
        { name: 'app', reason: 'CrashLoopBackOff' },
        { name: 'side', reason: 'CrashLoopBackOff' },
      ]),
      { ...all, container: /side/ },
      [{ container: 'side', reason: 'CrashLoopBackOff', message: undefined }],
    ],
    [
      'init containers too',
      pod('web', [], [{ name: 'migrate', reason: 'CrashLoopBackOff' }]),
      all,
      [{ container: 'migrate', reason: 'CrashLoopBackOff', message: undefined }],
    ],
    [
      'not with --no-init-containers',
      pod('web', [], [{ name: 'migrate', reason: 'CrashLoopBackOff' }]),
      { ...all, initContainers: false },
      [],
    ],
    [
      'a blank message is none',
      pod('web', [{ name: 'app', reason: 'ErrImagePull', message: '  ' }]),
      all,
      [{ container: 'app', reason: 'ErrImagePull', message: undefined }],
    ],
  ])('%s', (_name, p, filter, expected) => {
    expect(waitingContainers(p, filter)).toEqual(expected);
  });
});

describe('WaitingReports', () => {
  it('reports each reason of a container once, until the pod is deleted', () => {
    const r = new WaitingReports();
    const crash = (msg: string) => pod('web', [{ name: 'app', reason: 'CrashLoopBackOff', message: msg }]);
    expect(r.observe('prod', crash('back-off 10s'), all).map((w) => w.message)).toEqual(['back-off 10s']);
    expect(r.observe('prod', crash('back-off 20s'), all)).toEqual([]);
    expect(r.observe('prod', pod('web', [{ name: 'app', running: true }]), all)).toEqual([]);
    expect(r.observe('prod', crash('back-off 40s'), all)).toEqual([]);
    // another reason of the same container, the same reason of another container, pod or context
    expect(r.observe('prod', pod('web', [{ name: 'app', reason: 'CreateContainerError' }]), all).map((w) => w.reason)).toEqual([
      'CreateContainerError',
    ]);
    expect(r.observe('prod', pod('web', [{ name: 'side', reason: 'CrashLoopBackOff' }]), all)).toHaveLength(1);
    expect(r.observe('prod', pod('api', [{ name: 'app', reason: 'CrashLoopBackOff' }]), all)).toHaveLength(1);
    expect(r.observe('dev', crash('back-off 10s'), all)).toHaveLength(1);
    // a pod of the same name, created again, is news again
    r.forget('prod', crash(''));
    expect(r.observe('prod', crash('back-off 10s'), all)).toHaveLength(1);
  });
});
