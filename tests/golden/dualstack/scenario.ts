/** A small dual-stack cluster (kind's layout: ULA ranges, a /64 per node) for the dual-stack goldens. */
export const DUAL_STACK = `
cluster:
  cni: flannel
  podCIDR: [10.244.0.0/16, fd00:10:244::/56]
  serviceCIDR: [10.96.0.0/12, fd00:10:96::/108]
  nodes:
    - { name: control-plane, ip: 192.168.49.2, ipv6: fc00:f853:ccd:e793::2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3, ipv6: fc00:f853:ccd:e793::3, role: worker }
    - { name: node-2, ip: 192.168.49.4, ipv6: fc00:f853:ccd:e793::4, role: worker }
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers:
            - { name: web, image: nginx:1.27, ports: [{ containerPort: 80 }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web-single }
    spec:
      selector: { app: web }
      ports: [{ port: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-dual }
    spec:
      ipFamilyPolicy: PreferDualStack
      selector: { app: web }
      ports: [{ port: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-v6 }
    spec:
      ipFamilies: [IPv6]
      selector: { app: web }
      ports: [{ port: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-headless }
    spec:
      clusterIP: None
      ipFamilyPolicy: RequireDualStack
      selector: { app: web }
      ports: [{ port: 80 }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec:
      containers:
        - { name: client, image: nicolaka/netshoot, command: [sleep, infinity] }
`;
