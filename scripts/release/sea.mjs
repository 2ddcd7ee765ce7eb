// The single executable: the bundle injected into a target's Node binary by `node --build-sea`
// (Node 25.5+), run by the pinned Node of this host, since the blob must come from the same Node
// version as the binary it goes into. It writes ELF, Mach-O and PE alike, from any host.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * Builds `output` from `bundleFile` and the target's `baseNode`. V8's code cache (compiled
 * bytecode, so start-up skips parsing and compiling the bundle) is made by the building Node and
 * is valid only for its own platform: on for the host's target, off for the others.
 */
export function buildSea({ builderNode, baseNode, bundleFile, output, configFile, codeCache }) {
  const config = {
    main: bundleFile,
    mainFormat: 'commonjs',
    executable: baseNode,
    output,
    disableExperimentalSEAWarning: true,
    useCodeCache: codeCache,
    useSnapshot: false,
    // NODE_OPTIONS is for the user's own Node programs, not for ktail's embedded one
    execArgvExtension: 'none',
  };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  execFileSync(builderNode, ['--build-sea', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
}
