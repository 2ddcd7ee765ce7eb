/**
 * The one place a source's label is built, for its lines and `+`/`-` notices as for the `~`
 * notices of a container that waits: which parts are shown depends on what is followed.
 */
import type { ColorPair } from './colors.js';
import type { SourceInfo, SourceLabel } from './format.js';

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
