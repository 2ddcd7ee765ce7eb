#!/usr/bin/env node
// npm run docs:flags: writes the flag table generated from src/cli/flag-table.ts into README.md,
// between <!-- flags:start --> and <!-- flags:end -->. Runs on the build (dist/).
import { readFileSync, writeFileSync } from 'node:fs';
import { withFlagTable } from '../dist/cli/readme-table.js';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withFlagTable(before);
if (after === before) {
  console.log('README.md: the flag table is up to date');
} else {
  writeFileSync(readme, after);
  console.log('README.md: flag table written');
}
