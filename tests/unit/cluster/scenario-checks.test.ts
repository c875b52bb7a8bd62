/**
 * Scenario mistakes an author can make in the address plan, each a ScenarioError with the
 * line of scenario.yaml it is about (what `npm run lessons:check` and `npm run sim` print
 * as file:line), never a stack trace from deeper in the engine.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, ScenarioError } from '../../../engine';

function problem(text: string, build = false): { line?: number; message: string } | undefined {
  try {
    if (build) createSimulation(text, { seed: 1 });
    else loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return { line: e.line, message: e.message };
    throw e;
  }
  return undefined;
}

describe('the address plan', () => {
  it('Service range: /32 too small, /8 too large (kube-apiserver needs a mask of at least 12)', () => {
    expect(problem('# lesson\ncluster:\n  serviceCIDR: 10.96.0.0/32\n')).toEqual({ line: 3, message: 'cluster.serviceCIDR 10.96.0.0/32 is too small: the kubernetes Service takes its first address and kube-dns its tenth, so it needs at least a /28' });
    expect(problem('cluster:\n  systemLayer: false\n  serviceCIDR: 10.96.0.0/29\n')).toBeUndefined();
    expect(problem('cluster:\n  serviceCIDR: 10.0.0.0/8\n')).toEqual({
      line: 2,
      message: 'cluster.serviceCIDR 10.0.0.0/8 is too large: kube-apiserver refuses it ("specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12")',
    });
  });

  it('Pod and Service ranges that overlap', () => {
    expect(problem('cluster:\n  serviceCIDR: 10.96.0.0/12\n  podCIDR: 10.100.0.0/16\n')).toEqual({ line: 3, message: 'cluster.podCIDR 10.100.0.0/16 overlaps cluster.serviceCIDR 10.96.0.0/12: Pod and Service addresses must not share a range' });
  });

  it('node ranges: outside the cluster range, overlapping, too many nodes for the range', () => {
    const nodes = (extra: string) => `cluster:\n  nodes:\n    - name: cp\n      ip: 192.168.1.2\n    - name: w1\n      ip: 192.168.1.3\n${extra}`;
    expect(problem(nodes('      podCIDR: 10.1.0.0/24\n'))).toEqual({ line: 7, message: 'cluster.nodes[1].podCIDR 10.1.0.0/24 is outside cluster.podCIDR 10.244.0.0/16: node ranges are carved out of the cluster\'s Pod range' });
    expect(problem(nodes('      podCIDR: 10.244.0.128/25\n'))).toEqual({ line: 7, message: "cluster.nodes[1].podCIDR 10.244.0.128/25 overlaps cluster.nodes[0]'s Pod range 10.244.0.0/24: each node needs its own" });
    expect(problem('cluster:\n  podCIDR: 10.244.0.0/24\n')).toEqual({ line: 2, message: 'cluster.podCIDR 10.244.0.0/24 has room for 1 node range (/24 each) but 3 nodes need one: use a larger range (a /16 holds 256) or give nodes a podCIDR' });
  });

  it('node addresses and load-balancer pools inside a cluster range', () => {
    expect(problem('cluster:\n  nodes:\n    - { name: a, ip: 10.244.9.9 }\n')).toEqual({ line: 3, message: 'cluster.nodes[0].ip 10.244.9.9 is inside cluster.podCIDR 10.244.0.0/16: node addresses must lie outside the Pod and Service ranges' });
    expect(problem('cluster:\n  loadBalancerPool:\n    - 10.96.0.0/28\n')).toEqual({ line: 3, message: 'cluster.loadBalancerPool[0] 10.96.0.0/28 overlaps cluster.serviceCIDR 10.96.0.0/12: load-balancer addresses must lie outside the Pod and Service ranges' });
  });

  it('out-of-range settings', () => {
    expect(problem('cluster:\n  nodes:\n    - name: a\n      ip: 192.168.1.2\n      maxPods: -1\n')).toEqual({ line: 5, message: "cluster.nodes[0].maxPods -1 must be a whole number from 0 to 2147483647 (the kubelet's --max-pods)" });
    expect(problem('cluster:\n  objectQuota: 0\n')).toEqual({ line: 2, message: 'cluster.objectQuota 0 must be a whole number above 0 (how many objects the simulated etcd holds)' });
    expect(problem('cluster:\n  cni: calico\n  cni: flannel\n')?.line).toBe(3);
  });

  it('a manifest the API server refuses points at the refused field', () => {
    const text = 'objects:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n    spec:\n      ports:\n        - port: 80\n          nodePort: 80\n      type: NodePort\n';
    expect(problem(text, true)).toEqual({
      line: 9,
      message: 'objects[0] (Service web): Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    });
  });
});
