/**
 * calico-ipam on a cluster with its system layer (calico-node, the crd.projectcalico.org CRDs):
 * /26 blocks of the IPPool claimed per node, the tunnel address, BIRD's routes per block,
 * the IPAM objects as kubectl shows them, the Node condition and Pod annotations calico-node
 * and the CNI plugin write, and what listens on a node.
 *
 * Upstream (github.com/projectcalico/calico v3.28): libcalico-go/lib/ipam/ipam_block.go
 * (newBlock, autoAssign, release), ipam_plugin.go in cni-plugin/pkg/ipamplugin (handle
 * `k8s-pod-network.<containerID>`, attributes namespace/node/pod/timestamp),
 * node/pkg/allocateip/allocateip.go (`ipip-tunnel-addr-<node>`, type ipipTunnelAddress),
 * libcalico-go/lib/apis/v3/ipam_block.go and block_affinity.go (the CRD shapes),
 * libcalico-go/lib/backend/k8s/resources/ipam_affinity_v1.go and lib/names/cidr.go (object
 * names), node/pkg/lifecycle/startup/startup.go createIPPool (the default pool),
 * node/pkg/lifecycle/utils/utils.go SetNodeNetworkUnavailableCondition (CalicoIsUp),
 * libcalico-go/lib/backend/k8s/resources/node.go (projectcalico.org/IPv4Address, IPv4IPIPTunnelAddr),
 * cni-plugin/pkg/k8s/k8s.go (cni.projectcalico.org/podIP, podIPs, containerID),
 * confd's BIRD templates (`blackhole <block> proto bird`, `via <node> dev tunl0 onlink`).
 * Felix health listens on localhost:9099 (felix/config/config_params.go HealthHost, HealthPort).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { cidrContains } from '../../../engine/cluster/ipv4';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

function pods(node: string, names: string[]): string {
  return names.map((n) => `
  - apiVersion: v1
    kind: Pod
    metadata: { name: ${n}, labels: { app: ${n} } }
    spec:
      nodeName: ${node}
      containers: [{ name: app, image: nginx:1.27 }]`).join('');
}

const SCENARIO = `
cluster:
  cni: calico
objects:${pods('node-1', ['web-a', 'web-b'])}${pods('node-2', ['api-a'])}
`;

describe('calico-ipam (system layer)', () => {
  const sim = createSimulation(SCENARIO);
  sim.run('sleep 10');
  const cases: [string, string][] = [
    ['calico-ipam/node-1-ip-route.txt', 'ssh node-1 ip route'],
    ['calico-ipam/node-1-ip-addr-tunl0.txt', 'ssh node-1 ip addr show tunl0'],
    ['calico-ipam/get-ipamblocks.txt', 'kubectl get ipamblocks'],
    ['calico-ipam/get-blockaffinities.txt', 'kubectl get blockaffinities'],
    ['calico-ipam/get-ippools-yaml.txt', 'kubectl get ippools -o yaml'],
    ['calico-ipam/get-ipamblock-node-1-yaml.txt', 'kubectl get ipamblock 10-244-0-64-26 -o yaml'],
    ['calico-ipam/get-blockaffinity-node-1-yaml.txt', 'kubectl get blockaffinity node-1-10-244-0-64-26 -o yaml'],
    ['calico-ipam/get-crd.txt', 'kubectl get crd'],
    ['calico-ipam/api-resources-calico.txt', 'kubectl api-resources --api-group=crd.projectcalico.org'],
    ['calico-ipam/get-pods-wide.txt', 'kubectl get pods -o wide'],
    ['calico-ipam/pod-annotations.txt', "kubectl get pod web-a -o jsonpath={.metadata.annotations}"],
    ['calico-ipam/node-1-conditions.txt', "kubectl get node node-1 -o jsonpath={.status.conditions[0]}"],
    ['calico-ipam/node-1-annotations.txt', "kubectl get node node-1 -o jsonpath={.metadata.annotations}"],
    ['calico-ipam/node-1-ss-tlnp.txt', 'ssh node-1 ss -tlnp'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`cni/${file}`, out(sim.run(line))));

  it('a deleted Pod gives its address back to the end of the block\'s unallocated list', () => {
    const s = createSimulation(SCENARIO);
    s.run('sleep 10');
    const ip = s.run('kubectl get pod web-b -o jsonpath={.status.podIP}').stdout;
    // node-1's block: the tunnel (.64), calico-kube-controllers and a CoreDNS replica, web-a, web-b
    expect(ip).toBe('10.244.0.68');
    s.run('kubectl delete pod web-b');
    s.run('sleep 60');
    const block = JSON.parse(s.run('kubectl get ipamblock 10-244-0-64-26 -o json').stdout);
    expect(block.spec.allocations.slice(0, 6)).toEqual([0, 1, 2, 3, null, null]);
    expect(block.spec.unallocated[0]).toBe(5);
    expect(block.spec.unallocated.at(-1)).toBe(4);
    expect(block.spec.attributes.map((a: { secondary: { pod?: string; type?: string } }) => a.secondary.pod ?? a.secondary.type)).toEqual(['ipipTunnelAddress', 'calico-kube-controllers-856f5fbdd5-qclv6', 'coredns-7788dbc5b-nh297', 'web-a']);
    expect(block.spec.sequenceNumberForAllocation['4']).toBeUndefined();
    // the next Pod takes ordinal 5: the freed one waits at the end of the list
    s.run(`kubectl run next --image=nginx:1.27 --overrides='{"spec":{"nodeName":"node-1"}}'`);
    s.run('sleep 10');
    expect(s.run('kubectl get pod next -o jsonpath={.status.podIP}').stdout).toBe('10.244.0.69');
  });
});

describe('calico-node switched to VXLAN (allocateip.go reconcileTunnelAddrs)', () => {
  it('releases the IPIP tunnel address, gives vxlan.calico the next free one, and Felix routes the blocks through it', () => {
    const sim = createSimulation(SCENARIO);
    sim.run('sleep 10');
    sim.run('kubectl -n kube-system set env ds/calico-node CALICO_IPV4POOL_IPIP=Never CALICO_IPV4POOL_VXLAN=Always');
    sim.run('sleep 5');
    golden('cni/calico-ipam/vxlan-node-1.txt', ['ssh node-1 ip -4 addr show vxlan.calico', 'ssh node-1 ip route', 'ssh node-1 ip neigh show dev vxlan.calico', 'kubectl get node node-1 -o jsonpath={.metadata.annotations}'].map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
    expect(sim.run('kubectl exec web-a -- curl -s -o /dev/null -w %{http_code} http://' + sim.run('kubectl get pod api-a -o jsonpath={.status.podIP}').stdout).stdout).toBe('200');
  });
});

describe('calico-ipam blocks (property)', () => {
  it('pods on a node get addresses inside its affine blocks; a full block makes the node claim the next free one', () => {
    const names = Array.from({ length: 70 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const sim = createSimulation(`
cluster:
  cni: calico
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3, maxPods: 200 }
    - { name: node-2, ip: 192.168.49.4 }
objects:${pods('node-1', names)}${pods('node-2', ['solo'])}
`);
    sim.run('sleep 30');
    const affinities = JSON.parse(sim.run('kubectl get blockaffinities -o json').stdout).items as { spec: { node: string; cidr: string } }[];
    const blocksOf = (node: string) => affinities.filter((a) => a.spec.node === node).map((a) => a.spec.cidr);
    // node order: the control plane's first block, then node-1's, node-2's; node-1 filled its block (63 pods and the tunnel) and claimed the next free one
    expect(blocksOf('control-plane')).toEqual(['10.244.0.0/26']);
    expect(blocksOf('node-1').sort()).toEqual(['10.244.0.192/26', '10.244.0.64/26']);
    expect(blocksOf('node-2')).toEqual(['10.244.0.128/26']);
    const all = JSON.parse(sim.run('kubectl get pods -A -o json').stdout).items as { metadata: { name: string }; spec: { nodeName: string; hostNetwork?: boolean }; status: { podIP?: string } }[];
    const seen = new Set<string>();
    for (const p of all) {
      if (p.spec.hostNetwork || !p.status.podIP) continue;
      expect(blocksOf(p.spec.nodeName).some((b) => cidrContains(b, p.status.podIP!)), `${p.metadata.name} ${p.status.podIP} on ${p.spec.nodeName}`).toBe(true);
      expect(seen.has(p.status.podIP)).toBe(false);
      seen.add(p.status.podIP);
    }
    const onNode1 = all.filter((p) => p.spec.nodeName === 'node-1' && !p.spec.hostNetwork);
    expect(onNode1.filter((p) => cidrContains('10.244.0.192/26', p.status.podIP!)).length).toBe(onNode1.length - 63);
    // BIRD: a blackhole per owned block on node-1, a tunl0 route per block of another node on node-2
    const r1 = sim.run('ssh node-1 ip route').stdout;
    expect(r1).toContain('blackhole 10.244.0.64/26 proto bird');
    expect(r1).toContain('blackhole 10.244.0.192/26 proto bird');
    const r2 = sim.run('ssh node-2 ip route').stdout;
    expect(r2).toContain('10.244.0.192/26 via 192.168.49.3 dev tunl0 proto bird onlink');
    expect(r2).toContain('10.244.0.64/26 via 192.168.49.3 dev tunl0 proto bird onlink');
  });
});

/**
 * calico-kube-controllers' IPAM garbage collection (kube-controllers/pkg/controllers/node/ipam.go
 * v3.28: syncIPAM = checkAllocations, garbageCollectIPs, checkEmptyBlocks, cleanupNode; kicked
 * by OnKubernetesNodeDeleted and run every LeakGracePeriod/2 = 7m30s, runconfig.go) after
 * kube-controller-manager's Pod GC force-deletes the deleted Node's Pods (pkg/controller/podgc
 * gc_controller.go gcOrphaned: a 20 s period, a 40 s quarantine, DeletionByPodGC).
 */
describe('calico-kube-controllers IPAM GC', () => {
  const TWO_BLOCKS = `
cluster:
  cni: calico
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3, maxPods: 200 }
    - { name: node-2, ip: 192.168.49.4 }
objects:${pods('node-1', Array.from({ length: 64 }, (_, i) => `p${String(i).padStart(2, '0')}`))}${pods('node-2', ['api-a', 'api-b'])}
`;

  it('kubectl delete node: the affinity stays while its Pods exist, then the Pod GC and the next IPAM sync release the block', () => {
    const sim = createSimulation(SCENARIO);
    sim.run('sleep 10');
    const lines = [
      'kubectl get blockaffinities',
      'kubectl delete node node-2',
      'kubectl get blockaffinities',
      'kubectl get pods -A -o wide --field-selector spec.nodeName=node-2',
      'sleep 60',
      'kubectl get pods -A -o wide --field-selector spec.nodeName=node-2',
      'kubectl get ipamblock 10-244-0-128-26 -o jsonpath={.spec.attributes}',
      'sleep 450',
      'kubectl get blockaffinities',
      'kubectl get ipamblocks',
      'kubectl get ipamblock 10-244-0-128-26',
      'ssh node-1 ip route',
    ];
    golden('cni/calico-ipam/gc-delete-node.txt', lines.map((l) => `$ ${l}\n${out(sim.run(l))}`).join(''));
  });

  it('no calico-kube-controllers, no collection: the deleted node keeps its block until the controller is back', () => {
    const sim = createSimulation(SCENARIO);
    sim.run('sleep 10');
    const held = () => sim.run('kubectl get blockaffinities -o name').stdout;
    expect(sim.run('kubectl -n kube-system scale deployment calico-kube-controllers --replicas=0').exitCode).toBe(0);
    sim.run('sleep 60');
    sim.run('kubectl delete node node-2');
    sim.run('sleep 1200');
    expect(held()).toContain('node-2-10-244-0-128-26');
    sim.run('kubectl -n kube-system scale deployment calico-kube-controllers --replicas=1');
    sim.run('sleep 480');
    expect(held()).toBe('blockaffinity.crd.projectcalico.org/control-plane-10-244-0-0-26\nblockaffinity.crd.projectcalico.org/node-1-10-244-0-64-26\n');
  });

  it('a block emptied of Pods stays affine while it is its node\'s only one; a second one goes once empty for the grace period', () => {
    const sim = createSimulation(TWO_BLOCKS);
    sim.run('sleep 30');
    const blocks = () => (JSON.parse(sim.run('kubectl get blockaffinities -o json').stdout).items as { spec: { node: string; cidr: string } }[]).map((a) => `${a.spec.node} ${a.spec.cidr}`).sort();
    const before = blocks();
    expect(before).toEqual(['control-plane 10.244.0.0/26', 'node-1 10.244.0.192/26', 'node-1 10.244.0.64/26', 'node-2 10.244.0.128/26']);
    // empty node-2's only block of Pods (its tunnel address stays) and node-1's second block (p61-p63: the system Pods came first)
    expect(sim.run('kubectl delete pod api-a api-b p61 p62 p63 --wait=false').exitCode).toBe(0);
    sim.run('sleep 60');
    const second = JSON.parse(sim.run('kubectl get ipamblock 10-244-0-192-26 -o json').stdout).spec;
    expect(second.allocations.every((a: number | null) => a === null)).toBe(true);
    // marked empty at the next sync, released at the first sync more than 15 minutes later
    sim.run('sleep 900');
    expect(blocks()).toEqual(before);
    sim.run('sleep 600');
    expect(blocks()).toEqual(['control-plane 10.244.0.0/26', 'node-1 10.244.0.64/26', 'node-2 10.244.0.128/26']);
    expect(sim.run('kubectl get ipamblock 10-244-0-192-26').stderr).toBe('Error from server (NotFound): ipamblocks.crd.projectcalico.org "10-244-0-192-26" not found\n');
    expect(sim.run('ssh node-1 ip route').stdout).not.toContain('10.244.0.192/26');
  });
});
