/**
 * The Gateway API with Envoy Gateway v1.9.0, installed as its quickstart does
 * (https://gateway.envoyproxy.io/latest/tasks/quickstart): whole transcripts through the shell.
 *
 * Upstream sources the expected texts follow (github.com/envoyproxy/gateway at v1.9.0):
 * - charts/gateway-helm/templates/NOTES.txt; the CRDs of charts/gateway-helm/charts/crds
 *   (the Gateway API experimental bundle v1.6.1, whose additionalPrinterColumns give
 *   `kubectl get gatewayclass|gateway|httproute` their columns);
 * - internal/infrastructure/kubernetes/proxy/resource.go (the `envoy-<ns>-<name>-<hash>` names,
 *   labels), internal/utils GetHashedName;
 * - internal/gatewayapi/status/{gateway,gatewayclass}.go, route.go, validate.go (condition
 *   reasons and messages);
 * - internal/xds/translator/accesslog.go EnvoyJSONLogFields (the access log line);
 * - kubectl's describe.go genericDescriber / printUnstructuredContent (describe of a custom resource).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';
import { INSTALL, QUICKSTART_YAML, SCENARIO } from './fixtures';

const golden = goldenIn(__dirname);

const ROUTES_YAML = `cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["shop.example.com"]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      filters:
        - type: URLRewrite
          urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } }
        - type: RequestHeaderModifier
          requestHeaderModifier: { set: [{ name: x-team, value: shop }], remove: [x-debug] }
        - type: ResponseHeaderModifier
          responseHeaderModifier: { add: [{ name: x-served-by, value: gateway }] }
      backendRefs: [{ name: api, port: 80 }]
    - matches: [{ path: { type: Exact, value: /api/health } }]
      backendRefs: [{ name: canary, port: 80 }]
    - matches: [{ path: { type: RegularExpression, value: "/items/[0-9]+" } }]
      backendRefs: [{ name: canary, port: 80 }]
    - matches:
        - path: { type: PathPrefix, value: / }
          headers: [{ name: x-canary, value: "yes" }]
        - queryParams: [{ name: version, value: "2" }]
      backendRefs: [{ name: canary, port: 80 }]
    - matches: [{ path: { type: Exact, value: /old } }]
      filters:
        - type: RequestRedirect
          requestRedirect: { path: { type: ReplaceFullPath, replaceFullPath: /new }, statusCode: 301 }
    - matches: [{ path: { type: PathPrefix, value: /secure } }]
      filters:
        - type: RequestRedirect
          requestRedirect: { scheme: https }
    - matches: [{ path: { type: PathPrefix, value: /gone } }]
      backendRefs: [{ name: missing, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /idle } }]
      backendRefs: [{ name: idle, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /team-b } }]
      backendRefs: [{ name: echo, namespace: team-b, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: app, port: 80 }]
EOF`;

function installed(): ReturnType<typeof createSimulation> {
  const sim = createSimulation(SCENARIO, { seed: 7 });
  for (const l of [...INSTALL, QUICKSTART_YAML, 'kubectl wait --timeout=5m gateway/eg --for=condition=Programmed']) expect(sim.run(l).exitCode).toBe(0);
  return sim;
}

describe('Envoy Gateway quickstart', () => {
  it('installs with helm from the OCI registry and routes www.example.com from the workstation; an unknown host gets 404', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    golden(
      'quickstart',
      transcriptOf(sim, [
        'kubectl get gateway',
        ...INSTALL,
        'kubectl get deploy,svc -n envoy-gateway-system',
        'kubectl get crd gateways.gateway.networking.k8s.io httproutes.gateway.networking.k8s.io',
        QUICKSTART_YAML,
        'kubectl get gatewayclass',
        'kubectl get gateway',
        'kubectl wait --timeout=5m gateway/eg --for=condition=Programmed',
        'kubectl get gateway,httproute',
        'kubectl get svc -n envoy-gateway-system --selector=gateway.envoyproxy.io/owning-gateway-namespace=default,gateway.envoyproxy.io/owning-gateway-name=eg',
        "export GATEWAY_HOST=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')",
        'curl --verbose --header "Host: www.example.com" http://$GATEWAY_HOST/get',
        'curl -i --header "Host: shop.example.com" http://$GATEWAY_HOST/get',
        'kubectl logs -n envoy-gateway-system deploy/envoy-default-eg-e41e7b31 -c envoy',
        'kubectl describe gatewayclass eg',
        'kubectl describe httproute app',
      ]),
    );
  });
});

describe('HTTPRoute routing through Envoy', () => {
  it('matches by path type, headers and query, applies filters, and answers 500/503 for bad backends', () => {
    const sim = installed();
    golden(
      'routing',
      transcriptOf(sim, [
        ROUTES_YAML,
        "kubectl get httproute shop -o jsonpath='{range .status.parents[*].conditions[*]}{.type}={.status} {.reason}: {.message}{\"\\n\"}{end}'",
        "export GW=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')",
        'curl -si -H "Host: shop.example.com" -H "x-debug: 1" http://$GW/api/items',
        'curl -s -H "Host: shop.example.com" http://$GW/api/health',
        'curl -s -H "Host: shop.example.com" http://$GW/apiary',
        'curl -s -H "Host: shop.example.com" http://$GW/items/42',
        'curl -s -H "Host: shop.example.com" http://$GW/items/abc',
        'curl -s -H "Host: shop.example.com" -H "x-canary: yes" http://$GW/',
        'curl -s -H "Host: shop.example.com" "http://$GW/?version=2"',
        'curl -si -H "Host: shop.example.com" "http://$GW/old?q=1"',
        'curl -si -H "Host: shop.example.com" http://$GW/secure/login',
        'curl -si -H "Host: shop.example.com" http://$GW/gone',
        'curl -si -H "Host: shop.example.com" http://$GW/idle',
        'curl -si -H "Host: shop.example.com" http://$GW/team-b',
        `cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: routes-from-default
  namespace: team-b
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: default
  to:
    - group: ""
      kind: Service
EOF`,
        'kubectl get referencegrant -n team-b',
        "kubectl get httproute shop -o jsonpath='{range .status.parents[*].conditions[*]}{.type}={.status} {.reason}: {.message}{\"\\n\"}{end}'",
        'curl -s -o /dev/null -w "%{http_code}\\n" -H "Host: shop.example.com" http://$GW/team-b',
      ]),
    );
  });

  it('serves an HTTPS listener with the certificate of its TLS Secret; without the Secret the listener is not programmed', () => {
    const sim = installed();
    golden(
      'https',
      transcriptOf(sim, [
        `cat <<'EOF' | kubectl apply -f -
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
    - name: https
      protocol: HTTPS
      port: 443
      hostname: www.example.com
      tls:
        certificateRefs:
          - name: www-tls
EOF`,
        "kubectl get gateway eg -o jsonpath='{range .status.listeners[*]}{.name}: attached={.attachedRoutes}{range .conditions[*]} {.type}={.status}/{.reason}{end}{\"\\n\"}{end}'",
        "kubectl get gateway eg -o jsonpath='{.status.listeners[1].conditions[2].message}{\"\\n\"}'",
        `cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Secret
metadata:
  name: www-tls
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==
EOF`,
        "kubectl get gateway eg -o jsonpath='{range .status.listeners[*]}{.name}: attached={.attachedRoutes}{range .conditions[*]} {.type}={.status}/{.reason}{end}{\"\\n\"}{end}'",
        "kubectl get gateway eg -o jsonpath='{.status.listeners[1].conditions[2].message}{\"\\n\"}'",
        'kubectl delete secret www-tls',
        'openssl req -x509 -newkey rsa:2048 -nodes -keyout www.key -out www.crt -days 365 -subj "/CN=www.example.com" -addext "subjectAltName=DNS:www.example.com" 2>/dev/null',
        'kubectl create secret tls www-tls --cert=www.crt --key=www.key',
        "kubectl get gateway eg -o jsonpath='{range .status.listeners[*]}{.name}: attached={.attachedRoutes}{range .conditions[*]} {.type}={.status}/{.reason}{end}{\"\\n\"}{end}'",
        'kubectl get svc envoy-default-eg-e41e7b31 -n envoy-gateway-system',
        "export GW=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')",
        'curl -v -k --resolve www.example.com:443:$GW https://www.example.com/',
        'curl -s http://$GW:443/',
      ]),
    );
  });
});

describe('Gateway API objects before and after the CRDs, and the CRD schemas', () => {
  it('refuses what the API does not serve and what the CRD schemas and CEL rules reject', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    golden(
      'errors',
      transcriptOf(sim, [
        'kubectl get httproutes',
        QUICKSTART_YAML,
        'helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.99.0 -n envoy-gateway-system --create-namespace',
        ...INSTALL,
        `cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bad
spec:
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: http
      protocol: HTTP
      port: 80
      tls:
        certificateRefs: [{ name: x }]
EOF`,
        `cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["Shop.Example.com"]
  rules:
    - matches: [{ path: { type: PathPrefix, value: api } }]
      filters:
        - type: RequestRedirect
          requestRedirect: { scheme: https }
      backendRefs: [{ name: api, weight: 2000000 }]
EOF`,
        'kubectl api-resources --api-group=gateway.networking.k8s.io',
        'kubectl api-versions',
        'helm uninstall eg -n envoy-gateway-system',
        'kubectl get crd gatewayclasses.gateway.networking.k8s.io',
      ]),
    );
  });
});
