/**
 * kube-proxy's rules as a live dataplane: manual iptables edits change what traffic does
 * until kube-proxy resyncs (every syncPeriod = 30 s, or on a change to that Service —
 * a partial sync does not repair chains it did not touch), state survives snapshots,
 * statistic/recent matches behave like the kernel's.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../engine';
import { translate, kubeProxyOf } from '../../../engine/controllers/kube-proxy';
import { portProtoHash, servicePortEndpointChainName, servicePortPolicyClusterChain } from '../../../engine/controllers/kube-proxy/hash';
import { probability } from '../../../engine/controllers/kube-proxy/iptables/rules';
import { loadSim, onNode } from '../../golden/kube-proxy/harness';
import type { Packet } from '../../../engine/dataplane/packet';

const pkt = (dst: string, dport: number, src = '10.244.1.50', sport = 40000): Packet => ({ src, dst, proto: 'tcp', sport, dport });

describe('chain names and probabilities', () => {
  it('hash like kube-proxy (names seen on real clusters and in proxier_test.go)', () => {
    expect(servicePortPolicyClusterChain('default/kubernetes:https', 'tcp')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:dns', 'udp')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:dns-tcp', 'tcp')).toBe('KUBE-SVC-ERIFXISQEP7F7OF4');
    expect(portProtoHash('ns1/svc1:p80', 'tcp')).toBe('XPGD46QRK7WJZT7O');
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });
  it('formats probabilities with %0.10f', () => {
    expect(probability(3)).toBe('0.3333333333');
    expect(probability(2)).toBe('0.5000000000');
    expect(probability(7)).toBe('0.1428571429');
  });
});

describe('translate executes the node\'s current rules', () => {
  it('DNATs a ClusterIP to an endpoint, spreading like statistic --mode random', () => {
    const sim = loadSim('web.yaml', 7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const d = translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80, '10.244.1.50', 30000 + i), 'pod');
      expect(d.verdict).toBe('ACCEPT');
      counts.set(d.dnatTo!.ip, (counts.get(d.dnatTo!.ip) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.244.1.5', '10.244.2.7', '10.244.2.8']);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(120);
    // The not-ready endpoint (10.244.1.9) never gets traffic.
    expect(counts.has('10.244.1.9')).toBe(false);
  });

  it('rejects a Service without endpoints (filter KUBE-SERVICES) and masquerades off-cluster sources', () => {
    const sim = loadSim('web.yaml');
    const rej = translate(sim.cluster, 'node-1', pkt('10.96.0.103', 80), 'pod');
    expect(rej.verdict).toBe('REJECT');
    expect(rej.rejectWith).toBe('icmp-port-unreachable');
    const host = translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80, '192.168.49.2'), 'host');
    expect(host.masquerade).toBe(true);
    const pod = translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80), 'pod');
    expect(pod.masquerade).toBe(false);
    const np = translate(sim.cluster, 'node-2', pkt('192.168.49.3', 30080, '203.0.113.9'), 'external');
    expect(np.dnatTo).toEqual({ ip: '10.244.1.5', port: 8080 });
    expect(np.masquerade).toBe(true);
  });

  it('ClientIP affinity sticks to one endpoint through -m recent', () => {
    const sim = loadSim('web.yaml', 3);
    const first = translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99'), 'pod').dnatTo!.ip;
    for (let i = 0; i < 50; i++) expect(translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 41000 + i), 'pod').dnatTo!.ip).toBe(first);
    // After 10800 s without traffic the recent entry is reaped and the choice is random again.
    sim.advance(10801 * 1000);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      sim.advance(10801 * 1000);
      seen.add(translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 42000 + i), 'pod').dnatTo!.ip);
    }
    expect(seen.size).toBe(2);
  });
});

describe('manual edits and kube-proxy resyncs', () => {
  const sepRule = (sim: Simulation) => onNode(sim, 'node-1', 'iptables -t nat -S KUBE-SERVICES').stdout.split('\n').find((l) => l.includes('default/web-np cluster IP'))!;

  it('iptables -D breaks traffic until the next full sync puts the rule back', () => {
    const sim = loadSim('web.yaml');
    const line = sepRule(sim);
    expect(line).toBeDefined();
    const del = onNode(sim, 'node-1', `iptables -t nat -D ${line.slice(3)}`);
    expect(del).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    // Deleting it again: iptables' own error.
    const again = onNode(sim, 'node-1', `iptables -t nat -D ${line.slice(3)}`);
    expect(again).toEqual({ stdout: '', stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).\n', exitCode: 1 });
    const d = translate(sim.cluster, 'node-1', pkt('10.96.0.102', 80), 'pod');
    expect(d.dnatTo).toBeUndefined();
    // Other nodes are untouched.
    expect(translate(sim.cluster, 'node-2', pkt('10.96.0.102', 80), 'pod').dnatTo).toEqual({ ip: '10.244.1.5', port: 8080 });
    sim.advance(29_000);
    expect(translate(sim.cluster, 'node-1', pkt('10.96.0.102', 80), 'pod').dnatTo).toBeUndefined();
    sim.advance(1_000);
    expect(translate(sim.cluster, 'node-1', pkt('10.96.0.102', 80), 'pod').dnatTo).toEqual({ ip: '10.244.1.5', port: 8080 });
    expect(sepRule(sim)).toBe(line);
  });

  it('a partial sync rewrites KUBE-SERVICES but not the per-service chains it did not touch', () => {
    const sim = loadSim('web.yaml');
    const svc = servicePortPolicyClusterChain('default/web:http', 'tcp');
    expect(onNode(sim, 'node-1', `iptables -t nat -F ${svc}`).exitCode).toBe(0);
    expect(onNode(sim, 'node-1', 'iptables -t nat -D KUBE-SERVICES 1').exitCode).toBe(0);
    const before = onNode(sim, 'node-1', 'iptables -t nat -S KUBE-SERVICES').stdout;
    // A change to another Service: a partial sync.
    const other = structuredClone(sim.store.get('Service', 'default', 'empty')!);
    other.metadata.labels = { touched: 'yes' };
    sim.api.update(other);
    const after = onNode(sim, 'node-1', 'iptables -t nat -S KUBE-SERVICES').stdout;
    expect(after).not.toBe(before);
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
    expect(onNode(sim, 'node-1', `iptables -t nat -S ${svc}`).stdout).toBe(`-N ${svc}\n`);
    expect(translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80), 'pod').dnatTo).toBeUndefined();
    // A change to web itself rewrites its chains.
    const web = structuredClone(sim.store.get('Service', 'default', 'web')!);
    web.metadata.labels = { touched: 'yes' };
    sim.api.update(web);
    expect(onNode(sim, 'node-1', `iptables -t nat -S ${svc}`).stdout.split('\n').length).toBe(6);
    expect(translate(sim.cluster, 'node-1', pkt('10.96.0.100', 80), 'pod').dnatTo).toBeDefined();
  });

  it('a manual DROP in FORWARD survives syncs (kube-proxy only ensures its own jumps) and snapshots', () => {
    const sim = loadSim('web.yaml');
    // NodePort traffic is DNATed in PREROUTING, so it is forwarded (FORWARD), not delivered (INPUT).
    expect(onNode(sim, 'node-2', 'iptables -I INPUT 1 -p tcp --dport 30080 -j DROP').exitCode).toBe(0);
    expect(translate(sim.cluster, 'node-2', pkt('192.168.49.3', 30080, '203.0.113.9'), 'external').verdict).toBe('ACCEPT');
    expect(onNode(sim, 'node-2', 'iptables -I FORWARD 1 -d 10.244.1.5/32 -p tcp --dport 8080 -j DROP').exitCode).toBe(0);
    expect(translate(sim.cluster, 'node-2', pkt('192.168.49.3', 30080, '203.0.113.9'), 'external').verdict).toBe('DROP');
    sim.advance(31_000);
    expect(translate(sim.cluster, 'node-2', pkt('192.168.49.3', 30080, '203.0.113.9'), 'external').verdict).toBe('DROP');
    expect(onNode(sim, 'node-2', 'iptables -L FORWARD 1 -n').stdout).toBe(
      'Chain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination         \nDROP       tcp  --  0.0.0.0/0            10.244.1.5           tcp dpt:8080\n',
    );
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(onNode(restored, 'node-2', 'iptables-save -c')).toEqual(onNode(sim, 'node-2', 'iptables-save -c'));
    expect(onNode(restored, 'node-1', 'iptables-save -c')).toEqual(onNode(sim, 'node-1', 'iptables-save -c'));
    expect(translate(restored.cluster, 'node-2', pkt('192.168.49.3', 30080, '203.0.113.9'), 'external').verdict).toBe('DROP');
  });

  it('snapshot keeps a deleted rule deleted, counters, and the recent lists', () => {
    const sim = loadSim('web.yaml', 5);
    for (let i = 0; i < 5; i++) translate(sim.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 43000 + i), 'pod');
    expect(onNode(sim, 'node-1', 'iptables -t nat -D KUBE-SERVICES 1').exitCode).toBe(0);
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    const a = onNode(sim, 'node-1', 'iptables -t nat -L -v -n -x');
    expect(onNode(restored, 'node-1', 'iptables -t nat -L -v -n -x')).toEqual(a);
    const pick = (s: Simulation) => translate(s.cluster, 'node-1', pkt('10.96.0.101', 80, '10.244.2.99', 44000), 'pod');
    expect(pick(restored)).toEqual(pick(sim));
  });
});

describe('iptables errors', () => {
  const sim = loadSim('web.yaml');
  const cases: [string, string, number][] = [
    ['iptables -t nat -L NOPE', 'iptables: No chain/target/match by that name.\n', 1],
    ['iptables -A INPUT --foo', "iptables v1.8.9 (nf_tables): unknown option \"--foo\"\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -D INPUT 99', 'iptables: Index of deletion too big.\n', 1],
    ['iptables -N KUBE-FORWARD', 'iptables: Chain already exists.\n', 1],
    ['iptables -X KUBE-FORWARD', 'iptables: Too many links.\n', 1],
    ['iptables -A INPUT -j NOPE', "iptables v1.8.9 (nf_tables): Chain 'NOPE' does not exist\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -t bogus -L', "iptables v1.8.9 (nf_tables): can't initialize iptables table `bogus': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n", 3],
    ['iptables -L -m tcp', "iptables v1.8.9 (nf_tables): Illegal option `-m' with this command\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -P KUBE-FORWARD DROP', 'iptables: Bad built-in chain name.\n', 1],
    ['iptables', "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['iptables -A INPUT -m nosuch -j ACCEPT', "iptables v1.8.9 (nf_tables): Couldn't load match `nosuch':No such file or directory\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
  ];
  for (const [line, stderr, code] of cases) {
    it(line, () => expect(onNode(sim, 'node-1', line)).toEqual({ stdout: '', stderr, exitCode: code }));
  }
  it('-C finds rules the way they print back', () => {
    expect(onNode(sim, 'node-1', 'iptables -t nat -C KUBE-MARK-MASQ -j MARK --or-mark 0x4000').exitCode).toBe(0);
    expect(onNode(sim, 'node-1', 'iptables -t nat -C KUBE-MARK-MASQ -j MARK --or-mark 0x8000').exitCode).toBe(1);
    expect(onNode(sim, 'node-1', 'iptables -C FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD').exitCode).toBe(0);
  });
  it('runs only on a node (or a hostNetwork pod)', () => {
    const r = kubeProxyOf(sim.cluster) && onNode(sim, 'node-1', 'iptables -V');
    expect(r.stdout).toBe('iptables v1.8.9 (nf_tables)\n');
  });
});

describe('partial syncs end where a full sync would', () => {
  it('after Services are added, changed and deleted, the rules equal a from-scratch sync', () => {
    const sim = loadSim('web.yaml');
    onNode(sim, 'node-1', 'iptables-save');
    for (let i = 0; i < 12; i++) {
      sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `extra-${(i * 5) % 12}`, namespace: 'default' }, spec: { ports: [{ port: 80 + i, protocol: 'TCP' }] } });
      onNode(sim, 'node-1', 'iptables -t nat -S KUBE-SERVICES');
    }
    sim.api.delete('Service', 'default', 'extra-5');
    sim.api.delete('Service', 'default', 'web-np');
    const web = structuredClone(sim.store.get('Service', 'default', 'web')!);
    web.spec.ports[0].port = 8081;
    sim.api.update(web);
    const partial = onNode(sim, 'node-1', 'iptables-save').stdout;
    const fresh = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(onNode(fresh, 'node-1', 'iptables-save').stdout).toBe(partial);
    expect(partial).toContain('--comment "default/extra-0 has no endpoints"');
    expect(partial).not.toContain('default/web-np');
    expect(partial).toContain('--comment "default/web:http cluster IP" -m tcp --dport 8081');
  });
});
