/**
 * A krew plugin manifest checked against krew's documented rules (the plugin-manifest page of
 * krew.sigs.k8s.io, and the checks `krew install --manifest` applies before installing): the API
 * version and kind, a safe name equal to the file's, a short description, a `v`-prefixed semantic
 * version, and for every platform a uri, a sha256 of 64 lowercase hex digits, a bin, file
 * operations, and a selector on the `os` and `arch` labels only, with values krew matches
 * (Go's GOOS and GOARCH). Returns what is wrong, one line each: empty when the manifest is good.
 */
import { load } from 'js-yaml';

/** Go's names: krew matches these labels against runtime.GOOS and runtime.GOARCH. */
const OS = new Set(['linux', 'darwin', 'windows', 'freebsd']);
const ARCH = new Set(['amd64', 'arm64', '386', 'arm', 'ppc64le', 's390x']);
/** semver.org's grammar, with krew's required `v` */
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export interface KrewPlatform {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string }[] };
  uri?: string;
  sha256?: string;
  bin?: string;
  files?: { from?: string; to?: string }[];
}

export interface KrewManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { version?: string; homepage?: string; shortDescription?: string; description?: string; platforms?: KrewPlatform[] };
}

export const parseManifest = (yaml: string): KrewManifest => load(yaml) as KrewManifest;

export function krewProblems(m: KrewManifest, fileName: string): string[] {
  const problems: string[] = [];
  const name = fileName.replace(/\.yaml$/, '');
  if (m.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') problems.push(`apiVersion ${String(m.apiVersion)}`);
  if (m.kind !== 'Plugin') problems.push(`kind ${String(m.kind)}`);
  if (!/^[\w-]+$/.test(m.metadata?.name ?? '')) problems.push(`unsafe plugin name ${String(m.metadata?.name)}`);
  if (m.metadata?.name !== name) problems.push(`named ${String(m.metadata?.name)} in ${fileName}`);
  if (!m.spec?.shortDescription) problems.push('no shortDescription');
  if (!SEMVER.test(m.spec?.version ?? '')) problems.push(`version ${String(m.spec?.version)} is not v-prefixed semver`);
  const platforms = m.spec?.platforms ?? [];
  if (platforms.length === 0) problems.push('no platforms');
  const seen = new Set<string>();
  platforms.forEach((p, i) => {
    const at = `platforms[${i}]`;
    if (!p.uri) problems.push(`${at}: no uri`);
    else if (!/\.(tar\.gz|tgz|zip)$/.test(new URL(p.uri).pathname)) problems.push(`${at}: uri is not a .tar.gz or .zip archive`);
    if (!/^[a-f0-9]{64}$/.test(p.sha256 ?? '')) problems.push(`${at}: sha256 ${String(p.sha256)} is not 64 lowercase hex digits`);
    if (!p.bin) problems.push(`${at}: no bin`);
    if (!p.files || p.files.length === 0) problems.push(`${at}: no files`);
    for (const f of p.files ?? []) if (!f.from || !f.to) problems.push(`${at}: a file operation without from and to`);
    const labels = p.selector?.matchLabels;
    if (!labels || Object.keys(labels).length === 0) {
      problems.push(`${at}: no selector labels`);
      return;
    }
    for (const key of Object.keys(labels)) if (key !== 'os' && key !== 'arch') problems.push(`${at}: selector key ${key}`);
    if (!OS.has(labels.os ?? '')) problems.push(`${at}: os ${String(labels.os)}`);
    if (!ARCH.has(labels.arch ?? '')) problems.push(`${at}: arch ${String(labels.arch)}`);
    const key = `${labels.os}/${labels.arch}`;
    if (seen.has(key)) problems.push(`${at}: ${key} twice`);
    seen.add(key);
    if (labels.os === 'windows' && !p.bin?.endsWith('.exe')) problems.push(`${at}: a Windows bin without .exe`);
  });
  return problems;
}

/** The names in a zip file, from its central directory (no zip64: the archives here are smaller). */
export function zipNames(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}
