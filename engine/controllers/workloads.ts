/**
 * The workload controllers of kube-controller-manager: ReplicaSet, Deployment (rolling
 * update and Recreate, revisions, `kubectl rollout restart` via the template's
 * restartedAt annotation), StatefulSet (ordinal pods, OrderedReady) and DaemonSet (one
 * pod per eligible node). Each keeps a dirty set fed by store events and re-syncs only
 * what changed.
 *
 * Sources: kubernetes pkg/controller/replicaset/replica_set.go (manageReplicas,
 * getPodsToDelete), pkg/controller/deployment/{sync,rolling,recreate,progress}.go and
 * util/deployment_util.go, pkg/controller/statefulset/stateful_set_control.go,
 * pkg/controller/daemon/daemon_controller.go and util/daemonset_util.go.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import {
  expectKind,
  type DaemonSet,
  type DaemonSetStatus,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
  type KindMap,
  type KubeObject,
  type Manifest,
  type Node,
  type Pod,
  type PodSpec,
  type PodTemplateSpec,
  type ReplicaSet,
  type ReplicaSetStatus,
  type StatefulSet,
  type StatefulSetStatus,
  type Toleration,
  type Workload,
  type WorkloadKind,
} from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import { canonicalJson, computeHash } from '../cluster/hash';
import { matchesSelector, matchesMap } from '../cluster/labels';
import { ApiError } from '../cluster/api';
import { OwnerIndex, splitKey } from './index-cache';
import type { EventRecorder } from './events';
import { controllerOf, controllerRef, intOrPercent, isPodActive, isPodAvailable, isPodReady, same, tolerates } from './util';

abstract class WorkloadController<K extends WorkloadKind> implements SimModule {
  abstract readonly name: string;
  protected abstract readonly kind: K;
  /** Child kinds whose changes re-sync their controller. */
  protected abstract readonly childKinds: string[];
  protected dirty = new Set<string>();
  private unsubscribe?: () => void;

  constructor(
    protected cluster: Cluster,
    protected index: OwnerIndex,
    protected events: EventRecorder,
  ) {}

  protected get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    for (const o of this.store.iterate(this.kind)) this.dirty.add(keyOf(o));
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  protected onChange(c: Change): void {
    const o = c.object;
    if (o.kind === this.kind) {
      if (c.type !== 'DELETED') this.dirty.add(keyOf(o));
      return;
    }
    if (this.childKinds.includes(o.kind)) {
      const r = controllerOf(o) ?? (c.old ? controllerOf(c.old) : undefined);
      if (r && r.kind === this.kind) this.dirty.add(`${this.kind}/${o.metadata.namespace ?? ''}/${r.name}`);
    }
  }

  reconcile(): boolean {
    if (this.dirty.size === 0) return false;
    const keys = [...this.dirty].sort();
    this.dirty.clear();
    let wrote = false;
    for (const k of keys) {
      const [, ns, name] = splitKey(k);
      const obj = this.store.get(this.kind, ns, name);
      if (!obj || obj.metadata.deletionTimestamp) continue;
      const before = this.cluster.store.revision;
      this.sync(obj);
      if (this.cluster.store.revision !== before) wrote = true;
    }
    return wrote;
  }

  protected abstract sync(obj: KindMap[K]): void;

  /** Pods this controller owns (controller ref with our uid), in no particular order: callers key or sort them. */
  protected ownedPods(owner: Workload): Pod[] {
    return this.index.dependantObjects(owner.metadata.uid, 'Pod', false).filter((p) => controllerOf(p)?.uid === owner.metadata.uid);
  }

  protected createPod(owner: Workload, template: PodTemplateSpec, meta: { name?: string; generateName?: string; labels?: Record<string, string> }, specExtra?: (spec: Partial<PodSpec>) => void): KubeObject | undefined {
    const spec: Partial<PodSpec> = structuredClone(template.spec ?? {});
    specExtra?.(spec);
    const manifest: Manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(meta.name ? { name: meta.name } : { generateName: meta.generateName }),
        namespace: owner.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...(meta.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(owner)],
      },
      spec,
    };
    try {
      const pod = this.cluster.api.create(manifest, { reconcile: false });
      this.event(owner, 'Normal', 'SuccessfulCreate', this.createdMessage(owner, pod.metadata.name));
      return pod;
    } catch (e) {
      if (e instanceof ApiError) {
        this.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }

  protected deletePod(pod: Pod, owner?: Workload): void {
    try {
      this.cluster.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { reconcile: false });
      if (owner) this.event(owner, 'Normal', 'SuccessfulDelete', this.deletedMessage(owner, pod.metadata.name));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  protected createdMessage(_owner: Workload, pod: string): string {
    return `Created pod: ${pod}`;
  }

  protected deletedMessage(_owner: Workload, pod: string): string {
    return `Deleted pod: ${pod}`;
  }

  protected event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.record(obj, type, reason, message, { component: this.name });
  }

  protected writeStatus(obj: KindMap[K], status: KindMap[K]['status']): void {
    if (same(obj.status, status)) return;
    this.cluster.api.updateStatus({ ...obj, metadata: { ...obj.metadata }, status });
  }
}

/** getPodsToDelete's ranking: the pods least worth keeping first. */
function deletionRank(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) return ta > tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? 1 : -1;
}

/** The counts that are not zero (Go's omitempty on the status's int32 fields). */
function omitZero<T extends Record<string, number>>(o: T): Partial<T> {
  const out: Partial<T> = { ...o };
  for (const k in o) if (o[k] === 0) delete out[k];
  return out;
}

// ---- ReplicaSet ---------------------------------------------------------------------

/** replicaset.BurstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;
/** controller.SlowStartInitialBatchSize: slowStartBatch's first batch; each successful batch doubles the next. */
const SLOW_START_INITIAL_BATCH = 1;
/** kube-controller-manager's client rate limiter: --kube-api-qps 20, --kube-api-burst 30. */
const CLIENT_QPS = 20;
const CLIENT_BURST = 30;
/** workqueue.DefaultControllerRateLimiter's per-item exponential backoff: 5 ms doubling, at most 1000 s. */
const REQUEUE_BASE_MS = 5;
const REQUEUE_MAX_MS = 1_000_000;

/**
 * What paces one ReplicaSet's syncs: its share of the client's token bucket (tokens left
 * at `at`), the time its expectations wait for (the creates it sent, at the client's
 * rate), and the failures the workqueue backs off from.
 */
interface Pacing {
  tokens: number;
  at: number;
  /** no manageReplicas before this moment */
  until: number;
  failures: number;
}

/** The pacing of one controller's keys: who waits until when, and who is due again. */
class Pacer {
  private map = new Map<string, Pacing>();

  snapshot(): [string, Pacing][] {
    return [...this.map].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  restore(data: unknown): void {
    this.map = new Map(Array.isArray(data) ? (data as [string, Pacing][]) : []);
  }

  get size(): number {
    return this.map.size;
  }

  forget(key: string): void {
    this.map.delete(key);
  }

  /** True while the key waits (expectations unmet, or backing off). */
  waiting(key: string, now: number): boolean {
    const p = this.map.get(key);
    return !!p && p.until > now;
  }

  nextDue(now: number): number | undefined {
    let min: number | undefined;
    for (const p of this.map.values()) if (p.until > now && (min === undefined || p.until < min)) min = p.until;
    return min;
  }

  /** Keys whose wait is over (each comes back once); forgets keys that owe nothing. */
  due(now: number): string[] {
    const out: string[] = [];
    for (const [k, p] of this.map) {
      if (p.until <= now && p.until > p.at) {
        p.until = p.at;
        out.push(k);
      }
      if (p.until <= now && p.failures === 0 && p.tokens + ((now - p.at) / 1000) * CLIENT_QPS >= CLIENT_BURST) this.map.delete(k);
    }
    return out;
  }

  /**
   * `sent` requests went through the client's token bucket at `now`: what overdraws it is
   * sent at CLIENT_QPS and the key waits for it; a failure adds the workqueue's backoff.
   */
  charge(key: string, now: number, sent: number, failed: boolean): void {
    const p = this.map.get(key) ?? { tokens: CLIENT_BURST, at: now, until: now, failures: 0 };
    const tokens = Math.min(CLIENT_BURST, p.tokens + ((now - p.at) / 1000) * CLIENT_QPS) - sent;
    let until = tokens < 0 ? now + Math.ceil((-tokens / CLIENT_QPS) * 1000) : now;
    if (failed) until = Math.max(until, now + Math.min(REQUEUE_MAX_MS, REQUEUE_BASE_MS * 2 ** Math.min(p.failures, 30)));
    this.map.set(key, { tokens, at: now, until, failures: failed ? p.failures + 1 : 0 });
  }
}

const NO_LABELS: Record<string, string> = {};
const selectorMatches = new WeakMap<object, { selector: unknown; matches: boolean }>();

/**
 * A controller whose pod creates and deletes are paced (the ReplicaSet controller's slow
 * start and client rate limit; StatefulSets with Parallel management): the pacing per
 * owner is saved with the simulation and wakes the owner when its next batch is due.
 */
abstract class PacedController<K extends 'ReplicaSet' | 'StatefulSet'> extends WorkloadController<K> {
  /** owner key → pacing (only owners that have created or deleted pods) */
  protected pacing = new Pacer();

  snapshot(): unknown {
    return this.pacing.snapshot();
  }

  restore(data: unknown): void {
    this.pacing.restore(data);
  }

  sizes(): Record<string, number> {
    return { dirty: this.dirty.size, pacing: this.pacing.size };
  }

  nextDue(): number | undefined {
    return this.pacing.nextDue(this.cluster.clock.now());
  }

  protected onChange(c: Change): void {
    super.onChange(c);
    if (c.type === 'DELETED' && c.object.kind === this.kind) this.pacing.forget(keyOf(c.object));
  }

  reconcile(): boolean {
    for (const k of this.pacing.due(this.cluster.clock.now())) this.dirty.add(k);
    return super.reconcile();
  }
}

export class ReplicaSetController extends PacedController<'ReplicaSet'> {
  readonly name = 'replicaset-controller';
  protected readonly kind = 'ReplicaSet';
  protected readonly childKinds = ['Pod'];

  protected sync(rs: ReplicaSet): void {
    // ClaimPods: a pod relabelled out of the selector is released (its ownerReference
    // removed) and a replacement is made — `kubectl label pod … app=debug --overwrite`
    let pods = this.ownedPods(rs);
    let released = false;
    for (const p of pods) {
      if (!this.selects(rs, p) && !p.metadata.deletionTimestamp) {
        const next: Pod = { ...p, metadata: { ...p.metadata } };
        const refs = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid);
        if (refs.length) next.metadata.ownerReferences = refs;
        else delete next.metadata.ownerReferences;
        this.cluster.api.updateStatus(next);
        released = true;
      }
    }
    if (released) pods = this.ownedPods(rs);
    const active = pods.filter(isPodActive);
    const want = rs.spec.replicas ?? 1;
    const diff = active.length - want;
    const now = this.cluster.clock.now();
    const key = keyOf(rs);
    // rsNeedsSync: manageReplicas waits while expectations are unmet or the key is backing off
    const managed = diff !== 0 && !this.pacing.waiting(key, now);
    if (managed) this.manageReplicas(rs, active, diff, key, now);
    const current = managed ? this.ownedPods(rs).filter(isPodActive) : active;
    // calculateStatus, in one pass (a ReplicaSet may own tens of thousands of pods)
    const tmplLabels = rs.spec.template?.metadata?.labels ?? {};
    const minReady = rs.spec.minReadySeconds ?? 0;
    let available = 0;
    let fullyLabeled = 0;
    let ready = 0;
    for (const p of current) {
      if (matchesMap(tmplLabels, p.metadata.labels)) fullyLabeled++;
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, minReady, now)) available++;
      }
    }
    const status: ReplicaSetStatus = {
      ...omitZero({ availableReplicas: available, fullyLabeledReplicas: fullyLabeled }),
      observedGeneration: rs.metadata.generation,
      ...omitZero({ readyReplicas: ready }),
      replicas: current.length,
    };
    this.writeStatus(rs, status);
  }

  /** Whether the ReplicaSet's selector still selects the pod, remembered per labels object (labels are replaced, never edited, when they change). */
  private selects(rs: ReplicaSet, p: Pod): boolean {
    const labels = p.metadata.labels ?? NO_LABELS;
    const seen = selectorMatches.get(labels);
    if (seen && seen.selector === rs.spec.selector) return seen.matches;
    const matches = matchesSelector(rs.spec.selector, labels);
    selectorMatches.set(labels, { selector: rs.spec.selector, matches });
    return matches;
  }

  /**
   * manageReplicas: at most BURST_REPLICAS creates (in slowStartBatch's batches of 1, 2,
   * 4, … that stop after the first batch with a failure) or deletes. The requests go
   * through the client's token bucket: what overdraws it is sent at CLIENT_QPS, and the
   * next sync waits for them as the expectations would. A failed create requeues the
   * key with the workqueue's exponential backoff.
   */
  private manageReplicas(rs: ReplicaSet, active: Pod[], diff: number, key: string, now: number): void {
    let sent = 0;
    let failed = false;
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      for (let batch = Math.min(count, SLOW_START_INITIAL_BATCH); batch > 0 && !failed; batch = Math.min(count - sent, 2 * batch)) {
        for (let i = 0; i < batch; i++) if (!this.createPod(rs, rs.spec.template, { generateName: `${rs.metadata.name}-` })) failed = true;
        sent += batch;
      }
    } else {
      const count = Math.min(diff, BURST_REPLICAS);
      for (const pod of [...active].sort(deletionRank).slice(0, count)) this.deletePod(pod, rs);
      sent = count;
    }
    this.pacing.charge(key, now, sent, failed);
  }
}

// ---- Deployment ---------------------------------------------------------------------

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** deployment_util.go annotationsToSkip: what copyDeploymentAnnotationsToReplicaSet leaves out. */
export const DEPLOYMENT_ANNOTATIONS_TO_SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);
/** deployment controller's MaxRevHistoryLengthInChars. */
const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/**
 * deployment_util.go SetNewReplicaSetAnnotations: the Deployment's annotations copied onto
 * its new ReplicaSet (copyDeploymentAnnotationsToReplicaSet, so `kubernetes.io/change-cause`
 * reaches `rollout history`), and the new revision; a revived old ReplicaSet keeps its former
 * revisions in revision-history. Returns whether anything changed.
 */
function setNewReplicaSetAnnotations(d: Deployment, ann: Record<string, string>, newRevision: number): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (DEPLOYMENT_ANNOTATIONS_TO_SKIP.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const oldRevision = ann[REVISION];
  const oldRevisionInt = Number(oldRevision ?? 0) || 0;
  if (oldRevisionInt < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = ann[REVISION_HISTORY] ?? '';
      const olds = history.split(',');
      if (olds[0].length === 0) ann[REVISION_HISTORY] = oldRevision;
      else {
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < olds.length) total -= olds[start++].length + 1;
        if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) ann[REVISION_HISTORY] = [...olds.slice(start), oldRevision].join(',');
      }
    }
  }
  return changed;
}

/** A new ReplicaSet's annotations: SetNewReplicaSetAnnotations, then SetReplicasAnnotations. */
function newRSAnnotations(d: Deployment, revision: number, maxReplicas: number): Record<string, string> {
  const ann: Record<string, string> = {};
  setNewReplicaSetAnnotations(d, ann, revision);
  ann['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas ?? 1);
  ann['deployment.kubernetes.io/max-replicas'] = String(maxReplicas);
  return ann;
}

const templateKeys = new WeakMap<object, string>();

/** EqualIgnoreHash's comparison key (memoised per stored template object). */
function templateIgnoringHash(t: PodTemplateSpec): string {
  if (t && typeof t === 'object') {
    let k = templateKeys.get(t);
    if (k === undefined) {
      k = templateKeyUncached(t);
      templateKeys.set(t, k);
    }
    return k;
  }
  return templateKeyUncached(t);
}

function templateKeyUncached(t: PodTemplateSpec | undefined): string {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
  if (c.metadata?.labels && Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  return canonicalJson(c);
}

/** SetDeploymentCondition: a changed condition moves to the end of the list. */
function setDeployCondition(list: DeploymentCondition[] | undefined, c: Pick<DeploymentCondition, 'type' | 'status' | 'reason' | 'message'>, now: string, keepTransitionIfTrue = false): DeploymentCondition[] {
  const cur = (list ?? []).find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason && !keepTransitionIfTrue) return list ?? [];
  if (cur && cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return list ?? [];
  const next = {
    lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : now,
    lastUpdateTime: now,
    message: c.message,
    reason: c.reason,
    status: c.status,
    type: c.type,
  };
  return [...(list ?? []).filter((x) => x.type !== c.type), next];
}

export class DeploymentController extends WorkloadController<'Deployment'> {
  readonly name = 'deployment-controller';
  protected readonly kind = 'Deployment';
  protected readonly childKinds = ['ReplicaSet', 'Pod'];

  /** Deployments mid-rollout → when their progress deadline runs out. */
  private deadlines = new Map<string, number>();

  sizes(): Record<string, number> {
    return { dirty: this.dirty.size, deadlines: this.deadlines.size };
  }

  nextDue(): number | undefined {
    let min: number | undefined;
    for (const t of this.deadlines.values()) if (min === undefined || t < min) min = t;
    return min;
  }

  reconcile(): boolean {
    const now = this.cluster.clock.now();
    for (const [k, t] of this.deadlines) {
      if (t <= now) {
        this.deadlines.delete(k);
        this.dirty.add(k);
      }
    }
    return super.reconcile();
  }

  private maxSurge(d: Deployment): number {
    if (d.spec.strategy?.type !== 'RollingUpdate') return 0;
    const replicas = d.spec.replicas ?? 1;
    const surge = intOrPercent(d.spec.strategy.rollingUpdate?.maxSurge ?? '25%', replicas, true);
    const unavail = intOrPercent(d.spec.strategy.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
    return surge === 0 && unavail === 0 ? 0 : surge;
  }

  private maxUnavailable(d: Deployment): number {
    if (d.spec.strategy?.type !== 'RollingUpdate' || (d.spec.replicas ?? 1) === 0) return 0;
    const replicas = d.spec.replicas ?? 1;
    const surge = intOrPercent(d.spec.strategy.rollingUpdate?.maxSurge ?? '25%', replicas, true);
    let unavail = intOrPercent(d.spec.strategy.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
    if (surge === 0 && unavail === 0) unavail = 1;
    return Math.min(unavail, replicas);
  }

  private scaleRS(rs: ReplicaSet, replicas: number, d: Deployment): ReplicaSet {
    const ann = { ...(rs.metadata.annotations ?? {}) };
    ann['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas ?? 1);
    ann['deployment.kubernetes.io/max-replicas'] = String((d.spec.replicas ?? 1) + this.maxSurge(d));
    if (rs.spec.replicas === replicas && same(ann, rs.metadata.annotations)) return rs;
    const from = rs.spec.replicas ?? 0;
    const next = structuredClone(rs);
    next.spec.replicas = replicas;
    next.metadata.annotations = ann;
    const out = expectKind(this.cluster.api.update(next, { reconcile: false }), 'ReplicaSet');
    if (from !== replicas) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} to ${replicas} from ${from}`);
    return out;
  }

  protected sync(d: Deployment): void {
    const all = this.index.dependantObjects(d.metadata.uid, 'ReplicaSet').filter((rs) => controllerOf(rs)?.uid === d.metadata.uid && !rs.metadata.deletionTimestamp);
    const want = templateIgnoringHash(d.spec.template);
    let newRS = all.find((rs) => templateIgnoringHash(rs.spec.template) === want);
    const olds = all.filter((rs) => rs !== newRS).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
    const replicas = d.spec.replicas ?? 1;
    const maxOldRevision = olds.reduce((m, rs) => Math.max(m, Number(rs.metadata.annotations?.[REVISION] ?? 0)), 0);
    const now = this.cluster.clock.iso();
    let conditions: DeploymentCondition[] = d.status?.conditions ?? [];
    const recreate = d.spec.strategy?.type === 'Recreate';
    const oldPods = () => olds.reduce((n, rs) => n + this.ownedPods(rs).length, 0);

    if (d.spec.paused) {
      // a paused rollout scales what exists but starts nothing new (`kubectl rollout pause`)
      const target = newRS ?? olds[olds.length - 1];
      if (target && olds.every((rs) => rs === target || (rs.spec.replicas ?? 0) === 0)) this.scaleRS(target, replicas, d);
      const cur = all.map((rs) => this.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name)).filter((x): x is ReplicaSet => !!x);
      const paused = setDeployCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
      this.writeDeploymentStatus(d, cur, undefined, paused);
      return;
    }
    if (recreate) {
      for (const rs of olds) if ((rs.spec.replicas ?? 0) !== 0) this.scaleRS(rs, 0, d);
      if (!newRS && oldPods() > 0) {
        this.writeDeploymentStatus(d, all, undefined, conditions);
        return;
      }
    }
    if (!newRS) {
      const hash = computeHash(d.spec.template, d.status?.collisionCount);
      const template = structuredClone(d.spec.template);
      template.metadata ??= {};
      template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
      const oldTotal = olds.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
      let initial = replicas;
      if (!recreate) {
        const maxTotal = replicas + this.maxSurge(d);
        initial = oldTotal >= maxTotal ? 0 : Math.min(maxTotal - oldTotal, replicas);
      }
      const manifest: Manifest = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: { ...template.metadata.labels },
          annotations: newRSAnnotations(d, maxOldRevision + 1, replicas + this.maxSurge(d)),
          ownerReferences: [controllerRef(d)],
        },
        spec: {
          replicas: initial,
          ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
          selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template,
        },
      };
      try {
        newRS = expectKind(this.cluster.api.create(manifest, { reconcile: false }), 'ReplicaSet');
        if (initial > 0) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRS.metadata.name} to ${initial} from 0`);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason === 'AlreadyExists') {
          // hash collision with an RS of a different template: bump collisionCount and retry next sync
          this.writeStatusRaw(d, { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
          return;
        }
        return;
      }
      conditions = setDeployCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRS.metadata.name}"` }, now);
    } else {
      // the existing new ReplicaSet: the Deployment's annotations, and on a rollback (or re-use) of an old template the newest revision
      const ann = { ...(newRS.metadata.annotations ?? {}) };
      if (setNewReplicaSetAnnotations(d, ann, maxOldRevision + 1)) {
        const next = structuredClone(newRS);
        next.metadata.annotations = ann;
        newRS = expectKind(this.cluster.api.update(next, { reconcile: false }), 'ReplicaSet');
      }
    }
    // the Deployment carries its newest revision
    const rev = newRS.metadata.annotations?.[REVISION];
    if (rev && d.metadata.annotations?.[REVISION] !== rev) {
      const next = { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: rev } } };
      this.cluster.api.updateStatus(next);
      d = next;
    }

    if (recreate) {
      if (oldPods() === 0 && (newRS.spec.replicas ?? 0) !== replicas) newRS = this.scaleRS(newRS, replicas, d);
    } else {
      // reconcileNewReplicaSet
      const cur = newRS.spec.replicas ?? 0;
      if (cur > replicas) newRS = this.scaleRS(newRS, replicas, d);
      else if (cur < replicas) {
        const total = all.reduce((n, rs) => n + (rs === newRS ? cur : rs.spec.replicas ?? 0), 0) + (all.includes(newRS) ? 0 : cur);
        const maxTotal = replicas + this.maxSurge(d);
        if (total < maxTotal) newRS = this.scaleRS(newRS, Math.min(cur + (maxTotal - total), replicas), d);
      } else newRS = this.scaleRS(newRS, cur, d);
      // reconcileOldReplicaSets
      const oldTotal = olds.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
      if (oldTotal > 0) {
        const allTotal = oldTotal + (newRS.spec.replicas ?? 0);
        const minAvailable = replicas - this.maxUnavailable(d);
        const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
        let maxScaledDown = allTotal - minAvailable - newUnavailable;
        if (maxScaledDown > 0) {
          // cleanupUnhealthyReplicas: old pods that are not available go first
          const local = new Map<ReplicaSet, number>();
          for (const rs of olds) {
            if (maxScaledDown <= 0) break;
            const r = rs.spec.replicas ?? 0;
            const unhealthy = r - (rs.status?.availableReplicas ?? 0);
            if (r === 0 || unhealthy <= 0) continue;
            const down = Math.min(maxScaledDown, unhealthy);
            this.scaleRS(rs, r - down, d);
            local.set(rs, r - down);
            maxScaledDown -= down;
          }
          // scaleDownOldReplicaSetsForRollingUpdate
          const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
          let total = available - minAvailable;
          for (const rs of olds) {
            if (total <= 0) break;
            const r = local.get(rs) ?? rs.spec.replicas ?? 0;
            if (r === 0) continue;
            const down = Math.min(r, total);
            this.scaleRS(rs, r - down, d);
            total -= down;
          }
        }
      }
    }
    // cleanupDeployment: keep revisionHistoryLimit old ReplicaSets with no replicas
    const freshOlds = olds.map((rs) => this.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name)).filter((x): x is ReplicaSet => !!x);
    const idle = freshOlds.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
    const limit = d.spec.revisionHistoryLimit ?? 10;
    if (idle.length > limit) {
      const byRev = [...idle].sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
      for (const rs of byRev.slice(0, idle.length - limit)) {
        try {
          this.cluster.api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name, { reconcile: false });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }
    }
    const current = [newRS, ...freshOlds].map((rs) => this.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name)).filter((x): x is ReplicaSet => !!x);
    this.writeDeploymentStatus(d, current, this.store.get('ReplicaSet', newRS.metadata.namespace, newRS.metadata.name), conditions);
  }

  private writeStatusRaw(d: Deployment, status: DeploymentStatus): void {
    this.writeStatus(d, status);
  }

  private writeDeploymentStatus(d: Deployment, rss: ReplicaSet[], newRS: ReplicaSet | undefined, conditions: DeploymentCondition[]): void {
    const now = this.cluster.clock.iso();
    const replicas = d.spec.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + f(rs), 0);
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const unavailable = Math.max(0, sum((rs) => rs.spec?.replicas ?? 0) - available);
    // calculateStatus: Available first
    if (available >= replicas - this.maxUnavailable(d)) {
      conditions = setDeployCondition(conditions, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now);
    } else {
      conditions = setDeployCondition(conditions, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
    }
    if (newRS) {
      const complete = updated === replicas && available === replicas && total === replicas && (newRS.spec.replicas ?? 0) === replicas;
      if (complete) {
        conditions = setDeployCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` }, now);
      } else {
        const prev: DeploymentStatus = d.status ?? {};
        const progressing = updated > (prev.updatedReplicas ?? 0) || available > (prev.availableReplicas ?? 0) || total < (prev.replicas ?? 0) || (prev.replicas ?? 0) === 0;
        const cur = conditions.find((c) => c.type === 'Progressing');
        const msg = `ReplicaSet "${newRS.metadata.name}" is progressing.`;
        if ((progressing && cur?.reason !== 'NewReplicaSetCreated') || !cur || cur.reason === 'NewReplicaSetAvailable') {
          // progress made: ReplicaSetUpdated with a fresh lastUpdateTime (the deadline restarts)
          const rest = conditions.filter((c) => c.type !== 'Progressing');
          const keep = cur && cur.status === 'True' ? cur.lastTransitionTime : now;
          conditions = [...rest, { lastTransitionTime: keep, lastUpdateTime: now, message: msg, reason: 'ReplicaSetUpdated', status: 'True', type: 'Progressing' }];
          if (cur && cur.reason === 'ReplicaSetUpdated' && cur.message === msg && !progressing) conditions = [...rest, cur];
        }
        // progress deadline (pkg/controller/deployment/progress.go)
        const pc = conditions.find((c) => c.type === 'Progressing');
        const key = `Deployment/${d.metadata.namespace}/${d.metadata.name}`;
        if (pc && pc.status === 'True') {
          const due = Date.parse(pc.lastUpdateTime ?? '') + (d.spec.progressDeadlineSeconds ?? 600) * 1000;
          if (due <= this.cluster.clock.now()) {
            conditions = setDeployCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` }, now);
            this.deadlines.delete(key);
          } else this.deadlines.set(key, due);
        }
      }
    }
    if (!newRS || (updated === replicas && available === replicas && total === replicas)) this.deadlines.delete(`Deployment/${d.metadata.namespace}/${d.metadata.name}`);
    const status: DeploymentStatus = {
      ...omitZero({ availableReplicas: available }),
      ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
      conditions,
      observedGeneration: d.metadata.generation,
      // calculateStatus: unavailable = Σ spec.replicas of the ReplicaSets − available
      ...omitZero({ readyReplicas: ready, replicas: total, unavailableReplicas: unavailable, updatedReplicas: updated }),
    };
    this.writeStatus(d, status);
  }
}

// ---- StatefulSet --------------------------------------------------------------------

export class StatefulSetController extends PacedController<'StatefulSet'> {
  readonly name = 'statefulset-controller';
  protected readonly kind = 'StatefulSet';
  protected readonly childKinds = ['Pod'];

  protected createdMessage(owner: Workload, pod: string): string {
    return `create Pod ${pod} in StatefulSet ${owner.metadata.name} successful`;
  }

  protected deletedMessage(owner: Workload, pod: string): string {
    return `delete Pod ${pod} in StatefulSet ${owner.metadata.name} successful`;
  }


  protected sync(sts: StatefulSet): void {
    const name = sts.metadata.name;
    const revision = `${name}-${computeHash(sts.spec.template)}`;
    const replicas = sts.spec.replicas ?? 1;
    const parallel = sts.spec.podManagementPolicy === 'Parallel';
    const pods = this.ownedPods(sts);
    const byOrdinal = new Map<number, Pod>();
    for (const p of pods) {
      const m = /-(\d+)$/.exec(p.metadata.name);
      if (m && p.metadata.name === `${name}-${m[1]}`) byOrdinal.set(Number(m[1]), p);
    }
    // scale up in order; OrderedReady waits for each predecessor to be Running and Ready;
    // Parallel creates what is missing, at most BURST_REPLICAS a sync, paced like a ReplicaSet's
    const key = keyOf(sts);
    const now = this.cluster.clock.now();
    let created = 0;
    let failed = false;
    const paced = this.pacing.waiting(key, now);
    for (let i = 0; i < replicas && !paced && created < BURST_REPLICAS && !failed; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        created++;
        failed = !this.createPod(sts, sts.spec.template, {
          name: `${name}-${i}`,
          labels: { 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': `${name}-${i}` },
        }, (spec) => {
          spec.hostname = `${name}-${i}`;
          if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
        });
        if (!parallel) break;
        continue;
      }
      if (!parallel && (!isPodReady(p) || p.metadata.deletionTimestamp)) break;
    }
    if (created > 0) this.pacing.charge(key, now, created, failed);
    // scale down from the highest ordinal, one at a time (OrderedReady)
    const extra = [...byOrdinal.entries()].filter(([i]) => i >= replicas).sort((a, b) => b[0] - a[0]);
    for (const [, p] of extra) {
      if (!p.metadata.deletionTimestamp) this.deletePod(p, sts);
      if (!parallel) break;
    }
    // rolling update: replace the highest outdated ordinal once all others are ready
    const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (sts.spec.updateStrategy?.type !== 'OnDelete' && extra.length === 0) {
      const live = [...byOrdinal.entries()].filter(([i]) => i < replicas).sort((a, b) => b[0] - a[0]);
      const allReady = live.length === replicas && live.every(([, p]) => isPodReady(p) && !p.metadata.deletionTimestamp);
      if (allReady) {
        const outdated = live.find(([i, p]) => i >= partition && p.metadata.labels?.['controller-revision-hash'] !== revision);
        if (outdated) this.deletePod(outdated[1], sts);
      }
    }
    const current = this.ownedPods(sts).filter(isPodActive);
    const updated = current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const currentRevision = updated === current.length && current.length > 0 ? revision : sts.status?.currentRevision ?? revision;
    const status: StatefulSetStatus = {
      availableReplicas: current.filter((p) => isPodAvailable(p, sts.spec.minReadySeconds ?? 0, this.cluster.clock.now())).length,
      collisionCount: 0,
      ...omitZero({ currentReplicas: current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === currentRevision).length }),
      currentRevision,
      observedGeneration: sts.metadata.generation,
      ...omitZero({ readyReplicas: current.filter(isPodReady).length }),
      replicas: current.length,
      updateRevision: revision,
      ...omitZero({ updatedReplicas: updated }),
    };
    this.writeStatus(sts, status);
  }
}

// ---- DaemonSet ----------------------------------------------------------------------

/** util.AddOrUpdateDaemonPodTolerations */
function daemonTolerations(spec: Pick<PodSpec, 'tolerations' | 'hostNetwork'>): Toleration[] {
  const t: Toleration[] = [...(spec.tolerations ?? [])];
  const add = (key: string, effect: string) => {
    if (!t.some((x) => x.key === key && x.effect === effect && x.operator === 'Exists')) t.push({ effect, key, operator: 'Exists' });
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return t;
}

export class DaemonSetController extends WorkloadController<'DaemonSet'> {
  readonly name = 'daemonset-controller';
  protected readonly kind = 'DaemonSet';
  protected readonly childKinds = ['Pod'];

  protected onChange(c: Change): void {
    super.onChange(c);
    if (c.object.kind === 'Node') for (const ds of this.store.iterate('DaemonSet')) this.dirty.add(keyOf(ds));
  }

  private shouldRun(ds: DaemonSet, node: Node): boolean {
    const spec: Partial<PodSpec> = ds.spec.template?.spec ?? {};
    const tolerations = daemonTolerations(spec);
    for (const t of node.spec?.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t)) return false;
    }
    if (spec.nodeSelector && !matchesMap(spec.nodeSelector, node.metadata.labels ?? {})) return false;
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (terms?.length) {
      const ok = terms.some((term) => (term.matchExpressions ?? []).every((e) => matchesSelector({ matchExpressions: [e] }, node.metadata.labels ?? {})));
      if (!ok) return false;
    }
    return true;
  }

  protected sync(ds: DaemonSet): void {
    const hash = computeHash(ds.spec.template);
    const generation = String(ds.metadata.generation ?? 1);
    const nodes = this.store.list('Node');
    const pods = this.ownedPods(ds);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? p.spec?.nodeName;
      if (!n) continue;
      if (!byNode.has(n)) byNode.set(n, []);
      byNode.get(n)!.push(p);
    }
    let desired = 0;
    let misscheduled = 0;
    const maxUnavailable = intOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, nodes.length, false) || 1;
    let unavailableBudget = maxUnavailable;
    for (const node of nodes) {
      const run = this.shouldRun(ds, node);
      const mine = (byNode.get(node.metadata.name) ?? []).filter(isPodActive);
      if (run) {
        desired++;
        if (mine.length === 0) {
          this.createPod(ds, ds.spec.template, { generateName: `${ds.metadata.name}-`, labels: { 'controller-revision-hash': hash, 'pod-template-generation': generation } }, (spec) => {
            spec.affinity = {
              ...(spec.affinity ?? {}),
              nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.metadata.name] }] }] } },
            };
            spec.tolerations = daemonTolerations(spec);
          });
        } else {
          for (const extra of mine.slice(1)) this.deletePod(extra, ds);
        }
      } else if (mine.length) {
        misscheduled++;
        for (const p of mine) this.deletePod(p, ds);
      }
    }
    // rolling update: replace outdated pods while others are available
    if (ds.spec.updateStrategy?.type !== 'OnDelete') {
      const live = this.ownedPods(ds).filter(isPodActive);
      unavailableBudget -= live.filter((p) => !isPodReady(p)).length;
      for (const p of live.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
        if (unavailableBudget <= 0) break;
        if (p.metadata.labels?.['controller-revision-hash'] !== hash && isPodReady(p)) {
          this.deletePod(p, ds);
          unavailableBudget--;
        }
      }
    }
    const current = this.ownedPods(ds).filter(isPodActive);
    const ready = current.filter(isPodReady).length;
    const available = current.filter((p) => isPodAvailable(p, ds.spec.minReadySeconds ?? 0, this.cluster.clock.now())).length;
    const status: DaemonSetStatus = {
      currentNumberScheduled: current.filter((p) => p.spec?.nodeName).length,
      desiredNumberScheduled: desired,
      ...omitZero({ numberAvailable: available }),
      numberMisscheduled: misscheduled,
      numberReady: ready,
      ...omitZero({ numberUnavailable: Math.max(0, desired - available) }),
      observedGeneration: ds.metadata.generation,
      ...omitZero({ updatedNumberScheduled: current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length }),
    };
    this.writeStatus(ds, status);
  }
}
