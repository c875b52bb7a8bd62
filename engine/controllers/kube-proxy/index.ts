/**
 * kube-proxy: the module the simulation runs (./kube-proxy.ts) and what the rest of the
 * engine reaches it by. Layout and how to add a proxy mode: ./README.md.
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { ConntrackEntry } from './conntrack';
import { KubeProxy } from './kube-proxy';

export { KubeProxy, SYNC_PERIOD_MS } from './kube-proxy';
export type { NodeInfo, Proxier, ProxierDeps, SyncRequest } from './proxier';
export type { ConntrackEntry } from './conntrack';
export { splitSaved } from './snapshot';
export { ipv6KubeletTables } from './iptables/ipv6';

export function createKubeProxyModules(cluster: ClusterRuntime): SimModule[] {
  return [new KubeProxy(cluster)];
}

/** The kube-proxy module of a simulation. */
export function kubeProxyOf(cluster: ClusterRuntime): KubeProxy {
  return cluster.kubeProxy;
}

/**
 * What a node's netfilter (and, in IPVS mode, IPVS) does to a packet entering it from a
 * local pod, from the host itself, or from the wire. Executes the node's current rules.
 */
export function translate(cluster: ClusterRuntime, node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
  return kubeProxyOf(cluster).translate(node, pkt, origin);
}

/** Adds (or refreshes) a conntrack entry on a node. */
export function recordConnection(cluster: ClusterRuntime, node: string, entry: ConntrackEntry): void {
  kubeProxyOf(cluster).recordConnection(node, entry);
}
