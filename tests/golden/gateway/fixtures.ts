/** The Gateway API tests' cluster and the quickstart's commands (tests/golden/gateway, tests/unit/controllers/gateway). */
/** Two web apps behind ClusterIP Services, a team-b namespace with its own, and a cloud load-balancer pool. */
export const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  loadBalancerPool: [203.0.113.0/28]
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: team-b }
${['app', 'api', 'canary'].map((n) => `  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: ${n}, labels: { app: ${n} } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: ${n} } }
      template:
        metadata: { labels: { app: ${n} } }
        spec:
          containers:
            - name: ${n}
              image: hashicorp/http-echo:1.0
              args: ["-listen=:8080", "-text=hello from ${n}"]
  - apiVersion: v1
    kind: Service
    metadata: { name: ${n} }
    spec:
      selector: { app: ${n} }
      ports: [{ port: 80, targetPort: 8080 }]`).join('\n')}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: echo, namespace: team-b, labels: { app: echo } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: echo } }
      template:
        metadata: { labels: { app: echo } }
        spec:
          containers:
            - name: echo
              image: ealen/echo-server:0.9.2
  - apiVersion: v1
    kind: Service
    metadata: { name: echo, namespace: team-b }
    spec:
      selector: { app: echo }
      ports: [{ port: 80, targetPort: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: idle }
    spec:
      selector: { app: nobody }
      ports: [{ port: 80, targetPort: 8080 }]
`;

export const INSTALL = [
  'helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.0 -n envoy-gateway-system --create-namespace',
  'kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available',
];

export const QUICKSTART_YAML = `cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: app
spec:
  parentRefs:
    - name: eg
  hostnames:
    - "www.example.com"
  rules:
    - backendRefs:
        - name: app
          port: 80
      matches:
        - path:
            type: PathPrefix
            value: /
EOF`;

