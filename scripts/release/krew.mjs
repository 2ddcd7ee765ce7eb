// The krew plugin manifest (krew.sigs.k8s.io/docs/developer-guide/plugin-manifest): one platform
// per archive, selected by krew's os/arch labels, each with the archive's URL and SHA-256. krew
// unpacks the archive, keeps `files`, and links `kubectl-ktail` to `bin`.
import { dump } from 'js-yaml';

const DESCRIPTION = `Tails the logs of many pods and containers at once, as stern does: pods are
selected by a regular expression on their names, a label selector or a workload,
new pods are followed as they start, and every line is prefixed with its pod and
container. No line is lost or repeated across reconnects and restarts.
The plugin is one executable with its own Node.js embedded: nothing else to install.
Try it without a cluster: kubectl ktail --demo
`;

/**
 * archives: [{ target, file (its name), sha256, bin }]; urlBase: where the release's files will be
 * downloaded from (a URL ending before the file name). Returns the manifest's YAML.
 */
export function krewManifest({ version, homepage, urlBase, archives }) {
  const manifest = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'ktail' },
    spec: {
      version: `v${version}`,
      homepage,
      shortDescription: 'Tail many pods and containers at once',
      description: DESCRIPTION,
      platforms: archives.map(({ target, file, sha256, bin }) => ({
        selector: { matchLabels: { os: target.os, arch: target.arch } },
        uri: `${urlBase}/${file}`,
        sha256,
        files: [
          { from: bin, to: '.' },
          { from: 'LICENSE', to: '.' },
        ],
        bin,
      })),
    },
  };
  return dump(manifest, { lineWidth: -1, noRefs: true });
}
