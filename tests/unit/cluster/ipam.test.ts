/**
 * IPAM: the API server's bitmap allocators (pkg/registry/core/service/ipallocator and
 * portallocator: random in the upper band [offset, max) first, offset =
 * min(max(16, size/16), 256) for IPs and min(max(16, size/32), 128) for ports),
 * node-ipam's per-node /24s, host-local's sequential pod IPs (.2 upwards; .0 is the
 * network, .1 the bridge gateway) and a cloud LB pool.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { parseIPv4 } from '../../../engine/cluster/ipv4';

const ipToNum = (ip: string): number => parseIPv4(ip)!;

describe('IPAM', () => {
  it('hands out ClusterIPs and nodePorts from the dynamic band, deterministically', () => {
    const a = createSimulation(null, { seed: 5 });
    const b = createSimulation(null, { seed: 5 });
    const ips: string[] = [];
    const ports: number[] = [];
    for (let i = 0; i < 40; i++) {
      for (const sim of [a, b]) sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] } });
      const s = a.get('Service', 'default', `s${i}`)!;
      expect(b.get('Service', 'default', `s${i}`)!.spec.clusterIP).toBe(s.spec.clusterIP);
      ips.push(s.spec.clusterIP);
      ports.push(s.spec.ports[0].nodePort);
    }
    const base = ipToNum('10.96.0.0');
    for (const ip of ips) {
      const idx = ipToNum(ip) - base - 1;
      expect(idx).toBeGreaterThanOrEqual(256);
      expect(idx).toBeLessThan(2 ** 20 - 2);
    }
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(30000 + 86);
      expect(p).toBeLessThanOrEqual(32767);
    }
    expect(new Set(ips).size).toBe(40);
    expect(new Set(ports).size).toBe(40);
  });

  it('gives each node a /24 and each pod the next free address after .1', () => {
    // host-local (flannel's IPAM): calico-ipam ignores spec.podCIDR (tests/golden/cni/calico-ipam.test.ts)
    const sim = createSimulation(`
cluster:
  cni: flannel
  nodes:
    - { name: n0, ip: 192.168.49.2 }
    - { name: n1, ip: 192.168.49.3, podCIDR: 10.244.77.0/24 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: a }
    spec: { nodeName: n1, containers: [{ name: c, image: nginx }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: b }
    spec: { nodeName: n1, containers: [{ name: c, image: nginx }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: c }
    spec: { nodeName: n1, hostNetwork: true, containers: [{ name: c, image: nginx }] }
`, { seed: 1 });
    expect(sim.get('Node', undefined, 'n0')!.spec.podCIDR).toBe('10.244.0.0/24');
    expect(sim.get('Node', undefined, 'n1')!.spec.podCIDR).toBe('10.244.77.0/24');
    // no declared roles: n0 is the (untainted) control plane, as on minikube
    expect(sim.get('Node', undefined, 'n0')!.spec.taints).toBeUndefined();
    expect(sim.get('Node', undefined, 'n0')!.metadata.labels!['node-role.kubernetes.io/control-plane']).toBe('');
    const ips = ['a', 'b'].map((n) => sim.get('Pod', 'default', n)!.status.podIP);
    // n1 also runs calico-kube-controllers/coredns? they spread over both nodes; user pods follow them in order
    for (const ip of ips) {
      expect(ip).toMatch(/^10\.244\.77\.\d+$/);
      expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(2);
    }
    expect(ipToNum(ips[1]) - ipToNum(ips[0])).toBe(1);
    expect(sim.get('Pod', 'default', 'c')!.status.podIP).toBe('192.168.49.3');
    // a freed address is reused only after the range wraps (host-local keeps going forward)
    const ipam = sim.cluster.ipam;
    const next = ipam.allocatePodIP('n1', '10.244.77.0/24');
    expect(ipToNum(next!) - ipToNum(ips[1])).toBe(1);
  });

  it('takes LoadBalancer addresses from the pool in order and leaves the rest pending', () => {
    const sim = createSimulation('cluster:\n  loadBalancerPool: [198.51.100.7, 198.51.100.20/31]\n', { seed: 1 });
    const mk = (name: string) => sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] } });
    for (const n of ['a', 'b', 'c', 'd']) mk(n);
    expect(['a', 'b', 'c', 'd'].map((n) => sim.get('Service', 'default', n)!.status.loadBalancer.ingress?.[0]?.ip)).toEqual(['198.51.100.7', '198.51.100.20', '198.51.100.21', undefined]);
    // the freed address goes to the Service that was waiting for one
    sim.api.delete('Service', 'default', 'b');
    expect(sim.get('Service', 'default', 'd')!.status.loadBalancer.ingress[0].ip).toBe('198.51.100.20');
    mk('e');
    expect(sim.get('Service', 'default', 'e')!.status).toEqual({ loadBalancer: {} });
  });
});
