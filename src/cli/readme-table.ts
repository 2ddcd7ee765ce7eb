/**
 * The README's flag table, generated from flag-table.ts (`npm run docs:flags` writes it;
 * test/cli/readme.test.ts fails when the README and the table drift apart).
 */
import { FLAG_GROUPS, FLAGS, flagName, type FlagSpec } from './flag-table.js';

export const FLAGS_START = '<!-- flags:start -->';
export const FLAGS_END = '<!-- flags:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `-c, --container REGEX`, `--ordered[=WINDOW]`, `--no-follow` */
function flagText(spec: FlagSpec): string {
  const { argument } = spec;
  const value =
    argument.kind === 'required'
      ? ` ${argument.name.toUpperCase()}`
      : argument.kind === 'optional'
        ? `[=${argument.name.toUpperCase()}]`
        : '';
  return `${spec.short === undefined ? '' : `-${spec.short}, `}--${flagName(spec)}${value}`;
}

export function flagTable(flags: readonly FlagSpec[] = FLAGS): string {
  const parts: string[] = [];
  for (const group of FLAG_GROUPS) {
    const rows: string[] = flags
      .filter((f) => f.group === group)
      .map((f) => {
        const def = f.defaultText !== undefined ? cell(f.defaultText) : '–';
        return `| \`${cell(flagText(f))}\` | ${def} | ${cell(f.help)} |`;
      });
    if (group === 'Operation') {
      rows.push('| `-v, --version` | – | print the version |', '| `-h, --help` | – | the flags and examples |');
    }
    parts.push(`**${group}**\n\n| flag | default | meaning |\n|---|---|---|\n${rows.join('\n')}\n`);
  }
  return parts.join('\n');
}

/** `text` with the part between the markers replaced by the table; throws when a marker is missing. */
export function withFlagTable(text: string, flags: readonly FlagSpec[] = FLAGS): string {
  const start = text.indexOf(FLAGS_START);
  const end = text.indexOf(FLAGS_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`the markers ${FLAGS_START} and ${FLAGS_END} are missing`);
  return `${text.slice(0, start + FLAGS_START.length)}\n${flagTable(flags)}${text.slice(end)}`;
}
