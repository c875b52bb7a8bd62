/**
 * kube-controller-manager's Pod garbage collector, the part that collects orphans
 * (kubernetes pkg/controller/podgc/gc_controller.go gcOrphaned): every gcCheckPeriod (20 s)
 * it looks for Pods bound to a Node that no longer exists; such a Node is quarantined for
 * quarantineTime (40 s, the nodeQueue's AddAfter) and, if still gone at the first pass after,
 * each of its Pods is marked Failed with the condition DisruptionTarget (reason
 * DeletionByPodGC, "PodGC: node no longer exists") and force-deleted (grace period 0) — no
 * kubelet is left to end them.
 *
 * Only Nodes this cluster saw deleted are considered (a scenario may bind a Pod to a Node it
 * never had, to show a Pod that never starts; upstream would collect that one too).
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KubeObject } from '../cluster/types';
import { ApiError } from '../cluster/api';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;

export class PodGarbageCollector implements SimModule {
  readonly name = 'pod-garbage-collector';
  /** Deleted Node → the pass at which its Pods may be collected. */
  private quarantined = new Map<string, number>();
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      if (c.object.kind !== 'Node') return;
      const name = c.object.metadata.name;
      if (c.type === 'DELETED') {
        // seen at the next pass, collected at the first pass quarantineTime after it
        const pass = Math.ceil(this.cluster.clock.now() / GC_CHECK_PERIOD_MS) * GC_CHECK_PERIOD_MS;
        if (!this.quarantined.has(name)) this.quarantined.set(name, pass + QUARANTINE_MS);
      } else this.quarantined.delete(name);
    });
  }

  nextDue(): number | undefined {
    let due: number | undefined;
    for (const t of this.quarantined.values()) if (due === undefined || t < due) due = t;
    return due;
  }

  sizes(): Record<string, number> {
    return { quarantined: this.quarantined.size };
  }

  snapshot(): unknown {
    return [...this.quarantined];
  }

  restore(data?: unknown): void {
    this.quarantined = new Map(Array.isArray(data) ? data.filter((e): e is [string, number] => Array.isArray(e) && typeof e[0] === 'string' && Number.isFinite(e[1])) : []);
  }

  reconcile(): boolean {
    if (!this.quarantined.size) return false;
    const now = this.cluster.clock.now();
    let wrote = false;
    for (const [node, due] of [...this.quarantined]) {
      if (now < due) continue;
      this.quarantined.delete(node);
      if (this.cluster.store.get('Node', undefined, node)) continue;
      const orphans: KubeObject[] = [];
      for (const p of this.cluster.store.iterate('Pod')) if (p.spec?.nodeName === node) orphans.push(p);
      for (const p of orphans) {
        this.markFailedAndDelete(p);
        wrote = true;
      }
    }
    return wrote;
  }

  /** gc_controller.go markFailedAndDeletePodWithCondition. */
  private markFailedAndDelete(pod: KubeObject): void {
    const { namespace, name } = pod.metadata;
    if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
      const at = this.cluster.clock.iso();
      const conditions = ((pod.status?.conditions ?? []) as { type: string }[]).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({ type: 'DisruptionTarget', status: 'True', lastTransitionTime: at, reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } as { type: string });
      this.cluster.api.updateStatus({ ...pod, status: { ...(pod.status ?? {}), phase: 'Failed', conditions } });
    }
    try {
      this.cluster.api.delete('Pod', namespace, name, { gracePeriodSeconds: 0, reconcile: false });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
