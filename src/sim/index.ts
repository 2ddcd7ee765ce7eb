// The simulated Kubernetes cluster: a loopback API server (HTTPS, HTTP/2 and HTTP/1.1) with
// a typed control API. See docs/architecture.md, "The simulated cluster".
export { SimCluster } from './cluster.js';
export type * from './types.js';
export { caCert, clientCert, clientKey, expiredClientCert, otherCaCert, untrustedClientCert, untrustedClientKey } from './certs.js';
export { startDemo } from './demo.js';
export { startTarpit, TcpProxy } from './tcp-proxy.js';
export { startHttpProxy, startSocksProxy } from './proxies.js';
export type { TestProxy } from './proxies.js';
