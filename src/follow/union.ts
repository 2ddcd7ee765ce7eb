/**
 * Several QUERYs in one context: each has its own watches, whose pods may overlap (`web` and
 * `deployment/web`). Their events go to one tracker, which follows a container instance once
 * however many watches show it. What it must not see is a pod leaving one watch's view (out of a
 * label selector) while another still shows it: that is not the pod going away. Pure of I/O.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Pattern } from '../common/regex.js';
import type { PodEvent } from './watch.js';
import type { PodGate } from './workload.js';

const nameOf = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export class PodUnion {
  /** pod → the watches (by index) that show it now */
  private readonly shownBy = new Map<string, Set<number>>();

  constructor(private readonly onEvent: (event: PodEvent) => void) {}

  /** The event handler of watch `index`. */
  handler(index: number): (event: PodEvent) => void {
    return (event) => {
      const key = nameOf(event.pod);
      let shown = this.shownBy.get(key);
      if (event.kind === 'upsert') {
        if (!shown) this.shownBy.set(key, (shown = new Set()));
        shown.add(index);
        this.onEvent(event);
        return;
      }
      shown?.delete(index);
      // a deletion is said by every watch: the first one passes it on
      if (!event.pod.metadata?.deletionTimestamp && shown !== undefined && shown.size > 0) return;
      this.shownBy.delete(key);
      this.onEvent(event);
    };
  }

  /** How many pods are remembered (for tests: it must not grow without bound). */
  get size(): number {
    return this.shownBy.size;
  }
}

/**
 * The pod-name test of the pattern QUERYs of a run, as a gate on their watch's events;
 * undefined when one of them matches every name (`.*`, the default), so that nothing is tested.
 */
export function nameGate(patterns: readonly Pattern[]): PodGate | undefined {
  if (patterns.some((p) => p.source === '' || p.source === '.*')) return undefined;
  const matches = (name: string): boolean => patterns.some((p) => p.test(name));
  return {
    wrap: (onEvent) => (event) => {
      if (matches(event.pod.metadata?.name ?? '')) onEvent(event);
    },
    settled: () => Promise.resolve(),
  };
}
