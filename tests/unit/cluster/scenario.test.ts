import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../../engine';

function error(text: string): string {
  try {
    loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  return '';
}

describe('scenario settings', () => {
  it('rejects settings a cluster could not have', () => {
    expect(error('cluster:\n  podCIDR: 10.244.0.0/33\n')).toBe('cluster.podCIDR "10.244.0.0/33" is not an IPv4 CIDR');
    expect(error('cluster:\n  nodes:\n    - { name: Node_1, ip: 10.0.0.1 }\n')).toBe('cluster.nodes[0].name "Node_1" is not a valid node name (a lowercase RFC 1123 subdomain)');
    expect(error('cluster:\n  nodes:\n    - { name: a, ip: 10.0.0.1 }\n    - { name: b, ip: 10.0.0.1 }\n')).toBe('cluster.nodes[1]: ip 10.0.0.1 is used twice');
    expect(error('cluster:\n  nodes:\n    - { name: a, ip: 10.0.0.1, role: master }\n')).toBe('cluster.nodes[0].role "master" is not control-plane or worker');
    expect(error('cluster:\n  loadBalancerPool: [nope]\n')).toBe('cluster.loadBalancerPool[0] "nope" is not a CIDR or an IPv4 address');
    expect(error('cluster:\n  nodes:\n    - { name: a, ip: 10.0.0.1, podCIDR: 10.244.7.0/24 }\n')).toBe('');
  });
});

describe('scenario objects', () => {
  it('names the manifest the API server refused', async () => {
    const { createSimulation } = await import('../../../engine');
    expect(() => createSimulation('objects:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: web }\n    spec: { clusterIP: 10.0.0.5, ports: [{ port: 80 }] }\n')).toThrow(
      'objects[0] (Service web): Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });
});
