/**
 * The one place a source's label is built, for its lines and `+`/`-` notices as for the `~`
 * notices of a container that waits: which parts are shown depends on what is followed.
 */
import type { ColorPair } from './colors.js';

/** Who wrote a line, and which parts of that the output shows. */
export interface SourceLabel {
  /** shown first when several contexts are followed */
  readonly context: string | undefined;
  /** shown when several namespaces are followed */
  readonly namespace: string | undefined;
  readonly pod: string;
  readonly container: string;
  /** undefined: no colour */
  readonly colors: ColorPair | undefined;
  /** what -o json and templates show of the source, whether or not the prefix shows it */
  readonly info?: SourceInfo;
}

/** The source's pod as JSON output and templates show it (SPEC §3). */
export interface SourceInfo {
  readonly context: string;
  readonly namespace: string;
  readonly nodeName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Receives one log line as the kubelet sent it: `TIMESTAMP SP MESSAGE`, where the timestamp is
 * buf[lineStart, tsEnd) and the message buf[msgStart, end). Without a timestamp,
 * tsEnd === lineStart and msgStart === lineStart.
 */
export type LineWriter = (buf: Buffer, lineStart: number, tsEnd: number, msgStart: number, end: number) => void;

/** One container of one pod of one context: a Target is one, so is a waiting container. */
export interface SourceRef {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

/** Which parts of a source the output shows besides its pod and container. */
export interface LabelDisplay {
  /** several contexts are followed */
  readonly showContext: boolean;
  /** several namespaces are followed */
  readonly showNamespace: boolean;
}

export function sourceLabel(
  ref: SourceRef,
  display: LabelDisplay,
  extra: { readonly colors?: ColorPair | undefined; readonly info?: SourceInfo } = {},
): SourceLabel {
  return {
    context: display.showContext ? ref.context : undefined,
    namespace: display.showNamespace ? ref.namespace : undefined,
    pod: ref.pod,
    container: ref.container,
    colors: extra.colors,
    ...(extra.info === undefined ? {} : { info: extra.info }),
  };
}
