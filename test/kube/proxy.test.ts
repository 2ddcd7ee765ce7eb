import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common/errors.js';
import { chooseProxy, describeProxy, noProxyMatches, parseProxyUrl } from '../../src/kube/proxy.js';

const server = new URL('https://kube.example.com:6443');

describe('chooseProxy, as client-go', () => {
  it.each<[string, string | undefined, NodeJS.ProcessEnv, URL, string | undefined]>([
    [
      "the kubeconfig's proxy-url wins over the environment",
      'socks5://10.0.0.1:1080',
      { HTTPS_PROXY: 'http://p:3128' },
      server,
      "socks5://10.0.0.1:1080 (from the kubeconfig's proxy-url)",
    ],
    ['HTTPS_PROXY for an https server', undefined, { HTTPS_PROXY: 'http://p:3128' }, server, 'http://p:3128 (from HTTPS_PROXY)'],
    ['https_proxy in lower case', undefined, { https_proxy: 'http://p:3128' }, server, 'http://p:3128 (from https_proxy)'],
    [
      'upper case wins',
      undefined,
      { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' },
      server,
      'http://upper:1 (from HTTPS_PROXY)',
    ],
    ['HTTP_PROXY is not for an https server', undefined, { HTTP_PROXY: 'http://p:3128' }, server, undefined],
    [
      'HTTP_PROXY for an http server',
      undefined,
      { HTTP_PROXY: 'http://p:3128' },
      new URL('http://kube.example.com:8080'),
      'http://p:3128 (from HTTP_PROXY)',
    ],
    ['a proxy without a scheme is http', undefined, { HTTPS_PROXY: 'p:3128' }, server, 'http://p:3128 (from HTTPS_PROXY)'],
    ['NO_PROXY matching the server', undefined, { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, server, undefined],
    ['no_proxy in lower case', undefined, { HTTPS_PROXY: 'http://p:3128', no_proxy: '.example.com' }, server, undefined],
    ['a loopback server is reached directly', undefined, { HTTPS_PROXY: 'http://p:3128' }, new URL('https://127.0.0.1:6443'), undefined],
    ['localhost is reached directly', undefined, { HTTPS_PROXY: 'http://p:3128' }, new URL('https://localhost:6443'), undefined],
    ['nothing set: direct', undefined, {}, server, undefined],
    [
      'credentials are hidden in what --verbose says',
      undefined,
      { HTTPS_PROXY: 'http://me:s3cret@p:3128' },
      server,
      'http://me:***@p:3128 (from HTTPS_PROXY)',
    ],
  ])('%s', (_name, proxyUrl, env, url, expected) => {
    const p = chooseProxy(url, proxyUrl, env);
    expect(p === undefined ? undefined : describeProxy(p)).toBe(expected);
  });

  it('keeps the credentials for the tunnel', () => {
    expect(parseProxyUrl('http://me%40corp:p%3Ass@proxy:8080', 'HTTPS_PROXY').auth).toEqual({ user: 'me@corp', password: 'p:ss' });
  });

  it.each([
    ['ftp://proxy:21', 'unsupported proxy scheme "ftp" in HTTPS_PROXY: use http, https or socks5'],
    ['http://me:secret@[bad', 'invalid proxy URL "http://me:***@[bad" in HTTPS_PROXY'],
  ])('%s: a usage error that shows no password', (text, message) => {
    expect(() => parseProxyUrl(text, 'HTTPS_PROXY')).toThrow(new UsageError(message));
  });
});

describe('noProxyMatches, as Go reads NO_PROXY', () => {
  it.each<[string, string, number, boolean]>([
    ['*', 'anything.example', 443, true],
    ['example.com', 'example.com', 443, true],
    ['example.com', 'api.example.com', 443, true],
    ['example.com', 'notexample.com', 443, false],
    ['.example.com', 'api.example.com', 443, true],
    ['.example.com', 'example.com', 443, false],
    ['*.example.com', 'api.example.com', 443, true],
    ['example.com:6443', 'example.com', 6443, true],
    ['example.com:6443', 'example.com', 443, false],
    ['10.0.0.0/8', '10.1.2.3', 443, true],
    ['10.0.0.0/8', '11.1.2.3', 443, false],
    ['192.168.1.7', '192.168.1.7', 443, true],
    ['fd00::/8', 'fd12::1', 443, true],
    ['fd00::/8', 'fe80::1', 443, false],
    [' other.org , Example.COM ', 'api.example.com', 443, true],
    ['', 'example.com', 443, false],
  ])('NO_PROXY=%j, host %s:%d → %s', (noProxy, host, port, expected) => {
    expect(noProxyMatches(host, port, noProxy)).toBe(expected);
  });
});
