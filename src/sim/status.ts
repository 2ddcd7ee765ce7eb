// metav1.Status bodies, as the API server returns them for errors.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, string>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function statusBody(code: number, reason: string, message: string, details?: StatusDetails): StatusBody {
  // key order as the real server writes it: details sits between reason and code
  return details
    ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code }
    : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** An error that the HTTP layer turns into a Status response. */
export class StatusError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
  get code(): number {
    return this.body.code;
  }
}

export const unauthorized = (): StatusError => new StatusError(statusBody(401, 'Unauthorized', 'Unauthorized'));

export const badRequest = (message: string): StatusError => new StatusError(statusBody(400, 'BadRequest', message));

export function notFound(resource: string, name: string, group = ''): StatusError {
  const details: StatusDetails = group ? { name, group, kind: resource } : { name, kind: resource };
  return new StatusError(statusBody(404, 'NotFound', `${resource}${group ? '.' + group : ''} "${name}" not found`, details));
}

/** 404 for a path the server does not serve at all (the real body is text; we send a Status). */
export const pathNotFound = (): StatusError =>
  new StatusError(statusBody(404, 'NotFound', 'the server could not find the requested resource'));

export interface ForbiddenRequest {
  user: string;
  verb: string;
  resource: string; // "pods", "pods/log"
  group: string;
  namespace?: string; // undefined = cluster scope
  name?: string;
}

/** `pods "web" is forbidden: User "dev" cannot get resource "pods/log" in API group "" in the namespace "payments"` */
export function forbidden(r: ForbiddenRequest): StatusError {
  const base = r.resource.split('/')[0] ?? r.resource;
  const qualified = r.group ? `${base}.${r.group}` : base;
  const subject = r.name ? `${qualified} "${r.name}"` : qualified;
  const scope = r.namespace === undefined ? 'at the cluster scope' : `in the namespace "${r.namespace}"`;
  const message = `${subject} is forbidden: User "${r.user}" cannot ${r.verb} resource "${r.resource}" in API group "${r.group}" ${scope}`;
  const details: StatusDetails = r.name ? { name: r.name, kind: base } : { kind: base };
  if (r.group) details.group = r.group;
  return new StatusError(statusBody(403, 'Forbidden', message, details));
}

export const expired = (message: string): StatusBody => statusBody(410, 'Expired', message);

export function invalid(kind: string, name: string, causes: string[]): StatusError {
  const message = `${kind} "${name}" is invalid: ${causes.length === 1 ? causes[0] : '[' + causes.join(', ') + ']'}`;
  return new StatusError(statusBody(422, 'Invalid', message, { name, kind }));
}

export const methodNotAllowed = (): StatusError =>
  new StatusError(statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
