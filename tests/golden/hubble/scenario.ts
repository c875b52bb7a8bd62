/**
 * The Hubble goldens' cluster: Cilium on two nodes; in namespace shop an api (nginx) on
 * node-2 behind the Service api, a frontend and a client (curl) on node-1, and a
 * NetworkPolicy that lets only the frontend in to the api on TCP 80.
 */
import { createSimulation, type Simulation } from '../../../engine';

export const SCENARIO = `
cluster:
  cni: cilium
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: api, namespace: shop, labels: { app: api } }
    spec:
      nodeName: node-2
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: api, namespace: shop }
    spec: { selector: { app: api }, ports: [{ port: 80, targetPort: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: frontend, namespace: shop, labels: { app: frontend } }
    spec:
      nodeName: node-1
      containers: [{ name: curl, image: "curlimages/curl:8.10.1", command: [sleep, infinity] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: client, namespace: shop, labels: { app: client } }
    spec:
      nodeName: node-1
      containers: [{ name: curl, image: "curlimages/curl:8.10.1", command: [sleep, infinity] }]
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: api-from-frontend, namespace: shop }
    spec:
      podSelector: { matchLabels: { app: api } }
      policyTypes: [Ingress]
      ingress:
        - from: [{ podSelector: { matchLabels: { app: frontend } } }]
          ports: [{ protocol: TCP, port: 80 }]
`;

export function cluster(cni = 'cilium', seed = 3): Simulation {
  return createSimulation(SCENARIO.replace('cni: cilium', `cni: ${cni}`), { seed });
}

/** The agent pod on a node (`kubectl -n kube-system exec <it> -- hubble …`). */
export function agent(sim: Simulation, node: string): string {
  const pod = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec?.nodeName === node);
  if (!pod) throw new Error(`no cilium agent on ${node}`);
  return pod.metadata.name;
}
