/**
 * The IPv6 packet walk's properties (dual-stack Flannel + iptables): the executor matches
 * 128-bit addresses only against ip6tables' rules, DNATs to `[addr]:port`, and IPv4 packets are
 * untouched by IPv6 rules; the IPv6 proxier's statistic rules spread connections over the
 * IPv6 endpoints; ipBlock CIDRs apply per family; a grading check (reach/dryRun) leaves the
 * IPv6 conntrack as it was.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { HostRef } from '../../../engine/types';
import { connect, reach } from '../../../engine/dataplane/walk';
import { parseRuleSpec } from '../../../engine/dataplane/netfilter/rule';
import { ruleMatches, traverse, type ExecEnv, type PacketState } from '../../../engine/dataplane/netfilter/execute';
import { NodeNetfilter } from '../../../engine/dataplane/netfilter/tables';
import { parseIPv6 } from '../../../engine/cluster/ipv6';
import { evaluateEgress, evaluateIngress } from '../../../engine/dataplane/policy';
import { findPod, podByIp } from '../../../engine/dataplane/topology';
import { kubeProxyOf } from '../../../engine/controllers/kube-proxy';
import { DUAL_STACK } from '../../golden/dualstack/scenario';

const client: HostRef = { kind: 'pod', namespace: 'default', pod: 'client', container: 'client' };

function env(nf: NodeNetfilter): ExecEnv {
  return { nf, isLocal: () => false, isLocal6: (ip) => ip === parseIPv6('fc00::3'), random: () => 0.99, now: 0 };
}

function pkt6(src: string, dst: string, dport = 80): PacketState {
  return { src: 0, dst: 0, src6: parseIPv6(src), dst6: parseIPv6(dst), sport: 40000, dport, proto: 'tcp', mark: 0, ctstate: new Set(['NEW']), bytes: 80 };
}

describe('the executor, family-aware', () => {
  it('an ip6tables rule matches IPv6 addresses by prefix; an iptables rule never matches an IPv6 packet, nor the reverse', () => {
    const nf = new NodeNetfilter('n');
    const r6 = parseRuleSpec(['-s', 'fd00:10:244:1::/64', '-d', 'fd00:10:96::a', '-p', 'tcp', '--dport', '80', '-j', 'ACCEPT'], 'ip6tables');
    expect(ruleMatches(r6, pkt6('fd00:10:244:1::3', 'fd00:10:96::a'), env(nf))).toBe(true);
    expect(ruleMatches(r6, pkt6('fd00:10:244:2::3', 'fd00:10:96::a'), env(nf))).toBe(false);
    expect(ruleMatches(r6, pkt6('fd00:10:244:1::3', 'fd00:10:96::b'), env(nf))).toBe(false);
    const inv = parseRuleSpec(['!', '-s', 'fd00:10:244::/56', '-j', 'ACCEPT'], 'ip6tables');
    expect(ruleMatches(inv, pkt6('fc00::9', 'fd00:10:96::a'), env(nf))).toBe(true);
    const r4 = parseRuleSpec(['-d', '10.96.0.10', '-j', 'ACCEPT']);
    expect(ruleMatches(r4, pkt6('fd00:10:244:1::3', 'fd00:10:96::a'), env(nf))).toBe(false);
    const v4: PacketState = { src: 0x0af40103, dst: 0x0a60000a, sport: 1, dport: 80, proto: 'tcp', mark: 0, ctstate: new Set(['NEW']), bytes: 60 };
    expect(ruleMatches(r6, v4, env(nf))).toBe(false);
    expect(ruleMatches(r4, v4, env(nf))).toBe(true);
  });

  it('ICMPv6 is protocol 58 and addrtype LOCAL asks the node\'s IPv6 addresses', () => {
    const nf = new NodeNetfilter('n');
    const echo = { ...pkt6('fd00::1', 'fc00::3', 0), proto: 'icmp' as const };
    expect(ruleMatches(parseRuleSpec(['-p', 'icmpv6', '-j', 'ACCEPT'], 'ip6tables'), echo, env(nf))).toBe(true);
    expect(ruleMatches(parseRuleSpec(['-p', 'icmp', '-j', 'ACCEPT'], 'ip6tables'), echo, env(nf))).toBe(false);
    const local = parseRuleSpec(['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT'], 'ip6tables');
    expect(ruleMatches(local, echo, env(nf))).toBe(true);
    expect(ruleMatches(local, pkt6('fd00::1', 'fc00::4'), env(nf))).toBe(false);
  });

  it('DNAT --to-destination [addr]:port rewrites the 128-bit destination', () => {
    const nf = new NodeNetfilter('n');
    nf.table('nat').get('PREROUTING')!.rules.push(parseRuleSpec(['-d', 'fd00:10:96::a', '-p', 'tcp', '-j', 'DNAT', '--to-destination', '[fd00:10:244:2::3]:8080'], 'ip6tables'));
    const p = pkt6('fd00:10:244:1::3', 'fd00:10:96::a');
    const r = traverse(env(nf), 'nat', 'PREROUTING', p, []);
    expect(r.dnat).toEqual({ ip: 'fd00:10:244:2::3', port: 8080 });
    expect(p.dst6).toBe(parseIPv6('fd00:10:244:2::3'));
    expect(p.dport).toBe(8080);
    expect(p.ctstate.has('DNAT')).toBe(true);
  });
});

describe('the IPv6 walk on dual-stack Flannel', () => {
  it('a Service\'s IPv6 ClusterIP is translated by the node\'s ip6tables rules to each IPv6 endpoint in turn (statistic draws)', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = connect(sim.cluster, client, 'web-v6', 80, 'tcp', { record: false });
      expect(r.outcome).toBe('delivered');
      expect(r.address).toMatch(/^fd00:10:96::/);
      seen.add(r.server!.ip);
      // the hops name the ip6tables rules that decided, and the IPv6 VXLAN device when it crossed
      expect(r.hops.some((h) => /--to-destination \[fd00:10:244:[12]::[0-9a-f]+\]:80/.test(h.what))).toBe(true);
      if (r.server!.ip.startsWith('fd00:10:244:2:')) expect(r.hops.some((h) => /dev flannel-v6\.1 onlink/.test(h.what))).toBe(true);
      expect(r.seenSource).toBe('fd00:10:244:1::3');
    }
    expect([...seen].sort()).toEqual(['fd00:10:244:1::4', 'fd00:10:244:2::3']);
  });

  it('a hand-deleted ip6tables DNAT breaks the IPv6 Service until kube-proxy resyncs; IPv4 is unaffected', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    const chains = sim.run('ssh node-1 ip6tables -t nat -S KUBE-SERVICES').stdout.split('\n').filter((l) => l.includes('default/web-v6 cluster IP'));
    expect(chains.length).toBe(1);
    expect(sim.run(`ssh node-1 ip6tables -t nat ${chains[0].replace(/^-A/, '-D')}`).exitCode).toBe(0);
    expect(reach(sim.cluster, client, 'web-v6', 80).outcome).toBe('timeout');
    expect(reach(sim.cluster, client, 'web-dual', 80).allowed).toBe(true);
    sim.advance(60_000);
    expect(reach(sim.cluster, client, 'web-v6', 80).allowed).toBe(true);
  });

  it('curl\'s choice of family: AAAA first on a dual-stack name, -4 takes the A record, a name without AAAA has nothing for -6', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    expect(connect(sim.cluster, client, 'web-dual', 80, 'tcp', { record: false, family: 'prefer6' }).address).toMatch(/^fd00:10:96::/);
    expect(connect(sim.cluster, client, 'web-dual', 80, 'tcp', { record: false, family: 4 }).address).toMatch(/^10\./);
    expect(connect(sim.cluster, client, 'web-single', 80, 'tcp', { record: false, family: 6 }).outcome).toBe('nxdomain');
    expect(connect(sim.cluster, client, 'web-single', 80, 'tcp', { record: false, family: 'prefer6' }).address).toMatch(/^10\./);
  });

  it('a grading check over IPv6 leaves conntrack and the ip6tables counters as they were', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    // the learner's entries: the cluster's own connections (background: true) are there whether or not anyone sent a packet
    const ct = () => (kubeProxyOf(sim.cluster).conntrack.get('node-1')?.entries ?? []).filter((e) => !e.background).length;
    const counters = () => sim.run('ssh node-1 ip6tables-save -c -t nat').stdout.replace(/^#.*\n/gm, '');
    const before = ct();
    const saved = counters();
    const check = reach(sim.cluster, client, 'web-v6', 80);
    expect(check.allowed).toBe(true);
    expect(ct()).toBe(before);
    expect(counters()).toBe(saved);
    // the same connection for real (to the address: no DNS packets) leaves its IPv6 entry
    connect(sim.cluster, client, check.result.address!, 80, 'tcp', { record: false });
    expect(ct()).toBe(before + 1);
    expect(kubeProxyOf(sim.cluster).conntrack.get('node-1')!.entries.at(-1)!.dst).toBe(check.result.address);
  });
});

describe('NetworkPolicy ipBlock per family', () => {
  const POLICY = `
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: from-node-1-v6 }
    spec:
      podSelector: { matchLabels: { app: web } }
      policyTypes: [Ingress, Egress]
      ingress:
        - from: [{ ipBlock: { cidr: 'fd00:10:244:1::/64', except: ['fd00:10:244:1::4/128'] } }]
      egress:
        - to: [{ ipBlock: { cidr: 'fd00:10:244::/56' } }]
`;
  const sim = createSimulation(DUAL_STACK + POLICY, { seed: 1 });
  const web = podByIp(sim.cluster, 'fd00:10:244:2::3')!;
  const clientV4 = findPod(sim.cluster, 'default', 'client')!;

  it('an IPv6 CIDR admits the IPv6 addresses it holds (less its except), and no IPv4 address', () => {
    expect(evaluateIngress(sim.cluster, 'fd00:10:244:1::3', web, 80, 'tcp').allowed).toBe(true);
    expect(evaluateIngress(sim.cluster, 'fd00:10:244:1::4', web, 80, 'tcp').allowed).toBe(false);
    expect(evaluateIngress(sim.cluster, 'fd00:10:244:2::9', web, 80, 'tcp').allowed).toBe(false);
    expect(evaluateIngress(sim.cluster, clientV4, web, 80, 'tcp').allowed).toBe(false);
    expect(evaluateIngress(sim.cluster, podByIp(sim.cluster, 'fd00:10:244:1::3')!, web, 80, 'tcp').allowed).toBe(true);
    expect(evaluateEgress(sim.cluster, web, 'fd00:10:244:1::3', 80, 'tcp').allowed).toBe(true);
    expect(evaluateEgress(sim.cluster, web, '10.244.1.3', 80, 'tcp').allowed).toBe(false);
  });

  it('the walk shows the verdict on the IPv6 path (Flannel does not enforce it, and says so)', () => {
    const r = connect(sim.cluster, client, 'fd00:10:244:2::3', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.hops.find((h) => h.stage === 'policy')?.what).toMatch(/^NetworkPolicy ingress not enforced \(flannel does not implement NetworkPolicy\): /);
  });
});
