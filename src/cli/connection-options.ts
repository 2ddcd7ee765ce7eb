/**
 * kubectl's connection flags, checked: --request-timeout in kubectl's syntax, the files
 * readable, the server a URL. What they do to the kubeconfig is src/kube/overrides.ts's.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { UsageError } from '../common/errors.js';
import type { ConnectionOverrides } from '../kube/overrides.js';

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;

/**
 * kubectl's --request-timeout: a whole number of seconds, or a Go duration (1s, 2m, 1h30m);
 * 0 is no limit.
 */
export function parseRequestTimeout(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  let ms = 0;
  let pos = 0;
  while (pos < t.length) {
    PART.lastIndex = pos;
    const m = PART.exec(t);
    if (!m) break;
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  if (pos === 0 || pos !== t.length) {
    throw new UsageError(
      `invalid value "${text}" for --request-timeout: expected whole seconds, or a number and a unit, like 30s, 2m or 1h (0: no limit)`,
    );
  }
  return Math.ceil(ms);
}

/** A file the flag names must be there and readable now, not at the first TLS connection. */
function readableFile(path: string | undefined, flag: string): string | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    accessSync(path, constants.R_OK);
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : String(code);
    throw new UsageError(`cannot read ${flag} "${path}": ${why}`);
  }
  return path;
}

/** kubectl's connection flags as commander hands them over. */
export interface RawConnectionOptions {
  server?: string;
  token?: string;
  user?: string;
  cluster?: string;
  as?: string;
  asGroup?: string[];
  asUid?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
  requestTimeout?: string;
  disableCompression?: boolean;
}

/** An empty value is no value, as in kubectl (`--token ""` sends none). */
const given = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export function resolveConnectionOptions(raw: RawConnectionOptions): ConnectionOverrides {
  const server = given(raw.server);
  if (server !== undefined) {
    try {
      new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`);
    } catch {
      throw new UsageError(`invalid value "${server}" for --server: expected an address like https://203.0.113.7:6443`);
    }
  }
  // kubectl's --as-group is a list of whole values: a comma does not split it
  const asGroups = (raw.asGroup ?? []).filter((g) => g !== '');
  return {
    server,
    token: given(raw.token),
    user: given(raw.user),
    cluster: given(raw.cluster),
    as: given(raw.as),
    ...(asGroups.length > 0 ? { asGroups } : {}),
    asUid: given(raw.asUid),
    certificateAuthority: readableFile(raw.certificateAuthority, '--certificate-authority'),
    clientCertificate: readableFile(raw.clientCertificate, '--client-certificate'),
    clientKey: readableFile(raw.clientKey, '--client-key'),
    tlsServerName: given(raw.tlsServerName),
    insecureSkipTlsVerify: raw.insecureSkipTlsVerify ?? false,
    requestTimeoutMs: raw.requestTimeout === undefined ? undefined : parseRequestTimeout(raw.requestTimeout),
    disableCompression: raw.disableCompression ?? false,
  };
}
