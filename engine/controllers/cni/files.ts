/**
 * The files the plugin leaves on a node (/etc/cni/net.d/*, /run/flannel/subnet.env),
 * registered with every node's filesystem (`cluster.fs.provide`, engine/hosts/vfs.ts).
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterRuntime } from '../runtime';
import { cniPlugin } from './registry';
import { findNode, type NodeInfo } from './topology';

/** The plugin's files on a node, by path; the kubelet/containerd pick the first net.d file in lexical order. */
export function cniConfigFiles(cluster: Cluster, node: NodeInfo): Record<string, string> {
  return cniPlugin(cluster.settings).configFiles(cluster, node);
}

export function registerCniFiles(cluster: ClusterRuntime): void {
  const provide = cluster.fs.provide.bind(cluster.fs);
  // the set of paths depends only on the plugin, which a scenario fixes
  const probe = cniConfigFiles(cluster, { name: 'node', ip: '192.168.49.2', podCIDR: '10.244.0.0/24', subnet: { network: 0, prefix: 24 }, gateway: '192.168.49.1', index: 0 });
  for (const path of Object.keys(probe)) {
    provide((h) => h.kind === 'node', path, (h) => {
      if (h.kind !== 'node') return undefined;
      const info = findNode(cluster, h.node);
      return info ? cniConfigFiles(cluster, info)[path] : undefined;
    });
  }
}
