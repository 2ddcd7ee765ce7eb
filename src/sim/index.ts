// The simulated Kubernetes cluster: a loopback API server (HTTPS, HTTP/2 and HTTP/1.1) with
// a typed control API. See docs/architecture.md, "The simulated cluster".
export { SimCluster } from './cluster.js';
export type { LogTimestamp, SimOptions } from './cluster.js';
export type { ContextSpec, ExecConfig, KubeconfigOptions } from './kubeconfig.js';
export type { GenerateHandle, GenerateOptions } from './logbuffer.js';
export type { TerminateInfo } from './pods.js';
export type { KubeObject, ObjectMeta, OwnerReference, PodObject } from './resources.js';
export type { Counters } from './state.js';
export type * from './types.js';
export { caCert, otherCaCert } from './certs.js';
export { formatRFC3339Nano, parseRFC3339 } from './clock.js';
export { startDemo } from './demo.js';
export type { DemoHandle, DemoOptions } from './demo.js';
export { startTarpit, TcpProxy } from './tcp-proxy.js';
