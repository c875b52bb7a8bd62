/**
 * The remote manifests `kubectl apply|create|delete|get -f URL` can read: well-known files a
 * course page points at, kept as the text kubectl would download (inputs the engine decodes
 * like any manifest, not outputs). Any other URL is out of reach: loadManifests says that
 * downloading is not simulated (real kubectl would fetch it: k8s.io/cli-runtime/pkg/resource/visitor.go
 * readHttpWithRetries), never a status the server did not send.
 */

/**
 * Envoy Gateway v1.9.0's quickstart.yaml release asset: tools/make/kube.mk (release-manifests)
 * copies examples/kubernetes/quickstart.yaml (github.com/envoyproxy/gateway at v1.9.0) verbatim.
 */
const EG_QUICKSTART_V1_9_0 = `apiVersion: gateway.networking.k8s.io/v1
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
apiVersion: v1
kind: ServiceAccount
metadata:
  name: backend
---
apiVersion: v1
kind: Service
metadata:
  name: backend
  labels:
    app: backend
    service: backend
spec:
  ports:
    - name: http
      port: 3000
      targetPort: 3000
  selector:
    app: backend
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  replicas: 1
  selector:
    matchLabels:
      app: backend
      version: v1
  template:
    metadata:
      labels:
        app: backend
        version: v1
    spec:
      serviceAccountName: backend
      containers:
        - image: registry.k8s.io/gateway-api/echo-basic:v1.5.1
          imagePullPolicy: IfNotPresent
          name: backend
          ports:
            - containerPort: 3000
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: backend
spec:
  parentRefs:
    - name: eg
  hostnames:
    - "www.example.com"
  rules:
    - backendRefs:
        - group: ""
          kind: Service
          name: backend
          port: 3000
          weight: 1
      matches:
        - path:
            type: PathPrefix
            value: /
`;

const REMOTE: Record<string, string> = {
  'https://github.com/envoyproxy/gateway/releases/download/v1.9.0/quickstart.yaml': EG_QUICKSTART_V1_9_0,
};

/** The text served at a URL, or undefined (a URL netlab keeps no copy of). */
export function remoteManifest(url: string): string | undefined {
  return REMOTE[url];
}
