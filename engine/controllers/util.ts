/** Helpers the control-plane controllers share: owner references, pod state, conditions. */
import type { KubeObject, OwnerReference } from '../cluster/types';
import type { Cluster } from '../cluster/cluster';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: KubeObject): boolean {
  return !!pod.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const c = pod.status.conditions.find((x: Obj) => x.type === 'Ready');
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** A shallow copy with a new status (controllers never mutate stored objects in place). */
export function withStatus(obj: KubeObject, status: Obj): KubeObject {
  return { ...obj, metadata: { ...obj.metadata }, status };
}

/** Sets a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conditions: Obj[] | undefined, c: Obj, now: string, withUpdateTime = false): Obj[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: Obj = { ...c };
  if (withUpdateTime) {
    const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
    next.lastUpdateTime = same ? prev.lastUpdateTime : now;
  }
  next.lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : now;
  if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message) return list;
  if (i >= 0) list[i] = orderCondition(next, withUpdateTime);
  else list.push(orderCondition(next, withUpdateTime));
  return list;
}

function orderCondition(c: Obj, withUpdateTime: boolean): Obj {
  const out: Obj = {};
  if (withUpdateTime) {
    out.lastTransitionTime = c.lastTransitionTime;
    out.lastUpdateTime = c.lastUpdateTime;
    out.message = c.message;
    out.reason = c.reason;
  } else {
    out.lastProbeTime = c.lastProbeTime ?? null;
    out.lastTransitionTime = c.lastTransitionTime;
    if (c.message !== undefined) out.message = c.message;
    if (c.reason !== undefined) out.reason = c.reason;
  }
  out.status = c.status;
  out.type = c.type;
  return out;
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
export function nowIso(sim: Cluster): string {
  return sim.clock.iso();
}

/** Taint toleration (v1helper.TolerationsTolerateTaint). */
export function tolerates(tolerations: Obj[] | undefined, taint: Obj): boolean {
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
