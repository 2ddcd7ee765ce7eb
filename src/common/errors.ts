/**
 * The root of ktail's errors: each carries the exit code of SPEC.md §5 and keeps its `cause`.
 * main() prints a KtailError as `ktail: <message>` and exits with its code; anything else reaching
 * main() is a bug and is reported as such. The errors of the cluster's side (ApiError, GoneError,
 * TransportError, IdleTimeoutError) extend ClusterError in src/kube/errors.ts, which also turns
 * any error into words (`errorText`).
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
