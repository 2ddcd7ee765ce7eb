/**
 * What the output stage needs of the options: format, timestamps, templates, filters, colours,
 * --ordered and which notices are shown. Built once from the options (cli/settings.ts).
 */
import type { ColorMode, LevelName, OutputFormat, PaletteName, TimestampStyle } from './choices.js';
import type { FilterFlags } from './filters.js';
import type { Template } from './template/index.js';
import type { Zone } from './timefmt.js';

export interface OutputSettings extends FilterFlags {
  readonly output: OutputFormat;
  readonly timestamps: TimestampStyle | false;
  /** --template or -T (the file wins, as in stern); replaces -o */
  readonly template: Template | undefined;
  /** --level: lines below it are dropped; undefined: every line */
  readonly level: LevelName | undefined;
  /** --level-strict: with --level, lines without a level are dropped too */
  readonly levelStrict: boolean;
  /** --timezone; undefined: the kubelet's UTC text for -t default, local time for -t short */
  readonly timezone: Zone | undefined;
  readonly color: ColorMode;
  /** --pod-colors: SGR parameters per colour; undefined: the built-in palette */
  readonly podColors: readonly string[] | undefined;
  /** --container-colors (default: the pod colours) */
  readonly containerColors: readonly string[] | undefined;
  /** --palette: the built-in colours when --pod-colors is not given */
  readonly palette: PaletteName;
  /** -d: the container's colour by its name */
  readonly diffContainer: boolean;
  /** --ordered: how long a line may be held, in ms; undefined: off */
  readonly orderedWindowMs: number | undefined;
  /** --output-dir: each container's lines to a file under it too */
  readonly outputDir: string | undefined;
  /** several namespaces are followed: each source shows its namespace */
  readonly showNamespace: boolean;
  /** only warnings on stderr, no `+`/`-`/`~`/`!` notices: --only-log-lines, or --no-follow */
  readonly warningsOnly: boolean;
}
