/** The cluster the node-runtime goldens run on: Calico, iptables mode, two Pods on node-1 beside the system layer. */
export const NODE_SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: bb, labels: { app: bb } }
    spec:
      nodeName: node-1
      containers: [{ name: bb, image: "busybox:1.36", command: [sleep, "3600"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, labels: { app: web } }
    spec:
      nodeName: node-1
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
`;
