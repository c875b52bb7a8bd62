/**
 * The IPv6 packet walk on a dual-stack Flannel + iptables cluster, whole outputs pinned: the
 * client Pod (node-1) reaches the web Pods (node-1 and node-2) over IPv6 — the IPv6 proxier's
 * ip6tables rules DNAT the ClusterIP, flannel-v6.1 carries the packet to node-2.
 *
 * Formats followed (upstream sources):
 * - curl 8.7.1 (github.com/curl/curl tag curl-8_7_1): lib/cf-socket.c "  Trying [%s]:%d..."
 *   for an IPv6 peer; lib/connect.c "Connected to %s (%s) port %u"; lib/url.c cuts the
 *   brackets off an IPv6 literal host ("cut off the brackets!"), so the messages name it bare
 *   and only the Host: header keeps them; happy eyeballs starts with the AAAA answers
 *   (lib/cf-ip-happy.c: last_attempt_ai_family = AF_INET "so AF_INET6 is next") and starts
 *   the A answer when IPv6 has not connected after 200 ms (CURL_HET_DEFAULT); -4/-6 ask
 *   for one family, the other resolution line is "(none)";
 * - iputils ping (github.com/iputils/iputils): ping/ping_output.c "PING %s (%s) " then
 *   ping6_common.c ping6_print_data_bytes "%d data bytes"; ping_common.c "%d bytes from
 *   %s:" … " ttl=%d"; ping6_common.c pr_icmph "Destination unreachable: Address unreachable";
 * - tcpdump 4.99.5 (github.com/the-tcpdump-group/tcpdump tag tcpdump-4.99.5): print-ip6.c
 *   (`IP6 SRC.PORT > DST.PORT: ` and the TCP printer), print-icmp6.c (`ICMP6, echo request,
 *   id N, seq N, length N`), print-otv.c for flannel-v6.1's VXLAN on UDP 8472 between the
 *   nodes' IPv6 addresses; the MSS of an IPv6 SYN is the MTU less 60;
 * - conntrack-tools 1.4.6: -f ipv6 lists the IPv6 flows (IPv4 by default), libnetfilter_conntrack
 *   snprintf_default.c's `icmpv6   58 … type=128 code=0 id=N … type=129`;
 * - traceroute 2.1: IPv6 probes are 80 bytes;
 * - ip6tables-save -c: the rule counters the walk's packets moved (80-byte SYNs).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { DUAL_STACK } from './scenario';
import { type } from '../tcpdump/scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('the IPv6 walk', () => {
  const sim = createSimulation(DUAL_STACK, { seed: 1 });
  const cases: [string, string][] = [
    ['curl-6-v-svc.txt', 'kubectl exec client -- curl -6 -sv -o /dev/null http://web-v6'],
    ['curl-4-v-dual.txt', 'kubectl exec client -- curl -4 -sv -o /dev/null http://web-dual'],
    ['curl-6-single.txt', 'kubectl exec client -- curl -6 -sS http://web-single'],
    ['curl-6-literal-v.txt', 'kubectl exec client -- curl -sv -o /dev/null http://[fd00:10:244:2::3]/'],
    ['curl-6-remote-ip.txt', "kubectl exec client -- curl -s -o /dev/null -w '%{remote_ip} %{http_code}\\n' http://web-dual"],
    ['ping-6-pod.txt', 'kubectl exec client -- ping -6 -c 2 fd00:10:244:2::3'],
    ['ping-6-svc.txt', 'kubectl exec client -- ping -6 -c 1 web-dual'],
    ['ping-6-unassigned.txt', 'kubectl exec client -- ping -c 1 fd00:10:244:2::99'],
    ['ping-4-dual.txt', 'kubectl exec client -- ping -4 -c 1 web-headless'],
    ['conntrack-ipv6.txt', 'ssh node-1 conntrack -L -f ipv6'],
    ['conntrack-ipv4.txt', 'ssh node-1 conntrack -L'],
    ['nginx-log-v6.txt', 'kubectl logs web-84dccbd445-qjlg5 | grep fd00 | cut -d" " -f1-9'],
    ['traceroute-6.txt', 'kubectl exec client -- traceroute -6 -n -m 4 web-v6'],
    ['traceroute-6-pod.txt', 'kubectl exec client -- traceroute fd00:10:244:2::3'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dualstack/${file}`, out(sim.run(line))));

  it('happy eyeballs falls back to the A answer when IPv6 does not connect (a hand-deleted ip6tables rule)', () => {
    const fresh = createSimulation(DUAL_STACK, { seed: 1 });
    const rule = fresh.run('ssh node-1 ip6tables -t nat -S KUBE-SERVICES').stdout.split('\n').find((l) => l.includes('default/web-dual cluster IP'))!;
    fresh.run(`ssh node-1 ip6tables -t nat ${rule.replace(/^-A/, '-D')}`);
    golden('dualstack/curl-happy-eyeballs-fallback.txt', out(fresh.run("kubectl exec client -- curl -sv -o /dev/null -w '%{remote_ip}\\n' http://web-dual")));
  });

  it('ip6tables-save -c right after a curl -6: the rules the SYN went through counted it (80 bytes)', () => {
    const fresh = createSimulation(DUAL_STACK, { seed: 2 });
    fresh.run('kubectl exec client -- curl -6 -s -o /dev/null http://web-v6');
    golden('dualstack/ip6tables-save-counters.txt', out(fresh.run('ssh node-1 ip6tables-save -c -t nat | grep -v "^#" | grep -v "\\[0:0\\]"')));
  });
});

describe('tcpdump hears the IPv6 walk', () => {
  it('a curl -6 to the other node: the pod side, flannel-v6.1, and the VXLAN on eth0 between the nodes\' IPv6 addresses', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1, interactive: true });
    let s = '';
    for (const l of ['ssh node-1 tcpdump -nn -i any ip6 and port 80 &', 'ssh node-2 tcpdump -nn -e -i eth0 &', 'kubectl exec client -- curl -s -o /dev/null http://[fd00:10:244:2::3]/', 'kill %1 %2']) s += `$ ${l}\n` + type(sim, l);
    golden('dualstack/tcpdump-curl-6.txt', s);
  });
  it('a Service without endpoints over IPv6: the IPv6 proxier\'s REJECT answers ICMP6 port unreachable from the node', () => {
    const sim = createSimulation(DUAL_STACK + `
  - apiVersion: v1
    kind: Service
    metadata: { name: nobody6 }
    spec: { ipFamilies: [IPv6], selector: { app: nobody }, ports: [{ port: 80 }] }
`, { seed: 1, interactive: true });
    let s = '';
    for (const l of ['ssh node-1 tcpdump -nn -i any ip6 &', 'kubectl exec client -- curl -sS http://nobody6', 'ssh node-1 ip6tables -S KUBE-SERVICES | grep nobody6', 'kill %1']) s += `$ ${l}\n` + type(sim, l);
    golden('dualstack/tcpdump-reject-6.txt', s);
  });

  it('a ping -6: ICMP6 echo request and reply; an IPv4 filter hears nothing of it', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1, interactive: true });
    let s = '';
    for (const l of ['ssh node-2 tcpdump -nn -i any icmp6 &', 'ssh node-2 tcpdump -nn -i any icmp &', 'kubectl exec client -- ping -c 1 fd00:10:244:2::3', 'kill %1 %2']) s += `$ ${l}\n` + type(sim, l);
    golden('dualstack/tcpdump-ping-6.txt', s);
  });
});
