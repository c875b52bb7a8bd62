/**
 * /etc/cni/net.d/ on a node: the network configuration each plugin's installer writes
 * (the kubelet/containerd pick the first file in lexical order). Contents follow the
 * plugins' own templates with their placeholders substituted:
 *  - calico: calico.yaml ConfigMap `calico-config` key cni_network_config (install-cni
 *    replaces __KUBERNETES_NODE_NAME__, __CNI_MTU__ (veth_mtu "0" = auto) and __KUBECONFIG_FILEPATH__)
 *  - flannel: kube-flannel.yml ConfigMap `kube-flannel-cfg` key cni-conf.json, copied by the
 *    install-cni init container; flanneld also writes /run/flannel/subnet.env
 *  - cilium: the agent's 05-cilium.conflist (cilium-cni, debug off)
 *  - weave: weave-kube's 10-weave.conflist
 *  - aws-vpc-cni: the aws-node init's 10-aws.conflist (misc/10-aws.conflist template)
 */
import type { ClusterRuntime } from '../runtime';
import { intToIp, parseCidr } from './ipv4';
import { podMtuFor } from './plugins';
import type { NodeInfo } from './topology';

export function cniConfigFiles(sim: ClusterRuntime, node: NodeInfo): Record<string, string> {
  const s = sim.settings;
  switch (s.cni) {
    case 'calico':
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
    case 'flannel': {
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
        '/run/flannel/subnet.env': `FLANNEL_NETWORK=${s.podCIDR}\nFLANNEL_SUBNET=${intToIp(c.network + 1)}/${c.prefix}\nFLANNEL_MTU=${podMtuFor(sim)}\nFLANNEL_IPMASQ=true\n`,
      };
    }
    case 'cilium':
      return {
        '/etc/cni/net.d/05-cilium.conflist': `{
  "cniVersion": "0.3.1",
  "name": "cilium",
  "plugins": [
    {
       "type": "cilium-cni",
       "enable-debug": false,
       "log-file": "/var/run/cilium/cilium-cni.log"
    }
  ]
}
`,
      };
    case 'weave':
      return {
        '/etc/cni/net.d/10-weave.conflist': `{
    "cniVersion": "0.3.0",
    "name": "weave",
    "plugins": [
        {
            "name": "weave",
            "type": "weave-net",
            "hairpinMode": true
        },
        {
            "type": "portmap",
            "capabilities": {"portMappings": true},
            "snat": true
        }
    ]
}
`,
      };
    case 'aws-vpc-cni':
      return {
        '/etc/cni/net.d/10-aws.conflist': `{
  "cniVersion": "0.4.0",
  "name": "aws-cni",
  "disableCheck": true,
  "plugins": [
    {
      "name": "aws-cni",
      "type": "aws-cni",
      "vethPrefix": "eni",
      "mtu": "9001",
      "podSGEnforcingMode": "strict",
      "pluginLogFile": "/var/log/aws-routed-eni/plugin.log",
      "pluginLogLevel": "DEBUG",
      "capabilities": {"io.kubernetes.cri.containerd": true}
    },
    {
      "name": "egress-cni",
      "type": "egress-cni",
      "mtu": "9001",
      "enabled": "false",
      "randomizeSNAT": "prng",
      "nodeIP": "${node.ip}",
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "fd00::ac:00/118"}]],
        "routes": [{"dst": "::/0"}],
        "dataDir": "/run/cni/v4pd/egress-v6-ipam"
      },
      "pluginLogFile": "/var/log/aws-routed-eni/egress-v6-plugin.log",
      "pluginLogLevel": "DEBUG"
    },
    {
      "type": "portmap",
      "capabilities": {"portMappings": true},
      "snat": true
    }
  ]
}
`,
      };
  }
}
