/**
 * One budget for log data in flight over HTTP/2, shared by every open stream of a cluster.
 *
 * A stream's window is what the server may send before ktail reads: with one or two streams a
 * large window lets the server fill the next megabytes while ktail formats the last ones (on
 * two cores the two then run at once, where a 64 KiB window made them take turns); with
 * hundreds of streams the same window, multiplied, is what decides memory. So the window is the
 * budget split across the open streams, between a floor that keeps WINDOW_UPDATE frames rare
 * and Go's client's 4 MiB at the top. Windows are powers of two so that a stream count moving
 * back and forth changes the setting rarely.
 *
 * The budget is 4 MiB, one stream's whole window: alternating runs against 16 MiB (seven each)
 * gave 10 pods 74 MB peak RSS instead of 97 and 300 streams 81 instead of 107, with lines/s no
 * lower (796 k vs 709 k, 510 k vs 464 k) and one pod unchanged. Past one stream, more data in
 * flight only waited longer in memory: ktail, not the server, sets the pace.
 */
export const FLOW_BUDGET = 4 * 1024 * 1024;
export const MIN_STREAM_WINDOW = 16 * 1024;
export const MAX_STREAM_WINDOW = 4 * 1024 * 1024;

/** The per-stream window (SETTINGS_INITIAL_WINDOW_SIZE) for this many open streams. */
export function streamWindowFor(openStreams: number): number {
  const share = FLOW_BUDGET / Math.max(1, openStreams);
  const pow2 = 2 ** Math.floor(Math.log2(share));
  return Math.min(MAX_STREAM_WINDOW, Math.max(MIN_STREAM_WINDOW, pow2));
}
