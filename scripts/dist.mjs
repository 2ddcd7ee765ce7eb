#!/usr/bin/env node
// `npm run dist`: ktail as one executable file per platform, needing no Node.js installed, with
// its SHA-256; an archive of each for krew (.tar.gz, .zip on Windows) with its SHA-256; and the
// krew plugin manifest made from those archives. Everything goes to dist-release/ (git-ignored).
//
//   node scripts/dist.mjs                 # all five targets
//   node scripts/dist.mjs --host          # only this machine's
//   node scripts/dist.mjs --target linux-arm64 --target …   # these (the tests build the host's, and arm64)
//   node scripts/dist.mjs --out DIR       # somewhere else than dist-release/
//
// The release download URL the manifest points at: $KTAIL_RELEASE_URL if set, else the GitHub
// releases of package.json's "repository", else a placeholder (github.com/OWNER/ktail) with a
// warning: the manifest is only good for `kubectl krew install --manifest … --archive …` then.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './release/bundle.mjs';
import { checkHeader } from './release/headers.mjs';
import { krewManifest } from './release/krew.mjs';
import { nodeBinary } from './release/node-binaries.mjs';
import { buildSea } from './release/sea.mjs';
import { tarGz } from './release/tar.mjs';
import { executableName, hostTarget, NODE_VERSION, TARGETS } from './release/targets.mjs';
import { zip } from './release/zip.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'dist-release'));
const log = (m) => console.error(`dist: ${m}`);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const host = hostTarget();
if (!host) {
  log(`this machine (${process.platform}-${process.arch}) is none of the targets: the pinned Node cannot run here to build`);
  process.exit(1);
}
const named = args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : []));
for (const name of named) {
  if (!TARGETS.some((t) => t.name === name)) {
    log(`unknown target ${name}: one of ${TARGETS.map((t) => t.name).join(', ')}`);
    process.exit(2);
  }
}
const targets = args.includes('--host') ? [host] : named.length > 0 ? TARGETS.filter((t) => named.includes(t.name)) : TARGETS;

function releaseUrlBase() {
  if (process.env.KTAIL_RELEASE_URL) return { urlBase: process.env.KTAIL_RELEASE_URL.replace(/\/$/, ''), homepage: pkg.homepage };
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const github = repo && /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo)?.[1];
  if (github)
    return { urlBase: `https://github.com/${github}/releases/download/v${pkg.version}`, homepage: `https://github.com/${github}` };
  log('no KTAIL_RELEASE_URL and no GitHub "repository" in package.json: the krew manifest points at github.com/OWNER/ktail');
  return { urlBase: `https://github.com/OWNER/ktail/releases/download/v${pkg.version}`, homepage: 'https://github.com/OWNER/ktail' };
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
/** `<file>.sha256`, in sha256sum's format, so `sha256sum -c ktail-linux-x64.sha256` checks it. */
function writeWithSha(file, data, mode = 0o644) {
  writeFileSync(file, data);
  chmodSync(file, mode);
  const hash = sha256(data);
  writeFileSync(`${file}.sha256`, `${hash}  ${basename(file)}\n`);
  return hash;
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'plugins'), { recursive: true });
const work = join(root, '.tmp', 'dist-build');
mkdirSync(work, { recursive: true });

const builderNode = nodeBinary(root, host, log);
const bundleFile = join(work, 'ktail.cjs');
const meta = await bundle(root, bundleFile, { version: pkg.version, nodeMajor: NODE_VERSION.split('.')[0] });
log(`bundle: ${(statSync(bundleFile).size / 1e6).toFixed(1)} MB from ${Object.keys(meta.inputs).length} files`);

const license = readFileSync(join(root, 'LICENSE'));
const archives = [];
const rows = [];
for (const target of targets) {
  const exe = join(work, `ktail-${target.name}`);
  buildSea({
    builderNode,
    baseNode: nodeBinary(root, target, log),
    bundleFile,
    output: exe,
    configFile: join(work, `sea-${target.name}.json`),
    codeCache: target === host,
  });
  const kind = checkHeader(exe, target);
  const data = readFileSync(exe);
  const released = `ktail-${target.name}${target.os === 'windows' ? '.exe' : ''}`;
  const exeSha = writeWithSha(join(out, released), data, 0o755);
  rmSync(exe);

  const bin = executableName(target);
  const entries = [
    { name: bin, data, mode: 0o755 },
    { name: 'LICENSE', data: license, mode: 0o644 },
  ];
  const archive = `ktail-v${pkg.version}-${target.name}${target.os === 'windows' ? '.zip' : '.tar.gz'}`;
  const archiveSha = writeWithSha(join(out, archive), target.os === 'windows' ? zip(entries) : tarGz(entries));
  archives.push({ target, file: archive, sha256: archiveSha, bin });
  rows.push(
    `${released.padEnd(24)} ${(data.length / 1e6).toFixed(1).padStart(6)} MB  ${exeSha.slice(0, 12)}…  ${kind}${target === host ? ' (code cache)' : ''}`,
  );
  log(`${target.name}: built, ${kind}`);
}

writeFileSync(join(out, 'plugins', 'ktail.yaml'), krewManifest({ version: pkg.version, ...releaseUrlBase(), archives }));
console.log(`ktail ${pkg.version} with Node ${NODE_VERSION}, in ${out} (${Math.round((Date.now() - started) / 1000)} s):`);
for (const row of rows) console.log(`  ${row}`);
console.log(`  plugins/ktail.yaml: krew manifest for ${archives.map((a) => a.target.name).join(', ')}`);
