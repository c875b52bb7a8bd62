/**
 * Calico's configuration, read where calico.yaml keeps it: the calico-node DaemonSet's env
 * (CALICO_IPV4POOL_IPIP / CALICO_IPV4POOL_VXLAN: Always|CrossSubnet|Never, FELIX_IPINIPMTU,
 * FELIX_VXLANMTU); without the DaemonSet, the manifest's default IPIP. And the network
 * configuration install-cni writes: calico.yaml's ConfigMap `calico-config` key
 * cni_network_config, with __KUBERNETES_NODE_NAME__, __CNI_MTU__ (veth_mtu "0" = auto) and
 * __KUBECONFIG_FILEPATH__ substituted.
 */
import type { Cluster } from '../../../../cluster/cluster';
import { perRevision } from '../../memo';
import type { NodeInfo } from '../../topology';

export type CalicoEncap = 'ipip' | 'vxlan' | 'none';

export interface CalicoConfig {
  encap: CalicoEncap;
  /** FELIX_IPINIPMTU / FELIX_VXLANMTU, when set. */
  mtu?: number;
}

export const calicoConfig = perRevision((cluster: Cluster): CalicoConfig => {
  const ds = cluster.store.get('DaemonSet', 'kube-system', 'calico-node') ?? cluster.store.get('DaemonSet', 'calico-system', 'calico-node');
  const env = new Map<string, string>();
  for (const c of (ds?.spec?.template?.spec?.containers ?? []) as { env?: { name: string; value?: string }[] }[]) {
    for (const e of c.env ?? []) if (typeof e.value === 'string') env.set(e.name, e.value);
  }
  const on = (v: string | undefined) => v === 'Always' || v === 'CrossSubnet';
  const config: CalicoConfig = { encap: 'ipip' };
  if (on(env.get('CALICO_IPV4POOL_VXLAN'))) config.encap = 'vxlan';
  else if (on(env.get('CALICO_IPV4POOL_IPIP')) || !ds) config.encap = 'ipip';
  else if (env.has('CALICO_IPV4POOL_IPIP') || env.has('CALICO_IPV4POOL_VXLAN')) config.encap = 'none';
  const mtu = Number(env.get(config.encap === 'vxlan' ? 'FELIX_VXLANMTU' : 'FELIX_IPINIPMTU'));
  if (config.encap !== 'none' && Number.isInteger(mtu) && mtu > 0) config.mtu = mtu;
  return config;
});

export function calicoConfigFiles(node: NodeInfo): Record<string, string> {
  return {
    '/etc/cni/net.d/10-calico.conflist': `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "log_file_path": "/var/log/calico/cni/cni.log",
      "datastore_type": "kubernetes",
      "nodename": "${node.name}",
      "mtu": 0,
      "ipam": {
          "type": "calico-ipam"
      },
      "policy": {
          "type": "k8s"
      },
      "kubernetes": {
          "kubeconfig": "/etc/cni/net.d/calico-kubeconfig"
      }
    },
    {
      "type": "portmap",
      "snat": true,
      "capabilities": {"portMappings": true}
    },
    {
      "type": "bandwidth",
      "capabilities": {"bandwidth": true}
    }
  ]
}`,
  };
}
