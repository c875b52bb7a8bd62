/**
 * Envoy Gateway's naming and Envoy's route choice as properties: the hashed resource names
 * match upstream's own test data (internal/infrastructure/kubernetes/proxy/testdata/
 * deployments/default.yaml `envoy-default-37a8eec1`; internal/gatewayapi/testdata
 * `envoy-envoy-gateway-gateway-1-196ae069`), a 90/10 split is drawn by weight from the seeded
 * rng, and the route order follows internal/gatewayapi/sort.go.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { containerPort, hashedName, proxyName } from '../../../engine/controllers/gateway/names';
import { INSTALL, QUICKSTART_YAML, SCENARIO } from '../../golden/gateway/fixtures';

describe('Envoy Gateway names', () => {
  it('hashes namespace/name as utils.GetHashedName does', () => {
    expect(`envoy-${hashedName('default', 48)}`).toBe('envoy-default-37a8eec1');
    expect(proxyName('envoy-gateway', 'gateway-1')).toBe('envoy-envoy-gateway-gateway-1-196ae069');
    expect(proxyName('default', 'eg')).toBe('envoy-default-eg-e41e7b31');
    // a long name keeps 48 characters of `ns-name`, without a trailing hyphen
    const long = proxyName('a-very-long-namespace-name-for-tests', 'and-a-long-gateway-name-too');
    expect(long).toMatch(/^envoy-a-very-long-namespace-name-for-tests-and-a-long-[0-9a-f]{8}$/);
    expect(containerPort(80)).toBe(10080);
    expect(containerPort(443)).toBe(10443);
    expect(containerPort(8080)).toBe(8080);
  });
});

function installed() {
  const sim = createSimulation(SCENARIO, { seed: 3 });
  for (const l of [...INSTALL, QUICKSTART_YAML, 'kubectl wait --timeout=5m gateway/eg --for=condition=Programmed']) expect(sim.run(l).exitCode).toBe(0);
  return sim;
}

const GW = "GW=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')";

describe('Envoy routing', () => {
  it('splits a 90/10 canary by weight', () => {
    const sim = installed();
    expect(
      sim.run(`cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: app }
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["www.example.com"]
  rules:
    - backendRefs:
        - { name: app, port: 80, weight: 90 }
        - { name: canary, port: 80, weight: 10 }
EOF`).exitCode,
    ).toBe(0);
    sim.run(GW);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const body = sim.run('curl -s -H "Host: www.example.com" http://$GW/').stdout.trim();
      counts[body] = (counts[body] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['hello from app', 'hello from canary']);
    expect(counts['hello from canary']).toBeGreaterThan(20);
    expect(counts['hello from canary']).toBeLessThan(60);
  });

  it('picks the most specific route whatever the order of the rules, and the most specific host', () => {
    const sim = installed();
    expect(
      sim.run(`cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: wild }
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["*.example.com"]
  rules:
    - backendRefs: [{ name: canary, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: order }
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["shop.example.com"]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /a } }]
      backendRefs: [{ name: app, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /a/b } }]
      backendRefs: [{ name: api, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /a }, headers: [{ name: x-v, value: "2" }] }]
      backendRefs: [{ name: canary, port: 80 }]
    - matches: [{ path: { type: Exact, value: /a/b/c } }]
      backendRefs: [{ name: canary, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /a }, method: POST }]
      backendRefs: [{ name: api, port: 80 }]
EOF`).exitCode,
    ).toBe(0);
    sim.run(GW);
    const get = (host: string, path: string, extra = '') => sim.run(`curl -s ${extra} -H "Host: ${host}" http://$GW${path}`).stdout.trim();
    expect(get('shop.example.com', '/a/x')).toBe('hello from app');
    expect(get('shop.example.com', '/a/b/x')).toBe('hello from api');
    expect(get('shop.example.com', '/a/b/c')).toBe('hello from canary');
    expect(get('shop.example.com', '/a/x', '-H "x-v: 2"')).toBe('hello from canary');
    // a method match outranks header matches, after the path
    expect(get('shop.example.com', '/a/x', '-X POST -H "x-v: 2"')).toBe('hello from api');
    expect(get('shop.example.com', '/ab')).toBe('');
    expect(get('www.example.com', '/')).toBe('hello from app');
    expect(get('blog.example.com', '/')).toBe('hello from canary');
    expect(get('example.com', '/')).toBe('');
  });

  it('sends Envoy\'s headers upstream and applies the request header modifier', () => {
    const sim = installed();
    expect(
      sim.run(`cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: echo, namespace: team-b }
spec:
  parentRefs: [{ name: eg, namespace: default }]
  rules:
    - filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: { set: [{ name: x-team, value: b }], remove: [x-debug] }
      backendRefs: [{ name: echo, port: 80 }]
EOF`).exitCode,
    ).toBe(0);
    // the listener allows routes from its own namespace only (allowedRoutes default From: Same)
    const cond = "kubectl get httproute echo -n team-b -o jsonpath='{.status.parents[0].conditions[0].reason}'";
    expect(sim.run(cond).stdout).toBe('NotAllowedByListeners');
    expect(sim.run(`kubectl patch gateway eg --type=merge -p '{"spec":{"listeners":[{"name":"http","protocol":"HTTP","port":80,"allowedRoutes":{"namespaces":{"from":"All"}}}]}}'`).exitCode).toBe(0);
    expect(sim.run(cond).stdout).toBe('Accepted');
    sim.run(GW);
    const body = JSON.parse(sim.run('curl -s -H "Host: any.example.org" -H "x-debug: 1" http://$GW/hello').stdout);
    const h = body.request.headers as Record<string, string>;
    expect(h['x-team']).toBe('b');
    expect(h['x-debug']).toBeUndefined();
    expect(h['x-forwarded-for']).toBe('192.168.49.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-envoy-external-address']).toBe('192.168.49.1');
    expect(h['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the Envoy of a Gateway follows the Gateway', () => {
  it('moves the Service port with the listener, and goes with the Gateway', () => {
    const sim = installed();
    const svc = () => sim.get('Service', 'envoy-gateway-system', 'envoy-default-eg-e41e7b31');
    expect(svc()!.spec.ports.map((p: { name: string; port: number; targetPort: number }) => `${p.name} ${p.port}->${p.targetPort}`)).toEqual(['http-80 80->10080']);
    // a strategic merge patch has no schema to follow on a custom resource
    const smp = sim.run(`kubectl patch gateway eg -p '{"spec":{"listeners":[{"name":"http","protocol":"HTTP","port":8080}]}}'`);
    expect(smp.exitCode).toBe(1);
    expect(smp.stderr).toBe('Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n');
    expect(sim.run(`kubectl patch gateway eg --type=merge -p '{"spec":{"listeners":[{"name":"http","protocol":"HTTP","port":8080}]}}'`).exitCode).toBe(0);
    expect(svc()!.spec.ports.map((p: { name: string; port: number; targetPort: number }) => `${p.name} ${p.port}->${p.targetPort}`)).toEqual(['http-8080 8080->8080']);
    expect(sim.run('kubectl delete gateway eg').exitCode).toBe(0);
    expect(svc()).toBeUndefined();
    expect(sim.get('Deployment', 'envoy-gateway-system', 'envoy-default-eg-e41e7b31')).toBeUndefined();
    expect(sim.run('kubectl get deploy -n envoy-gateway-system -o name').stdout).toBe('deployment.apps/envoy-gateway\n');
  });
});

describe('GRPCRoute', () => {
  it('routes a gRPC call by its /service/method path and is accepted on an HTTP listener', () => {
    const sim = installed();
    expect(
      sim.run(`cat <<'EOF' | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: greeter }
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["grpc.example.com"]
  rules:
    - matches: [{ method: { service: helloworld.Greeter, method: SayHello } }]
      backendRefs: [{ name: canary, port: 80 }]
EOF`).exitCode,
    ).toBe(0);
    expect(sim.run('kubectl get grpcroute').stdout).toBe('NAME      HOSTNAMES              AGE\ngreeter   ["grpc.example.com"]   1s\n');
    expect(sim.run("kubectl get grpcroute greeter -o jsonpath='{.status.parents[0].conditions[*].reason}'").stdout).toBe('Accepted ResolvedRefs');
    sim.run(GW);
    expect(sim.run('curl -s -X POST -H "Host: grpc.example.com" http://$GW/helloworld.Greeter/SayHello').stdout).toBe('hello from canary\n');
    expect(sim.run('curl -s -o /dev/null -w "%{http_code}" -X POST -H "Host: grpc.example.com" http://$GW/helloworld.Greeter/SayGoodbye').stdout).toBe('404');
  });
});
