// One CommonJS file with all of ktail: the sources (TypeScript, straight from src/), every
// dependency, the simulated cluster for --demo. A single-executable application runs one script
// and can require() only Node's built-in modules, so nothing may stay outside the bundle.
import { build } from 'esbuild';
import { join } from 'node:path';

/** What bin/ktail.js does, for the binary: argv after the executable (SEA repeats it as argv[1]). */
const ENTRY = `import { main } from './src/main.ts';
main(process.argv.slice(2)).then((code) => process.exit(code));
`;

/** Bundles ktail into `outfile`; returns esbuild's metafile (what went in, and its size). */
export async function bundle(root, outfile, { version, nodeMajor }) {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'single-binary-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${nodeMajor}`,
    outfile,
    // src/common/version.ts: the binary has no package.json to read its version from
    define: { KTAIL_BUNDLED_VERSION: JSON.stringify(version) },
    // whitespace and syntax only: identifiers stay, so --verbose's stack frames stay readable
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // version.ts's package.json branch, never taken in the bundle (its `define` is set)
    logOverride: { 'empty-import-meta': 'silent' },
    absWorkingDir: root,
    tsconfig: join(root, 'tsconfig.build.json'),
  });
  return result.metafile;
}
