/**
 * flannel's configuration, read where kube-flannel.yml keeps it: the kube-flannel-cfg
 * ConfigMap's net-conf.json `Backend.Type` (vxlan unless it says host-gw). And the files it
 * leaves on a node: cni-conf.json from the same ConfigMap, copied by the install-cni init
 * container, and /run/flannel/subnet.env, which flanneld writes for the flannel CNI plugin.
 */
import type { Cluster } from '../../../../cluster/cluster';
import { formatIPv4, parseCidr } from '../../../../cluster/ipv4';
import { formatIPv6, parseCidr6 } from '../../../../cluster/ipv6';
import { perRevision } from '../../memo';
import type { NodeInfo } from '../../topology';

export type FlannelBackend = 'vxlan' | 'host-gw';

export const flannelBackend = perRevision((cluster: Cluster): FlannelBackend => {
  const cm = cluster.store.get('ConfigMap', 'kube-flannel', 'kube-flannel-cfg') ?? cluster.store.get('ConfigMap', 'kube-system', 'kube-flannel-cfg');
  const text = cm?.data?.['net-conf.json'];
  if (typeof text === 'string') {
    try {
      const t = String(JSON.parse(text)?.Backend?.Type ?? '').toLowerCase();
      if (t === 'host-gw') return 'host-gw';
    } catch {
      // flanneld would refuse to start; the node keeps what it had
    }
  }
  return 'vxlan';
});

export function flannelConfigFiles(cluster: Cluster, node: NodeInfo, podMtu: number): Record<string, string> {
  const c = parseCidr(node.podCIDR)!;
  return {
    '/etc/cni/net.d/10-flannel.conflist': `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`,
    // flannel pkg/subnet WriteSubnetFile: the IPv4 pair, the IPv6 pair when IPv6 is on (dual-stack), MTU, IPMASQ
    '/run/flannel/subnet.env': `FLANNEL_NETWORK=${cluster.settings.podCIDR}\nFLANNEL_SUBNET=${formatIPv4(c.network + 1)}/${c.prefix}\n${ipv6Lines(cluster, node)}FLANNEL_MTU=${podMtu}\nFLANNEL_IPMASQ=true\n`,
  };
}

function ipv6Lines(cluster: Cluster, node: NodeInfo): string {
  const c6 = node.podCIDR6 ? parseCidr6(node.podCIDR6) : undefined;
  if (!c6 || !cluster.settings.podCIDRv6) return '';
  return `FLANNEL_IPV6_NETWORK=${cluster.settings.podCIDRv6}\nFLANNEL_IPV6_SUBNET=${formatIPv6(c6.network + 1n)}/${c6.prefix}\n`;
}
