/**
 * The backoff's jitter held at its middle for each test of the calling describe block, so that
 * the delays are the nominal ones (1 s, 2 s, …) and can be asserted.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export function nominalBackoff(): void {
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}
