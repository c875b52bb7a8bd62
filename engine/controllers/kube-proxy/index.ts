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

export function createKubeProxyModules(sim: ClusterRuntime): SimModule[] {
  return [new KubeProxy(sim)];
}

/** The kube-proxy module of a simulation. */
export function kubeProxyOf(sim: ClusterRuntime): KubeProxy {
  return sim.kubeProxy;
}

/**
 * What a node's netfilter (and, in IPVS mode, IPVS) does to a packet entering it from a
 * local pod, from the host itself, or from the wire. Executes the node's current rules.
 */
export function translate(sim: ClusterRuntime, node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
  return kubeProxyOf(sim).translate(node, pkt, origin);
}

/** Adds (or refreshes) a conntrack entry on a node. */
export function recordConnection(sim: ClusterRuntime, node: string, entry: ConntrackEntry): void {
  kubeProxyOf(sim).recordConnection(node, entry);
}
