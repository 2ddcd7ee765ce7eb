/** The other tools the bench runs beside ktail when they are on PATH: kubectl, and stern. */
import { execFileSync } from 'node:child_process';

export interface Reference {
  readonly name: 'kubectl' | 'stern';
  /** the command and arguments that print every line of the pods labelled app=bench, then exit */
  printAll(kubeconfig: string, namespace: string, maxStreams: number): [string, string[]];
}

function onPath(cmd: string, versionArgs: string[]): boolean {
  try {
    execFileSync(cmd, versionArgs, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const KUBECTL: Reference = {
  name: 'kubectl',
  printAll: (kubeconfig, namespace, maxStreams) => [
    'kubectl',
    ['--kubeconfig', kubeconfig, 'logs', '-n', namespace, '-l', 'app=bench', '--prefix', '--tail=-1', `--max-log-requests=${maxStreams}`],
  ],
};

const STERN: Reference = {
  name: 'stern',
  printAll: (kubeconfig, namespace, maxStreams) => [
    'stern',
    [
      '--kubeconfig',
      kubeconfig,
      '-n',
      namespace,
      '-l',
      'app=bench',
      '--no-follow',
      '--max-log-requests',
      String(maxStreams),
      '--color',
      'never',
    ],
  ],
};

/** kubectl and stern, those of them that run here */
export function findReferences(): Reference[] {
  const found: Reference[] = [];
  if (onPath('kubectl', ['version', '--client'])) found.push(KUBECTL);
  if (onPath('stern', ['--version'])) found.push(STERN);
  return found;
}
