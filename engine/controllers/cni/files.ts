/**
 * The files the plugin leaves on a node (/etc/cni/net.d/*, /run/flannel/subnet.env),
 * registered with the VFS on every node through the shell room's provider API
 * (`cluster.fs.provide`), when it is there.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterRuntime } from '../runtime';
import type { HostRef } from '../../types';
import { cniPlugin } from './registry';
import { findNode, type NodeInfo } from './topology';

type Provide = (match: (h: HostRef) => boolean, path: string, render: (h: HostRef) => string | undefined) => void;

/** The plugin's files on a node, by path; the kubelet/containerd pick the first net.d file in lexical order. */
export function cniConfigFiles(cluster: Cluster, node: NodeInfo): Record<string, string> {
  return cniPlugin(cluster.settings).configFiles(cluster, node);
}

export function registerCniFiles(cluster: ClusterRuntime): void {
  const provide = (cluster.fs as unknown as { provide?: Provide }).provide?.bind(cluster.fs);
  if (!provide) return;
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
