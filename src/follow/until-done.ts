/**
 * --until-done: when the run is over. It sees the pod events the sources see and polls the Jobs
 * of `job/NAME` queries; `verdict()` says whether everything is done and with which exit code:
 *
 * - only `job/NAME` queries: every Job is Complete or Failed, and no pod of theirs still runs
 *   (1 if a Job failed, with a notice giving its reason);
 * - otherwise: at least one matched container was seen, every matched container has terminated
 *   and none runs or waits (and every Job has finished); 1 if a container exited other than 0.
 *
 * Nothing matched yet is not done: the Job may not have made its pods yet.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { sleep } from '../common/backoff.js';
import { api } from '../kube/api.js';
import { errorText, isApiError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { jobOutcome, podProgress, type JobOutcome } from './done.js';
import { keyOfPod, type TargetFilter } from './targets.js';
import type { PodEvent } from './watch.js';

/** A Job a `job/NAME` query resolved to in one context and namespace. */
export interface JobRef {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
  readonly transport: Transport;
  /** lists the Job's pods again and hands them to the watches' handler: those not shown yet get followed */
  resync(): Promise<void>;
}

/** How often a Job's conditions are read. */
const JOB_POLL_MS = 1000;

export interface Verdict {
  readonly exitCode: 0 | 1;
  /** the notices of the failed Jobs */
  readonly failures: readonly string[];
}

export class UntilDone {
  private readonly pods = new Map<string, V1Pod>();
  private readonly jobs: { readonly ref: JobRef; outcome: JobOutcome }[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly filter: TargetFilter,
    /** every query is job/NAME: the Jobs' conditions decide, not the containers' exit codes */
    private readonly jobsOnly: boolean,
    /** several contexts: a Job's notice names its context */
    private readonly showContext: boolean,
    private readonly verbose: (message: string) => void,
  ) {}

  /** A pod event, as the sources get it. */
  readonly observe = (context: string, event: PodEvent): void => {
    const key = keyOfPod(context, event.pod);
    if (event.kind === 'delete') this.pods.delete(key);
    else this.pods.set(key, event.pod);
  };

  /** A Job to wait for: its conditions are read until it has finished. */
  addJob(ref: JobRef): void {
    const job = { ref, outcome: { kind: 'running' } as JobOutcome };
    this.jobs.push(job);
    void this.poll(job);
  }

  /** The verdict once everything is done; undefined while something runs, waits or has not begun. */
  verdict(): Verdict | undefined {
    if (this.jobs.some((j) => j.outcome.kind === 'running')) return undefined;
    let seen = 0;
    let failedContainers = false;
    for (const pod of this.pods.values()) {
      const progress = podProgress(pod, this.filter);
      if (progress.kind === 'ignored') continue;
      if (progress.kind === 'running') return undefined;
      seen++;
      if (progress.failed) failedContainers = true;
    }
    if (!this.jobsOnly && seen === 0) return undefined;
    const failures = this.jobs.flatMap(({ ref, outcome }) => {
      if (outcome.kind !== 'failed') return [];
      const where = this.showContext ? `context "${ref.context}": ` : '';
      const why = [outcome.reason, outcome.message].filter((t) => t !== '').join(': ');
      return [`${where}job "${ref.name}" failed${why === '' ? '' : `: ${why}`}`];
    });
    return { exitCode: failures.length > 0 || (!this.jobsOnly && failedContainers) ? 1 : 0, failures };
  }

  /** Every Job's pods listed again (see JobRef.resync). */
  async resync(): Promise<void> {
    await Promise.all(this.jobs.map((j) => j.ref.resync().catch((err: unknown) => this.verbose(`job "${j.ref.name}": ${errorText(err)}`))));
  }

  stop(): void {
    this.abort.abort();
  }

  private async poll(job: { readonly ref: JobRef; outcome: JobOutcome }): Promise<void> {
    const { ref } = job;
    const signal = this.abort.signal;
    // a function, not a value: it changes across the awaits
    const stopped = (): boolean => signal.aborted;
    while (!stopped()) {
      try {
        job.outcome = jobOutcome(await ref.transport.json(api.job(ref.namespace, ref.name), { signal, idleTimeoutMs: 15_000 }));
        if (job.outcome.kind !== 'running') return;
      } catch (err) {
        if (stopped()) return;
        if (isApiError(err, 404)) {
          job.outcome = { kind: 'failed', reason: '', message: 'deleted before it finished' };
          return;
        }
        // the server away: the pod watches say so; the Job is read again
        this.verbose(`job "${ref.name}": ${errorText(err)}; reading it again`);
      }
      await sleep(JOB_POLL_MS, signal);
    }
  }
}
