#!/usr/bin/env node
// Runs the test suite (vitest: unit, simulated-cluster, end-to-end) under other Node versions.
// The binaries come from the npm registry's `node` package, installed into .tmp/node-<major>;
// vitest runs under that binary, and so does every ktail the tests spawn (process.execPath),
// and `node` on PATH for the install test. dist/ must be built already (npm test builds it).
//
//   node scripts/test-node-versions.mjs             # Node 22, 24 and 26
//   node scripts/test-node-versions.mjs 22          # one version
//   node scripts/test-node-versions.mjs --if-ci     # only when CI is set (the end of `npm test`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const ifCi = args.includes('--if-ci');
const versions = args.filter((a) => /^\d+$/.test(a));
if (versions.length === 0) versions.push('22', '24', '26');

const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
if (ifCi && !ci) {
  console.log(`Other Node versions (${versions.join(', ')}): not run, CI is not set. Run them with: npm run test:versions`);
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The path of a node binary of this major version, installed from the registry if need be. */
function nodeBinary(major) {
  const prefix = join(root, '.tmp', `node-${major}`);
  const bin = join(prefix, 'node_modules', 'node', 'bin', 'node');
  const have = existsSync(bin) ? spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
  if (have.startsWith(`v${major}.`)) return bin;
  mkdirSync(prefix, { recursive: true });
  for (let attempt = 1; attempt <= 2; attempt++) {
    console.log(`Installing node@${major} from the npm registry into ${prefix}${attempt > 1 ? ' (again)' : ''}`);
    const r = spawnSync(
      npm,
      ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node@${major}`],
      {
        stdio: 'inherit',
      },
    );
    if (r.status === 0 && existsSync(bin)) return bin;
  }
  throw new Error(
    `could not install node@${major} from the npm registry (its preinstall script downloads the binary; is the registry reachable, are install scripts allowed?)`,
  );
}

const results = [];
for (const major of versions) {
  const started = Date.now();
  let status;
  let version = `node@${major}`;
  try {
    const bin = nodeBinary(major);
    version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\n=== The suite under Node ${version} (${bin}) ===`);
    // the single-file binary embeds its own Node: built and run once, in the main run
    // and the install test's engines check learns which Node the main run used
    const env = {
      ...process.env,
      PATH: `${dirname(bin)}:${process.env.PATH ?? ''}`,
      KTAIL_SKIP_SINGLE_BINARY: '1',
      KTAIL_SUITE_MAIN_NODE: process.versions.node,
    };
    const r = spawnSync(bin, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: root, env, stdio: 'inherit' });
    status = r.status === 0 ? 'passed' : `FAILED (exit ${r.status ?? r.signal})`;
  } catch (err) {
    status = `FAILED (${err instanceof Error ? err.message : String(err)})`;
  }
  results.push({ version, status, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log('\nOther Node versions:');
for (const r of results) console.log(`  ${r.version}: ${r.status} in ${r.seconds} s`);
process.exit(results.every((r) => r.status === 'passed') ? 0 : 1);
