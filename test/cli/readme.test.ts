import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/cli/program.js';
import { FLAGS_END, FLAGS_START, flagTable, withFlagTable } from '../../src/cli/readme-table.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('its flag table is the one generated from FLAGS (npm run docs:flags writes it)', () => {
    expect(README).toContain(FLAGS_START);
    expect(README).toContain(FLAGS_END);
    expect(withFlagTable(README), 'README.md\'s flag table is out of date: run "npm run docs:flags"').toBe(README);
  });

  it('the table has every flag, grouped as --help groups them', () => {
    const table = flagTable();
    for (const group of ['Selection', 'Time window', 'Output', 'Operation']) expect(table).toContain(`**${group}**`);
    for (const flag of [
      '`-n, --namespace NS`',
      '`-t, --timestamps[=STYLE]`',
      '`--config PATH`',
      '`--completion SHELL`',
      '`-v, --version`',
    ]) {
      expect(table).toContain(flag);
    }
  });

  it('gives the two commands: npm install && npm run demo, npm test', () => {
    expect(README).toContain('npm install && npm run demo');
    expect(README).toContain('npm test');
  });

  it('its examples are among those of --help', () => {
    const block = /## Examples\n\n```\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    const examples = block.split('\n').filter(Boolean);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const line of examples) expect(EXAMPLES, line).toContain(line.replace(/\s+#.*$/, ''));
  });
});
