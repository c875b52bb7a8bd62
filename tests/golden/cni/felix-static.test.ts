/**
 * Calico Felix's tables beyond filter, pinned whole, and its IPVS support executed.
 *
 * Upstream: projectcalico/calico v3.28.2 (the calico/node image the cluster runs).
 * - raw: felix/rules/static.go StaticRawPreroutingChain and RPFilter (the scratch-0 mark on
 *   `cali+`, cali-rpf-skip, `-m rpfilter --validmark --invert -j DROP`), StaticRawOutputChain;
 *   static_test.go "IPv4: Should return expected raw PREROUTING chain" (l. 486-503) and "Should
 *   return expected raw OUTPUT chain" (l. 458-473).
 * - mangle: StaticManglePreroutingChain, StaticManglePostroutingChain (with IPVS, the RETURN for
 *   a packet carrying an endpoint mark); static_test.go checkManglePostrouting (l. 42-86),
 *   "IPv4: Should return expected mangle PREROUTING chain" (l. 523-537).
 * - nat: StaticNATPostroutingChains with IPIP (tunl0's MASQUERADE), nat.go NATOutgoingChain
 *   (cali40masq-ipam-pools → ! cali40all-ipam-pools, MASQUERADE --random-fully where the
 *   kernel has it: actions.go MasqAction); static_test.go l. 918-936.
 * - IPVS (felix/dataplane/driver.go turns KubeIPVSSupportEnabled on when kube-ipvs0 exists):
 *   filterInputChain's endpoint-mark clear, cali-forward-check and RETURN; filterOutputChain's
 *   goto cali-forward-endpoint-mark; StaticFilterInputForwardCheckChain (KubeNodePortRanges
 *   30000:32767, cali40this-host), StaticFilterOutputForwardEndpointMarkChain; dispatch.go
 *   endpointMarkDispatchChains ("Unknown endpoint", "Non-Cali endpoint mark" 0x100000/0xfff00000);
 *   endpoints.go endpointSetMarkChain; static_test.go expForwardCheck (l. 239-266),
 *   expForwardEndpointMark (l. 268-292), the input chain with IPVS (l. 314-345).
 * - cali40this-host: felix/dataplane/linux/hostip_mgr.go (every interface's addresses but the
 *   workloads' and kube-ipvs0's, InterfaceExclude's default).
 * Rule ids: felix/iptables/rules.go Chain.RuleHashes (tests/unit/cni/felix-static.test.ts checks
 * them against node dumps).
 */
import { describe, it } from 'vitest';
import { netpol, ns, pod, sim, svc } from '../../unit/dataplane/fixtures';
import { transcript } from '../kube-proxy/harness';
import { golden } from '../../unit/dns/golden';
import type { Simulation } from '../../../engine/index';

const NETSHOOT = 'nicolaka/netshoot:v0.13';
const toolbox = (name: string, node: string, ip: string, app: string) =>
  pod('shop', name, node, ip, NETSHOOT, { app }, { containers: [{ name: 'main', image: NETSHOOT, command: ['sleep', 'infinity'] }] });

const objects = [
  ns('shop'),
  toolbox('client', 'node-1', '10.244.0.50', 'client'),
  toolbox('other', 'node-1', '10.244.0.51', 'other'),
  pod('shop', 'web', 'node-2', '10.244.1.50', 'nginx:1.27', { app: 'web' }, { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] }),
  ...svc('shop', 'web', '10.96.0.81', [['10.244.1.50', 'node-2', 'web']], [{ name: 'http', port: 80, targetPort: 80 }]),
  // client may only talk to Pods labelled app=db: the Service's backend is not one
  netpol('shop', 'client-egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }] }),
];

function exec(s: Simulation, podName: string, cmd: string): string {
  const r = s.run(`kubectl exec -n shop ${podName} -- ${cmd}`);
  let out = `$ kubectl exec -n shop ${podName} -- ${cmd}\n${r.stdout}${r.stdout && !r.stdout.endsWith('\n') ? '\n' : ''}${r.stderr}[exit ${r.exitCode}]\n`;
  const t = s.traces[s.traces.length - 1];
  out += `trace: ${t.from} → ${t.to}: ${t.outcome}\n`;
  for (const h of t.hops) out += `  [${h.stage ?? ''}] ${h.where}: ${h.what} (${h.verdict})\n`;
  return out;
}

describe('Felix v3.28 on a node: raw, mangle, nat', () => {
  it('iptables mode: iptables-save -t raw, -t mangle, -t nat; ipset list cali40this-host', () => {
    const s = sim({ cni: 'calico' }, objects);
    golden('cni/felix-static/node-1-raw-mangle-nat.txt', transcript(s, 'node-1', ['iptables-save -t raw', 'iptables-save -t mangle', 'iptables-save -t nat', 'ipset list cali40this-host']));
  });
});

describe('Felix with kube-proxy in IPVS mode (KubeIPVSSupportEnabled)', () => {
  it('the filter and mangle tables with the endpoint-mark chains; cali40this-host', () => {
    const s = sim({ cni: 'calico', proxyMode: 'ipvs' }, objects);
    golden('cni/felix-static/ipvs-node-1-filter-mangle.txt', transcript(s, 'node-1', ['iptables-save -t filter', 'iptables-save -t mangle', 'ipset list cali40this-host']));
  });

  it('Pod → ClusterIP: cali-forward-check marks it in INPUT, IPVS picks the server, cali-forward-endpoint-mark runs its egress policy in OUTPUT', () => {
    const s = sim({ cni: 'calico', proxyMode: 'ipvs' }, objects);
    const out = exec(s, 'client', 'curl -sS --max-time 2 http://10.96.0.81') +
      exec(s, 'other', 'curl -sS -o /dev/null -w %{http_code} --max-time 2 http://10.96.0.81') +
      transcript(s, 'node-1', ['iptables -L cali-forward-endpoint-mark -v -n', 'iptables -L cali-from-endpoint-mark -v -n']);
    golden('cni/felix-static/ipvs-egress-trace.txt', out);
  });
});
