/** Several QUERYs: the name gate of the pattern ones, and the union of their watches' events. */
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { Pattern } from '../../src/common/regex.js';
import { nameGate, PodUnion } from '../../src/follow/union.js';
import type { PodEvent } from '../../src/follow/watch.js';

const pod = (name: string, deleting = false): V1Pod => ({
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: new Date() } : {}) },
});
const upsert = (name: string): PodEvent => ({ kind: 'upsert', pod: pod(name), initial: false });
const left = (name: string): PodEvent => ({ kind: 'delete', pod: pod(name) });
const deleted = (name: string): PodEvent => ({ kind: 'delete', pod: pod(name, true) });
const said = (events: PodEvent[]): string[] => events.map((e) => `${e.kind} ${e.pod.metadata?.name}`);

describe('nameGate', () => {
  it('passes the events of pods whose name any pattern matches (a search, as a pod query)', () => {
    const gate = nameGate([new Pattern('^web'), new Pattern('db')])!;
    const got: PodEvent[] = [];
    const onEvent = gate.wrap((e) => got.push(e));
    for (const name of ['web-1', 'api-1', 'my-db-0', 'webby']) onEvent(upsert(name));
    expect(said(got)).toEqual(['upsert web-1', 'upsert my-db-0', 'upsert webby']);
  });

  it('none when a pattern matches every name: nothing is tested', () => {
    expect(nameGate([new Pattern('web'), new Pattern('.*')])).toBeUndefined();
    expect(nameGate([new Pattern('')])).toBeUndefined();
  });
});

describe('PodUnion', () => {
  it('a pod shown by two watches: every upsert passes (the tracker follows an instance once); leaving one watch is not the end', () => {
    const got: PodEvent[] = [];
    const union = new PodUnion((e) => got.push(e));
    const [a, b] = [union.handler(0), union.handler(1)];
    a(upsert('web-1'));
    b(upsert('web-1'));
    b(left('web-1')); // relabelled out of deployment/web; `web` still shows it
    expect(said(got)).toEqual(['upsert web-1', 'upsert web-1']);
    a(left('web-1')); // now no watch shows it
    expect(said(got)).toEqual(['upsert web-1', 'upsert web-1', 'delete web-1']);
    expect(union.size).toBe(0);
  });

  it('a deletion passes at once, whatever the other watches still show', () => {
    const got: PodEvent[] = [];
    const union = new PodUnion((e) => got.push(e));
    union.handler(0)(upsert('db-0'));
    union.handler(1)(upsert('db-0'));
    union.handler(1)(deleted('db-0'));
    expect(said(got)).toEqual(['upsert db-0', 'upsert db-0', 'delete db-0']);
    union.handler(0)(deleted('db-0'));
    expect(union.size).toBe(0);
  });
});
