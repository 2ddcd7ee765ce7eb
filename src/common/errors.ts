/**
 * Every failure ktail reports ends as one of these: a one-line message and the exit code of
 * SPEC.md §5. Anything else reaching main() is a bug and is reported as such.
 */
export abstract class KtailError extends Error {
  abstract readonly exitCode: 1 | 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line or a file the user gave us is wrong (exit 2). */
export class UsageError extends KtailError {
  readonly exitCode = 2 as const;
}

/** The cluster or the environment is wrong (exit 1): kubeconfig, context, auth, reachability. */
export class ClusterError extends KtailError {
  readonly exitCode = 1 as const;
}

/** The first line of an error's message, for causes that come from libraries. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}
