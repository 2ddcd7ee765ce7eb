// Discovery documents (the legacy, non-aggregated form; kubectl falls back to it).
import { RESOURCES, type ResourceDef } from './resources.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** The API groups besides the core group; a cluster may leave events.k8s.io out (SimOptions.eventsApi). */
export const GROUPS: readonly string[] = ['apps', 'batch', 'events.k8s.io', 'networking.k8s.io'];

function resourceEntries(defs: ResourceDef[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const d of defs) {
    const e: Record<string, unknown> = { name: d.name, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs };
    if (d.shortNames) e.shortNames = d.shortNames;
    if (d.categories) e.categories = d.categories;
    out.push(e);
    if (d.name === 'pods') {
      out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    }
  }
  return out;
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string): Record<string, unknown> {
  const gv = { groupVersion: `${name}/v1`, version: 'v1' };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(groups: readonly string[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupEntry) };
}

export function apiGroup(group: string, groups: readonly string[]): object | undefined {
  if (!groups.includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) };
}

/** The APIResourceList of `v1` (group '') or `apps/v1`, `batch/v1`. */
export function resourceList(group: string, version: string, groups: readonly string[]): object | undefined {
  if (version !== 'v1') return undefined;
  if (group !== '' && !groups.includes(group)) return undefined;
  const defs = RESOURCES.filter((r) => r.group === group);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resourceEntries(defs),
  };
}
