/**
 * The reachability matrix's figure (the map's Policies view, engine `reachability`): 30 Pods
 * (the cap) in two namespaces on three nodes, with a default deny and an allow policy, on
 * Calico with each kube-proxy mode and on Flannel. One matrix is 900 walks as a dry run.
 */
import { createSimulation, reachability } from '../engine';
import { normalizeScenario } from '../engine/scenario/load';
import type { Manifest } from '../engine/cluster/types';

function scenario(cni: 'calico' | 'flannel', proxyMode: 'iptables' | 'ipvs' | 'nftables') {
  const objects: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } },
  ];
  const apps = ['web', 'api', 'db'];
  for (let i = 0; i < 30; i++) {
    const app = apps[i % 3];
    objects.push({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `${app}-${i}`, namespace: i < 24 ? 'shop' : 'ops', labels: { app } },
      spec: { nodeName: `node-${1 + (i % 3)}`, containers: [{ name: app, image: 'hashicorp/http-echo:1.0', args: ['-listen=:8080'], ports: [{ containerPort: 8080 }] }] },
    } as Manifest);
  }
  objects.push(
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } } as Manifest,
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web-to-api', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] } } as Manifest,
  );
  const nodes = [1, 2, 3].map((n) => ({ name: `node-${n}`, ip: `192.168.49.${n + 1}` }));
  const sim = createSimulation(normalizeScenario({ cluster: { cni, proxyMode, nodes }, objects }), { seed: 1 });
  sim.advance(120_000);
  return sim;
}

export async function benchReachability(): Promise<void> {
  console.log('reachability matrix (30 Pods × 30 Pods, one port: 900 dry-run walks)');
  for (const [cni, mode] of [['calico', 'iptables'], ['calico', 'ipvs'], ['calico', 'nftables'], ['flannel', 'iptables']] as const) {
    const sim = scenario(cni, mode);
    reachability(sim, { port: 8080 }); // the first walk on each node meets kube-proxy's first sync
    const times: number[] = [];
    let walks = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      walks = reachability(sim, { port: 8080 }).walks;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const med = times[2];
    console.log(`  ${cni.padEnd(8)} ${mode.padEnd(9)} ${med.toFixed(1).padStart(7)} ms median of 5 (${walks} walks, ${((med * 1000) / walks).toFixed(0)} µs a walk)`);
  }
}
