// SimCluster: the simulated cluster's typed control API (start, objects, containers, logs,
// faults, counters) over the API server in server.ts.
import { writeFile } from 'node:fs/promises';
import { caCert } from './certs.js';
import { GROUPS } from './discovery.js';
import { containerBefore, containerChanged, podCreated, podKilling, probeFailed, type ProbeKind } from './event-sources.js';
import { parseRFC3339 } from './clock.js';
import { StreamRegistry } from './faults.js';
import { ContinueTokens } from './pages.js';
import { randomSuffix } from './ids.js';
import { buildKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import type { GenerateHandle, GenerateOptions } from './logbuffer.js';
import type { ContainerModel, PodModel, TerminateInfo } from './pods.js';
import type { KubeObject, PodObject } from './resources.js';
import type { RequestIdentity } from './auth.js';
import { ApiServer } from './server.js';
import { type Counters, SimState } from './state.js';
import { LogThrottle } from './throttle.js';
import type {
  ContainerRef,
  ContainerStateInput,
  ContainerTemplate,
  CronJobInput,
  CutOptions,
  DaemonSetInput,
  DeletePodOptions,
  DeploymentInput,
  EventInput,
  IngressInput,
  JobInput,
  PodInput,
  PodPhase,
  PodRef,
  ReplicationControllerInput,
  ServiceInput,
  StallEnd,
  StatefulSetInput,
  StreamFilter,
  ThrottleOptions,
  WorkloadResult,
} from './types.js';
import * as wl from './workloads.js';
import { createIngress } from './ingress.js';

export interface SimOptions {
  /** default 0 (any free port) */
  port?: number;
  /** default true: HTTP/2 via ALPN and HTTP/1.1; false: HTTP/1.1 only */
  http2?: boolean;
  /** the kubeconfig's token (default: random) */
  token?: string;
  /** further accepted tokens */
  tokens?: string[];
  /** namespaces to create besides default, kube-system, kube-public, kube-node-lease (default ["shop"]) */
  namespaces?: string[];
  /** every request in these namespaces (and cluster-wide lists of namespaced resources) gets 403 */
  forbiddenNamespaces?: string[];
  /** the user named in 403 messages (default "dev") */
  userName?: string;
  /** nodes to create (default ["sim-node-1", "sim-node-2"]) */
  nodes?: string[];
  /** interval of BOOKMARK events on watches that allow them (default 5000) */
  bookmarkIntervalMs?: number;
  /**
   * kube-apiserver's --min-request-timeout, in seconds (default 1800): a watch that asks no
   * timeoutSeconds (or 0) is ended after a random time between this and twice this. Fractions
   * are allowed, for tests.
   */
  minRequestTimeoutSeconds?: number;
  /** watch events kept for resuming (default 1000) */
  historySize?: number;
  /**
   * kube-apiserver's --goaway-chance (default 0; it allows up to 0.02): the fraction of HTTP/2
   * requests after which their connection gets GOAWAY. See setGoawayChance.
   */
  goawayChance?: number;
  /**
   * HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS (default 250: Go's http2 server default, which
   * kube-apiserver keeps unless --http2-max-streams-per-connection is set)
   */
  maxConcurrentStreams?: number;
  /**
   * 'nano' (default): sinceTime is honoured at full precision (as the kubelet does);
   * 'second': truncated to whole seconds first, as the real API server forwards it to the kubelet.
   */
  sinceTimePrecision?: 'nano' | 'second';
  /**
   * The kubelet's --container-log-max-size, in bytes of the log file (each line plus about 40
   * bytes of CRI prefix; default 10 MiB): past it the container's file is rotated. The API
   * serves only the current file; a follow stream goes on across a rotation. See rotateLog.
   */
  containerLogMaxSize?: number;
  /**
   * default true: Events are served by events.k8s.io/v1 too (as every cluster since 1.19);
   * false: only core/v1, as an older cluster (the group is absent from discovery, its paths 404)
   */
  eventsApi?: boolean;
  /** serve log streams in random-sized pieces at a bounded rate (see throttleLogStreams; default: as fast as read) */
  throttleLogStreams?: ThrottleOptions;
  /**
   * 'request' (default, as kube-apiserver): client certificates signed by clientCaCert
   * authenticate (CN the user, O the groups), an invalid one gets 401. 'require': an invalid or
   * missing one is refused in the TLS handshake, as by a front proxy that checks them.
   */
  clientCerts?: 'request' | 'require';
}

/** A timestamp for a log line: ns since the epoch, a Date, or RFC 3339 text. */
export type LogTimestamp = bigint | Date | string;

function toNs(t: LogTimestamp | undefined): bigint | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'bigint') return t;
  if (t instanceof Date) return BigInt(t.getTime()) * 1_000_000n;
  const ns = parseRFC3339(t);
  if (ns === undefined) throw new Error(`sim: invalid RFC 3339 timestamp ${t}`);
  return ns;
}

export class SimCluster {
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly deleting = new Map<PodModel, Promise<void>>();
  private closed = false;

  private constructor(
    private readonly state: SimState,
    private readonly registry: StreamRegistry,
    private readonly server: ApiServer,
    readonly token: string,
    private readonly continueTokens: ContinueTokens,
  ) {}

  static async start(opts: SimOptions = {}): Promise<SimCluster> {
    const state = new SimState(opts.historySize ?? 1000);
    if (opts.containerLogMaxSize !== undefined) state.containerLogMaxSize = opts.containerLogMaxSize;
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) state.createNamespace(ns);
    for (const ns of opts.namespaces ?? ['shop']) state.createNamespace(ns);
    for (const ns of opts.forbiddenNamespaces ?? []) state.createNamespace(ns);
    for (const n of opts.nodes ?? ['sim-node-1', 'sim-node-2']) state.createNode(n);
    const registry = new StreamRegistry();
    if (opts.throttleLogStreams) registry.logThrottle = new LogThrottle(opts.throttleLogStreams);
    const token = opts.token ?? `sim-${randomSuffix(16)}`;
    const continueTokens = new ContinueTokens();
    const server: ApiServer = new ApiServer(
      {
        host: '127.0.0.1',
        port: opts.port ?? 0,
        http2: opts.http2 ?? true,
        maxConcurrentStreams: opts.maxConcurrentStreams ?? 250,
        clientCerts: opts.clientCerts ?? 'request',
      },
      {
        state,
        registry,
        forbiddenNamespaces: new Set(opts.forbiddenNamespaces ?? []),
        userName: opts.userName ?? 'dev',
        bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000,
        minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds ?? 1800,
        truncateSinceTime: opts.sinceTimePrecision === 'second',
        serverAddress: () => `127.0.0.1:${server.port}`,
        renderPool: [],
        continueTokens,
        apiGroups: opts.eventsApi === false ? GROUPS.filter((g) => g !== 'events.k8s.io') : GROUPS,
      },
      [token, ...(opts.tokens ?? [])],
    );
    server.goawayChance = opts.goawayChance ?? 0;
    await server.listen();
    return new SimCluster(state, registry, server, token, continueTokens);
  }

  /** `https://127.0.0.1:PORT` */
  get url(): string {
    return `https://127.0.0.1:${this.server.port}`;
  }

  get port(): number {
    return this.server.port;
  }

  /** A snapshot of the counters. */
  get counters(): Counters {
    const c = this.state.counters;
    return {
      ...c,
      requestsByKind: { ...c.requestsByKind },
      connectionsAccepted: this.server.connectionsAccepted,
      http2SessionsOpened: this.server.http2SessionsOpened,
      goawaysSent: this.server.goawaysSent,
    };
  }

  /**
   * Who the server saw, request by request (the newest 1000): the authenticated user and groups,
   * how they authenticated, the Impersonate-* headers and Accept-Encoding.
   */
  requestLog(): RequestIdentity[] {
    return this.server.requestLog.slice(-1000);
  }

  clearRequestLog(): void {
    this.server.requestLog.length = 0;
  }

  /** Replace the set of accepted tokens (the kubeconfig's token works only if included). */
  setTokens(tokens: string[]): void {
    this.server.tokens = new Set(tokens);
  }

  /** The kubeconfig text (JSON). Contexts `sim` (namespace default, current) and `sim-shop` (shop). */
  kubeconfig(opts: KubeconfigOptions = {}): string {
    return JSON.stringify(buildKubeconfig({ server: this.url, token: this.token, caPem: caCert }, opts), null, 2) + '\n';
  }

  async writeKubeconfig(path: string, opts: KubeconfigOptions = {}): Promise<string> {
    await writeFile(path, this.kubeconfig(opts), { mode: 0o600 });
    return path;
  }

  /** End every stream, drop every connection, stop listening and stop all timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.registry.all()) s.end();
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    this.state.ticker.stop();
    await this.server.stop();
  }

  // ---- objects -------------------------------------------------------------------------

  createNamespace(name: string, labels?: Record<string, string>): void {
    this.state.createNamespace(name, labels);
  }

  createNode(name: string, labels?: Record<string, string>): void {
    this.state.createNode(name, labels);
  }

  createPod(input: PodInput): PodRef {
    const pod = this.state.createPod(input);
    return { namespace: pod.namespace, name: pod.name, uid: pod.meta.uid };
  }

  /** The pod's JSON as the API serves it, or undefined. */
  getPod(namespace: string, name: string): PodObject | undefined {
    return this.state.store.get('pods', namespace, name) as PodObject | undefined;
  }

  /** Any stored object (resource is the plural, e.g. "deployments"). */
  getObject(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.state.store.get(resource, namespace, name);
  }

  /** Pods in a namespace (or all), as served. */
  listPods(namespace?: string): PodObject[] {
    return this.state.store.list('pods', namespace) as PodObject[];
  }

  /** The current resourceVersion of the cluster. */
  get resourceVersion(): string {
    return String(this.state.store.resourceVersion);
  }

  /** Merge labels into a pod (null removes a key): MODIFIED (watchers filtering by label may see ADDED/DELETED). */
  labelPod(namespace: string, name: string, labels: Record<string, string | null>): void {
    const pod = this.pod(namespace, name);
    for (const [k, v] of Object.entries(labels)) {
      if (v === null) delete pod.meta.labels[k];
      else pod.meta.labels[k] = v;
    }
    this.state.commitPod(pod);
  }

  /** Force status.phase (undefined: derive it from the containers again). */
  setPodPhase(namespace: string, name: string, phase: PodPhase | undefined): void {
    const pod = this.pod(namespace, name);
    pod.meta.phaseOverride = phase;
    this.state.commitPod(pod);
  }

  /**
   * Delete a pod. graceMs > 0: MODIFIED with deletionTimestamp now; after graceMs the
   * containers terminate (MODIFIED) and the pod is DELETED. Otherwise DELETED at once.
   * Follow streams of its containers end.
   */
  deletePod(namespace: string, name: string, opts: DeletePodOptions = {}): Promise<void> {
    const pod = this.pod(namespace, name);
    const pending = this.deleting.get(pod);
    if (pending) return pending;
    const p = this.runDeletion(pod, opts).finally(() => this.deleting.delete(pod));
    this.deleting.set(pod, p);
    return p;
  }

  private async runDeletion(pod: PodModel, opts: DeletePodOptions): Promise<void> {
    const grace = Math.max(0, opts.graceMs ?? 0);
    podKilling(this.state.events, pod);
    pod.deletionNs = BigInt(Date.now()) * 1_000_000n;
    pod.deletionGraceSeconds = Math.ceil(grace / 1000);
    if (grace > 0) {
      this.state.commitPod(pod);
      await this.sleep(grace);
    }
    const exitCode = opts.exitCode ?? 0;
    for (const c of pod.containers) if (c.state.kind === 'running') c.toTerminated({ exitCode });
    if (grace > 0) this.state.commitPod(pod);
    this.state.removePod(pod);
  }

  createDeployment(input: DeploymentInput): WorkloadResult {
    return wl.createDeployment(this.host, input);
  }

  /** A new ReplicaSet and pods (optionally new containers/images), then the old pods are deleted. */
  rolloutDeployment(
    namespace: string,
    name: string,
    opts: { containers?: ContainerTemplate[]; graceMs?: number } = {},
  ): Promise<WorkloadResult> {
    return wl.rolloutDeployment(this.host, namespace, name, opts);
  }

  createStatefulSet(input: StatefulSetInput): WorkloadResult {
    return wl.createStatefulSet(this.host, input);
  }

  /** One pod per node. */
  createDaemonSet(input: DaemonSetInput): WorkloadResult {
    return wl.createDaemonSet(this.host, input);
  }

  createJob(input: JobInput): WorkloadResult {
    return wl.createJob(this.host, input);
  }

  /** The Job is done: its running containers end (exit 0), then it is Complete. */
  completeJob(namespace: string, name: string): void {
    wl.finishJob(this.host, namespace, name, { kind: 'complete' });
  }

  /** The Job failed: its running containers end (exitCode, default 1), then it is Failed with the reason. */
  failJob(namespace: string, name: string, opts: { reason?: string; message?: string; exitCode?: number } = {}): void {
    wl.finishJob(this.host, namespace, name, { kind: 'failed', ...opts });
  }

  /** A CronJob creates nothing by itself; see triggerCronJob. */
  createCronJob(input: CronJobInput): WorkloadResult {
    return wl.createCronJob(this.host, input);
  }

  /** Run a CronJob now: a Job owned by it (result.child) and the Job's pod. */
  triggerCronJob(namespace: string, name: string): WorkloadResult {
    return wl.triggerCronJob(this.host, namespace, name);
  }

  createService(input: ServiceInput): WorkloadResult {
    return wl.createService(this.host, input);
  }

  /** An Ingress whose backends name services (networking.k8s.io/v1). */
  createIngress(input: IngressInput): WorkloadResult {
    return createIngress(this.state, input);
  }

  createReplicationController(input: ReplicationControllerInput): WorkloadResult {
    return wl.createReplicationController(this.host, input);
  }

  // ---- containers ----------------------------------------------------------------------

  setContainerState(ref: ContainerRef, state: ContainerStateInput): void {
    this.change(ref, (c) => c.apply(state));
  }

  /** waiting → running with a new container ID (a restart if it ran before). */
  startContainer(ref: ContainerRef): void {
    this.change(ref, (c) => c.toRunning());
  }

  terminateContainer(ref: ContainerRef, info: TerminateInfo = {}): void {
    this.change(ref, (c) => c.toTerminated(info));
  }

  /** The running instance ends (default Error, exit 1; it becomes lastState and `previous`), a new one starts. */
  restartContainer(ref: ContainerRef, info: TerminateInfo = {}): void {
    this.change(ref, (c) => c.restart(info));
  }

  setContainerReady(ref: ContainerRef, ready: boolean): void {
    this.change(ref, (c) => (c.readyOverride = ready));
  }

  /** The container ID the status reports now (undefined before the first start). */
  containerId(ref: ContainerRef): string | undefined {
    return this.state.container(ref).c.containerId;
  }

  /**
   * A probe fails once: an Unhealthy event (the same failure again counts on it); a readiness
   * probe also makes the container not ready.
   */
  failProbe(ref: ContainerRef, probe: ProbeKind = 'Readiness', detail = 'HTTP probe failed with statuscode: 503'): void {
    const { pod, c } = this.state.container(ref);
    if (probe === 'Readiness' && c.readyOverride !== false) {
      c.readyOverride = false;
      this.state.commitPod(pod);
    }
    probeFailed(this.state.events, pod, c, probe, detail);
  }

  // ---- events ----------------------------------------------------------------------------

  /**
   * Record an Event (Pod events, a ReplicaSet's FailedCreate, a node's OOMKilling…). The same
   * event again within ten minutes updates the stored one: its count, or with style 'series' its
   * series. The pod transitions record the kubelet's and scheduler's own (event-sources.ts).
   */
  emitEvent(input: EventInput): KubeObject {
    return this.state.events.record(input);
  }

  /** The scheduler tries an unscheduled pod again and fails again: its FailedScheduling series grows. */
  emitFailedScheduling(namespace: string, name: string): void {
    const pod = this.pod(namespace, name);
    if (pod.meta.nodeName !== undefined) throw new Error(`sim: pod ${namespace}/${name} is scheduled (on ${pod.meta.nodeName})`);
    podCreated(this.state.events, pod, this.state.nodeNames().length);
  }

  /** The stored Events (core/v1 shape) of a namespace, or of all. */
  listEvents(namespace?: string): KubeObject[] {
    return this.state.store.list('events', namespace);
  }

  // ---- logs ------------------------------------------------------------------------------

  /** Append lines to the running instance's log; all get `timestamp` if given (else now, strictly increasing). */
  writeLines(ref: ContainerRef, lines: readonly (string | Buffer)[], opts: { timestamp?: LogTimestamp } = {}): void {
    this.runningLog(ref).writeLines(lines, toNs(opts.timestamp));
  }

  /** Append raw bytes; a trailing fragment without newline stays a partial last line. */
  writeRaw(ref: ContainerRef, bytes: string | Buffer, opts: { timestamp?: LogTimestamp } = {}): void {
    this.runningLog(ref).writeRaw(bytes, toNs(opts.timestamp));
  }

  /** Lines `seq=000000042 pod=P container=C xxx…` of about `size` bytes; seq continues per instance. */
  generate(ref: ContainerRef, opts: GenerateOptions): GenerateHandle {
    return this.runningLog(ref).generate(opts);
  }

  /**
   * The kubelet rotates the running instance's log file now. Lines written before are no longer
   * served to a new read (not with tailLines, sinceTime or sinceSeconds either); a follow stream
   * open now goes on with the lines written after, as the kubelet's does.
   */
  rotateLog(ref: ContainerRef): void {
    this.runningLog(ref).rotate();
  }

  /** How many times the running instance's log was rotated (by size or rotateLog). */
  logRotations(ref: ContainerRef): number {
    return this.runningLog(ref).rotations;
  }

  /** The log of the current (or previous) instance as written (rotated lines too), for assertions. */
  readLog(ref: ContainerRef, opts: { previous?: boolean; timestamps?: boolean } = {}): string {
    const { c } = this.state.container(ref);
    const inst = opts.previous ? c.previous : (c.current ?? (c.state.kind === 'waiting' ? c.previous : undefined));
    if (!inst) return '';
    return inst.log.readAll(opts.timestamps ?? false).toString('utf8');
  }

  // ---- faults ----------------------------------------------------------------------------

  /** Break open log streams abruptly (midLine: after half of the next line). Returns how many. */
  cutLogStreams(filter?: StreamFilter, opts: CutOptions = {}): number {
    return this.registry.cut('log', filter, opts);
  }

  /**
   * Answer the next `count` requests whose path and query match `path` after `ms`; `onArrive`
   * runs as each arrives (a test's cue to cut a stream while the client waits for the answer).
   */
  delayRequests(path: RegExp, ms: number, opts: { count?: number; onArrive?: () => void } = {}): void {
    this.server.faults.push({ path, action: { kind: 'delay', ms }, remaining: opts.count ?? 1, onArrive: opts.onArrive });
  }

  /** Answer the next `count` (default: every) requests whose path and query match with an error Status. */
  failRequests(
    path: RegExp,
    code: number,
    message: string,
    opts: { count?: number; reason?: string; retryAfterSeconds?: number } = {},
  ): void {
    const reason =
      opts.reason ?? (code >= 500 ? 'InternalError' : code === 400 ? 'BadRequest' : code === 429 ? 'TooManyRequests' : 'Unknown');
    this.server.faults.push({
      path,
      action: { kind: 'status', code, reason, message, retryAfterSeconds: opts.retryAfterSeconds },
      remaining: opts.count ?? Infinity,
      onArrive: undefined,
    });
  }

  /** Remove every request fault (delays and failures) still pending. */
  clearRequestFaults(): void {
    this.server.faults.length = 0;
  }

  /**
   * Serve every log stream, open or opened later, in pieces of random size (log-uniform from
   * 1 byte to `maxPieceBytes`) at no more than `maxBytesPerSec` per stream, so a client's reads
   * split lines and timestamps at arbitrary bytes; a mid-line cut then lands at a random byte of
   * what is pending, and a clean end may come mid-line, as a proxy's would. `undefined`: as fast
   * as read again (the default).
   */
  throttleLogStreams(opts: ThrottleOptions | undefined): void {
    this.registry.logThrottle = opts ? new LogThrottle(opts) : undefined;
  }

  /** End open log streams cleanly while their containers keep running. */
  endLogStreams(filter?: StreamFilter): number {
    return this.registry.end('log', filter);
  }

  /** Matching log streams send nothing for ms (lines keep being stored), then `then` (default resume). */
  stallLogStreams(filter: StreamFilter | undefined, ms: number, then: StallEnd = 'resume'): number {
    return this.registry.stall('log', filter, ms, then);
  }

  cutWatches(opts: CutOptions = {}): number {
    return this.registry.cut('watch', undefined, opts);
  }

  endWatches(): number {
    return this.registry.end('watch');
  }

  stallWatches(ms: number, then: StallEnd = 'resume'): number {
    return this.registry.stall('watch', undefined, ms, then);
  }

  /**
   * etcd compacts: every continue token handed out so far is too old, and the next page asked
   * with one gets 410 Expired ("The provided continue parameter is too old…").
   */
  expireContinueTokens(): void {
    // compaction keeps the newest revision: a list from now on starts at or after it
    this.continueTokens.compactedRv = this.state.store.advance();
  }

  /** The next `count` watch requests (any resourceVersion) get one ERROR 410 Expired event and end. */
  expireNextWatch(count = 1): void {
    this.registry.expireNext += count;
  }

  /**
   * GOAWAY on every HTTP/2 connection now: the streams the server took go on to their end,
   * newer ones are refused (REFUSED_STREAM) and the connection closes after its last stream.
   * `closeAfterMs`: destroyed after that long even with streams open, as a server that stops.
   * Returns how many connections got one.
   */
  goaway(opts: { closeAfterMs?: number } = {}): number {
    return this.server.goaway(opts);
  }

  /**
   * kube-apiserver's --goaway-chance: from now on, each HTTP/2 request is answered as usual and
   * then, with this probability, its connection gets GOAWAY (0: never).
   */
  setGoawayChance(chance: number): void {
    this.server.goawayChance = chance;
  }

  /** Stop listening and drop all connections; listen again on the same port after ms. */
  refuseConnections(ms: number): Promise<void> {
    return this.server.refuse(ms);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private pod(namespace: string, name: string): PodModel {
    const pod = this.state.getPod(namespace, name);
    if (!pod) throw new Error(`sim: no pod ${namespace}/${name}`);
    return pod;
  }

  private change(ref: ContainerRef, fn: (c: ContainerModel) => void): void {
    const { pod, c } = this.state.container(ref);
    const before = containerBefore(c);
    fn(c);
    this.state.commitPod(pod);
    containerChanged(this.state.events, pod, c, before);
  }

  private runningLog(ref: ContainerRef) {
    const { pod, c } = this.state.container(ref);
    if (c.state.kind !== 'running' || !c.current) {
      throw new Error(`sim: container ${ref.container} of pod ${pod.namespace}/${pod.name} is not running (${c.state.kind})`);
    }
    return c.current.log;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  private get host(): wl.WorkloadHost {
    return { state: this.state, deletePod: (ns, name, o) => this.deletePod(ns, name, o) };
  }
}
