/**
 * Notices on stderr: `+`/`-` for sources, waits, retries, warnings. A union on `kind` with one
 * formatter per kind, so a new kind does not compile until it has its text.
 */
import { containerText, podText, type SourceLabel } from './format.js';

export type Notice =
  | { readonly kind: 'started'; readonly label: SourceLabel; readonly restartCount: number }
  | { readonly kind: 'ended'; readonly label: SourceLabel; readonly reason: string | undefined }
  | { readonly kind: 'retrying'; readonly label: SourceLabel; readonly problem: string; readonly inMs: number }
  | { readonly kind: 'resumed'; readonly label: SourceLabel }
  | { readonly kind: 'nothing-matches'; readonly text: string }
  | { readonly kind: 'warning'; readonly text: string };

/** "POD › CONTAINER", with the context and namespace first when they are shown */
function source(label: SourceLabel): string {
  return `${podText(label)} › ${containerText(label)}`;
}

const seconds = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))}s`;

export function formatNotice(n: Notice): string {
  switch (n.kind) {
    case 'started':
      return `+ ${source(n.label)}${n.restartCount > 0 ? ` (restart ${n.restartCount})` : ''}`;
    case 'ended':
      return `- ${source(n.label)}${n.reason ? ` (${n.reason})` : ''}`;
    case 'retrying':
      return `! ${source(n.label)}: ${n.problem}; retrying in ${seconds(n.inMs)}`;
    case 'resumed':
      return `+ ${source(n.label)} (resumed)`;
    case 'nothing-matches':
      return `ktail: ${n.text}`;
    case 'warning':
      return `ktail: ${n.text}`;
  }
}

/** Lifecycle notices are dropped by --only-log-lines; warnings never are. */
export class Notices {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly onlyLogLines: boolean,
  ) {}

  emit(n: Notice): void {
    if (this.onlyLogLines && n.kind !== 'warning') return;
    this.out.write(`${formatNotice(n)}\n`);
  }
}
