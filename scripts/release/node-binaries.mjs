// The Node.js binary a target embeds: its npm package packed from the registry (npm's own cache
// keeps the tarball) and its `node` extracted, once, into .tmp/dist-node/<version>/<target>/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_VERSION } from './targets.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * This process's environment without the npm_config_* that `npm run`/`npm test` set for their
 * scripts (prefix, local prefix…), which are not meant for a nested npm; the user's registry,
 * cache and npmrc stay.
 */
function npmEnv() {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_cafile', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || keep.has(k)));
}

/** The path of `target`'s node binary, downloaded if this machine does not have it yet. */
export function nodeBinary(root, target, log) {
  const dir = join(root, '.tmp', 'dist-node', NODE_VERSION, target.name);
  const exe = join(dir, target.exe);
  if (existsSync(exe)) return exe;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`fetching ${target.npm}@${NODE_VERSION} from the npm registry`);
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', work, `${target.npm}@${NODE_VERSION}`], { encoding: 'utf8', env: npmEnv() }),
  );
  // only the executable: the headers and docs in the package are not needed
  execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work, target.exe]);
  rmSync(join(work, packed.filename));
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return exe;
}
