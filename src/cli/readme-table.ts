/**
 * The README's flag table, generated from cli.ts's FLAGS (`npm run docs:flags` writes it;
 * test/readme.test.ts fails when the README and the table drift apart).
 */
import { FLAGS } from './program.js';

export const FLAGS_START = '<!-- flags:start -->';
export const FLAGS_END = '<!-- flags:end -->';

const GROUPS = ['Selection', 'Time window', 'Output', 'Operation'] as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `-c, --container <regex>` → `-c, --container REGEX`; `--ordered [window]` → `--ordered[=WINDOW]` */
function flagText(flags: string): string {
  return flags.replace(/ <([^>]+)>/g, (_, v: string) => ` ${v.toUpperCase()}`).replace(/ \[([^\]]+)\]/g, (_, v: string) => `[=${v.toUpperCase()}]`);
}

export function flagTable(): string {
  const parts: string[] = [];
  for (const group of GROUPS) {
    const rows: string[] = FLAGS.filter((f) => f.group === group).map((f) => {
      const def = 'defaultText' in f && f.defaultText !== undefined ? cell(f.defaultText) : '–';
      return `| \`${cell(flagText(f.flags))}\` | ${def} | ${cell(f.help)} |`;
    });
    if (group === 'Operation') {
      rows.push('| `-v, --version` | – | print the version |', '| `-h, --help` | – | the flags and examples |');
    }
    parts.push(`**${group}**\n\n| flag | default | meaning |\n|---|---|---|\n${rows.join('\n')}\n`);
  }
  return parts.join('\n');
}

/** `text` with the part between the markers replaced by the table; throws when a marker is missing. */
export function withFlagTable(text: string): string {
  const start = text.indexOf(FLAGS_START);
  const end = text.indexOf(FLAGS_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`the markers ${FLAGS_START} and ${FLAGS_END} are missing`);
  return `${text.slice(0, start + FLAGS_START.length)}\n${flagTable()}${text.slice(end)}`;
}
