import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { crossNodePath, cniEnforcesPolicy, hostVethName, nodeInterfaces, nodeRoutes, podInterface, podNamespace } from '../../../engine/controllers/cni';
import { sha1 as sha1Hex, sha256 as sha256Hex } from '../../../engine/cluster/hash';
import { scenario } from '../dns/scenario';

/** Creates a pod with its address pinned, as a scenario would (status kept). */
function create(sim: Simulation, m: ReturnType<typeof newPod>): void {
  (sim.api.create as (m: unknown, o: { keepStatus: boolean }) => unknown)(m, { keepStatus: true });
}

const newPod = (name: string, nodeName: string, ip: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  status: { phase: 'Running', podIP: ip },
});

describe('hashes used for interface names', () => {
  it('sha1 and sha256 agree with node:crypto', () => {
    for (const s of ['', 'default.web-0', 'kube-system.coredns-7db6d8ff4d-x2x4w', 'x'.repeat(200), 'ünïcødé']) {
      expect(sha1Hex(s)).toBe(createHash('sha1').update(s).digest('hex'));
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });
  it('calico names the host veth cali + sha1("<ns>.<pod>")[:11] (libcalico-go VethNameForWorkload)', () => {
    const sim = createSimulation(scenario('calico'));
    const pod = sim.store.get('Pod', 'default', 'web-0')!;
    expect(hostVethName(sim.settings, pod)).toBe('cali' + createHash('sha1').update('default.web-0').digest('hex').slice(0, 11));
    expect(podInterface(sim.cluster, pod)).toMatchObject({ hostVeth: hostVethName(sim.settings, pod), ifindex: 4, ip: '10.244.0.5', mtu: 1480, gateway: '169.254.1.1' });
  });
});

describe('interface indexes', () => {
  it('stay with their pod while other pods come and go, and new pods take the next index', () => {
    const sim = createSimulation(scenario('flannel'));
    const before = nodeInterfaces(sim.cluster, 'node-1').map((l) => `${l.ifindex}:${l.name}`);
    const webIdx = podInterface(sim.cluster, sim.store.get('Pod', 'default', 'web-0')!)!.hostIfindex;
    create(sim, newPod('extra', 'node-1', '10.244.0.30'));
    sim.advance(10_000); // the kubelet starts the sandbox; the CNI wires it
    const extra = podInterface(sim.cluster, sim.store.get('Pod', 'default', 'extra')!)!;
    expect(extra.hostIfindex).toBe(Math.max(...before.map((s) => Number(s.split(':')[0]))) + 1);
    sim.api.delete('Pod', 'default', 'tools');
    sim.advance(60_000);
    expect(podInterface(sim.cluster, sim.store.get('Pod', 'default', 'web-0')!)!.hostIfindex).toBe(webIdx);
    expect(podInterface(sim.cluster, sim.store.get('Pod', 'default', 'extra')!)!.hostIfindex).toBe(extra.hostIfindex);
    create(sim, newPod('later', 'node-1', '10.244.0.31'));
    sim.advance(10_000);
    expect(podInterface(sim.cluster, sim.store.get('Pod', 'default', 'later')!)!.hostIfindex).toBe(extra.hostIfindex + 1);
    expect(nodeInterfaces(sim.cluster, 'node-1').some((l) => l.name === hostVethName(sim.settings, { metadata: { namespace: 'default', name: 'tools', uid: 'x' } } as never))).toBe(false);
  });
  it('survive a snapshot and restore byte for byte', () => {
    const sim = createSimulation(scenario('flannel'));
    create(sim, newPod('extra', 'node-1', '10.244.0.30'));
    sim.advance(10_000);
    sim.api.delete('Pod', 'default', 'tools');
    sim.advance(60_000);
    const snap = JSON.parse(JSON.stringify(sim.snapshot()));
    const again = Simulation.restore(snap);
    expect(JSON.stringify(nodeInterfaces(again.cluster, 'node-1'))).toBe(JSON.stringify(nodeInterfaces(sim.cluster, 'node-1')));
    create(again, newPod('next', 'node-1', '10.244.0.32'));
    create(sim, newPod('next', 'node-1', '10.244.0.32'));
    again.advance(10_000);
    sim.advance(10_000);
    expect(podInterface(again.cluster, again.store.get('Pod', 'default', 'next')!)!.hostIfindex).toBe(podInterface(sim.cluster, sim.store.get('Pod', 'default', 'next')!)!.hostIfindex);
  });
  it('cni0 loses carrier when its last pod goes', () => {
    const sim = createSimulation(scenario('flannel'));
    for (const p of sim.store.list('Pod').filter((p) => p.spec.nodeName === 'node-2')) sim.api.delete('Pod', p.metadata.namespace, p.metadata.name);
    sim.advance(60_000); // past the grace period: the sandboxes are torn down
    const cni0 = nodeInterfaces(sim.cluster, 'node-2').find((l) => l.name === 'cni0')!;
    expect(cni0.state).toBe('DOWN');
    expect(cni0.flags).toEqual(['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP']);
  });
});

describe('routes follow the nodes', () => {
  it('a third node adds a route on the others (flannel: via its VTEP; calico: via BGP over tunl0)', () => {
    for (const cni of ['flannel', 'calico']) {
      const sim = createSimulation(scenario(cni).replace('    - { name: node-2, ip: 192.168.49.3, podCIDR: 10.244.1.0/24 }', '    - { name: node-2, ip: 192.168.49.3, podCIDR: 10.244.1.0/24 }\n    - { name: node-3, ip: 192.168.49.4, podCIDR: 10.244.2.0/24 }'));
      const r = nodeRoutes(sim.cluster, 'node-1').find((x) => x.dst === '10.244.2.0/24')!;
      expect(r).toEqual(cni === 'flannel' ? { dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'flannel.1', onlink: true } : { dst: '10.244.2.0/24', via: '192.168.49.4', dev: 'tunl0', proto: 'bird', onlink: true });
    }
  });
  it('host-network pods share the node namespace', () => {
    const sim = createSimulation(scenario('flannel', `
  - apiVersion: v1
    kind: Pod
    metadata: { name: hostnet, namespace: default }
    spec: { nodeName: node-2, hostNetwork: true, containers: [{ name: c, image: busybox:1.36 }] }
    status: { phase: Running, podIP: 192.168.49.3 }
`));
    const p = sim.store.get('Pod', 'default', 'hostnet')!;
    expect(podNamespace(sim.cluster, p)!.id).toBe('node/node-2');
    expect(podInterface(sim.cluster, p)).toBeUndefined();
  });
});

describe('cross-node paths and policy support', () => {
  it('per plugin', () => {
    const modes: Record<string, [string, string, number]> = {
      flannel: ['vxlan', 'flannel.1', 1450],
      calico: ['ipip', 'tunl0', 1480],
      cilium: ['vxlan', 'cilium_vxlan', 1450],
      weave: ['fastdp', 'vxlan-6784', 1376],
      'aws-vpc-cni': ['vpc', 'eth0', 9001],
    };
    for (const [cni, [mode, device, mtu]] of Object.entries(modes)) {
      const sim = createSimulation(scenario(cni));
      const p = crossNodePath(sim.cluster, 'node-1', 'node-2');
      expect([p.mode, p.device, p.mtu, p.routers]).toEqual([mode, device, mtu, 2]);
      expect(p.hops).toHaveLength(3);
      expect(crossNodePath(sim.cluster, 'node-1', 'node-1').mode).toBe('local');
    }
  });
  it('flannel and a bare AWS VPC CNI do not enforce NetworkPolicy', () => {
    const sim = createSimulation(scenario('aws-vpc-cni'));
    expect(cniEnforcesPolicy({ ...sim.settings, cni: 'flannel' })).toBe(false);
    expect(cniEnforcesPolicy({ ...sim.settings, cni: 'calico' })).toBe(true);
    expect(cniEnforcesPolicy(sim.settings, sim.cluster)).toBe(false);
    sim.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'true' } });
    expect(cniEnforcesPolicy(sim.settings, sim.cluster)).toBe(true);
  });
});

describe('which ip a Pod image ships', () => {
  it('agnhost has iproute2 (apk add … iproute2 in its Dockerfile), busybox has its applet', () => {
    const sim = createSimulation(`
cluster: { cni: flannel }
objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: a }, spec: { nodeName: node-1, containers: [{ name: a, image: "registry.k8s.io/e2e-test-images/agnhost:2.52", args: [netexec] }] } }
  - { apiVersion: v1, kind: Pod, metadata: { name: b }, spec: { nodeName: node-1, containers: [{ name: b, image: "busybox:1.36", command: [sleep, infinity] }] } }
`, { seed: 1 });
    const a = podInterface(sim.cluster, sim.store.get('Pod', 'default', 'a')!)!;
    expect(sim.run('kubectl exec a -- ip link show eth0').stdout).toBe(
      `2: eth0@if${a.hostIfindex}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default \n    link/ether ${a.mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n`,
    );
    const b = podInterface(sim.cluster, sim.store.get('Pod', 'default', 'b')!)!;
    expect(sim.run('kubectl exec b -- ip link show eth0').stdout).toBe(
      `2: eth0@if${b.hostIfindex}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue state UP \n    link/ether ${b.mac} brd ff:ff:ff:ff:ff:ff\n`,
    );
  });
});
