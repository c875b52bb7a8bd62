/**
 * /etc/resolv.conf and /etc/hosts as derived files: in every pod (as the kubelet wrote
 * them) and on every node. Registered through the shell room's VFS provider API when it
 * is there (`cluster.fs.provide(match, path, render)`).
 */
import type { ClusterRuntime } from '../runtime';
import type { HostRef } from '../../types';
import { hostsFile, nodeHostsFile, nodeResolvConf, resolvConf } from './resolvconf';

type Provide = (match: (h: HostRef) => boolean, path: string, render: (h: HostRef) => string | undefined) => void;

export function registerDnsFiles(cluster: ClusterRuntime): void {
  const provide = (cluster.fs as unknown as { provide?: Provide }).provide?.bind(cluster.fs);
  if (!provide) return;
  const pod = (h: HostRef) => (h.kind === 'pod' ? cluster.store.get('Pod', h.namespace, h.pod) : undefined);
  provide((h) => h.kind === 'pod', '/etc/resolv.conf', (h) => {
    const p = pod(h);
    return p ? resolvConf(cluster, p) : undefined;
  });
  provide((h) => h.kind === 'pod', '/etc/hosts', (h) => {
    const p = pod(h);
    return p ? hostsFile(cluster, p) : undefined;
  });
  provide((h) => h.kind === 'node', '/etc/resolv.conf', (h) => (h.kind === 'node' ? nodeResolvConf(cluster, h.node) : undefined));
  provide((h) => h.kind === 'node', '/etc/hosts', (h) => (h.kind === 'node' ? nodeHostsFile(h.node) : undefined));
}
