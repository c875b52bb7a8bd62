/**
 * The CNI plugin's own netfilter chains on a node, next to kube-proxy's and kubelet's:
 * Calico Felix's cali-*, flanneld's FLANNEL-*, Weave's WEAVE*, Cilium's CILIUM_*, the AWS
 * VPC CNI's AWS-SNAT-CHAIN-0. Their content lives with each plugin
 * (controllers/cni/plugins/<name>/chains.ts); kube-proxy calls these two at its syncs.
 */
import type { ClusterRuntime } from '../runtime';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import type { IpSet } from '../../dataplane/ipvs/ipset';
import type { NodeInfo } from './index';
import { cniPlugin, workloadEndpoints } from '../cni';

/** The plugin agent's chains on a node and its jumps from the built-in chains. */
export function cniChains(cluster: ClusterRuntime, nf: NodeNetfilter, info: NodeInfo): void {
  cniPlugin(cluster.settings).nodeChains(cluster, nf, info);
}

/**
 * Per-workload chains on a node (Calico's cali-fw-/cali-tw- and the dispatch chains that
 * send each local pod's veth to them), rebuilt whenever pods come and go; plugins without
 * per-workload chains have nothing to do.
 */
export function calicoWorkloadChains(cluster: ClusterRuntime, nf: NodeNetfilter, node: string): void {
  cniPlugin(cluster.settings).workloadChains?.(nf, () => workloadEndpoints(cluster, node), cluster);
}

/** The agent's chains in a dual-stack node's IPv6 tables (flanneld's, with the IPv6 network); none for the other plugins. */
export function cniChains6(cluster: ClusterRuntime, nf: NodeNetfilter, info: NodeInfo): void {
  cniPlugin(cluster.settings).nodeChains6?.(cluster, nf, info);
}

/** `-m set --match-set NAME` against the CNI agent's IP sets on the node (Felix's cali40*); undefined when it has no such set. */
export function cniIpset(cluster: ClusterRuntime, node: string, name: string): IpSet | undefined {
  return cniIpsets(cluster, node).find((s) => s.name === name);
}

/** The CNI agent's IP sets on a node (Felix's cali40*), as `ipset list` prints them; none for most plugins. */
export function cniIpsets(cluster: ClusterRuntime, node: string): IpSet[] {
  return cniPlugin(cluster.settings).ipsets?.(cluster, node) ?? [];
}
