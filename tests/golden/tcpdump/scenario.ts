/**
 * The tcpdump goldens' cluster: two nodes; in namespace default an nginx `web` on node-2
 * behind the Service web, a netshoot `client` and a busybox `bb` on node-1. The CNI is
 * Calico (IPIP between the nodes: tunl0) unless a test asks for Flannel (VXLAN: flannel.1).
 */
import { createSimulation, type Simulation } from '../../../engine';
import { netnsName } from '../../../engine/controllers/cni';

export const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, labels: { app: web } }
    spec:
      nodeName: node-2
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: empty }
    spec: { selector: { app: nothing }, ports: [{ port: 80, targetPort: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec:
      nodeName: node-1
      containers: [{ name: shoot, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: bb }
    spec:
      nodeName: node-1
      containers: [{ name: bb, image: "busybox:1.36", command: [sleep, "3600"] }]
`;

/** An interactive cluster (a terminal: `&` makes jobs). */
export function cluster(cni = 'calico', seed = 7): Simulation {
  return createSimulation(SCENARIO.replace('cni: calico', `cni: ${cni}`), { seed, interactive: true });
}

/** Types a line at the terminal as a learner would; a streaming command gets `steps` seconds, then Ctrl+C. */
export function type(sim: Simulation, line: string, steps = 2): string {
  const ex = sim.start(line);
  let n = 0;
  while (ex.running && n++ < steps) ex.step();
  if (ex.running) ex.interrupt();
  return ex.takeOutput().map((c) => c.text).join('');
}

/** The `ip netns` name of a Pod's sandbox, as a node lists it. */
export function netnsOf(sim: Simulation, pod: string): string {
  return netnsName(sim.store.get('Pod', 'default', pod)!);
}

/** A NodePort Service (30080) in front of an nginx on node-1, for the walk from the workstation. */
export const NODEPORT = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, labels: { app: web } }
    spec:
      nodeName: node-1
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] }
`;

export function nodePortCluster(cni: string, seed = 3): Simulation {
  return createSimulation(NODEPORT.replace('cni: calico', `cni: ${cni}`), { seed, interactive: true });
}
