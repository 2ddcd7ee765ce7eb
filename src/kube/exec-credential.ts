/**
 * Exec credential plugins (gke-gcloud-auth-plugin, `aws eks get-token`, kubelogin), run as
 * client-go runs them: KUBERNETES_EXEC_INFO in the environment, the plugin's stderr passed
 * through to ours, its stdout (which holds the secret) parsed and never shown. Ours rather than
 * client-node's because a plugin must have a deadline and must not outlive ktail: client-node's
 * runs without either, so a hanging plugin hung ktail and Ctrl-C left it running as an orphan.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ClusterError } from '../common/errors.js';

export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[] | undefined;
  readonly env?: readonly { readonly name: string; readonly value: string }[] | undefined;
  readonly apiVersion?: string | undefined;
  readonly installHint?: string | undefined;
  readonly interactiveMode?: 'Never' | 'IfAvailable' | 'Always' | undefined;
  readonly provideClusterInfo?: boolean | undefined;
}

export interface ExecCredential {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  /** ms since the epoch; undefined: valid until the server refuses it */
  readonly expiresAt?: number;
}

/** A non-interactive plugin that has not answered by then is killed (kubectl has no bound). */
const EXEC_DEADLINE_MS = 60_000;
/** One that may ask the user something gets longer. */
const INTERACTIVE_DEADLINE_MS = 5 * 60_000;

/** Plugins running now, so that an interrupt ends them with ktail. */
const running = new Set<ChildProcess>();

/** Ends every plugin still running (on SIGINT/SIGTERM, and before exit). */
export function stopExecPlugins(): void {
  for (const child of running) child.kill('SIGTERM');
  running.clear();
}

export interface ExecRun {
  readonly stdinIsTTY: boolean;
  readonly deadlineMs?: number;
  /** the cluster, for plugins that ask for it (provideClusterInfo) */
  readonly cluster?: { readonly server: string; readonly 'certificate-authority-data'?: string };
}

export async function runExecPlugin(exec: ExecConfig, user: string, run: ExecRun): Promise<ExecCredential> {
  const mode = exec.interactiveMode ?? 'IfAvailable';
  if (mode === 'Always' && !run.stdinIsTTY) {
    throw new ClusterError(
      `exec plugin "${exec.command}" of user "${user}" needs a terminal to ask for credentials (interactiveMode: Always)`,
    );
  }
  const interactive = mode !== 'Never' && run.stdinIsTTY;
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const info = {
    apiVersion,
    kind: 'ExecCredential',
    spec: { interactive, ...(exec.provideClusterInfo === true && run.cluster ? { cluster: run.cluster } : {}) },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const e of exec.env ?? []) env[e.name] = e.value;
  const deadlineMs = run.deadlineMs ?? (interactive ? INTERACTIVE_DEADLINE_MS : EXEC_DEADLINE_MS);
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(exec.command, [...(exec.args ?? [])], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
    running.add(child);
    const parts: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => parts.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new ClusterError(
          `exec plugin "${exec.command}" of user "${user}" did not answer within ${Math.round(deadlineMs / 1000)} s; it was stopped`,
        ),
      );
    }, deadlineMs);
    timer.unref();
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      running.delete(child);
      const hint = exec.installHint !== undefined ? ` — ${exec.installHint.trim().split('\n')[0]}` : '';
      reject(
        new ClusterError(
          err.code === 'ENOENT'
            ? `exec plugin "${exec.command}" of user "${user}" not found${hint}`
            : `exec plugin "${exec.command}" of user "${user}": ${err.message}`,
          { cause: err },
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(Buffer.concat(parts).toString('utf8'));
      // its stdout may hold part of a secret: only the exit status is said
      else
        reject(
          new ClusterError(
            `exec plugin "${exec.command}" of user "${user}" failed (${signal !== null ? `killed by ${signal}` : `exit ${code}`})`,
          ),
        );
    });
  });
  return parseCredential(stdout, exec.command, user, apiVersion);
}

export function parseCredential(stdout: string, command: string, user: string, apiVersion: string): ExecCredential {
  let parsed: { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> | null };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    throw new ClusterError(`exec plugin "${command}" of user "${user}" printed something that is not an ExecCredential (not JSON)`);
  }
  if (parsed.kind !== 'ExecCredential' || typeof parsed.status !== 'object' || parsed.status === null) {
    throw new ClusterError(`exec plugin "${command}" of user "${user}" printed something that is not an ExecCredential`);
  }
  if (parsed.apiVersion !== apiVersion) {
    throw new ClusterError(
      `exec plugin "${command}" of user "${user}" answered with apiVersion ${String(parsed.apiVersion)}, the kubeconfig asks for ${apiVersion}`,
    );
  }
  const s = parsed.status;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const token = str(s.token);
  const cert = str(s.clientCertificateData);
  const key = str(s.clientKeyData);
  if (token === undefined && (cert === undefined || key === undefined)) {
    throw new ClusterError(`exec plugin "${command}" of user "${user}" gave neither a token nor a client certificate and key`);
  }
  const expiry = str(s.expirationTimestamp);
  const expiresAt = expiry !== undefined ? Date.parse(expiry) : undefined;
  return {
    ...(token !== undefined ? { token } : {}),
    ...(cert !== undefined && key !== undefined ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(expiresAt !== undefined && !Number.isNaN(expiresAt) ? { expiresAt } : {}),
  };
}
