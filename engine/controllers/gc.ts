/**
 * The garbage collector and the namespace controller. Deleting an owner deletes its
 * dependants (background propagation: Deployment → ReplicaSets → Pods, Service →
 * EndpointSlices), or strips their ownerReferences for propagationPolicy=Orphan.
 * Deleting a Namespace marks it Terminating; its contents are deleted and the
 * Namespace goes once it is empty.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KubeObject } from '../cluster/types';
import { type Change } from '../cluster/store';
import { ApiError } from '../cluster/api';
import { RESOURCES } from '../cluster/resources';
import { OwnerIndex, splitKey } from './index-cache';

export class GarbageCollector implements SimModule {
  readonly name = 'garbage-collector';
  /** uids of owners that are gone, whose dependants still need collecting */
  private gone: string[] = [];
  private namespaces = new Set<string>();
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster, private index: OwnerIndex) {}

  init(): void {
    this.unsubscribe?.();
    for (const ns of this.cluster.store.iterate('Namespace')) if (ns.metadata.deletionTimestamp) this.namespaces.add(ns.metadata.name);
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private onChange(c: Change): void {
    const o = c.object;
    if (c.type === 'DELETED') {
      if (o.metadata.uid) this.gone.push(o.metadata.uid);
      if (o.metadata.namespace && this.namespaces.has(o.metadata.namespace)) this.namespaces.add(o.metadata.namespace);
      return;
    }
    if (o.kind === 'Namespace' && o.metadata.deletionTimestamp) this.namespaces.add(o.metadata.name);
  }

  reconcile(): boolean {
    let wrote = false;
    while (this.gone.length) {
      const uid = this.gone.shift()!;
      const orphan = this.cluster.api.orphaned.has(uid);
      this.cluster.api.orphaned.delete(uid);
      for (const k of this.index.dependantsOf(uid)) {
        const [kind, ns, name] = splitKey(k);
        const dep = this.cluster.store.get(kind, ns, name);
        if (!dep) continue;
        const refs = dep.metadata.ownerReferences ?? [];
        const remaining = refs.filter((r) => r.uid !== uid && this.index.keyOfUid(r.uid));
        if (orphan || remaining.length > 0) {
          const next: KubeObject = { ...dep, metadata: { ...dep.metadata } };
          const kept = refs.filter((r) => r.uid !== uid);
          if (kept.length) next.metadata.ownerReferences = kept;
          else delete next.metadata.ownerReferences;
          this.cluster.api.updateStatus(next);
        } else if (!dep.metadata.deletionTimestamp) {
          this.deleteQuietly(kind, ns, name);
        }
        wrote = true;
      }
    }
    for (const ns of [...this.namespaces].sort()) {
      const obj = this.cluster.store.get('Namespace', undefined, ns);
      if (!obj || !obj.metadata.deletionTimestamp) {
        this.namespaces.delete(ns);
        continue;
      }
      let left = 0;
      for (const info of RESOURCES) {
        if (!info.namespaced) continue;
        for (const o of this.cluster.store.list(info.kind, ns)) {
          left++;
          if (!o.metadata.deletionTimestamp) {
            this.deleteQuietly(info.kind, ns, o.metadata.name);
            wrote = true;
          }
        }
      }
      if (left === 0) {
        this.cluster.store.remove('Namespace', undefined, ns);
        this.namespaces.delete(ns);
        wrote = true;
      }
    }
    return wrote;
  }

  private deleteQuietly(kind: string, ns: string | undefined, name: string): void {
    try {
      this.cluster.api.delete(kind, ns, name, { reconcile: false });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
