/**
 * A scenario's manifests entering a fresh cluster. They are created SCENARIO_LEAD_MS
 * before the scenario's start and the cluster is then run up to the start, so pods are
 * Running, endpoints are filled and ages read a few minutes when the learner arrives.
 */
import type { Cluster } from '../cluster/cluster';
import { ApiError, SCENARIO_LEAD_MS } from '../cluster/api';
import type { Manifest } from '../cluster/types';
import { ScenarioError, type Scenario } from './load';

/** What happens between the objects' creation and the run-up to the start (a scenario's faults act here). */
export interface BootstrapHooks {
  beforeRunUp?(): void;
}

export function bootstrap(cluster: Cluster, scenario: Scenario, hooks: BootstrapHooks = {}): void {
  const start = cluster.clock.now();
  if (scenario.objects.length === 0) {
    hooks.beforeRunUp?.();
    return;
  }
  cluster.clock.set(start - SCENARIO_LEAD_MS);
  const ordered = scenario.objects.map((m, i) => ({ m, i })).sort((a, b) => kindOrder(a.m.kind) - kindOrder(b.m.kind));
  for (const { m, i } of ordered) {
    try {
      cluster.api.create(structuredClone(m) as Manifest, { keepStatus: true, reconcile: false, fieldManager: 'kubectl-create' });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // a scenario may spell out a namespace the cluster already has (default, kube-system)
      if (e.reason === 'AlreadyExists' && m.kind === 'Namespace') continue;
      // the lesson checker and `sim` report which manifest (and field) the API server refused
      const field = e.details?.causes?.[0]?.field;
      throw new ScenarioError(`objects[${i}] (${m.kind} ${String(m.metadata?.name ?? '')}): ${e.message}`, undefined, ['objects', i, ...fieldPath(field)]);
    }
  }
  cluster.reconcile();
  hooks.beforeRunUp?.();
  // run the cluster forward to the start (advance() stops at every moment something is due)
  const now = cluster.clock.now();
  if (start > now) cluster.advance(start - now);
}

/** `spec.ports[0].nodePort` → ['spec', 'ports', 0, 'nodePort'] (a data key like `data[tls.crt]` stays one segment). */
function fieldPath(field: string | undefined): (string | number)[] {
  if (!field) return [];
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

/** Namespaces first, then config, then Services, then workloads (as `kubectl apply -f dir/` tends to land). */
function kindOrder(kind: unknown): number {
  const order = ['Namespace', 'Node', 'ConfigMap', 'Secret', 'IngressClass', 'Service', 'Endpoints', 'EndpointSlice'];
  const i = order.indexOf(String(kind));
  return i < 0 ? order.length : i;
}
