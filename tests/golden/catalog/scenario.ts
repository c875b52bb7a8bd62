/**
 * The image-catalog goldens' cluster (Calico, two nodes): an nginx `web` with a busybox
 * `tools` sidecar on node-2 behind the Service web; on node-1 a netshoot `shoot` whose
 * process is `nc -lk -p 9000`, and a plain busybox `bb`. Flannel when a test asks.
 */
import { createSimulation, type Simulation } from '../../../engine';

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
      containers:
        - { name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }
        - { name: tools, image: "busybox:1.36", command: [sleep, "3600"] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: shoot }
    spec:
      nodeName: node-1
      containers: [{ name: shoot, image: "nicolaka/netshoot:v0.13", command: [nc, -lk, -p, "9000"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: bb }
    spec:
      nodeName: node-1
      containers: [{ name: bb, image: "busybox:1.36", command: [sleep, "3600"] }]
`;

export function cluster(cni = 'calico', seed = 11): Simulation {
  return createSimulation(SCENARIO.replace('cni: calico', `cni: ${cni}`), { seed, interactive: true });
}

/** A line typed at the terminal: everything it printed, and its status. */
export function type(sim: Simulation, line: string): string {
  const ex = sim.start(line);
  let n = 0;
  while (ex.running && n++ < 2) ex.step();
  if (ex.running) ex.interrupt();
  return ex.takeOutput().map((c) => c.text).join('') + `[exit ${ex.exitCode}]\n`;
}
