/** A small cluster with pinned addresses for the DNS and CNI tests (no system layer: everything is spelled out). */
export function scenario(cni = 'flannel', extra = '', proxyMode = 'iptables'): string {
  return `
cluster:
  cni: ${cni}
  proxyMode: ${proxyMode}
  systemLayer: false
  nodes:
    - { name: node-1, ip: 192.168.49.2, podCIDR: 10.244.0.0/24 }
    - { name: node-2, ip: 192.168.49.3, podCIDR: 10.244.1.0/24 }
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: default }
  - apiVersion: v1
    kind: Namespace
    metadata: { name: kube-system }
  - apiVersion: v1
    kind: Service
    metadata: { name: kube-dns, namespace: kube-system, labels: { k8s-app: kube-dns } }
    spec:
      clusterIP: 10.96.0.10
      selector: { k8s-app: kube-dns }
      ports:
        - { name: dns, port: 53, protocol: UDP, targetPort: 53 }
        - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 53 }
        - { name: metrics, port: 9153, protocol: TCP, targetPort: 9153 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: coredns-7db6d8ff4d-x2x4w, namespace: kube-system, labels: { k8s-app: kube-dns } }
    spec:
      nodeName: node-1
      dnsPolicy: Default
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.3
          ports:
            - { name: dns, containerPort: 53, protocol: UDP }
            - { name: dns-tcp, containerPort: 53, protocol: TCP }
            - { name: metrics, containerPort: 9153, protocol: TCP }
    status: { phase: Running, podIP: 10.244.0.2, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: default }
    spec:
      clusterIP: 10.96.12.3
      selector: { app: web }
      ports:
        - { name: http, port: 80, protocol: TCP, targetPort: 80 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-0, namespace: default, labels: { app: web } }
    spec:
      nodeName: node-1
      containers: [{ name: nginx, image: nginx:1.27, ports: [{ containerPort: 80 }] }]
    status: { phase: Running, podIP: 10.244.0.5, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: default, labels: { app: web } }
    spec:
      nodeName: node-2
      containers: [{ name: nginx, image: nginx:1.27, ports: [{ containerPort: 80 }] }]
    status: { phase: Running, podIP: 10.244.1.7, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: db, namespace: default }
    spec:
      clusterIP: None
      selector: { app: db }
      ports:
        - { name: pg, port: 5432, protocol: TCP, targetPort: 5432 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: db-0, namespace: default, labels: { app: db } }
    spec:
      nodeName: node-2
      hostname: db-0
      subdomain: db
      containers: [{ name: postgres, image: postgres:16, ports: [{ containerPort: 5432 }] }]
    status: { phase: Running, podIP: 10.244.1.9, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: search, namespace: default }
    spec:
      type: ExternalName
      externalName: example.com
  - apiVersion: v1
    kind: Pod
    metadata: { name: client, namespace: default }
    spec:
      nodeName: node-2
      containers: [{ name: client, image: busybox:1.36, command: [sleep, "3600"] }]
    status: { phase: Running, podIP: 10.244.1.4, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: tools, namespace: default }
    spec:
      nodeName: node-1
      containers: [{ name: tools, image: nicolaka/netshoot:v0.13, command: [sleep, "3600"] }]
    status: { phase: Running, podIP: 10.244.0.8, conditions: [{ type: Ready, status: "True" }] }
${extra}`;
}

/**
 * A calico-node DaemonSet that schedules nowhere but carries `env` (a YAML flow sequence):
 * the plugin reads its configuration (encapsulation, MTU) from it, as Calico's manifests set it.
 */
export function calicoNodeEnv(env: string): string {
  return `
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: { name: calico-node, namespace: kube-system }
    spec:
      selector: { matchLabels: { k8s-app: calico-node } }
      template:
        metadata: { labels: { k8s-app: calico-node } }
        spec:
          nodeSelector: { no-such-node: "true" }
          containers: [{ name: calico-node, image: docker.io/calico/node:v3.28.2, env: ${env} }]
`;
}
