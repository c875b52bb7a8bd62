/**
 * kube-proxy's IPv6 proxier on a dual-stack node (iptables mode), whole outputs pinned.
 * Upstream behaviour each golden follows:
 * - kubernetes/kubernetes pkg/proxy/iptables/proxier.go: NewDualStackProxier runs one
 *   proxier per family (the IPv6 one with localhostNodePorts=false) behind
 *   pkg/proxy/metaproxier; syncProxyRules writes the same chains for each family —
 *   KUBE-SERVICES (the tail rule to KUBE-NODEPORTS gets `! -d ::1/128` when isIPv6),
 *   KUBE-NODEPORTS (no 127.0.0.0/8 rule), KUBE-SVC/SVL/EXT, KUBE-SEP (DNAT to
 *   BaseEndpointInfo.String(), net.JoinHostPort's `[addr]:port`), KUBE-POSTROUTING,
 *   KUBE-MARK-MASQ, the filter chains; no "block incoming localnet" rule in KUBE-FIREWALL
 *   (`if !isIPv6 && proxier.localhostNodePorts`), the chain and its jumps from
 *   iptablesKubeletJumpChains. proxier_test.go's IPv6 cases (TestNodePortIPv6 & co.) expect
 *   the same `! -d ::1/128` tail and IPv6 `-d`/`-s` addresses with /128;
 * - chain names: portProtoHash(servicePortName + protocol) has no family in it, so a
 *   dual-stack Service's KUBE-SVC/KUBE-EXT names are the same in iptables-save and
 *   ip6tables-save; servicePortEndpointChainName hashes the endpoint string too
 *   (`[fd00:…]:80`), so the KUBE-SEP names differ;
 * - kubelet (pkg/kubelet/kubelet_network_linux.go syncIPTablesRules): the hint and canary
 *   chains in both families, KUBE-FIREWALL only for IPv4 (`if !iptClient.IsIPv6()`);
 * - flannel pkg/trafficmngr/iptables MasqIP6Rules and ForwardRules for the IPv6 network:
 *   the IPv4 chains with the IPv6 ranges, multicast ff00::/8;
 * - iptables 1.8.9 nft-ipv6.c / xshared.c: ip6tables-save prints `-d addr/128`; ip6tables -L
 *   prints no fragment column (print_fragment's fake form), `::/0` (-n) or `anywhere`, and
 *   no /128 (xtables_ip6mask_to_numeric); libxt_DNAT prints `to:[addr]:port`; libxt_recent
 *   saves the IPv6 all-ones `--mask`.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { DUAL_STACK } from './scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

/** The dual-stack goldens' cluster, plus a NodePort with ClientIP affinity, an externalTrafficPolicy: Local NodePort and an IPv6 Service with no endpoints. */
export const DUAL_STACK_PROXY = DUAL_STACK + `
  - apiVersion: v1
    kind: Service
    metadata: { name: web-np }
    spec:
      type: NodePort
      ipFamilyPolicy: RequireDualStack
      ipFamilies: [IPv6, IPv4]
      sessionAffinity: ClientIP
      selector: { app: web }
      ports: [{ port: 80, nodePort: 30080 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-local }
    spec:
      type: NodePort
      ipFamilyPolicy: PreferDualStack
      externalTrafficPolicy: Local
      selector: { app: web }
      ports: [{ port: 8080, targetPort: 80, nodePort: 30081 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: nobody-v6 }
    spec:
      ipFamilies: [IPv6]
      selector: { app: nobody }
      ports: [{ port: 80 }]
`;

describe('kube-proxy IPv6 rules on a dual-stack node', () => {
  const sim = createSimulation(DUAL_STACK_PROXY, { seed: 1 });
  const cases: [string, string][] = [
    ['ip6tables-save-node-1.txt', 'ssh node-1 ip6tables-save'],
    ['ip6tables-save-control-plane-nat.txt', 'ssh control-plane ip6tables-save -t nat'],
    ['ip6tables-nat-L-n.txt', 'ssh node-1 ip6tables -t nat -L -n'],
    ['ip6tables-nat-L-v.txt', 'ssh node-1 ip6tables -t nat -L KUBE-NODEPORTS -v'],
    ['ip6tables-filter-L-n.txt', 'ssh node-1 ip6tables -L -n'],
    ['ip6tables-nat-S-svc.txt', 'ssh node-1 ip6tables -t nat -S KUBE-SERVICES'],
    ['ip6tables-bad-v4.txt', 'ssh node-1 ip6tables -t nat -A KUBE-SERVICES -d 10.96.0.10 -j RETURN'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dualstack/${file}`, out(sim.run(line))));

  it('names a dual-stack Service port\'s KUBE-SVC chain the same in both families, its KUBE-SEP chains not', () => {
    const v4 = sim.run('ssh node-1 iptables-save -t nat').stdout;
    const v6 = sim.run('ssh node-1 ip6tables-save -t nat').stdout;
    const svc = (text: string) => /-A KUBE-SERVICES .*"default\/web-dual cluster IP".* -j (KUBE-SVC-\w+)/.exec(text)?.[1];
    expect(svc(v4)).toBeDefined();
    expect(svc(v6)).toBe(svc(v4));
    const seps = (text: string) => [...text.matchAll(/-A (KUBE-SEP-\w+) .*"default\/web-dual" -m tcp -j DNAT/g)].map((m) => m[1]).sort();
    expect(seps(v4)).toHaveLength(2);
    expect(seps(v6)).toHaveLength(2);
    expect(seps(v6).filter((c) => seps(v4).includes(c))).toEqual([]);
  });

  it('puts back a flushed KUBE-SERVICES at its next sync, as on the IPv4 side', () => {
    const s = createSimulation(DUAL_STACK_PROXY, { seed: 1 });
    const before = s.run('ssh node-1 ip6tables -t nat -S KUBE-SERVICES').stdout;
    expect(s.run('ssh node-1 ip6tables -t nat -F KUBE-SERVICES').exitCode).toBe(0);
    expect(s.run('ssh node-1 ip6tables -t nat -S KUBE-SERVICES').stdout).toBe('-N KUBE-SERVICES\n');
    // the IPv4 table is untouched
    expect(s.run('ssh node-1 iptables -t nat -S KUBE-SERVICES').stdout).toContain('-j KUBE-NODEPORTS');
    s.advance(31_000);
    expect(s.run('ssh node-1 ip6tables -t nat -S KUBE-SERVICES').stdout).toBe(before);
  });

  it('follows a Service edit: a new IPv6 endpoint gets its chain, a deleted Service loses its own', () => {
    const s = createSimulation(DUAL_STACK_PROXY, { seed: 1 });
    expect(s.run('ssh node-1 ip6tables-save -t nat').stdout).toContain('default/web-v6 cluster IP');
    s.run('kubectl delete svc web-v6');
    s.advance(2_000);
    const after = s.run('ssh node-1 ip6tables-save -t nat').stdout;
    expect(after).not.toContain('default/web-v6');
    s.run('kubectl scale deploy web --replicas=3');
    s.advance(10_000);
    const three = s.run('ssh node-1 ip6tables-save -t nat').stdout;
    expect([...three.matchAll(/"default\/web-dual -> \[fd00:10:244:[0-9a-f:]+\]:80"/g)]).toHaveLength(3);
  });

  it('keeps hand edits to the IPv6 tables through a snapshot, like the IPv4 ones', () => {
    const s = createSimulation(DUAL_STACK_PROXY, { seed: 1 });
    expect(s.run('ssh node-2 ip6tables -I INPUT 1 -s fd00:10:244:1::/64 -p tcp --dport 22 -j DROP').exitCode).toBe(0);
    expect(s.run('ssh node-2 ip6tables -t nat -F KUBE-NODEPORTS').exitCode).toBe(0);
    const restored = Simulation.restore(JSON.parse(JSON.stringify(s.snapshot())));
    const save = (sim: Simulation) => sim.run('ssh node-2 ip6tables-save').stdout.replace(/^# .*\n/gm, '');
    expect(save(restored)).toBe(save(s));
    expect(restored.run('ssh node-2 ip6tables -S INPUT 1').stdout).toBe('-A INPUT -s fd00:10:244:1::/64 -p tcp -m tcp --dport 22 -j DROP\n');
  });
});
