/**
 * The shop both Istio goldens (and the log goldens) run: web v1 and v2 behind one Service, a
 * curl client in the shop namespace and an outsider in default, meshed by `meshed()` — the
 * demo profile installed, the namespace labelled for injection, the Deployments restarted.
 * istio.test.ts runs two v1 replicas; istio-config.test.ts one, and gives the client its own
 * ServiceAccount (AuthorizationPolicy principals name it).
 */
import { createSimulation, type Simulation } from '../../../engine';

export interface ShopOptions {
  /** web-v1's replicas */
  webV1Replicas: number;
  /** the client runs as ServiceAccount `client` (otherwise `default`, with no termination grace) */
  clientServiceAccount?: boolean;
}

export function shopScenario(o: ShopOptions): string {
  const clientSa = o.clientServiceAccount
    ? `  - apiVersion: v1
    kind: ServiceAccount
    metadata: { name: client, namespace: shop }
`
    : '';
  return `
cluster:
  cni: calico
  proxyMode: iptables
  loadBalancerPool: [203.0.113.0/28]
objects:
  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web-v1, namespace: shop }
    spec:
      replicas: ${o.webV1Replicas}
      selector: { matchLabels: { app: web, version: v1 } }
      template:
        metadata: { labels: { app: web, version: v1 } }
        spec:
          containers:
            - { name: web, image: hashicorp/http-echo:1.0, args: ["-listen=:8080", "-text=web v1"], ports: [{ name: http, containerPort: 8080 }] }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web-v2, namespace: shop }
    spec:
      replicas: 1
      selector: { matchLabels: { app: web, version: v2 } }
      template:
        metadata: { labels: { app: web, version: v2 } }
        spec:
          containers:
            - { name: web, image: hashicorp/http-echo:1.0, args: ["-listen=:8080", "-text=web v2"], ports: [{ name: http, containerPort: 8080 }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: shop }
    spec:
      selector: { app: web }
      ports: [{ name: http, port: 80, targetPort: 8080 }]
${clientSa}  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: client, namespace: shop }
    spec:
      selector: { matchLabels: { app: client } }
      template:
        metadata: { labels: { app: client } }
        spec:
          ${o.clientServiceAccount ? 'serviceAccountName: client' : 'terminationGracePeriodSeconds: 0'}
          containers:
            - { name: curl, image: "curlimages/curl:8.11.1", command: [sleep, infinity] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: outsider }
    spec:
      containers:
        - { name: curl, image: "curlimages/curl:8.11.1", command: [sleep, infinity] }
`;
}

/** The scenario with the demo profile installed and the shop's Pods re-created with sidecars, a minute later. */
export function meshed(scenario: string, seed: number): Simulation {
  const sim = createSimulation(scenario, { seed });
  sim.run('istioctl install --set profile=demo -y');
  sim.run('kubectl label namespace shop istio-injection=enabled');
  sim.run('kubectl rollout restart deployment -n shop');
  sim.advance(60_000);
  return sim;
}

export const out = (sim: Simulation, line: string) => {
  const r = sim.run(line);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
};
