/**
 * /etc/resolv.conf and /etc/hosts as derived files: in every pod (as the kubelet wrote
 * them) and on every node, registered with the hosts' filesystems
 * (`cluster.fs.provide(match, path, render)`, engine/hosts/vfs.ts).
 */
import type { ClusterRuntime } from '../runtime';
import type { HostRef } from '../../types';
import { hostsFile, nodeHostsFile, nodeResolvConf, resolvConf, NODE_STUB_RESOLV_CONF } from './resolvconf';

export function registerDnsFiles(cluster: ClusterRuntime): void {
  const provide = cluster.fs.provide.bind(cluster.fs);
  const pod = (h: HostRef) => (h.kind === 'pod' ? cluster.store.get('Pod', h.namespace, h.pod) : undefined);
  provide((h) => h.kind === 'pod', '/etc/resolv.conf', (h) => {
    const p = pod(h);
    return p ? resolvConf(cluster, p) : undefined;
  });
  provide((h) => h.kind === 'pod', '/etc/hosts', (h) => {
    const p = pod(h);
    return p ? hostsFile(cluster, p) : undefined;
  });
  // systemd-resolved: /etc/resolv.conf is its stub; the kubelet reads the uplink file
  provide((h) => h.kind === 'node', '/etc/resolv.conf', () => NODE_STUB_RESOLV_CONF);
  provide((h) => h.kind === 'node', '/run/systemd/resolve/stub-resolv.conf', () => NODE_STUB_RESOLV_CONF);
  provide((h) => h.kind === 'node', '/run/systemd/resolve/resolv.conf', (h) => (h.kind === 'node' ? nodeResolvConf(cluster, h.node) : undefined));
  provide((h) => h.kind === 'node', '/etc/hosts', (h) => (h.kind === 'node' ? nodeHostsFile(h.node) : undefined));
}
