/**
 * A playground session a learner might type: a namespace, a Deployment and its Service, a
 * bare Pod, configuration, a NetworkPolicy, a Service without a selector with its own
 * EndpointSlice, and a Deployment scaled and edited (so it has a revision, a
 * last-applied annotation and derived ReplicaSets, Pods and slices to leave out).
 */
export const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: default
      podSelector:
        matchLabels:
          run: client
    ports:
    - port: 80
`;

export const EXTERNAL = `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
spec:
  ports:
  - port: 5432
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-1
  namespace: shop
  labels:
    kubernetes.io/service-name: db
addressType: IPv4
ports:
- port: 5432
endpoints:
- addresses: ["192.168.49.100"]
`;

export const SESSION = [
  'kubectl create namespace shop',
  'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80 -n shop',
  'kubectl expose deployment web --port=80 -n shop',
  'kubectl create deployment api -n shop --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --port=8080',
  'kubectl expose deployment api -n shop --port=80 --target-port=8080 --type=NodePort',
  'kubectl scale deployment web -n shop --replicas=3',
  'kubectl set image deployment/web -n shop nginx=nginx:1.28',
  'kubectl run client --image=busybox:1.36 -- sleep 3600',
  'kubectl create configmap settings --from-literal=mode=fast',
  'kubectl create secret generic db-pass -n shop --from-literal=password=s3cret',
  `kubectl apply -f - <<'EOF'\n${POLICY}EOF`,
  `kubectl apply -f - <<'EOF'\n${EXTERNAL}EOF`,
];
