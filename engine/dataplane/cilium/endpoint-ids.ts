/**
 * Cilium endpoint IDs (pkg/endpoint/id): each agent hands out free numbers in 1…4095 to the
 * endpoints it creates. Here the number is drawn from the pod's UID (the host endpoint's from
 * the node's name), the next free one on a collision, in the order the agent met them: the
 * host first, then the node's pods by creation. One allocation serves `cilium-dbg endpoint
 * list`, the CiliumEndpoints, Hubble's flows and `cilium-dbg monitor`.
 */
import type { Cluster } from '../../cluster/cluster';
import { sha256 } from '../../cluster/hash';
import { podInfo, type PodInfo } from '../topology';

export interface NodeEndpointIds {
  host: number;
  /** By `namespace/name`, in creation order. */
  pods: Map<string, { id: number; pod: PodInfo }>;
}

function draw(seed: string, used: Set<number>): number {
  let id = (parseInt(sha256(seed).slice(0, 8), 16) % 4095) + 1;
  while (used.has(id)) id = (id % 4095) + 1;
  used.add(id);
  return id;
}

const cache = new WeakMap<Cluster, { revision: number; byNode: Map<string, NodeEndpointIds> }>();

/** The endpoints an agent holds: the node's pods with an address, not host-network, not finished. */
function localPods(cluster: Cluster, node: string): PodInfo[] {
  return cluster.store
    .list('Pod')
    .map((o) => podInfo(o))
    .filter((p) => p.node === node && !p.hostNetwork && !!p.ip && p.phase !== 'Succeeded' && p.phase !== 'Failed')
    .sort((a, b) => (a.obj.metadata.creationTimestamp ?? '').localeCompare(b.obj.metadata.creationTimestamp ?? '') || a.name.localeCompare(b.name));
}

/** The endpoint IDs of the agent on `node` (computed once per store revision). */
export function endpointIds(cluster: Cluster, node: string): NodeEndpointIds {
  let c = cache.get(cluster);
  if (!c || c.revision !== cluster.store.revision) cache.set(cluster, (c = { revision: cluster.store.revision, byNode: new Map() }));
  let ids = c.byNode.get(node);
  if (!ids) {
    const used = new Set<number>();
    const host = draw(`host/${node}`, used);
    const pods = new Map<string, { id: number; pod: PodInfo }>();
    for (const pod of localPods(cluster, node)) pods.set(`${pod.namespace}/${pod.name}`, { id: draw(pod.obj.metadata.uid ?? `${pod.namespace}/${pod.name}`, used), pod });
    c.byNode.set(node, (ids = { host, pods }));
  }
  return ids;
}
