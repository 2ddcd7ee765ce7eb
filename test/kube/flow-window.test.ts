import { describe, expect, it } from 'vitest';
import { FLOW_BUDGET, MAX_STREAM_WINDOW, MIN_STREAM_WINDOW, streamWindowFor } from '../../src/kube/flow-window.js';

describe('the flow-control budget split across open streams', () => {
  it("gives one stream Go's 4 MiB window", () => {
    expect(streamWindowFor(0)).toBe(MAX_STREAM_WINDOW);
    expect(streamWindowFor(1)).toBe(4 * 1024 * 1024);
  });

  it('splits the budget as streams open, in powers of two', () => {
    expect(streamWindowFor(2)).toBe(2 * 1024 * 1024);
    expect(streamWindowFor(10)).toBe(256 * 1024);
    expect(streamWindowFor(100)).toBe(32 * 1024);
    expect(streamWindowFor(300)).toBe(MIN_STREAM_WINDOW);
  });

  it('keeps a floor at thousands of streams', () => {
    expect(streamWindowFor(2000)).toBe(MIN_STREAM_WINDOW);
  });

  it('never lets the windows of the open streams add up past the budget, above the floor', () => {
    for (let n = 1; n <= 1024; n++) {
      const w = streamWindowFor(n);
      if (w > MIN_STREAM_WINDOW) expect(w * n).toBeLessThanOrEqual(FLOW_BUDGET);
      expect(Math.log2(w) % 1).toBe(0);
    }
  });
});
