// Identifiers shaped like the ones a real cluster hands out.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** metadata.uid */
export function newUid(): string {
  return randomUUID();
}

/** `containerd://` and 64 hex digits, as containerd reports a container. */
export function newContainerId(): string {
  return 'containerd://' + randomBytes(32).toString('hex');
}

// The alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels, no confusable digits).
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A random suffix like the one generateName gets: `x2k4q`. */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += SAFE.charAt(b % SAFE.length);
  return s;
}

/** A stable hash suffix like a pod-template-hash (`7d9c5b8f6`), derived from text. */
export function hashSuffix(text: string, length = 9): string {
  const digest = createHash('sha256').update(text).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += SAFE.charAt(digest[i]! % SAFE.length);
  return s;
}

/** A repository digest for an image reference: `docker.io/library/nginx@sha256:…`. */
export function imageIdFor(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repo = colon > lastSlash ? image.slice(0, colon) : image;
  const full = repo.includes('/') ? repo : `docker.io/library/${repo}`;
  return `${full}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

/** The fully qualified image name a container runtime reports. */
export function qualifiedImage(image: string): string {
  const first = image.split('/')[0] ?? '';
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return image;
  }
  const withRepo = image.includes('/') ? image : `library/${image}`;
  const lastSlash = withRepo.lastIndexOf('/');
  const tagged = withRepo.lastIndexOf(':') > lastSlash || withRepo.includes('@') ? withRepo : `${withRepo}:latest`;
  return `docker.io/${tagged}`;
}
