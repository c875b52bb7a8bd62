/**
 * What a cluster does when it runs out of room, pinned with the components' words:
 * - pods per node: the kubelet's maxPods as the node's allocatable pods, the scheduler's
 *   NodeResourcesFit "Too many pods" and preemption's verdict (pkg/scheduler/framework
 *   types.go FitError.Error, preemption SelectVictimsOnNode);
 * - Pod IPs: host-local IPAM's "no IP addresses available in range set" inside
 *   containerd's FailedCreatePodSandBox;
 * - replicas: the ReplicaSet controller's burstReplicas (500) a sync and the object quota
 *   answered as etcd past its space quota (cluster/api.ts DEFAULT_OBJECT_QUOTA).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { BURST_REPLICAS } from '../../../engine/controllers/workloads';
import { DEFAULT_OBJECT_QUOTA } from '../../../engine/cluster/api';
import type { Pod } from '../../../engine/cluster/types';

const SMALL_NODES = `
cluster:
  systemLayer: false
  nodes:
    - { name: node-1, ip: 192.168.49.3, maxPods: 3 }
    - { name: node-2, ip: 192.168.49.4, maxPods: 3 }
`;

describe('pods per node', () => {
  it('nodes report maxPods (110 by default); pods past it stay Pending with the scheduler message', () => {
    expect(createSimulation(null, { seed: 1 }).get('Node', undefined, 'node-1')?.status?.allocatable?.pods).toBe('110');
    const sim = createSimulation(SMALL_NODES, { seed: 1 });
    expect(sim.get('Node', undefined, 'node-1')?.status?.capacity?.pods).toBe('3');
    sim.run('kubectl create deployment web --image=nginx:1.27 --replicas=8');
    sim.advance(30_000);
    const phases = sim.list<Pod>('Pod', 'default').map((p) => p.status?.phase).sort();
    expect(phases).toEqual(['Pending', 'Pending', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running']);
    const message = '0/2 nodes are available: 2 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..';
    const pending = sim.list<Pod>('Pod', 'default').filter((p) => p.status?.phase === 'Pending');
    for (const p of pending) {
      expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ message, reason: 'Unschedulable', status: 'False' });
      expect(sim.list('Event', 'default').filter((e) => e.involvedObject.name === p.metadata.name).map((e) => [e.reason, e.message])).toEqual([['FailedScheduling', message]]);
    }
    // a freed slot is taken by a waiting pod
    const running = sim.list<Pod>('Pod', 'default').find((p) => p.status?.phase === 'Running')!;
    sim.run(`kubectl delete pod ${running.metadata.name} --grace-period=0 --force`);
    sim.advance(30_000);
    expect(sim.list<Pod>('Pod', 'default').filter((p) => p.spec?.nodeName).length).toBe(6);
  });

  it('a tainted control plane and full workers each get their verdict', () => {
    const sim = createSimulation('cluster:\n  nodes:\n    - { name: control-plane, ip: 192.168.49.2, role: control-plane }\n    - { name: node-1, ip: 192.168.49.3, maxPods: 4 }\n', { seed: 1 });
    sim.run('kubectl create deployment web --image=nginx:1.27 --replicas=4');
    sim.advance(30_000);
    const pending = sim.list<Pod>('Pod', 'default').filter((p) => !p.spec?.nodeName);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending[0].status?.conditions?.[0]?.message).toBe(
      '0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    );
  });
});

describe('Pod IP exhaustion', () => {
  it("pods past a node's range wait in ContainerCreating with the CNI's allocation error", () => {
    const sim = createSimulation('cluster:\n  cni: flannel\n  nodes:\n    - { name: control-plane, ip: 192.168.49.2, role: control-plane }\n    - { name: node-1, ip: 192.168.49.3, podCIDR: 10.244.1.0/29 }\n', { seed: 1 });
    sim.run('kubectl create deployment web --image=nginx:1.27 --replicas=6');
    sim.advance(25_000);
    const pods = sim.list<Pod>('Pod', 'default');
    const waiting = pods.filter((p) => !p.status?.podIP);
    expect(pods.filter((p) => p.status?.podIP).map((p) => p.status?.podIP).sort()).toEqual(['10.244.1.3', '10.244.1.4', '10.244.1.5', '10.244.1.6']);
    expect(waiting.map((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason)).toEqual(['ContainerCreating', 'ContainerCreating']);
    const events = sim.list('Event', 'default').filter((e) => e.involvedObject.name === waiting[0].metadata.name && e.reason === 'FailedCreatePodSandBox');
    expect(events.length).toBe(3);
    for (const e of events) {
      expect(e.message).toMatch(
        /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10\.244\.1\.1-10\.244\.1\.6$/,
      );
    }
    // an address comes free: the next retry gets it
    sim.run('kubectl scale deploy web --replicas=5');
    sim.advance(40_000);
    expect(sim.list<Pod>('Pod', 'default').filter((p) => p.status?.phase === 'Running').length).toBe(4);
    sim.run(`kubectl delete pod ${pods.find((p) => p.status?.podIP)!.metadata.name} --grace-period=0 --force`);
    sim.advance(40_000);
    expect(sim.list<Pod>('Pod', 'default').filter((p) => p.status?.phase === 'Running').length).toBe(4);
  });
});

describe('huge replica counts', () => {
  it('a sync creates at most burstReplicas, and the cluster stops at its object quota as etcd would', { timeout: 120_000 }, () => {
    expect([BURST_REPLICAS, DEFAULT_OBJECT_QUOTA]).toEqual([500, 10_000]);
    const sim = createSimulation('cluster:\n  objectQuota: 1500\n', { seed: 1 });
    sim.run('kubectl create deployment web --image=nginx:1.27');
    sim.advance(10_000);
    const before = sim.store.count('Pod');
    expect(sim.run('kubectl scale deploy web --replicas=1000000')).toEqual({ stdout: 'deployment.apps/web scaled\n', stderr: '', exitCode: 0 });
    expect(sim.store.count('Pod') - before).toBe(BURST_REPLICAS);
    sim.advance(30 * 60_000);
    expect(sim.api.storedObjects()).toBe(1500);
    const rs = sim.list('ReplicaSet', 'default')[0];
    const failed = sim.list('Event', 'default').filter((e) => e.involvedObject.uid === rs.metadata.uid && e.reason === 'FailedCreate');
    expect(failed.map((e) => e.message)).toContain('Error creating: etcdserver: mvcc: database space exceeded');
    expect(sim.run('kubectl create configmap one-more').stderr).toBe('Error from server: etcdserver: mvcc: database space exceeded\n');
    // the lesson is not broken for good: scaling down goes on and the room comes back
    expect(sim.run('kubectl scale deploy web --replicas=1').exitCode).toBe(0);
    sim.advance(15 * 60_000);
    expect(sim.list<Pod>('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp).length).toBe(1);
    expect(sim.run('kubectl create configmap one-more').stdout).toBe('configmap/one-more created\n');
  });
});
