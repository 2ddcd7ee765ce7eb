/**
 * Where --output-dir puts a container's lines: `DIR/NAMESPACE/POD/CONTAINER.log`, under
 * `DIR/CONTEXT/` when several contexts are followed. Pure.
 *
 * Namespaces, pods and containers are DNS names, safe as path parts. A context's name is
 * anything the kubeconfig holds (an EKS ARN has `/` and `:`): `%` and `/` (and NUL) are written
 * `%25`, `%2F` (`%00`), and a name of only dots is escaped too, so that every context gets a
 * directory of its own and none climbs out of DIR.
 */
import { join } from 'node:path';
import type { SourceRef } from './label.js';

/** A name as one path part: the same name always gives the same part, two names never one. */
export function pathPart(name: string): string {
  const escaped = name.replace(/[%/\0]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return /^\.*$/.test(escaped) ? escaped.replace(/\./g, '%2E') || '%' : escaped;
}

export function containerLogPath(dir: string, ref: SourceRef, byContext: boolean): string {
  const parts = [pathPart(ref.namespace), pathPart(ref.pod), `${pathPart(ref.container)}.log`];
  return byContext ? join(dir, pathPart(ref.context), ...parts) : join(dir, ...parts);
}
