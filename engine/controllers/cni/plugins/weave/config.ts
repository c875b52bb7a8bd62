/** The network configuration weave-kube writes on a node: 10-weave.conflist. */
export function weaveConfigFiles(): Record<string, string> {
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
}
