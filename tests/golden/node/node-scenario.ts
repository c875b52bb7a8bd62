/** The cluster the node goldens run on: kubeadm's three nodes on Calico, a client Pod and a Service with two endpoints. */
export const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
objects:
  - apiVersion: v1
    kind: Pod
    metadata: {name: bb, labels: {app: bb}}
    spec:
      nodeName: node-1
      containers: [{name: bb, image: "busybox:1.36", command: ["sleep","3600"]}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app: web}
      ports: [{port: 80}]
`;
