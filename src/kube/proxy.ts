/**
 * Which proxy a cluster is reached through, as client-go decides: the kubeconfig's `proxy-url`
 * (http, https or socks5) for every request of that cluster; else HTTPS_PROXY (HTTP_PROXY for
 * an http:// server), either case, unless NO_PROXY matches or the server is on loopback (Go's
 * net/http never proxies localhost or a loopback address).
 */
import { isIP } from 'node:net';
import { UsageError } from '../common/errors.js';

type ProxyKind = 'http' | 'https' | 'socks5';

export interface ProxyConfig {
  readonly kind: ProxyKind;
  readonly host: string;
  readonly port: number;
  /** from the URL's user info: Proxy-Authorization (http/https) or SOCKS5 user/password */
  readonly auth: { readonly user: string; readonly password: string } | undefined;
  /** where it was configured, for --verbose */
  readonly source: string;
}

const DEFAULT_PORTS: Record<ProxyKind, number> = { http: 80, https: 443, socks5: 1080 };

export function parseProxyUrl(text: string, source: string): ProxyConfig {
  let url: URL;
  try {
    // Go accepts "host:port" and means http://host:port
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new UsageError(`invalid proxy URL "${redactText(text)}" in ${source}`);
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const kind: ProxyKind | undefined =
    scheme === 'http' || scheme === 'https' ? scheme : scheme === 'socks5' || scheme === 'socks5h' ? 'socks5' : undefined;
  if (kind === undefined) throw new UsageError(`unsupported proxy scheme "${scheme}" in ${source}: use http, https or socks5`);
  return {
    kind,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || DEFAULT_PORTS[kind]),
    auth: url.username !== '' ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined,
    source,
  };
}

/** The proxy for requests to `server`, or undefined for a direct connection. */
export function chooseProxy(server: URL, kubeconfigProxyUrl: string | undefined, env: NodeJS.ProcessEnv): ProxyConfig | undefined {
  if (kubeconfigProxyUrl !== undefined && kubeconfigProxyUrl !== '') return parseProxyUrl(kubeconfigProxyUrl, "the kubeconfig's proxy-url");
  const https = server.protocol === 'https:';
  const [name, value] = https ? firstSet(env, 'HTTPS_PROXY', 'https_proxy') : firstSet(env, 'HTTP_PROXY', 'http_proxy');
  if (value === undefined) return undefined;
  const host = server.hostname.replace(/^\[|\]$/g, '');
  const port = Number(server.port || (https ? 443 : 80));
  if (isLoopback(host)) return undefined;
  const [, noProxy] = firstSet(env, 'NO_PROXY', 'no_proxy');
  if (noProxy !== undefined && noProxyMatches(host, port, noProxy)) return undefined;
  return parseProxyUrl(value, name);
}

function firstSet(env: NodeJS.ProcessEnv, upper: string, lower: string): [string, string | undefined] {
  if (env[upper] !== undefined && env[upper] !== '') return [upper, env[upper]];
  if (env[lower] !== undefined && env[lower] !== '') return [lower, env[lower]];
  return [upper, undefined];
}

function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}

/**
 * NO_PROXY as Go reads it: `*` matches everything; an IP or CIDR matches addresses; `a.com`
 * matches a.com and its subdomains; `.a.com` (or `*.a.com`) only the subdomains; `host:port`
 * only that port.
 */
export function noProxyMatches(host: string, port: number, noProxy: string): boolean {
  const h = host.toLowerCase();
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(h, entry)) return true;
      continue;
    }
    let entryPort: number | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && isIP(entry) !== 6) {
      entry = m[1]!;
      entryPort = Number(m[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (isIP(entry) !== 0) {
      if (isIP(h) !== 0 && sameIp(entry, h)) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (h.endsWith(entry)) return true;
    } else if (h === entry || h.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const net = ipBytes(base ?? '');
  const ip = ipBytes(host);
  if (net === undefined || ip === undefined || net.length !== ip.length || !Number.isInteger(bits)) return false;
  for (let i = 0; i < net.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((net[i]! & mask) !== (ip[i]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] | undefined {
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  if (isIP(ip) !== 6) return undefined;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const groups = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The proxy for --verbose: its address, with any password hidden. */
export function describeProxy(p: ProxyConfig): string {
  const auth = p.auth !== undefined ? `${p.auth.user}:***@` : '';
  const host = isIP(p.host) === 6 ? `[${p.host}]` : p.host;
  return `${p.kind}://${auth}${host}:${p.port} (from ${p.source})`;
}

function redactText(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
