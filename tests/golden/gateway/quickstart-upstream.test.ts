/**
 * Envoy Gateway's quickstart run exactly as written (https://gateway.envoyproxy.io/latest/tasks/quickstart,
 * site/content/en/latest/tasks/quickstart.md in github.com/envoyproxy/gateway at v1.9.0, the
 * "With External LoadBalancer Support" tab), on an empty cluster whose cloud hands out LoadBalancer addresses.
 *
 * Upstream sources the expected texts follow:
 * - the release asset quickstart.yaml: examples/kubernetes/quickstart.yaml at v1.9.0, copied by
 *   tools/make/kube.mk (GatewayClass eg, Gateway eg, ServiceAccount backend, Service backend,
 *   Deployment backend running registry.k8s.io/gateway-api/echo-basic:v1.5.1, HTTPRoute backend);
 * - github.com/kubernetes-sigs/gateway-api conformance/echo-basic/echo-basic.go at v1.5.1 (the JSON
 *   echo: RequestAssertions marshalled with json.MarshalIndent(…, "", " "), r.Header's canonical keys,
 *   httpPort, the Context from NAMESPACE/INGRESS_NAME/SERVICE_NAME/POD_NAME; /health, /status/NNN,
 *   ?delay=, the h2c port, its start-up and per-request log lines); Go net/http server.go for the
 *   response header order (the handler's sorted map, then Date and Content-Length);
 * - kubectl describe.go describeServiceAccount and printers.go printServiceAccount (NAME SECRETS AGE);
 * - a URL netlab keeps no copy of: real kubectl would download it (k8s.io/cli-runtime resource/visitor.go
 *   readHttpWithRetries); the simulated workstation has no Internet, so netlab says so.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';
import { INSTALL } from './fixtures';

const golden = goldenIn(__dirname);

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  loadBalancerPool: [203.0.113.0/28]
`;

const URL = 'https://github.com/envoyproxy/gateway/releases/download/v1.9.0/quickstart.yaml';

describe('Envoy Gateway quickstart as written', () => {
  it('applies the release quickstart.yaml from its URL and curls the echo-basic backend through the Gateway', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    golden(
      'quickstart-upstream',
      transcriptOf(sim, [
        'kubectl apply -f https://github.com/envoyproxy/gateway/releases/download/v1.8.0/quickstart.yaml -n default',
        `kubectl apply -f ${URL} -n default`,
        'helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.0 -n envoy-gateway-system --create-namespace',
        'kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available',
        `kubectl apply -f ${URL} -n default`,
        'kubectl get gatewayclass,gateway,httproute,sa,svc,deploy',
        'kubectl describe sa backend',
        'kubectl wait --timeout=5m gateway/eg --for=condition=Programmed',
        "export GATEWAY_HOST=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')",
        'curl --verbose --header "Host: www.example.com" http://$GATEWAY_HOST/get',
        'curl -s --header "Host: www.example.com" "http://$GATEWAY_HOST/get?delay=5"',
        'curl -i --header "Host: www.example.com" http://$GATEWAY_HOST/status/418',
        'curl -i --header "Host: www.example.com" http://$GATEWAY_HOST/health',
        'kubectl logs deploy/backend',
        `kubectl apply -f ${URL} -n default`,
        `kubectl delete -f ${URL} --ignore-not-found=true`,
        'kubectl get sa,deploy,svc',
      ]),
    );
  });

  it('serves ServiceAccounts (create, get, describe, delete) and echo-basic inside the cluster: its h2c port, X-Echo-Set-Header, HEAD', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    for (const l of [...INSTALL, `kubectl apply -f ${URL} -n default`, 'kubectl run c --image=curlimages/curl:8.5.0 --restart=Never -- sleep 3600', 'kubectl wait --for=condition=Ready pod/c']) expect(sim.run(l).exitCode).toBe(0);
    golden(
      'quickstart-upstream-incluster',
      transcriptOf(sim, [
        'kubectl create serviceaccount',
        'kubectl create sa robot',
        'kubectl create serviceaccount robot',
        'kubectl get serviceaccounts',
        'kubectl get sa robot -o yaml',
        'kubectl get pod -l app=backend -o jsonpath=\'{.items[0].spec.serviceAccountName}\'',
        'kubectl delete sa robot',
        'kubectl exec c -- curl -si -H "X-Echo-Set-Header: X-Foo: bar, X-Foo: baz" "backend:3000/a//b?x=1"',
        'kubectl exec c -- curl -sI backend:3000/',
        'kubectl exec c -- curl -si backend:3000/status/204',
        "export POD_IP=$(kubectl get pod -l app=backend -o jsonpath='{.items[0].status.podIP}')",
        'kubectl exec c -- curl -si http://$POD_IP:3001/get',
        'kubectl exec c -- curl -sI http://$POD_IP:3000/health',
      ]),
    );
  });
});
