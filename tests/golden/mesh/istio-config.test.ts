/**
 * Istio 1.24.2's configuration kinds and the istioctl commands that read them, pinned whole.
 * Sources read for each output:
 * - the CRDs: manifests/charts/base/files/crd-all.gen.yaml at 1.24.2 (fourteen; names, short
 *   names, categories, v1 served with v1beta1 stored, additionalPrinterColumns).
 * - AuthorizationPolicy: pilot/pkg/security/authz/builder (DENY before ALLOW, allow-nothing,
 *   principals from the peer certificate), Envoy's RBAC filter local reply "RBAC: access
 *   denied" (403) and response flag RBAC.
 * - istioctl analyze: pkg/config/analysis/analyzers/virtualservice/destinationrules.go,
 *   gateways.go, conflictingmeshgatewayhosts.go; pkg/config/analysis/msg/messages.yaml
 *   (IST0101, IST0109, IST0132 templates and levels); diag/messages.go (sort order);
 *   istioctl/pkg/analyze/analyze.go (AnalyzerFoundIssuesError), istioctl/cmd/sysexits.go (79).
 * - istioctl proxy-config: istioctl/pkg/writer/envoy/configdump/cluster.go
 *   (PrintClusterSummary), istioctl/pkg/writer/envoy/clusters/clusters.go
 *   (PrintEndpointsSummary), tabwriter (0, 8, 5, ' ', 0).
 * - the commands istioctl has: istioctl/cmd/root.go (seeExperimentalCmd for authz).
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine';
import { meshed as meshedShop, out, shopScenario } from './shop-scenario';

const SCENARIO = shopScenario({ webV1Replicas: 1, clientServiceAccount: true });

const meshed = (): Simulation => meshedShop(SCENARIO, 11);

describe("the base chart's CRDs", () => {
  it('installs all fourteen; thirteen kinds are served with their short names and printer columns', () => {
    const sim = meshed();
    expect(sim.run('kubectl api-resources | grep -i istio').stdout).toMatchInlineSnapshot(`
      "wasmplugins                                  extensions.istio.io/v1alpha1   true         WasmPlugin
      destinationrules                dr           networking.istio.io/v1         true         DestinationRule
      envoyfilters                                 networking.istio.io/v1alpha3   true         EnvoyFilter
      proxyconfigs                                 networking.istio.io/v1beta1    true         ProxyConfig
      serviceentries                  se           networking.istio.io/v1         true         ServiceEntry
      sidecars                                     networking.istio.io/v1         true         Sidecar
      virtualservices                 vs           networking.istio.io/v1         true         VirtualService
      workloadentries                 we           networking.istio.io/v1         true         WorkloadEntry
      workloadgroups                  wg           networking.istio.io/v1         true         WorkloadGroup
      authorizationpolicies           ap           security.istio.io/v1           true         AuthorizationPolicy
      peerauthentications             pa           security.istio.io/v1           true         PeerAuthentication
      requestauthentications          ra           security.istio.io/v1           true         RequestAuthentication
      telemetries                     telemetry    telemetry.istio.io/v1          true         Telemetry
      "
    `);
    expect(sim.run('kubectl get crd authorizationpolicies.security.istio.io -o jsonpath=\'{.spec.versions[*].name} {.spec.versions[*].storage} {.metadata.labels.istio} {.metadata.annotations}\'').stdout).toMatchInlineSnapshot(`"v1 v1beta1 false true security {"helm.sh/resource-policy":"keep"}"`);
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: httpbin-ext, namespace: shop }
spec:
  hosts: [httpbin.org]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
EOF`);
    expect(sim.run('kubectl get se,sidecar -n shop').stdout).toMatchInlineSnapshot(`
      "NAME                                           HOSTS             LOCATION        RESOLUTION   AGE
      serviceentry.networking.istio.io/httpbin-ext   ["httpbin.org"]   MESH_EXTERNAL   DNS          1s

      NAME                                  AGE
      sidecar.networking.istio.io/default   1s
      "
    `);
  });

  it("Istio's Gateway kind: its CRD is there, and kubectl says the kind is not simulated", () => {
    const sim = meshed();
    expect(out(sim, 'kubectl apply -f - <<EOF\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: web-gateway, namespace: shop }\nspec:\n  selector: { istio: ingressgateway }\n  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]\nEOF')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "error: netlab: gateways.networking.istio.io is installed, but Istio's Gateway is not simulated here
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'kubectl get gateways.networking.istio.io -A')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "error: netlab: gateways.networking.istio.io is installed, but Istio's Gateway is not simulated here
      ",
        "stdout": "",
      }
    `);
  });
});

describe('AuthorizationPolicy on the sidecar path', () => {
  it('ALLOW from one service account: the client passes, the plaintext outsider and other methods get 403', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web-allow-client, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  action: ALLOW
  rules:
  - from: [{ source: { principals: ["cluster.local/ns/shop/sa/client"] } }]
    to: [{ operation: { methods: ["GET"] } }]
EOF`);
    expect(sim.run('kubectl get ap -n shop').stdout).toMatchInlineSnapshot(`
      "NAME               ACTION   AGE
      web-allow-client   ALLOW    1s
      "
    `);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -s http://web')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "web v1
      ",
      }
    `);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -si -X POST http://web')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 403 Forbidden
      content-length: 19
      content-type: text/plain
      date: Wed, 15 Jan 2025 09:01:19 GMT
      x-envoy-upstream-service-time: 1
      server: envoy

      RBAC: access denied",
      }
    `);
    expect(out(sim, 'kubectl exec outsider -- curl -si http://web.shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 403 Forbidden
      content-length: 19
      content-type: text/plain
      date: Wed, 15 Jan 2025 09:01:20 GMT
      server: istio-envoy

      RBAC: access denied",
      }
    `);
    expect(sim.run('kubectl logs -n shop deploy/web-v1 -c istio-proxy | grep RBAC | head -1').stdout.replace(/"[0-9a-f-]{36}"/, '"ID"')).toMatch(/^\[2025-01-15T[0-9:.]+Z\] "(POST|GET) \/ HTTP\/1\.1" 403 RBAC rbac_access_denied_matched_policy\[none\] - "-" 0 19 \d+ - "-" "curl\/8\.11\.1" "ID" "web(\.shop)?" "-" inbound\|8080\|\| - [0-9.]+:8080 [0-9.]+:\d+ (outbound_\.80_\._\.web\.shop\.svc\.cluster\.local|-) -\n$/);
  });

  it('DENY wins over ALLOW, and an empty ALLOW policy allows nothing', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-admin, namespace: shop }
spec:
  action: DENY
  rules:
  - to: [{ operation: { paths: ["/admin*"] } }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-all, namespace: shop }
spec:
  rules: [{}]
EOF`);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -s -o /dev/null -w "%{http_code}\\n" http://web/')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "200
      ",
      }
    `);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -s -w "\\n%{http_code}\\n" http://web/admin/users')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "RBAC: access denied
      403
      ",
      }
    `);
    sim.run('kubectl delete ap -n shop deny-admin allow-all');
    sim.run(`kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: shop }
spec: {}
EOF`);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -s -w "\\n%{http_code}\\n" http://web/')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "RBAC: access denied
      403
      ",
      }
    `);
  });
});

describe('istioctl analyze', () => {
  it('IST0101 for a missing subset and a missing gateway, IST0109 for two VirtualServices on one mesh host; exit 79', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - route:
    - destination: { host: web, subset: v3 }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bad2, namespace: shop }
spec:
  hosts: [web.shop.svc.cluster.local]
  http:
  - route:
    - destination: { host: web }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web-ingress, namespace: shop }
spec:
  hosts: ["shop.example.com"]
  gateways: [web-gateway]
  http:
  - route:
    - destination: { host: web, subset: v1 }
EOF`);
    expect(out(sim, 'istioctl analyze -n shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 79,
        "stderr": "Error: Analyzers found issues when analyzing namespace: shop.
      See https://istio.io/v1.24/docs/reference/config/analysis for more information about causes and resolutions.
      ",
        "stdout": "Error [IST0101] (VirtualService shop/web) Referenced host+subset in destinationrule not found: "web+v3"
      Error [IST0101] (VirtualService shop/web-ingress) Referenced gateway not found: "web-gateway"
      Error [IST0109] (VirtualService shop/bad2) The VirtualServices shop/bad2,shop/web associated with mesh gateway define the same host */web.shop.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.
      Error [IST0109] (VirtualService shop/web) The VirtualServices shop/bad2,shop/web associated with mesh gateway define the same host */web.shop.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.
      Warning [IST0132] (VirtualService shop/web-ingress) one or more host [shop.example.com] defined in VirtualService shop/web-ingress not found in Gateway shop/web-gateway.
      ",
      }
    `);
    sim.run('kubectl delete vs -n shop bad2 web-ingress');
    // the subset the remaining route names does not exist: Envoy has no such cluster
    expect(sim.run('kubectl exec -n shop deploy/client -- curl -s -o /dev/null -w "%{http_code}\\n" http://web').stdout).toBe('503\n');
    expect(out(sim, 'istioctl analyze -n shop').stdout).toBe('Error [IST0101] (VirtualService shop/web) Referenced host+subset in destinationrule not found: "web+v3"\n');
    sim.run(`kubectl patch vs web -n shop --type=json -p '[{"op":"replace","path":"/spec/http/0/route/0/destination/subset","value":"v2"}]'`);
    expect(out(sim, 'istioctl analyze -n shop')).toEqual({ stdout: '\n', stderr: '✔ No validation issues found when analyzing namespace: shop.\n', exitCode: 0 });
  });
});

describe('istioctl proxy-config', () => {
  it('cluster and endpoint: what istiod pushed to the client sidecar', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
EOF`);
    expect(out(sim, 'istioctl proxy-config cluster deploy/client -n shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "SERVICE FQDN                                            PORT      SUBSET     DIRECTION     TYPE             DESTINATION RULE
      BlackHoleCluster                                        -         -          -             STATIC           
      InboundPassthroughCluster                               -         -          -             ORIGINAL_DST     
      PassthroughCluster                                      -         -          -             ORIGINAL_DST     
      agent                                                   -         -          -             STATIC           
      istio-egressgateway.istio-system.svc.cluster.local      80        -          outbound      EDS              
      istio-egressgateway.istio-system.svc.cluster.local      443       -          outbound      EDS              
      istio-ingressgateway.istio-system.svc.cluster.local     80        -          outbound      EDS              
      istio-ingressgateway.istio-system.svc.cluster.local     443       -          outbound      EDS              
      istio-ingressgateway.istio-system.svc.cluster.local     15021     -          outbound      EDS              
      istio-ingressgateway.istio-system.svc.cluster.local     15443     -          outbound      EDS              
      istio-ingressgateway.istio-system.svc.cluster.local     31400     -          outbound      EDS              
      istiod.istio-system.svc.cluster.local                   443       -          outbound      EDS              
      istiod.istio-system.svc.cluster.local                   15010     -          outbound      EDS              
      istiod.istio-system.svc.cluster.local                   15012     -          outbound      EDS              
      istiod.istio-system.svc.cluster.local                   15014     -          outbound      EDS              
      kube-dns.kube-system.svc.cluster.local                  53        -          outbound      EDS              
      kube-dns.kube-system.svc.cluster.local                  9153      -          outbound      EDS              
      kubernetes.default.svc.cluster.local                    443       -          outbound      EDS              
      prometheus_stats                                        -         -          -             STATIC           
      sds-grpc                                                -         -          -             STATIC           
      web.shop.svc.cluster.local                              80        -          outbound      EDS              web.shop
      web.shop.svc.cluster.local                              80        v1         outbound      EDS              web.shop
      web.shop.svc.cluster.local                              80        v2         outbound      EDS              web.shop
      xds-grpc                                                -         -          -             STATIC           
      zipkin                                                  -         -          -             STRICT_DNS       
      ",
      }
    `);
    expect(out(sim, 'istioctl pc cluster deploy/client.shop --fqdn web.shop.svc.cluster.local --subset v2')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "SERVICE FQDN                   PORT     SUBSET     DIRECTION     TYPE     DESTINATION RULE
      web.shop.svc.cluster.local     80       v2         outbound      EDS      web.shop
      ",
      }
    `);
    expect(out(sim, 'istioctl pc endpoints deploy/client -n shop --cluster "outbound|80|v1|web.shop.svc.cluster.local"')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "ENDPOINT              STATUS      OUTLIER CHECK     CLUSTER
      10.244.0.134:8080     HEALTHY     OK                outbound|80|v1|web.shop.svc.cluster.local
      ",
      }
    `);
    expect(out(sim, 'istioctl pc ep deploy/client -n shop --port 15020')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "ENDPOINT            STATUS      OUTLIER CHECK     CLUSTER
      127.0.0.1:15020     HEALTHY     OK                agent
      ",
      }
    `);
    expect(out(sim, 'istioctl pc cluster outsider')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "Error: failed to execute command on sidecar: error execing into outsider/default istio-proxy container: container istio-proxy is not valid for pod outsider
      ",
        "stdout": "",
      }
    `);
  });
});

describe("istioctl's other commands", () => {
  it('exist, and say they are not simulated', () => {
    const sim = meshed();
    expect(out(sim, 'istioctl pc listener deploy/client -n shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "netlab: istioctl proxy-config listener is not simulated here (proxy-config cluster and endpoint are)
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl pc cluster deploy/client -n shop -o json')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "netlab: istioctl proxy-config cluster -o json is not simulated here (the summary table is)
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl x precheck')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "netlab: istioctl experimental precheck is not simulated here
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl uninstall --purge -y')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "netlab: istioctl uninstall is not simulated here
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl dashboard kiali')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "netlab: istioctl dashboard is not simulated here
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl authz check deploy/web-v1')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "Error: (authz is experimental. Use \`istioctl experimental authz\`)
      ",
        "stdout": "",
      }
    `);
    expect(out(sim, 'istioctl nope')).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "Error: unknown command "nope" for "istioctl"
      Run 'istioctl --help' for usage.
      ",
        "stdout": "",
      }
    `);
  });
});
