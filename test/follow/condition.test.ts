import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { conditionMatches, parseCondition, type PodConditionFilter } from '../../src/follow/condition.js';
import { podTargets, type TargetFilter } from '../../src/follow/targets.js';

function pod(conditions: Record<string, string>, owner?: string): V1Pod {
  return {
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: owner, name: 'x', uid: 'u' }] } : {}),
    },
    spec: { containers: [{ name: 'app' }] },
    status: {
      conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })),
      containerStatuses: [
        { name: 'app', image: 'i', imageID: '', ready: true, restartCount: 0, containerID: 'c1', state: { running: {} } },
      ],
    },
  };
}
const cond = (text: string): PodConditionFilter => {
  const c = parseCondition(text);
  if (typeof c === 'string') throw new Error(c);
  return c;
};

describe('parseCondition', () => {
  it.each([
    ['ready', { type: 'Ready', status: 'True' }],
    ['Ready', { type: 'Ready', status: 'True' }],
    ['ready=false', { type: 'Ready', status: 'False' }],
    ['READY=False', { type: 'Ready', status: 'False' }],
    ['containersready=unknown', { type: 'ContainersReady', status: 'Unknown' }],
    ['podscheduled=true', { type: 'PodScheduled', status: 'True' }],
    ['Initialized', { type: 'Initialized', status: 'True' }],
  ])('%s', (text, expected) => {
    expect(parseCondition(text)).toEqual(expected);
  });

  it.each([['bogus'], [''], ['=true']])('%j is not a condition', (text) => {
    expect(parseCondition(text)).toMatch(/^expected a pod condition: ContainersReady, Initialized, Ready/);
  });

  it('a bad value names the good ones', () => {
    expect(parseCondition('ready=yes')).toBe('expected Ready=true, =false or =unknown');
  });
});

describe('conditionMatches', () => {
  it('the condition must be there with the value asked for', () => {
    expect(conditionMatches(pod({ Ready: 'True' }), cond('ready'))).toBe(true);
    expect(conditionMatches(pod({ Ready: 'False' }), cond('ready'))).toBe(false);
    expect(conditionMatches(pod({ Ready: 'False' }), cond('ready=false'))).toBe(true);
    expect(conditionMatches(pod({ PodScheduled: 'True' }), cond('ready=false'))).toBe(false);
    expect(conditionMatches(pod({}), cond('ready'))).toBe(false);
  });

  it("as stern, a Job's pod always passes a Ready condition", () => {
    expect(conditionMatches(pod({ Ready: 'True' }, 'Job'), cond('ready=false'))).toBe(true);
    expect(conditionMatches(pod({ Ready: 'True' }, 'ReplicaSet'), cond('ready=false'))).toBe(false);
    expect(conditionMatches(pod({ Initialized: 'False' }, 'Job'), cond('initialized'))).toBe(false);
  });
});

describe('podTargets with a condition', () => {
  const filter: TargetFilter = { container: /.*/, excludeContainer: [], excludePod: [] };
  it('a pod that does not match has no targets', () => {
    expect(podTargets('ctx', pod({ Ready: 'True' }), { ...filter, condition: cond('ready=false') })).toEqual([]);
    expect(podTargets('ctx', pod({ Ready: 'False' }), { ...filter, condition: cond('ready=false') })).toHaveLength(1);
    expect(podTargets('ctx', pod({ Ready: 'True' }), filter)).toHaveLength(1);
  });
});
