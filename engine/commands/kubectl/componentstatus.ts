/**
 * ComponentStatus (v1, deprecated in v1.19 and still served): the API server computes each
 * one on request by probing the control plane — pkg/registry/core/componentstatus/rest.go
 * (List, Get: "Component not found: %s" as a plain error, a 500 without a reason) and
 * pkg/controlplane/instance.go's servers to validate: the scheduler's and the controller
 * manager's /healthz on 127.0.0.1 (10259, 10257; HTTPS, the body "ok" is the message) and
 * each etcd server (`etcd-0`, …; "ok" once its health check passes).
 *
 * Derived from the control plane's static pods: a component is Healthy while its mirror
 * pod runs (or while the scenario models no control plane), Unhealthy with the dial error
 * the prober reports otherwise.
 */
import type { KubeObject } from '../../cluster/types';
import { ApiError } from '../../cluster/api';
import type { Kctx } from './common';

interface Probe {
  name: string;
  /** The static pod's component. */
  component: string;
  /** HTTP servers: the health URL the prober gets. */
  url?: string;
}

/**
 * The order the objects come back in: rest.go collects them from goroutines, so a real
 * API server's order varies between calls; this is the one most often seen.
 */
const PROBES: Probe[] = [
  { name: 'scheduler', component: 'kube-scheduler', url: 'https://127.0.0.1:10259/healthz' },
  { name: 'controller-manager', component: 'kube-controller-manager', url: 'https://127.0.0.1:10257/healthz' },
  { name: 'etcd-0', component: 'etcd' },
];

function running(k: Kctx, component: string): boolean {
  let found = false;
  for (const pod of k.store.list('Pod', 'kube-system')) {
    if (pod.metadata.labels?.component !== component || pod.metadata.labels?.tier !== 'control-plane') continue;
    found = true;
    const ready = (pod.status?.containerStatuses ?? []).some((c) => c.ready);
    if (pod.status?.phase === 'Running' && ready && !pod.metadata.deletionTimestamp) return true;
  }
  return !found;
}

function componentStatus(k: Kctx, p: Probe): KubeObject {
  const healthy = running(k, p.component);
  const port = p.url ? new URL(p.url).port : '2379';
  const condition: Record<string, string> = { type: 'Healthy', status: healthy ? 'True' : 'False' };
  if (healthy) condition.message = 'ok';
  else condition.error = p.url ? `Get "${p.url}": dial tcp 127.0.0.1:${port}: connect: connection refused` : 'context deadline exceeded';
  // metav1.ObjectMeta's zero creationTimestamp marshals as null
  return { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: p.name, creationTimestamp: null }, conditions: [condition] } as unknown as KubeObject;
}

/** GET /api/v1/componentstatuses. */
export function listComponentStatuses(k: Kctx): KubeObject[] {
  return PROBES.map((p) => componentStatus(k, p));
}

/** GET /api/v1/componentstatuses/NAME; an unknown name is a plain error (500, no reason). */
export function getComponentStatus(k: Kctx, name: string): KubeObject {
  const p = PROBES.find((x) => x.name === name);
  if (!p) throw new ApiError('', `Component not found: ${name}`, 500);
  return componentStatus(k, p);
}
