/** The network configuration cilium-agent writes on a node: 05-cilium.conflist (cilium-cni, debug off). */
export function ciliumConfigFiles(): Record<string, string> {
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
}
