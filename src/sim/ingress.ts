// Ingresses (networking.k8s.io/v1) as the API server stores them: rules and a default backend
// that name services, which is all `ktail ingress/NAME` reads of them.
import { formatRFC3339, nowNs } from './clock.js';
import { newUid } from './ids.js';
import type { SimState } from './state.js';
import type { IngressInput, WorkloadResult } from './types.js';

const backend = (service: string) => ({ service: { name: service, port: { number: 80 } } });

export function createIngress(state: SimState, input: IngressInput): WorkloadResult {
  const namespace = input.namespace ?? 'default';
  state.createNamespace(namespace);
  const spec: Record<string, unknown> = { ingressClassName: 'nginx' };
  if (input.defaultBackend !== undefined) spec.defaultBackend = backend(input.defaultBackend);
  if (input.rules !== undefined) {
    spec.rules = input.rules.map((r) => ({
      ...(r.host === undefined ? {} : { host: r.host }),
      http: { paths: r.paths.map((p) => ({ path: p.path, pathType: 'Prefix', backend: backend(p.service) })) },
    }));
  }
  const ing = state.store.put('ingresses', {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    metadata: { name: input.name, namespace, uid: newUid(), creationTimestamp: formatRFC3339(nowNs()) },
    spec,
    status: { loadBalancer: {} },
  });
  return { namespace, name: input.name, uid: ing.metadata.uid, pods: [] };
}
