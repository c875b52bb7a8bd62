/**
 * The dataplane's pod index (engine/dataplane/topology.ts), kept current from the store's
 * change stream: who owns an address two pods hold (a pinned scenario, a replacement
 * coming up while its predecessor terminates) after each change. The rules it pins: the
 * running pod owns the address; when the owner is removed (or changed), the first other
 * pod holding the address, in the order the index last saw them, takes it over.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { podByIp, findPod } from '../../../engine/dataplane/topology';
import type { KubeObject } from '../../../engine/cluster/types';

const SCENARIO = `
cluster:
  cni: flannel
  systemLayer: false
  nodes:
    - { name: node-1, ip: 192.168.49.2, podCIDR: 10.244.1.0/24 }
objects: []
`;

function pod(name: string, ip: string, phase: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', ...extra },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx:1.27' }] },
    status: { phase, podIP: ip },
  } as KubeObject;
}

describe('pod index: an address two pods hold', () => {
  it('goes to the running pod, passes on when its owner changes or goes, and is gone with the last holder', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const ip = '10.244.1.50';
    expect(podByIp(sim.cluster, ip)).toBeUndefined();
    sim.store.put(pod('old', ip, 'Running'));
    sim.store.put(pod('new', ip, 'Pending'));
    // the running one keeps it against a pending newcomer
    expect(podByIp(sim.cluster, ip)?.name).toBe('old');
    // its owner starts terminating: on that change the other holder takes the address over
    sim.store.put(pod('old', ip, 'Running', { deletionTimestamp: '2026-01-01T00:00:00Z' }));
    expect(podByIp(sim.cluster, ip)?.name).toBe('new');
    sim.store.put(pod('new', ip, 'Running'));
    expect(podByIp(sim.cluster, ip)?.name).toBe('new');
    // the replacement is the last holder once the old pod is gone
    sim.store.remove('Pod', 'default', 'old');
    expect(podByIp(sim.cluster, ip)?.name).toBe('new');
    expect(findPod(sim.cluster, 'default', 'old')).toBeUndefined();
    // an address change frees the old address
    sim.store.put(pod('new', '10.244.1.51', 'Running'));
    expect(podByIp(sim.cluster, ip)).toBeUndefined();
    expect(podByIp(sim.cluster, '10.244.1.51')?.name).toBe('new');
    sim.store.remove('Pod', 'default', 'new');
    expect(podByIp(sim.cluster, '10.244.1.51')).toBeUndefined();
  });

  it('passes an address on to the first other holder the index saw, not any other pod', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    podByIp(sim.cluster, '10.244.1.60');
    sim.store.put(pod('a', '10.244.1.60', 'Running'));
    sim.store.put(pod('b', '10.244.1.61', 'Running'));
    sim.store.put(pod('c', '10.244.1.60', 'Running'));
    sim.store.put(pod('d', '10.244.1.60', 'Running'));
    expect(podByIp(sim.cluster, '10.244.1.60')?.name).toBe('a');
    sim.store.remove('Pod', 'default', 'a');
    expect(podByIp(sim.cluster, '10.244.1.60')?.name).toBe('c');
    expect(podByIp(sim.cluster, '10.244.1.61')?.name).toBe('b');
  });
});
