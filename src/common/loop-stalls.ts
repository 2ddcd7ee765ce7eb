/**
 * A test-only hook: with KTAIL_TEST_LOOP_STALLS=SEED set, the event loop is blocked for
 * 100–500 ms at random points, as a busy laptop or a loaded CI machine blocks it. The stress
 * tests use it to find the races that only timing shows. Never set by users; does nothing
 * unless set.
 */
import { between, seededRandom } from './random.js';

export function startLoopStalls(env: NodeJS.ProcessEnv): void {
  const seed = env.KTAIL_TEST_LOOP_STALLS;
  if (seed === undefined || !/^\d+$/.test(seed)) return;
  const random = seededRandom(Number(seed));
  const next = (): void => {
    const timer = setTimeout(
      () => {
        const until = Date.now() + between(random, 100, 500);
        while (Date.now() < until) {
          // blocked, on purpose
        }
        next();
      },
      between(random, 200, 1500),
    );
    timer.unref();
  };
  next();
}
