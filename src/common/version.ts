/**
 * What `ktail --version` prints: ktail's version, then the Node.js it runs on and the platform,
 * e.g. `ktail 0.1.0 (node 26.10.0, linux-x64)`. In the single-file binary that Node is the one
 * embedded in it, so the line says what a bug report needs.
 */
import { readFileSync } from 'node:fs';

/**
 * Set by the single-file build (scripts/release/bundle.mjs, esbuild's `define`): the binary has no
 * package.json beside it. Undefined in the npm install, which reads its package.json.
 */
declare const KTAIL_BUNDLED_VERSION: string | undefined;

/** The release platform names: `windows` rather than Node's `win32`, as the binaries are named. */
const platformName = (platform: NodeJS.Platform, arch: string): string => `${platform === 'win32' ? 'windows' : platform}-${arch}`;

export function versionText(): string {
  const version =
    typeof KTAIL_BUNDLED_VERSION === 'string'
      ? KTAIL_BUNDLED_VERSION
      : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return `ktail ${version} (node ${process.versions.node}, ${platformName(process.platform, process.arch)})`;
}
