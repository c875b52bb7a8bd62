/**
 * kube-controller-manager's node lifecycle controller and taint-eviction controller
 * (kubernetes v1.34: pkg/controller/nodelifecycle/node_lifecycle_controller.go,
 * pkg/controller/tainteviction/taint_eviction.go, pkg/controller/util/node/controller_utils.go).
 *
 * - monitorNodeHealth runs every --node-monitor-period (5 s). A node whose lease was last
 *   seen renewed (probeTimestamp: the pass that saw the new renewTime) more than
 *   --node-monitor-grace-period ago (50 s since v1.32, kubernetes/kubernetes#126287) gets
 *   Ready, MemoryPressure, DiskPressure and PIDPressure set to Unknown with reason
 *   NodeStatusUnknown and "Kubelet stopped posting node status." (lastHeartbeatTime kept),
 *   a NodeNotReady event ("Node %s status is now: NodeNotReady"), and MarkPodsNotReady: each
 *   Pod there gets Ready=False and a Warning NodeNotReady "Node is not ready".
 * - doNoScheduleTaintingPass, on that node update: node.kubernetes.io/unreachable:NoSchedule
 *   (not-ready for Ready=False); removed when Ready is True again.
 * - processTaintBaseEviction sees the Unknown the pass after (observedReadyCondition is the
 *   one before the update), so the unreachable:NoExecute taint comes 5 s later; removed by
 *   markNodeAsReachable at the first pass that sees Ready=True. Both taints carry timeAdded
 *   (SwapNodeControllerTaint). NoExecute taints go through each zone's rate limiter
 *   (0.1 node/s, burst 1: a second node failing at the same moment is tainted 10 s later);
 *   a zone in partial disruption (more than two nodes and 55 % not ready) gets none in a
 *   small cluster, and when every zone is fully disrupted none is added and those present
 *   are removed (handleDisruption).
 * - The taint-eviction controller: a Pod on a node with NoExecute taints it does not all
 *   tolerate is deleted at once; otherwise after the smallest tolerationSeconds among the
 *   tolerations used (DefaultTolerationSeconds admission gives every Pod 300 s for
 *   not-ready and unreachable; DaemonSet Pods tolerate them for ever), counted from when
 *   the controller saw the taint or the Pod. Deletion: the DisruptionTarget condition
 *   (DeletionByTaintManager, "Taint manager: deleting due to NoExecute taint"), a
 *   TaintManagerEviction event "Marking for deletion Pod ns/name", then a graceful delete
 *   the stopped kubelet never completes. Taints removed first: "Cancelling deletion of Pod ns/name".
 *
 * Everything is derived from the Nodes, Leases, Pods and the kubelets' runs: the module keeps
 * no state. The monitor's passes fall on the 5 s grid of the virtual clock.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KubeObject, Node, Pod, Taint, Toleration } from '../cluster/types';
import type { EventRecorder, EventSource } from './events';
import type { KubeletRun } from './kubelet';
import { NODE_LEASE_NAMESPACE } from './leases';
import { setCondition, withStatus } from './util';

/** kube-controller-manager --node-monitor-period. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** kube-controller-manager --node-monitor-grace-period (v1.32+ default). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
const NODE_CONTROLLER: EventSource = { component: 'node-controller' };
const TAINT_EVICTION: EventSource = { component: 'taint-eviction-controller' };
/** kube-controller-manager --node-eviction-rate, --secondary-node-eviction-rate, --unhealthy-zone-threshold, --large-cluster-size-threshold. */
const EVICTION_LIMITER_QPS = 0.1;
const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
/** tryUpdateNodeHealth's nodeConditionTypes (NetworkUnavailable is left alone). */
const MONITORED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** What the controller needs of the kubelets (kubelet.ts). */
export interface KubeletProcesses {
  run(node: string): KubeletRun;
  running(node: string): boolean;
}

interface Zones {
  /** Every zone is in full disruption: no NoExecute taint is added, those present go. */
  allFully: boolean;
  /** Each zone's NoExecute tainting rate (nodes per second). */
  qps: Map<string, number>;
  /** The newest NoExecute ready taint in each zone (the rate limiter's last token). */
  lastTainted: Map<string, number>;
}

/** nodetopology.GetZoneKey: region and zone labels, "" for a node with neither. */
function zoneKey(node: KubeObject): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** The first monitor pass at or after t. */
function passAtOrAfter(t: number): number {
  return Math.ceil(t / NODE_MONITOR_PERIOD_MS) * NODE_MONITOR_PERIOD_MS;
}

/** The first monitor pass strictly after t. */
function passAfter(t: number): number {
  return Math.floor(t / NODE_MONITOR_PERIOD_MS) * NODE_MONITOR_PERIOD_MS + NODE_MONITOR_PERIOD_MS;
}

/** metav1.Time / MicroTime to ms (Date.parse wants at most three fractional digits). */
function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(t) ? t : undefined;
}

function conditions(node: KubeObject): NodeCondition[] {
  return (node.status?.conditions ?? []) as NodeCondition[];
}

function readyOf(node: KubeObject): NodeCondition | undefined {
  return conditions(node).find((c) => c.type === 'Ready');
}

/** The taint key Ready's status calls for (nodeConditionToTaintKeyStatusMap). */
function readyTaintKey(status: string | undefined): string | undefined {
  return status === 'Unknown' ? UNREACHABLE : status === 'False' ? NOT_READY : undefined;
}

function isReadyTaint(t: Taint): boolean {
  return t.key === UNREACHABLE || t.key === NOT_READY;
}

/** v1helper.GetMatchingTolerations: whether every taint is tolerated, and the tolerations used. */
function matchingTolerations(taints: Taint[], tolerations: Toleration[]): { all: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    let hit = false;
    for (const t of tolerations) {
      if (tolerationMatches(t, taint)) {
        hit = true;
        used.push(t);
      }
    }
    if (!hit) return { all: false, used: [] };
  }
  return { all: true, used };
}

/** Toleration.ToleratesTaint (core/v1 toleration.go). */
function tolerationMatches(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** getMinTolerationTime: 0 with none used, -1 when all tolerate for ever. */
function minTolerationMs(used: Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

export class NodeLifecycleController implements SimModule {
  readonly name = 'node-lifecycle-controller';
  /**
   * node → the Ready=False transition (its lastTransitionTime) a pass has already acted on: a
   * kubelet that posts Ready=False itself (its container runtime is down) is seen by the next
   * pass, which records NodeNotReady and marks the node's Pods not ready once
   * (monitorNodeHealth: currentReadyCondition not True while observedReadyCondition was).
   */
  private observedFalse: Record<string, string> = {};

  constructor(
    private cluster: Cluster,
    private kubelets: KubeletProcesses,
    private events: EventRecorder,
  ) {}

  snapshot(): unknown {
    return { observedFalse: this.observedFalse };
  }

  restore(data: unknown): void {
    this.observedFalse = structuredClone((data as { observedFalse?: Record<string, string> } | undefined)?.observedFalse ?? {});
  }

  sizes(): Record<string, number> {
    return { observedFalse: Object.keys(this.observedFalse).length };
  }

  /** The pass that acts on a Ready=False the node's kubelet posted, if one has yet to. */
  private falseSeenAt(node: Node): number | undefined {
    const ready = readyOf(node);
    if (ready?.status !== 'False' || !this.kubelets.running(node.metadata.name)) return undefined;
    const since = ready.lastTransitionTime ?? '';
    if (this.observedFalse[node.metadata.name] === since) return undefined;
    return passAfter(parseTime(since) ?? this.cluster.clock.now());
  }

  private nodes(): Node[] {
    return this.cluster.store.list<Node>('Node');
  }

  private podsOn(node: string): Pod[] {
    const out: Pod[] = [];
    for (const p of this.cluster.store.iterate('Pod')) if (p.spec?.nodeName === node) out.push(p as Pod);
    return out;
  }

  /** The probeTimestamp of a node: the pass that saw its lease's (or status's) last renewal. */
  private lastProbe(node: Node): number | undefined {
    const lease = this.cluster.store.get('Lease', NODE_LEASE_NAMESPACE, node.metadata.name);
    const renewed = parseTime(lease?.spec?.renewTime);
    const heartbeat = parseTime(readyOf(node)?.lastHeartbeatTime);
    const last = Math.max(renewed ?? -Infinity, heartbeat ?? -Infinity);
    return Number.isFinite(last) ? passAtOrAfter(last) : undefined;
  }

  /** When the monitor marks a node whose kubelet is stopped Unknown: the first pass after probe + grace. */
  private unknownAt(node: Node): number | undefined {
    if (this.kubelets.running(node.metadata.name)) return undefined;
    const ready = readyOf(node);
    if (!ready || ready.status === 'Unknown') return undefined;
    const probe = this.lastProbe(node);
    return probe === undefined ? undefined : passAfter(probe + NODE_MONITOR_GRACE_PERIOD_MS);
  }

  /**
   * When the NoExecute taint pass changes this node's ready taint, if it will: a removal at the
   * pass that sees Ready=True (markNodeAsReachable), a swap between not-ready and unreachable at
   * once (processTaintBaseEviction), an addition when the zone's rate limiter lets it through.
   */
  private noExecuteAt(node: Node, zones: Zones): number | undefined {
    const ready = readyOf(node);
    if (!ready) return undefined;
    const want = zones.allFully ? undefined : readyTaintKey(ready.status);
    const have = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute' && isReadyTaint(t));
    if (want && have.length === 1 && have[0].key === want) return undefined;
    if (!want && have.length === 0) return undefined;
    if (zones.allFully) return this.cluster.clock.now();
    // the pass after the transition sees it as observedReadyCondition
    const since = parseTime(ready.lastTransitionTime) ?? this.cluster.clock.now();
    if (!want || have.length > 0) return passAfter(since);
    const zone = zoneKey(node);
    const qps = zones.qps.get(zone) ?? EVICTION_LIMITER_QPS;
    if (qps <= 0) return undefined;
    // the zone's token bucket (burst 1): one taint, then the next 1/qps seconds later
    return Math.max(passAfter(since), (zones.lastTainted.get(zone) ?? -Infinity) + 1000 / qps);
  }

  /**
   * handleDisruption's view: each zone's state from its nodes' Ready conditions
   * (ComputeZoneState: FullDisruption when none is ready, PartialDisruption when more than
   * two and at least --unhealthy-zone-threshold (55 %) are not) and the NoExecute tainting
   * rate it gets (setLimiterInZone: --node-eviction-rate 0.1/s when Normal; in a partial
   * disruption --secondary-node-eviction-rate 0.01/s, or 0 in a zone of at most
   * --large-cluster-size-threshold (50) nodes; in a full one the normal rate, unless every
   * zone is fully disrupted: then nothing is tainted and the taints go).
   */
  private zones(nodes: Node[]): Zones {
    const byZone = new Map<string, { ready: number; notReady: number }>();
    const lastTainted = new Map<string, number>();
    for (const n of nodes) {
      const zone = zoneKey(n);
      for (const t of n.spec?.taints ?? []) {
        const at = t.effect === 'NoExecute' && isReadyTaint(t) ? parseTime(t.timeAdded) : undefined;
        if (at !== undefined) lastTainted.set(zone, Math.max(lastTainted.get(zone) ?? -Infinity, at));
      }
      if (n.metadata.labels?.['node.kubernetes.io/exclude-disruption'] !== undefined) continue;
      const z = byZone.get(zone) ?? { ready: 0, notReady: 0 };
      if (readyOf(n)?.status === 'True') z.ready++;
      else z.notReady++;
      byZone.set(zone, z);
    }
    const states = new Map<string, { state: 'Normal' | 'PartialDisruption' | 'FullDisruption'; size: number }>();
    for (const [zone, z] of byZone) {
      const size = z.ready + z.notReady;
      const state = z.ready === 0 && z.notReady > 0 ? 'FullDisruption' : z.notReady > 2 && z.notReady / size >= UNHEALTHY_ZONE_THRESHOLD ? 'PartialDisruption' : 'Normal';
      states.set(zone, { state, size });
    }
    const allFully = states.size > 0 && [...states.values()].every((z) => z.state === 'FullDisruption');
    const qps = new Map<string, number>();
    for (const [zone, z] of states) {
      qps.set(zone, z.state === 'PartialDisruption' ? (z.size > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_EVICTION_LIMITER_QPS : 0) : allFully ? 0 : EVICTION_LIMITER_QPS);
    }
    return { allFully, qps, lastTainted };
  }

  /** Whether any node has something for the controllers to do: a stopped kubelet, Ready not True, a NoExecute or ready taint. */
  private quiet(): boolean {
    for (const n of this.cluster.store.iterate('Node')) {
      if (!this.kubelets.running(n.metadata.name) || readyOf(n)?.status !== 'True') return false;
      for (const t of (n.spec?.taints ?? []) as Taint[]) if (t.effect === 'NoExecute' || isReadyTaint(t)) return false;
    }
    return true;
  }

  reconcile(): boolean {
    // the common case, every kubelet up and no node tainted: one look at each node
    if (this.quiet()) return false;
    const now = this.cluster.clock.now();
    let wrote = false;
    for (const node of this.nodes()) {
      const t = this.unknownAt(node);
      if (t !== undefined && t <= now) {
        this.markUnknown(node, t);
        wrote = true;
      }
    }
    for (const node of this.nodes()) {
      const t = this.falseSeenAt(node);
      if (t !== undefined && t <= now) {
        this.observedFalse[node.metadata.name] = readyOf(node)?.lastTransitionTime ?? '';
        this.events.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, NODE_CONTROLLER, undefined, t);
        this.markPodsNotReady(node.metadata.name, t);
        wrote = true;
      }
      if (readyOf(node)?.status === 'True' && this.observedFalse[node.metadata.name] !== undefined) delete this.observedFalse[node.metadata.name];
    }
    for (const node of this.nodes()) {
      if (this.noScheduleTaints(node, now)) wrote = true;
    }
    // one node at a time, in the order they come due: each taint takes the zone's next token
    for (let guard = 0; guard < 1000; guard++) {
      const nodes = this.nodes();
      const zones = this.zones(nodes);
      let first: { node: Node; at: number } | undefined;
      for (const node of nodes) {
        const at = this.noExecuteAt(node, zones);
        if (at !== undefined && at <= now && (!first || at < first.at)) first = { node, at };
      }
      if (!first || !this.noExecuteTaints(first.node, first.at, zones.allFully)) break;
      wrote = true;
    }
    for (const node of this.nodes()) {
      if (this.evict(node, now)) wrote = true;
    }
    return wrote;
  }

  nextDue(): number | undefined {
    if (this.quiet()) return undefined;
    const now = this.cluster.clock.now();
    let next: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && t > now && (next === undefined || t < next)) next = t;
    };
    const nodes = this.nodes();
    const zones = this.zones(nodes);
    for (const node of nodes) {
      consider(this.unknownAt(node));
      consider(this.falseSeenAt(node));
      consider(this.noExecuteAt(node, zones));
      for (const e of this.evictions(node)) consider(e.at);
    }
    return next;
  }

  /** tryUpdateNodeHealth past the grace period, then the pass's NodeNotReady event and MarkPodsNotReady. */
  private markUnknown(node: Node, at: number): void {
    const iso = this.cluster.clock.iso(at);
    const next = conditions(node).map((c) => {
      if (!MONITORED.includes(c.type) || c.status === 'Unknown') return c;
      return { ...c, lastTransitionTime: iso, message: 'Kubelet stopped posting node status.', reason: 'NodeStatusUnknown', status: 'Unknown' };
    });
    this.cluster.api.updateStatus({ ...node, metadata: { ...node.metadata }, status: { ...node.status, conditions: next } });
    this.events.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, NODE_CONTROLLER, undefined, at);
    this.markPodsNotReady(node.metadata.name, at);
  }

  /** controller_utils.go MarkPodsNotReady: Ready=False on each Pod there that is ready, and a "Node is not ready" event. */
  private markPodsNotReady(nodeName: string, at: number): void {
    const iso = this.cluster.clock.iso(at);
    for (const pod of this.podsOn(nodeName)) {
      const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const conds = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, lastTransitionTime: iso, status: 'False' } : c));
      const written = this.cluster.api.updateStatus(withStatus(pod, { ...pod.status, conditions: conds }));
      this.events.record(written, 'Warning', 'NodeNotReady', 'Node is not ready', NODE_CONTROLLER, undefined, at);
    }
  }

  private writeTaints(node: Node, taints: Taint[]): void {
    const { taints: _old, ...rest } = node.spec ?? {};
    void _old;
    const spec = taints.length ? { ...rest, taints } : rest;
    this.cluster.api.update({ ...node, metadata: { ...node.metadata }, spec }, { reconcile: false });
  }

  /** doNoScheduleTaintingPass for the Ready condition's taints, on the node's update. */
  private noScheduleTaints(node: Node, now: number): boolean {
    const ready = readyOf(node);
    if (!ready) return false;
    const want = readyTaintKey(ready.status);
    const taints = node.spec?.taints ?? [];
    const have = taints.filter((t) => t.effect === 'NoSchedule' && isReadyTaint(t));
    if (have.length === (want ? 1 : 0) && (!want || have[0].key === want)) return false;
    const kept = taints.filter((t) => !(t.effect === 'NoSchedule' && isReadyTaint(t) && t.key !== want));
    if (want && !kept.some((t) => t.effect === 'NoSchedule' && t.key === want)) kept.push({ effect: 'NoSchedule', key: want, timeAdded: this.cluster.clock.iso(now) });
    this.writeTaints(node, kept);
    return true;
  }

  /** doNoExecuteTaintingPass (or markNodeAsReachable) at the pass that acts on it. */
  private noExecuteTaints(node: Node, at: number, allDisrupted: boolean): boolean {
    const ready = readyOf(node);
    const want = allDisrupted ? undefined : readyTaintKey(ready?.status);
    const taints = node.spec?.taints ?? [];
    const kept = taints.filter((t) => !(t.effect === 'NoExecute' && isReadyTaint(t) && t.key !== want));
    if (want && !kept.some((t) => t.effect === 'NoExecute' && t.key === want)) kept.push({ effect: 'NoExecute', key: want, timeAdded: this.cluster.clock.iso(at) });
    if (JSON.stringify(kept) === JSON.stringify(taints)) return false;
    const before = this.evictions(node);
    this.writeTaints(node, kept);
    const cur = this.cluster.store.get<Node>('Node', undefined, node.metadata.name);
    const still = new Set(cur ? this.evictions(cur).map((e) => e.pod.metadata.uid) : []);
    // handleNodeUpdate: the evictions the new taints no longer call for are cancelled
    for (const e of before) {
      if (still.has(e.pod.metadata.uid) || e.at <= at) continue;
      this.events.record(e.pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${e.pod.metadata.namespace}/${e.pod.metadata.name}`, TAINT_EVICTION, undefined, at);
    }
    return true;
  }

  /** The taint-eviction controller's scheduled deletions on a node: each Pod and when. */
  private evictions(node: Node): { pod: Pod; at: number }[] {
    const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return [];
    // when the controller saw the node's NoExecute taints (the newest one's timeAdded)
    const seen = Math.max(...taints.map((t) => parseTime(t.timeAdded) ?? -Infinity));
    const out: { pod: Pod; at: number }[] = [];
    for (const pod of this.podsOn(node.metadata.name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const { all, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
      const wait = all ? minTolerationMs(used) : 0;
      if (wait < 0) continue;
      const created = parseTime(pod.metadata.creationTimestamp) ?? -Infinity;
      const start = Math.max(seen, created);
      if (!Number.isFinite(start)) continue;
      out.push({ pod, at: start + wait });
    }
    return out;
  }

  /** deletePodHandler: the event, the DisruptionTarget condition, the delete. */
  private evict(node: Node, now: number): boolean {
    let wrote = false;
    for (const { pod, at } of this.evictions(node)) {
      if (at > now) continue;
      const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
      this.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ref}`, TAINT_EVICTION, undefined, at);
      const conds = setCondition(pod.status?.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, this.cluster.clock.iso(at));
      this.cluster.api.updateStatus(withStatus(pod, { ...pod.status, conditions: conds }));
      this.cluster.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { reconcile: false });
      wrote = true;
    }
    return wrote;
  }
}
