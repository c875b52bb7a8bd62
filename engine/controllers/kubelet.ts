/**
 * The kubelets of all nodes: take each bound Pod through its lifecycle on the virtual
 * clock — ContainerCreating while the image is pulled (once per node), a sandbox IP
 * from the node's podCIDR (host-local IPAM; hostNetwork pods share the node's IP),
 * Running, Ready when the readiness probe's initial delay has passed (never, while an httpGet,
 * tcpSocket, gRPC or exec probe fails; a failing liveness or startup probe gets the container
 * killed and restarted; probes run on their workers' period ticks and see the Pod as it is
 * then — prober.ts — including the files the container's own script writes and removes on
 * the clock), ErrImagePull /
 * ImagePullBackOff for images that cannot be pulled, Completed / CrashLoopBackOff for
 * processes that exit, and graceful termination of deleted pods.
 *
 * A node's kubelet can be stopped and started (`systemctl stop kubelet` on the node: stopProcess / startProcess): while
 * it is down it acts on nothing bound there — no pod starts, no status is posted, a deleted
 * pod stays Terminating, its node lease is not renewed (leases.ts reads `run()`), and
 * what was due waits. Starting it again posts the node's status (Ready, with the events
 * pkg/kubelet/kubelet.go and kubelet_node_status.go record), sets Ready again on the pods
 * whose containers are ready (the status manager's regenerated condition, after the node
 * controller's MarkPodsNotReady), kills the pods deleted meanwhile, and resumes the rest.
 *
 * Scenario pins are honoured: status.podIP, and a Ready condition in the manifest's
 * status (status: {conditions: [{type: Ready, status: "False"}]}) keeps the pod
 * (un)ready for good.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import { isKind, type Container, type ContainerStatus, type Node, type Pod, type PodIP, type PodStatus, type Probe } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import type { Ipam } from '../cluster/ipam';
import { exitCodeOf, imageReferenceError, imageSize, parseImage, pullImage, pullSeconds, runsForever } from './images';
import { bindFailures, runningAttempts, servedPorts, type BindAttempt } from '../hosts/images';
import { corednsStartError } from './dns/corefile';
import { observedPodStatus, setCondition, withStatus } from './util';
import { hostPortsConflict, hostPortsOf, NODE_PORTS_REASON } from './hostports';
import type { EventRecorder } from './events';
import { sha256 } from '../cluster/hash';
import { broadcast, formatIPv4, parseCidr } from '../cluster/ipv4';
import { cniPlugin } from './cni/registry';
import type { NetCluster } from '../dataplane/ports';
import type { HostRef, OutputChunk } from '../types';
import { applyStep, probeOutcome, scriptSteps, type ProbeOutcome } from './prober';

type Step = 'start' | 'ready' | 'pullfail' | 'backoff' | 'exit' | 'restart' | 'terminate' | 'probe' | 'liveness' | 'startup' | 'killed' | 'script' | 'invalidimage' | 'sandbox' | 'redefine';

interface Timer {
  due: number;
  seq: number;
  key: string;
  uid: string;
  step: Step;
  container?: string;
  /**
   * For an `exit` or `killed`: the process's exit code when it is not the command's own (1 after a failed bind).
   * For `liveness`/`startup`: the failures so far; for `probe` (readiness): the run of equal results so far
   * (failures > 0, successes < 0); for `script`: the next step.
   */
  code?: number;
  /** The container instance a probe or script timer belongs to (its containerID): a restarted container's old timers do nothing. */
  cid?: string;
}

interface Pin {
  podIP?: string;
  ready?: boolean;
  phase?: string;
}

/** What one run of a container's command gave: its output in the order written, its exit code, the virtual time it waited. */
export interface ProcessRun {
  output: OutputChunk[];
  exitCode: number;
  elapsedMs: number;
}

/** Runs a container's command as its process (the engine's userland, as `kubectl exec` runs it). */
export interface ContainerProcesses {
  run(host: HostRef & { kind: 'pod' }, argv: string[]): ProcessRun;
}

/** One node's kubelet process: when the running one started (undefined: with the node), and when it stopped. */
export interface KubeletRun {
  since?: number;
  stoppedAt?: number;
  /** Asked to start while containerd was down: the unit restarts it every 10 s until containerd is back (since when). */
  failing?: number;
}

/** A stop or start of a node's kubelet unit, as systemd's journal keeps it. */
export interface KubeletTransition {
  at: number;
  kind: 'stop' | 'start';
  /** containerd's: the PIDs of the shims left in its cgroup at that moment (systemd logs each). */
  leftover?: number[];
}

/** How many stops and starts of a node's kubelet the journal keeps (older ones rotate out). */
const MAX_TRANSITIONS = 20;

interface KubeletState {
  timers: Timer[];
  runs?: Record<string, KubeletRun>;
  transitions?: Record<string, KubeletTransition[]>;
  runtimes?: Record<string, KubeletRun>;
  runtimeTransitions?: Record<string, KubeletTransition[]>;
  runtimeSynced?: Record<string, number>;
  parked?: Timer[];
  seq: number;
  pins: Record<string, Pin>;
  /** node → images already pulled there */
  pulled: Record<string, string[]>;
  /** pod uid → { container → failed pull attempts / restarts } */
  backoff: Record<string, Record<string, number>>;
  /** uids of deleted pods whose termination is under way */
  terminating: string[];
}

/** Min-heap of timers ordered by (due, seq): deterministic whatever the insert order. */
class TimerHeap {
  constructor(public items: Timer[] = []) {
    this.items.sort(cmp);
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(a[p], a[i]) <= 0) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  pop(): Timer | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && cmp(a[l], a[m]) < 0) m = l;
        if (r < a.length && cmp(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  /** Sorted copy for snapshots (a heap's array order depends on history). */
  sorted(): Timer[] {
    return [...this.items].sort(cmp);
  }
}

function cmp(a: Timer, b: Timer): number {
  return a.due - b.due || a.seq - b.seq;
}

/** The kubelet's image back-off (kubelet.go: flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)). */
const PULL_BACKOFF_S = 10;
const PULL_BACKOFF_MAX_S = 300;
/** pod_workers.go: a failed sync is requeued after backOffPeriod (10 s; upstream adds up to 50 % jitter, left out for determinism). */
const POD_WORKER_BACKOFF_MS = 10_000;

/** A container still waiting for its image (ErrImagePull, ImagePullBackOff, InvalidImageName) whose spec now names another image. */
/**
 * The running containers whose spec names another image than the one they run (kubectl set
 * image, patch or edit on a Pod): the kubelet's containerChanged (kuberuntime_manager.go,
 * the container's hash differs from the one it was started with).
 */
function imageChangedWhileRunning(p: Pod): string[] {
  return (p.status?.containerStatuses ?? [])
    .filter((s) => {
      if (!s.state?.running || !s.image) return false;
      const c = (p.spec.containers ?? []).find((x) => x.name === s.name);
      return !!c && parseImage(String(c.image ?? '')).full !== parseImage(s.image).full;
    })
    .map((s) => s.name);
}

/** Did an update change any container's image? */
function specImagesChanged(old: Pod, cur: Pod): boolean {
  const before = new Map((old.spec?.containers ?? []).map((c) => [c.name, c.image]));
  return (cur.spec?.containers ?? []).some((c) => before.has(c.name) && before.get(c.name) !== c.image);
}

/** PID 1 that ignores SIGTERM (a shell image's `sleep`, an interactive shell): it goes only at the grace period's SIGKILL. */
function ignoresSigterm(c: Container): boolean {
  const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  return /\bsleep\b/.test(text) || (!!c.stdin && !!c.tty);
}

function imageChangedWhileWaiting(p: Pod): boolean {
  return (p.status?.containerStatuses ?? []).some((s) => {
    const reason = s.state?.waiting?.reason;
    if (reason !== 'ErrImagePull' && reason !== 'ImagePullBackOff' && reason !== 'InvalidImageName') return false;
    const c = (p.spec.containers ?? []).find((x) => x.name === s.name);
    return !!c && c.image !== s.image;
  });
}

/** kubelet.go: updateRuntimeUp every 5 s; runtimeState's threshold maxWaitForContainerRuntime (30 s). */
export const RUNTIME_SYNC_MS = 5_000;
const RUNTIME_SYNC_THRESHOLD_MS = 30_000;
/** pleg/generic.go: relist every second (genericPlegRelistPeriod), unhealthy past genericPlegRelistThreshold (3 min). */
const RELIST_MS = 1_000;
export const PLEG_RELIST_THRESHOLD_MS = 180_000;
/** nodeStatusUpdateFrequency (10 s), also the status manager's syncPeriod. */
const NODE_STATUS_SYNC_MS = 10_000;
const KUBELET_NODE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

/** Go's time.Duration.String for a positive duration in nanoseconds under an hour: `3m5.000123456s`. */
export function goDuration(ns: number): string {
  const total = Math.round(ns);
  const m = Math.floor(total / 60e9);
  const rest = total - m * 60e9;
  const sec = Math.floor(rest / 1e9);
  const frac = String(rest - sec * 1e9).padStart(9, '0').replace(/0+$/, '');
  return `${m ? `${m}m` : ''}${sec}${frac ? `.${frac}` : ''}s`;
}

/** The sub-millisecond part of a measured interval: seeded, so the same run prints the same figure. */
function seededNanos(cluster: Cluster, key: string): number {
  return parseInt(sha256(`${cluster.seed}/${key}`).slice(0, 8), 16) % 1_000_000;
}

/** A Pod whose Ready is False while its containers are ready and nothing else gates it. */
function needsReadyRevert(p: Pod): boolean {
  if (p.metadata.deletionTimestamp || p.status?.phase !== 'Running' || (p.spec.readinessGates ?? []).length) return false;
  const conds = p.status?.conditions ?? [];
  return conds.find((c) => c.type === 'Ready')?.status === 'False' && conds.find((c) => c.type === 'ContainersReady')?.status === 'True';
}

/**
 * The CRI client's error while containerd's socket is gone: containerd's grpc server closed its
 * unix listener on SIGTERM, and Go unlinks the socket file with it, so the dial finds no file
 * (net.Dial's "connect: no such file or directory" under grpc-go's transport error,
 * internal/transport/http2_client.go "transport: Error while dialing: %v", as cri-client returns it).
 */
export const CRI_DIAL_ERROR = 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"';

export const CONTAINERD_VERSION = 'containerd://1.7.22';

export class Kubelet implements SimModule {
  readonly name = 'kubelet';
  private heap = new TimerHeap();
  private seq = 0;
  private pins: Record<string, Pin> = {};
  private pulled: Record<string, string[]> = {};
  private backoff: Record<string, Record<string, number>> = {};
  private fresh = new Set<string>();
  private terminating = new Set<string>();
  /** Pods whose waiting container got a new image (kubectl set image): synced again at once. */
  private respecs = new Set<string>();
  /** Running pods one of whose containers' image was changed: the kubelet kills and restarts those containers. */
  private redefined = new Set<string>();
  /** Pods another writer marked not ready while their containers are (readyReverts). */
  private revertable = new Set<string>();
  /** Running pods with an ephemeral container (kubectl debug) the kubelet has not started yet. */
  private ephemeral = new Set<string>();
  private unsubscribe?: () => void;
  /** node → its kubelet's current run (absent: running since the node joined). */
  private runs: Record<string, KubeletRun> = {};
  private transitions: Record<string, KubeletTransition[]> = {};
  /** Timers that came due while their node's kubelet was stopped: they fire when it starts. */
  private parked: Timer[] = [];
  /** node → its containerd's current run (absent: running since the node joined); `systemctl stop containerd`. */
  private runtimes: Record<string, KubeletRun> = {};
  private runtimeTransitions: Record<string, KubeletTransition[]> = {};
  /** node → the last node-status sync (ms) that posted the runtime's failure, while containerd is down. */
  private runtimeSynced: Record<string, number> = {};

  /** Runs a container's own one-shot command (plugged in by the composition root: a shell of its own). */
  processes?: ContainerProcesses;

  constructor(
    private cluster: Cluster,
    private ipam: Ipam,
    private events: EventRecorder,
  ) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    // exec probes look at the Pod's files: a change there is worth a probe at the next tick
    const fs = (this.cluster as Partial<NetCluster>).fs;
    if (fs) fs.onPodChange = (ns, name) => this.podFilesChanged(ns, name);
    this.unsubscribe?.();
    for (const p of this.store.iterate('Pod')) this.see(p);
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  snapshot(): KubeletState {
    return { timers: this.heap.sorted(), seq: this.seq, pins: this.pins, pulled: this.pulled, backoff: this.backoff, terminating: [...this.terminating].sort(), runs: this.runs, transitions: this.transitions, parked: [...this.parked].sort(cmp), runtimes: this.runtimes, runtimeTransitions: this.runtimeTransitions, runtimeSynced: this.runtimeSynced };
  }

  restore(data: unknown): void {
    const d = data as KubeletState | undefined;
    // a timer saved with a due time that is not a number (JSON writes NaN as null) fires at once
    const now = this.cluster.clock.now();
    const timers = structuredClone(d?.timers ?? []).map((t) => (Number.isFinite(t.due) ? t : { ...t, due: now }));
    this.heap = new TimerHeap(timers);
    this.seq = d?.seq ?? 0;
    this.pins = structuredClone(d?.pins ?? {});
    this.pulled = structuredClone(d?.pulled ?? {});
    this.backoff = structuredClone(d?.backoff ?? {});
    this.terminating = new Set(d?.terminating ?? []);
    this.runs = structuredClone(d?.runs ?? {});
    this.transitions = structuredClone(d?.transitions ?? {});
    this.parked = structuredClone(d?.parked ?? []);
    this.runtimes = structuredClone(d?.runtimes ?? {});
    this.runtimeTransitions = structuredClone(d?.runtimeTransitions ?? {});
    this.runtimeSynced = structuredClone(d?.runtimeSynced ?? {});
  }

  sizes(): Record<string, number> {
    return { timers: this.heap.items.length, parked: this.parked.length, runs: Object.keys(this.runs).length, pins: Object.keys(this.pins).length, backoff: Object.keys(this.backoff).length, terminating: this.terminating.size, fresh: this.fresh.size };
  }

  /** The next moment something is due (settleUntil stops there). */
  nextDue(): number | undefined {
    let next = this.heap.peek()?.due;
    const now = this.cluster.clock.now();
    for (const node of Object.keys(this.runtimes)) {
      const t = this.nextRuntimeSync(node, now);
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    for (const t of this.readyReverts(now)) if (t.at > now && (next === undefined || t.at < next)) next = t.at;
    return next;
  }

  // ---- the kubelet process on each node (systemctl stop|start kubelet) ------------------

  /** The node's kubelet process now. */
  run(node: string): KubeletRun {
    return this.runs[node] ?? {};
  }

  running(node: string): boolean {
    return this.runs[node]?.stoppedAt === undefined;
  }

  /**
   * The attached process of a container started with stdin (`kubectl run -i … -- CMD`) has
   * ended: what it printed is the container's log, and a container that is not restarted
   * (restartPolicy Never, or OnFailure after a success) ends with its code at the next relist.
   * Under Always the model keeps it running (its restarts are not simulated).
   */
  attachedEnded(namespace: string, name: string, container: string, output: OutputChunk[], exitCode: number): void {
    const pod = this.store.get('Pod', namespace, name);
    const st = pod ? this.statusOf(pod, container) : undefined;
    if (!pod || !st?.state?.running || pod.metadata.deletionTimestamp) return;
    this.logOutput(pod, container, output);
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) this.schedule(pod, 'exit', this.cluster.clock.now() + 1000, container, exitCode, st.containerID);
  }

  /** A container's output as the runtime's log file splits it: a line per newline, each stream on its own, a last line without its newline kept. */
  private logOutput(pod: Pod, container: string, output: OutputChunk[]): void {
    const logs = (this.cluster as Partial<NetCluster>).logs;
    const ns = pod.metadata.namespace ?? 'default';
    const partial: Record<string, string> = { stdout: '', stderr: '' };
    for (const chunk of output) {
      const lines = (partial[chunk.stream] + chunk.text).split('\n');
      partial[chunk.stream] = lines.pop() ?? '';
      for (const line of lines) logs?.append(ns, pod.metadata.name, container, line);
    }
    for (const rest of Object.values(partial)) if (rest) logs?.append(ns, pod.metadata.name, container, rest);
  }

  /** The unit's stops and starts since the node joined (the last MAX_TRANSITIONS). */
  history(node: string): readonly KubeletTransition[] {
    return this.transitions[node] ?? [];
  }

  private note(node: string, kind: KubeletTransition['kind'], at: number): void {
    const list = (this.transitions[node] ??= []);
    list.push({ at, kind });
    if (list.length > MAX_TRANSITIONS) list.splice(0, list.length - MAX_TRANSITIONS);
  }

  /** SIGTERM to the kubelet: false if it was not running. The containers it started keep running (containerd's shims). */
  stopProcess(node: string): boolean {
    if (!this.running(node)) {
      // a kubelet in its restart loop (containerd down) stops trying
      if (this.runs[node]?.failing !== undefined) this.runs[node] = { ...this.runs[node], failing: undefined };
      return false;
    }
    const now = this.cluster.clock.now();
    this.runs[node] = { ...this.runs[node], stoppedAt: now };
    this.note(node, 'stop', now);
    return true;
  }

  /**
   * The unit starts the kubelet again: false if it was running. With containerd down the
   * kubelet cannot start: its CRI client's validation fails ("failed to run Kubelet: validate
   * service connection: …") and the unit waits to be restarted (Restart=always, RestartSec=10);
   * it comes up once containerd does (`failing`).
   */
  startProcess(node: string): boolean {
    if (this.running(node)) return false;
    const now = this.cluster.clock.now();
    if (!this.runtimeUp(node)) {
      if (this.runs[node]?.failing === undefined) this.runs[node] = { ...this.runs[node], failing: now };
      return false;
    }
    this.runs[node] = { since: now };
    this.note(node, 'start', now);
    this.postNodeStatus(node, now);
    this.resume(node, now);
    this.cluster.reconcile();
    return true;
  }

  /** The kubelet acts on its node's Pods again: what came due meanwhile happens now, in its order, and every Pod bound there is looked at. */
  private resume(node: string, now: number): void {
    const back = this.parked.filter((t) => this.nodeOfTimer(t) === node);
    this.parked = this.parked.filter((t) => !back.includes(t));
    for (const t of back) this.heap.push({ ...t, due: Math.max(t.due, now) });
    for (const p of this.store.iterate('Pod')) {
      if (!isKind(p, 'Pod') || p.spec?.nodeName !== node) continue;
      this.see(p);
      if (!p.metadata.deletionTimestamp) this.regenerateReady(p, now);
    }
  }

  // ---- containerd on each node (systemctl stop|start containerd) -----------------------
  //
  // containerd going away leaves every container running: their containerd-shim-runc-v2
  // processes were reparented to init and hold them. What stops is everything that asks the
  // CRI: the kubelet's updateRuntimeUp (every 5 s, pkg/kubelet/kubelet.go) fails, so
  // runtimeState.runtimeErrors (pkg/kubelet/runtime.go) reports "container runtime is down"
  // once the last good sync is maxWaitForContainerRuntime (30 s) old, and the PLEG, whose
  // 1 s relist fails too, is "not healthy" once its last relist is 3 min old
  // (pkg/kubelet/pleg/generic.go Healthy: "pleg was last seen active %v ago; threshold is %v").
  // The node-status sync (every nodeStatusUpdateFrequency, 10 s) posts Ready=False,
  // KubeletNotReady, with those errors (nodestatus/setters.go ReadyCondition, aggregated by
  // utilerrors.NewAggregate: one error alone, several as "[a, b]"), again every sync while the
  // message changes. No Pod starts or stops there: the pod workers wait for a PLEG cache that
  // is never refreshed. Started again, the runtime answers the next sync: Ready=True.

  /** The node's containerd now. */
  runtimeRun(node: string): KubeletRun {
    return this.runtimes[node] ?? {};
  }

  runtimeUp(node: string): boolean {
    return this.runtimes[node]?.stoppedAt === undefined;
  }

  /** containerd's stops and starts since the node joined (the last MAX_TRANSITIONS). */
  runtimeHistory(node: string): readonly KubeletTransition[] {
    return this.runtimeTransitions[node] ?? [];
  }

  /** Whether the kubelet can act on the node's Pods: it runs and containerd answers. */
  private acting(node: string): boolean {
    return this.running(node) && this.runtimeUp(node);
  }

  /** SIGTERM to containerd: false if it was not running. Its shims, and the containers, keep running. */
  stopRuntime(node: string, leftover: number[] = []): boolean {
    if (!this.runtimeUp(node)) return false;
    const now = this.cluster.clock.now();
    this.runtimes[node] = { ...this.runtimes[node], stoppedAt: now };
    const list = (this.runtimeTransitions[node] ??= []);
    list.push({ at: now, kind: 'stop', leftover });
    if (list.length > MAX_TRANSITIONS) list.splice(0, list.length - MAX_TRANSITIONS);
    delete this.runtimeSynced[node];
    return true;
  }

  /** containerd starts again: false if it was running. A kubelet waiting for it starts too. */
  startRuntime(node: string, leftover: number[] = []): boolean {
    if (this.runtimeUp(node)) return false;
    const now = this.cluster.clock.now();
    this.runtimes[node] = { since: now };
    const list = (this.runtimeTransitions[node] ??= []);
    list.push({ at: now, kind: 'start', leftover });
    if (list.length > MAX_TRANSITIONS) list.splice(0, list.length - MAX_TRANSITIONS);
    delete this.runtimeSynced[node];
    if (this.runs[node]?.failing !== undefined) {
      this.startProcess(node);
      return true;
    }
    if (this.running(node)) {
      this.postRuntimeUp(node, now);
      this.resume(node, now);
    }
    this.cluster.reconcile();
    return true;
  }

  /** When the kubelet's clocks started on a node: its updateRuntimeUp, relist and node-status ticks count from there. */
  private kubeletBase(node: string): number {
    const since = this.runs[node]?.since;
    if (since !== undefined) return since;
    const t = Date.parse(String(this.store.get('Node', undefined, node)?.metadata.creationTimestamp ?? ''));
    return Number.isFinite(t) ? t : this.cluster.clock.now();
  }

  /** The node-status sync at or after t. */
  private statusTick(node: string, t: number): number {
    const base = this.kubeletBase(node);
    return base + Math.ceil((t - base) / NODE_STATUS_SYNC_MS) * NODE_STATUS_SYNC_MS;
  }

  /**
   * The kubelet's view of a containerd outage that began at `stoppedAt` (for the journal):
   * its clocks' base, the last runtime sync and relist that succeeded, and when
   * runtimeErrors starts to say "container runtime is down".
   */
  outage(node: string, stoppedAt: number): { base: number; lastSync: number; lastRelist: number; downAt: number } {
    const base = this.kubeletBase(node);
    const from = Math.max(base, stoppedAt);
    const lastSync = base + Math.floor((from - base) / RUNTIME_SYNC_MS) * RUNTIME_SYNC_MS;
    const lastRelist = base + Math.floor((from - base) / RELIST_MS) * RELIST_MS;
    return { base, lastSync, lastRelist, downAt: lastSync + RUNTIME_SYNC_THRESHOLD_MS };
  }

  /**
   * With containerd down and the kubelet up: the last runtime sync and relist that succeeded,
   * the sync that first finds the runtime down, and the first one that finds the PLEG unhealthy.
   */
  private runtimeFailure(node: string): { lastRelist: number; down: number; pleg: number } | undefined {
    const stopped = this.runtimes[node]?.stoppedAt;
    if (stopped === undefined || !this.running(node)) return undefined;
    const base = this.kubeletBase(node);
    const from = Math.max(base, stopped);
    const lastSync = base + Math.floor((from - base) / RUNTIME_SYNC_MS) * RUNTIME_SYNC_MS;
    const lastRelist = base + Math.floor((from - base) / RELIST_MS) * RELIST_MS;
    return { lastRelist, down: this.statusTick(node, lastSync + RUNTIME_SYNC_THRESHOLD_MS), pleg: this.statusTick(node, lastRelist + PLEG_RELIST_THRESHOLD_MS + 1) };
  }

  /** The next node-status sync that changes what the kubelet posts about its runtime. */
  private nextRuntimeSync(node: string, now: number): number | undefined {
    const f = this.runtimeFailure(node);
    if (!f) return undefined;
    const synced = this.runtimeSynced[node];
    const next = synced === undefined ? f.down : Math.max(f.pleg, synced + NODE_STATUS_SYNC_MS);
    return next > now ? next : this.statusTick(node, now + 1);
  }

  /** The node-status syncs due by now while the runtime is down: the transition, then (PLEG past its threshold) the latest message. */
  private syncRuntimeFailures(now: number): boolean {
    let wrote = false;
    for (const node of Object.keys(this.runtimes).sort()) {
      const f = this.runtimeFailure(node);
      if (!f || now < f.down) continue;
      const synced = this.runtimeSynced[node];
      if (synced === undefined) {
        this.postRuntimeDown(node, f.down, f.lastRelist, f.pleg);
        this.runtimeSynced[node] = f.down;
        wrote = true;
      }
      if (now >= f.pleg) {
        const last = this.statusTick(node, now - NODE_STATUS_SYNC_MS + 1);
        if (last > (this.runtimeSynced[node] ?? -Infinity)) {
          this.postRuntimeDown(node, last, f.lastRelist, f.pleg);
          this.runtimeSynced[node] = last;
          wrote = true;
        }
      }
    }
    return wrote;
  }

  /** tryUpdateNodeStatus with Ready=False for the runtime's errors; the event and every heartbeat at this sync. */
  private postRuntimeDown(name: string, at: number, lastRelist: number, pleg: number): void {
    const node = this.store.get('Node', undefined, name);
    if (!node) return;
    const errs = ['container runtime is down'];
    if (at >= pleg) errs.push(`PLEG is not healthy: pleg was last seen active ${goDuration((at - lastRelist) * 1e6 + seededNanos(this.cluster, `${name}/${at}`))} ago; threshold is 3m0s`);
    const message = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
    this.writeReady(name, node, at, 'False', 'KubeletNotReady', message, 'NodeNotReady');
  }

  /** The first sync after containerd answers again: Ready=True. */
  private postRuntimeUp(name: string, at: number): void {
    const node = this.store.get('Node', undefined, name);
    if (!node) return;
    this.writeReady(name, node, at, 'True', 'KubeletReady', 'kubelet is posting ready status', 'NodeReady');
  }

  private writeReady(name: string, node: Node, at: number, status: string, reason: string, message: string, event: string): void {
    const iso = this.cluster.clock.iso(at);
    type NodeCondition = { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string; lastTransitionTime?: string };
    const conds = (node.status?.conditions ?? []) as NodeCondition[];
    const ready = conds.find((c) => c.type === 'Ready');
    if (ready && ready.status === status && ready.message === message) return;
    if (ready?.status !== status) this.events.record(node, 'Normal', event, `Node ${name} status is now: ${event}`, { component: 'kubelet', host: name }, undefined, at);
    const conditions = conds.map((c) => {
      if (!KUBELET_NODE_CONDITIONS.includes(c.type)) return c;
      if (c.type !== 'Ready') return { ...c, lastHeartbeatTime: iso };
      return { lastHeartbeatTime: iso, lastTransitionTime: c.status === status ? c.lastTransitionTime : iso, message, reason, status, type: c.type };
    });
    this.cluster.api.updateStatus({ ...node, metadata: { ...node.metadata }, status: { ...node.status, conditions } });
  }

  /**
   * Pods on a node whose kubelet acts, marked not ready by someone else (the node lifecycle
   * controller's MarkPodsNotReady) while their containers are ready: the status manager's
   * syncBatch (every 10 s) finds the API's status differs from its own (needsReconcile) and
   * writes its Ready condition back.
   */
  private readyReverts(now: number): { pod: Pod; at: number }[] {
    const out: { pod: Pod; at: number }[] = [];
    for (const key of [...this.revertable].sort()) {
      const [, ns, name] = key.split('/');
      const pod = this.store.get('Pod', ns, name);
      if (!pod || !needsReadyRevert(pod) || this.pins[pod.metadata.uid]?.ready === false) {
        this.revertable.delete(key);
        continue;
      }
      // the status manager compares with the pod manager's copy, which a sync loop stalled by a
      // down runtime (or a stopped kubelet) does not update: nothing to revert until it runs again
      if (!this.acting(pod.spec.nodeName ?? '')) continue;
      const marked = Date.parse(String((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '')) || now;
      out.push({ pod, at: this.statusTick(pod.spec.nodeName ?? '', marked + 1) });
    }
    return out;
  }

  private nodeOfTimer(t: Timer): string | undefined {
    const [, ns, name] = t.key.split('/');
    return this.store.get('Pod', ns, name)?.spec?.nodeName;
  }

  /**
   * The kubelet's first status sync after it starts (kubelet_node_status.go
   * updateNodeStatus with the setters in pkg/kubelet/nodestatus/setters.go): each pressure
   * condition back to False and Ready to True, a transition time where the status changed,
   * and the events the setters record ("Node %s status is now: %s"), after "Starting
   * kubelet." and NodeAllocatableEnforced (kubelet.go initializeModules / cm's
   * "Updated Node Allocatable limit across pods").
   */
  private postNodeStatus(name: string, at: number): void {
    const node = this.store.get('Node', undefined, name);
    if (!node) return;
    const iso = this.cluster.clock.iso(at);
    const source = { component: 'kubelet', host: name };
    this.events.record(node, 'Normal', 'Starting', 'Starting kubelet.', source, undefined, at);
    this.events.record(node, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods', source, undefined, at);
    const want: Record<string, [string, string, string, string]> = {
      MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'NodeHasSufficientMemory'],
      DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'NodeHasNoDiskPressure'],
      PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'NodeHasSufficientPID'],
      Ready: ['True', 'KubeletReady', 'kubelet is posting ready status', 'NodeReady'],
    };
    type NodeCondition = { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string; lastTransitionTime?: string };
    const conditions = ((node.status?.conditions ?? []) as NodeCondition[]).map((c) => {
      const w = want[c.type];
      if (!w) return c;
      const changed = c.status !== w[0];
      if (changed) this.events.record(node, 'Normal', w[3], `Node ${name} status is now: ${w[3]}`, source, undefined, at);
      return { lastHeartbeatTime: iso, lastTransitionTime: changed ? iso : c.lastTransitionTime, message: w[2], reason: w[1], status: w[0], type: c.type };
    });
    this.cluster.api.updateStatus({ ...node, metadata: { ...node.metadata }, status: { ...node.status, conditions } });
  }

  /** The status manager's Ready condition from the containers' readiness (pkg/kubelet/status generate.go GeneratePodReadyCondition). */
  private regenerateReady(pod: Pod, at: number): void {
    const conds = pod.status?.conditions ?? [];
    const ready = conds.find((c) => c.type === 'Ready');
    const containersReady = conds.find((c) => c.type === 'ContainersReady');
    if (!ready || ready.status === 'True' || containersReady?.status !== 'True' || this.pins[pod.metadata.uid]?.ready === false) return;
    const conditions = setCondition(conds, { type: 'Ready', status: 'True' }, this.cluster.clock.iso(at));
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, conditions })));
  }

  private onChange(c: Change): void {
    if (c.object.kind === 'Node' && c.type === 'ADDED') {
      // a node joining starts the pods already bound to it
      for (const p of this.store.iterate('Pod')) if (p.spec?.nodeName === c.object.metadata.name && !p.status?.startTime) this.fresh.add(keyOf(p));
      return;
    }
    if (!isKind(c.object, 'Pod')) return;
    if (c.type === 'DELETED') {
      const uid = c.object.metadata.uid;
      delete this.pins[uid];
      delete this.backoff[uid];
      this.terminating.delete(uid);
      this.fresh.delete(keyOf(c.object));
      if (this.parked.length) this.parked = this.parked.filter((t) => t.uid !== uid);
      return;
    }
    // a container's image changed by an update (set image, patch, edit): the running ones restart
    if (c.old && isKind(c.old, 'Pod') && specImagesChanged(c.old, c.object) && c.object.status?.startTime) this.redefined.add(keyOf(c.object));
    this.see(c.object);
  }

  /** A pod the kubelet should act on now: bound but not started, or newly deleted. */
  private see(p: Pod): void {
    if (p.spec?.nodeName && needsReadyRevert(p)) this.revertable.add(keyOf(p));
    if (!p.spec?.nodeName) {
      this.capturePins(p);
      return;
    }
    if (!p.status?.startTime || (p.metadata.deletionTimestamp && !this.terminating.has(p.metadata.uid))) this.fresh.add(keyOf(p));
    else if (unstartedEphemeral(p).length > 0) this.ephemeral.add(keyOf(p));
    else if (imageChangedWhileWaiting(p)) this.respecs.add(keyOf(p));
  }

  /** The changed running containers the kubelet has not begun to kill yet. */
  private toRedefine(p: Pod): string[] {
    const b = this.backoff[p.metadata.uid];
    return imageChangedWhileRunning(p).filter((n) => b?.[`#kill:${n}`] === undefined);
  }

  private capturePins(p: Pod): void {
    const uid = p.metadata.uid;
    if (!uid || this.pins[uid] || p.status?.startTime) return;
    const st: PodStatus = p.status ?? {};
    const pin: Pin = {};
    if (typeof st.podIP === 'string' && st.podIP) pin.podIP = st.podIP;
    const ready = (st.conditions ?? []).find((c) => c?.type === 'Ready');
    // a scenario's manifest may say `status: true` (YAML boolean) as well as "True"
    const readyStatus: unknown = ready?.status;
    if (ready) pin.ready = readyStatus === 'True' || readyStatus === true;
    if (st.phase && st.phase !== 'Pending') pin.phase = st.phase;
    if (Object.keys(pin).length) this.pins[uid] = pin;
  }

  private schedule(pod: Pod, step: Step, due: number, container?: string, code?: number, cid?: string): void {
    // a due time that is not a number would never come (NaN compares false) and stall every timer behind it
    const at = Number.isFinite(due) ? due : this.cluster.clock.now();
    const t: Timer = { due: at, seq: ++this.seq, key: keyOf(pod), uid: pod.metadata.uid, step, container };
    if (code !== undefined) t.code = code;
    if (cid !== undefined) t.cid = cid;
    this.heap.push(t);
  }

  reconcile(): boolean {
    let wrote = false;
    if (this.fresh.size) {
      const keys = [...this.fresh].sort();
      this.fresh.clear();
      for (const k of keys) {
        const [, ns, name] = k.split('/');
        const pod = this.store.get('Pod', ns, name);
        if (!pod || !pod.spec?.nodeName) continue;
        // a stopped kubelet sees nothing (nor one whose containerd is down); start() looks at every pod bound there again
        if (!this.acting(pod.spec.nodeName)) continue;
        if (!this.node(pod)) {
          // no kubelet runs there: the pod stays Pending; if deleted, the pod GC removes
          // it at once (an orphaned pod has nobody to wait for)
          if (pod.metadata.deletionTimestamp) this.store.remove('Pod', ns, name);
          continue;
        }
        if (pod.metadata.deletionTimestamp && !this.terminating.has(pod.metadata.uid)) {
          this.beginTermination(pod);
        } else if (!pod.status?.startTime) {
          if (this.rejectedForHostPorts(pod)) {
            wrote = true;
            continue;
          }
          this.capturePins(pod);
          this.syncNew(pod);
          wrote = true;
        }
      }
    }
    const now = this.cluster.clock.now();
    if (this.ephemeral.size) {
      const keys = [...this.ephemeral].sort();
      this.ephemeral.clear();
      for (const k of keys) {
        const [, ns, name] = k.split('/');
        const pod = this.store.get('Pod', ns, name);
        if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running' || !this.acting(pod.spec.nodeName ?? '')) continue;
        this.startEphemeral(pod, now);
        wrote = true;
      }
    }
    if (this.respecs.size) {
      const keys = [...this.respecs].sort();
      this.respecs.clear();
      for (const k of keys) {
        const [, ns, name] = k.split('/');
        const pod = this.store.get('Pod', ns, name);
        if (!pod || pod.metadata.deletionTimestamp || !imageChangedWhileWaiting(pod)) continue;
        this.respec(pod, now);
        wrote = true;
      }
    }
    if (this.redefined.size) {
      const keys = [...this.redefined].sort();
      this.redefined.clear();
      for (const k of keys) {
        const [, ns, name] = k.split('/');
        const pod = this.store.get('Pod', ns, name);
        if (!pod || pod.metadata.deletionTimestamp || !this.running(pod.spec.nodeName ?? '')) continue;
        for (const c of this.toRedefine(pod)) this.killChanged(pod, now, c);
        wrote = true;
      }
    }
    for (let t = this.heap.peek(); t && t.due <= now; t = this.heap.peek()) {
      this.heap.pop();
      const [, ns, name] = t.key.split('/');
      const pod = this.store.get('Pod', ns, name);
      if (!pod || pod.metadata.uid !== t.uid) continue;
      if (pod.metadata.deletionTimestamp && t.step !== 'terminate') continue;
      // a pull timer of an image spec the pod no longer has
      if ((t.step === 'pullfail' || t.step === 'backoff' || t.step === 'invalidimage' || t.step === 'start') && t.code !== undefined && t.code !== this.generation(pod)) continue;
      // a probe or script timer of a container instance that has gone (killed, restarted)
      if (t.cid !== undefined && (pod.status?.containerStatuses ?? []).find((s) => s.name === t.container)?.containerID !== t.cid) continue;
      if (pod.spec?.nodeName && !this.acting(pod.spec.nodeName)) {
        this.parked.push(t);
        continue;
      }
      this.fire(pod, t);
      wrote = true;
    }
    if (Object.keys(this.runtimes).length && this.syncRuntimeFailures(now)) wrote = true;
    if (this.revertable.size) {
      for (const { pod, at } of this.readyReverts(now)) {
        if (at > now) continue;
        this.revertable.delete(keyOf(pod));
        this.regenerateReady(pod, at);
        wrote = true;
      }
    }
    return wrote;
  }

  /** The node the pod is bound to (callers have checked spec.nodeName). */
  private node(pod: Pod): Node | undefined {
    return this.store.get('Node', undefined, pod.spec.nodeName ?? '');
  }

  private nodeIP(node: Node | undefined): string {
    return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  /**
   * The kubelet's admission, NodePorts part (pkg/kubelet/lifecycle/predicate.go generalFilter
   * → PredicateFailureError "Predicate NodePorts failed: <reason>"; kubelet.go rejectPod): a
   * pod bound here whose host ports clash with an admitted pod's is failed at once, with the
   * event and "Pod was rejected: …". The scheduler never binds such a pod; one with
   * spec.nodeName set by hand reaches the kubelet directly.
   */
  private rejectedForHostPorts(pod: Pod): boolean {
    const wanted = hostPortsOf(pod);
    if (!wanted.length) return false;
    const node = pod.spec.nodeName;
    const clash = [...this.store.iterate('Pod')].some((o) => o !== pod && o.spec?.nodeName === node && !!o.status?.startTime
      && o.status?.phase !== 'Failed' && o.status?.phase !== 'Succeeded' && o.metadata.uid !== pod.metadata.uid && hostPortsConflict(wanted, hostPortsOf(o)));
    if (!clash) return false;
    const now = this.cluster.clock.now();
    const message = `Predicate NodePorts failed: ${NODE_PORTS_REASON}`;
    this.event(pod, 'Warning', 'NodePorts', message, undefined, now);
    const status: PodStatus = { message: `Pod was rejected: ${message}`, phase: 'Failed', qosClass: pod.status?.qosClass ?? 'BestEffort', reason: 'NodePorts', startTime: this.cluster.clock.iso(now) };
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, status)));
    return true;
  }

  /** First sync of a bound pod: Pending, ContainerCreating, pulls scheduled. */
  private syncNew(pod: Pod): void {
    const now = this.cluster.clock.now();
    const iso = this.cluster.clock.iso(now);
    const node = this.node(pod);
    const hostIP = this.nodeIP(node);
    const containers: Container[] = pod.spec.containers ?? [];
    const pin = this.pins[pod.metadata.uid];
    let conditions = (pod.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled');
    if (!conditions.length) conditions = [{ lastProbeTime: null, lastTransitionTime: iso, status: 'True', type: 'PodScheduled' }];
    const notReady = `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`;
    const status: PodStatus = {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: iso, status: 'False', type: 'PodReadyToStartContainers' },
        { lastProbeTime: null, lastTransitionTime: iso, status: 'True', type: 'Initialized' },
        { lastProbeTime: null, lastTransitionTime: iso, message: notReady, reason: 'ContainersNotReady', status: 'False', type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: iso, message: notReady, reason: 'ContainersNotReady', status: 'False', type: 'ContainersReady' },
        ...conditions,
      ],
      containerStatuses: containers.map((c): ContainerStatus => ({
        // the image as the pod spec names it (validation requires one)
        image: c.image ?? '',
        imageID: '',
        lastState: {},
        name: c.name,
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
      hostIP,
      hostIPs: hostIP ? this.nodeIPs(node).map((ip) => ({ ip })) : undefined,
      phase: 'Pending',
      qosClass: pod.status?.qosClass ?? 'BestEffort',
      startTime: pod.status?.startTime ?? iso,
    };
    if (!hostIP) {
      delete status.hostIP;
      delete status.hostIPs;
    }
    if (!pod.spec.hostNetwork && !pin?.podIP && !pod.status?.podIP) {
      // RunPodSandbox: the CNI plugin's IPAM hands the sandbox its address first
      const ip = this.podIPFor(pod);
      if (ip) {
        status.podIP = ip;
        status.podIPs = this.podIPsFor(pod, ip);
      } else {
        this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, status)));
        this.sandboxFailed(pod, now);
        return;
      }
    }
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, status)));
    if (pin?.phase === 'Running' || pin?.podIP) {
      // a pinned running pod is up as soon as it is bound
      this.schedule(pod, 'start', now);
      return;
    }
    if (containers.some((c) => imageReferenceError(String(c.image ?? '')))) {
      // the sandbox comes up, then EnsureImageExists cannot even parse the reference
      this.schedule(pod, 'invalidimage', now + 1000, undefined, this.generation(pod));
      return;
    }
    this.pullAndStart(pod, now);
  }

  /** EnsureImageExists for every container: `Pulling` where the node lacks the image; the slowest pull decides when the containers start (or fail). */
  private pullAndStart(pod: Pod, now: number): void {
    const nodeName = pod.spec.nodeName ?? '';
    const have = new Set(this.pulled[nodeName] ?? []);
    let delay = 1000;
    let fails = false;
    for (const c of pod.spec.containers ?? []) {
      const pr = pullImage(String(c.image ?? ''));
      if (!pr.ok) fails = true;
      const need = c.imagePullPolicy === 'Always' || !have.has(parseImage(String(c.image ?? '')).full);
      if (need) {
        delay = Math.max(delay, pullSeconds(String(c.image ?? '')) * 1000 + 500);
        this.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name, now);
      }
    }
    this.schedule(pod, fails ? 'pullfail' : 'start', now + delay, undefined, this.generation(pod));
  }

  /** Which spec of the pod's images the pull timers belong to: a new image (kubectl set image) starts a new generation and a fresh back-off. */
  private generation(pod: Pod): number {
    return this.backoff[pod.metadata.uid]?.['#gen'] ?? 0;
  }

  /**
   * A waiting container's image was changed (kubectl set image, edit): the pod worker syncs
   * the pod again at once. The back-off is keyed by pod and image (image_manager.go
   * backOffKey `<uid>_<image>`), so the new image is pulled now, whatever the old one's wait.
   */
  private respec(pod: Pod, at: number): void {
    const b = (this.backoff[pod.metadata.uid] ??= {});
    b['#gen'] = (b['#gen'] ?? 0) + 1;
    delete b['#pull'];
    delete b['#image'];
    b['#pullStart'] = at;
    const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
      const c = pod.spec.containers.find((x) => x.name === s.name);
      return c && s.image !== c.image ? { ...s, image: c.image ?? '' } : s;
    });
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, containerStatuses: statuses })));
    const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
    if (cur.spec.containers.some((c) => imageReferenceError(String(c.image ?? '')))) this.schedule(cur, 'invalidimage', at, undefined, b['#gen']);
    else this.pullAndStart(cur, at);
  }

  /**
   * The sandbox's network could not be set up because the node's Pod range is used up:
   * containerd's RunPodSandbox error carrying the CNI plugin's (host-local IPAM, as the
   * flannel and bridge chains delegate to it: plugins/ipam/host-local allocator.go "no IP
   * addresses available in range set", wrapped "failed to allocate for range 0"). The pod
   * stays ContainerCreating; the pod worker tries again after its back-off (10 s).
   */
  private sandboxFailed(pod: Pod, at: number): void {
    const cidr = this.node(pod)?.spec?.podCIDR ?? '';
    const c = parseCidr(cidr);
    const set = c ? `${formatIPv4(c.network + 1)}-${formatIPv4(broadcast(c) - 1)}` : cidr;
    const plugin = this.cluster.settings.cni;
    const delegate = plugin === 'flannel' ? 'failed to delegate add: ' : '';
    const sandbox = sha256(`${pod.metadata.uid}/${at}`);
    this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="${plugin}" failed (add): ${delegate}failed to allocate for range 0: no IP addresses available in range set: ${set}`, undefined, at);
    this.schedule(pod, 'sandbox', at + 10_000);
  }

  /** The pod worker's retry after a failed sandbox: sync the pod afresh. */
  private retrySandbox(pod: Pod): void {
    if (pod.status?.podIP || pod.metadata.deletionTimestamp) return;
    this.syncNew(pod);
  }

  private fire(pod: Pod, t: Timer): void {
    switch (t.step) {
      case 'start':
        return this.start(pod, t.due);
      case 'ready':
        return this.markReady(pod, t.due, t.container);
      case 'pullfail':
        return this.pullFailed(pod, t.due);
      case 'backoff':
        return this.pullBackOff(pod, t.due);
      case 'exit':
        return this.exited(pod, t.due, t.container!, t.code);
      case 'restart':
        return this.restart(pod, t.due, t.container!);
      case 'terminate':
        this.store.remove('Pod', pod.metadata.namespace, pod.metadata.name);
        return;
      case 'probe':
        return this.readinessTick(pod, t.due, t.container!, t.code ?? 0);
      case 'liveness':
        return this.livenessTick(pod, t.due, t.container!, t.code ?? 0);
      case 'startup':
        return this.startupTick(pod, t.due, t.container!, t.code ?? 0);
      case 'killed':
        return this.killedByProbe(pod, t.due, t.container!, t.code ?? 0);
      case 'script':
        return this.runScript(pod, t.due, t.container!, t.code ?? 0);
      case 'invalidimage':
        return this.invalidImage(pod, t.due);
      case 'sandbox':
        return this.retrySandbox(pod);
      case 'redefine':
        return this.redefine(pod, t.due, t.container!);
    }
  }

  /**
   * A running container's definition changed (kuberuntime_manager.go computePodActions:
   * "Container %s definition changed", restarted whatever the restart policy, ", will be
   * restarted"): killContainer records `Killing` with that message and stops it with the
   * Pod's grace period — nginx exits at once on SIGTERM, a `sleep` PID 1 only at the SIGKILL.
   */
  private killChanged(pod: Pod, at: number, name: string): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    if (!c) return;
    const b = (this.backoff[pod.metadata.uid] ??= {});
    b[`#kill:${name}`] = at;
    this.event(pod, 'Normal', 'Killing', `Container ${name} definition changed, will be restarted`, name, at);
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    this.schedule(pod, 'redefine', at + (ignoresSigterm(c) ? grace * 1000 : 1), name);
  }

  /**
   * The changed container has stopped; the same sync starts it again from the new image:
   * EnsureImageExists (`Pulling` where the node lacks it), then `Created`/`Started` with the
   * restart count one higher (restart() below). The back-off is keyed by the container's
   * spec hash, so the new definition starts without the old one's crash back-off. The pod
   * worker is busy in this one SyncPod from the kill to the start, so the API status moves
   * only when it is done (the next sync's status): Running with the new container.
   */
  private redefine(pod: Pod, at: number, name: string): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    if (!c) return;
    const b = (this.backoff[pod.metadata.uid] ??= {});
    delete b[name];
    b[`#killed:${name}`] = at;
    const image = String(c.image ?? '');
    const have = new Set(this.pulled[pod.spec.nodeName ?? ''] ?? []);
    const pr = pullImage(image);
    const need = c.imagePullPolicy === 'Always' || !have.has(parseImage(image).full) || !pr.ok;
    if (need) {
      this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, name, at);
      b[`#pullStart:${name}`] = at;
    }
    if (!pr.ok) {
      // the pull fails: the old container is gone, the new one waits in ErrImagePull (pullFailed)
      const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => (s.name === name ? { ...s, image, lastState: { terminated: this.killedState(s, c, at) }, ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } } : s));
      for (const k of [`#kill:${name}`, `#killed:${name}`, `#pullStart:${name}`]) delete b[k];
      this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, containerStatuses: statuses })));
      const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
      this.schedule(cur, 'pullfail', at + pullSeconds(image) * 1000 + 500, undefined, this.generation(cur));
      return;
    }
    this.schedule(pod, 'restart', at + (need ? pullSeconds(image) * 1000 + 500 : 1), name);
  }

  /** How a container killed for its new definition ended: nginx's fast shutdown exits 0, a PID 1 that ignores SIGTERM dies of the SIGKILL (137). */
  private killedState(s: ContainerStatus, c: Container, at: number): NonNullable<NonNullable<ContainerStatus['state']>['terminated']> {
    const exitCode = ignoresSigterm(c) ? 137 : 0;
    const iso = this.cluster.clock.iso(at);
    return { containerID: s.containerID, exitCode, finishedAt: iso, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: s.state?.running?.startedAt ?? iso };
  }

  /**
   * A container whose image is no reference at all (pkg/kubelet/images image_manager.go
   * EnsureImageExists): `InspectFailed` with applyDefaultImageTag's message, `Failed` with
   * `Error: InvalidImageName`, and the container waiting with that reason. No pull is
   * tried; the pod worker syncs the pod again later (here after 10 s, doubling to 5 min).
   */
  private invalidImage(pod: Pod, at: number): void {
    if (!pod.spec.containers.some((c) => imageReferenceError(String(c.image ?? '')))) return;
    const podIP = this.podIPFor(pod);
    const cur: PodStatus = pod.status ?? {};
    const statuses = (cur.containerStatuses ?? []).map((s): ContainerStatus => {
      const c = pod.spec.containers.find((x) => x.name === s.name);
      const bad = c ? imageReferenceError(String(c.image ?? '')) : undefined;
      if (!c || !bad) return s;
      const message = `Failed to apply default image tag ${JSON.stringify(c.image)}: couldn't parse image name ${JSON.stringify(c.image)}: ${bad}`;
      this.event(pod, 'Warning', 'InspectFailed', message, c.name, at);
      this.event(pod, 'Warning', 'Failed', 'Error: InvalidImageName', c.name, at);
      return { ...s, state: { waiting: { message, reason: 'InvalidImageName' } } };
    });
    this.writeWaiting(pod, statuses, podIP, at);
    const b = (this.backoff[pod.metadata.uid] ??= {});
    const n = (b['#image'] = (b['#image'] ?? 0) + 1);
    this.schedule(pod, 'invalidimage', at + Math.min(300, 10 * 2 ** (n - 1)) * 1000, undefined, this.generation(pod));
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container: string | undefined, at: number): void {
    const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
    this.events.record(cur, type, reason, message, { component: 'kubelet', host: pod.spec.nodeName }, container ? `spec.containers{${container}}` : undefined, at);
  }

  private containerID(): string {
    return `containerd://${this.cluster.rng.hex(64)}`;
  }

  /** The node's InternalIPs, one per family on a dual-stack node (the pod's status.hostIPs). */
  private nodeIPs(node: Node | undefined): string[] {
    return (node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
  }

  /**
   * status.podIPs: the primary address first, then on a dual-stack node the IPv6 one the
   * CNI's second IPAM range handed out (host-network pods take the node's).
   */
  private podIPsFor(pod: Pod, primary: string): PodIP[] {
    const had = pod.status?.podIPs;
    if (had?.length && had[0]?.ip === primary) return had;
    const node = this.node(pod);
    const cidr6 = (node?.spec?.podCIDRs ?? [])[1];
    if (!cidr6) return [{ ip: primary }];
    const pinned = (pod.status?.podIPs ?? []).find((p) => p.ip?.includes(':'))?.ip;
    const v6 = pod.spec.hostNetwork ? this.nodeIPs(node)[1] : pinned ?? this.ipam.allocatePodIPv6(pod.spec.nodeName ?? '', cidr6);
    return v6 ? [{ ip: primary }, { ip: v6 }] : [{ ip: primary }];
  }

  private podIPFor(pod: Pod): string | undefined {
    if (pod.status?.podIP) return pod.status.podIP;
    const pin = this.pins[pod.metadata.uid];
    if (pin?.podIP) return pin.podIP;
    const node = this.node(pod);
    if (pod.spec.hostNetwork) return this.nodeIP(node);
    // the plugin's own IPAM (calico-ipam's blocks) where it has one, else host-local from spec.podCIDR
    const own = cniPlugin(this.cluster.settings).allocatePodIP?.(this.cluster, pod);
    if (own) return own.ip;
    const cidr = node?.spec?.podCIDR;
    if (!cidr) return undefined;
    return this.ipam.allocatePodIP(pod.spec.nodeName ?? '', cidr);
  }

  private start(pod: Pod, at: number): void {
    const iso = this.cluster.clock.iso(at);
    const nodeName = pod.spec.nodeName ?? '';
    const pulled = new Set(this.pulled[nodeName] ?? []);
    const containers: Container[] = pod.spec.containers ?? [];
    const podIP = this.podIPFor(pod);
    const pin = this.pins[pod.metadata.uid];
    // the pulls began with the pod's first sync, or when its image was last changed
    const began = this.backoff[pod.metadata.uid]?.['#pullStart'] ?? Date.parse(pod.status?.startTime ?? this.cluster.clock.iso(at));
    // init containers run to completion first, in order (an injected Pod's istio-init); they exit 0
    // a millisecond apart, so their events keep their order
    const initAt = at - 3;
    const initStatuses = (pod.spec.initContainers ?? []).map((c): ContainerStatus => {
      const pr = pullImage(String(c.image ?? ''));
      const ref = parseImage(String(c.image ?? ''));
      if (c.imagePullPolicy === 'Always' || !pulled.has(ref.full)) {
        const secs = ((at - began) / 1000).toFixed(3).replace(/\.?0+$/, '');
        const size = imageSize(ref.full);
        this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`, c.name, initAt);
      } else {
        this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name, initAt);
      }
      this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name, initAt + 1);
      this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name, initAt + 2);
      pulled.add(ref.full);
      const containerID = this.containerID();
      return { containerID, image: ref.full, imageID: pr.ok ? pr.imageID : '', lastState: {}, name: c.name, ready: true, restartCount: 0, started: false, state: { terminated: { containerID, exitCode: 0, finishedAt: iso, reason: 'Completed', startedAt: iso } } };
    });
    const statuses = containers.map((c): ContainerStatus => {
      const pr = pullImage(String(c.image ?? ''));
      const ref = parseImage(String(c.image ?? ''));
      if (c.imagePullPolicy === 'Always' || !pulled.has(ref.full)) {
        const secs = ((at - began) / 1000).toFixed(3).replace(/\.?0+$/, '');
        const size = imageSize(ref.full);
        this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`, c.name, at);
      } else {
        this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name, at);
      }
      this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name, at);
      this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name, at);
      pulled.add(ref.full);
      const prev: Partial<ContainerStatus> = (pod.status?.containerStatuses ?? []).find((s) => s.name === c.name) ?? {};
      return {
        containerID: this.containerID(),
        image: ref.full,
        imageID: pr.ok ? pr.imageID : '',
        lastState: prev.lastState ?? {},
        name: c.name,
        ready: false,
        // kuberuntime_container.go startContainer: one more than the last dead instance's (a container killed for a new image that then failed to pull)
        restartCount: (prev.restartCount ?? 0) + (prev.state?.waiting && prev.lastState?.terminated ? 1 : 0),
        // status manager: started once the startup probe has passed (at once without one)
        started: !c.startupProbe,
        state: { running: { startedAt: iso } },
      };
    });
    this.pulled[nodeName] = [...pulled].sort();
    const conditions = setCondition(pod.status?.conditions, { type: 'PodReadyToStartContainers', status: 'True' }, iso);
    const status: PodStatus = { ...pod.status, conditions, containerStatuses: statuses, phase: 'Running' };
    if (initStatuses.length) status.initContainerStatuses = initStatuses;
    if (podIP) {
      status.podIP = podIP;
      status.podIPs = this.podIPsFor(pod, podIP);
    }
    // the servers all start now, in spec order, in one network namespace: a second one on a taken port cannot bind
    const servers: BindAttempt[] = [];
    containers.forEach((c, order) => {
      if (runsForever(c)) servers.push({ name: c.name, spec: c, startedAt: at, order });
    });
    const failed = pod.spec.hostNetwork ? new Map() : bindFailures(servers);
    // readiness per container: ready at once, after the probe's delay, or never
    const immediate: string[] = [];
    const probed: Container[] = [];
    const oneShot: Container[] = [];
    for (const c of containers) {
      if (!runsForever(c)) {
        oneShot.push(c);
        continue;
      }
      if (failed.has(c.name)) {
        this.schedule(pod, 'exit', at + bindGiveUpMs(c), c.name, 1);
        continue;
      }
      // CoreDNS refusing its Corefile: mustLogFatal, exit 1 (dns/corefile.ts corednsStartError)
      if (corednsStartError(this.cluster, pod.metadata.namespace ?? '', String(c.image ?? ''), at) !== undefined) {
        this.schedule(pod, 'exit', at + 1000, c.name, 1);
        continue;
      }
      // the script's first steps (up to its first sleep) have run when the probes first look
      this.scriptFrom(pod, c, at, 0, undefined);
      probed.push(c);
      if (this.readyAtOnce(pod, c, at, false)) immediate.push(c.name);
    }
    let next = orderStatus(status);
    if (pin?.ready === true) next = this.readiness(next, at, containers.map((c) => c.name), true);
    else if (pin?.ready !== false && immediate.length) next = this.readiness(next, at, immediate, false);
    // one write: running, with whatever is ready already
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, next)));
    const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!cur) return;
    for (const c of probed) {
      const cid = (cur.status?.containerStatuses ?? []).find((s) => s.name === c.name)?.containerID;
      this.scriptResume(cur, c, at, cid);
      this.scheduleProbes(cur, c, at);
    }
    for (const c of oneShot) this.runOnce(cur, c, at);
  }

  /**
   * A container whose process does one thing and exits (`echo`, `cat /etc/hosts`, `wget
   * --spider …`, a `sh -c` script without a server or a sleep): its command runs now, in the
   * running container, through the engine's userland as `kubectl exec` runs it (the composition
   * root's `processes`), on the virtual clock stopped at its start — what it waits for (a
   * connect timeout) is added to its run. What it writes on stdout and stderr is the
   * container's log, line by line as the runtime's log file splits it (a last line without
   * its newline kept as a line); its exit code is the container's, seen at the next relist
   * (1 s, the PLEG's period). Without a runner (a kubelet built alone) the code is read from
   * the command line (exitCodeOf) and nothing is printed.
   */
  private runOnce(pod: Pod, c: Container, at: number): void {
    const argv = [...(c.command ?? []), ...(c.args ?? [])].map(String);
    const cid = this.statusOf(pod, c.name)?.containerID;
    if (!argv.length || !this.processes) {
      this.schedule(pod, 'exit', at + 1000, c.name, undefined, cid);
      return;
    }
    const host = { kind: 'pod' as const, namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c.name };
    const r = this.processes.run(host, argv);
    this.logOutput(pod, c.name, r.output);
    this.schedule(pod, 'exit', at + Math.max(0, Math.round(r.elapsedMs)) + 1000, c.name, r.exitCode, cid);
  }

  /**
   * Ephemeral containers (kubectl debug) start in the running Pod's namespaces, one status
   * each in status.ephemeralContainerStatuses (never ready, never restarted); one whose
   * process has nothing to do (a shell without stdin) exits at once.
   */
  private startEphemeral(pod: Pod, at: number): void {
    const iso = this.cluster.clock.iso(at);
    const nodeName = pod.spec.nodeName ?? '';
    const pulled = new Set(this.pulled[nodeName] ?? []);
    const statuses: ContainerStatus[] = [...(pod.status?.ephemeralContainerStatuses ?? [])];
    for (const ec of unstartedEphemeral(pod)) {
      const c = ec as Container;
      const ref = parseImage(String(c.image ?? ''));
      const pr = pullImage(String(c.image ?? ''));
      const fieldPath = `spec.ephemeralContainers{${c.name}}`;
      const source = { component: 'kubelet', host: nodeName };
      if (c.imagePullPolicy === 'Always' || !pulled.has(ref.full)) {
        const size = imageSize(ref.full);
        this.events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, source, fieldPath, at);
        this.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.2s (1.2s including waiting). Image size: ${size} bytes.`, source, fieldPath, at);
      } else {
        this.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, source, fieldPath, at);
      }
      this.events.record(pod, 'Normal', 'Created', `Created container ${c.name}`, source, fieldPath, at);
      this.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, source, fieldPath, at);
      pulled.add(ref.full);
      const containerID = this.containerID();
      const state: ContainerStatus['state'] = runsForever(c)
        ? { running: { startedAt: iso } }
        : { terminated: { containerID, exitCode: exitCodeOf(c), finishedAt: iso, reason: exitCodeOf(c) === 0 ? 'Completed' : 'Error', startedAt: iso } };
      statuses.push({ containerID, image: ref.full, imageID: pr.ok ? pr.imageID : '', lastState: {}, name: c.name, ready: false, restartCount: 0, state });
    }
    this.pulled[nodeName] = [...pulled].sort();
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, ephemeralContainerStatuses: statuses })));
  }

  /** The status with `names` ready; the pod is Ready when every container is. */
  private readiness(status: PodStatus, at: number, names: string[], force: boolean): PodStatus {
    const iso = this.cluster.clock.iso(at);
    const statuses = (status.containerStatuses ?? []).map((s) => (names.includes(s.name) && s.state?.running ? { ...s, ready: true } : s));
    const allReady = force || statuses.every((s) => s.ready);
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    let conditions = status.conditions;
    if (allReady) {
      conditions = setCondition(conditions, { type: 'Ready', status: 'True' }, iso);
      conditions = setCondition(conditions, { type: 'ContainersReady', status: 'True' }, iso);
      if (force) for (const s of statuses) s.ready = !!s.state?.running;
    } else {
      const msg = `containers with unready status: [${unready.join(' ')}]`;
      conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: msg }, iso);
      conditions = setCondition(conditions, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msg }, iso);
    }
    return { ...status, conditions, containerStatuses: statuses };
  }

  /** Marks `names` ready (a probe passed) and writes the pod. */
  private applyReadiness(pod: Pod, at: number, names: string[], force: boolean): void {
    // a started pod has a status
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, this.readiness(pod.status ?? {}, at, names, force))));
  }

  /** A probe's outcome now; an exec probe this model cannot run passes unless it plainly cannot (`false`, `exit 1`). */
  private outcome(probe: Probe, pod: Pod, c: Container, at: number): ProbeOutcome {
    const o = probeOutcome(this.cluster, probe, pod, c, at);
    if (o.fail === undefined && o.unknown && probeAlwaysFails(probe)) return { fail: '' };
    return o;
  }

  /** Ready as soon as it runs: no readiness probe, or one with no delay that passes now (never before the startup probe passed, unless `started`). */
  private readyAtOnce(pod: Pod, c: Container, at: number, started: boolean): boolean {
    if (c.startupProbe && !started) return false;
    const probe = c.readinessProbe;
    if (!probe) return true;
    const t = probeTiming(probe);
    if (t.initialDelaySeconds > 0 || t.successThreshold > 1) return false;
    return this.outcome(probe, pod, c, at).fail === undefined;
  }

  /**
   * The probe worker's ticks (pkg/kubelet/prober/worker.go): each worker starts with the Pod
   * (probe manager AddPod) and ticks every periodSeconds from then on, whatever the
   * container does; a tick inside initialDelaySeconds of the container's start does nothing.
   * The first tick at or after `from`. (The worker's random start delay applies only in the
   * first period after the kubelet itself started, and is left out.)
   */
  private probeTick(pod: Pod, probe: Probe, from: number): number {
    const phase = Date.parse(pod.status?.startTime ?? '');
    if (!Number.isFinite(phase) || from <= phase) return from;
    const period = probeTiming(probe).periodSeconds * 1000;
    return phase + Math.ceil((from - phase) / period) * period;
  }

  private statusOf(pod: Pod, name: string): ContainerStatus | undefined {
    return (pod.status?.containerStatuses ?? []).find((s) => s.name === name);
  }

  /** Whether a probe timer of these kinds is pending for the container's current instance (or it is being killed: the worker is on hold). */
  private armed(pod: Pod, name: string, steps: Step[]): boolean {
    const cid = this.statusOf(pod, name)?.containerID;
    return this.heap.items.some((t) => t.uid === pod.metadata.uid && t.container === name && (t.cid === undefined || t.cid === cid) && (steps.includes(t.step) || t.step === 'killed'));
  }

  /**
   * Schedules a probe tick for the container's current instance unless one is pending. Only a
   * container with an exec probe can have one armed already (by its files changing), so only
   * then is the heap looked through.
   */
  private arm(pod: Pod, name: string, step: Step, due: number, code: number): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    const exec = !!(c?.readinessProbe?.exec || c?.livenessProbe?.exec || c?.startupProbe?.exec);
    if ((exec || step === 'killed') && this.armed(pod, name, step === 'probe' ? ['probe', 'ready'] : [step])) return;
    this.schedule(pod, step, due, name, code, this.statusOf(pod, name)?.containerID);
  }

  /** A container has just started (or restarted; `startedAt` when that was before `at`): its probe workers' next ticks. */
  private scheduleProbes(pod: Pod, c: Container, at: number, startedAt = at): void {
    const st = this.statusOf(pod, c.name);
    if (!st?.state?.running) return;
    if (c.startupProbe && !st.started) {
      const t = probeTiming(c.startupProbe);
      this.arm(pod, c.name, 'startup', this.probeTick(pod, c.startupProbe, at + t.initialDelaySeconds * 1000), 0);
      return;
    }
    const started = startedAt;
    const live = c.livenessProbe;
    if (live) {
      const from = Math.max(at, started + probeTiming(live).initialDelaySeconds * 1000);
      const o = this.outcome(live, pod, c, at);
      if (o.fail !== undefined) this.arm(pod, c.name, 'liveness', this.probeTick(pod, live, Math.max(from, at + 1)), 0);
      else if (o.changesAt !== undefined) this.arm(pod, c.name, 'liveness', this.probeTick(pod, live, Math.max(from, o.changesAt)), 0);
    }
    const probe = c.readinessProbe;
    if (!probe || st.ready) {
      if (probe && st.ready) {
        const o = this.outcome(probe, pod, c, at);
        if (o.changesAt !== undefined) this.arm(pod, c.name, 'probe', this.probeTick(pod, probe, o.changesAt), -1);
      }
      return;
    }
    const t = probeTiming(probe);
    const from = Math.max(at, started + t.initialDelaySeconds * 1000);
    if (this.outcome(probe, pod, c, at).fail !== undefined) {
      this.arm(pod, c.name, 'probe', this.probeTick(pod, probe, Math.max(from, at + 1)), 0);
      return;
    }
    // passing: ready after the delay and successThreshold periods (markReady probes once more then)
    const delay = (t.initialDelaySeconds + t.periodSeconds * (t.successThreshold - 1)) * 1000;
    if (!probe.exec || !this.armed(pod, c.name, ['probe', 'ready'])) this.schedule(pod, 'ready', Math.max(at, started + delay), c.name, undefined, st.containerID);
  }

  private markReady(pod: Pod, at: number, container?: string): void {
    const pin = this.pins[pod.metadata.uid];
    if (pin?.ready === false) return;
    const c = container ? pod.spec.containers.find((x) => x.name === container) : undefined;
    if (c?.readinessProbe) return this.readinessTick(pod, at, c.name, -(probeTiming(c.readinessProbe).successThreshold - 1));
    this.applyReadiness(pod, at, container ? [container] : [], false);
  }

  // ---- the container's own script ---------------------------------------------------------

  /** The container's script from step `from`: the steps up to its next sleep now; with `cid`, the rest when that sleep is over. */
  private scriptFrom(pod: Pod, c: Container, at: number, from: number, cid: string | undefined): void {
    const steps = scriptSteps(c);
    for (let i = from; i < steps.length; i++) {
      const step = steps[i];
      if ('sleep' in step) {
        if (cid !== undefined && i + 1 < steps.length) this.schedule(pod, 'script', at + step.sleep * 1000, c.name, i + 1, cid);
        return;
      }
      applyStep(this.cluster, pod, c, step);
    }
  }

  /** After start(): the script's first sleep (its steps before it have run) and the rest after it. */
  private scriptResume(pod: Pod, c: Container, at: number, cid: string | undefined): void {
    const steps = scriptSteps(c);
    const i = steps.findIndex((x) => 'sleep' in x);
    if (i < 0 || cid === undefined) return;
    const step = steps[i];
    if ('sleep' in step && i + 1 < steps.length) this.schedule(pod, 'script', at + step.sleep * 1000, c.name, i + 1, cid);
  }

  /** A script timer: the container slept; its next steps run now. */
  private runScript(pod: Pod, at: number, name: string, from: number): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    const st = this.statusOf(pod, name);
    if (!c || !st?.state?.running) return;
    this.scriptFrom(pod, c, at, from, st.containerID);
  }

  /**
   * A file in the Pod changed (its script, a learner's `kubectl exec … rm`): its exec probes,
   * and its httpGet probes to its own address (a static server such as nginx answers from its
   * docroot), run again at their workers' next ticks, where none is pending already.
   */
  private podFilesChanged(namespace: string, name: string): void {
    const pod = this.store.get('Pod', namespace, name);
    if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return;
    const now = this.cluster.clock.now();
    for (const c of pod.spec.containers ?? []) {
      const st = this.statusOf(pod, c.name);
      if (!st?.state?.running) continue;
      const started = Date.parse(st.state.running.startedAt ?? '') || now;
      const when = (p: Probe) => this.probeTick(pod, p, Math.max(now, started + probeTiming(p).initialDelaySeconds * 1000));
      if (c.startupProbe && !st.started) {
        if (readsFiles(c.startupProbe)) this.arm(pod, c.name, 'startup', when(c.startupProbe), 0);
        continue;
      }
      if (c.livenessProbe && readsFiles(c.livenessProbe)) this.arm(pod, c.name, 'liveness', when(c.livenessProbe), 0);
      if (c.readinessProbe && readsFiles(c.readinessProbe)) this.arm(pod, c.name, 'probe', when(c.readinessProbe), st.ready ? -1 : 0);
    }
  }

  /** The sandbox is up (and has its IP) but the containers wait: one status write for a failed pull or a bad image. */
  private writeWaiting(pod: Pod, statuses: ContainerStatus[], podIP: string | undefined, at: number): void {
    const cur: PodStatus = pod.status ?? {};
    const conditions = setCondition(cur.conditions, { type: 'PodReadyToStartContainers', status: 'True' }, this.cluster.clock.iso(at));
    const status: PodStatus = { ...cur, conditions, containerStatuses: statuses };
    if (podIP) {
      status.podIP = podIP;
      status.podIPs = this.podIPsFor(pod, podIP);
    }
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, orderStatus(status))));
  }

  /**
   * A pull failed (image_manager.go pullImage): `Failed` with the CRI error, the container
   * waiting in ErrImagePull with that error, `Error: ErrImagePull` from startContainer
   * (kuberuntime_container.go), and the image's back-off (the kubelet's flowcontrol.Backoff:
   * 10 s, doubling, at most 300 s) starts now. A retry after the back-off pulls again.
   */
  private pullFailed(pod: Pod, at: number): void {
    const uid = pod.metadata.uid;
    const failing = pod.spec.containers.filter((c) => !pullImage(String(c.image ?? '')).ok);
    if (!failing.length) return;
    if (this.backoff[uid]?.['#pull']) {
      // a retry after the back-off starts with another pull
      for (const c of failing) this.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name, at);
    }
    const podIP = this.podIPFor(pod);
    // from here on the pod has the status syncNew wrote
    const cur: PodStatus = pod.status ?? {};
    const statuses = (cur.containerStatuses ?? []).map((s): ContainerStatus => {
      const c = pod.spec.containers.find((x) => x.name === s.name)!;
      const pr = pullImage(String(c.image ?? ''));
      if (pr.ok) return s;
      this.event(pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${pr.error}`, c.name, at);
      this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', c.name, at);
      return { ...s, image: c.image ?? '', state: { waiting: { message: pr.error, reason: 'ErrImagePull' } } };
    });
    this.writeWaiting(pod, statuses, podIP, at);
    const b = (this.backoff[uid] ??= {});
    const n = (b['#pull'] = (b['#pull'] ?? 0) + 1);
    b['#pullAt'] = at;
    b['#pullWait'] = Math.min(PULL_BACKOFF_MAX_S, PULL_BACKOFF_S * 2 ** (n - 1)) * 1000;
    // the next sync: at once after the first failure (the sandbox's ContainerStarted PLEG event), then the pod worker's requeue of a failed sync
    this.schedule(pod, 'backoff', at + (n === 1 ? 1000 : POD_WORKER_BACKOFF_MS), undefined, this.generation(pod));
  }

  /**
   * A sync while the image's back-off lasts: `BackOff` (Back-off pulling image "…") and
   * `Error: ImagePullBackOff`, the container waiting in ImagePullBackOff with the back-off
   * message and the last pull's error (v1.33+ prevPullErrMsg: `Back-off pulling image "x":
   * ErrImagePull: <error>`). The pod worker requeues the failed sync after 10 s; the first
   * sync after the back-off has run out pulls again.
   */
  private pullBackOff(pod: Pod, at: number): void {
    const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
      const c = pod.spec.containers.find((x) => x.name === s.name)!;
      const pr = pullImage(String(c.image ?? ''));
      if (pr.ok || !s.state?.waiting) return s;
      this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, c.name, at);
      this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name, at);
      return { ...s, state: { waiting: { message: `Back-off pulling image "${c.image}": ErrImagePull: ${pr.error}`, reason: 'ImagePullBackOff' } } };
    });
    const changed = statuses.some((s, i) => s.state?.waiting?.reason !== pod.status?.containerStatuses?.[i]?.state?.waiting?.reason);
    if (changed) this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, containerStatuses: statuses })));
    const b = this.backoff[pod.metadata.uid] ?? {};
    const next = at + POD_WORKER_BACKOFF_MS;
    const expired = next - (b['#pullAt'] ?? at) >= (b['#pullWait'] ?? 0);
    this.schedule(pod, expired ? 'pullfail' : 'backoff', next, undefined, this.generation(pod));
  }

  /** A container's process ended; `killed`: the kubelet stopped it (a failed liveness probe) and starts it again in the same sync. */
  private exited(pod: Pod, at: number, name: string, exitCode?: number, killed = false): void {
    const iso = this.cluster.clock.iso(at);
    const c = pod.spec.containers.find((x) => x.name === name);
    if (!c) return;
    const code = exitCode ?? exitCodeOf(c);
    const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
      if (s.name !== name) return s;
      const startedAt = s.state?.running?.startedAt ?? iso;
      return {
        ...s,
        ready: false,
        started: false,
        state: { terminated: { containerID: s.containerID, exitCode: code, finishedAt: iso, reason: code === 0 ? 'Completed' : 'Error', startedAt } },
      };
    });
    const policy = pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
    const allDone = statuses.every((s) => s.state?.terminated);
    let status: PodStatus = { ...pod.status, containerStatuses: statuses };
    const msg = `containers with unready status: [${statuses.filter((s) => !s.ready).map((s) => s.name).join(' ')}]`;
    if (!restart && allDone) {
      const failed = statuses.some((s) => s.state?.terminated?.exitCode !== 0);
      let conditions = setCondition(status.conditions, { type: 'PodReadyToStartContainers', status: 'False' }, iso);
      conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'PodCompleted' }, iso);
      conditions = setCondition(conditions, { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }, iso);
      status = { ...status, conditions, phase: failed ? 'Failed' : 'Succeeded' };
    } else {
      let conditions = setCondition(status.conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: msg }, iso);
      conditions = setCondition(conditions, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msg }, iso);
      status = { ...status, conditions };
    }
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, status)));
    if (restart) {
      const b = (this.backoff[pod.metadata.uid] ??= {});
      const n = (b[name] = (b[name] ?? 0) + 1);
      // the kubelet restarts at once the first time, then backs off 10s, 20s, 40s … 300s
      const wait = n === 1 ? (killed ? 1 : 1000) : Math.min(300, 10 * 2 ** (n - 2)) * 1000;
      if (n > 1) {
        // CrashLoopBackOff while waiting
        const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
        const st = (cur.status?.containerStatuses ?? []).map((s): ContainerStatus => {
          if (s.name !== name) return s;
          return {
            ...s,
            lastState: { terminated: s.state?.terminated },
            restartCount: s.restartCount,
            state: { waiting: { message: `back-off ${wait / 1000 >= 60 ? `${Math.floor(wait / 60000)}m${(wait / 1000) % 60}s` : `${wait / 1000}s`} restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, reason: 'CrashLoopBackOff' } },
          };
        });
        this.cluster.api.updateStatus(withStatus(cur, observedPodStatus(cur, { ...cur.status, containerStatuses: st })));
        this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, name, at);
      }
      this.schedule(pod, 'restart', at + wait, name);
    }
  }

  private restart(pod: Pod, at: number, name: string): void {
    const iso = this.cluster.clock.iso(at);
    const c = pod.spec.containers.find((x) => x.name === name);
    const b = this.backoff[pod.metadata.uid];
    // a container restarted for a new definition runs the spec's image now (redefine())
    const redefined = b?.[`#kill:${name}`] !== undefined;
    const ref = parseImage(String(c?.image ?? ''));
    const killedAt = b?.[`#killed:${name}`];
    const statuses = (pod.status?.containerStatuses ?? []).map((s): ContainerStatus => {
      if (s.name !== name) return s;
      const last = redefined && c && killedAt !== undefined ? { terminated: this.killedState(s, c, killedAt) } : s.state?.terminated ? { terminated: s.state.terminated } : s.lastState;
      const pr = pullImage(String(c?.image ?? ''));
      const image = redefined ? { image: ref.full, imageID: pr.ok ? pr.imageID : '' } : {};
      return { ...s, ...image, containerID: this.containerID(), lastState: last, ready: false, restartCount: (s.restartCount ?? 0) + 1, started: !c?.startupProbe, state: { running: { startedAt: iso } } };
    });
    const pullStart = b?.[`#pullStart:${name}`];
    if (b) for (const k of [`#kill:${name}`, `#killed:${name}`, `#pullStart:${name}`]) delete b[k];
    if (c && pullStart !== undefined) {
      const secs = ((at - pullStart) / 1000).toFixed(3).replace(/\.?0+$/, '');
      this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${imageSize(ref.full)} bytes.`, name, at);
      const node = pod.spec.nodeName ?? '';
      this.pulled[node] = [...new Set([...(this.pulled[node] ?? []), ref.full])].sort();
      this.event(pod, 'Normal', 'Created', `Created container ${name}`, name, at);
      this.event(pod, 'Normal', 'Started', `Started container ${name}`, name, at);
    } else if (c) {
      this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, name, at);
      this.event(pod, 'Normal', 'Created', `Created container ${name}`, name, at);
      this.event(pod, 'Normal', 'Started', `Started container ${name}`, name, at);
    }
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, containerStatuses: statuses })));
    if (!c || !runsForever(c)) {
      const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
      if (c && cur) this.runOnce(cur, c, at);
      else this.schedule(pod, 'exit', at + 1000, name);
      return;
    }
    // a server restarted after a failed bind: the port may still be held by another container
    const others = runningAttempts(pod.spec.containers, pod.status?.containerStatuses ?? []).filter((a) => a.name !== name);
    const order = pod.spec.containers.indexOf(c);
    if (!pod.spec.hostNetwork && bindFailures([...others, { name, spec: c, startedAt: at, order }]).has(name)) {
      this.schedule(pod, 'exit', at + bindGiveUpMs(c), name, 1);
      return;
    }
    if (corednsStartError(this.cluster, pod.metadata.namespace ?? '', String(c.image ?? ''), at) !== undefined) {
      this.schedule(pod, 'exit', at + 1000, name, 1);
      return;
    }
    const cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!cur) return;
    // the new container's script starts over (its first steps now)
    this.scriptFrom(cur, c, at, 0, this.statusOf(cur, name)?.containerID);
    if (this.readyAtOnce(cur, c, at, false) && this.pins[pod.metadata.uid]?.ready !== false) this.applyReadiness(cur, at, [name], false);
    const now = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    if (now) this.scheduleProbes(now, c, at);
  }

  /**
   * A readiness tick (worker.go doProbe): a failure records `Unhealthy` ("Readiness probe
   * failed: %s", prober.go) and, after failureThreshold in a row, takes a ready container out
   * of Ready; successThreshold successes in a row make it ready. A failing probe runs every
   * period; a passing one again when its outcome can change (a file in the Pod, the clock).
   * `run`: the results in a row so far (failures > 0, successes < 0).
   */
  private readinessTick(pod: Pod, at: number, name: string, run: number): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    const probe = c?.readinessProbe;
    const st = this.statusOf(pod, name);
    if (!c || !probe || !st?.state?.running || st.started === false) return;
    const timing = probeTiming(probe);
    const o = this.outcome(probe, pod, c, at);
    const cid = st.containerID;
    if (o.fail !== undefined) {
      this.event(pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${o.fail}`, name, at);
      const n = run > 0 ? run + 1 : 1;
      if (st.ready && n >= timing.failureThreshold && this.pins[pod.metadata.uid]?.ready !== true) this.setUnready(pod, at, name);
      this.schedule(pod, 'probe', at + timing.periodSeconds * 1000, name, n, cid);
      return;
    }
    const n = run < 0 ? run - 1 : -1;
    if (!st.ready) {
      if (-n >= timing.successThreshold) {
        if (this.pins[pod.metadata.uid]?.ready !== false) this.applyReadiness(pod, at, [name], false);
      } else {
        this.schedule(pod, 'probe', at + timing.periodSeconds * 1000, name, n, cid);
        return;
      }
    }
    if (o.changesAt !== undefined) this.schedule(pod, 'probe', this.probeTick(pod, probe, o.changesAt), name, n, cid);
  }

  /** The readiness manager's Failure for a container: not ready, and neither is the Pod. */
  private setUnready(pod: Pod, at: number, name: string): void {
    const statuses = (pod.status?.containerStatuses ?? []).map((s) => (s.name === name ? { ...s, ready: false } : s));
    this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, this.readiness({ ...pod.status, containerStatuses: statuses }, at, [], false))));
  }

  /**
   * A liveness tick: a failure records `Unhealthy` ("Liveness probe failed: %s"); after
   * failureThreshold failures in a row the kubelet kills the container (kuberuntime_manager.go
   * computePodActions: "Container %s failed liveness probe, will be restarted" as the
   * `Killing` event) and restarts it under the crash back-off (exited()). A pass clears the
   * run; the next tick comes when the outcome can change.
   */
  private livenessTick(pod: Pod, at: number, name: string, failures: number): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    const probe = c?.livenessProbe;
    const st = this.statusOf(pod, name);
    if (!c || !probe || !st?.state?.running || pod.metadata.deletionTimestamp || st.started === false) return;
    const o = this.outcome(probe, pod, c, at);
    const timing = probeTiming(probe);
    if (o.fail === undefined) {
      if (o.changesAt !== undefined) this.schedule(pod, 'liveness', this.probeTick(pod, probe, o.changesAt), name, 0, st.containerID);
      return;
    }
    this.event(pod, 'Warning', 'Unhealthy', `Liveness probe failed: ${o.fail}`, name, at);
    if (failures + 1 < timing.failureThreshold) {
      this.schedule(pod, 'liveness', at + timing.periodSeconds * 1000, name, failures + 1, st.containerID);
      return;
    }
    this.probeKill(pod, at, c, probe, 'liveness');
  }

  /**
   * A startup tick: until it passes the container is not `started` and its liveness and
   * readiness probes wait (worker.go); a pass starts them; failureThreshold failures in a row
   * kill it ("Container %s failed startup probe, will be restarted").
   */
  private startupTick(pod: Pod, at: number, name: string, failures: number): void {
    const c = pod.spec.containers.find((x) => x.name === name);
    const probe = c?.startupProbe;
    const st = this.statusOf(pod, name);
    if (!c || !probe || !st?.state?.running || pod.metadata.deletionTimestamp || st.started) return;
    const o = this.outcome(probe, pod, c, at);
    const timing = probeTiming(probe);
    if (o.fail === undefined) {
      const statuses = (pod.status?.containerStatuses ?? []).map((s) => (s.name === name ? { ...s, started: true } : s));
      this.cluster.api.updateStatus(withStatus(pod, observedPodStatus(pod, { ...pod.status, containerStatuses: statuses })));
      let cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
      if (!cur) return;
      if (this.readyAtOnce(cur, c, at, true) && this.pins[pod.metadata.uid]?.ready !== false) this.applyReadiness(cur, at, [name], false);
      cur = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
      if (cur) this.scheduleProbes(cur, c, at, Math.min(at, Date.parse(st.state.running.startedAt ?? '') || at));
      return;
    }
    this.event(pod, 'Warning', 'Unhealthy', `Startup probe failed: ${o.fail}`, name, at);
    if (failures + 1 < timing.failureThreshold) {
      this.schedule(pod, 'startup', at + timing.periodSeconds * 1000, name, failures + 1, st.containerID);
      return;
    }
    this.probeKill(pod, at, c, probe, 'startup');
  }

  /**
   * The kill after a failed liveness or startup probe (kuberuntime_container.go killContainer):
   * the `Killing` event, SIGTERM, and SIGKILL when the grace period is over — the probe's own
   * terminationGracePeriodSeconds where set, else the Pod's (30 s). nginx and httpd exit 0 at
   * once; a Go server such as agnhost dies of the SIGTERM (143); a shell script's PID 1 ignores
   * it and goes at the SIGKILL (137). The worker is on hold until the new container runs.
   */
  private probeKill(pod: Pod, at: number, c: Container, probe: Probe, kind: 'liveness' | 'startup'): void {
    this.event(pod, 'Normal', 'Killing', `Container ${c.name} failed ${kind} probe, will be restarted`, c.name, at);
    const grace = probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const cid = this.statusOf(pod, c.name)?.containerID;
    if (ignoresSigterm(c)) this.schedule(pod, 'killed', at + Math.max(0, grace) * 1000, c.name, 137, cid);
    else this.schedule(pod, 'killed', at + 1, c.name, parseImage(String(c.image ?? '')).repository.endsWith('agnhost') ? 143 : 0, cid);
  }

  private killedByProbe(pod: Pod, at: number, name: string, code: number): void {
    this.exited(pod, at, name, code, true);
  }

  /** Graceful deletion: SIGTERM now; the pod goes when its processes have exited. */
  private beginTermination(pod: Pod): void {
    const now = this.cluster.clock.now();
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    // PID 1 in a shell image running `sleep` ignores SIGTERM and is killed at the deadline
    const stubborn = pod.spec.containers.some((c) => {
      const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
      return /\bsleep\b/.test(text) || (c.stdin && c.tty);
    });
    const ms = stubborn ? grace * 1000 : Math.min(grace * 1000, 1000);
    this.terminating.add(pod.metadata.uid);
    for (const c of pod.spec.containers) {
      if ((pod.status?.containerStatuses ?? []).some((s) => s.name === c.name && s.state?.running)) this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name, now);
    }
    this.schedule(pod, 'terminate', now + Math.max(ms, 0));
  }
}

/**
 * How long a server that cannot bind its port keeps trying before it exits 1: nginx tries
 * five times, 500 ms apart (ngx_open_listening_sockets), then logs "still could not bind()";
 * Go and Apache servers give up at the first EADDRINUSE.
 */
/** The Pod's ephemeral containers that have no status yet. */
function unstartedEphemeral(p: Pod): { name: string }[] {
  const seen = new Set((p.status?.ephemeralContainerStatuses ?? []).map((s) => s.name));
  return (p.spec?.ephemeralContainers ?? []).filter((e) => !seen.has(e.name));
}

export function bindGiveUpMs(c: Container): number {
  return servedPorts(c).some((p) => p.app === 'nginx') ? 2500 : 1000;
}

/**
 * A readiness probe's timing as the kubelet schedules it. The API server never stores
 * anything else (defaulting turns 0 into 10/1, validation rejects negatives, decoding
 * rejects strings), but a stored object may have bypassed it — a snapshot saved by an
 * older build — and a period of 0 s, a negative one or NaN would reschedule a probe at
 * the same moment forever. So: period ≥ 1 s (else the default 10), delay ≥ 0 (else 0),
 * successThreshold ≥ 1 (else 1).
 */
export function probeTiming(probe: Probe): { initialDelaySeconds: number; periodSeconds: number; successThreshold: number; failureThreshold: number } {
  const atLeast = (v: unknown, min: number, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : dflt);
  return {
    initialDelaySeconds: atLeast(probe.initialDelaySeconds, 0, 0),
    periodSeconds: atLeast(probe.periodSeconds, 1, 10),
    successThreshold: atLeast(probe.successThreshold, 1, 1),
    failureThreshold: atLeast(probe.failureThreshold, 1, 3),
  };
}

/** Probes that cannot pass: `exec: [false]`, `exit 1`. */
function probeAlwaysFails(probe: Probe): boolean {
  const cmd: string[] = probe.exec?.command ?? [];
  const text = cmd.join(' ');
  return /^(\/bin\/)?false$/.test(text.trim()) || /\bexit\s+[1-9]/.test(text);
}

/** Pod status fields in the order the API serialises them. */
function orderStatus(s: PodStatus): PodStatus {
  const order: (keyof PodStatus)[] = ['conditions', 'containerStatuses', 'hostIP', 'hostIPs', 'initContainerStatuses', 'phase', 'podIP', 'podIPs', 'qosClass', 'startTime'];
  const out: PodStatus = {};
  const copy = <K extends keyof PodStatus>(k: K) => {
    if (s[k] !== undefined) out[k] = s[k];
  };
  for (const k of order) copy(k);
  for (const k of Object.keys(s) as (keyof PodStatus)[]) if (!(k in out)) copy(k);
  return out;
}

/** A probe whose outcome can follow the Pod's files: an exec probe, or an httpGet to the Pod itself (a file server's docroot). */
function readsFiles(p: Probe): boolean {
  return !!p.exec || (!!p.httpGet && !p.httpGet.host);
}
