/**
 * `ingress/NAME`: the pods behind an Ingress, as kail's --ing finds them: the services its rules
 * and default backend name, and the pods each service's selector picks. Resolved once, at start,
 * like every workload: a service added to the Ingress later is not followed.
 */
import { ClusterError } from '../common/errors.js';
import { api, type KubeObject } from '../kube/api.js';
import { isApiError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { KINDS, selectorText } from './query.js';

interface ServiceBackend {
  readonly service?: { readonly name?: string };
}

/** What an Ingress's spec says of its backends (networking.k8s.io/v1). */
interface IngressSpec {
  readonly defaultBackend?: ServiceBackend;
  readonly rules?: readonly { readonly http?: { readonly paths?: readonly { readonly backend?: ServiceBackend }[] } }[];
}

/** The service names an Ingress routes to, each once, in order; resource backends have none. Pure. */
export function ingressServices(obj: KubeObject): string[] {
  const spec = (obj.spec ?? {}) as IngressSpec;
  const names = [
    spec.defaultBackend?.service?.name,
    ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service?.name)),
  ];
  return [...new Set(names.filter((n): n is string => n !== undefined && n !== ''))];
}

const SERVICE = KINDS.find((k) => k.kind === 'service')!;

/**
 * The label selector of each backend service of the Ingress `name` in `namespace`. A service
 * that is missing or selects nothing is left out with a warning; none left is an error (exit 1).
 */
export async function ingressSelectors(
  transport: Transport,
  namespace: string,
  name: string,
  obj: KubeObject,
  warn: (message: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const services = ingressServices(obj);
  if (services.length === 0) {
    throw new ClusterError(`ingress "${name}" in namespace "${namespace}" names no backend service, so it has no pods to follow`);
  }
  const selectors: string[] = [];
  for (const service of services) {
    let svc: KubeObject;
    try {
      svc = await transport.json(api.get(SERVICE, namespace, service), { ...(signal ? { signal } : {}), idleTimeoutMs: 30_000 });
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
      warn(`ingress "${name}": its backend service "${service}" is not found in namespace "${namespace}"`);
      continue;
    }
    const text = selectorText({ matchLabels: (svc.spec?.selector ?? {}) as Record<string, string> });
    if (text === '') warn(`ingress "${name}": its backend service "${service}" has no selector, so no pods`);
    else selectors.push(text);
  }
  if (selectors.length === 0) {
    throw new ClusterError(`ingress "${name}": none of its backend services (${services.join(', ')}) selects pods`);
  }
  return [...new Set(selectors)];
}
