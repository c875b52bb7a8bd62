/**
 * kube-scheduler: binds each unscheduled Pod to a node. Filters as the default plugins
 * do, in their order (NodeUnschedulable, TaintToleration, NodeAffinity/nodeSelector,
 * NodeResourcesFit's pod count: a node takes at most status.allocatable.pods, the
 * kubelet's maxPods, 110 by default), scores by spreading (fewest pods first, like
 * LeastAllocated with equal requests), and picks at random among equal best scores, as
 * selectHost does. Unschedulable pods get the PodScheduled=False condition and a
 * FailedScheduling event with FitError's message, preemption's verdict included: a
 * node that fails on resources could make room only by evicting lower-priority pods,
 * and every learner pod has priority 0, so none is found there.
 *
 * NodePorts sits between NodeAffinity and NodeResourcesFit: a node where an assigned pod
 * holds one of the pod's host ports does not fit (./hostports.ts).
 *
 * Sources (v1.34): pkg/scheduler/framework/types.go (FitError.Error, SeparatorFormat
 * " %v."), plugins/noderesources/fit.go ("Too many pods"), framework/preemption
 * ("Preemption is not helpful for scheduling" for UnschedulableAndUnresolvable nodes,
 * "No preemption victims found for incoming pod" from SelectVictimsOnNode).
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import { isKind, type Node, type NodeSelectorRequirement, type NodeSelectorTerm, type Pod } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import { matchesMap } from '../cluster/labels';
import { isPodActive, observedConditions, setCondition, tolerates, withStatus } from './util';
import type { EventRecorder } from './events';
import { hostPortsConflict, hostPortsOf, NODE_PORTS_REASON, type HostPort } from './hostports';

export class Scheduler implements SimModule {
  readonly name = 'scheduler';
  private pending = new Set<string>();
  private dirty = new Set<string>();
  private podsOnNode = new Map<string, number>();
  private counted = new Map<string, string>();
  /** controller uid → node → pods of that controller counted there */
  private byOwner = new Map<string, Map<string, number>>();
  private ownerOfKey = new Map<string, string>();
  /** node → pod key → the host ports that pod holds there (only pods with some) */
  private portsOnNode = new Map<string, Map<string, HostPort[]>>();
  private portsNodeOf = new Map<string, string>();
  private unsubscribe?: () => void;

  constructor(
    private cluster: Cluster,
    private events: EventRecorder,
  ) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    this.pending.clear();
    this.podsOnNode.clear();
    this.counted.clear();
    this.byOwner.clear();
    this.ownerOfKey.clear();
    this.portsOnNode.clear();
    this.portsNodeOf.clear();
    for (const p of this.store.iterate('Pod')) this.track(p);
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private onChange(c: Change): void {
    if (isKind(c.object, 'Pod')) {
      if (c.type === 'DELETED') {
        const k = keyOf(c.object);
        this.pending.delete(k);
        this.dirty.delete(k);
        if (this.counted.has(k) || this.portsNodeOf.has(k)) this.slotFreed();
        this.uncount(k);
        this.holdPorts(k, undefined);
      } else this.track(c.object);
    } else if (c.object.kind === 'Node') {
      for (const k of this.pending) this.dirty.add(k);
    }
  }

  /** A pod left a node: pods waiting for room (Too many pods) may fit now, as the scheduling queue's hint for a deleted assigned pod says. */
  private slotFreed(): void {
    for (const k of this.pending) this.dirty.add(k);
  }

  private uncount(k: string): void {
    const n = this.counted.get(k);
    if (n !== undefined) {
      this.podsOnNode.set(n, (this.podsOnNode.get(n) ?? 1) - 1);
      this.counted.delete(k);
      const o = this.ownerOfKey.get(k);
      if (o) {
        const m = this.byOwner.get(o)!;
        const left = (m.get(n) ?? 1) - 1;
        if (left > 0) m.set(n, left);
        else m.delete(n);
        // an owner with no pods left on any node is forgotten (owners come and go with rollouts)
        if (m.size === 0) this.byOwner.delete(o);
        this.ownerOfKey.delete(k);
      }
    }
  }

  /**
   * A pod's host ports are held from its binding until it is gone or has finished: a
   * terminating pod still holds them (the scheduler's cache keeps an assigned pod until its
   * delete event).
   */
  private holdPorts(k: string, p: Pod | undefined): void {
    const node = p?.spec?.nodeName;
    const ports = node && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' ? hostPortsOf(p) : [];
    const was = this.portsNodeOf.get(k);
    if (was !== undefined && (was !== node || !ports.length)) {
      const m = this.portsOnNode.get(was);
      if (m?.delete(k) && m.size === 0) this.portsOnNode.delete(was);
      this.portsNodeOf.delete(k);
      this.slotFreed();
    }
    if (!node || !ports.length) return;
    let m = this.portsOnNode.get(node);
    if (!m) this.portsOnNode.set(node, (m = new Map()));
    m.set(k, ports);
    this.portsNodeOf.set(k, node);
  }

  private track(p: Pod): void {
    const k = keyOf(p);
    const node = p.spec?.nodeName;
    this.holdPorts(k, p);
    if (node && isPodActive(p)) {
      if (this.counted.get(k) !== node) {
        this.uncount(k);
        this.counted.set(k, node);
        this.podsOnNode.set(node, (this.podsOnNode.get(node) ?? 0) + 1);
        const o = p.metadata.ownerReferences?.find((r) => r.controller)?.uid;
        if (o) {
          let m = this.byOwner.get(o);
          if (!m) this.byOwner.set(o, (m = new Map()));
          m.set(node, (m.get(node) ?? 0) + 1);
          this.ownerOfKey.set(k, o);
        }
      }
    } else if (this.counted.has(k)) {
      this.uncount(k);
      this.slotFreed();
    }
    if (!node && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler') {
      if (!this.pending.has(k)) {
        this.pending.add(k);
        this.dirty.add(k);
      }
    } else {
      this.pending.delete(k);
      this.dirty.delete(k);
    }
  }

  reconcile(): boolean {
    if (this.dirty.size === 0) return false;
    const keys = [...this.dirty].sort();
    this.dirty.clear();
    const nodes = this.store.list('Node');
    let wrote = false;
    for (const k of keys) {
      const [, ns, name] = k.split('/');
      const pod = this.store.get('Pod', ns, name);
      if (!pod || pod.spec?.nodeName) continue;
      if (this.schedule(pod, nodes)) wrote = true;
    }
    return wrote;
  }

  private schedule(pod: Pod, nodes: Node[]): boolean {
    const reasons = new Map<string, number>();
    const preemption = new Map<string, number>();
    const feasible: Node[] = [];
    for (const n of nodes) {
      const why = this.filter(pod, n);
      if (why) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        const verdict = why === TOO_MANY_PODS || why === NODE_PORTS_REASON ? NO_VICTIMS : NOT_HELPFUL;
        preemption.set(verdict, (preemption.get(verdict) ?? 0) + 1);
      } else feasible.push(n);
    }
    const now = this.cluster.clock.iso();
    if (feasible.length === 0) {
      const total = nodes.length;
      // FitError.Error() with preemption's own FitError as the PostFilter message: each
      // ends " %v." after its sorted "<count> <reason>" list, so the whole ends ".."
      const histogram = (m: Map<string, number>) => [...m.entries()].map(([r, c]) => `${c} ${r}`).sort().join(', ');
      const message = total === 0
        ? 'no nodes available to schedule pods'
        : `0/${total} nodes are available: ${histogram(reasons)}. preemption: 0/${total} nodes are available: ${histogram(preemption)}..`;
      const conditions = observedConditions(pod, setCondition(pod.status?.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, now));
      if (JSON.stringify(conditions) === JSON.stringify(pod.status?.conditions)) return false;
      this.cluster.api.updateStatus(withStatus(pod, { ...pod.status, conditions }));
      this.events.record(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
      return true;
    }
    // spreading: fewest pods of the same controller first (the default topology spread
    // over hostnames), then fewest pods overall
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    const siblings = (owner && this.byOwner.get(owner)) || new Map<string, number>();
    let best: Node[] = [];
    let bestCount = Infinity;
    for (const n of feasible) {
      const c = (siblings.get(n.metadata.name) ?? 0) * 1_000_000 + (this.podsOnNode.get(n.metadata.name) ?? 0);
      if (c < bestCount) {
        bestCount = c;
        best = [n];
      } else if (c === bestCount) best.push(n);
    }
    const node = best.length === 1 ? best[0] : best[this.cluster.rng.int(best.length)];
    // the binding subresource: spec.nodeName plus PodScheduled=True
    const conditions = setCondition(
      (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
      { type: 'PodScheduled', status: 'True' },
      now,
    );
    const bound: Pod = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName: node.metadata.name }, status: { ...pod.status, conditions: observedConditions(pod, conditions) } };
    this.cluster.api.updateStatus(bound);
    this.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, { component: 'default-scheduler' });
    return true;
  }

  /** Returns why `node` does not fit `pod` (the scheduler's per-plugin reason text), or '' if it fits. */
  private filter(pod: Pod, node: Node): string {
    const spec = pod.spec ?? {};
    if (node.spec?.unschedulable && !tolerates(spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
      return 'node(s) were unschedulable';
    }
    for (const t of node.spec?.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec.tolerations, t)) {
        return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
      }
    }
    const labels = node.metadata.labels ?? {};
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length && !matchesMap(spec.nodeSelector, labels)) {
      return "node(s) didn't match Pod's node affinity/selector";
    }
    const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (req?.nodeSelectorTerms?.length) {
      const ok = req.nodeSelectorTerms.some((term) => termMatches(term, node));
      if (!ok) return "node(s) didn't match Pod's node affinity/selector";
    }
    const used = this.portsOnNode.get(node.metadata.name);
    if (used) {
      const wanted = hostPortsOf(pod);
      if (wanted.length && [...used.values()].some((u) => hostPortsConflict(wanted, u))) return NODE_PORTS_REASON;
    }
    // NodeResourcesFit: len(nodeInfo.Pods)+1 > allocatable pods
    if ((this.podsOnNode.get(node.metadata.name) ?? 0) + 1 > allowedPods(node)) return TOO_MANY_PODS;
    return '';
  }

  sizes(): Record<string, number> {
    return { pending: this.pending.size, dirty: this.dirty.size, nodes: this.podsOnNode.size, counted: this.counted.size, owners: this.byOwner.size };
  }
}

const TOO_MANY_PODS = 'Too many pods';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** The node's allocatable pod count (the kubelet's maxPods); 110, the kubelet's default, if the status does not say. */
function allowedPods(node: Node): number {
  const v = Number(node.status?.allocatable?.pods ?? 110);
  return Number.isFinite(v) ? v : 110;
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const e of term.matchExpressions ?? []) if (!exprMatches(e, labels[e.key], e.key in labels)) return false;
  for (const e of term.matchFields ?? []) {
    const v = e.key === 'metadata.name' ? node.metadata.name : undefined;
    if (!exprMatches(e, v, v !== undefined)) return false;
  }
  return (term.matchExpressions?.length ?? 0) + (term.matchFields?.length ?? 0) > 0;
}

function exprMatches(e: NodeSelectorRequirement, value: string | undefined, has: boolean): boolean {
  const values: readonly (string | undefined)[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(e.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(e.values?.[0]);
    default:
      return false;
  }
}
