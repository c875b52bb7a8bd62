/**
 * Property test (a small seeded generator; no fast-check): thousands of random
 * manifests, updates and deletes through sim.api. Nothing but ApiError may escape, and
 * after every burst the cluster's invariants hold:
 * - every ready EndpointSlice endpoint is a Ready, non-terminating Pod that the
 *   Service selects, at that Pod's IP (and the same for Endpoints addresses);
 * - no two Services share a ClusterIP or a nodePort; every allocated one is in range;
 * - no two running pods on a node share an IP, and each pod IP is in its node's podCIDR.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { ApiError } from '../../../engine/cluster/api';
import { Rng } from '../../../engine/cluster/rng';
import { matchesMap } from '../../../engine/cluster/labels';
import { cidrContains, parseCidr } from '../../../engine/cluster/ipv4';
import type { KubeObject, Manifest } from '../../../engine/cluster/types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class Gen {
  constructor(private r: Rng) {}
  pick<T>(xs: readonly T[]): T {
    return this.r.pick(xs);
  }
  int(lo: number, hi: number): number {
    return lo + this.r.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.r.next() < p;
  }
  name(): string {
    return this.pick(['web', 'api', 'db', 'cache', 'Web_1', 'front-end', 'x', '1svc', 'a'.repeat(70), 'worker']) + (this.chance(0.9) ? `-${this.int(0, 299)}` : '');
  }
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    const n = this.int(0, 2);
    for (let i = 0; i < n; i++) out[this.pick(['app', 'tier', 'env', 'bad key'])] = this.pick(['web', 'api', 'db', 'prod', 'x y', '']);
    return out;
  }
  port(): number | string {
    return this.pick([80, 443, 8080, 53, 0, 70000, 'http', 'metrics', 'Bad_Name', 9090]);
  }
  image(): string {
    return this.pick(['nginx:1.27', 'nginx', 'busybox:1.36', 'nginx:doesnotexist', 'redis:7', 'registry.example.com/app:v1', '']);
  }
  container(): Obj {
    const c: Obj = { name: this.pick(['web', 'app', 'Side', 'c']), image: this.image() };
    if (c.image.startsWith('busybox') && this.chance(0.7)) c.command = ['sleep', '3600'];
    if (this.chance(0.6)) c.ports = [{ name: this.pick(['http', 'metrics', 'dns']), containerPort: this.pick([80, 8080, 9090, 53, 0]) }];
    if (this.chance(0.3)) c.readinessProbe = { httpGet: { path: '/', port: 80 }, initialDelaySeconds: this.int(0, 20) };
    return c;
  }
  manifest(): Manifest {
    const kind = this.pick(['Service', 'Service', 'Deployment', 'Deployment', 'Pod', 'NetworkPolicy', 'Ingress', 'ConfigMap', 'StatefulSet']);
    const name = this.name();
    const labels = this.labels();
    switch (kind) {
      case 'Service': {
        const type = this.pick(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Bogus', undefined]);
        const ports = Array.from({ length: this.int(0, 3) }, () => {
          const p: Obj = { port: this.pick([80, 443, 8080, 0, 53]), targetPort: this.port() };
          if (this.chance(0.5)) p.name = this.pick(['http', 'https', 'dns', 'http']);
          if (this.chance(0.2)) p.nodePort = this.pick([30080, 30081, 80, 32767, 40000]);
          if (this.chance(0.1)) p.protocol = this.pick(['UDP', 'TCP', 'ICMP']);
          return p;
        });
        const spec: Obj = { ports };
        if (type) spec.type = type;
        if (this.chance(0.8)) spec.selector = { app: this.pick(['web', 'api', 'db']) };
        if (this.chance(0.15)) spec.clusterIP = this.pick(['10.96.0.10', '10.0.0.5', '10.100.1.1', 'None', '10.96.77.7', 'abc']);
        if (type === 'ExternalName' && this.chance(0.7)) spec.externalName = 'example.com';
        return { apiVersion: 'v1', kind, metadata: { name, labels }, spec };
      }
      case 'Deployment':
      case 'StatefulSet': {
        const app = this.pick(['web', 'api', 'db']);
        const tlabels = this.chance(0.9) ? { app } : { app: 'other' };
        return {
          apiVersion: 'apps/v1',
          kind,
          metadata: { name, labels },
          spec: {
            replicas: this.pick([0, 1, 2, 3, -1]),
            ...(kind === 'StatefulSet' ? { serviceName: app } : {}),
            selector: this.chance(0.95) ? { matchLabels: { app } } : undefined,
            template: { metadata: { labels: tlabels }, spec: { containers: Array.from({ length: this.int(0, 2) }, () => this.container()) } },
          },
        };
      }
      case 'Pod':
        return { apiVersion: 'v1', kind, metadata: { name, labels: this.chance(0.7) ? { app: this.pick(['web', 'api', 'db']) } : labels }, spec: { containers: Array.from({ length: this.int(0, 2) }, () => this.container()), ...(this.chance(0.1) ? { nodeName: this.pick(['node-1', 'node-2', 'ghost']) } : {}) } };
      case 'NetworkPolicy':
        return {
          apiVersion: 'networking.k8s.io/v1',
          kind,
          metadata: { name },
          spec: {
            podSelector: { matchLabels: { app: this.pick(['web', 'api']) } },
            ingress: [{ from: [this.pick([{ podSelector: {} }, { ipBlock: { cidr: this.pick(['10.0.0.0/8', '10.0.0.0/33', 'x']), except: this.chance(0.5) ? ['10.1.0.0/16'] : undefined } }, {}])], ports: [{ port: this.port(), protocol: this.pick(['TCP', 'UDP', 'ICMP']) }] }],
          },
        };
      case 'Ingress':
        return {
          apiVersion: 'networking.k8s.io/v1',
          kind,
          metadata: { name },
          spec: { rules: [{ host: this.pick(['web.example.com', '*.example.com', '1.2.3.4', 'Bad_Host']), http: { paths: [{ path: this.pick(['/', '/api', 'api', '']), pathType: this.pick(['Prefix', 'Exact', 'ImplementationSpecific', 'Regex', undefined]), backend: this.chance(0.8) ? { service: { name: 'web', port: { number: this.pick([80, 0, 70000]) } } } : {} }] } }] },
        };
      default:
        return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { [this.pick(['a', 'b.c', 'bad key'])]: 'v' } };
    }
  }
}

function checkInvariants(sim: Simulation): void {
  const svcs = sim.list('Service');
  const ips = new Map<string, string>();
  const nodePorts = new Map<number, string>();
  const cidr = parseCidr(sim.settings.serviceCIDR);
  for (const s of svcs) {
    const id = `${s.metadata.namespace}/${s.metadata.name}`;
    for (const ip of s.spec.clusterIPs ?? []) {
      if (ip === 'None') continue;
      expect(ips.get(ip), `ClusterIP ${ip} of ${id}`).toBeUndefined();
      expect(cidrContains(cidr, ip)).toBe(true);
      ips.set(ip, id);
    }
    for (const p of s.spec.ports ?? []) {
      if (!p.nodePort) continue;
      const owner = nodePorts.get(p.nodePort);
      expect(owner === undefined || owner === id, `nodePort ${p.nodePort} of ${id} and ${owner}`).toBe(true);
      expect(p.nodePort).toBeGreaterThanOrEqual(30000);
      expect(p.nodePort).toBeLessThanOrEqual(32767);
      nodePorts.set(p.nodePort, id);
    }
  }
  const ready = (p: KubeObject) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True');
  for (const slice of sim.list('EndpointSlice')) {
    const svc = sim.get('Service', slice.metadata.namespace, slice.metadata.labels?.['kubernetes.io/service-name'] ?? '');
    if (!slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by']) continue;
    expect(svc, `slice ${slice.metadata.name} has a Service`).toBeDefined();
    for (const e of slice.endpoints ?? []) {
      if (!e.conditions.ready) continue;
      const pod = sim.get('Pod', e.targetRef.namespace, e.targetRef.name)!;
      expect(pod, `ready endpoint ${e.targetRef.name} exists`).toBeDefined();
      expect(ready(pod)).toBe(true);
      expect(pod.metadata.deletionTimestamp).toBeUndefined();
      expect(matchesMap(svc!.spec.selector, pod.metadata.labels)).toBe(true);
      expect(e.addresses).toEqual([pod.status.podIP]);
    }
  }
  for (const ep of sim.list('Endpoints')) {
    const svc = sim.get('Service', ep.metadata.namespace, ep.metadata.name);
    if (!svc?.spec?.selector) continue;
    for (const sub of ep.subsets ?? []) {
      for (const a of sub.addresses ?? []) {
        const pod = sim.get('Pod', a.targetRef.namespace, a.targetRef.name)!;
        expect(pod && ready(pod) && matchesMap(svc.spec.selector, pod.metadata.labels) && pod.status.podIP === a.ip).toBe(true);
      }
    }
  }
  const podIPs = new Set<string>();
  for (const p of sim.list('Pod')) {
    if (!p.status?.podIP || p.spec.hostNetwork) continue;
    const node = sim.get('Node', undefined, p.spec.nodeName)!;
    // calico-ipam (the default CNI): inside a block affine to the Pod's node; host-local: inside spec.podCIDR
    const blocks = sim.list('IPAMBlock').filter((b) => b.spec.affinity === `host:${p.spec.nodeName}`).map((b) => String(b.spec.cidr));
    const ranges = sim.settings.cni === 'calico' ? blocks : [node.spec.podCIDR];
    expect(ranges.some((r) => cidrContains(parseCidr(r), p.status.podIP)), `pod IP ${p.status.podIP} in ${ranges.join(',')}`).toBe(true);
    expect(podIPs.has(p.status.podIP), `pod IP ${p.status.podIP} unique`).toBe(false);
    podIPs.add(p.status.podIP);
  }
}

describe('random manifests through the API', () => {
  it.each([1, 2, 3])('seed %i: only ApiErrors, invariants hold', (seed) => {
    const sim = createSimulation(null, { seed });
    const g = new Gen(new Rng(seed * 7919));
    let created = 0;
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      try {
        const roll = g.int(0, 9);
        if (roll < 6) {
          sim.api.create(g.manifest());
          created++;
        } else if (roll < 8) {
          const kind = g.pick(['Service', 'Deployment', 'Pod', 'StatefulSet']);
          const items = sim.list(kind, 'default');
          if (items.length) {
            const o = structuredClone(g.pick(items));
            if (kind === 'Service') {
              o.spec.type = g.pick(['ClusterIP', 'NodePort', 'LoadBalancer']);
              if (g.chance(0.3)) o.spec.clusterIP = g.pick(['10.96.5.5', o.spec.clusterIP]);
              if (g.chance(0.3)) o.spec.selector = { app: g.pick(['web', 'api', 'db']) };
            } else if (kind === 'Pod') {
              if (o.spec.containers?.[0]) o.spec.containers[0].image = g.image();
            } else {
              o.spec.replicas = g.pick([0, 1, 2, 4]);
              if (g.chance(0.3) && o.spec.template?.spec?.containers?.[0]) o.spec.template.spec.containers[0].image = g.image();
            }
            sim.api.update(o);
          }
        } else {
          const kind = g.pick(['Service', 'Deployment', 'Pod', 'ReplicaSet', 'EndpointSlice', 'StatefulSet']);
          const items = sim.list(kind, 'default');
          if (items.length) {
            const o = g.pick(items);
            sim.api.delete(kind, 'default', o.metadata.name);
          }
        }
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        rejected++;
      }
      if (i % 25 === 0) sim.advance(g.int(0, 15_000));
      if (i % 100 === 99) checkInvariants(sim);
    }
    sim.advance(120_000);
    checkInvariants(sim);
    expect(created).toBeGreaterThan(120);
    expect(rejected).toBeGreaterThan(500);
  });
});
