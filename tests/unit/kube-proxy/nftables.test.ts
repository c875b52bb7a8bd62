/**
 * kube-proxy's nftables mode as a live dataplane. The packet flows are upstream's
 * (pkg/proxy/nftables/proxier_test.go, v1.34: TestClusterIPGeneral, TestNoEndpointsReject,
 * TestLoadBalancer, TestNodePorts, TestExternalTrafficPolicyLocal/Cluster) run through the
 * node's executed rules; then hand edits with `nft` and what kube-proxy's syncs do to them.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { kubeProxyOf, translate } from '../../../engine/controllers/kube-proxy';
import type { Packet, PacketOrigin } from '../../../engine/dataplane/packet';
import { loadSim, onNode } from '../../golden/kube-proxy/harness';
import { twoNodeWeb } from './fixtures/two-node-web';

const NODE = 'test-node';
const NODE_IP = '192.168.0.2';
const EXTERNAL = '203.0.113.2';
const BLOCKED = '203.0.113.130';

/** upstream's packetFlowTest: the endpoints a connection can reach ("REJECT"/"DROP"/"" otherwise) and whether it is masqueraded. */
function flow(sim: Simulation, src: string, dst: string, dport: number, origin: PacketOrigin = 'pod', node = NODE): { output: string; masq: boolean } {
  const seen = new Set<string>();
  let masq = false;
  for (let i = 0; i < 40; i++) {
    const p: Packet = { src, dst, proto: 'tcp', sport: 30000 + i, dport };
    const d = translate(sim.cluster, node, p, origin);
    if (d.verdict !== 'ACCEPT') return { output: d.verdict, masq: false };
    if (!d.dnatTo) return { output: '', masq: d.masquerade };
    seen.add(`${d.dnatTo.ip}:${d.dnatTo.port}`);
    masq = d.masquerade;
  }
  return { output: [...seen].sort().join(', '), masq };
}

describe('upstream packet flows (proxier-overall-nft.yaml: the TestOverallNFTablesRules Services)', () => {
  const sim = loadSim('proxier-overall-nft.yaml');

  it('TestClusterIPGeneral: ClusterIP, hairpin, undefined ports rejected, unallocated ClusterIPs dropped', () => {
    // (sources in the node's own pod range: flanneld masquerades pod traffic from elsewhere in 10.0.0.0/8)
    expect(flow(sim, '10.0.0.2', '172.30.0.41', 80)).toEqual({ output: '10.180.0.1:80', masq: false });
    expect(flow(sim, '10.180.0.1', '172.30.0.41', 80)).toEqual({ output: '10.180.0.1:80', masq: true });
    expect(flow(sim, '10.0.0.2', '172.30.0.44', 80)).toEqual({ output: '10.180.0.4:80, 10.180.0.5:80', masq: false });
    expect(flow(sim, '10.0.0.2', '172.30.0.41', 443).output).toBe('REJECT');
    expect(flow(sim, '10.0.0.2', '172.30.0.50', 80).output).toBe('DROP');
  });

  it('TestNoEndpointsReject: a Service without endpoints rejects', () => {
    expect(flow(sim, '10.0.0.2', '172.30.0.46', 80).output).toBe('REJECT');
  });

  it('TestLoadBalancer: loadBalancerSourceRanges drop blocked clients before DNAT; NodePorts bypass them', () => {
    expect(flow(sim, '10.0.0.2', '172.30.0.45', 80)).toEqual({ output: '10.180.0.3:80', masq: false });
    expect(flow(sim, EXTERNAL, '5.6.7.8', 80, 'external')).toEqual({ output: '10.180.0.3:80', masq: true });
    expect(flow(sim, BLOCKED, '5.6.7.8', 80, 'external').output).toBe('DROP');
    expect(flow(sim, '10.0.0.2', '5.6.7.8', 80).output).toBe('DROP');
    expect(flow(sim, BLOCKED, NODE_IP, 30002, 'external')).toEqual({ output: '10.180.0.3:80', masq: true });
  });

  it('TestNodePorts: external and node-local clients reach a NodePort on the primary IP, masqueraded', () => {
    expect(flow(sim, EXTERNAL, NODE_IP, 30003, 'external')).toEqual({ output: '10.180.0.3:80', masq: true });
    expect(flow(sim, NODE_IP, NODE_IP, 30003, 'host')).toEqual({ output: '10.180.0.3:80', masq: true });
    // --nodeport-addresses primary: another local address (flannel.1's) is not a NodePort address
    const other = [...kubeProxyOf(sim.cluster).nodeAddresses(NODE)].map((n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`).find((ip) => ip !== NODE_IP && !ip.startsWith('127.'));
    expect(other).toBeDefined();
    expect(flow(sim, EXTERNAL, other!, 30003, 'external').output).toBe('');
  });

  it('TestExternalTrafficPolicyLocal: no local endpoint drops external traffic, pod traffic short-circuits to the cluster endpoints', () => {
    expect(flow(sim, '10.0.0.2', '1.2.3.4', 80)).toEqual({ output: '10.180.0.2:80', masq: false });
    expect(flow(sim, '10.0.0.2', '192.168.99.22', 80)).toEqual({ output: '10.180.0.2:80', masq: false });
    expect(flow(sim, EXTERNAL, '1.2.3.4', 80, 'external').output).toBe('DROP');
    expect(flow(sim, EXTERNAL, '192.168.99.22', 80, 'external').output).toBe('DROP');
    expect(flow(sim, EXTERNAL, NODE_IP, 30001, 'external').output).toBe('DROP');
  });

  it('TestExternalTrafficPolicyCluster: external destinations are masqueraded, pod or not', () => {
    expect(flow(sim, '10.0.0.2', '192.168.99.33', 80)).toEqual({ output: '10.180.0.4:80, 10.180.0.5:80', masq: true });
    expect(flow(sim, EXTERNAL, '192.168.99.33', 80, 'external')).toEqual({ output: '10.180.0.4:80, 10.180.0.5:80', masq: true });
  });
});

describe('externalTrafficPolicy Local with a local endpoint (etp-local-nft.yaml)', () => {
  it('keeps the client address on the node with the endpoint; the other node drops external traffic', () => {
    const sim = loadSim('etp-local-nft.yaml');
    const lb = sim.store.get('Service', 'default', 'shop')!;
    const np = lb.spec.ports[0].nodePort as number;
    const one = flow(sim, '198.51.100.7', '192.168.49.2', np, 'external', 'node-1');
    expect(one.output).not.toMatch(/DROP|REJECT|^$/);
    expect(one.masq).toBe(false);
    expect(flow(sim, '198.51.100.7', '192.168.49.3', np, 'external', 'node-2').output).toBe('DROP');
  });
});

describe('session affinity: dynamic sets with timeouts', () => {
  it('sticks a client to the endpoint it first got, until the timeout (10800 s) passes', () => {
    const sim = loadSim('web-nft.yaml', 5);
    const first = translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.101', proto: 'tcp', sport: 40000, dport: 80 }, 'pod').dnatTo!;
    for (let i = 1; i < 30; i++) {
      expect(translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.101', proto: 'tcp', sport: 40000 + i, dport: 80 }, 'pod').dnatTo).toEqual(first);
    }
    const set = onNode(sim, 'node-1', 'nft list ruleset').stdout.match(/set (affinity-\S+10\.244\.\d\.20\/8080) \{\n[^}]*elements = \{ 10\.244\.1\.50 timeout 3h expires (\S+) \}/);
    expect(set).not.toBeNull();
    sim.advance(10_801_000);
    expect(onNode(sim, 'node-1', `nft list set ip kube-proxy ${set![1]}`).stdout).not.toContain('10.244.1.50');
  });
});

describe('hand edits and kube-proxy\'s syncs', () => {
  it('nft delete rule breaks a Service until the next full sync (syncPeriod) puts the rules back', () => {
    const sim = loadSim('web-nft.yaml', 3);
    const chain = 'service-SUSTUHLJ-default/web/tcp/http';
    const listing = onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${chain}`).stdout;
    const handle = listing.match(/numgen random mod 3 vmap .* # handle (\d+)/)![1];
    expect(onNode(sim, 'node-1', `nft delete rule ip kube-proxy ${chain} handle ${handle}`)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    // the service chain now ends without choosing an endpoint: no DNAT, the ClusterIP goes nowhere
    const d = translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.100', proto: 'tcp', sport: 41000, dport: 80 }, 'pod');
    expect(d.dnatTo).toBeUndefined();
    // node-2 has its own table: untouched
    expect(translate(sim.cluster, 'node-2', { src: '10.244.2.50', dst: '10.96.0.100', proto: 'tcp', sport: 41000, dport: 80 }, 'pod').dnatTo).toBeDefined();
    sim.advance(30_000);
    const after = onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${chain}`).stdout;
    expect(after).toMatch(/numgen random mod 3 vmap/);
    expect(Number(after.match(/numgen random mod 3 vmap .* # handle (\d+)/)![1])).toBeGreaterThan(Number(handle));
    expect(translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.100', proto: 'tcp', sport: 41001, dport: 80 }, 'pod').dnatTo).toBeDefined();
  });

  it('a partial sync rewrites only the changed Service\'s chains and elements; hand edits elsewhere wait for the full sync', () => {
    const sim = loadSim('web-nft.yaml', 3);
    const web = 'service-SUSTUHLJ-default/web/tcp/http';
    const sticky = 'service-EDE2N7RF-default/sticky/tcp/';
    expect(onNode(sim, 'node-1', `nft flush chain ip kube-proxy ${sticky}`).exitCode).toBe(0);
    expect(onNode(sim, 'node-1', 'nft flush map ip kube-proxy service-nodeports').exitCode).toBe(0);
    const before = onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${web}`).stdout;
    const svc = structuredClone(sim.store.get('Service', 'default', 'web')!);
    svc.metadata.labels = { rev: '2' };
    sim.api.update(svc);
    const after = onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${web}`).stdout;
    expect(after).not.toBe(before);
    expect(after.replace(/ # handle \d+/g, '')).toBe(before.replace(/ # handle \d+/g, ''));
    expect(onNode(sim, 'node-1', `nft list chain ip kube-proxy ${sticky}`).stdout).toBe(`table ip kube-proxy {\n\tchain ${sticky} {\n\t}\n}\n`);
    expect(onNode(sim, 'node-1', 'nft list map ip kube-proxy service-nodeports').stdout).not.toContain('30080');
    sim.advance(30_000);
    expect(onNode(sim, 'node-1', `nft list chain ip kube-proxy ${sticky}`).stdout).toContain('numgen random mod 2');
    expect(onNode(sim, 'node-1', 'nft list map ip kube-proxy service-nodeports').stdout).toContain('tcp . 30080 : goto external-KOAMWL4R-default/web-np/tcp/');
  });

  it('a deleted Service leaves its chains flushed until a sync more than a second later deletes them; its affinity sets go at once', () => {
    const sim = loadSim('web-nft.yaml');
    onNode(sim, 'node-1', 'nft list tables');
    sim.api.delete('Service', 'default', 'sticky');
    const now = onNode(sim, 'node-1', 'nft list table ip kube-proxy').stdout;
    expect(now).toContain('\tchain service-EDE2N7RF-default/sticky/tcp/ {\n\t}\n');
    expect(now).not.toContain('affinity-');
    expect(now).not.toContain('10.96.0.101');
    sim.advance(2000);
    sim.api.delete('Service', 'default', 'empty');
    expect(onNode(sim, 'node-1', 'nft list table ip kube-proxy').stdout).not.toContain('sticky');
  });

  it('snapshots keep hand edits, handles and affinity entries', () => {
    const sim = loadSim('web-nft.yaml', 4);
    translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.101', proto: 'tcp', sport: 40000, dport: 80 }, 'pod');
    const chain = 'service-SUSTUHLJ-default/web/tcp/http';
    const handle = onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${chain}`).stdout.match(/# handle (\d+)\n/)![1];
    onNode(sim, 'node-1', `nft delete rule ip kube-proxy ${chain} handle ${handle}`);
    const before = onNode(sim, 'node-1', 'nft -a list ruleset').stdout;
    const fresh = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(onNode(fresh, 'node-1', 'nft -a list ruleset').stdout).toBe(before);
  });

  it('syncs follow the clock, not the looks: handles come out the same whether or not anyone looked in between', () => {
    const chain = 'service-SUSTUHLJ-default/web/tcp/http';
    const session = (look: boolean) => {
      const sim = loadSim('web-nft.yaml', 3);
      const seen: string[] = [onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${chain}`).stdout];
      const peek = () => {
        if (look) translate(sim.cluster, 'node-1', { src: '10.244.1.50', dst: '10.96.0.100', proto: 'tcp', sport: 41000, dport: 80 }, 'pod');
      };
      for (let i = 0; i < 9; i++) {
        const web = structuredClone(sim.store.get('Service', 'default', 'web')!);
        web.metadata.labels = { rev: String(i) };
        sim.api.update(web); // a change: a partial sync is due
        peek(); // a grading check would look here (or not)
        sim.advance(5000); // the full sync's period runs out every sixth step
        peek();
      }
      seen.push(onNode(sim, 'node-1', `nft -a list chain ip kube-proxy ${chain}`).stdout);
      return { seen, fullSyncs: kubeProxyOf(sim.cluster).stats.fullSyncs };
    };
    const quiet = session(false);
    expect(session(true)).toEqual(quiet);
    // the full sync ran on schedule (the first one, then after 30 s) without anyone looking
    expect(quiet.fullSyncs).toBe(2);
  });

  it('partial syncs end where a full sync would', () => {
    const sim = loadSim('web-nft.yaml');
    onNode(sim, 'node-1', 'nft list tables');
    for (let i = 0; i < 8; i++) {
      sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `extra-${(i * 5) % 8}`, namespace: 'default' }, spec: { ports: [{ port: 80 + i, protocol: 'TCP' }] } });
      onNode(sim, 'node-1', 'nft list tables');
    }
    sim.api.delete('Service', 'default', 'web-np');
    const web = structuredClone(sim.store.get('Service', 'default', 'web')!);
    web.spec.ports[0].port = 8081;
    sim.api.update(web);
    onNode(sim, 'node-1', 'nft list tables');
    sim.advance(2000);
    sim.api.delete('Service', 'default', 'extra-3');
    const strip = (s: string) => s.replace(/ # handle \d+/g, '');
    const partial = strip(onNode(sim, 'node-1', 'nft -a list table ip kube-proxy').stdout);
    sim.advance(30_000);
    expect(strip(onNode(sim, 'node-1', 'nft -a list table ip kube-proxy').stdout).split('\n').sort()).toEqual(partial.split('\n').sort());
    expect(partial).toContain('10.96.0.100 . tcp . 8081 : goto service-SUSTUHLJ-default/web/tcp/http');
    expect(partial).not.toContain('web-np');
  });
});

describe('the whole stack: curl through kube-proxy\'s nftables rules', () => {
  const SCENARIO = twoNodeWeb('nftables');

  it('flushing the Service\'s chain on the client\'s node breaks it until kube-proxy resyncs', () => {
    const sim = createSimulation(SCENARIO, { seed: 2 });
    expect(sim.run('kubectl exec client -- wget -qO- -T 2 web').exitCode).toBe(0);
    expect(sim.run('kubectl exec client -- wget -qO- -T 2 web:81').stderr).toContain('Connection refused');
    expect(sim.run('ssh node-1').exitCode).toBe(0);
    const chain = sim.run('nft list map ip kube-proxy service-ips').stdout.match(/10\.96\.50\.50 \. tcp \. 80 : goto ([^,\s]+)/)![1];
    expect(sim.run(`nft flush chain ip kube-proxy ${chain}`).exitCode).toBe(0);
    expect(sim.run('iptables-save | grep -c KUBE-SERVICES').stdout).toBe('0\n');
    expect(sim.run('exit 0').exitCode).toBe(0);
    const broken = sim.run('kubectl exec client -- wget -qO- -T 2 web');
    expect(broken.exitCode).toBe(1);
    sim.run('sleep 31');
    expect(sim.run('kubectl exec client -- wget -qO- -T 2 web').exitCode).toBe(0);
  });

  it('runs on a node, not in a pod', () => {
    const sim = createSimulation(SCENARIO, { seed: 2 });
    expect(sim.run('kubectl exec client -- nft list ruleset').exitCode).not.toBe(0);
    sim.run('ssh node-1');
    expect(sim.run('nft list tables').stdout).toContain('table ip kube-proxy\n');
  });
});
