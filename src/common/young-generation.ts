/**
 * Holds V8's young generation small. Under a steady stream of short-lived chunks V8 doubles its
 * new space at each scavenge that sees many survivors (data waiting in paused streams), up to
 * 32 MiB on Node 20: at 300 streams that was a quarter of ktail's resident memory, and the bench
 * showed no throughput gained from it past a few MiB. `--max-semi-space-size` would cap it but
 * is read only when the heap is set up, before any of our code runs; the growth factor is read
 * at each growth, so setting it to 1 once the new space has reached the cap stops it there.
 * The size is looked at after each collection, between tasks: one task that allocates more than
 * the cap at once (parsing a list of thousands of pods) can take it a doubling or two past it
 * before that look, and it stops there. Node 24 and later take pages past the capacity for the
 * length of a scavenge (up to 7.5 MiB at a 2 MiB cap in the test) and give them back after it.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** the new space (both semi-spaces) past which it stops growing */
const YOUNG_GENERATION_CAP = 4 * 1024 * 1024;

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Watches the garbage collections until the new space reaches `cap`, then stops its growth. */
export function holdYoungGeneration(cap = YOUNG_GENERATION_CAP): void {
  const stopGrowth = (): void => setFlagsFromString('--semi-space-growth-factor=1');
  if (newSpaceBytes() >= cap) {
    stopGrowth();
    return;
  }
  // a GC entry comes after each collection: the new space grows only at one
  const observer = new PerformanceObserver(() => {
    if (newSpaceBytes() < cap) return;
    stopGrowth();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
