/**
 * A plugin's configuration is read from objects in the store (a ConfigMap, a DaemonSet's
 * env) and asked for on every namespace build; read it once per store revision.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ObjectStore } from '../../cluster/store';

export function perRevision<T>(read: (cluster: Cluster) => T): (cluster: Cluster) => T {
  const seen = new WeakMap<ObjectStore, { revision: number; value: T }>();
  return (cluster) => {
    const hit = seen.get(cluster.store);
    if (hit && hit.revision === cluster.store.revision) return hit.value;
    const value = read(cluster);
    seen.set(cluster.store, { revision: cluster.store.revision, value });
    return value;
  };
}
