/**
 * Notices on stderr: `+`/`-` for sources, `~` for a container waiting (CrashLoopBackOff…), `!`
 * for retries and for Kubernetes Events (--events), warnings. A union on `kind` with one
 * formatter per kind, so a new kind does not compile until it has its text.
 */
import { containerText, podText } from './format.js';
import type { SourceLabel } from './label.js';

export type Notice =
  | { readonly kind: 'started'; readonly label: SourceLabel; readonly restartCount: number }
  | { readonly kind: 'ended'; readonly label: SourceLabel; readonly reason: string | undefined }
  | { readonly kind: 'retrying'; readonly label: SourceLabel; readonly problem: string; readonly inMs: number }
  | { readonly kind: 'waiting'; readonly label: SourceLabel; readonly reason: string; readonly message: string | undefined }
  /** --events: `label` names the pod (or `kind/name` of an owner); its container is not shown */
  | { readonly kind: 'event'; readonly label: SourceLabel; readonly reason: string; readonly message: string; readonly count: number }
  | { readonly kind: 'nothing-matches'; readonly text: string }
  | { readonly kind: 'warning'; readonly text: string };

/** "POD › CONTAINER", with the context and namespace first when they are shown */
function source(label: SourceLabel): string {
  return `${podText(label)} › ${containerText(label)}`;
}

/**
 * Kubernetes' messages may span lines, and may quote what a pod's author wrote (an image name):
 * a notice is one line, with control characters shown escaped.
 */
const oneLine = (text: string): string =>
  text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim()

    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const seconds = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))}s`;

export function formatNotice(n: Notice): string {
  switch (n.kind) {
    case 'started':
      return `+ ${source(n.label)}${n.restartCount > 0 ? ` (restart ${n.restartCount})` : ''}`;
    case 'ended':
      return `- ${source(n.label)}${n.reason ? ` (${n.reason})` : ''}`;
    case 'retrying':
      return `! ${source(n.label)}: ${n.problem}; retrying in ${seconds(n.inMs)}`;
    case 'waiting':
      return `~ ${source(n.label)} waiting: ${oneLine(n.reason)}${n.message ? ` (${oneLine(n.message)})` : ''}`;
    case 'event':
      return `! ${podText(n.label)} ${oneLine(n.reason)}: ${oneLine(n.message)}${n.count > 1 ? ` (×${n.count})` : ''}`;
    case 'nothing-matches':
      return `ktail: ${n.text}`;
    case 'warning':
      return `ktail: ${n.text}`;
  }
}

/**
 * Lifecycle notices are dropped by --only-log-lines (and --no-follow); warnings never are, nor
 * Events, which --events asked for by name.
 */
export class Notices {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly onlyLogLines: boolean,
  ) {}

  emit(n: Notice): void {
    if (this.onlyLogLines && n.kind !== 'warning' && n.kind !== 'event') return;
    this.out.write(`${formatNotice(n)}\n`);
  }
}
