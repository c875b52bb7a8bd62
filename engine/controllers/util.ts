/** Helpers the control-plane controllers share: owner references, pod state, conditions. */
import type { KubeObject, OwnerReference, Pod, PodCondition, PodStatus, Taint, Toleration } from '../cluster/types';
import type { Cluster } from '../cluster/cluster';
import { sha256 } from '../cluster/hash';

/**
 * A free-form object being built. Only controllers/system.ts (another room) still uses
 * it; typed code uses the kinds in cluster/types.
 */
export type Obj = Record<string, unknown>;

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function isTerminating(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp;
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  // isPodReady found the Ready condition
  const since = pod.status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime;
  return Date.parse(since ?? '') + minReadySeconds * 1000 <= now;
}

/** A shallow copy with a new status (controllers never mutate stored objects in place). */
export function withStatus<T extends KubeObject>(obj: T, status: T['status']): T {
  return { ...obj, metadata: { ...obj.metadata }, status };
}

/**
 * PodObservedGenerationTracking (beta, on by default in v1.34): who writes a pod condition
 * (the kubelet; the scheduler and the binding for PodScheduled) records the pod's
 * metadata.generation it acted on in the condition's observedGeneration.
 */
export function observedConditions(pod: Pod, conditions: PodCondition[]): PodCondition[] {
  const g = pod.metadata.generation;
  if (g === undefined) return conditions;
  return conditions.map((c) => (c.observedGeneration === g ? c : orderCondition({ ...c, observedGeneration: g })));
}

/** The kubelet's status write: its conditions observed, and status.observedGeneration. */
export function observedPodStatus(pod: Pod, status: PodStatus): PodStatus {
  const g = pod.metadata.generation;
  if (g === undefined) return status;
  return { ...status, ...(status.conditions ? { conditions: observedConditions(pod, status.conditions) } : {}), observedGeneration: g };
}

/** What a controller says about a pod condition; setCondition adds the times. */
export type ConditionChange = Pick<PodCondition, 'type' | 'status' | 'reason' | 'message'>;

/** Sets a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conditions: PodCondition[] | undefined, c: ConditionChange, now: string): PodCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: PodCondition = { ...c };
  next.lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : now;
  if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message) return list;
  if (i >= 0) list[i] = orderCondition(next);
  else list.push(orderCondition(next));
  return list;
}

/** A pod condition's fields in the order the API serialises them. */
function orderCondition(c: PodCondition): PodCondition {
  return {
    lastProbeTime: c.lastProbeTime ?? null,
    lastTransitionTime: c.lastTransitionTime,
    ...(c.message !== undefined ? { message: c.message } : {}),
    ...(c.observedGeneration !== undefined ? { observedGeneration: c.observedGeneration } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    status: c.status,
    type: c.type,
  };
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves an int-or-percent (maxSurge/maxUnavailable) against `total`. */
export function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const s = String(v ?? '0');
  if (s.endsWith('%')) {
    const pct = Number(s.slice(0, -1));
    const raw = (pct * total) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  return Number(s) || 0;
}

/** Key of the controller owning `obj` (same namespace), e.g. `ReplicaSet/default/web-7c5…`. */
export function ownerKey(obj: KubeObject, kind?: string): string | undefined {
  const r = controllerOf(obj);
  if (!r || (kind && r.kind !== kind)) return undefined;
  return `${r.kind}/${obj.metadata.namespace ?? ''}/${r.name}`;
}

/** The simulated control plane's notion of "now" as an RFC 3339 timestamp. */
export function nowIso(cluster: Cluster): string {
  return cluster.clock.iso();
}

/** Taint toleration (v1helper.TolerationsTolerateTaint). */
export function tolerates(tolerations: Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  for (const t of tolerations ?? []) {
    if (t.effect && t.effect !== taint.effect) continue;
    if (t.operator === 'Exists') {
      if (!t.key || t.key === taint.key) return true;
      continue;
    }
    if (t.key === taint.key && (t.value ?? '') === (taint.value ?? '')) return true;
  }
  return false;
}

/**
 * A UID for an object the cluster makes for itself (the bootstrap RBAC policy, a namespace's
 * default ServiceAccount and kube-root-ca.crt), derived from what it is rather than drawn
 * from the seeded stream: adding such objects leaves every later draw (Pod names, IPs,
 * scheduling) as it was.
 */
export function derivedUid(key: string): string {
  const h = sha256(`uid|${key}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
