/**
 * The cluster both node-outage goldens run (node-failure: the kubelet stops; runtime-down:
 * containerd stops): two web Pods behind a pinned ClusterIP and a netshoot client on node-2.
 */
import type { Simulation } from '../../../engine';

export function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

export const SCENARIO = `
cluster:
  cni: flannel
  proxyMode: iptables
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3 }
    - { name: node-2, ip: 192.168.49.4 }
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers:
            - name: hostname
              image: registry.k8s.io/e2e-test-images/agnhost:2.52
              args: [serve-hostname]
              ports: [{ containerPort: 9376 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec:
      clusterIP: 10.96.100.10
      selector: { app: web }
      ports: [{ name: http, port: 80, targetPort: 9376 }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec:
      nodeName: node-2
      containers:
        - { name: shell, image: nicolaka/netshoot, command: [sleep, infinity] }
`;

/** The web Pod the scheduler put on `node`. */
export function webOn(sim: Simulation, node: string): string {
  return sim.run(`kubectl get pods -l app=web --field-selector spec.nodeName=${node} -o jsonpath='{.items[0].metadata.name}'`).stdout;
}

/** Each line as typed, then what it printed. */
export function transcript(sim: Simulation, lines: string[]): string {
  return lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join('');
}
