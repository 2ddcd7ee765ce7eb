/** HTTP/2 flow-control windows the limit reader runs under. */
import { SESSION_WINDOW } from '../src/kube/http2.js';
import { streamWindowFor } from '../src/kube/flow-window.js';

export interface Windows {
  /** SETTINGS_INITIAL_WINDOW_SIZE: per stream */
  readonly stream: number;
  /** the connection's window */
  readonly session: number;
}

/** ktail's own for this many streams: the limit reader under them shows what the windows alone allow */
export const ktailWindows = (streams: number): Windows => ({ stream: streamWindowFor(streams), session: SESSION_WINDOW });
/** Go's HTTP/2 client's (kubectl's): 4 MiB per stream, a connection window well above it */
export const BEST_WINDOWS: Windows = { stream: 4 * 1024 * 1024, session: 32 * 1024 * 1024 };
