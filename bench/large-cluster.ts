/**
 * A large cluster for the benchmark: by default 100 nodes (one control plane), 5,000
 * Services over 50 namespaces, each backed by a Deployment, 20,000 pods in all. Built
 * as an ordinary scenario, so construction exercises the same API, controllers and
 * kubelet lifecycle a lesson does.
 */
import { Simulation } from '../engine/simulation';
import { normalizeScenario } from '../engine/scenario/load';
import type { Manifest, NodeSettings } from '../engine/cluster/types';

export interface LargeClusterOptions {
  nodes?: number;
  services?: number;
  pods?: number;
  namespaces?: number;
  seed?: number;
}

export function largeClusterScenario(opts: LargeClusterOptions = {}) {
  const nodeCount = opts.nodes ?? 100;
  const services = opts.services ?? 5000;
  const pods = opts.pods ?? 20000;
  const namespaces = Math.min(opts.namespaces ?? 50, services);
  const nodes: NodeSettings[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const ip = `10.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`;
    // 200 pods a node: clusters this dense raise the kubelet's maxPods (110 by default)
    nodes.push({ name: i === 0 ? 'control-plane' : `node-${i}`, ip, role: i === 0 ? 'control-plane' : 'worker', maxPods: 250 });
  }
  const objects: Manifest[] = [];
  for (let n = 0; n < namespaces; n++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
  const perService = Math.floor(pods / services);
  let extra = pods - perService * services;
  for (let s = 0; s < services; s++) {
    const ns = `team-${s % namespaces}`;
    const name = `svc-${s}`;
    const replicas = perService + (extra-- > 0 ? 1 : 0);
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } },
      },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...(s % 10 === 0 ? { type: 'NodePort' } : {}) },
    });
  }
  // some 45,000 objects: past the default object quota (cluster/api.ts), so the scenario sizes its etcd
  return normalizeScenario({ cluster: { nodes, podCIDR: '10.128.0.0/9', serviceCIDR: '10.96.0.0/12', objectQuota: 100_000 }, objects });
}

export function buildLargeCluster(opts: LargeClusterOptions = {}): Simulation {
  return new Simulation(largeClusterScenario(opts), { seed: opts.seed ?? 1 });
}
