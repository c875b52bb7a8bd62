/** A kube-proxy-less Cilium cluster: a web Deployment behind ClusterIP, NodePort (externalTrafficPolicy: Local), LoadBalancer and sticky Services, and client pods. */
export const KPR_SCENARIO = `
cluster:
  cni: cilium
  kubeProxyReplacement: true
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
          containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec:
      selector: { app: web }
      ports: [{ port: 80, targetPort: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-local }
    spec:
      type: NodePort
      externalTrafficPolicy: Local
      selector: { app: web }
      ports: [{ port: 80, targetPort: 80, nodePort: 30080 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-lb }
    spec:
      type: LoadBalancer
      selector: { app: web }
      ports: [{ port: 80, targetPort: 80, nodePort: 30081 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-sticky }
    spec:
      sessionAffinity: ClientIP
      selector: { app: web }
      ports: [{ port: 80, targetPort: 80 }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: client, labels: { app: client } }
    spec:
      nodeName: node-1
      containers: [{ name: client, image: "curlimages/curl:8.11.1", command: [sleep, infinity] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: intruder, labels: { app: intruder } }
    spec:
      nodeName: node-2
      containers: [{ name: intruder, image: "curlimages/curl:8.11.1", command: [sleep, infinity] }]
`;

export const L7_POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web-read-only
spec:
  endpointSelector:
    matchLabels:
      app: web
  ingress:
  - fromEndpoints:
    - matchLabels:
        app: client
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      rules:
        http:
        - method: GET
          path: "/"
        - method: GET
          path: "/index\\\\.html"
`;

export const FQDN_POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: client-egress
spec:
  endpointSelector:
    matchLabels:
      app: client
  egress:
  - toEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: kube-system
        k8s:k8s-app: kube-dns
    toPorts:
    - ports:
      - port: "53"
        protocol: ANY
      rules:
        dns:
        - matchPattern: "*"
  - toFQDNs:
    - matchName: github.com
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
`;
