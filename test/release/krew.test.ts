/** The krew rules of test/helpers/krew.ts catch what krew would refuse: each check can fail. */
import { describe, expect, it } from 'vitest';
import { krewProblems, type KrewManifest, type KrewPlatform } from '../helpers/krew.js';

const platform = (over: Partial<KrewPlatform> = {}): KrewPlatform => ({
  selector: { matchLabels: { os: 'linux', arch: 'amd64' } },
  uri: 'https://example.com/r/v1.2.3/ktail-v1.2.3-linux-x64.tar.gz',
  sha256: 'a'.repeat(64),
  files: [{ from: 'ktail', to: '.' }],
  bin: 'ktail',
  ...over,
});
const manifest = (over: Partial<KrewManifest> = {}, platforms = [platform()]): KrewManifest => ({
  apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
  kind: 'Plugin',
  metadata: { name: 'ktail' },
  spec: { version: 'v1.2.3', shortDescription: 'Tail many pods', platforms },
  ...over,
});

describe('krew manifest rules', () => {
  it('a good manifest has no problems', () => {
    expect(krewProblems(manifest(), 'ktail.yaml')).toEqual([]);
  });

  it.each<[string, KrewManifest, RegExp]>([
    ['another apiVersion', manifest({ apiVersion: 'krew.googlecontainertools.github.com/v1alpha1' }), /^apiVersion/],
    ['a name unlike the file', manifest({ metadata: { name: 'tail' } }), /^named tail in ktail\.yaml/],
    ['a version without v', manifest({ spec: { ...manifest().spec, version: '1.2.3' } }), /not v-prefixed semver/],
    ['no short description', manifest({ spec: { ...manifest().spec, shortDescription: '' } }), /no shortDescription/],
    ['no platforms', manifest({}, []), /no platforms/],
    ['an upper-case sha256', manifest({}, [platform({ sha256: 'A'.repeat(64) })]), /sha256 .* is not 64 lowercase hex/],
    ['a short sha256', manifest({}, [platform({ sha256: 'a'.repeat(63) })]), /sha256/],
    ['os "macos"', manifest({}, [platform({ selector: { matchLabels: { os: 'macos', arch: 'amd64' } } })]), /os macos/],
    ['arch "x64"', manifest({}, [platform({ selector: { matchLabels: { os: 'linux', arch: 'x64' } } })]), /arch x64/],
    [
      'a selector key krew ignores',
      manifest({}, [platform({ selector: { matchLabels: { os: 'linux', arch: 'amd64', libc: 'musl' } } })]),
      /key libc/,
    ],
    ['no bin', manifest({}, [platform({ bin: '' })]), /no bin/],
    ['no files', manifest({}, [platform({ files: [] })]), /no files/],
    ['a raw binary as uri', manifest({}, [platform({ uri: 'https://example.com/ktail-linux-x64' })]), /not a .tar.gz or .zip/],
    ['Windows without .exe', manifest({}, [platform({ selector: { matchLabels: { os: 'windows', arch: 'amd64' } } })]), /Windows bin/],
    ['one platform twice', manifest({}, [platform(), platform()]), /linux\/amd64 twice/],
  ])('%s is a problem', (_what, m, problem) => {
    const problems = krewProblems(m, 'ktail.yaml');
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });
});
