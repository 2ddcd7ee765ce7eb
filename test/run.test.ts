import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClusterError, UsageError } from '../src/common/errors.js';
import type { ContextInfo } from '../src/kube/kubeconfig.js';
import { api } from '../src/kube/api.js';
import { ApiError, startError, TransportError } from '../src/kube/errors.js';
import { Transport } from '../src/kube/transport.js';

const FORBIDDEN = 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "payments"';

function ctx(server = 'https://127.0.0.1:6443'): ContextInfo {
  return {
    name: 'dev-ctx',
    server,
    namespace: 'default',
    user: 'kubeconfig-user',
    insecureSkipTlsVerify: false,
    resolveCredentials: () => Promise.resolve({ headers: {}, rejectUnauthorized: true }),
  };
}

describe('startError', () => {
  it.each<[string, unknown, string | undefined, string]>([
    [
      'connection refused',
      new TransportError('ECONNREFUSED', 'https://127.0.0.1:6443', 'connection refused'),
      'payments',
      'cannot reach https://127.0.0.1:6443 (connection refused) — check --context',
    ],
    [
      'host not found',
      new TransportError('ENOTFOUND', 'https://127.0.0.1:6443', 'host not found'),
      'payments',
      'cannot reach https://127.0.0.1:6443 (host not found) — check --context',
    ],
    [
      'TLS',
      new TransportError('SELF_SIGNED_CERT_IN_CHAIN', 'https://127.0.0.1:6443', 'TLS: certificate signed by unknown authority'),
      'payments',
      "cannot reach https://127.0.0.1:6443 (TLS: certificate signed by unknown authority) — check the kubeconfig's certificate-authority",
    ],
    [
      '401',
      new ApiError(401, 'Unauthorized', 'Unauthorized'),
      'payments',
      'unauthorized: https://127.0.0.1:6443 refused the credentials of context "dev-ctx" — log in again or check the kubeconfig\'s user',
    ],
    [
      "403 in a namespace, the user from the server's message",
      new ApiError(403, 'Forbidden', FORBIDDEN),
      'payments',
      'forbidden: cannot list pods in namespace "payments" as user "dev"',
    ],
    [
      '403 in all namespaces',
      new ApiError(
        403,
        'Forbidden',
        'pods is forbidden: User "system:serviceaccount:ci:bot" cannot list resource "pods" in API group "" at the cluster scope',
      ),
      undefined,
      'forbidden: cannot list pods in all namespaces as user "system:serviceaccount:ci:bot"',
    ],
    [
      "403 without a user in the message: the kubeconfig's user",
      new ApiError(403, 'Forbidden', 'forbidden'),
      'payments',
      'forbidden: cannot list pods in namespace "payments" as user "kubeconfig-user"',
    ],
    [
      'another API error keeps the server message',
      new ApiError(500, 'InternalError', 'etcdserver: request timed out'),
      'payments',
      'https://127.0.0.1:6443: etcdserver: request timed out',
    ],
    ['anything else', new Error('boom'), 'payments', 'https://127.0.0.1:6443: boom'],
  ])('%s', (_name, err, namespace, message) => {
    const e = startError(err, ctx(), namespace);
    expect(e).toBeInstanceOf(ClusterError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(message);
    expect(e.cause).toBe(err);
  });

  it('a KtailError is passed on as it is', () => {
    const usage = new UsageError('bad');
    expect(startError(usage, ctx(), 'x')).toBe(usage);
  });
});

describe('startError on real transport failures', () => {
  it('connection refused', async () => {
    // port 1 on loopback: nothing listens, the connection is refused at once
    const server = 'https://127.0.0.1:1';
    const transport = new Transport(ctx(server));
    const err = await transport.json(api.pods(undefined)).catch((e: unknown) => e);
    transport.close();
    expect(err).toBeInstanceOf(TransportError);
    expect(startError(err, ctx(server), 'default').message).toBe('cannot reach https://127.0.0.1:1 (connection refused) — check --context');
  });

  it('a self-signed server certificate', async () => {
    const fixtures = new URL('./fixtures/unit/', import.meta.url);
    const https = createHttpsServer(
      { key: readFileSync(new URL('self-signed.key', fixtures)), cert: readFileSync(new URL('self-signed.crt', fixtures)) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const server = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    try {
      const transport = new Transport(ctx(server));
      const err = await transport.json(api.pods(undefined)).catch((e: unknown) => e);
      transport.close();
      expect(err).toBeInstanceOf(TransportError);
      expect(startError(err, ctx(server), 'default').message).toBe(
        `cannot reach ${server} (TLS: certificate signed by unknown authority) — check the kubeconfig's certificate-authority`,
      );
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });
});
